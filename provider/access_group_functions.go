package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetAccessGroup reads one legacy model access group (litellm:index:getAccessGroup).
type GetAccessGroup struct{}

// GetAccessGroupArgs are getAccessGroup's inputs.
type GetAccessGroupArgs struct {
	AccessGroup string `pulumi:"accessGroup"`
}

// AccessGroupResult is a legacy model access group as the functions return
// it: its model names, deployment count, shared budget and spend.
type AccessGroupResult struct {
	AccessGroup     string                   `pulumi:"accessGroup" litellm:"access_group"`
	ModelNames      []string                 `pulumi:"modelNames,optional" litellm:"model_names,omitzero"`
	DeploymentCount *int                     `pulumi:"deploymentCount,optional" litellm:"deployment_count,omitzero"`
	Spend           *float64                 `pulumi:"spend,optional" litellm:"spend,omitzero"`
	Budget          *AccessGroupBudgetResult `pulumi:"budget,optional" litellm:"budget,omitzero"`
}

// AccessGroupBudgetResult is a group's shared budget.
type AccessGroupBudgetResult struct {
	BudgetID       *string  `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	MaxBudget      *float64 `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget     *float64 `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration *string  `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	BudgetResetAt  *string  `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
}

// ListAccessGroups lists the legacy model access groups (litellm:index:listAccessGroups).
type ListAccessGroups struct{}

// ListAccessGroupsArgs are listAccessGroups' inputs (none).
type ListAccessGroupsArgs struct{}

// ListAccessGroupsResult is listAccessGroups' output.
type ListAccessGroupsResult struct {
	AccessGroups []AccessGroupResult `pulumi:"accessGroups"`
}

func (r AccessGroupResult) MarshalJSON() ([]byte, error)        { return marshalWire(r, nil) }
func (r *AccessGroupResult) UnmarshalJSON(b []byte) error       { return unmarshalWire(b, r, nil) }
func (r AccessGroupBudgetResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *AccessGroupBudgetResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetAccessGroup) Annotate(a infer.Annotator) {
	a.SetToken("index", "getAccessGroup")
	if documenting() {
		a.Describe(f, "Reads a legacy model access group by name: the model names whose deployments carry it, and its "+
			"shared budget. Read from the proxy's database: a miss fails at once.")
	}
}

func (a *GetAccessGroupArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.AccessGroup, "The group's name, e.g. an AccessGroup resource's `accessGroup`.")
	}
}

func (r *AccessGroupResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.AccessGroup, "The group's name.")
	a.Describe(&r.ModelNames, "The model names of the deployments that carry the group (sorted).")
	a.Describe(&r.DeploymentCount, "How many deployments carry the group.")
	a.Describe(&r.Spend, "Spend drawn against the group's shared budget, in USD (0 without a budget).")
	a.Describe(&r.Budget, "The group's shared budget, if it has one.")
}

func (r *AccessGroupBudgetResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.BudgetID, "The budget's ID.")
	a.Describe(&r.MaxBudget, "Maximum shared spend, in USD.")
	a.Describe(&r.SoftBudget, "Spend at which alerts are sent, in USD.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.BudgetResetAt, "When the spend is reset next.")
}

func (f *ListAccessGroups) Annotate(a infer.Annotator) {
	a.SetToken("index", "listAccessGroups")
	if documenting() {
		a.Describe(f, "Lists every legacy model access group (the names in the deployments' `model_info.access_groups`, "+
			"from the proxy's database), with their budgets.")
	}
}

func (r *ListAccessGroupsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.AccessGroups, "The groups, by name.")
	}
}

// Invoke reads the group.
func (GetAccessGroup) Invoke(ctx context.Context, req infer.FunctionRequest[GetAccessGroupArgs]) (infer.FunctionResponse[AccessGroupResult], error) {
	e := getEnv(ctx)
	g, err := runGet(ctx, e, accessGroupTarget(e, req.Input.AccessGroup, nil), true)
	if err != nil {
		return infer.FunctionResponse[AccessGroupResult]{}, err
	}
	r, err := accessGroupResult(g)
	return infer.FunctionResponse[AccessGroupResult]{Output: r}, err
}

// Invoke lists the groups.
func (ListAccessGroups) Invoke(ctx context.Context, _ infer.FunctionRequest[ListAccessGroupsArgs]) (infer.FunctionResponse[ListAccessGroupsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "access groups", e.client.ModelAccessGroups.List, accessGroupResult,
		func(r AccessGroupResult) string { return r.AccessGroup })
	return infer.FunctionResponse[ListAccessGroupsResult]{Output: ListAccessGroupsResult{AccessGroups: rows}}, err
}

func accessGroupResult(g litellm.ModelAccessGroup) (AccessGroupResult, error) {
	obj := object{}
	for _, k := range []string{"access_group", "model_names", "deployment_count", "spend", "budget"} {
		if v, ok := g[k]; ok && v != nil {
			obj[k] = v
		}
	}
	var r AccessGroupResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("access group %v: unexpected answer: %w", g["access_group"], err)
	}
	return r, nil
}
