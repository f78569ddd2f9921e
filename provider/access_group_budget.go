package provider

import (
	"context"
	"fmt"
	"net/http"
	"reflect"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// AccessGroupBudget is the shared budget of a legacy model access group
// (`PUT /access_group/{name}/budget`), token litellm:index:AccessGroupBudget.
type AccessGroupBudget struct{}

// AccessGroupBudgetArgs are the inputs of an AccessGroupBudget.
type AccessGroupBudgetArgs struct {
	AccessGroup    string   `pulumi:"accessGroup" litellm:"-"`
	BudgetID       *string  `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	MaxBudget      *float64 `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget     *float64 `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration *string  `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	AdoptExisting  *bool    `pulumi:"adoptExisting,optional" litellm:"-"`
}

// AccessGroupBudgetState is the recorded state of an AccessGroupBudget.
type AccessGroupBudgetState struct {
	AccessGroupBudgetArgs
	Writes
	// LinkedBudgetID is read back: the budget row the group points to (the
	// one LiteLLM made for the limits, or budgetId).
	LinkedBudgetID *string `pulumi:"linkedBudgetId,optional"`
}

var (
	_ infer.CustomResource[AccessGroupBudgetArgs, AccessGroupBudgetState] = (*AccessGroupBudget)(nil)
	_ infer.CustomCheck[AccessGroupBudgetArgs]                            = (*AccessGroupBudget)(nil)
	_ infer.CustomDiff[AccessGroupBudgetArgs, AccessGroupBudgetState]     = (*AccessGroupBudget)(nil)
	_ infer.CustomRead[AccessGroupBudgetArgs, AccessGroupBudgetState]     = (*AccessGroupBudget)(nil)
	_ infer.CustomUpdate[AccessGroupBudgetArgs, AccessGroupBudgetState]   = (*AccessGroupBudget)(nil)
	_ infer.CustomDelete[AccessGroupBudgetState]                          = (*AccessGroupBudget)(nil)
	_ infer.Annotated                                                     = (*AccessGroupBudget)(nil)
)

func accessGroupBudgetKind() kind {
	return kind{
		token:    "litellm:index:AccessGroupBudget",
		resource: infer.Resource(&AccessGroupBudget{}),
		check:    typedCheck(AccessGroupBudget{}.Check),
		diff:     typedDiff(AccessGroupBudget{}.Diff),
		read:     typedRead(AccessGroupBudget{}.Read),
		state:    reflect.TypeFor[AccessGroupBudgetState](),
	}
}

// Annotate documents the resource.
func (b *AccessGroupBudget) Annotate(a infer.Annotator) {
	a.SetToken("index", "AccessGroupBudget")
	if !documenting() {
		return
	}
	a.Describe(b, "The shared budget of a legacy model access group (`PUT /access_group/{name}/budget`, newest "+
		"LiteLLM): every key that can reach a model of the group draws from it. Either limits of its own "+
		"(`maxBudget`, `softBudget`, `budgetDuration`; LiteLLM makes a budget row for them) or an existing Budget "+
		"(`budgetId`). The group's name is the ID.\n\n"+
		"LiteLLM's write is an upsert that would silently replace another budget of the group, so the create reads "+
		"first and refuses a group that already has a budget unless `adoptExisting` is set.\n\n"+
		"Changing a limit or `budgetId` is made in place; LiteLLM cannot clear a limit, so removing one (or "+
		"`budgetId`) replaces the link (a new budget row; the old one stays). Deleting the resource (or the group) "+
		"drops the link; the budget row stays.\n\n"+
		"Import with `pulumi import litellm:index:AccessGroupBudget <name> <group name>`.")
}

// Annotate documents the inputs.
func (b *AccessGroupBudgetArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&b.AccessGroup, "The access group's name (an AccessGroup resource's `accessGroup`). Changing it replaces "+
		"the budget link.")
	a.Describe(&b.BudgetID, "An existing budget to link (a Budget resource's `budgetId`), instead of limits of its own.")
	a.Describe(&b.MaxBudget, "Requests fail once the group's shared spend exceeds this, in USD. Never sent as 0 when unset.")
	a.Describe(&b.SoftBudget, "Spend, in USD, at which an alert fires; requests still pass.")
	a.Describe(&b.BudgetDuration, "How often the group's spend is reset, e.g. `30d`.")
	a.Describe(&b.AdoptExisting, "If the group already has a budget that this resource did not set, replace it with "+
		"this one instead of failing. Default false.")
}

// Annotate documents the outputs.
func (b *AccessGroupBudgetState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &b.Writes)
	a.Describe(&b.LinkedBudgetID, "The budget row the group points to (made by LiteLLM for the limits, or `budgetId`), "+
		"as the proxy reported it at the last refresh or import.")
}

// ---- the kind's rules ----

var accessGroupBudgetArgsType = reflect.TypeFor[AccessGroupBudgetArgs]()

// accessGroupBudgetClearable: nothing; the PUT ignores nulls
// (handle_budget_for_entity without cleared fields).
func accessGroupBudgetClearable(string) bool { return false }

func (b AccessGroupBudgetArgs) MarshalJSON() ([]byte, error) { return marshalWire(b, nil) }

func (b *AccessGroupBudgetArgs) UnmarshalJSON(data []byte) error { return unmarshalWire(data, b, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (AccessGroupBudget) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[AccessGroupBudgetArgs], error) {
	in, failures := decodeInputs[AccessGroupBudgetArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[AccessGroupBudgetArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.id("accessGroup", in.AccessGroup)
	limits := in.MaxBudget != nil || in.SoftBudget != nil || in.BudgetDuration != nil
	switch {
	case in.BudgetID != nil && limits:
		v.fail("budgetId", "cannot be set together with maxBudget, softBudget or budgetDuration: LiteLLM would write "+
			"them into budget %q; set the limits on that Budget, or leave budgetId unset", *in.BudgetID)
	case in.BudgetID != nil:
		v.require("budgetId", *in.BudgetID)
	case !limits && !unknown(req.NewInputs, "maxBudget") && !unknown(req.NewInputs, "budgetId"):
		v.fail("maxBudget", "set maxBudget, softBudget, budgetDuration or budgetId: LiteLLM refuses an empty budget")
	}
	v.nonNegative("maxBudget", in.MaxBudget)
	v.nonNegative("softBudget", in.SoftBudget)
	if in.BudgetDuration != nil {
		v.duration("budgetDuration", *in.BudgetDuration)
	}
	return infer.CheckResponse[AccessGroupBudgetArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: changed limits and budgetId are in place; a removed one, or a new
// group, replaces the link.
func (AccessGroupBudget) Diff(_ context.Context, req infer.DiffRequest[AccessGroupBudgetArgs, AccessGroupBudgetState]) (infer.DiffResponse, error) {
	olds, news := req.State.AccessGroupBudgetArgs, req.Inputs
	d := newDiffer()
	d.merged("", accessGroupBudgetArgsType, objectOf(olds), objectOf(news), accessGroupBudgetClearable)
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	if news.AccessGroup != req.ID {
		d.add("accessGroup", p.UpdateReplace)
	}
	return d.response(true), nil
}

// Create links the budget to the group, unless the group has one already.
func (AccessGroupBudget) Create(ctx context.Context, req infer.CreateRequest[AccessGroupBudgetArgs]) (infer.CreateResponse[AccessGroupBudgetState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[AccessGroupBudgetState]{ID: in.AccessGroup, Output: AccessGroupBudgetState{AccessGroupBudgetArgs: in}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, in.AccessGroup)
	out, err := runCreate(ctx, e, accessGroupBudgetCreateOp(e, id, in, false))
	return created(id, AccessGroupBudgetState{AccessGroupBudgetArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the budget link (or imports it, as limits).
func (AccessGroupBudget) Read(ctx context.Context, req infer.ReadRequest[AccessGroupBudgetArgs, AccessGroupBudgetState]) (infer.ReadResponse[AccessGroupBudgetArgs, AccessGroupBudgetState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.AccessGroupBudgetArgs, func(a AccessGroupBudgetArgs) bool {
		return len(objectOf(a)) == 0 && a.AccessGroup == ""
	})
	b, found, err := runRead(ctx, e, readOp[litellm.ModelAccessGroupBudget]{
		target:    accessGroupBudgetTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(b litellm.ModelAccessGroupBudget) bool { return accessGroupBudgetMatches(b, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[AccessGroupBudgetArgs, AccessGroupBudgetState]{}, err
	}
	in, err := accessGroupBudgetArgsFromServer(b, prior, importing)
	if err != nil {
		return infer.ReadResponse[AccessGroupBudgetArgs, AccessGroupBudgetState]{}, fmt.Errorf("access group budget %s: unexpected answer: %w", req.ID, err)
	}
	in.AccessGroup = req.ID
	return infer.ReadResponse[AccessGroupBudgetArgs, AccessGroupBudgetState]{ID: req.ID, Inputs: in,
		State: accessGroupBudgetState(in, req.State.Writes, b)}, nil
}

// Update writes the changed limits or budgetId (an upsert: a link deleted
// out of band is set again).
func (AccessGroupBudget) Update(ctx context.Context, req infer.UpdateRequest[AccessGroupBudgetArgs, AccessGroupBudgetState]) (infer.UpdateResponse[AccessGroupBudgetState], error) {
	in, id := req.Inputs, req.ID
	state := AccessGroupBudgetState{AccessGroupBudgetArgs: in, Writes: req.State.Writes, LinkedBudgetID: req.State.LinkedBudgetID}
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(objectOf(req.State.AccessGroupBudgetArgs), objectOf(in))) {
		return infer.UpdateResponse[AccessGroupBudgetState]{Output: state}, nil
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.ModelAccessGroupBudget]{
		patch: func(ctx context.Context) error {
			_, err := e.client.ModelAccessGroups.SetBudget(ctx, id, objectOf(in))
			return err
		},
		resume:      accessGroupBudgetCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete drops the link (the budget row stays); a group without a budget,
// or without deployments, is fine.
func (AccessGroupBudget) Delete(ctx context.Context, req infer.DeleteRequest[AccessGroupBudgetState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.ModelAccessGroupBudget]{
		target:    accessGroupBudgetTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.ModelAccessGroups.DeleteBudget(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// accessGroupBudgetTarget reads the group's budget; a group without one is
// a miss. There is no mark.
func accessGroupBudgetTarget(e env, name string) target[litellm.ModelAccessGroupBudget] {
	return target[litellm.ModelAccessGroupBudget]{
		kind:     "accessgroupbudget",
		objectID: name,
		what:     "the budget of access group " + name,
		get: func(ctx context.Context) (litellm.ModelAccessGroupBudget, error) {
			b, err := e.client.ModelAccessGroups.GetBudget(ctx, name)
			if err != nil {
				return nil, err
			}
			if b["budget"] == nil {
				return nil, &litellm.Error{Kind: litellm.KindNotFound, Op: "GET /access_group/{access_group}/budget",
					Status: http.StatusOK, Message: fmt.Sprintf("access group %q has no budget", name)}
			}
			return b, nil
		},
		markOf: func(litellm.ModelAccessGroupBudget) (mark, bool) { return mark{}, false },
	}
}

func accessGroupBudgetCreateOp(e env, name string, in AccessGroupBudgetArgs, resume bool) createOp[litellm.ModelAccessGroupBudget] {
	me := e.identity().attempting()
	own := &unmarked{me: me, unsure: resume}
	body := objectOf(in)
	t := accessGroupBudgetTarget(e, name)
	t.markOf = func(b litellm.ModelAccessGroupBudget) (mark, bool) {
		return own.markOf(accessGroupBudgetMatches(b, in))
	}
	set := func(ctx context.Context) error {
		_, err := e.client.ModelAccessGroups.SetBudget(ctx, name, body)
		return err
	}
	return createOp[litellm.ModelAccessGroupBudget]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error {
			// The PUT is an upsert: read first, so that a budget someone
			// else set is a conflict, not silently replaced.
			if !deref(in.AdoptExisting) && !own.unsure {
				if err := refuseExisting(ctx, t.get, "PUT /access_group/{access_group}/budget",
					fmt.Sprintf("access group %q already has a budget", name)); err != nil {
					return err
				}
			}
			return own.sent(set(ctx))
		},
		del:           func(ctx context.Context) error { return e.client.ModelAccessGroups.DeleteBudget(ctx, name) },
		adopt:         set,
		matches:       func(b litellm.ModelAccessGroupBudget) bool { return accessGroupBudgetMatches(b, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:AccessGroupBudget <name> %s), or set "+
			"adoptExisting: true to replace it", name),
		// The group, created moments ago, may not be readable yet.
		retryable: litellm.IsNotFound,
	}
}

func accessGroupBudgetState(in AccessGroupBudgetArgs, w Writes, b litellm.ModelAccessGroupBudget) AccessGroupBudgetState {
	s := AccessGroupBudgetState{AccessGroupBudgetArgs: in, Writes: w}
	if id, ok := asObject(b["budget"])["budget_id"].(string); ok && id != "" {
		s.LinkedBudgetID = &id
	}
	return s
}

// accessGroupBudgetFromServer is the budget as the inputs see it.
func accessGroupBudgetFromServer(b litellm.ModelAccessGroupBudget) object {
	obj := object{}
	for k, v := range asObject(b["budget"]) {
		if _, ok := fieldsOf(accessGroupBudgetArgsType).byKey[k]; ok && v != nil {
			obj[k] = v
		}
	}
	return obj
}

// accessGroupBudgetMatches: the server shows every configured field.
func accessGroupBudgetMatches(b litellm.ModelAccessGroupBudget, in AccessGroupBudgetArgs) bool {
	return shows(accessGroupBudgetFromServer(b), objectOf(in), nil)
}

// accessGroupBudgetArgsFromServer rebuilds inputs: on refresh the fields
// the program sets, on import the limits (not the ID of the budget LiteLLM
// made for them).
func accessGroupBudgetArgsFromServer(b litellm.ModelAccessGroupBudget, prior AccessGroupBudgetArgs, importing bool) (AccessGroupBudgetArgs, error) {
	server := accessGroupBudgetFromServer(b)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(k string) bool { return k == "budget_id" })
		if len(obj) == 0 {
			obj = object{"budget_id": server["budget_id"]}
		}
	} else {
		obj = ownedFields(server, objectOf(prior), nil)
	}
	var out AccessGroupBudgetArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.AdoptExisting = prior.AdoptExisting
	return out, nil
}
