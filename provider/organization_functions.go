package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetOrganization reads one organization by ID (litellm:index:getOrganization).
type GetOrganization struct{}

// GetOrganizationArgs are getOrganization's inputs.
type GetOrganizationArgs struct {
	OrganizationID string `pulumi:"organizationId"`
}

// OrganizationResult is an organization as the functions return it: the
// readable fields (budget and limits from its budget row) and the proxy's
// runtime fields (spend, members, teams).
type OrganizationResult struct {
	OrganizationID      string                  `pulumi:"organizationId" litellm:"organization_id"`
	OrganizationAlias   *string                 `pulumi:"organizationAlias,optional" litellm:"organization_alias,omitzero"`
	Models              []string                `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget           *float64                `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64                `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration      *string                 `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit            *int                    `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int                    `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	MaxParallelRequests *int                    `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	ModelRpmLimit       map[string]int          `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit       map[string]int          `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	Metadata            map[string]any          `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	BudgetID            *string                 `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	Spend               *float64                `pulumi:"spend,optional" litellm:"spend,omitzero"`
	BudgetResetAt       *string                 `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
	CreatedAt           *string                 `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt           *string                 `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	Members             []OrganizationMemberRef `pulumi:"members,optional" litellm:"members,omitzero"`
	Teams               []string                `pulumi:"teams,optional" litellm:"-"`
	ManagedBy           *string                 `pulumi:"managedBy,optional" litellm:"-"`
}

// OrganizationMemberRef is one member of an organization, as the proxy
// reports it.
type OrganizationMemberRef struct {
	UserID    *string `pulumi:"userId,optional" litellm:"user_id,omitzero"`
	UserEmail *string `pulumi:"userEmail,optional" litellm:"user_email,omitzero"`
	Role      *string `pulumi:"role,optional" litellm:"user_role,omitzero"`
}

// ListOrganizations lists the organizations (litellm:index:listOrganizations).
type ListOrganizations struct{}

// ListOrganizationsArgs are listOrganizations' inputs (none).
type ListOrganizationsArgs struct{}

// ListOrganizationsResult is listOrganizations' output.
type ListOrganizationsResult struct {
	Organizations []OrganizationResult `pulumi:"organizations"`
}

func (o OrganizationResult) MarshalJSON() ([]byte, error)     { return marshalWire(o, nil) }
func (o *OrganizationResult) UnmarshalJSON(b []byte) error    { return unmarshalWire(b, o, nil) }
func (m OrganizationMemberRef) MarshalJSON() ([]byte, error)  { return marshalWire(m, nil) }
func (m *OrganizationMemberRef) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

func (f *GetOrganization) Annotate(a infer.Annotator) {
	a.SetToken("index", "getOrganization")
	if documenting() {
		a.Describe(f, "Reads an organization by ID, with its spend, members and teams. Organization reads come from "+
			"the proxy's database: a miss fails at once.")
	}
}

func (a *GetOrganizationArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.OrganizationID, "The organization's ID, e.g. an Organization resource's `organizationId`.")
	}
}

func (r *OrganizationResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.OrganizationID, "The organization's ID.")
	a.Describe(&r.OrganizationAlias, "Display name.")
	a.Describe(&r.Models, "Models the organization's teams may call.")
	a.Describe(&r.MaxBudget, "Maximum spend, in USD (from the organization's budget row, when the proxy returns it).")
	a.Describe(&r.SoftBudget, "Spend at which alerts are sent, in USD.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.MaxParallelRequests, "Maximum concurrent requests.")
	a.Describe(&r.ModelRpmLimit, "Requests per minute per model.")
	a.Describe(&r.ModelTpmLimit, "Tokens per minute per model.")
	a.Describe(&r.Metadata, "Free-form metadata (the ownership mark and keys that look secret left out).")
	a.Describe(&r.BudgetID, "The ID of the organization's budget row.")
	a.Describe(&r.Spend, "The organization's spend so far, in USD.")
	a.Describe(&r.BudgetResetAt, "When the spend is reset next.")
	a.Describe(&r.CreatedAt, "When the organization was created.")
	a.Describe(&r.UpdatedAt, "When the organization was last changed.")
	a.Describe(&r.Members, "The organization's members and their roles.")
	a.Describe(&r.Teams, "The IDs of the organization's teams.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the organization, if one does.")
}

func (m *OrganizationMemberRef) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.UserID, "The member's user ID.")
	a.Describe(&m.UserEmail, "The member's e-mail, when the proxy has it.")
	a.Describe(&m.Role, "`org_admin`, `internal_user` or `internal_user_viewer`.")
}

func (f *ListOrganizations) Annotate(a infer.Annotator) {
	a.SetToken("index", "listOrganizations")
	if documenting() {
		a.Describe(f, "Lists every organization of the proxy (from its database).")
	}
}

func (r *ListOrganizationsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Organizations, "The organizations, by ID.")
	}
}

// Invoke reads the organization.
func (GetOrganization) Invoke(ctx context.Context, req infer.FunctionRequest[GetOrganizationArgs]) (infer.FunctionResponse[OrganizationResult], error) {
	e := getEnv(ctx)
	o, err := runGet(ctx, e, organizationTarget(e, req.Input.OrganizationID), true)
	if err != nil {
		return infer.FunctionResponse[OrganizationResult]{}, err
	}
	r, err := organizationResult(o)
	return infer.FunctionResponse[OrganizationResult]{Output: r}, err
}

// Invoke lists the organizations.
func (ListOrganizations) Invoke(ctx context.Context, _ infer.FunctionRequest[ListOrganizationsArgs]) (infer.FunctionResponse[ListOrganizationsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "organizations", e.client.Organizations.List, organizationResult, func(r OrganizationResult) string { return r.OrganizationID })
	return infer.FunctionResponse[ListOrganizationsResult]{Output: ListOrganizationsResult{Organizations: rows}}, err
}

// organizationResult maps an organization row: the fields as a refresh
// reads them, and the runtime fields the resource leaves out (the reset
// time from the budget row).
func organizationResult(o litellm.Organization) (OrganizationResult, error) {
	obj := organizationFromServer(o)
	for _, k := range []string{"organization_id", "budget_id", "spend", "created_at", "updated_at", "members"} {
		if v, ok := o[k]; ok {
			obj[k] = v
		}
	}
	if v, ok := asObject(o["litellm_budget_table"])["budget_reset_at"]; ok && v != nil {
		obj["budget_reset_at"] = v
	} else if v, ok := o["budget_reset_at"]; ok {
		obj["budget_reset_at"] = v
	}
	var r OrganizationResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("organization %v: unexpected answer: %w", o["organization_id"], err)
	}
	r.Metadata = publicMetadata(r.Metadata)
	r.Teams = organizationTeams(o)
	r.ManagedBy = managedBy(asObject(o["metadata"]))
	return r, nil
}

// organizationTeams are the team IDs of an organization row's teams.
func organizationTeams(o litellm.Organization) []string {
	raw, _ := o["teams"].([]any)
	var out []string
	for _, t := range raw {
		if id, ok := asObject(t)["team_id"].(string); ok && id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
