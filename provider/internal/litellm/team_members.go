package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Team members (docs/litellm/team-members.md). LiteLLM has no read of one
// membership: a team's members are read from /team/info, their roles from
// team_info.members_with_roles and their budgets from team_memberships.
// Every membership call reads the team from the database (or its read
// replica) first.

// adminRoleHint: LiteLLM refuses the team role admin without a licence.
const adminRoleHint = "the team role admin needs a LiteLLM Enterprise licence on the proxy (LITELLM_LICENSE); use role user"

// teamNotInDB: the newest proxies answer a missing team in /team/member_add
// with a 404 ("Team doesn't exist in db. Team=X. …"); older ones raised the
// same message as a plain exception, which reached the client as a 500.
var teamNotInDB = rule{500, []string{"team doesn't exist in db"}, KindNotFound, ""}

// adminRoleRefused: "Assigning team admins is a premium feature. …" (400).
var adminRoleRefused = rule{400, []string{"assigning team admins is a premium feature"}, KindForbidden, adminRoleHint}

var (
	// Already a member: 400, type team_member_already_in_team ("User
	// already in team. Member: user_id=…"; a list whose members are all in
	// the team: "All users are already in team."). A user_id that is no user
	// yet is created with the membership.
	teamMemberAdd = endpoint{http.MethodPost, "/team/member_add", []rule{
		{400, []string{"team_member_already_in_team", "already in team"}, KindConflict, ""},
		adminRoleRefused,
		{404, nil, KindNotFound, ""},
		teamNotInDB,
	}}
	// A missing team: 400 "Team id=X does not exist in db"; a member named by
	// an e-mail that is not in the team: 400 "User id doesn't exist in team
	// table". A user_id that is not a member may be answered 200 (newest
	// proxies write its budget all the same): callers read the team first.
	teamMemberUpdate = endpoint{http.MethodPost, "/team/member_update", []rule{
		adminRoleRefused,
		{400, []string{"does not exist in db", "doesn't exist in team table"}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
	// A user that is not a member (a repeat delete too): 400 "User not found
	// in team"; a missing team: 400 "Team id=X does not exist in db". Both
	// are "not found" here; a 400 proves little on its own, so the caller
	// confirms with /team/info before it takes the member as gone.
	teamMemberDelete = endpoint{http.MethodPost, "/team/member_delete", []rule{
		{400, []string{"user not found in team", "does not exist in db"}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
)

// Member is one entry of a team's members_with_roles: role admin or user,
// and the member's user_id (and, when it was added by e-mail, its e-mail).
type Member struct {
	UserID    string `json:"user_id,omitempty"`
	UserEmail string `json:"user_email,omitempty"`
	Role      string `json:"role"`
}

// Membership is one member of a team as /team/info shows it: its entry of
// members_with_roles and, when it has one, its budget in the team
// (team_memberships[].litellm_budget_table).
type Membership struct {
	Member
	Budget map[string]any // nil: no budget of its own in the team
}

// MaxBudget is the member's max_budget in the team (nil: none).
func (m Membership) MaxBudget() *float64 {
	if f, ok := m.Budget["max_budget"].(float64); ok {
		return &f
	}
	return nil
}

// TeamMembers is the member view of one team.
type TeamMembers struct {
	TeamID  string
	Members []Membership // in members_with_roles order
}

// Find returns the member with this user_id.
func (t TeamMembers) Find(userID string) (Membership, bool) {
	for _, m := range t.Members {
		if m.UserID == userID {
			return m, true
		}
	}
	return Membership{}, false
}

// Members reads GET /team/info?team_id= and returns the team's members with
// their budgets. A missing team is KindNotFound.
func (s *TeamsService) Members(ctx context.Context, teamID string) (TeamMembers, error) {
	if teamID == "" {
		return TeamMembers{}, &Error{Kind: KindInvalid, Op: teamInfo.String(), Message: "empty team id"}
	}
	var out struct {
		TeamInfo *struct {
			TeamID           any              `json:"team_id"`
			MembersWithRoles []map[string]any `json:"members_with_roles"`
		} `json:"team_info"`
		TeamMemberships []map[string]any `json:"team_memberships"`
	}
	if err := s.c.do(ctx, request{ep: &teamInfo, query: url.Values{"team_id": {teamID}}, out: &out}); err != nil {
		return TeamMembers{}, err
	}
	if out.TeamInfo == nil || fmt.Sprint(out.TeamInfo.TeamID) != teamID {
		return TeamMembers{}, &Error{Kind: KindNotFound, Op: teamInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no team with id %q in the answer", teamID)}
	}
	budgets := map[string]map[string]any{}
	for _, tm := range out.TeamMemberships {
		if id, ok := tm["user_id"].(string); ok && id != "" {
			b, _ := tm["litellm_budget_table"].(map[string]any)
			budgets[id] = b
		}
	}
	t := TeamMembers{TeamID: teamID}
	for _, raw := range out.TeamInfo.MembersWithRoles {
		m := Membership{}
		m.UserID, _ = raw["user_id"].(string)
		m.UserEmail, _ = raw["user_email"].(string)
		m.Role, _ = raw["role"].(string)
		if m.UserID == "" {
			continue // an entry without user_id (added by e-mail, never resolved)
		}
		m.Budget = budgets[m.UserID]
		t.Members = append(t.Members, m)
	}
	return t, nil
}

// MemberChange is the body of /team/member_add (one member) and
// /team/member_update, without team_id. Unset fields are not sent; MaxBudget
// is sent as null when ClearBudget is set (never as 0 for "unset": 0 is a $0
// budget).
type MemberChange struct {
	Member
	MaxBudget   *float64
	ClearBudget bool
}

func (m MemberChange) body(teamID string, add bool) map[string]any {
	body := map[string]any{"team_id": teamID}
	member := map[string]any{"role": m.Role}
	if m.UserID != "" {
		member["user_id"] = m.UserID
	}
	if m.UserEmail != "" {
		member["user_email"] = m.UserEmail
	}
	if add {
		body["member"] = member
	} else {
		for k, v := range member {
			if k != "role" || m.Role != "" {
				body[k] = v
			}
		}
	}
	switch {
	case m.MaxBudget != nil:
		body["max_budget_in_team"] = *m.MaxBudget
	case m.ClearBudget:
		body["max_budget_in_team"] = nil
	}
	return body
}

// AddMember sends POST /team/member_add {team_id, member: {role, user_id,
// user_email?}, max_budget_in_team?}. A member that is in the team already
// is KindConflict. The answer (the team row) is discarded.
func (s *TeamsService) AddMember(ctx context.Context, teamID string, m MemberChange) error {
	if teamID == "" || m.UserID == "" || m.Role == "" {
		return &Error{Kind: KindInvalid, Op: teamMemberAdd.String(), Message: "a team id, a user id and a role are needed"}
	}
	return s.c.do(ctx, request{ep: &teamMemberAdd, body: m.body(teamID, true)})
}

// UpdateMember sends POST /team/member_update {team_id, user_id, role?,
// max_budget_in_team?} (the e-mail is not sent: it only names a member).
func (s *TeamsService) UpdateMember(ctx context.Context, teamID string, m MemberChange) error {
	if teamID == "" || m.UserID == "" {
		return &Error{Kind: KindInvalid, Op: teamMemberUpdate.String(), Message: "a team id and a user id are needed"}
	}
	m.UserEmail = ""
	return s.c.do(ctx, request{ep: &teamMemberUpdate, body: m.body(teamID, false)})
}

// DeleteMember sends POST /team/member_delete {team_id, user_id}. A member
// that is not in the team, or a team that is gone, is KindNotFound.
func (s *TeamsService) DeleteMember(ctx context.Context, teamID, userID string) error {
	if teamID == "" || userID == "" {
		return &Error{Kind: KindInvalid, Op: teamMemberDelete.String(), Message: "a team id and a user id are needed"}
	}
	return s.c.do(ctx, request{ep: &teamMemberDelete, body: map[string]string{"team_id": teamID, "user_id": userID}})
}
