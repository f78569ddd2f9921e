package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetBudget reads one budget by ID (litellm:index:getBudget).
type GetBudget struct{}

// GetBudgetArgs are getBudget's inputs.
type GetBudgetArgs struct {
	BudgetID string `pulumi:"budgetId"`
}

// BudgetResult is a budget as the functions return it: the readable fields
// and the proxy's runtime fields (reset time, creation and change times).
type BudgetResult struct {
	BudgetID            string                    `pulumi:"budgetId" litellm:"budget_id"`
	MaxBudget           *float64                  `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64                  `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	MaxParallelRequests *int                      `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	TpmLimit            *int                      `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int                      `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	BudgetDuration      *string                   `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	ModelMaxBudget      map[string]KeyModelBudget `pulumi:"modelMaxBudget,optional" litellm:"model_max_budget,omitzero"`
	BudgetResetAt       *string                   `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
	CreatedAt           *string                   `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt           *string                   `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
}

// ListBudgets lists the budgets (litellm:index:listBudgets).
type ListBudgets struct{}

// ListBudgetsArgs are listBudgets' inputs (none).
type ListBudgetsArgs struct{}

// ListBudgetsResult is listBudgets' output.
type ListBudgetsResult struct {
	Budgets []BudgetResult `pulumi:"budgets"`
}

func (b BudgetResult) MarshalJSON() ([]byte, error)  { return marshalWire(b, nil) }
func (b *BudgetResult) UnmarshalJSON(d []byte) error { return unmarshalWire(d, b, nil) }

func (f *GetBudget) Annotate(a infer.Annotator) {
	a.SetToken("index", "getBudget")
	if documenting() {
		a.Describe(f, "Reads a budget by ID. Budget reads come from the proxy's database: a miss fails at once.")
	}
}

func (a *GetBudgetArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.BudgetID, "The budget's ID, e.g. a Budget resource's `budgetId`.")
	}
}

func (r *BudgetResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.BudgetID, "The budget's ID.")
	a.Describe(&r.MaxBudget, "Maximum spend, in USD.")
	a.Describe(&r.SoftBudget, "Spend at which alerts are sent, in USD.")
	a.Describe(&r.MaxParallelRequests, "Maximum concurrent requests.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.ModelMaxBudget, "Budget per model.")
	a.Describe(&r.BudgetResetAt, "When the spend is reset next.")
	a.Describe(&r.CreatedAt, "When the budget was created.")
	a.Describe(&r.UpdatedAt, "When the budget was last changed.")
}

func (f *ListBudgets) Annotate(a infer.Annotator) {
	a.SetToken("index", "listBudgets")
	if documenting() {
		a.Describe(f, "Lists every budget of the proxy (from its database), the ones LiteLLM makes itself for "+
			"organizations, projects, customers and team members included.")
	}
}

func (r *ListBudgetsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Budgets, "The budgets, by ID.")
	}
}

// Invoke reads the budget.
func (GetBudget) Invoke(ctx context.Context, req infer.FunctionRequest[GetBudgetArgs]) (infer.FunctionResponse[BudgetResult], error) {
	e := getEnv(ctx)
	b, err := runGet(ctx, e, budgetTarget(e, req.Input.BudgetID), true)
	if err != nil {
		return infer.FunctionResponse[BudgetResult]{}, err
	}
	r, err := budgetResult(b)
	return infer.FunctionResponse[BudgetResult]{Output: r}, err
}

// Invoke lists the budgets.
func (ListBudgets) Invoke(ctx context.Context, _ infer.FunctionRequest[ListBudgetsArgs]) (infer.FunctionResponse[ListBudgetsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "budgets", e.client.Budgets.List, budgetResult, func(r BudgetResult) string { return r.BudgetID })
	return infer.FunctionResponse[ListBudgetsResult]{Output: ListBudgetsResult{Budgets: rows}}, err
}

// budgetResult maps a budget row: the fields as a refresh reads them, and
// the runtime fields the resource leaves out.
func budgetResult(b litellm.Budget) (BudgetResult, error) {
	obj := budgetFromServer(b)
	for _, k := range []string{"budget_id", "budget_reset_at", "created_at", "updated_at"} {
		if v, ok := b[k]; ok {
			obj[k] = v
		}
	}
	var r BudgetResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("budget %v: unexpected answer: %w", b["budget_id"], err)
	}
	return r, nil
}
