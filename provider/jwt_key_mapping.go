package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// JwtKeyMapping is a LiteLLM JWT key mapping (`POST /jwt/key/mapping/new`),
// token litellm:index:JwtKeyMapping.
type JwtKeyMapping struct{}

// JwtKeyMappingArgs are the inputs of a JwtKeyMapping.
type JwtKeyMappingArgs struct {
	JwtClaimName  string  `pulumi:"jwtClaimName" litellm:"jwt_claim_name"`
	JwtClaimValue string  `pulumi:"jwtClaimValue" litellm:"jwt_claim_value"`
	JwtIssuer     *string `pulumi:"jwtIssuer,optional" litellm:"jwt_issuer,omitzero"`
	Token         *string `pulumi:"token,optional" litellm:"token,omitzero"`
	Key           *string `pulumi:"key,optional" litellm:"-" provider:"secret"`
	Description   *string `pulumi:"description,optional" litellm:"description,omitzero"`
	IsActive      *bool   `pulumi:"isActive,optional" litellm:"is_active,omitzero"`
	AdoptExisting *bool   `pulumi:"adoptExisting,optional" litellm:"-"`
}

// JwtKeyMappingState is the recorded state of a JwtKeyMapping.
type JwtKeyMappingState struct {
	JwtKeyMappingArgs
	Writes
	MappingID string  `pulumi:"mappingId"`
	CreatedAt *string `pulumi:"createdAt,optional"`
	UpdatedAt *string `pulumi:"updatedAt,optional"`
}

var (
	_ infer.CustomResource[JwtKeyMappingArgs, JwtKeyMappingState] = (*JwtKeyMapping)(nil)
	_ infer.CustomCheck[JwtKeyMappingArgs]                        = (*JwtKeyMapping)(nil)
	_ infer.CustomDiff[JwtKeyMappingArgs, JwtKeyMappingState]     = (*JwtKeyMapping)(nil)
	_ infer.CustomRead[JwtKeyMappingArgs, JwtKeyMappingState]     = (*JwtKeyMapping)(nil)
	_ infer.CustomUpdate[JwtKeyMappingArgs, JwtKeyMappingState]   = (*JwtKeyMapping)(nil)
	_ infer.CustomDelete[JwtKeyMappingState]                      = (*JwtKeyMapping)(nil)
	_ infer.Annotated                                             = (*JwtKeyMapping)(nil)
)

func jwtKeyMappingKind() kind {
	return kind{
		token:    "litellm:index:JwtKeyMapping",
		resource: infer.Resource(&JwtKeyMapping{}),
		check:    typedCheck(JwtKeyMapping{}.Check),
		diff:     typedDiff(JwtKeyMapping{}.Diff),
		read:     typedRead(JwtKeyMapping{}.Read),
		state:    reflect.TypeFor[JwtKeyMappingState](),
	}
}

// Annotate documents the resource.
func (m *JwtKeyMapping) Annotate(a infer.Annotator) {
	a.SetToken("index", "JwtKeyMapping")
	if !documenting() {
		return
	}
	a.Describe(m, "A JWT key mapping on a LiteLLM proxy (`POST /jwt/key/mapping/new`): a caller whose JWT carries "+
		"the claim `jwtClaimName` = `jwtClaimValue` (from `jwtIssuer`, or any issuer) is authenticated as a virtual "+
		"key. The key is named by its `token` (the SHA-256 hash, a Key resource's `token` output) or by the key "+
		"itself (`key`, hashed by the provider: only the hash is sent). The proxy chooses the mapping's ID "+
		"(`mappingId`); the triple (issuer, claim name, claim value) is unique on the proxy.\n\n"+
		"A mapping has no metadata and the proxy never shows which key it maps to. An existing mapping of this "+
		"claim that shows this program's description is taken as an earlier create of this resource (and is then "+
		"written over with this program's key and settings); any other is someone else's and is never taken over "+
		"without `adoptExisting`. Since the key is never read back, a refresh cannot see it changed outside Pulumi.\n\n"+
		"A new claim name or value replaces the mapping; everything else (the key, the issuer, the description, "+
		"`isActive`) is changed in place. A create always makes an active mapping; `isActive: false` is written by "+
		"an update right after it. Deleting the key on the proxy deletes its mappings.\n\n"+
		"Import with `pulumi import litellm:index:JwtKeyMapping <name> <mapping id>` (then add `token` or `key`).")
}

// Annotate documents the inputs.
func (m *JwtKeyMappingArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.JwtClaimName, "The JWT claim to match, e.g. `sub` or `email`. Changing it replaces the mapping.")
	a.Describe(&m.JwtClaimValue, "The claim's value that maps to the key. Changing it replaces the mapping. The "+
		"proxy returns it in plaintext; make it a secret in the program if it is one.")
	a.Describe(&m.JwtIssuer, "Only JWTs from this issuer (one of the proxy's configured issuers). Unset: any issuer.")
	a.Describe(&m.Token, "The key's token: the SHA-256 hash of the key (64 lowercase hex characters), a Key "+
		"resource's `token` output. Set exactly one of `token` and `key` (an imported mapping may set neither: its "+
		"key is then left as it is).")
	a.Describe(&m.Key, "The key itself (`sk-…`), as a secret. The provider sends only its SHA-256 hash. Set "+
		"exactly one of `token` and `key`.")
	a.Describe(&m.Description, "A description of the mapping.")
	a.Describe(&m.IsActive, "Whether the mapping authenticates callers. Default true.")
	a.Describe(&m.AdoptExisting, "If a mapping of this claim already exists and was not created by this resource, "+
		"take it over (and write this program's key and settings over it) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (m *JwtKeyMappingState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &m.Writes)
	a.Describe(&m.MappingID, "The ID the proxy chose for the mapping.")
	a.Describe(&m.CreatedAt, "When the mapping was created, as the proxy reported it at the last refresh or import.")
	a.Describe(&m.UpdatedAt, "When the mapping was last changed, as the proxy reported it at the last refresh or import.")
}

// ---- the kind's rules ----

var jwtKeyMappingArgsType = reflect.TypeFor[JwtKeyMappingArgs]()

// jwtKeyMappingWriteOnly: the token is never returned by the proxy.
func jwtKeyMappingWriteOnly(k string) bool { return k == "token" }

func (m JwtKeyMappingArgs) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *JwtKeyMappingArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (JwtKeyMapping) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[JwtKeyMappingArgs], error) {
	in, failures := decodeInputs[JwtKeyMappingArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[JwtKeyMappingArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("jwtClaimName", in.JwtClaimName)
	v.require("jwtClaimValue", in.JwtClaimValue)
	if in.JwtIssuer != nil && strings.TrimSpace(*in.JwtIssuer) == "" {
		v.fail("jwtIssuer", "must not be empty: leave it unset to match every issuer")
	}
	keyUnknown, tokenUnknown := unknown(req.NewInputs, "key"), unknown(req.NewInputs, "token")
	switch {
	case keyUnknown || tokenUnknown:
	case in.Key != nil && in.Token != nil:
		v.fail("token", "set exactly one of token (the key's SHA-256 hash, a Key resource's token output) and key (the key itself)")
	case in.Key == nil && in.Token == nil && req.OldInputs.Len() == 0:
		// Neither is allowed only for a mapping that exists (an import, whose
		// key the proxy never shows: the key is then left as it is).
		v.fail("token", "set token (the key's SHA-256 hash, a Key resource's token output) or key (the key itself)")
	case in.Token != nil && !litellm.IsToken(*in.Token):
		shown := fmt.Sprintf("%q", *in.Token)
		if strings.HasPrefix(*in.Token, "sk-") || len(*in.Token) > 80 {
			shown = "a value that is not a token" // never echo what may be a key
		}
		v.fail("token", "must be a key's token (64 lowercase hex characters, the SHA-256 of the key: a Key resource's "+
			"`token` output); to give the key itself, set key instead; got %s", shown)
	case in.Key != nil && strings.TrimSpace(*in.Key) == "":
		v.fail("key", "must not be empty")
	}
	return infer.CheckResponse[JwtKeyMappingArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: a new claim name or value replaces the mapping (the update cannot
// change them); the rest is updated in place.
func (JwtKeyMapping) Diff(_ context.Context, req infer.DiffRequest[JwtKeyMappingArgs, JwtKeyMappingState]) (infer.DiffResponse, error) {
	olds, news := req.State.JwtKeyMappingArgs, req.Inputs
	d := newDiffer()
	oldObj, newObj := jwtKeyMappingObject(olds), jwtKeyMappingObject(news)
	for _, k := range []string{"jwt_claim_name", "jwt_claim_value"} {
		if !sameJSON(oldObj[k], newObj[k]) {
			d.add(propPath(jwtKeyMappingArgsType, k), p.UpdateReplace)
		}
		delete(oldObj, k)
		delete(newObj, k)
	}
	d.merged("", jwtKeyMappingArgsType, oldObj, newObj, func(string) bool { return true })
	if deref(olds.Key) != deref(news.Key) && d.diff["token"].Kind == p.Update {
		delete(d.diff, "token")
		d.add("key", p.Update) // the token changes because the key does
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create sends the create (the proxy chooses the ID), then writes
// isActive: false when asked (a create is always active).
func (JwtKeyMapping) Create(ctx context.Context, req infer.CreateRequest[JwtKeyMappingArgs]) (infer.CreateResponse[JwtKeyMappingState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[JwtKeyMappingState]{Output: JwtKeyMappingState{JwtKeyMappingArgs: in}}, nil
	}
	if effectiveToken(in) == "" {
		return infer.CreateResponse[JwtKeyMappingState]{}, fmt.Errorf("a JWT key mapping needs its key: set token or key")
	}
	e := getEnv(ctx)
	adopted := false
	op := jwtKeyMappingCreateOp(e, in)
	op.adopted = &adopted
	id, out, err := runCreateGenerated(ctx, e, op)
	if err == nil && !adopted && !deref2(in.IsActive, true) {
		err = consistency.Do(ctx, e.policy, "deactivation of "+op.what, func(ctx context.Context) error {
			return e.client.JwtKeyMappings.Update(ctx, id, litellm.JwtKeyMapping{"is_active": false})
		}, e.progress())
	}
	return created(id, jwtKeyMappingState(id, in, stamp(e, out, err), nil), out, err)
}

// Read refreshes the mapping (or imports it). Mapping reads come from the
// database; the key is never shown, so it is kept as configured.
func (JwtKeyMapping) Read(ctx context.Context, req infer.ReadRequest[JwtKeyMappingArgs, JwtKeyMappingState]) (infer.ReadResponse[JwtKeyMappingArgs, JwtKeyMappingState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.JwtKeyMappingArgs, func(a JwtKeyMappingArgs) bool { return a.JwtClaimName == "" })
	id := generatedObjectID(req.ID, req.State.MappingID)
	m, found, err := runRead(ctx, e, readOp[litellm.JwtKeyMapping]{
		target:    jwtKeyMappingTarget(e, id),
		id:        e.identity(),
		matches:   func(m litellm.JwtKeyMapping) bool { return jwtKeyMappingMatches(m, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[JwtKeyMappingArgs, JwtKeyMappingState]{}, err
	}
	in, err := jwtKeyMappingArgsFromServer(m, prior, importing)
	if err != nil {
		return infer.ReadResponse[JwtKeyMappingArgs, JwtKeyMappingState]{}, fmt.Errorf("JWT key mapping %s: unexpected answer: %w", id, err)
	}
	if importing {
		e.warnf(ctx, "JWT key mapping %s: the proxy never returns the key a mapping points to, so it was not imported: "+
			"add token (the key's SHA-256 hash) or key to the program, or leave both out to keep the key as it is", id)
	}
	return infer.ReadResponse[JwtKeyMappingArgs, JwtKeyMappingState]{ID: id, Inputs: in,
		State: jwtKeyMappingState(id, in, req.State.Writes, m)}, nil
}

// Update writes the changed fields in place (creating the mapping again,
// under a new ID, if it is gone).
func (JwtKeyMapping) Update(ctx context.Context, req infer.UpdateRequest[JwtKeyMappingArgs, JwtKeyMappingState]) (infer.UpdateResponse[JwtKeyMappingState], error) {
	in := req.Inputs
	id := generatedObjectID(req.ID, req.State.MappingID)
	state := jwtKeyMappingState(id, in, req.State.Writes, nil)
	state.CreatedAt, state.UpdatedAt = req.State.CreatedAt, req.State.UpdatedAt
	pending := deref(req.State.CreatePending)
	if req.DryRun || (!pending && sameJSON(jwtKeyMappingObject(req.State.JwtKeyMappingArgs), jwtKeyMappingObject(in))) {
		return infer.UpdateResponse[JwtKeyMappingState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	newID, out, err := runUpdateGenerated(ctx, e, generatedUpdate[litellm.JwtKeyMapping]{
		objectID:  id,
		writtenAt: req.State.writtenAt(),
		patch: func(ctx context.Context) error {
			return e.client.JwtKeyMappings.Update(ctx, id, jwtKeyMappingPatch(req.State.JwtKeyMappingArgs, in))
		},
		recreate: jwtKeyMappingCreateOp(e, in),
	})
	if newID != "" && newID != id {
		state = jwtKeyMappingState(newID, in, state.Writes, nil)
		if err == nil && !deref2(in.IsActive, true) {
			err = e.client.JwtKeyMappings.Update(ctx, newID, litellm.JwtKeyMapping{"is_active": false})
			out.mayExist = true
		}
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the mapping; one that is already gone (deleted, or taken
// with its key) is fine.
func (JwtKeyMapping) Delete(ctx context.Context, req infer.DeleteRequest[JwtKeyMappingState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := generatedObjectID(req.ID, req.State.MappingID)
	err := runDelete(ctx, e, deleteOp[litellm.JwtKeyMapping]{
		target:    jwtKeyMappingTarget(e, id),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.JwtKeyMappings.Delete(ctx, id) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func deref2[T any](v *T, def T) T {
	if v == nil {
		return def
	}
	return *v
}

// jwtKeyMappingTarget: a mapping carries no mark.
func jwtKeyMappingTarget(e env, id string) target[litellm.JwtKeyMapping] {
	return target[litellm.JwtKeyMapping]{
		kind:     "jwtKeyMapping",
		objectID: id,
		what:     "JWT key mapping " + id,
		get:      func(ctx context.Context) (litellm.JwtKeyMapping, error) { return e.client.JwtKeyMappings.Get(ctx, id) },
		markOf:   func(litellm.JwtKeyMapping) (mark, bool) { return mark{}, false },
	}
}

// sameClaim: the mapping is for the claim triple of in (an unset issuer is
// every issuer, answered as null).
func sameClaim(m litellm.JwtKeyMapping, in JwtKeyMappingArgs) bool {
	issuer, _ := m["jwt_issuer"].(string)
	return m["jwt_claim_name"] == in.JwtClaimName && m["jwt_claim_value"] == in.JwtClaimValue && issuer == deref(in.JwtIssuer)
}

// jwtKeyMappingCreateOp: the mapping is found by its claim triple; one that
// shows this program's description is this resource's earlier create. A
// mapping found is always written over (adopt): its key cannot be read.
func jwtKeyMappingCreateOp(e env, in JwtKeyMappingArgs) generatedOp[litellm.JwtKeyMapping] {
	body := jwtKeyMappingBody(in)
	claimed := func(m litellm.JwtKeyMapping) bool { return sameClaim(m, in) }
	issuer := "any issuer"
	if in.JwtIssuer != nil {
		issuer = "issuer " + *in.JwtIssuer
	}
	return generatedOp[litellm.JwtKeyMapping]{
		kind:   "jwtKeyMapping",
		what:   fmt.Sprintf("JWT key mapping of claim %s=%q (%s)", in.JwtClaimName, in.JwtClaimValue, issuer),
		create: func(ctx context.Context) (string, error) { return e.client.JwtKeyMappings.Create(ctx, body) },
		find: func(ctx context.Context) ([]litellm.JwtKeyMapping, error) {
			rows, err := e.client.JwtKeyMappings.List(ctx)
			return keepRows(rows, claimed), err
		},
		idOf: func(m litellm.JwtKeyMapping) string { return fmt.Sprint(m["id"]) },
		ours: func(m litellm.JwtKeyMapping) bool {
			return claimed(m) && deref(in.Description) == fmt.Sprint(orEmpty(m["description"]))
		},
		taken:             claimed,
		findAuthoritative: true,
		adopt: func(ctx context.Context, m litellm.JwtKeyMapping) error {
			return e.client.JwtKeyMappings.Update(ctx, fmt.Sprint(m["id"]), jwtKeyMappingPatch(JwtKeyMappingArgs{}, in))
		},
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: "import it (pulumi import litellm:index:JwtKeyMapping <name> <its id>), or set adoptExisting: true " +
			"to map the claim to this program's key",
	}
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func jwtKeyMappingState(id string, in JwtKeyMappingArgs, w Writes, server litellm.JwtKeyMapping) JwtKeyMappingState {
	s := JwtKeyMappingState{JwtKeyMappingArgs: in, Writes: w, MappingID: id}
	if at, ok := server["created_at"].(string); ok && at != "" {
		s.CreatedAt = &at
	}
	if at, ok := server["updated_at"].(string); ok && at != "" {
		s.UpdatedAt = &at
	}
	return s
}

// effectiveToken is the token the mapping points to: token, or the hash of key.
func effectiveToken(in JwtKeyMappingArgs) string {
	if in.Key != nil {
		return litellm.Token(*in.Key)
	}
	return deref(in.Token)
}

// jwtKeyMappingObject is the mapping as configured, in LiteLLM's JSON: the
// token (given, or the key's hash) and is_active with its default.
func jwtKeyMappingObject(in JwtKeyMappingArgs) object {
	obj := objectOf(in)
	if t := effectiveToken(in); t != "" {
		obj["token"] = t
	}
	obj["is_active"] = deref2(in.IsActive, true)
	if s, ok := obj["description"].(string); ok && s == "" {
		delete(obj, "description")
	}
	return obj
}

// jwtKeyMappingBody is the create body: the claim, the token (never the
// key) and the description. A create is always active.
func jwtKeyMappingBody(in JwtKeyMappingArgs) litellm.JwtKeyMapping {
	body := litellm.JwtKeyMapping(jwtKeyMappingObject(in))
	delete(body, "is_active")
	return body
}

// jwtKeyMappingPatch is the update body: the token, the issuer, the
// description ("" clears it: LiteLLM's database client drops a null) and
// is_active. The claim name and value cannot be updated.
func jwtKeyMappingPatch(olds, news JwtKeyMappingArgs) litellm.JwtKeyMapping {
	body := litellm.JwtKeyMapping(jwtKeyMappingObject(news))
	delete(body, "jwt_claim_name")
	delete(body, "jwt_claim_value")
	oldObj := jwtKeyMappingObject(olds)
	if _, had := oldObj["description"]; had || olds.JwtClaimName == "" {
		if _, has := body["description"]; !has {
			body["description"] = ""
		}
	}
	if _, has := body["jwt_issuer"]; !has {
		body["jwt_issuer"] = nil // every issuer (stored as "")
	}
	return body
}

// jwtKeyMappingFromServer is the mapping as the inputs see it: the claim,
// the issuer (null: every issuer), a non-empty description and is_active.
func jwtKeyMappingFromServer(m litellm.JwtKeyMapping) object {
	obj := object{}
	for _, k := range []string{"jwt_claim_name", "jwt_claim_value", "jwt_issuer", "description", "is_active"} {
		if v, ok := m[k]; ok && v != nil && v != "" {
			obj[k] = v
		}
	}
	return obj
}

// jwtKeyMappingMatches: the server shows every configured field it shows at all.
func jwtKeyMappingMatches(m litellm.JwtKeyMapping, in JwtKeyMappingArgs) bool {
	want := jwtKeyMappingObject(in)
	server := jwtKeyMappingFromServer(m)
	if _, ok := want["description"]; !ok && server["description"] != nil {
		return false
	}
	return shows(server, want, jwtKeyMappingWriteOnly)
}

// jwtKeyMappingArgsFromServer rebuilds inputs: on refresh the fields the
// user owns (the key or token kept as configured), on import every readable
// field (no key: the proxy never shows it).
func jwtKeyMappingArgsFromServer(m litellm.JwtKeyMapping, prior JwtKeyMappingArgs, importing bool) (JwtKeyMappingArgs, error) {
	server := jwtKeyMappingFromServer(m)
	var obj object
	if importing {
		obj, _ = adoptFields(server, nil)
		if obj["is_active"] == true {
			delete(obj, "is_active") // the default
		}
	} else {
		priorObj := objectOf(prior)
		obj = ownedFields(server, priorObj, jwtKeyMappingWriteOnly)
		for _, k := range []string{"jwt_claim_name", "jwt_claim_value"} {
			obj[k] = server[k]
		}
		if _, set := priorObj["description"]; !set && server["description"] != nil {
			obj["description"] = server["description"] // a description added outside Pulumi is drift
		} else if set && server["description"] == nil {
			delete(obj, "description")
		}
		if _, set := priorObj["jwt_issuer"]; set && server["jwt_issuer"] == nil {
			delete(obj, "jwt_issuer")
		} else if !set && server["jwt_issuer"] != nil {
			obj["jwt_issuer"] = server["jwt_issuer"]
		}
		if server["is_active"] == false || prior.IsActive != nil {
			obj["is_active"] = server["is_active"]
		}
	}
	var out JwtKeyMappingArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.Key, out.AdoptExisting = prior.Key, prior.AdoptExisting
	if out.Key != nil {
		out.Token = nil
	}
	return out, nil
}
