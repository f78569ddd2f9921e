package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Policy is a LiteLLM guardrail policy (`POST /policies`), token
// litellm:index:Policy.
type Policy struct{}

// PolicyArgs are the inputs of a Policy.
type PolicyArgs struct {
	PolicyName       string           `pulumi:"policyName" litellm:"policy_name,omitzero"`
	Inherit          *string          `pulumi:"inherit,optional" litellm:"inherit,omitzero"`
	Description      *string          `pulumi:"description,optional" litellm:"description,omitzero"`
	GuardrailsAdd    []string         `pulumi:"guardrailsAdd,optional" litellm:"guardrails_add,omitzero"`
	GuardrailsRemove []string         `pulumi:"guardrailsRemove,optional" litellm:"guardrails_remove,omitzero"`
	Condition        *PolicyCondition `pulumi:"condition,optional" litellm:"condition,omitzero"`
	Pipeline         *PolicyPipeline  `pulumi:"pipeline,optional" litellm:"pipeline,omitzero"`
	AdoptExisting    *bool            `pulumi:"adoptExisting,optional" litellm:"-"`
}

// PolicyCondition is when a policy applies.
type PolicyCondition struct {
	Model *string `pulumi:"model,optional" litellm:"model,omitzero"`
}

// PolicyPipeline runs the policy's guardrails in order.
type PolicyPipeline struct {
	Mode  string               `pulumi:"mode" litellm:"mode"`
	Steps []PolicyPipelineStep `pulumi:"steps" litellm:"steps"`
}

// PolicyPipelineStep is one guardrail of a pipeline.
type PolicyPipelineStep struct {
	Guardrail             string  `pulumi:"guardrail" litellm:"guardrail"`
	OnFail                *string `pulumi:"onFail,optional" litellm:"on_fail,omitzero"`
	OnPass                *string `pulumi:"onPass,optional" litellm:"on_pass,omitzero"`
	OnError               *string `pulumi:"onError,optional" litellm:"on_error,omitzero"`
	PassData              *bool   `pulumi:"passData,optional" litellm:"pass_data,omitzero"`
	ModifyResponseMessage *string `pulumi:"modifyResponseMessage,optional" litellm:"modify_response_message,omitzero"`
}

// PolicyState is the recorded state of a Policy.
type PolicyState struct {
	PolicyArgs
	Writes
	PolicyID      *string `pulumi:"policyId,optional"`
	VersionNumber *int    `pulumi:"versionNumber,optional"`
}

var (
	_ infer.CustomResource[PolicyArgs, PolicyState] = (*Policy)(nil)
	_ infer.CustomCheck[PolicyArgs]                 = (*Policy)(nil)
	_ infer.CustomDiff[PolicyArgs, PolicyState]     = (*Policy)(nil)
	_ infer.CustomRead[PolicyArgs, PolicyState]     = (*Policy)(nil)
	_ infer.CustomUpdate[PolicyArgs, PolicyState]   = (*Policy)(nil)
	_ infer.CustomDelete[PolicyState]               = (*Policy)(nil)
	_ infer.Annotated                               = (*Policy)(nil)
)

func policyKind() kind {
	return kind{
		token:    "litellm:index:Policy",
		resource: infer.Resource(&Policy{}),
		check:    typedCheck(Policy{}.Check),
		diff:     typedDiff(Policy{}.Diff),
		read:     typedRead(Policy{}.Read),
		state:    reflect.TypeFor[PolicyState](),
	}
}

// Annotate documents the resource.
func (r *Policy) Annotate(a infer.Annotator) {
	a.SetToken("index", "Policy")
	if !documenting() {
		return
	}
	a.Describe(r, "A guardrail policy on a LiteLLM proxy (`POST /policies`): which guardrails run (added to or removed "+
		"from an inherited policy), when (a model condition), and optionally in which order (a pipeline). Policies "+
		"apply where a PolicyAttachment attaches them. The resource ID is the policy's name, unique on the proxy.\n\n"+
		"LiteLLM versions policies: the create makes version 1 in production, and only a draft version can be edited. "+
		"Every update of this resource therefore rolls out a new version: a draft copied from the production version, "+
		"edited to this program's settings, published, and promoted to production (the previous production version "+
		"stays, as published). Removing `inherit`, `condition` or `pipeline`, which a version edit cannot clear, "+
		"deletes every version and creates the policy again as version 1. A new `policyName` replaces the policy.\n\n"+
		"A policy has no metadata, so it carries no ownership mark: an existing policy with this name is taken as this "+
		"resource's only when it is the answer to this create (after a lost answer), or when it is a single version "+
		"that shows exactly this program's settings (an interrupted create); any other is someone else's and is never "+
		"taken over without `adoptExisting`. Deleting the resource deletes every version.\n\n"+
		"Import with `pulumi import litellm:index:Policy <name> <policy name>`.")
}

// Annotate documents the inputs.
func (r *PolicyArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.PolicyName, "The policy's name, unique on the proxy (attachments refer to it). Changing it replaces "+
		"the policy.")
	a.Describe(&r.Inherit, "The name of a policy whose guardrails this one starts from.")
	a.Describe(&r.Description, "A description of the policy.")
	a.Describe(&r.GuardrailsAdd, "Guardrails (by name) the policy runs.")
	a.Describe(&r.GuardrailsRemove, "Guardrails of the inherited policy this one does not run.")
	a.Describe(&r.Condition, "When the policy applies.")
	a.Describe(&r.Pipeline, "Runs the guardrails in order, each step deciding what happens next.")
	a.Describe(&r.AdoptExisting, "If a policy with this name already exists and was not created by this resource, take "+
		"it over (rolling out this program's settings as a new version) instead of failing. Default false.")
}

// Annotate documents the condition.
func (c *PolicyCondition) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&c.Model, "A model name or regular expression (e.g. `gpt-4.*`) the request's model must match.")
	}
}

// Annotate documents the pipeline.
func (pl *PolicyPipeline) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&pl.Mode, "When the pipeline runs: `pre_call` or `post_call`.")
	a.Describe(&pl.Steps, "The steps, in order (at least one).")
}

// Annotate documents a step.
func (s *PolicyPipelineStep) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&s.Guardrail, "The guardrail the step runs.")
	a.Describe(&s.OnFail, "What happens when the guardrail rejects: `next`, `block`, `allow` or `modify_response`. "+
		"LiteLLM's default: `block`.")
	a.Describe(&s.OnPass, "What happens when the guardrail passes (same values). LiteLLM's default: `allow`.")
	a.Describe(&s.OnError, "What happens when the guardrail fails technically (same values). Unset: as `onFail`.")
	a.Describe(&s.PassData, "Pass the request as this guardrail changed it (e.g. masked) to the next step.")
	a.Describe(&s.ModifyResponseMessage, "The message of a `modify_response` action.")
}

// Annotate documents the outputs.
func (r *PolicyState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &r.Writes)
	a.Describe(&r.PolicyID, "The ID of the policy's production version (a new one after every update).")
	a.Describe(&r.VersionNumber, "The number of the policy's production version.")
}

// ---- the kind's rules ----

var policyArgsType = reflect.TypeFor[PolicyArgs]()

var (
	policyActions = []string{"next", "block", "allow", "modify_response"}
	policyModes   = []string{"pre_call", "post_call"}
)

// policyStepDefaults are PipelineStep's defaults, as the proxy stores
// every step: a step that shows one is the same as one that leaves it out.
var policyStepDefaults = map[string]any{"on_fail": "block", "on_pass": "allow", "on_error": nil, "pass_data": false,
	"modify_response_message": nil}

// policyRecreated: fields a version edit cannot clear (the update writes
// only fields that are not null): removing one makes the policy anew.
func policyRecreated(k string) bool { return k == "inherit" || k == "condition" || k == "pipeline" }

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's policy (jsonmap.go).
func (r PolicyArgs) MarshalJSON() ([]byte, error)          { return marshalWire(r, nil) }
func (r *PolicyArgs) UnmarshalJSON(b []byte) error         { return unmarshalWire(b, r, nil) }
func (c PolicyCondition) MarshalJSON() ([]byte, error)     { return marshalWire(c, nil) }
func (c *PolicyCondition) UnmarshalJSON(b []byte) error    { return unmarshalWire(b, c, nil) }
func (pl PolicyPipeline) MarshalJSON() ([]byte, error)     { return marshalWire(pl, nil) }
func (pl *PolicyPipeline) UnmarshalJSON(b []byte) error    { return unmarshalWire(b, pl, nil) }
func (s PolicyPipelineStep) MarshalJSON() ([]byte, error)  { return marshalWire(s, nil) }
func (s *PolicyPipelineStep) UnmarshalJSON(b []byte) error { return unmarshalWire(b, s, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Policy) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[PolicyArgs], error) {
	in, failures := decodeInputs[PolicyArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[PolicyArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.id("policyName", in.PolicyName)
	if in.Inherit != nil && *in.Inherit == in.PolicyName {
		v.fail("inherit", "must name another policy, got %q (the policy itself)", *in.Inherit)
	}
	for prop, names := range map[string][]string{"guardrailsAdd": in.GuardrailsAdd, "guardrailsRemove": in.GuardrailsRemove} {
		for i, g := range names {
			if strings.TrimSpace(g) == "" {
				v.fail(fmt.Sprintf("%s[%d]", prop, i), "must not be empty")
			}
		}
	}
	if pl := in.Pipeline; pl != nil {
		v.oneOf("pipeline.mode", &pl.Mode, policyModes)
		if len(pl.Steps) == 0 {
			v.fail("pipeline.steps", "must have at least one step")
		}
		for i, s := range pl.Steps {
			at := fmt.Sprintf("pipeline.steps[%d]", i)
			v.require(at+".guardrail", s.Guardrail)
			v.oneOf(at+".onFail", s.OnFail, policyActions)
			v.oneOf(at+".onPass", s.OnPass, policyActions)
			v.oneOf(at+".onError", s.OnError, policyActions)
		}
	}
	return infer.CheckResponse[PolicyArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: every change rolls out a new version in place; a new name
// replaces the policy.
func (Policy) Diff(_ context.Context, req infer.DiffRequest[PolicyArgs, PolicyState]) (infer.DiffResponse, error) {
	olds, news := req.State.PolicyArgs, req.Inputs
	d := newDiffer()
	o, n := policyObject(olds), policyObject(news)
	delete(o, "policy_name")
	delete(n, "policy_name")
	d.merged("", policyArgsType, o, n, func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	if olds.PolicyName != news.PolicyName {
		d.add("policyName", p.UpdateReplace)
	}
	return d.response(false), nil
}

// Create makes version 1 of the policy, under its name.
func (Policy) Create(ctx context.Context, req infer.CreateRequest[PolicyArgs]) (infer.CreateResponse[PolicyState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[PolicyState]{ID: in.PolicyName, Output: PolicyState{PolicyArgs: in}}, nil
	}
	e := getEnv(ctx)
	out, err := runCreate(ctx, e, policyCreateOp(e, in, false))
	return created(in.PolicyName, policyState(in, stamp(e, out, err), policyProductionOf(ctx, e, in.PolicyName, err)), out, err)
}

// Read refreshes the policy (its production version), or imports it.
// Policy reads come from the database.
func (Policy) Read(ctx context.Context, req infer.ReadRequest[PolicyArgs, PolicyState]) (infer.ReadResponse[PolicyArgs, PolicyState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.PolicyArgs, func(a PolicyArgs) bool { return a.PolicyName == "" })
	if importing {
		prior.PolicyName = req.ID
	}
	v, found, err := runRead(ctx, e, readOp[litellm.Policy]{
		target:    policyTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(v litellm.Policy) bool { return policyMatches(v, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[PolicyArgs, PolicyState]{}, err
	}
	in, err := policyArgsFromServer(v, prior, importing)
	if err != nil {
		return infer.ReadResponse[PolicyArgs, PolicyState]{}, fmt.Errorf("policy %s: unexpected answer: %w", req.ID, err)
	}
	return infer.ReadResponse[PolicyArgs, PolicyState]{ID: req.ID, Inputs: in, State: policyState(in, req.State.Writes, v)}, nil
}

// Update rolls out a new production version with the program's settings
// (creating the policy again if it is gone).
func (Policy) Update(ctx context.Context, req infer.UpdateRequest[PolicyArgs, PolicyState]) (infer.UpdateResponse[PolicyState], error) {
	in, name := req.Inputs, req.ID
	state := policyState(in, req.State.Writes, nil)
	state.PolicyID, state.VersionNumber = req.State.PolicyID, req.State.VersionNumber
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(policyObject(req.State.PolicyArgs), policyObject(in))) {
		return infer.UpdateResponse[PolicyState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	var draft string // the version this update made, kept across its retries
	out, err := runUpdate(ctx, e, updateOp[litellm.Policy]{
		patch:       func(ctx context.Context) error { return policyRollout(ctx, e, name, req.State.PolicyArgs, in, &draft) },
		resume:      policyCreateOp(e, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	if v := policyProductionOf(ctx, e, name, err); v != nil {
		state = policyState(in, state.Writes, v)
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes every version of the policy (a policy already gone is a
// success: LiteLLM answers 200 whatever it deleted).
func (Policy) Delete(ctx context.Context, req infer.DeleteRequest[PolicyState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Policy]{
		target:    policyTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Policies.DeleteAll(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- the version rollout ----

// policyRollout makes the production version show news: a draft copied
// from the production version, edited, published and promoted. draft is
// the version an earlier attempt of this update made (a retry carries on
// with it, whatever step it reached). Removing a field a version edit
// cannot clear deletes every version and creates the policy again. A
// policy without a production version is the update's miss (the update
// policy creates it again).
func policyRollout(ctx context.Context, e env, name string, olds, news PolicyArgs, draft *string) error {
	prod, err := e.client.Policies.Production(ctx, name)
	if err != nil {
		return err
	}
	server := policyFromServer(prod)
	cleared := slices.DeleteFunc(removedKeys(policyObject(olds), policyObject(news)), func(k string) bool {
		_, still := server[k]
		return !still
	})
	if policyMatches(prod, news) && len(cleared) == 0 {
		return nil // already shows it (an earlier attempt of this update, or nothing to do)
	}
	if slices.ContainsFunc(cleared, policyRecreated) {
		e.logf(ctx, "policy %s: %s cannot be cleared through a new version: deleting every version and creating the "+
			"policy again", name, strings.Join(cleared, ", "))
		if err := e.client.Policies.DeleteAll(ctx, name); err != nil {
			return err
		}
		return e.client.Policies.Create(ctx, policyBody(news))
	}
	status := ""
	if *draft != "" {
		v, err := e.client.Policies.Get(ctx, *draft)
		switch {
		case err == nil:
			status, _ = v["version_status"].(string)
		case !litellm.IsNotFound(err):
			return err
		}
	}
	if status == "" {
		v, err := e.client.Policies.NewVersion(ctx, name, fmt.Sprint(prod["policy_id"]))
		if err != nil {
			return err
		}
		*draft, status = fmt.Sprint(v["policy_id"]), "draft"
		e.logf(ctx, "policy %s: rolling out version %v", name, v["version_number"])
	}
	if status == "draft" {
		if err := e.client.Policies.Update(ctx, *draft, policyPatch(olds, news)); err != nil {
			return err
		}
		if err := e.client.Policies.SetStatus(ctx, *draft, "published"); err != nil {
			return err
		}
		status = "published"
	}
	if status == "published" {
		return e.client.Policies.SetStatus(ctx, *draft, "production")
	}
	return nil
}

// ---- mapping helpers ----

func policyTarget(e env, name string) target[litellm.Policy] {
	return target[litellm.Policy]{
		kind:     "policy",
		objectID: name,
		what:     "policy " + name,
		get:      func(ctx context.Context) (litellm.Policy, error) { return e.client.Policies.Production(ctx, name) },
		markOf:   func(litellm.Policy) (mark, bool) { return mark{}, false },
	}
}

func policyCreateOp(e env, in PolicyArgs, resume bool) createOp[litellm.Policy] {
	me := e.identity().attempting()
	own := &unmarked{me: me, unsure: resume}
	body := policyBody(in)
	t := policyTarget(e, in.PolicyName)
	t.markOf = func(v litellm.Policy) (mark, bool) {
		if m, ok := own.markOf(policyMatches(v, in)); ok {
			return m, ok
		}
		// A single version showing exactly what this create sends: an
		// earlier create of this resource that Pulumi never recorded.
		if policyNum(v["version_number"]) == 1 && exactly(policyFromServer(v), policyObject(in)) {
			return me.mark(), true
		}
		return mark{}, false
	}
	var draft string
	return createOp[litellm.Policy]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error { return own.sent(e.client.Policies.Create(ctx, body)) },
		del:    func(ctx context.Context) error { return e.client.Policies.DeleteAll(ctx, in.PolicyName) },
		adopt: func(ctx context.Context) error {
			return policyRollout(ctx, e, in.PolicyName, PolicyArgs{}, in, &draft)
		},
		matches:       func(v litellm.Policy) bool { return policyMatches(v, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Policy <name> %s), choose another policyName, "+
			"or set adoptExisting: true", in.PolicyName),
	}
}

// policyProductionOf reads the production version after a write, for the
// state's outputs (nil after a failure, or when the read fails).
func policyProductionOf(ctx context.Context, e env, name string, err error) litellm.Policy {
	if err != nil {
		return nil
	}
	v, err := e.client.Policies.Production(ctx, name)
	if err != nil {
		return nil
	}
	return v
}

func policyState(in PolicyArgs, w Writes, server litellm.Policy) PolicyState {
	s := PolicyState{PolicyArgs: in, Writes: w}
	if id, ok := server["policy_id"].(string); ok && id != "" {
		s.PolicyID = &id
	}
	if n, ok := server["version_number"].(float64); ok {
		v := int(n)
		s.VersionNumber = &v
	}
	return s
}

func policyNum(v any) float64 {
	n, _ := v.(float64)
	return n
}

// policyObject is the policy as configured, in LiteLLM's JSON, with what
// means "unset" left out (policyNormalized, empty lists).
func policyObject(in PolicyArgs) object { return withoutEmptyDefaults(policyNormalized(objectOf(in))) }

// policyNormalized leaves out what means "unset": a step's defaults, a
// condition without a model, an empty description.
func policyNormalized(obj object) object {
	if pl, ok := obj["pipeline"].(map[string]any); ok {
		var steps []any
		for _, s := range passThroughAsList(pl["steps"]) {
			step := asObject(s)
			for k, def := range policyStepDefaults {
				if v, ok := step[k]; ok && sameJSON(v, def) {
					delete(step, k)
				}
			}
			steps = append(steps, step)
		}
		pl = asObject(pl)
		pl["steps"] = steps
		obj["pipeline"] = pl
	}
	if c, ok := obj["condition"].(map[string]any); ok && c["model"] == nil {
		delete(obj, "condition")
	}
	if obj["description"] == "" {
		delete(obj, "description")
	}
	return obj
}

// policyBody is the create body: every configured field.
func policyBody(in PolicyArgs) litellm.Policy { return objectOf(in) }

// policyPatch is the edit of a new draft (a copy of the production
// version): every configured field; removed lists as [], a removed
// description as "" (a null is not written).
func policyPatch(olds, news PolicyArgs) litellm.Policy {
	body := objectOf(news)
	delete(body, "policy_name")
	for _, k := range removedKeys(objectOf(olds), objectOf(news)) {
		switch k {
		case "guardrails_add", "guardrails_remove":
			body[k] = []any{}
		case "description":
			body[k] = ""
		}
	}
	return body
}

// policyFromServer is the production version as the inputs see it.
func policyFromServer(v litellm.Policy) object {
	obj := object{}
	for k, x := range v {
		if _, ok := fieldsOf(policyArgsType).byKey[k]; ok && x != nil {
			obj[k] = x
		}
	}
	return withoutEmptyDefaults(policyNormalized(obj))
}

// policyMatches: the production version shows every configured field,
// each exactly (a policy returns every field it has: one it lacks is not
// what was configured).
func policyMatches(v litellm.Policy, in PolicyArgs) bool {
	server := policyFromServer(v)
	for k, want := range policyObject(in) {
		if got, ok := server[k]; !ok || !sameJSON(got, normalized(want)) {
			return false
		}
	}
	return true
}

// policyArgsFromServer rebuilds inputs: on refresh the fields the user
// owns, on import every readable field.
func policyArgsFromServer(v litellm.Policy, prior PolicyArgs, importing bool) (PolicyArgs, error) {
	server := policyFromServer(v)
	var obj object
	if importing {
		obj, _ = adoptFields(server, nil)
	} else {
		obj = ownedFields(server, policyObject(prior), nil)
		// A step that spells out a default shows without it: keep the
		// program's spelling when the pipeline is the same.
		if raw := objectOf(prior); raw["pipeline"] != nil && sameJSON(obj["pipeline"], policyObject(prior)["pipeline"]) {
			obj["pipeline"] = raw["pipeline"]
		}
	}
	var out PolicyArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.PolicyName, out.AdoptExisting = prior.PolicyName, prior.AdoptExisting
	return out, nil
}
