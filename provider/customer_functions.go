package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetCustomer reads one customer by ID (litellm:index:getCustomer).
type GetCustomer struct{}

// GetCustomerArgs are getCustomer's inputs.
type GetCustomerArgs struct {
	UserID string `pulumi:"userId"`
}

// CustomerResult is a customer as the functions return it: the readable
// fields and the proxy's runtime fields (spend, the budget's reset time).
type CustomerResult struct {
	UserID             string   `pulumi:"userId" litellm:"user_id"`
	Alias              *string  `pulumi:"alias,optional" litellm:"alias,omitzero"`
	Blocked            *bool    `pulumi:"blocked,optional" litellm:"blocked,omitzero"`
	MaxBudget          *float64 `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	BudgetID           *string  `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	AllowedModelRegion *string  `pulumi:"allowedModelRegion,optional" litellm:"allowed_model_region,omitzero"`
	DefaultModel       *string  `pulumi:"defaultModel,optional" litellm:"default_model,omitzero"`
	Spend              *float64 `pulumi:"spend,optional" litellm:"spend,omitzero"`
	BudgetResetAt      *string  `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
}

// ListCustomers lists the customers (litellm:index:listCustomers).
type ListCustomers struct{}

// ListCustomersArgs are listCustomers' inputs (none).
type ListCustomersArgs struct{}

// ListCustomersResult is listCustomers' output.
type ListCustomersResult struct {
	Customers []CustomerResult `pulumi:"customers"`
}

func (c CustomerResult) MarshalJSON() ([]byte, error)  { return marshalWire(c, nil) }
func (c *CustomerResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, c, nil) }

func (f *GetCustomer) Annotate(a infer.Annotator) {
	a.SetToken("index", "getCustomer")
	if documenting() {
		a.Describe(f, "Reads a customer (an end user) by ID, with its spend. Customer reads come from the proxy's "+
			"database: a miss fails at once.")
	}
}

func (a *GetCustomerArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.UserID, "The customer's ID, e.g. a Customer resource's `userId`.")
	}
}

func (r *CustomerResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.UserID, "The customer's ID (the `user` sent with requests).")
	a.Describe(&r.Alias, "Display name.")
	a.Describe(&r.Blocked, "Whether the customer is blocked.")
	a.Describe(&r.MaxBudget, "Maximum spend, in USD (of the budget the customer points to).")
	a.Describe(&r.BudgetID, "The ID of the budget the customer points to.")
	a.Describe(&r.AllowedModelRegion, "Region every request must be served in: `eu` or `us`.")
	a.Describe(&r.DefaultModel, "Model used when no model of the allowed region fits.")
	a.Describe(&r.Spend, "The customer's spend so far, in USD.")
	a.Describe(&r.BudgetResetAt, "When the spend of the customer's budget is reset next.")
}

func (f *ListCustomers) Annotate(a infer.Annotator) {
	a.SetToken("index", "listCustomers")
	if documenting() {
		a.Describe(f, "Lists every customer of the proxy (from its database).")
	}
}

func (r *ListCustomersResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Customers, "The customers, by ID.")
	}
}

// Invoke reads the customer.
func (GetCustomer) Invoke(ctx context.Context, req infer.FunctionRequest[GetCustomerArgs]) (infer.FunctionResponse[CustomerResult], error) {
	e := getEnv(ctx)
	c, err := runGet(ctx, e, customerTarget(e, req.Input.UserID), true)
	if err != nil {
		return infer.FunctionResponse[CustomerResult]{}, err
	}
	r, err := customerResult(c)
	return infer.FunctionResponse[CustomerResult]{Output: r}, err
}

// Invoke lists the customers.
func (ListCustomers) Invoke(ctx context.Context, _ infer.FunctionRequest[ListCustomersArgs]) (infer.FunctionResponse[ListCustomersResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "customers", e.client.Customers.List, customerResult, func(r CustomerResult) string { return r.UserID })
	return infer.FunctionResponse[ListCustomersResult]{Output: ListCustomersResult{Customers: rows}}, err
}

// customerResult maps a customer row: the fields as a refresh reads them,
// and the runtime fields the resource leaves out. A customer has no
// metadata, so no ownership mark: no managedBy.
func customerResult(c litellm.Customer) (CustomerResult, error) {
	obj := customerFromServer(c)
	for _, k := range []string{"user_id", "spend"} {
		if v, ok := c[k]; ok {
			obj[k] = v
		}
	}
	if v, ok := asObject(c["litellm_budget_table"])["budget_reset_at"]; ok && v != nil {
		obj["budget_reset_at"] = v
	}
	var r CustomerResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("customer %v: unexpected answer: %w", c["user_id"], err)
	}
	return r, nil
}
