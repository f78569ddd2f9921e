package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetProject reads one project by ID (litellm:index:getProject).
type GetProject struct{}

// GetProjectArgs are getProject's inputs.
type GetProjectArgs struct {
	ProjectID string `pulumi:"projectId"`
}

// ProjectResult is a project as the functions return it: the readable
// fields (budget and limits from its budget row) and the proxy's runtime
// fields (spend, reset time, creation and change times).
type ProjectResult struct {
	ProjectID           string         `pulumi:"projectId" litellm:"project_id"`
	TeamID              *string        `pulumi:"teamId,optional" litellm:"team_id,omitzero"`
	ProjectAlias        *string        `pulumi:"projectAlias,optional" litellm:"project_alias,omitzero"`
	Description         *string        `pulumi:"description,optional" litellm:"description,omitzero"`
	Models              []string       `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget           *float64       `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64       `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration      *string        `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit            *int           `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int           `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	MaxParallelRequests *int           `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	BudgetID            *string        `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	ModelRpmLimit       map[string]int `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit       map[string]int `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	Tags                []string       `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Blocked             *bool          `pulumi:"blocked,optional" litellm:"blocked,omitzero"`
	Metadata            map[string]any `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	Spend               *float64       `pulumi:"spend,optional" litellm:"spend,omitzero"`
	BudgetResetAt       *string        `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
	CreatedAt           *string        `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt           *string        `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	ManagedBy           *string        `pulumi:"managedBy,optional" litellm:"-"`
}

// ListProjects lists the projects (litellm:index:listProjects).
type ListProjects struct{}

// ListProjectsArgs are listProjects' inputs (none).
type ListProjectsArgs struct{}

// ListProjectsResult is listProjects' output.
type ListProjectsResult struct {
	Projects []ProjectResult `pulumi:"projects"`
}

func (p ProjectResult) MarshalJSON() ([]byte, error)  { return marshalWire(p, nil) }
func (p *ProjectResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, p, nil) }

func (f *GetProject) Annotate(a infer.Annotator) {
	a.SetToken("index", "getProject")
	if documenting() {
		a.Describe(f, "Reads a project by ID, with its spend. Project reads come from the proxy's database: a miss "+
			"fails at once.")
	}
}

func (a *GetProjectArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.ProjectID, "The project's ID, e.g. a Project resource's `projectId`.")
	}
}

func (r *ProjectResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.ProjectID, "The project's ID.")
	a.Describe(&r.TeamID, "The team the project belongs to.")
	a.Describe(&r.ProjectAlias, "Display name.")
	a.Describe(&r.Description, "What the project is for.")
	a.Describe(&r.Models, "Models the project may call.")
	a.Describe(&r.MaxBudget, "Maximum spend, in USD (from the project's budget row).")
	a.Describe(&r.SoftBudget, "Spend at which alerts are sent, in USD.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.MaxParallelRequests, "Maximum concurrent requests.")
	a.Describe(&r.BudgetID, "The ID of the project's budget row.")
	a.Describe(&r.ModelRpmLimit, "Requests per minute per model.")
	a.Describe(&r.ModelTpmLimit, "Tokens per minute per model.")
	a.Describe(&r.Tags, "Tags.")
	a.Describe(&r.Blocked, "Whether the project is blocked.")
	a.Describe(&r.Metadata, "Free-form metadata (the ownership mark and keys that look secret left out).")
	a.Describe(&r.Spend, "The project's spend so far, in USD.")
	a.Describe(&r.BudgetResetAt, "When the spend is reset next.")
	a.Describe(&r.CreatedAt, "When the project was created.")
	a.Describe(&r.UpdatedAt, "When the project was last changed.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the project, if one does.")
}

func (f *ListProjects) Annotate(a infer.Annotator) {
	a.SetToken("index", "listProjects")
	if documenting() {
		a.Describe(f, "Lists every project of the proxy (from its database).")
	}
}

func (r *ListProjectsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Projects, "The projects, by ID.")
	}
}

// Invoke reads the project.
func (GetProject) Invoke(ctx context.Context, req infer.FunctionRequest[GetProjectArgs]) (infer.FunctionResponse[ProjectResult], error) {
	e := getEnv(ctx)
	pj, err := runGet(ctx, e, projectTarget(e, req.Input.ProjectID), true)
	if err != nil {
		return infer.FunctionResponse[ProjectResult]{}, err
	}
	r, err := projectResult(pj)
	return infer.FunctionResponse[ProjectResult]{Output: r}, err
}

// Invoke lists the projects.
func (ListProjects) Invoke(ctx context.Context, _ infer.FunctionRequest[ListProjectsArgs]) (infer.FunctionResponse[ListProjectsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "projects", e.client.Projects.List, projectResult, func(r ProjectResult) string { return r.ProjectID })
	return infer.FunctionResponse[ListProjectsResult]{Output: ListProjectsResult{Projects: rows}}, err
}

// projectResult maps a project row: the fields as a refresh reads them, and
// the runtime fields the resource leaves out (the reset time from the
// budget row).
func projectResult(pj litellm.Project) (ProjectResult, error) {
	obj := projectFromServer(pj)
	for _, k := range []string{"project_id", "spend", "created_at", "updated_at"} {
		if v, ok := pj[k]; ok {
			obj[k] = v
		}
	}
	if v, ok := asObject(pj["litellm_budget_table"])["budget_reset_at"]; ok && v != nil {
		obj["budget_reset_at"] = v
	}
	var r ProjectResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("project %v: unexpected answer: %w", pj["project_id"], err)
	}
	r.Metadata = publicMetadata(r.Metadata)
	r.ManagedBy = managedBy(asObject(pj["metadata"]))
	return r, nil
}
