package provider

import (
	"context"
	"fmt"
	"reflect"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Budget is a LiteLLM budget (`/budget/new`), token litellm:index:Budget.
type Budget struct{}

// BudgetArgs are the inputs of a Budget.
type BudgetArgs struct {
	BudgetID            *string                   `pulumi:"budgetId,optional" litellm:"-"`
	MaxBudget           *float64                  `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64                  `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	MaxParallelRequests *int                      `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	TpmLimit            *int                      `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int                      `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	BudgetDuration      *string                   `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	ModelMaxBudget      map[string]KeyModelBudget `pulumi:"modelMaxBudget,optional" litellm:"model_max_budget,omitzero"`
	AdoptExisting       *bool                     `pulumi:"adoptExisting,optional" litellm:"-"`
}

// BudgetState is the recorded state of a Budget.
type BudgetState struct {
	BudgetArgs
	// BudgetID shadows the input: as an output it is always set.
	BudgetID string `pulumi:"budgetId"`
	Writes
	// BudgetResetAt is read back, never written: the proxy's reset job moves it.
	BudgetResetAt *string `pulumi:"budgetResetAt,optional"`
}

var (
	_ infer.CustomResource[BudgetArgs, BudgetState] = (*Budget)(nil)
	_ infer.CustomCheck[BudgetArgs]                 = (*Budget)(nil)
	_ infer.CustomDiff[BudgetArgs, BudgetState]     = (*Budget)(nil)
	_ infer.CustomRead[BudgetArgs, BudgetState]     = (*Budget)(nil)
	_ infer.CustomUpdate[BudgetArgs, BudgetState]   = (*Budget)(nil)
	_ infer.CustomDelete[BudgetState]               = (*Budget)(nil)
	_ infer.Annotated                               = (*Budget)(nil)
)

func budgetKind() kind {
	return kind{
		token:    "litellm:index:Budget",
		resource: infer.Resource(&Budget{}),
		check:    typedCheck(Budget{}.Check),
		diff:     typedDiff(Budget{}.Diff),
		read:     typedRead(Budget{}.Read),
		state:    reflect.TypeFor[BudgetState](),
	}
}

// Annotate documents the resource.
func (b *Budget) Annotate(a infer.Annotator) {
	a.SetToken("index", "Budget")
	if !documenting() {
		return
	}
	a.Describe(b, "A budget on a LiteLLM proxy (`POST /budget/new`): a spend limit, rate limits and a reset period "+
		"that customers, keys, projects and team members point to by `budgetId`. The budget ID is chosen by the "+
		"provider (derived from the stack and the resource, so that an interrupted create is found again) unless "+
		"`budgetId` pins it.\n\n"+
		"A LiteLLM budget has no metadata, so it cannot carry the ownership mark other resources carry. A budget "+
		"is taken as this resource's only when its ID is the one derived for this resource, or when it is the "+
		"answer to this create (after a lost answer, a budget that shows exactly the fields sent); a budget that "+
		"exists under a pinned `budgetId` before the create is someone else's and is never taken over without "+
		"`adoptExisting`.\n\n"+
		"Every change is made in place; only a new `budgetId` replaces the budget (deleting a budget unlinks the "+
		"customers that point to it).\n\n"+
		"Import with `pulumi import litellm:index:Budget <name> <budget id>`.")
}

// Annotate documents the inputs.
func (b *BudgetArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&b.BudgetID, "The budget's ID. Leave it unset to let the provider choose one; set it when something "+
		"outside Pulumi refers to the budget by ID (e.g. `free_tier`). Changing it replaces the budget.")
	a.Describe(&b.MaxBudget, "Maximum spend, in USD, of whatever uses the budget. Unset: no limit (never sent as 0).")
	a.Describe(&b.SoftBudget, "Spend, in USD, at which the proxy sends budget alerts (requests still pass).")
	a.Describe(&b.MaxParallelRequests, "Maximum concurrent requests.")
	a.Describe(&b.TpmLimit, "Tokens per minute.")
	a.Describe(&b.RpmLimit, "Requests per minute.")
	a.Describe(&b.BudgetDuration, "How often the spend is reset, e.g. `30d`, `1mo`.")
	a.Describe(&b.ModelMaxBudget, "Budget per model, e.g. `{\"gpt-4o\": {budgetLimit: 10, timePeriod: \"30d\"}}` "+
		"(a LiteLLM Enterprise feature: sent only when set).")
	a.Describe(&b.AdoptExisting, "If a budget with this ID already exists and was not created by this resource, take "+
		"it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (b *BudgetState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &b.Writes)
	a.Describe(&b.BudgetResetAt, "When the proxy next resets the spend (set from `budgetDuration`), as it reported "+
		"it at the last refresh or import.")
}

// ---- the kind's rules ----

// budgetArgsType is BudgetArgs' type, for its JSON keys.
var budgetArgsType = reflect.TypeFor[BudgetArgs]()

// budgetReadable: the fields of a budget row that are inputs (the rest,
// budget_id, budget_reset_at, created_at, created_by and the like, is the
// proxy's).
func budgetReadable(k string) bool {
	_, ok := fieldsOf(budgetArgsType).byKey[k]
	return ok
}

// budgetClearable: /budget/update writes every field it is sent
// (exclude_unset), so a removed field is cleared with null (older proxies
// drop nulls and keep the value).
func budgetClearable(string) bool { return true }

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's budget object (jsonmap.go).
func (b BudgetArgs) MarshalJSON() ([]byte, error) { return marshalWire(b, nil) }

func (b *BudgetArgs) UnmarshalJSON(data []byte) error { return unmarshalWire(data, b, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Budget) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[BudgetArgs], error) {
	in, failures := decodeInputs[BudgetArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[BudgetArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.BudgetID != nil {
		v.id("budgetId", *in.BudgetID)
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
	return infer.CheckResponse[BudgetArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place, except a new pinned ID.
func (Budget) Diff(_ context.Context, req infer.DiffRequest[BudgetArgs, BudgetState]) (infer.DiffResponse, error) {
	olds, news := req.State.BudgetArgs, req.Inputs
	d := newDiffer()
	d.merged("", budgetArgsType, budgetObject(olds), budgetObject(news), budgetClearable)
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.BudgetID)
	if pinned != "" && pinned != req.ID {
		d.add("budgetId", p.UpdateReplace)
	} else if deref(olds.BudgetID) != pinned && !(olds.BudgetID != nil && deref(olds.BudgetID) == req.ID && pinned == "") {
		d.add("budgetId", p.Update) // pinning the ID the budget already has, or un-pinning it, changes nothing on the proxy
	}
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create stores the budget under its ID (pinned, or chosen by objectIDFor).
func (Budget) Create(ctx context.Context, req infer.CreateRequest[BudgetArgs]) (infer.CreateResponse[BudgetState], error) {
	in := req.Inputs
	pinned := deref(in.BudgetID)
	if req.DryRun {
		return infer.CreateResponse[BudgetState]{ID: pinned, Output: BudgetState{BudgetArgs: in, BudgetID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, budgetCreateOp(e, id, in, false))
	return created(id, budgetState(id, in, stamp(e, out, err), nil), out, err)
}

// Read refreshes the budget (or imports it). Budget reads come from the
// database; see runRead for when a miss or an older version is believed.
func (Budget) Read(ctx context.Context, req infer.ReadRequest[BudgetArgs, BudgetState]) (infer.ReadResponse[BudgetArgs, BudgetState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.BudgetArgs, func(a BudgetArgs) bool { return len(objectOf(a)) == 0 && a.BudgetID == nil })
	if !importing && req.Inputs.BudgetID == nil {
		prior.BudgetID = nil // the ID in the state is the output, not a pinned input
	}
	b, found, err := runRead(ctx, e, readOp[litellm.Budget]{
		target:    budgetTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(b litellm.Budget) bool { return budgetMatches(b, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[BudgetArgs, BudgetState]{}, err
	}
	in, err := budgetArgsFromServer(b, prior, importing)
	if err != nil {
		return infer.ReadResponse[BudgetArgs, BudgetState]{}, fmt.Errorf("budget %s: unexpected answer: %w", req.ID, err)
	}
	return infer.ReadResponse[BudgetArgs, BudgetState]{ID: req.ID, Inputs: in,
		State: budgetState(req.ID, in, req.State.Writes, b)}, nil
}

// Update writes the changed fields in place (creating the budget again
// under the same ID if it is gone).
func (Budget) Update(ctx context.Context, req infer.UpdateRequest[BudgetArgs, BudgetState]) (infer.UpdateResponse[BudgetState], error) {
	in, id := req.Inputs, req.ID
	state := budgetState(id, in, req.State.Writes, nil)
	state.BudgetResetAt = req.State.BudgetResetAt
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(budgetObject(req.State.BudgetArgs), budgetObject(in))) {
		return infer.UpdateResponse[BudgetState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.Budget]{
		// An unknown ID is answered 200 null: a miss, and the update
		// policy creates the budget again.
		patch: func(ctx context.Context) error {
			return e.client.Budgets.Update(ctx, id, budgetPatch(req.State.BudgetArgs, in))
		},
		resume:      budgetCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the budget; one that is already gone is fine (LiteLLM
// answers 200 null).
func (Budget) Delete(ctx context.Context, req infer.DeleteRequest[BudgetState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Budget]{
		target:    budgetTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Budgets.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// budgetTarget: a budget carries no mark (markOf never finds one), so a
// refresh or delete never takes it for someone else's; the create op
// proves ownership instead (unmarked).
func budgetTarget(e env, id string) target[litellm.Budget] {
	return target[litellm.Budget]{
		kind:     "budget",
		objectID: id,
		what:     "budget " + id,
		get:      func(ctx context.Context) (litellm.Budget, error) { return e.client.Budgets.Get(ctx, id) },
		markOf:   func(litellm.Budget) (mark, bool) { return mark{}, false },
	}
}

func budgetCreateOp(e env, id string, in BudgetArgs, resume bool) createOp[litellm.Budget] {
	me := e.identity().attempting()
	// resume: the ID is this resource's in the stack's state, and a create
	// recorded as pending may have landed in an earlier run.
	own := &unmarked{me: me, derived: id == objectIDFor(e, ""), unsure: resume}
	body := budgetBody(id, in)
	t := budgetTarget(e, id)
	t.markOf = func(b litellm.Budget) (mark, bool) { return own.markOf(budgetMatches(b, in)) }
	return createOp[litellm.Budget]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error { return own.sent(e.client.Budgets.Create(ctx, body)) },
		del:    func(ctx context.Context) error { return e.client.Budgets.Delete(ctx, id) },
		adopt: func(ctx context.Context) error {
			return e.client.Budgets.Update(ctx, id, budgetPatch(BudgetArgs{}, in))
		},
		matches:       func(b litellm.Budget) bool { return budgetMatches(b, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Budget <name> %s), choose another budgetId, "+
			"or set adoptExisting: true", id),
	}
}

func budgetState(id string, in BudgetArgs, w Writes, server litellm.Budget) BudgetState {
	in.BudgetID = &id
	s := BudgetState{BudgetArgs: in, BudgetID: id, Writes: w}
	if at, ok := server["budget_reset_at"].(string); ok && at != "" {
		s.BudgetResetAt = &at
	}
	return s
}

// budgetObject is the budget as configured, in LiteLLM's JSON (without the ID).
func budgetObject(in BudgetArgs) object { return objectOf(in) }

// budgetBody is the create body: every configured field and the ID. There
// is no mark: a budget has no free-form map.
func budgetBody(id string, in BudgetArgs) litellm.Budget {
	body := litellm.Budget(budgetObject(in))
	body["budget_id"] = id
	return body
}

// budgetPatch is the update body: every configured field, and null for the
// removed ones.
func budgetPatch(olds, news BudgetArgs) litellm.Budget {
	body := litellm.Budget(budgetObject(news))
	for _, k := range removedKeys(budgetObject(olds), objectOf(body)) {
		if budgetClearable(k) {
			body[k] = nil
		}
	}
	return body
}

// budgetFromServer is the budget row as the inputs see it.
func budgetFromServer(b litellm.Budget) object {
	obj := object{}
	for k, v := range b {
		if budgetReadable(k) {
			obj[k] = v
		}
	}
	return obj
}

// budgetMatches: the server shows every configured field.
func budgetMatches(b litellm.Budget, in BudgetArgs) bool {
	return shows(budgetFromServer(b), budgetObject(in), nil)
}

// budgetArgsFromServer rebuilds inputs: on refresh the fields the user
// owns, on import every readable field; budgetId and adoptExisting are kept
// as configured.
func budgetArgsFromServer(b litellm.Budget, prior BudgetArgs, importing bool) (BudgetArgs, error) {
	server := budgetFromServer(b)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(string) bool { return false })
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, budgetObject(prior), nil)
	}
	var out BudgetArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.BudgetID, out.AdoptExisting = prior.BudgetID, prior.AdoptExisting
	return out, nil
}
