package provider

import (
	"context"
	"fmt"
	"reflect"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Tag is a LiteLLM tag (`/tag/new`), token litellm:index:Tag.
type Tag struct{}

// TagArgs are the inputs of a Tag.
type TagArgs struct {
	Name                string                    `pulumi:"name" litellm:"-"`
	Description         *string                   `pulumi:"description,optional" litellm:"description,omitzero"`
	Models              []string                  `pulumi:"models,optional" litellm:"models,omitzero"`
	BudgetID            *string                   `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	MaxBudget           *float64                  `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64                  `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	MaxParallelRequests *int                      `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	TpmLimit            *int                      `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int                      `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	BudgetDuration      *string                   `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	ModelMaxBudget      map[string]KeyModelBudget `pulumi:"modelMaxBudget,optional" litellm:"model_max_budget,omitzero"`
	AdoptExisting       *bool                     `pulumi:"adoptExisting,optional" litellm:"-"`
}

// TagState is the recorded state of a Tag.
type TagState struct {
	TagArgs
	Writes
}

var (
	_ infer.CustomResource[TagArgs, TagState] = (*Tag)(nil)
	_ infer.CustomCheck[TagArgs]              = (*Tag)(nil)
	_ infer.CustomDiff[TagArgs, TagState]     = (*Tag)(nil)
	_ infer.CustomRead[TagArgs, TagState]     = (*Tag)(nil)
	_ infer.CustomUpdate[TagArgs, TagState]   = (*Tag)(nil)
	_ infer.CustomDelete[TagState]            = (*Tag)(nil)
	_ infer.Annotated                         = (*Tag)(nil)
)

func tagKind() kind {
	return kind{
		token:    "litellm:index:Tag",
		resource: infer.Resource(&Tag{}),
		check:    typedCheck(Tag{}.Check),
		diff:     typedDiff(Tag{}.Diff),
		read:     typedRead(Tag{}.Read),
		state:    reflect.TypeFor[TagState](),
	}
}

// Annotate documents the resource.
func (t *Tag) Annotate(a infer.Annotator) {
	a.SetToken("index", "Tag")
	if !documenting() {
		return
	}
	a.Describe(t, "A tag on a LiteLLM proxy (`POST /tag/new`): a name that requests carry (for tag-based routing "+
		"and spend tracking), the models it may reach, and an optional budget, either a Budget it points to "+
		"(`budgetId`) or limits of its own (`maxBudget`, `tpmLimit`, ...; LiteLLM then makes a budget for the tag). "+
		"The tag's name is its ID.\n\n"+
		"When the tag is created, LiteLLM also adds its name to `litellm_params.tags` of the deployments that "+
		"`models` names (as the answering proxy worker knows them); it never removes it again, neither on an update "+
		"nor on delete. A Model resource that does not set `tags` in `litellmParams.extra` never sees that as drift; "+
		"one that does set them sees the added tag at the next refresh.\n\n"+
		"A LiteLLM tag has no metadata, so it cannot carry the ownership mark: a tag that exists before the create "+
		"is someone else's and is never taken over without `adoptExisting`; after a lost answer, a tag that shows "+
		"exactly the fields sent is this create's.\n\n"+
		"Changes are made in place, except a new `name`, and removing `budgetId` (LiteLLM cannot unlink a tag's "+
		"budget), which replace the tag. Deleting the tag leaves its budget and the models' `tags` on the proxy.\n\n"+
		"Import with `pulumi import litellm:index:Tag <name> <tag name>`.")
}

// Annotate documents the inputs.
func (t *TagArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&t.Name, "The tag's name, which requests send (e.g. in `metadata.tags`). Changing it replaces the tag.")
	a.Describe(&t.Description, "What the tag stands for.")
	a.Describe(&t.Models, "Model IDs (`modelInfo.id`) or model names the tag may reach. At create, LiteLLM also "+
		"adds the tag to those deployments' `litellm_params.tags`.")
	a.Describe(&t.BudgetID, "A budget the tag points to (a Budget resource's `budgetId`). Not together with the "+
		"tag's own limits (`maxBudget`, `softBudget`, `maxParallelRequests`, `tpmLimit`, `rpmLimit`, "+
		"`budgetDuration`, `modelMaxBudget`): LiteLLM would write those into that budget. Removing it replaces "+
		"the tag.")
	a.Describe(&t.MaxBudget, "Maximum spend of requests with this tag, in USD (the tag's own budget). Unset: no "+
		"limit (never sent as 0).")
	a.Describe(&t.SoftBudget, "Spend, in USD, at which the proxy sends budget alerts (requests still pass).")
	a.Describe(&t.MaxParallelRequests, "Maximum concurrent requests with this tag.")
	a.Describe(&t.TpmLimit, "Tokens per minute of requests with this tag.")
	a.Describe(&t.RpmLimit, "Requests per minute with this tag.")
	a.Describe(&t.BudgetDuration, "How often the tag's spend is reset, e.g. `30d`, `1mo`.")
	a.Describe(&t.ModelMaxBudget, "Budget per model, e.g. `{\"gpt-4o\": {budgetLimit: 10, timePeriod: \"30d\"}}`.")
	a.Describe(&t.AdoptExisting, "If a tag with this name already exists and was not created by this resource, "+
		"take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (t *TagState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &t.Writes)
}

// ---- the kind's rules ----

// tagArgsType is TagArgs' type, for its JSON keys.
var tagArgsType = reflect.TypeFor[TagArgs]()

// tagBudgetColumns are the fields of the budget a tag points to that the
// tag's own limits set (LiteLLM_BudgetTable).
var tagBudgetColumns = []string{"max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit",
	"budget_duration", "model_max_budget"}

// tagClearable: /tag/update writes description and models as sent (absent:
// cleared), and a budget field sent as null is cleared in the tag's budget.
// budget_id cannot be unlinked: removing it replaces the tag.
func tagClearable(k string) bool { return k != "budget_id" }

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's tag object (jsonmap.go).
func (t TagArgs) MarshalJSON() ([]byte, error) { return marshalWire(t, nil) }

func (t *TagArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, t, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Tag) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TagArgs], error) {
	in, failures := decodeInputs[TagArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[TagArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("name", in.Name)
	if in.BudgetID != nil {
		v.require("budgetId", *in.BudgetID)
		obj := objectOf(in)
		for _, k := range tagBudgetColumns {
			if _, set := obj[k]; set {
				v.fail("budgetId", "cannot be set together with %s: LiteLLM would write the tag's limits into budget %q; "+
					"set the limits on that Budget instead, or leave budgetId unset", fieldsOf(tagArgsType).byKey[k].prop, *in.BudgetID)
				break
			}
		}
	}
	for i, m := range in.Models {
		if m == "" {
			v.fail(fmt.Sprintf("models[%d]", i), "must not be empty")
		}
	}
	v.nonNegative("maxBudget", in.MaxBudget)
	v.nonNegative("softBudget", in.SoftBudget)
	v.nonNegativeInt("maxParallelRequests", in.MaxParallelRequests)
	v.nonNegativeInt("tpmLimit", in.TpmLimit)
	v.nonNegativeInt("rpmLimit", in.RpmLimit)
	if in.BudgetDuration != nil {
		v.duration("budgetDuration", *in.BudgetDuration)
	}
	v.modelBudgets("modelMaxBudget", in.ModelMaxBudget)
	return infer.CheckResponse[TagArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place, except a new name and a removed
// budgetId.
func (Tag) Diff(_ context.Context, req infer.DiffRequest[TagArgs, TagState]) (infer.DiffResponse, error) {
	olds, news := req.State.TagArgs, req.Inputs
	d := newDiffer()
	d.merged("", tagArgsType, tagObject(olds), tagObject(news), tagClearable)
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	if news.Name != req.ID {
		d.add("name", p.UpdateReplace)
	}
	return d.response(true), nil
}

// Create stores the tag under its name.
func (Tag) Create(ctx context.Context, req infer.CreateRequest[TagArgs]) (infer.CreateResponse[TagState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[TagState]{ID: in.Name, Output: TagState{TagArgs: in}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, in.Name)
	out, err := runCreate(ctx, e, tagCreateOp(e, id, in, false))
	return created(id, TagState{TagArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the tag (or imports it). Tag reads come from the
// database; see runRead for when a miss or an older version is believed.
func (Tag) Read(ctx context.Context, req infer.ReadRequest[TagArgs, TagState]) (infer.ReadResponse[TagArgs, TagState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.TagArgs, func(a TagArgs) bool { return len(objectOf(a)) == 0 && a.Name == "" })
	t, found, err := runRead(ctx, e, readOp[litellm.Tag]{
		target:    tagTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(t litellm.Tag) bool { return tagMatches(t, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[TagArgs, TagState]{}, err
	}
	in, err := tagArgsFromServer(t, prior, importing)
	if err != nil {
		return infer.ReadResponse[TagArgs, TagState]{}, fmt.Errorf("tag %s: unexpected answer: %w", req.ID, err)
	}
	in.Name = req.ID
	return infer.ReadResponse[TagArgs, TagState]{ID: req.ID, Inputs: in, State: TagState{TagArgs: in, Writes: req.State.Writes}}, nil
}

// Update writes the whole tag in place (creating it again under the same
// name if it is gone).
func (Tag) Update(ctx context.Context, req infer.UpdateRequest[TagArgs, TagState]) (infer.UpdateResponse[TagState], error) {
	in, id := req.Inputs, req.ID
	state := TagState{TagArgs: in, Writes: req.State.Writes}
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(tagObject(req.State.TagArgs), tagObject(in))) {
		return infer.UpdateResponse[TagState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.Tag]{
		patch: func(ctx context.Context) error {
			return e.client.Tags.Update(ctx, id, tagPatch(req.State.TagArgs, in))
		},
		resume:      tagCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the tag; one that is already gone is fine. The tag's
// budget and the models' tags stay (LiteLLM leaves them).
func (Tag) Delete(ctx context.Context, req infer.DeleteRequest[TagState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Tag]{
		target:    tagTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Tags.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// tagTarget: a tag carries no mark (markOf never finds one), so a refresh
// or delete never takes it for someone else's; the create op proves
// ownership instead (unmarked).
func tagTarget(e env, name string) target[litellm.Tag] {
	return target[litellm.Tag]{
		kind:     "tag",
		objectID: name,
		what:     "tag " + name,
		get:      func(ctx context.Context) (litellm.Tag, error) { return e.client.Tags.Get(ctx, name) },
		markOf:   func(litellm.Tag) (mark, bool) { return mark{}, false },
	}
}

func tagCreateOp(e env, name string, in TagArgs, resume bool) createOp[litellm.Tag] {
	me := e.identity().attempting()
	// The name is the user's, never derived: only a create of this call (or,
	// on resume, one recorded as pending) may have made the tag.
	own := &unmarked{me: me, unsure: resume}
	body := tagBody(name, in)
	t := tagTarget(e, name)
	t.markOf = func(v litellm.Tag) (mark, bool) { return own.markOf(tagMatches(v, in)) }
	return createOp[litellm.Tag]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error { return own.sent(e.client.Tags.Create(ctx, body)) },
		del:    func(ctx context.Context) error { return e.client.Tags.Delete(ctx, name) },
		adopt: func(ctx context.Context) error {
			return e.client.Tags.Update(ctx, name, tagPatch(TagArgs{}, in))
		},
		matches:       func(v litellm.Tag) bool { return tagMatches(v, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Tag <name> %s), choose another name, "+
			"or set adoptExisting: true", name),
	}
}

// tagObject is the tag as configured, in LiteLLM's JSON (without the name).
func tagObject(in TagArgs) object { return objectOf(in) }

// tagBody is the create body: the name and every configured field. There
// is no mark: a tag has no free-form map.
func tagBody(name string, in TagArgs) litellm.Tag {
	body := litellm.Tag(tagObject(in))
	body["name"] = name
	return body
}

// tagPatch is the update body: every configured field (LiteLLM replaces
// description and models with what is sent), and null for the removed
// budget fields (cleared in the tag's budget).
func tagPatch(olds, news TagArgs) litellm.Tag {
	body := litellm.Tag(tagObject(news))
	if _, ok := body["models"]; !ok {
		body["models"] = []any{}
	}
	for _, k := range removedKeys(tagObject(olds), objectOf(body)) {
		if tagClearable(k) {
			body[k] = nil
		}
	}
	return body
}

// tagFromServer is the tag as the inputs see it: description and models,
// and the budget it points to (budget_id and its limits).
func tagFromServer(t litellm.Tag) object {
	obj := object{}
	for _, k := range []string{"description", "models"} {
		if v, ok := t[k]; ok && v != nil {
			obj[k] = v
		}
	}
	budget := asObject(t["litellm_budget_table"])
	if id, ok := budget["budget_id"].(string); ok && id != "" {
		obj["budget_id"] = id
	}
	for _, k := range tagBudgetColumns {
		if v, ok := budget[k]; ok && v != nil {
			obj[k] = v
		}
	}
	return obj
}

// tagMatches: the server shows every configured field (a tag pointing to
// another budget's ID shows that budget's limits, which are not compared:
// Check keeps budgetId and limits apart).
func tagMatches(t litellm.Tag, in TagArgs) bool {
	return shows(tagFromServer(t), tagObject(in), nil)
}

// tagArgsFromServer rebuilds inputs: on refresh the fields the user owns,
// on import description, models and the budget's limits (not its ID: a
// tag with limits of its own points to a budget LiteLLM made for it);
// adoptExisting is kept as configured.
func tagArgsFromServer(t litellm.Tag, prior TagArgs, importing bool) (TagArgs, error) {
	server := tagFromServer(t)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(k string) bool { return k == "budget_id" })
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, tagObject(prior), nil)
	}
	var out TagArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.AdoptExisting = prior.AdoptExisting
	return out, nil
}
