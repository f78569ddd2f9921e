package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetTag reads one tag by name (litellm:index:getTag).
type GetTag struct{}

// GetTagArgs are getTag's inputs.
type GetTagArgs struct {
	Name string `pulumi:"name"`
}

// TagResult is a tag as the functions return it: the readable fields, the
// budget it points to, and the proxy's runtime fields.
type TagResult struct {
	Name                string                    `pulumi:"name" litellm:"name"`
	Description         *string                   `pulumi:"description,optional" litellm:"description,omitzero"`
	Models              []string                  `pulumi:"models,optional" litellm:"models,omitzero"`
	ModelNames          map[string]string         `pulumi:"modelNames,optional" litellm:"model_info,omitzero"`
	BudgetID            *string                   `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
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
	CreatedBy           *string                   `pulumi:"createdBy,optional" litellm:"created_by,omitzero"`
}

// ListTags lists the tags (litellm:index:listTags).
type ListTags struct{}

// ListTagsArgs are listTags' inputs (none).
type ListTagsArgs struct{}

// ListTagsResult is listTags' output.
type ListTagsResult struct {
	Tags []TagResult `pulumi:"tags"`
}

func (t TagResult) MarshalJSON() ([]byte, error)  { return marshalWire(t, nil) }
func (t *TagResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, t, nil) }

func (f *GetTag) Annotate(a infer.Annotator) {
	a.SetToken("index", "getTag")
	if documenting() {
		a.Describe(f, "Reads a tag by name, with the budget it points to. Tag reads come from the proxy's database: "+
			"a miss fails at once.")
	}
}

func (a *GetTagArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.Name, "The tag's name, e.g. a Tag resource's `name`.")
	}
}

func (r *TagResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.Name, "The tag's name.")
	a.Describe(&r.Description, "What the tag stands for.")
	a.Describe(&r.Models, "Model IDs or names the tag may reach.")
	a.Describe(&r.ModelNames, "The model name of each model ID in `models`, as the proxy resolved it when the tag was written.")
	a.Describe(&r.BudgetID, "The budget the tag points to (its own, or a shared one).")
	a.Describe(&r.MaxBudget, "Maximum spend of that budget, in USD.")
	a.Describe(&r.SoftBudget, "Spend at which alerts are sent, in USD.")
	a.Describe(&r.MaxParallelRequests, "Maximum concurrent requests.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.ModelMaxBudget, "Budget per model.")
	a.Describe(&r.BudgetResetAt, "When the budget's spend is reset next.")
	a.Describe(&r.CreatedAt, "When the tag was created.")
	a.Describe(&r.UpdatedAt, "When the tag was last changed.")
	a.Describe(&r.CreatedBy, "The user ID that created the tag.")
}

func (f *ListTags) Annotate(a infer.Annotator) {
	a.SetToken("index", "listTags")
	if documenting() {
		a.Describe(f, "Lists every tag stored on the proxy (from its database). Spend tags that requests used "+
			"without a stored tag are left out.")
	}
}

func (r *ListTagsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Tags, "The tags, by name.")
	}
}

// Invoke reads the tag.
func (GetTag) Invoke(ctx context.Context, req infer.FunctionRequest[GetTagArgs]) (infer.FunctionResponse[TagResult], error) {
	e := getEnv(ctx)
	t, err := runGet(ctx, e, tagTarget(e, req.Input.Name), true)
	if err != nil {
		return infer.FunctionResponse[TagResult]{}, err
	}
	r, err := tagResult(t)
	return infer.FunctionResponse[TagResult]{Output: r}, err
}

// Invoke lists the tags.
func (ListTags) Invoke(ctx context.Context, _ infer.FunctionRequest[ListTagsArgs]) (infer.FunctionResponse[ListTagsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "tags", e.client.Tags.List, tagResult, func(r TagResult) string { return r.Name })
	return infer.FunctionResponse[ListTagsResult]{Output: ListTagsResult{Tags: rows}}, err
}

// tagResult maps a tag: the fields as a refresh reads them, and the
// runtime fields the resource leaves out.
func tagResult(t litellm.Tag) (TagResult, error) {
	obj := tagFromServer(t)
	for _, k := range []string{"name", "created_at", "updated_at", "created_by"} {
		if v, ok := t[k]; ok && v != nil {
			obj[k] = v
		}
	}
	if info, ok := t["model_info"].(map[string]any); ok && len(info) > 0 {
		obj["model_info"] = info
	}
	if at, ok := asObject(t["litellm_budget_table"])["budget_reset_at"]; ok && at != nil {
		obj["budget_reset_at"] = at
	}
	var r TagResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("tag %v: unexpected answer: %w", t["name"], err)
	}
	return r, nil
}
