package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetTeam reads one team by ID (litellm:index:getTeam).
type GetTeam struct{}

// GetTeamArgs are getTeam's inputs.
type GetTeamArgs struct {
	TeamID string `pulumi:"teamId"`
}

// TeamResult is a team as the functions return it: the readable fields and
// the proxy's runtime fields (spend, budget reset time, members).
type TeamResult struct {
	TeamID                   string          `pulumi:"teamId" litellm:"team_id"`
	TeamAlias                *string         `pulumi:"teamAlias,optional" litellm:"team_alias,omitzero"`
	OrganizationID           *string         `pulumi:"organizationId,optional" litellm:"organization_id,omitzero"`
	Models                   []string        `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget                *float64        `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget               *float64        `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration           *string         `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit                 *int            `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit                 *int            `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	ModelRpmLimit            map[string]int  `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit            map[string]int  `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	Tags                     []string        `pulumi:"tags,optional" litellm:"tags,omitzero"`
	TeamMemberBudget         *float64        `pulumi:"teamMemberBudget,optional" litellm:"team_member_budget,omitzero"`
	TeamMemberBudgetDuration *string         `pulumi:"teamMemberBudgetDuration,optional" litellm:"team_member_budget_duration,omitzero"`
	Metadata                 map[string]any  `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	Blocked                  *bool           `pulumi:"blocked,optional" litellm:"blocked,omitzero"`
	Spend                    *float64        `pulumi:"spend,optional" litellm:"spend,omitzero"`
	BudgetResetAt            *string         `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
	CreatedAt                *string         `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt                *string         `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	Members                  []TeamMemberRef `pulumi:"members,optional" litellm:"members_with_roles,omitzero"`
	ManagedBy                *string         `pulumi:"managedBy,optional" litellm:"-"`
}

// TeamMemberRef is one member of a team, as the proxy reports it.
type TeamMemberRef struct {
	UserID    *string `pulumi:"userId,optional" litellm:"user_id,omitzero"`
	UserEmail *string `pulumi:"userEmail,optional" litellm:"user_email,omitzero"`
	Role      *string `pulumi:"role,optional" litellm:"role,omitzero"`
}

// ListTeams lists the teams (litellm:index:listTeams).
type ListTeams struct{}

// ListTeamsArgs filter listTeams.
type ListTeamsArgs struct {
	OrganizationID *string `pulumi:"organizationId,optional"`
}

func (a *ListTeamsArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.OrganizationID, "Only the teams of this organization.")
	}
}

// ListTeamsResult is listTeams' output.
type ListTeamsResult struct {
	Teams []TeamResult `pulumi:"teams"`
}

func (t TeamResult) MarshalJSON() ([]byte, error)     { return marshalWire(t, nil) }
func (t *TeamResult) UnmarshalJSON(b []byte) error    { return unmarshalWire(b, t, nil) }
func (m TeamMemberRef) MarshalJSON() ([]byte, error)  { return marshalWire(m, nil) }
func (m *TeamMemberRef) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

func (f *GetTeam) Annotate(a infer.Annotator) {
	a.SetToken("index", "getTeam")
	if documenting() {
		a.Describe(f, "Reads a team by ID, with its spend and members. Team reads come from the proxy's database: a "+
			"miss fails at once.")
	}
}

func (a *GetTeamArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.TeamID, "The team's ID, e.g. a Team resource's `teamId`.")
	}
}

func (r *TeamResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.TeamID, "The team's ID.")
	a.Describe(&r.TeamAlias, "Display name.")
	a.Describe(&r.OrganizationID, "The organization the team belongs to.")
	a.Describe(&r.Models, "Models the team may call.")
	a.Describe(&r.MaxBudget, "Maximum spend, in USD.")
	a.Describe(&r.SoftBudget, "Spend at which alerts are sent, in USD.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.ModelRpmLimit, "Requests per minute per model.")
	a.Describe(&r.ModelTpmLimit, "Tokens per minute per model.")
	a.Describe(&r.Tags, "Tags.")
	a.Describe(&r.TeamMemberBudget, "Default budget of each member, in USD.")
	a.Describe(&r.TeamMemberBudgetDuration, "How often each member's spend is reset.")
	a.Describe(&r.Metadata, "Free-form metadata (the ownership mark and keys that look secret left out).")
	a.Describe(&r.Blocked, "Whether the team is blocked.")
	a.Describe(&r.Spend, "The team's spend so far, in USD.")
	a.Describe(&r.BudgetResetAt, "When the spend is reset next.")
	a.Describe(&r.CreatedAt, "When the team was created.")
	a.Describe(&r.UpdatedAt, "When the team was last changed.")
	a.Describe(&r.Members, "The team's members and their roles.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the team, if one does.")
}

func (m *TeamMemberRef) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.UserID, "The member's user ID.")
	a.Describe(&m.UserEmail, "The member's e-mail, when the proxy has it.")
	a.Describe(&m.Role, "`admin` or `user`.")
}

func (f *ListTeams) Annotate(a infer.Annotator) {
	a.SetToken("index", "listTeams")
	if documenting() {
		a.Describe(f, "Lists every team of the proxy (from its database).")
	}
}

func (r *ListTeamsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Teams, "The teams, by ID.")
	}
}

// Invoke reads the team.
func (GetTeam) Invoke(ctx context.Context, req infer.FunctionRequest[GetTeamArgs]) (infer.FunctionResponse[TeamResult], error) {
	e := getEnv(ctx)
	t, err := runGet(ctx, e, teamTarget(e, req.Input.TeamID), true)
	if err != nil {
		return infer.FunctionResponse[TeamResult]{}, err
	}
	r, err := teamResult(t)
	return infer.FunctionResponse[TeamResult]{Output: r}, err
}

// Invoke lists the teams.
func (ListTeams) Invoke(ctx context.Context, req infer.FunctionRequest[ListTeamsArgs]) (infer.FunctionResponse[ListTeamsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "teams", e.client.Teams.List, teamResult, func(r TeamResult) string { return r.TeamID })
	rows = keepIf(rows, req.Input.OrganizationID, func(r TeamResult) string { return deref(r.OrganizationID) })
	return infer.FunctionResponse[ListTeamsResult]{Output: ListTeamsResult{Teams: rows}}, err
}

// teamResult maps a team row: the fields as a refresh reads them, and the
// runtime fields the resource leaves out.
func teamResult(t litellm.Team) (TeamResult, error) {
	obj := teamFromServer(t)
	for _, k := range []string{"team_id", "blocked", "spend", "budget_reset_at", "created_at", "updated_at", "members_with_roles"} {
		if v, ok := t[k]; ok {
			obj[k] = v
		}
	}
	var r TeamResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("team %v: unexpected answer: %w", t["team_id"], err)
	}
	r.Metadata = publicMetadata(r.Metadata)
	r.ManagedBy = managedBy(asObject(t["metadata"]))
	return r, nil
}
