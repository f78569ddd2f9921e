package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Guardrail is a guardrail stored in the proxy's database (`POST
// /guardrails`), token litellm:index:Guardrail.
type Guardrail struct{}

// GuardrailArgs are the inputs of a Guardrail.
type GuardrailArgs struct {
	GuardrailName string          `pulumi:"guardrailName" litellm:"guardrail_name,omitzero"`
	LitellmParams GuardrailParams `pulumi:"litellmParams" litellm:"litellm_params"`
	GuardrailInfo map[string]any  `pulumi:"guardrailInfo,optional" litellm:"guardrail_info,omitzero"`
	AdoptExisting *bool           `pulumi:"adoptExisting,optional" litellm:"-"`
}

// GuardrailParams are the guardrail's `litellm_params`: the integration, when
// it runs, and its own parameters.
type GuardrailParams struct {
	Guardrail string         `pulumi:"guardrail" litellm:"guardrail"`
	Mode      string         `pulumi:"mode" litellm:"mode,omitzero"`
	DefaultOn *bool          `pulumi:"defaultOn,optional" litellm:"default_on,omitzero"`
	APIKey    *string        `pulumi:"apiKey,optional" provider:"secret" litellm:"api_key,omitzero"`
	APIBase   *string        `pulumi:"apiBase,optional" litellm:"api_base,omitzero"`
	Extra     map[string]any `pulumi:"extra,optional" litellm:"-"`
}

// GuardrailState is the recorded state of a Guardrail.
type GuardrailState struct {
	GuardrailArgs
	Writes
	// GuardrailID is the ID the proxy chose. It moves ahead of the resource
	// ID when an update recreated a guardrail deleted out of band.
	GuardrailID string `pulumi:"guardrailId"`
}

var (
	_ infer.CustomResource[GuardrailArgs, GuardrailState] = (*Guardrail)(nil)
	_ infer.CustomCheck[GuardrailArgs]                    = (*Guardrail)(nil)
	_ infer.CustomDiff[GuardrailArgs, GuardrailState]     = (*Guardrail)(nil)
	_ infer.CustomRead[GuardrailArgs, GuardrailState]     = (*Guardrail)(nil)
	_ infer.CustomUpdate[GuardrailArgs, GuardrailState]   = (*Guardrail)(nil)
	_ infer.CustomDelete[GuardrailState]                  = (*Guardrail)(nil)
	_ infer.Annotated                                     = (*Guardrail)(nil)
)

func guardrailKind() kind {
	return kind{
		token:    "litellm:index:Guardrail",
		resource: infer.Resource(&Guardrail{}),
		check:    typedCheck(Guardrail{}.Check),
		diff:     typedDiff(Guardrail{}.Diff),
		read:     typedRead(Guardrail{}.Read),
		freeForm: []string{"litellmParams.extra", "guardrailInfo"},
		state:    reflect.TypeFor[GuardrailState](),
	}
}

// Annotate documents the resource.
func (g *Guardrail) Annotate(a infer.Annotator) {
	a.SetToken("index", "Guardrail")
	if !documenting() {
		return
	}
	a.Describe(g, "A guardrail stored in a LiteLLM proxy's database (`POST /guardrails`): an integration (Bedrock, "+
		"Presidio, Lakera, Aporia, a custom API, ...) that checks requests or responses, per key, team or by default. "+
		"LiteLLM chooses the guardrail's ID (a create ignores one sent) and keeps `guardrailName` unique: a create whose "+
		"answer was lost is found again by its name and its ownership mark (`guardrailInfo.pulumi`), and a guardrail "+
		"someone else made under the name is never taken over without `adoptExisting`.\n\n"+
		"Every change is made in place (`PUT /guardrails/{id}` replaces the whole guardrail, so every update sends it "+
		"whole). A guardrail deleted out of band is created again by the next update, under a new ID (output "+
		"`guardrailId`).\n\n"+
		"The proxy masks secret parameters on read (`sk****yz`): they are neither compared nor imported.\n\n"+
		"Import with `pulumi import litellm:index:Guardrail <name> <guardrail id>`.")
}

// Annotate documents the inputs.
func (g *GuardrailArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&g.GuardrailName, "The guardrail's name, unique on the proxy: what keys, teams and requests name in "+
		"`guardrails`.")
	a.Describe(&g.LitellmParams, "The integration and its parameters (`litellm_params`).")
	a.Describe(&g.GuardrailInfo, "Free-form information, e.g. `{description: ...}`. The key `pulumi` is the "+
		"provider's ownership mark and is rejected here.")
	a.Describe(&g.AdoptExisting, "If a guardrail with this name already exists and was not created by this resource, "+
		"take it over (and overwrite it) instead of failing. Default false.")
}

// Annotate documents litellm_params.
func (g *GuardrailParams) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&g.Guardrail, "The integration, e.g. `bedrock`, `presidio`, `lakera_v2`, `aporia`, `generic_guardrail_api`.")
	a.Describe(&g.Mode, "When it runs (required): `pre_call`, `post_call`, `during_call`, `logging_only`, `pre_mcp_call`, "+
		"`during_mcp_call`, `post_mcp_call` or `realtime_input_transcription`.")
	a.Describe(&g.DefaultOn, "Whether it runs on every request without being asked for (LiteLLM's default: false).")
	a.Describe(&g.APIKey, "API key of the guardrail service (secret; the proxy returns it masked).")
	a.Describe(&g.APIBase, "Base URL of the guardrail service.")
	a.Describe(&g.Extra, "Any other parameter of the integration with its JSON value (e.g. `guardrailIdentifier`, "+
		"`guardrailVersion` for Bedrock). Values under keys that look secret are kept as Pulumi secrets.")
}

// Annotate documents the outputs.
func (g *GuardrailState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &g.Writes)
	a.Describe(&g.GuardrailID, "The guardrail's ID, chosen by the proxy.")
}

// ---- the kind's rules ----

var (
	guardrailArgsType      = reflect.TypeFor[GuardrailArgs]()
	guardrailParamsType    = reflect.TypeFor[GuardrailParams]()
	guardrailParamsSecrets = secretKeys(guardrailParamsType)
	guardrailModes         = []string{"pre_call", "post_call", "during_call", "logging_only", "pre_mcp_call", "during_mcp_call",
		"post_mcp_call", "realtime_input_transcription"}
)

// guardrailServerFilled: keys of a guardrail answer that the proxy fills in.
func guardrailServerFilled(k string) bool {
	switch k {
	case "guardrail_id", "created_at", "updated_at", "guardrail_definition_location", "team_id", "status":
		return true
	}
	return false
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's guardrail object (jsonmap.go).
func (g GuardrailArgs) MarshalJSON() ([]byte, error) { return marshalWire(g, nil) }

func (g *GuardrailArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, g, nil) }

func (g GuardrailParams) MarshalJSON() ([]byte, error) { return marshalWire(g, g.Extra) }

func (g *GuardrailParams) UnmarshalJSON(b []byte) error { return unmarshalWire(b, g, &g.Extra) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Guardrail) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[GuardrailArgs], error) {
	in, failures := decodeInputs[GuardrailArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[GuardrailArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("guardrailName", in.GuardrailName)
	v.require("litellmParams.guardrail", in.LitellmParams.Guardrail)
	v.require("litellmParams.mode", in.LitellmParams.Mode)
	if in.LitellmParams.Mode != "" {
		v.oneOf("litellmParams.mode", &in.LitellmParams.Mode, guardrailModes)
	}
	if in.LitellmParams.APIBase != nil {
		v.httpURL("litellmParams.apiBase", *in.LitellmParams.APIBase, true)
	}
	v.extraKeys("litellmParams.extra", in.LitellmParams.Extra, guardrailParamsType, nil)
	if _, ok := in.GuardrailInfo[markKey]; ok {
		v.fail("guardrailInfo", "key %q is reserved for the provider's ownership mark", markKey)
	}
	return infer.CheckResponse[GuardrailArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: every change is made in place (the update replaces the whole
// guardrail, so a removed key is simply not sent).
func (Guardrail) Diff(_ context.Context, req infer.DiffRequest[GuardrailArgs, GuardrailState]) (infer.DiffResponse, error) {
	olds, news := req.State.GuardrailArgs, req.Inputs
	d := newDiffer()
	oldObj, newObj := guardrailObject(olds), guardrailObject(news)
	oldParams, newParams := asObject(oldObj["litellm_params"]), asObject(newObj["litellm_params"])
	delete(oldObj, "litellm_params")
	delete(newObj, "litellm_params")
	d.merged("", guardrailArgsType, oldObj, newObj, func(string) bool { return true })
	d.merged("litellmParams", guardrailParamsType, oldParams, newParams, func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create sends the create; the proxy chooses the ID (runCreateGenerated).
func (Guardrail) Create(ctx context.Context, req infer.CreateRequest[GuardrailArgs]) (infer.CreateResponse[GuardrailState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[GuardrailState]{Output: GuardrailState{GuardrailArgs: in}}, nil
	}
	e := getEnv(ctx)
	id, out, err := runCreateGenerated(ctx, e, guardrailCreateOp(e, in))
	return created(id, guardrailState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the guardrail (or imports it). Guardrail reads come from
// the database.
func (Guardrail) Read(ctx context.Context, req infer.ReadRequest[GuardrailArgs, GuardrailState]) (infer.ReadResponse[GuardrailArgs, GuardrailState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.GuardrailArgs, func(a GuardrailArgs) bool { return a.GuardrailName == "" })
	id := generatedObjectID(req.ID, req.State.GuardrailID)
	g, found, err := runRead(ctx, e, readOp[litellm.Guardrail]{
		target:    guardrailTarget(e, id),
		id:        e.identity(),
		matches:   func(g litellm.Guardrail) bool { return guardrailMatches(g, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[GuardrailArgs, GuardrailState]{}, err
	}
	in, left, err := guardrailArgsFromServer(g, prior, importing)
	if err != nil {
		return infer.ReadResponse[GuardrailArgs, GuardrailState]{}, fmt.Errorf("guardrail %s: unexpected answer: %w", id, err)
	}
	if importing {
		reportImport(ctx, e, "guardrail "+id, left, asObject(g["guardrail_info"]))
	}
	return infer.ReadResponse[GuardrailArgs, GuardrailState]{ID: id, Inputs: in, State: guardrailState(id, in, req.State.Writes)}, nil
}

// Update writes the whole guardrail (creating it again, under a new ID, if
// it is gone).
func (Guardrail) Update(ctx context.Context, req infer.UpdateRequest[GuardrailArgs, GuardrailState]) (infer.UpdateResponse[GuardrailState], error) {
	in := req.Inputs
	id := generatedObjectID(req.ID, req.State.GuardrailID)
	state := guardrailState(id, in, req.State.Writes)
	if req.DryRun || sameJSON(guardrailObject(req.State.GuardrailArgs), guardrailObject(in)) {
		return infer.UpdateResponse[GuardrailState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	newID, out, err := runUpdateGenerated(ctx, e, generatedUpdate[litellm.Guardrail]{
		objectID:  id,
		writtenAt: req.State.writtenAt(),
		patch: func(ctx context.Context) error {
			return e.client.Guardrails.Update(ctx, id, guardrailBody(in, me.mark()), guardrailSecrets(in))
		},
		recreate: guardrailCreateOp(e, in),
	})
	if newID != "" && newID != id {
		state = guardrailState(newID, in, state.Writes)
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the guardrail; one that is already gone is fine.
func (Guardrail) Delete(ctx context.Context, req infer.DeleteRequest[GuardrailState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := generatedObjectID(req.ID, req.State.GuardrailID)
	err := runDelete(ctx, e, deleteOp[litellm.Guardrail]{
		target:    guardrailTarget(e, id),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Guardrails.Delete(ctx, id) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func guardrailTarget(e env, id string) target[litellm.Guardrail] {
	return target[litellm.Guardrail]{
		kind:     "guardrail",
		objectID: id,
		what:     "guardrail " + id,
		get:      func(ctx context.Context) (litellm.Guardrail, error) { return e.client.Guardrails.Get(ctx, id) },
		markOf:   func(g litellm.Guardrail) (mark, bool) { return markIn(asObject(g["guardrail_info"])) },
	}
}

// guardrailCreateOp: the guardrail is found by its unique name; one marked
// as this resource's is an earlier create of it, any other holder of the
// name is someone else's. The listing is the database's.
func guardrailCreateOp(e env, in GuardrailArgs) generatedOp[litellm.Guardrail] {
	me := e.identity().attempting()
	body := guardrailBody(in, me.mark())
	secrets := guardrailSecrets(in)
	named := func(g litellm.Guardrail) bool { return g["guardrail_name"] == in.GuardrailName }
	ours := func(g litellm.Guardrail) bool {
		m, ok := markIn(asObject(g["guardrail_info"]))
		return named(g) && me.created(m, ok)
	}
	return generatedOp[litellm.Guardrail]{
		kind:   "guardrail",
		what:   fmt.Sprintf("guardrail %q", in.GuardrailName),
		create: func(ctx context.Context) (string, error) { return e.client.Guardrails.Create(ctx, body, secrets) },
		find: func(ctx context.Context) ([]litellm.Guardrail, error) {
			rows, err := e.client.Guardrails.List(ctx)
			return keepRows(rows, named), err
		},
		idOf:              func(g litellm.Guardrail) string { return fmt.Sprint(g["guardrail_id"]) },
		ours:              ours,
		taken:             func(g litellm.Guardrail) bool { return named(g) && !ours(g) },
		findAuthoritative: true,
		adopt: func(ctx context.Context, g litellm.Guardrail) error {
			return e.client.Guardrails.Update(ctx, fmt.Sprint(g["guardrail_id"]), body, secrets)
		},
		matches:       func(g litellm.Guardrail) bool { return guardrailMatches(g, in) && ours(g) },
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Guardrail <name> <its id>), choose another "+
			"guardrailName, or set adoptExisting: true (the name is %q)", in.GuardrailName),
	}
}

func guardrailState(id string, in GuardrailArgs, w Writes) GuardrailState {
	return GuardrailState{GuardrailArgs: in, Writes: w, GuardrailID: id}
}

// guardrailObject is the guardrail as configured, in LiteLLM's JSON.
func guardrailObject(in GuardrailArgs) object { return objectOf(in) }

// guardrailBody is the create and update body: the whole guardrail, our
// mark in guardrail_info.
func guardrailBody(in GuardrailArgs, m mark) litellm.Guardrail {
	body := guardrailObject(in)
	info := asObject(body["guardrail_info"])
	info[markKey] = m.object()
	body["guardrail_info"] = info
	return body
}

// guardrailSecrets are the request's secret values, kept out of errors: the
// API key and every string under a key that looks secret.
func guardrailSecrets(in GuardrailArgs) []string {
	var out []string
	if in.LitellmParams.APIKey != nil {
		out = append(out, *in.LitellmParams.APIKey)
	}
	for k, v := range in.LitellmParams.Extra {
		if litellm.SecretLooking(k) {
			out = append(out, litellmSecretStrings(map[string]any{k: v})...)
		}
	}
	return out
}

// guardrailFromServer is the answer as the inputs see it: the readable
// fields, litellm_params without nulls, guardrail_info without the mark.
func guardrailFromServer(g litellm.Guardrail) object {
	obj := object{}
	for k, v := range g {
		if !guardrailServerFilled(k) && k != "litellm_params" && k != "guardrail_info" {
			obj[k] = v
		}
	}
	params := object{}
	for k, v := range asObject(g["litellm_params"]) {
		if v != nil {
			params[k] = v
		}
	}
	obj["litellm_params"] = params
	info := asObject(g["guardrail_info"])
	delete(info, markKey)
	obj["guardrail_info"] = info
	return obj
}

// guardrailMatches: the server shows every configured field (masked
// values not held against it).
func guardrailMatches(g litellm.Guardrail, in GuardrailArgs) bool {
	server, want := guardrailFromServer(g), guardrailObject(in)
	return shows(asObject(server["litellm_params"]), asObject(want["litellm_params"]), guardrailParamsSecrets) &&
		server["guardrail_name"] == want["guardrail_name"] && shows(asObject(server["guardrail_info"]), asObject(want["guardrail_info"]), nil)
}

// guardrailArgsFromServer rebuilds inputs: on refresh the fields the user
// owns (masked values kept as configured), on import every readable field
// (left names the masked ones).
func guardrailArgsFromServer(g litellm.Guardrail, prior GuardrailArgs, importing bool) (GuardrailArgs, []string, error) {
	server := guardrailFromServer(g)
	serverParams := asObject(server["litellm_params"])
	var params, info object
	var left []string
	if importing {
		var l []string
		params, l = adoptFields(serverParams, guardrailParamsSecrets)
		for _, k := range l {
			left = append(left, "litellmParams."+k)
		}
		if v, ok := serverParams["api_key"]; ok && v != nil {
			left = append(left, "litellmParams.apiKey")
		}
		info, _ = adoptFields(asObject(server["guardrail_info"]), nil)
	} else {
		priorObj := guardrailObject(prior)
		params = ownedFields(serverParams, asObject(priorObj["litellm_params"]), guardrailParamsSecrets)
		info = ownedFields(asObject(server["guardrail_info"]), asObject(priorObj["guardrail_info"]), nil)
	}
	out := GuardrailArgs{AdoptExisting: prior.AdoptExisting}
	out.GuardrailName, _ = server["guardrail_name"].(string)
	if err := decodeObject(params, &out.LitellmParams); err != nil {
		return out, nil, fmt.Errorf("litellmParams.%w", err)
	}
	if len(info) > 0 || prior.GuardrailInfo != nil {
		out.GuardrailInfo = info
	}
	if !importing {
		out.LitellmParams.APIKey = prior.LitellmParams.APIKey
	}
	slices.Sort(left)
	return out, left, nil
}
