package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Customer is a LiteLLM customer, an end user of the proxy (`/customer/new`),
// token litellm:index:Customer.
type Customer struct{}

// CustomerArgs are the inputs of a Customer.
type CustomerArgs struct {
	UserID             *string  `pulumi:"userId,optional" litellm:"-"`
	Alias              *string  `pulumi:"alias,optional" litellm:"alias,omitzero"`
	Blocked            *bool    `pulumi:"blocked,optional" litellm:"blocked,omitzero"`
	MaxBudget          *float64 `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	BudgetID           *string  `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	AllowedModelRegion *string  `pulumi:"allowedModelRegion,optional" litellm:"allowed_model_region,omitzero"`
	DefaultModel       *string  `pulumi:"defaultModel,optional" litellm:"default_model,omitzero"`
	AdoptExisting      *bool    `pulumi:"adoptExisting,optional" litellm:"-"`
}

// CustomerState is the recorded state of a Customer.
type CustomerState struct {
	CustomerArgs
	// UserID shadows the input: as an output it is always set.
	UserID string `pulumi:"userId"`
	Writes
}

var (
	_ infer.CustomResource[CustomerArgs, CustomerState] = (*Customer)(nil)
	_ infer.CustomCheck[CustomerArgs]                   = (*Customer)(nil)
	_ infer.CustomDiff[CustomerArgs, CustomerState]     = (*Customer)(nil)
	_ infer.CustomRead[CustomerArgs, CustomerState]     = (*Customer)(nil)
	_ infer.CustomUpdate[CustomerArgs, CustomerState]   = (*Customer)(nil)
	_ infer.CustomDelete[CustomerState]                 = (*Customer)(nil)
	_ infer.Annotated                                   = (*Customer)(nil)
)

func customerKind() kind {
	return kind{
		token:    "litellm:index:Customer",
		resource: infer.Resource(&Customer{}),
		check:    typedCheck(Customer{}.Check),
		diff:     typedDiff(Customer{}.Diff),
		read:     typedRead(Customer{}.Read),
		state:    reflect.TypeFor[CustomerState](),
	}
}

// Annotate documents the resource.
func (c *Customer) Annotate(a infer.Annotator) {
	a.SetToken("index", "Customer")
	if !documenting() {
		return
	}
	a.Describe(c, "A customer of a LiteLLM proxy (`POST /customer/new`): an end user, identified by the `user` "+
		"field your application sends with each request, with its own budget (`maxBudget`) or a shared one "+
		"(`budgetId`, e.g. a `litellm:index:Budget`), a model region and a default model, and whether it is "+
		"blocked. The ID (`userId`) is usually pinned, since your application sends it; unset, the provider "+
		"derives one from the stack and the resource.\n\n"+
		"A LiteLLM customer has no metadata, so it cannot carry the ownership mark other resources carry: a "+
		"customer is taken as this resource's only when its ID is the one derived for this resource, or when it is "+
		"the answer to this create (after a lost answer, a customer that shows exactly the fields sent). A "+
		"customer that already exists under a pinned `userId` is never taken over without `adoptExisting`.\n\n"+
		"LiteLLM's update writes only values that are set and not `false` or 0: removing a property leaves the "+
		"proxy's value, unblocking (`blocked` from true to false or unset) and removing `budgetId` replace the "+
		"customer (its spend starts again at 0), and a customer with its own budget is never moved onto a shared "+
		"one's fields.\n\n"+
		"Import with `pulumi import litellm:index:Customer <name> <user id>`.")
}

// Annotate documents the inputs.
func (c *CustomerArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&c.UserID, "The customer's ID: the `user` your application sends in its requests. Leave it unset to "+
		"let the provider choose one. Changing it replaces the customer.")
	a.Describe(&c.Alias, "Display name of the customer.")
	a.Describe(&c.Blocked, "Reject every request of this customer. LiteLLM's update cannot unblock: going back to "+
		"false (or unset) replaces the customer.")
	a.Describe(&c.MaxBudget, "Maximum spend of the customer, in USD, kept in a budget of its own that LiteLLM makes "+
		"with the customer. Unset: no limit (never sent as 0). Not together with `budgetId`.")
	a.Describe(&c.BudgetID, "The ID of a budget the customer shares (e.g. a `litellm:index:Budget`'s `budgetId`), "+
		"for limits and a reset period. Not together with `maxBudget`. Removing it replaces the customer (LiteLLM "+
		"cannot unlink a budget).")
	a.Describe(&c.AllowedModelRegion, "Region every request of the customer must be served in: `eu` or `us`.")
	a.Describe(&c.DefaultModel, "Model used when no model of the allowed region fits. It must be a model name the "+
		"proxy serves when the customer is created.")
	a.Describe(&c.AdoptExisting, "If a customer with this ID already exists and was not created by this resource, "+
		"take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (c *CustomerState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &c.Writes)
}

// ---- the kind's rules ----

// customerArgsType is CustomerArgs' type, for its JSON keys and property paths.
var customerArgsType = reflect.TypeFor[CustomerArgs]()

// customerServerFilled: keys of a customer row that the proxy fills in
// (never imported, never compared): spend, the object permission, the
// budget row itself (its max_budget is lifted to maxBudget).
func customerServerFilled(k string) bool {
	switch k {
	case "user_id", "spend", "litellm_budget_table", "object_permission_id", "object_permission":
		return true
	}
	return false
}

// customerClearable: /customer/update writes only values that are not
// null, [], {}, 0 or false, so nothing can be cleared. A removed field
// leaves the proxy's value (an update that sends nothing for it), except
// the ones that replace the customer: blocked (LiteLLM cannot unblock) and
// budget_id (it cannot unlink; keeping the link and then sending max_budget
// would change the shared budget).
func customerClearable(k string) bool { return k != "blocked" && k != "budget_id" }

var customerRegions = []string{"eu", "us"}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's customer object (jsonmap.go).
func (c CustomerArgs) MarshalJSON() ([]byte, error) { return marshalWire(c, nil) }

func (c *CustomerArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, c, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Customer) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[CustomerArgs], error) {
	in, failures := decodeInputs[CustomerArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[CustomerArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.UserID != nil {
		v.id("userId", *in.UserID)
	}
	if in.BudgetID != nil {
		v.id("budgetId", *in.BudgetID)
	}
	v.nonNegative("maxBudget", in.MaxBudget)
	if in.MaxBudget != nil && in.BudgetID != nil {
		v.fail("maxBudget", "set either maxBudget (a budget of the customer's own) or budgetId (a shared budget), not "+
			"both: with budgetId, maxBudget would change the shared budget; got %g", *in.MaxBudget)
	}
	v.oneOf("allowedModelRegion", in.AllowedModelRegion, customerRegions)
	for prop, s := range map[string]*string{"alias": in.Alias, "defaultModel": in.DefaultModel} {
		if s != nil && strings.TrimSpace(*s) == "" {
			v.fail(prop, "must not be empty (leave it unset instead), got %q", *s)
		}
	}
	return infer.CheckResponse[CustomerArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: changes are made in place where LiteLLM's update can make them;
// unblocking, removing budgetId and a new pinned ID replace the customer.
func (Customer) Diff(_ context.Context, req infer.DiffRequest[CustomerArgs, CustomerState]) (infer.DiffResponse, error) {
	olds, news := req.State.CustomerArgs, req.Inputs
	d := newDiffer()
	d.merged("", customerArgsType, customerObject(olds), customerObject(news), customerClearable)
	if deref(olds.Blocked) && news.Blocked != nil && !*news.Blocked {
		d.add("blocked", p.UpdateReplace) // /customer/update drops blocked: false
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.UserID)
	if pinned != "" && pinned != req.ID {
		d.add("userId", p.UpdateReplace)
	} else if deref(olds.UserID) != pinned && !(olds.UserID != nil && deref(olds.UserID) == req.ID && pinned == "") {
		d.add("userId", p.Update) // pinning the ID the customer already has, or un-pinning it, changes nothing on the proxy
	}
	// A replacement under the same pinned ID deletes first (one customer per ID).
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create stores the customer under its ID (pinned, or chosen by objectIDFor).
func (Customer) Create(ctx context.Context, req infer.CreateRequest[CustomerArgs]) (infer.CreateResponse[CustomerState], error) {
	in := req.Inputs
	pinned := deref(in.UserID)
	if req.DryRun {
		return infer.CreateResponse[CustomerState]{ID: pinned, Output: CustomerState{CustomerArgs: in, UserID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, customerCreateOp(e, id, in, false))
	return created(id, customerState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the customer (or imports it). Customer reads come from
// the database; see runRead for when a miss or an older version is
// believed.
func (Customer) Read(ctx context.Context, req infer.ReadRequest[CustomerArgs, CustomerState]) (infer.ReadResponse[CustomerArgs, CustomerState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.CustomerArgs, func(a CustomerArgs) bool { return len(objectOf(a)) == 0 && a.UserID == nil })
	if !importing && req.Inputs.UserID == nil {
		prior.UserID = nil // the ID in the state is the output, not a pinned input
	}
	c, found, err := runRead(ctx, e, readOp[litellm.Customer]{
		target:    customerTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(c litellm.Customer) bool { return customerMatches(c, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[CustomerArgs, CustomerState]{}, err
	}
	in, err := customerArgsFromServer(c, prior, importing)
	if err != nil {
		return infer.ReadResponse[CustomerArgs, CustomerState]{}, fmt.Errorf("customer %s: unexpected answer: %w", req.ID, err)
	}
	if importing && in.BudgetID != nil {
		e.warnf(ctx, "customer %s: its budget (%s) was imported as budgetId, not as maxBudget: manage that budget with "+
			"litellm:index:Budget (pulumi import litellm:index:Budget <name> %s)", req.ID, *in.BudgetID, *in.BudgetID)
	}
	return infer.ReadResponse[CustomerArgs, CustomerState]{ID: req.ID, Inputs: in, State: customerState(req.ID, in, req.State.Writes)}, nil
}

// Update writes the changed fields in place (creating the customer again
// under the same ID if it is gone).
func (Customer) Update(ctx context.Context, req infer.UpdateRequest[CustomerArgs, CustomerState]) (infer.UpdateResponse[CustomerState], error) {
	in, id := req.Inputs, req.ID
	state := customerState(id, in, req.State.Writes)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(customerObject(req.State.CustomerArgs), customerObject(in))) {
		return infer.UpdateResponse[CustomerState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.Customer]{
		patch:       func(ctx context.Context) error { return e.client.Customers.Update(ctx, id, customerPatch(in)) },
		resume:      customerCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the customer; one that is already gone is fine. Its own
// budget stays on the proxy (LiteLLM deletes only the customer row).
func (Customer) Delete(ctx context.Context, req infer.DeleteRequest[CustomerState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Customer]{
		target:    customerTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Customers.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// customerTarget: a customer carries no mark (markOf never finds one), so
// a refresh or delete never takes it for someone else's; the create op
// proves ownership instead (unmarked, budget.go).
func customerTarget(e env, id string) target[litellm.Customer] {
	return target[litellm.Customer]{
		kind:     "customer",
		objectID: id,
		what:     "customer " + id,
		get:      func(ctx context.Context) (litellm.Customer, error) { return e.client.Customers.Get(ctx, id) },
		markOf:   func(litellm.Customer) (mark, bool) { return mark{}, false },
	}
}

func customerCreateOp(e env, id string, in CustomerArgs, resume bool) createOp[litellm.Customer] {
	me := e.identity().attempting()
	// resume: the ID is this resource's in the stack's state, and a create
	// recorded as pending may have landed in an earlier run.
	own := &unmarked{me: me, derived: id == objectIDFor(e, ""), unsure: resume}
	body := customerBody(id, in)
	t := customerTarget(e, id)
	t.markOf = func(c litellm.Customer) (mark, bool) { return own.markOf(customerMatches(c, in)) }
	return createOp[litellm.Customer]{
		target:        t,
		id:            me,
		create:        func(ctx context.Context) error { return own.sent(e.client.Customers.Create(ctx, body)) },
		del:           func(ctx context.Context) error { return e.client.Customers.Delete(ctx, id) },
		adopt:         func(ctx context.Context) error { return e.client.Customers.Update(ctx, id, customerPatch(in)) },
		matches:       func(c litellm.Customer) bool { return customerMatches(c, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Customer <name> %s), choose another userId, "+
			"or set adoptExisting: true", id),
		// /customer/new checks defaultModel against the answering worker's
		// router: a model created moments ago may not be loaded there yet.
		retryable: func(err error) bool {
			msg := strings.ToLower(err.Error())
			return strings.Contains(msg, "default model not on proxy") || strings.Contains(msg, "no models configured on proxy")
		},
	}
}

func customerState(id string, in CustomerArgs, w Writes) CustomerState {
	in.UserID = &id
	return CustomerState{CustomerArgs: in, UserID: id, Writes: w}
}

// customerObject is the customer as configured, in LiteLLM's JSON (without
// the ID).
func customerObject(in CustomerArgs) object { return objectOf(in) }

// customerBody is the create body: every configured field and the ID. There
// is no mark: a customer has no free-form map.
func customerBody(id string, in CustomerArgs) litellm.Customer {
	body := litellm.Customer(customerObject(in))
	body["user_id"] = id
	return body
}

// customerPatch is the update body: every configured field (LiteLLM skips
// false and 0 itself; removed fields cannot be cleared and are left out).
func customerPatch(in CustomerArgs) litellm.Customer { return litellm.Customer(customerObject(in)) }

// customerFromServer is the customer row as the inputs see it: its columns
// and, as max_budget, the max_budget of the budget it points to.
func customerFromServer(c litellm.Customer) object {
	obj := object{}
	for k, v := range c {
		if !customerServerFilled(k) {
			obj[k] = v
		}
	}
	if mb, ok := asObject(c["litellm_budget_table"])["max_budget"]; ok && mb != nil {
		obj["max_budget"] = mb
	}
	return obj
}

// customerMatches: the server shows every configured field.
func customerMatches(c litellm.Customer, in CustomerArgs) bool {
	return shows(customerFromServer(c), customerObject(in), nil)
}

// customerArgsFromServer rebuilds inputs: on refresh the fields the user
// owns, on import every readable field. An imported customer that points to
// a budget keeps that link as budgetId and leaves maxBudget out: the budget
// may be shared, and maxBudget would change it. blocked: false (LiteLLM's
// default) is left out too.
func customerArgsFromServer(c litellm.Customer, prior CustomerArgs, importing bool) (CustomerArgs, error) {
	server := customerFromServer(c)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(k string) bool { return !isCustomerInput(k) })
		if obj["budget_id"] != nil {
			delete(obj, "max_budget")
		}
		if obj["blocked"] == false {
			delete(obj, "blocked")
		}
	} else {
		obj = ownedFields(server, customerObject(prior), nil)
	}
	var out CustomerArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.UserID, out.AdoptExisting = prior.UserID, prior.AdoptExisting
	return out, nil
}

// isCustomerInput: the keys of a customer row that are inputs.
func isCustomerInput(k string) bool {
	_, ok := fieldsOf(customerArgsType).byKey[k]
	return ok
}
