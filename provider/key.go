package provider

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"maps"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Key is a LiteLLM virtual key (`/key/generate`), token litellm:index:Key.
type Key struct{}

// KeyArgs are the inputs of a Key.
type KeyArgs struct {
	Key                 *string                   `pulumi:"key,optional" provider:"secret" litellm:"-"`
	KeyAlias            *string                   `pulumi:"keyAlias,optional" litellm:"key_alias,omitzero"`
	TeamID              *string                   `pulumi:"teamId,optional" litellm:"team_id,omitzero"`
	UserID              *string                   `pulumi:"userId,optional" litellm:"user_id,omitzero"`
	Models              []string                  `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget           *float64                  `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64                  `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration      *string                   `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	Duration            *string                   `pulumi:"duration,optional" litellm:"duration,omitzero"`
	TpmLimit            *int                      `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int                      `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	MaxParallelRequests *int                      `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	ModelMaxBudget      map[string]KeyModelBudget `pulumi:"modelMaxBudget,optional" litellm:"model_max_budget,omitzero"`
	ModelRpmLimit       map[string]int            `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit       map[string]int            `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	AllowedRoutes       []string                  `pulumi:"allowedRoutes,optional" litellm:"allowed_routes,omitzero"`
	Tags                []string                  `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Guardrails          []string                  `pulumi:"guardrails,optional" litellm:"guardrails,omitzero"`
	Metadata            map[string]any            `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	Rotation            map[string]string         `pulumi:"rotation,optional" litellm:"-"`
}

// KeyModelBudget is one model's budget of a key (LiteLLM's BudgetConfig).
type KeyModelBudget struct {
	BudgetLimit *float64 `pulumi:"budgetLimit,optional" litellm:"budget_limit,omitzero"`
	TimePeriod  *string  `pulumi:"timePeriod,optional" litellm:"time_period,omitzero"`
}

// KeyState is the recorded state of a Key: Key holds the key's value
// (chosen by the program, or generated at create), Token its current hash.
type KeyState struct {
	KeyArgs
	Token string `pulumi:"token" provider:"secret"`
	Writes
}

var (
	_ infer.CustomResource[KeyArgs, KeyState] = (*Key)(nil)
	_ infer.CustomCheck[KeyArgs]              = (*Key)(nil)
	_ infer.CustomDiff[KeyArgs, KeyState]     = (*Key)(nil)
	_ infer.CustomRead[KeyArgs, KeyState]     = (*Key)(nil)
	_ infer.CustomUpdate[KeyArgs, KeyState]   = (*Key)(nil)
	_ infer.CustomDelete[KeyState]            = (*Key)(nil)
	_ infer.Annotated                         = (*Key)(nil)
)

func keyKind() kind {
	return kind{
		token:    "litellm:index:Key",
		resource: infer.Resource(&Key{}),
		check:    typedCheck(Key{}.Check),
		diff:     typedDiff(Key{}.Diff),
		read:     typedRead(Key{}.Read),
		freeForm: []string{"metadata"},
		state:    reflect.TypeFor[KeyState](),
	}
}

// Annotate documents the resource.
func (k *Key) Annotate(a infer.Annotator) {
	a.SetToken("index", "Key")
	if !documenting() {
		return
	}
	a.Describe(k, "A virtual key of a LiteLLM proxy (`POST /key/generate`): what a client sends as its API key, with "+
		"the models, budgets and limits it is allowed. The key's value is chosen by the provider (or by the program "+
		"through `key`) before the create, so an unknown create outcome is settled by reading the key, and it is "+
		"a secret output known only to this stack: LiteLLM never returns it again. The resource ID is the key's "+
		"token, LiteLLM's SHA-256 of the value (the ID the Terraform providers use); after a rotation `token` is the "+
		"current one. Every key carries an ownership mark (`metadata.pulumi`).\n\n"+
		"Change `rotation` (any map, e.g. `{month: \"2026-12\"}`) to give the key a new value in place through "+
		"LiteLLM's regenerate endpoint (an Enterprise feature of LiteLLM): the old value stops working at once.\n\n"+
		"Import with `pulumi import litellm:index:Key <name> <token>` (also `sha256:<token>` or the raw `sk-…` key, "+
		"which is hashed at once and never stored); the value of an imported key is not known, so `key` stays empty "+
		"until a rotation.")
}

// Annotate documents the inputs.
func (k *KeyArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&k.Key, "The key's value (`sk-` and at least 24 more characters). Leave it unset to let the provider "+
		"generate one; as an output it is always the key's value. Changing it gives the key that value in place "+
		"(a rotation).")
	a.Describe(&k.KeyAlias, "A name for the key, unique on the proxy.")
	a.Describe(&k.TeamID, "The team the key belongs to. Removing it replaces the key (LiteLLM cannot take a key out "+
		"of its team).")
	a.Describe(&k.UserID, "The user the key belongs to.")
	a.Describe(&k.Models, "Models the key may call. Empty or unset: those of its team, or all.")
	a.Describe(&k.MaxBudget, "Maximum spend of the key, in USD. Unset: no limit (never sent as 0).")
	a.Describe(&k.SoftBudget, "Spend, in USD, at which the proxy sends budget alerts.")
	a.Describe(&k.BudgetDuration, "How often the key's spend is reset, e.g. `30d`.")
	a.Describe(&k.Duration, "How long the key is valid from its create (or from the update that changes this), e.g. "+
		"`90d`. Removing it makes the key never expire.")
	a.Describe(&k.TpmLimit, "Tokens per minute.")
	a.Describe(&k.RpmLimit, "Requests per minute.")
	a.Describe(&k.MaxParallelRequests, "Maximum concurrent requests.")
	a.Describe(&k.ModelMaxBudget, "Budget per model, e.g. `{\"gpt-4o\": {budgetLimit: 10, timePeriod: \"30d\"}}`.")
	a.Describe(&k.ModelRpmLimit, "Requests per minute per model. Kept by LiteLLM in the key's metadata.")
	a.Describe(&k.ModelTpmLimit, "Tokens per minute per model. Kept by LiteLLM in the key's metadata.")
	a.Describe(&k.AllowedRoutes, "The proxy routes the key may call (`allowed_routes`): paths such as "+
		"`/chat/completions`, or LiteLLM's route groups such as `llm_api_routes` or `info_routes`. Unset: LiteLLM's "+
		"default for the key's role. Removing it clears the restriction.")
	a.Describe(&k.Tags, "Tags for spend tracking (a LiteLLM Enterprise feature: sent only when set).")
	a.Describe(&k.Guardrails, "Guardrails applied to the key's requests (a LiteLLM Enterprise feature: sent only when set).")
	a.Describe(&k.Metadata, "Free-form metadata; values may be any JSON. The key `pulumi` is the provider's ownership "+
		"mark and is rejected here, as are keys LiteLLM keeps here itself (`model_rpm_limit`, `tags`, ...).")
	a.Describe(&k.Rotation, "Any values; changing them rotates the key (a new value through LiteLLM's regenerate "+
		"endpoint), e.g. `{month: \"2026-12\"}` for a monthly rotation.")
}

// Annotate documents a model budget.
func (b *KeyModelBudget) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&b.BudgetLimit, "Maximum spend on the model, in USD.")
	a.Describe(&b.TimePeriod, "How often the model's spend is reset, e.g. `30d`.")
}

// Annotate documents the outputs.
func (k *KeyState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&k.Token, "The key's current token (LiteLLM's SHA-256 of its value), by which LiteLLM addresses it.")
	describeWrites(a, &k.Writes)
}

// ---- the kind's rules ----

// keyArgsType is KeyArgs' type, for its JSON keys and property paths.
var keyArgsType = reflect.TypeFor[KeyArgs]()

// keyReadable: the fields of a key row that are inputs (every other field,
// spend, expiry, budgets' reset times and the like, is the proxy's).
func keyReadable(k string) bool {
	_, ok := fieldsOf(keyArgsType).byKey[k]
	return ok
}

// keyWriteOnly: fields LiteLLM does not return as sent (duration becomes
// `expires`).
func keyWriteOnly(k string) bool { return k == "duration" }

// keyClearable: what /key/update clears: every field with null (it writes
// what it is sent), lists with []; duration with "-1" (never expire). Not
// team_id: an empty or null team fails LiteLLM's team change validation.
func keyClearable(k string) bool { return k != "team_id" && k != "duration" }

// minKeyValue is the shortest key value the program may choose: its SHA-256
// is the resource ID, so it must not be guessable from it.
const minKeyValue = len("sk-") + 24

// newKeyValue is a fresh key value: "sk-" and 32 URL-safe characters from
// 24 random bytes, as LiteLLM's own generated keys look.
func newKeyValue() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "sk-" + base64.RawURLEncoding.EncodeToString(b)
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's key object (jsonmap.go).
func (k KeyArgs) MarshalJSON() ([]byte, error) { return marshalWire(k, nil) }

func (k *KeyArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, k, nil) }

func (b KeyModelBudget) MarshalJSON() ([]byte, error) { return marshalWire(b, nil) }

func (b *KeyModelBudget) UnmarshalJSON(data []byte) error { return unmarshalWire(data, b, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Key) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[KeyArgs], error) {
	in, failures := decodeInputs[KeyArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[KeyArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.Key != nil && (!strings.HasPrefix(*in.Key, "sk-") || len(*in.Key) < minKeyValue) {
		v.fail("key", "must start with sk- and have at least %d characters (its SHA-256 is the resource ID, so a short "+
			"value could be guessed from it); leave it unset to have one generated", minKeyValue)
	}
	for prop, s := range map[string]*string{"keyAlias": in.KeyAlias, "teamId": in.TeamID, "userId": in.UserID} {
		if s != nil && strings.TrimSpace(*s) == "" {
			v.fail(prop, "must not be empty (leave it unset instead)")
		}
	}
	v.nonNegative("maxBudget", in.MaxBudget)
	v.nonNegative("softBudget", in.SoftBudget)
	v.nonNegativeInt("tpmLimit", in.TpmLimit)
	v.nonNegativeInt("rpmLimit", in.RpmLimit)
	v.nonNegativeInt("maxParallelRequests", in.MaxParallelRequests)
	for prop, s := range map[string]*string{"budgetDuration": in.BudgetDuration, "duration": in.Duration} {
		if s != nil {
			v.duration(prop, *s)
		}
	}
	v.modelBudgets("modelMaxBudget", in.ModelMaxBudget)
	v.modelLimits(map[string]map[string]int{"modelRpmLimit": in.ModelRpmLimit, "modelTpmLimit": in.ModelTpmLimit})
	for k := range in.Metadata {
		switch {
		case k == markKey:
			v.fail("metadata", "key %q is reserved for the provider's ownership mark", markKey)
		case metadataServerFilled(k) || isManagedMetadataField(k):
			v.fail("metadata", "key %q is kept by LiteLLM itself; set it through its own property, not metadata", k)
		}
	}
	return infer.CheckResponse[KeyArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: changes are made in place, a new value or rotation by a
// regenerate; only removing teamId replaces the key.
func (Key) Diff(_ context.Context, req infer.DiffRequest[KeyArgs, KeyState]) (infer.DiffResponse, error) {
	olds, news := req.State.KeyArgs, req.Inputs
	d := newDiffer()
	d.merged("", keyArgsType, objectOf(olds), objectOf(news), func(k string) bool { return k != "team_id" })
	if news.Key != nil && *news.Key != deref(olds.Key) {
		d.add("key", p.Update)
	}
	if !maps.Equal(olds.Rotation, news.Rotation) {
		d.add("rotation", p.Update)
	}
	// A replacement that keeps a chosen value keeps the token: delete first.
	return d.response(news.Key != nil && *news.Key == deref(olds.Key)), nil
}

// Create stores the key under a value chosen here (or by the program), so
// that its token, the resource ID, is known before the proxy answers.
func (Key) Create(ctx context.Context, req infer.CreateRequest[KeyArgs]) (infer.CreateResponse[KeyState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[KeyState]{Output: KeyState{KeyArgs: in}}, nil
	}
	e := getEnv(ctx)
	value := deref(in.Key)
	if value == "" {
		value = newKeyValue()
	}
	token := litellm.Token(value)
	out, err := runCreate(ctx, e, keyCreateOp(e, value, in, false))
	return created(token, keyState(value, token, in, stamp(e, out, err)), out, err)
}

// Read refreshes the key (or imports it by token, `sha256:<token>` or raw
// key). The value is never returned by LiteLLM and is kept as recorded.
func (Key) Read(ctx context.Context, req infer.ReadRequest[KeyArgs, KeyState]) (infer.ReadResponse[KeyArgs, KeyState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.KeyArgs, func(a KeyArgs) bool { return len(objectOf(a)) == 0 && a.Key == nil })
	id, token := req.ID, req.State.Token
	if importing {
		id = importedToken(req.ID)
		token = id
	} else if token == "" {
		token = req.ID
	}
	if req.Inputs.Key == nil {
		prior.Key = nil // the value in the state is the output, not a chosen input
	}
	k, found, err := runRead(ctx, e, readOp[litellm.Key]{
		target:    keyTarget(e, token),
		id:        e.identity(),
		matches:   func(k litellm.Key) bool { return keyMatches(k, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[KeyArgs, KeyState]{}, err
	}
	in, err := keyArgsFromServer(k, prior, importing)
	if err != nil {
		return infer.ReadResponse[KeyArgs, KeyState]{}, fmt.Errorf("key: unexpected answer: %w", err)
	}
	if importing {
		reportImport(ctx, e, "key", []string{"key (LiteLLM never returns a key's value)"}, asObject(k["metadata"]))
	}
	state := keyState(deref(req.State.Key), token, in, req.State.Writes)
	return infer.ReadResponse[KeyArgs, KeyState]{ID: id, Inputs: in, State: state}, nil
}

// Update rotates the key when its value or `rotation` changed, then writes
// the changed fields in place. A key that is gone (deleted out of band, or
// with its team) is created again, with the same value when it is known.
func (Key) Update(ctx context.Context, req infer.UpdateRequest[KeyArgs, KeyState]) (infer.UpdateResponse[KeyState], error) {
	in, olds := req.Inputs, req.State.KeyArgs
	value, token := deref(req.State.Key), req.State.Token
	if token == "" {
		token = req.ID
	}
	rotate := (in.Key != nil && *in.Key != value) || !maps.Equal(olds.Rotation, in.Rotation)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!rotate && !unconfirmed && sameJSON(objectOf(olds), objectOf(in))) {
		return infer.UpdateResponse[KeyState]{Output: keyState(value, token, in, req.State.Writes)}, nil
	}
	e := getEnv(ctx)
	rotated := false
	if rotate && !unconfirmed {
		next := deref(in.Key)
		if next == "" || next == value {
			next = newKeyValue()
		}
		if err := rotateKey(ctx, e, token, next); err != nil {
			return infer.UpdateResponse[KeyState]{}, err
		}
		value, token, rotated = next, litellm.Token(next), true
	}
	// A key that has to be created again keeps its value; an imported one,
	// whose value is unknown, gets a new one.
	again := value
	if again == "" {
		again = newKeyValue()
	}
	me := e.identity()
	resume := keyCreateOp(e, again, in, true)
	recreated := false
	create := resume.create
	resume.create = func(ctx context.Context) error { recreated = true; return create(ctx) }
	out, err := runUpdate(ctx, e, updateOp[litellm.Key]{
		patch: overwrite(e.client.Keys.Get, e.client.Keys.Update, token, func(current litellm.Key) litellm.Key {
			return keyPatch(current, olds, in, me.mark())
		}),
		resume:      resume,
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	if recreated {
		value, token = again, resume.objectID
	}
	state := keyState(value, token, in, stamp(e, out, err))
	if rotate && !rotated {
		state.Rotation = olds.Rotation // not rotated yet: the next run does it
	}
	if err != nil && rotated && !out.mayExist {
		// The rotation landed: record the new value even though the write after it failed.
		return infer.UpdateResponse[KeyState]{Output: state}, initFailed(err)
	}
	return updated(state, out, err)
}

// Delete removes the key; one that is already gone is fine.
func (Key) Delete(ctx context.Context, req infer.DeleteRequest[KeyState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	token := req.State.Token
	if token == "" {
		token = req.ID
	}
	err := runDelete(ctx, e, deleteOp[litellm.Key]{
		target:    keyTarget(e, token),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Keys.Delete(ctx, token) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// keyTarget: a key, named in messages by its alias or the last characters
// of its token (never the whole token).
func keyTarget(e env, token string) target[litellm.Key] {
	return target[litellm.Key]{
		kind:     "key",
		objectID: token,
		what:     "key …" + token[max(0, len(token)-6):],
		get:      func(ctx context.Context) (litellm.Key, error) { return e.client.Keys.Get(ctx, token) },
		markOf:   func(k litellm.Key) (mark, bool) { return markIn(asObject(k["metadata"])) },
	}
}

func keyCreateOp(e env, value string, in KeyArgs, resume bool) createOp[litellm.Key] {
	me := e.identity().attempting()
	token := litellm.Token(value)
	body := keyBody(in, me.mark())
	return createOp[litellm.Key]{
		target: keyTarget(e, token),
		id:     me,
		create: func(ctx context.Context) error {
			answer, err := e.client.Keys.Generate(ctx, value, body)
			if err != nil {
				return err
			}
			// A proxy that answers a repeated value with the existing key:
			// it is ours only if it carries this attempt's mark.
			if m, marked := markIn(asObject(answer["metadata"])); !me.thisAttempt(m, marked) {
				return &litellm.Error{Kind: litellm.KindConflict, Op: "POST /key/generate", Message: "a key with this value already exists"}
			}
			return nil
		},
		del: func(ctx context.Context) error { return e.client.Keys.Delete(ctx, token) },
		adopt: overwrite(e.client.Keys.Get, e.client.Keys.Update, token, func(current litellm.Key) litellm.Key {
			return keyPatch(current, KeyArgs{}, in, me.mark())
		}),
		matches: func(k litellm.Key) bool { return keyMatches(k, in) },
		resume:  resume,
		conflictHint: "a key with this value exists and is not this resource's: import it (pulumi import " +
			"litellm:index:Key <name> <token>) or choose another value",
	}
}

func keyState(value, token string, in KeyArgs, w Writes) KeyState {
	s := KeyState{KeyArgs: in, Writes: w}
	if value != "" {
		s.Key = &value
	}
	s.Token = token
	return s
}

// keyBody is the create body: every configured field and our mark.
func keyBody(in KeyArgs, m mark) litellm.Key { return createBody(objectOf(in), m) }

// keyPatch is the update body (patchBody); a removed duration is "-1",
// LiteLLM's "never expires".
func keyPatch(current litellm.Key, olds, news KeyArgs, m mark) litellm.Key {
	oldObj, newObj := objectOf(olds), objectOf(news)
	body := patchBody(current, oldObj, newObj, keyClearable, m)
	if _, had := oldObj["duration"]; had && newObj["duration"] == nil {
		body["duration"] = "-1"
	} else if sameJSON(oldObj["duration"], newObj["duration"]) {
		delete(body, "duration") // resending it would restart the key's lifetime
	}
	return body
}

// keyFromServer is the key row as the inputs see it.
func keyFromServer(k litellm.Key) object { return liftMetadata(k, keyReadable) }

// keyMatches: the server shows every configured field.
func keyMatches(k litellm.Key, in KeyArgs) bool {
	return shows(keyFromServer(k), objectOf(in), keyWriteOnly)
}

// keyArgsFromServer rebuilds inputs: on refresh the fields the user owns,
// on import every readable field (not the proxy's default user); the value,
// rotation and duration are kept as configured.
func keyArgsFromServer(k litellm.Key, prior KeyArgs, importing bool) (KeyArgs, error) {
	server := keyFromServer(k)
	var obj object
	if importing {
		obj, _ = adoptFields(server, keyWriteOnly)
		obj = withoutEmptyDefaults(obj)
		if obj["user_id"] == "default_user_id" {
			delete(obj, "user_id") // LiteLLM's owner for keys made with the master key
		}
	} else {
		obj = ownedFields(server, objectOf(prior), keyWriteOnly)
	}
	var out KeyArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.Key, out.Rotation = prior.Key, prior.Rotation
	if !importing {
		out.Duration = prior.Duration
	}
	return out, nil
}

// importedToken is the token an import names: a token, `sha256:<token>`
// (the ncecere provider's format), or a raw key, hashed at once.
func importedToken(id string) string {
	switch {
	case strings.HasPrefix(id, "sk-"):
		return litellm.Token(id)
	case strings.HasPrefix(id, "sha256:"):
		return strings.TrimPrefix(id, "sha256:")
	}
	return id
}

// rotateKey gives the key at token the value next through LiteLLM's
// regenerate endpoint. Its outcome may be unknown (a dropped answer): the
// key is then read under its new token, and the regenerate sent again only
// when the old token still holds it.
func rotateKey(ctx context.Context, e env, token, next string) error {
	nextToken := litellm.Token(next)
	uncertain := false
	return consistency.Do(ctx, e.policy, "rotation of key …"+token[max(0, len(token)-6):], func(ctx context.Context) error {
		if uncertain {
			if _, err := e.client.Keys.Get(ctx, nextToken); err == nil {
				return nil // the earlier regenerate landed
			} else if !litellm.IsNotFound(err) {
				return err
			}
		}
		err := e.client.Keys.Regenerate(ctx, token, next)
		if litellm.IsAmbiguous(err) {
			uncertain = true
		}
		return err
	}, e.progress())
}
