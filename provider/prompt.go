package provider

import (
	"context"
	"fmt"
	"reflect"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Prompt is a versioned prompt on a LiteLLM proxy (`POST /prompts`), token
// litellm:index:Prompt.
type Prompt struct{}

// PromptArgs are the inputs of a Prompt. The typed fields and Extra are the
// prompt's `litellm_params`.
type PromptArgs struct {
	PromptID                          *string        `pulumi:"promptId,optional" litellm:"-"`
	Environment                       *string        `pulumi:"environment,optional" litellm:"-"`
	PromptIntegration                 string         `pulumi:"promptIntegration" litellm:"prompt_integration,omitzero"`
	DotpromptContent                  *string        `pulumi:"dotpromptContent,optional" litellm:"dotprompt_content,omitzero"`
	APIBase                           *string        `pulumi:"apiBase,optional" litellm:"api_base,omitzero"`
	APIKey                            *string        `pulumi:"apiKey,optional" provider:"secret" litellm:"api_key,omitzero"`
	ProviderSpecificQueryParams       map[string]any `pulumi:"providerSpecificQueryParams,optional" litellm:"provider_specific_query_params,omitzero"`
	IgnorePromptManagerModel          *bool          `pulumi:"ignorePromptManagerModel,optional" litellm:"ignore_prompt_manager_model,omitzero"`
	IgnorePromptManagerOptionalParams *bool          `pulumi:"ignorePromptManagerOptionalParams,optional" litellm:"ignore_prompt_manager_optional_params,omitzero"`
	Extra                             map[string]any `pulumi:"litellmParams,optional" litellm:"-"`
	PromptInfo                        map[string]any `pulumi:"promptInfo,optional" litellm:"-"`
	AdoptExisting                     *bool          `pulumi:"adoptExisting,optional" litellm:"-"`
}

// PromptState is the recorded state of a Prompt.
type PromptState struct {
	PromptArgs
	// PromptID shadows the input: as an output it is always set.
	PromptID string `pulumi:"promptId"`
	Writes
	// Version is the prompt's latest version in its environment, as the
	// last write or refresh saw it.
	Version *int `pulumi:"version,optional"`
}

var (
	_ infer.CustomResource[PromptArgs, PromptState] = (*Prompt)(nil)
	_ infer.CustomCheck[PromptArgs]                 = (*Prompt)(nil)
	_ infer.CustomDiff[PromptArgs, PromptState]     = (*Prompt)(nil)
	_ infer.CustomRead[PromptArgs, PromptState]     = (*Prompt)(nil)
	_ infer.CustomUpdate[PromptArgs, PromptState]   = (*Prompt)(nil)
	_ infer.CustomDelete[PromptState]               = (*Prompt)(nil)
	_ infer.Annotated                               = (*Prompt)(nil)
)

func promptKind() kind {
	return kind{
		token:    "litellm:index:Prompt",
		resource: infer.Resource(&Prompt{}),
		check:    typedCheck(Prompt{}.Check),
		diff:     typedDiff(Prompt{}.Diff),
		read:     typedRead(Prompt{}.Read),
		freeForm: []string{"litellmParams", "promptInfo", "providerSpecificQueryParams"},
		state:    reflect.TypeFor[PromptState](),
	}
}

// Annotate documents the resource.
func (r *Prompt) Annotate(a infer.Annotator) {
	a.SetToken("index", "Prompt")
	if !documenting() {
		return
	}
	a.Describe(r, "A prompt managed by a LiteLLM proxy (`POST /prompts`), in one environment. LiteLLM keeps every "+
		"version of a prompt: the create stores version 1 (`<promptId>.v1`), and every update a new version "+
		"(`.v2`, `.v3`, ...) rather than replacing the old one. The resource is the prompt's base ID in its "+
		"`environment`; it tracks the latest version (output `version`), and every change of an input makes a new "+
		"version. Deleting the resource deletes **every version of the prompt in its environment** (versions in "+
		"other environments stay).\n\n"+
		"The prompt ID is chosen by the provider (derived from the stack and the resource) unless `promptId` pins it "+
		"(usually it does: requests name prompts by ID). LiteLLM's create never refuses an ID that exists (it would "+
		"add a version to it), so the provider reads the ID first: a prompt that is not this resource's (ownership "+
		"mark `promptInfo.pulumi`) is never taken over without `adoptExisting`.\n\n"+
		"Import with `pulumi import litellm:index:Prompt <name> <prompt id>` (the `development` environment; set "+
		"`environment` in the program for another).")
}

// Annotate documents the inputs.
func (r *PromptArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.PromptID, "The prompt's base ID (without a `.vN` suffix), as requests name it. Leave it unset to let "+
		"the provider choose one. Changing it replaces the prompt.")
	a.Describe(&r.Environment, "The environment the prompt's versions belong to, e.g. `development` (LiteLLM's "+
		"default), `staging`, `production`. Changing it replaces the prompt.")
	a.Describe(&r.PromptIntegration, "Where the prompt lives: `dotprompt` (its content kept by the proxy), "+
		"`langfuse`, `humanloop`, `bitbucket`, `gitlab`, ...")
	a.Describe(&r.DotpromptContent, "The `.prompt` file content, for `dotprompt`.")
	a.Describe(&r.APIBase, "Base URL of the prompt integration's API.")
	a.Describe(&r.APIKey, "API key of the prompt integration (secret).")
	a.Describe(&r.ProviderSpecificQueryParams, "Query parameters the integration passes to its provider.")
	a.Describe(&r.IgnorePromptManagerModel, "Use the request's model instead of the prompt's (LiteLLM's default: false).")
	a.Describe(&r.IgnorePromptManagerOptionalParams, "Use the request's optional parameters instead of the "+
		"prompt's (LiteLLM's default: false).")
	a.Describe(&r.Extra, "Any other `litellm_params` key of the integration with its JSON value (e.g. `prompt_data`, "+
		"`prompt_directory`). Values under keys that look secret are kept as Pulumi secrets.")
	a.Describe(&r.PromptInfo, "Free-form `prompt_info` keys. `prompt_type` and `environment` are set by the "+
		"provider; the key `pulumi` is its ownership mark; all three are rejected here.")
	a.Describe(&r.AdoptExisting, "If a prompt with this ID already exists in the environment and was not created by "+
		"this resource, take it over (a new version is stored over it) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (r *PromptState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &r.Writes)
	a.Describe(&r.Version, "The prompt's latest version in its environment (1 after the create, one more after each "+
		"update).")
}

// ---- the kind's rules ----

var (
	promptArgsType = reflect.TypeFor[PromptArgs]()
	// promptDefaults: litellm_params values LiteLLM stores for unset
	// fields (PromptLiteLLMParams defaults), left out of an import.
	promptDefaults = map[string]any{"ignore_prompt_manager_model": false, "ignore_prompt_manager_optional_params": false}
)

// defaultPromptEnvironment is LiteLLM's DEFAULT_PROMPT_ENVIRONMENT.
const defaultPromptEnvironment = "development"

// promptInfoServerFilled: prompt_info keys the provider or the proxy set.
func promptInfoServerFilled(k string) bool {
	return k == markKey || k == "prompt_type" || k == "environment"
}

// MarshalJSON / UnmarshalJSON map the inputs to the prompt's litellm_params (jsonmap.go).
func (r PromptArgs) MarshalJSON() ([]byte, error) { return marshalWire(r, r.Extra) }

func (r *PromptArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, &r.Extra) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Prompt) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[PromptArgs], error) {
	in, failures := decodeInputs[PromptArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[PromptArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.PromptID != nil {
		v.id("promptId", *in.PromptID)
		if litellm.BasePromptID(*in.PromptID) != *in.PromptID {
			v.fail("promptId", "must be the base ID, without a version suffix (LiteLLM adds .v1, .v2, ...), got %q", *in.PromptID)
		}
	}
	if in.Environment != nil {
		v.id("environment", *in.Environment)
	}
	v.require("promptIntegration", in.PromptIntegration)
	if in.APIBase != nil {
		v.httpURL("apiBase", *in.APIBase, true)
	}
	v.extraKeys("litellmParams", in.Extra, promptArgsType, map[string]string{"prompt_id": "promptId"})
	for k := range in.PromptInfo {
		if promptInfoServerFilled(k) {
			v.fail("promptInfo", "key %q is set by the provider (environment: set `environment`)", k)
		}
	}
	return infer.CheckResponse[PromptArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: every change of the prompt's content is an update (a new version);
// a new pinned ID or environment replaces the prompt.
func (Prompt) Diff(_ context.Context, req infer.DiffRequest[PromptArgs, PromptState]) (infer.DiffResponse, error) {
	olds, news := req.State.PromptArgs, req.Inputs
	d := newDiffer()
	d.merged("", promptArgsType, promptParams(olds), promptParams(news), func(string) bool { return true })
	if !sameJSON(normalized(olds.PromptInfo), normalized(news.PromptInfo)) && (len(olds.PromptInfo) > 0 || len(news.PromptInfo) > 0) {
		d.add("promptInfo", p.Update)
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	if promptEnvironment(olds) != promptEnvironment(news) {
		d.add("environment", p.UpdateReplace)
	} else if deref(olds.Environment) != deref(news.Environment) {
		d.add("environment", p.Update) // naming the default environment, or no longer naming it, changes nothing
	}
	pinned := deref(news.PromptID)
	if pinned != "" && pinned != req.ID {
		d.add("promptId", p.UpdateReplace)
	} else if deref(olds.PromptID) != pinned && !(olds.PromptID != nil && deref(olds.PromptID) == req.ID && pinned == "") {
		d.add("promptId", p.Update)
	}
	return d.response(pinned != "" && pinned == req.ID && promptEnvironment(olds) == promptEnvironment(news)), nil
}

// Create stores version 1 of the prompt under its ID (pinned, or chosen by
// objectIDFor).
func (Prompt) Create(ctx context.Context, req infer.CreateRequest[PromptArgs]) (infer.CreateResponse[PromptState], error) {
	in := req.Inputs
	pinned := deref(in.PromptID)
	if req.DryRun {
		return infer.CreateResponse[PromptState]{ID: pinned, Output: PromptState{PromptArgs: in, PromptID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	version := 0
	out, err := runCreate(ctx, e, promptCreateOp(e, id, in, false, &version))
	state := promptState(id, in, stamp(e, out, err), promptVersionAfter(ctx, e, id, in, version, err))
	return created(id, state, out, err)
}

// Read refreshes the prompt's latest version in its environment (or
// imports it), from the database.
func (Prompt) Read(ctx context.Context, req infer.ReadRequest[PromptArgs, PromptState]) (infer.ReadResponse[PromptArgs, PromptState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.PromptArgs, func(a PromptArgs) bool { return a.PromptIntegration == "" })
	if !importing && req.Inputs.PromptID == nil {
		prior.PromptID = nil // the ID in the state is the output, not a pinned input
	}
	env := promptEnvironment(prior)
	s, found, err := runRead(ctx, e, readOp[litellm.Prompt]{
		target:    promptTarget(e, req.ID, env),
		id:        e.identity(),
		matches:   func(s litellm.Prompt) bool { return promptMatches(s, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[PromptArgs, PromptState]{}, err
	}
	in, left, err := promptArgsFromServer(s, prior, importing)
	if err != nil {
		return infer.ReadResponse[PromptArgs, PromptState]{}, fmt.Errorf("prompt %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		reportImport(ctx, e, "prompt "+req.ID, left, asObject(s["prompt_info"]))
	}
	return infer.ReadResponse[PromptArgs, PromptState]{ID: req.ID, Inputs: in,
		State: promptState(req.ID, in, req.State.Writes, promptVersionOf(s))}, nil
}

// Update stores a new version of the prompt (creating it again under the
// same ID if it is gone).
func (Prompt) Update(ctx context.Context, req infer.UpdateRequest[PromptArgs, PromptState]) (infer.UpdateResponse[PromptState], error) {
	in, id := req.Inputs, req.ID
	state := promptState(id, in, req.State.Writes, req.State.Version)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(promptWire(req.State.PromptArgs), promptWire(in))) {
		return infer.UpdateResponse[PromptState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	version := 0
	out, err := runUpdate(ctx, e, updateOp[litellm.Prompt]{
		patch: func(ctx context.Context) error {
			v, err := e.client.Prompts.Update(ctx, id, promptBody(id, in, me.mark()), promptSecrets(in))
			version = v
			return err
		},
		resume:      promptCreateOp(e, id, in, true, &version),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Version = promptVersionAfter(ctx, e, id, in, version, err)
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes every version of the prompt in its environment; one that
// is already gone is fine.
func (Prompt) Delete(ctx context.Context, req infer.DeleteRequest[PromptState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	env := promptEnvironment(req.State.PromptArgs)
	t := promptTarget(e, req.ID, env)
	err := runDelete(ctx, e, deleteOp[litellm.Prompt]{
		target: t,
		id:     e.identity(),
		del: func(ctx context.Context) error {
			err := e.client.Prompts.Delete(ctx, req.ID, env)
			if litellm.IsNotFound(err) {
				// The delete checks the answering worker's registry: a worker
				// that has not loaded the prompt yet answers 404 while the
				// database holds it. Only a database read confirms the miss.
				if _, gerr := t.get(ctx); gerr == nil {
					return notYet(fmt.Sprintf("the proxy worker that answered does not know %s yet", t.what))
				}
			}
			return err
		},
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func promptEnvironment(in PromptArgs) string {
	if env := deref(in.Environment); env != "" {
		return env
	}
	return defaultPromptEnvironment
}

func promptTarget(e env, id, environment string) target[litellm.Prompt] {
	return target[litellm.Prompt]{
		kind:     "prompt",
		objectID: id + "\x00" + environment,
		what:     fmt.Sprintf("prompt %s (environment %s)", id, environment),
		get:      func(ctx context.Context) (litellm.Prompt, error) { return e.client.Prompts.Get(ctx, id, environment) },
		markOf:   func(s litellm.Prompt) (mark, bool) { return markIn(asObject(s["prompt_info"])) },
	}
}

// promptCreateOp: LiteLLM's create adds a version to a prompt that exists,
// so the create reads the ID first and answers a prompt found as a
// conflict, which runCreate resolves by its mark. version receives the
// version a write stored.
func promptCreateOp(e env, id string, in PromptArgs, resume bool, version *int) createOp[litellm.Prompt] {
	me := e.identity().attempting()
	body := promptBody(id, in, me.mark())
	secrets := promptSecrets(in)
	t := promptTarget(e, id, promptEnvironment(in))
	return createOp[litellm.Prompt]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error {
			if err := refuseExisting(ctx, t.get, "POST /prompts", t.what+" already exists"); err != nil {
				return err
			}
			v, err := e.client.Prompts.Create(ctx, body, secrets)
			*version = v
			return err
		},
		del: func(ctx context.Context) error { return e.client.Prompts.Delete(ctx, id, promptEnvironment(in)) },
		adopt: func(ctx context.Context) error {
			v, err := e.client.Prompts.Update(ctx, id, body, secrets)
			*version = v
			return err
		},
		matches:       func(s litellm.Prompt) bool { return promptMatches(s, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Prompt <name> %s), choose another promptId, "+
			"or set adoptExisting: true (which stores a new version over it)", id),
	}
}

// promptVersionAfter is the version a write stored, else (an object found
// and kept as it was) the latest one a read shows.
func promptVersionAfter(ctx context.Context, e env, id string, in PromptArgs, version int, err error) *int {
	if version > 0 {
		return &version
	}
	if err != nil {
		return nil
	}
	s, gerr := e.client.Prompts.Get(ctx, id, promptEnvironment(in))
	if gerr != nil {
		return nil
	}
	return promptVersionOf(s)
}

func promptVersionOf(s litellm.Prompt) *int {
	if v, ok := s["version"].(float64); ok {
		n := int(v)
		return &n
	}
	return nil
}

func promptState(id string, in PromptArgs, w Writes, version *int) PromptState {
	in.PromptID = &id
	return PromptState{PromptArgs: in, PromptID: id, Writes: w, Version: version}
}

// promptParams is the prompt's litellm_params as configured.
func promptParams(in PromptArgs) object { return objectOf(in) }

// promptWire is everything a write sends (for "did anything change").
func promptWire(in PromptArgs) object {
	return object{"litellm_params": promptParams(in), "prompt_info": normalized(in.PromptInfo), "environment": promptEnvironment(in)}
}

// promptBody is the create and update body: the base ID, litellm_params,
// and prompt_info with the environment and our mark.
func promptBody(id string, in PromptArgs, m mark) litellm.Prompt {
	info := asObject(normalized(in.PromptInfo))
	info["prompt_type"] = "db"
	info["environment"] = promptEnvironment(in)
	info[markKey] = m.object()
	return litellm.Prompt{"prompt_id": id, "litellm_params": promptParams(in), "prompt_info": info}
}

// promptSecrets are the request's secret values, kept out of errors.
func promptSecrets(in PromptArgs) []string {
	var out []string
	if in.APIKey != nil {
		out = append(out, *in.APIKey)
	}
	for k, v := range in.Extra {
		if litellm.SecretLooking(k) {
			out = append(out, litellmSecretStrings(map[string]any{k: v})...)
		}
	}
	return out
}

// promptFromServer is a spec's litellm_params without nulls and the
// prompt_id LiteLLM keeps there, and its prompt_info without the keys the
// provider sets.
func promptFromServer(s litellm.Prompt) (params, info object) {
	params = object{}
	for k, v := range asObject(s["litellm_params"]) {
		if v != nil && k != "prompt_id" {
			params[k] = v
		}
	}
	info = object{}
	for k, v := range asObject(s["prompt_info"]) {
		if !promptInfoServerFilled(k) {
			info[k] = v
		}
	}
	return params, info
}

// promptMatches: the latest version shows every configured field.
func promptMatches(s litellm.Prompt, in PromptArgs) bool {
	params, info := promptFromServer(s)
	return shows(params, promptParams(in), nil) && shows(info, asObject(normalized(in.PromptInfo)), nil)
}

// promptArgsFromServer rebuilds inputs from the latest version: on refresh
// the fields the user owns, on import every readable field except
// LiteLLM's defaults and the API key (left names it).
func promptArgsFromServer(s litellm.Prompt, prior PromptArgs, importing bool) (PromptArgs, []string, error) {
	params, info := promptFromServer(s)
	var left []string
	if importing {
		if _, ok := params["api_key"]; ok {
			left = append(left, "apiKey")
			delete(params, "api_key")
		}
		for k, def := range promptDefaults {
			if params[k] == def {
				delete(params, k)
			}
		}
	} else {
		params = ownedFields(params, promptParams(prior), nil)
		info = ownedFields(info, asObject(normalized(prior.PromptInfo)), nil)
	}
	var out PromptArgs
	if err := decodeObject(params, &out); err != nil {
		return out, nil, err
	}
	if len(info) > 0 || prior.PromptInfo != nil {
		out.PromptInfo = info
	}
	out.PromptID, out.Environment, out.AdoptExisting = prior.PromptID, prior.Environment, prior.AdoptExisting
	return out, left, nil
}
