package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Team member endpoints (LiteLLM litellm/proxy/management_endpoints/
// team_endpoints.py: team_member_add, team_member_update,
// team_member_delete; litellm/proxy/management_helpers/utils.py:
// add_new_member; LiteLLM's own test
// tests/integration/management/test_team_member_routes.py for the
// statuses). A team's members are its members_with_roles column; each
// member's budget is a LiteLLM_TeamMembership row pointing at a budget row.
// The emulator keeps those rows inside the team row under membershipsCol
// (never shown), so that a lagging read replica sees them as of its lag and
// a team delete takes them along, as LiteLLM's delete does. Every handler
// runs with e.mu held.

// membershipsCol is the hidden column of a team row holding its
// LiteLLM_TeamMembership rows: []any of {user_id, budget_id, spend}.
const membershipsCol = "__team_memberships"

// visibleTeam is a team row as an answer shows it: without the hidden
// membership rows.
func visibleTeam(row map[string]any) map[string]any {
	out := cloneMap(row)
	delete(out, membershipsCol)
	return out
}

// teamMemberships is team_memberships of /team/info: the membership rows of
// the users that are still members (LiteLLM deletes a member's row with the
// member, and a user's with the user), each with its budget row.
func (e *Emulator) teamMemberships(row map[string]any) []any {
	out := []any{}
	if row == nil {
		return out
	}
	members, _ := row["members_with_roles"].([]any)
	for _, raw := range membershipRows(row) {
		tm := raw.(map[string]any)
		if memberIndex(members, fmt.Sprint(tm["user_id"]), "") < 0 {
			continue
		}
		entry := map[string]any{"user_id": tm["user_id"], "team_id": row["team_id"], "budget_id": tm["budget_id"],
			"spend": 0.0, "litellm_budget_table": nil}
		if id, _ := tm["budget_id"].(string); id != "" && e.budgets[id] != nil {
			entry["litellm_budget_table"] = cloneMap(e.budgets[id])
		}
		out = append(out, entry)
	}
	return out
}

func membershipRows(row map[string]any) []any {
	rows, _ := row[membershipsCol].([]any)
	return rows
}

// memberIndex finds a member of members_with_roles by user_id, else by
// user_email (-1: none).
func memberIndex(members []any, userID, email string) int {
	for i, m := range members {
		mm, _ := m.(map[string]any)
		if userID != "" && mm["user_id"] == userID {
			return i
		}
		if email != "" && mm["user_email"] == email {
			return i
		}
	}
	return -1
}

// TeamMemberships returns the membership rows of a stored team (the
// primary) with their budgets, as /team/info shows them.
func (e *Emulator) TeamMemberships(teamID string) []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, tm := range e.teamMemberships(e.teamCurrent(teamID)) {
		out = append(out, tm.(map[string]any))
	}
	return out
}

// memberRequest is one Member of a request (role admin|user, user_id or
// user_email), validated as pydantic does.
func memberRequest(v any, at ...any) (map[string]any, *verr) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &verr{typ: "model_attributes_type", loc: loc(at...), msg: "Input should be a valid dictionary or object to extract fields from", input: v}
	}
	if r, _ := m["role"].(string); r != "admin" && r != "user" {
		return nil, &verr{typ: "literal_error", loc: loc(append(at, "role")...), msg: "Input should be 'admin' or 'user'", input: m["role"],
			ctx: map[string]any{"expected": "'admin' or 'user'"}}
	}
	id, _ := m["user_id"].(string)
	email, _ := m["user_email"].(string)
	if id == "" && email == "" {
		return nil, &verr{typ: "value_error", loc: loc(at...), msg: "Value error, Either user_id or user_email must be provided", input: m}
	}
	return m, nil
}

// pyMembers renders members_with_roles as LiteLLM's messages do.
func pyMembers(members []any) string {
	var parts []string
	for _, m := range members {
		mm, _ := m.(map[string]any)
		parts = append(parts, fmt.Sprintf("Member(user_email=%s, user_id=%s, role='%v')", pyRepr(mm["user_email"]), pyRepr(mm["user_id"]), mm["role"]))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// pyPlain is a value as Python's str() shows it in an f-string.
func pyPlain(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return "None"
}

// pyRepr is a value as Python's repr() shows it inside a model's repr.
func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + s + "'"
	}
	return "None"
}

// memberBudget creates a budget row for a new member (_resolve_member_budget_id):
// an explicit max_budget_in_team makes a fresh budget; without one the
// team's default member budget is cloned; with neither there is none ("").
func (e *Emulator) memberBudget(team map[string]any, maxBudget any) string {
	fields := map[string]any{}
	if maxBudget != nil {
		fields["max_budget"] = maxBudget
	} else {
		meta, _ := team["metadata"].(map[string]any)
		def, _ := meta["team_member_budget_id"].(string)
		if e.budgets[def] == nil {
			return ""
		}
		for _, k := range []string{"max_budget", "budget_duration", "rpm_limit", "tpm_limit"} {
			fields[k] = e.budgets[def][k]
		}
	}
	id := e.uuid4()
	budget := map[string]any{"budget_id": id, "max_budget": nil, "soft_budget": nil, "max_parallel_requests": nil,
		"tpm_limit": nil, "rpm_limit": nil, "model_max_budget": nil, "budget_duration": nil}
	for k, v := range fields {
		budget[k] = v
	}
	e.budgets[id] = budget
	return id
}

// joinTeam adds teamID to a user's teams and returns the user row. A
// user_id that is no user yet is created (get_new_internal_user_defaults);
// an e-mail names the one user with it, or a new user with a fresh ID.
func (e *Emulator) joinTeam(userID, email, teamID string) (map[string]any, *response) {
	var row map[string]any
	if userID == "" {
		found := e.usersByEmail(email)
		switch {
		case len(found) > 1:
			r := reply(http.StatusBadRequest, detailError("Multiple users with this email found in db. Please use 'user_id' instead."))
			return nil, &r
		case len(found) == 1:
			userID = found[0]
		default:
			userID = e.uuid4()
			row = e.newUserRow(userID)
			row["user_email"] = email
		}
	}
	if row == nil {
		if row = e.userCurrent(userID); row == nil {
			row = e.newUserRow(userID)
		} else {
			row = cloneMap(row)
		}
	}
	teams, _ := row["teams"].([]any)
	if !slices.Contains(teams, any(teamID)) {
		row["teams"] = append(slices.Clone(teams), teamID)
	}
	e.userPut(userID, row)
	return row, nil
}

// POST /team/member_add {team_id, member: Member | [Member], max_budget_in_team?}.
func teamMemberAdd(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var members []map[string]any
	switch m := body["member"].(type) {
	case nil:
	case []any:
		for i, x := range m {
			mm, err := memberRequest(x, "member", i)
			if err != nil {
				return unprocessable(*err)
			}
			members = append(members, mm)
		}
	default:
		mm, err := memberRequest(m, "member")
		if err != nil {
			return unprocessable(*err)
		}
		members = append(members, mm)
	}
	teamID, _ := body["team_id"].(string)
	switch {
	case teamID == "":
		return reply(http.StatusBadRequest, detailError("No team id passed in"))
	case body["member"] == nil:
		return reply(http.StatusBadRequest, detailError("No member/members passed in"))
	}
	// get_team_object(check_db_only=True): a database read.
	if e.teamRead(teamID) == nil || e.teamCurrent(teamID) == nil {
		return reply(http.StatusNotFound, detailError(fmt.Sprintf("Team doesn't exist in db. Team=%s. Create team via `/team/new` call.", teamID)))
	}
	team := cloneMap(e.teamCurrent(teamID))
	existing, _ := team["members_with_roles"].([]any)
	var fresh []map[string]any
	for _, m := range members {
		id, _ := m["user_id"].(string)
		email, _ := m["user_email"].(string)
		if memberIndex(existing, id, email) < 0 {
			fresh = append(fresh, m)
		}
	}
	_, list := body["member"].([]any)
	switch {
	case len(fresh) == 0 && list:
		return reply(http.StatusBadRequest, proxyError("All users are already in team. Existing members="+pyMembers(existing),
			"team_member_already_in_team", "member", 400))
	case len(fresh) == 0:
		m := members[0]
		return reply(http.StatusBadRequest, proxyError(fmt.Sprintf("User already in team. Member: user_id=%s, user_email=%s. Existing members=%s",
			pyPlain(m["user_id"]), pyPlain(m["user_email"]), pyMembers(existing)),
			"team_member_already_in_team", "member", 400))
	}
	var users, memberships []any
	rows := slices.Clone(membershipRows(team))
	for _, m := range fresh {
		id, _ := m["user_id"].(string)
		email, _ := m["user_email"].(string)
		user, bad := e.joinTeam(id, email, teamID)
		if bad != nil {
			return reply(http.StatusInternalServerError, detailError(fmt.Sprintf("Unable to add user - %v, to team - %s, for reason - 400: %v", m, teamID, bad.body)))
		}
		id = user["user_id"].(string)
		users = append(users, cloneMap(user))
		entry := map[string]any{"user_id": id, "user_email": m["user_email"], "role": m["role"]}
		existing = append(existing, entry)
		if budget := e.memberBudget(team, body["max_budget_in_team"]); budget != "" {
			rows = append(rows, map[string]any{"user_id": id, "budget_id": budget, "spend": 0.0})
			memberships = append(memberships, map[string]any{"user_id": id, "team_id": teamID, "budget_id": budget,
				"litellm_budget_table": cloneMap(e.budgets[budget])})
		}
	}
	team["members_with_roles"] = existing
	team[membershipsCol] = rows
	team["updated_at"] = e.timestamp(e.now())
	e.teamPut(teamID, team)
	answer := visibleTeam(team)
	answer["updated_users"] = append([]any{}, users...)
	answer["updated_team_memberships"] = append([]any{}, memberships...)
	return reply(http.StatusOK, answer)
}

// memberBudgetPatch maps the member_update fields to budget columns.
var memberBudgetPatch = map[string]string{"max_budget_in_team": "max_budget", "tpm_limit": "tpm_limit", "rpm_limit": "rpm_limit",
	"budget_duration": "budget_duration"}

// POST /team/member_update {team_id, user_id | user_email, role?, max_budget_in_team?, tpm_limit?, rpm_limit?, budget_duration?}.
func teamMemberUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if r, ok := body["role"]; ok && r != nil && r != "admin" && r != "user" {
		return unprocessable(verr{typ: "literal_error", loc: loc("role"), msg: "Input should be 'admin' or 'user'", input: r,
			ctx: map[string]any{"expected": "'admin' or 'user'"}})
	}
	teamID, _ := body["team_id"].(string)
	userID, _ := body["user_id"].(string)
	email, _ := body["user_email"].(string)
	switch {
	case teamID == "":
		return reply(http.StatusBadRequest, detailError("No team id passed in"))
	case userID == "" && email == "":
		return reply(http.StatusBadRequest, detailError("Either user_id or user_email needs to be passed in"))
	}
	if e.teamRead(teamID) == nil || e.teamCurrent(teamID) == nil {
		return reply(http.StatusBadRequest, detailError(fmt.Sprintf("Team id=%s does not exist in db", teamID)))
	}
	team := cloneMap(e.teamCurrent(teamID))
	members, _ := team["members_with_roles"].([]any)
	if userID == "" {
		if i := memberIndex(members, "", email); i >= 0 {
			userID, _ = members[i].(map[string]any)["user_id"].(string)
		}
	}
	if userID == "" {
		return reply(http.StatusBadRequest, detailError(fmt.Sprintf("User id doesn't exist in team table. Data=team_id='%s' user_email='%s'", teamID, email)))
	}
	rows := slices.Clone(membershipRows(team))
	at := -1
	for i, r := range rows {
		if r.(map[string]any)["user_id"] == userID {
			at = i
		}
	}
	patch := map[string]any{}
	for from, to := range memberBudgetPatch {
		if v, sent := body[from]; sent && (!e.legacy || (from == "max_budget_in_team" && v != nil)) {
			patch[to] = v
		}
	}
	if len(patch) > 0 {
		var budget map[string]any
		if at >= 0 {
			id, _ := rows[at].(map[string]any)["budget_id"].(string)
			meta, _ := team["metadata"].(map[string]any)
			if b := e.budgets[id]; b != nil && id != meta["team_member_budget_id"] {
				budget = b
			} else if b != nil {
				budget = cloneMap(b) // clone-on-write of the team's shared default
				budget["budget_id"] = e.uuid4()
			}
		}
		if budget == nil {
			budget = map[string]any{"budget_id": e.uuid4(), "max_budget": nil, "soft_budget": nil, "max_parallel_requests": nil,
				"tpm_limit": nil, "rpm_limit": nil, "model_max_budget": nil, "budget_duration": nil}
		}
		for k, v := range patch {
			budget[k] = v
		}
		id := budget["budget_id"].(string)
		e.budgets[id] = budget
		meaningful := budget["max_budget"] != nil || budget["tpm_limit"] != nil || budget["rpm_limit"] != nil || budget["budget_duration"] != nil
		switch {
		case at >= 0 && meaningful:
			row := cloneMap(rows[at].(map[string]any))
			row["budget_id"] = id
			rows[at] = row
		case at >= 0:
			rows = slices.Delete(rows, at, at+1) // no limit left: the private budget is disconnected
		case meaningful:
			rows = append(rows, map[string]any{"user_id": userID, "budget_id": id, "spend": 0.0})
		}
	}
	if role, ok := body["role"].(string); ok {
		for i, m := range members {
			mm := cloneMap(m.(map[string]any))
			if mm["user_id"] == userID {
				mm["role"] = role
				if email != "" {
					mm["user_email"] = email
				}
				members[i] = mm
			}
		}
		team["members_with_roles"] = members
	}
	team[membershipsCol] = rows
	team["updated_at"] = e.timestamp(e.now())
	e.teamPut(teamID, team)
	return reply(http.StatusOK, map[string]any{"team_id": teamID, "user_id": userID, "user_email": body["user_email"],
		"max_budget_in_team": body["max_budget_in_team"], "tpm_limit": body["tpm_limit"], "rpm_limit": body["rpm_limit"]})
}

// POST /team/member_delete {team_id, user_id | user_email}: a user that is
// not a member (a repeat too) is a 400, as is a team that is gone.
func teamMemberDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	teamID, _ := body["team_id"].(string)
	userID, _ := body["user_id"].(string)
	email, _ := body["user_email"].(string)
	switch {
	case teamID == "":
		return reply(http.StatusBadRequest, detailError("No team id passed in"))
	case userID == "" && email == "":
		return reply(http.StatusBadRequest, detailError("Either user_id or user_email needs to be passed in"))
	}
	read := e.teamRead(teamID)
	if read == nil || e.teamCurrent(teamID) == nil {
		return reply(http.StatusBadRequest, detailError(fmt.Sprintf("Team id=%s does not exist in db", teamID)))
	}
	if seen, _ := read["members_with_roles"].([]any); memberIndex(seen, userID, email) < 0 {
		return reply(http.StatusBadRequest, detailError("User not found in team"))
	}
	team := cloneMap(e.teamCurrent(teamID))
	members, _ := team["members_with_roles"].([]any)
	kept := []any{}
	var gone []string
	for _, m := range members {
		mm, _ := m.(map[string]any)
		if (userID != "" && mm["user_id"] == userID) || (email != "" && mm["user_email"] == email) {
			if id, ok := mm["user_id"].(string); ok {
				gone = append(gone, id)
			}
			continue
		}
		kept = append(kept, m)
	}
	if userID != "" {
		gone = append(gone, userID)
	}
	rows := []any{}
	for _, r := range membershipRows(team) {
		if !slices.Contains(gone, fmt.Sprint(r.(map[string]any)["user_id"])) {
			rows = append(rows, r)
		}
	}
	team["members_with_roles"] = kept
	team[membershipsCol] = rows
	team["updated_at"] = e.timestamp(e.now())
	e.teamPut(teamID, team)
	for _, id := range gone {
		if user := e.userCurrent(id); user != nil {
			user = cloneMap(user)
			teams, _ := user["teams"].([]any)
			user["teams"] = slices.DeleteFunc(slices.Clone(teams), func(t any) bool { return t == teamID })
			e.userPut(id, user)
		}
	}
	return reply(http.StatusOK, visibleTeam(team))
}
