package emulator

import (
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Organization endpoints (LiteLLM litellm/proxy/management_endpoints/
// organization_endpoints.py and the request types in litellm/proxy/_types.py;
// LiteLLM's test tests/integration/management/test_organization_lifecycle.py
// for the answers it asserts). Organizations and their memberships live in
// the DB only: a row here holds the organization's columns, its budget row
// (litellm_budget_table) and its memberships (members), versioned together
// so that a lagging read replica serves all three as they were. Every read,
// the existence checks inside member_add / member_update / update included,
// goes to the replica when ReplicaLag is set; writes go to the primary.
// Every handler runs with e.mu held.

// orgBudgetFields are LiteLLM_BudgetTable's user-controllable fields: on
// create they make the organization's budget row, on update (newest) they
// update it.
var orgBudgetFields = []string{"soft_budget", "max_budget", "max_parallel_requests", "tpm_limit", "rpm_limit",
	"model_max_budget", "budget_duration"}

// orgMetadataFields are the fields NewOrganizationRequest and
// LiteLLM_OrganizationTableUpdate move into metadata (newest only).
var orgMetadataFields = []string{"model_rpm_limit", "model_tpm_limit"}

// orgRoles are ROLES_WITHIN_ORG (OrgMember.role).
var orgRoles = []string{"org_admin", "internal_user", "internal_user_viewer"}

func (e *Emulator) orgCurrent(id string) map[string]any { return deref(latest(e.orgs[id])) }

// orgRead is what a DB read sees: the replica's version when ReplicaLag is
// set, else the primary's.
func (e *Emulator) orgRead(id string) map[string]any {
	return deref(asOf(e.orgs[id], e.now().Add(-e.opts.ReplicaLag)))
}

// orgPut records a new version of an organization row (nil deletes it).
func (e *Emulator) orgPut(id string, row map[string]any) {
	var v *map[string]any
	if row != nil {
		v = &row
	}
	record(e.orgs, id, v, e.now(), e.opts.ReplicaLag)
}

// Organizations returns the stored organizations (the primary) as
// /organization/info shows them, sorted by organization_id.
func (e *Emulator) Organizations() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.orgs) {
		if row := e.orgCurrent(id); row != nil {
			out = append(out, e.orgInfo(row, e.teamCurrent))
		}
	}
	return out
}

// UpdateOrganization changes a stored organization out of band (as the UI
// would): top-level fields are replaced, "litellm_budget_table" is merged
// into the budget row.
func (e *Emulator) UpdateOrganization(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.orgCurrent(id)
	if row == nil {
		return false
	}
	row = cloneMap(row)
	for k, v := range cloneMap(fields) {
		if b, ok := v.(map[string]any); ok && k == "litellm_budget_table" {
			budget, _ := row[k].(map[string]any)
			if budget == nil {
				budget = map[string]any{}
			}
			maps.Copy(budget, b)
			row[k] = budget
			continue
		}
		row[k] = v
	}
	e.orgPut(id, row)
	return true
}

// DeleteOrganization deletes a stored organization out of band (its row and
// memberships; its teams and keys stay).
func (e *Emulator) DeleteOrganization(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.orgCurrent(id) == nil {
		return false
	}
	e.orgPut(id, nil)
	return true
}

// OrganizationMembers returns the organization's memberships on the
// primary, each with the row of its budget in litellm_budget_table (which
// /organization/info does not include), sorted by user_id; nil when there
// is no such organization.
func (e *Emulator) OrganizationMembers(id string) []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.orgCurrent(id)
	if row == nil {
		return nil
	}
	out := []map[string]any{}
	for _, m := range orgMembers(row) {
		m = cloneMap(m)
		if b, _ := m["budget_id"].(string); b != "" && e.budgets[b] != nil {
			m["litellm_budget_table"] = cloneMap(e.budgets[b])
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(a["user_id"]), fmt.Sprint(b["user_id"]))
	})
	return out
}

// SetOrganizationMember adds a membership out of band, or changes its role.
func (e *Emulator) SetOrganizationMember(orgID, userID, role string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.orgCurrent(orgID)
	if row == nil {
		return false
	}
	row = cloneMap(row)
	if m := orgMemberIn(row, userID); m != nil {
		m["user_role"] = role
		m["updated_at"] = e.timestamp(e.now())
	} else {
		row["members"] = append(orgMembersAny(row), e.newMembership(orgID, userID, role))
	}
	e.orgPut(orgID, row)
	return true
}

// DeleteOrganizationMember removes a membership out of band.
func (e *Emulator) DeleteOrganizationMember(orgID, userID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.orgCurrent(orgID)
	if row == nil || orgMemberIn(row, userID) == nil {
		return false
	}
	e.orgPut(orgID, orgWithoutMember(row, userID))
	return true
}

// orgMembers lists a row's memberships.
func orgMembers(row map[string]any) []map[string]any {
	var out []map[string]any
	for _, m := range orgMembersAny(row) {
		if mm, ok := m.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out
}

func orgMembersAny(row map[string]any) []any {
	l, _ := row["members"].([]any)
	return l
}

// orgMemberIn is the row's membership of userID (nil: none); it is the row's
// own map, so a change to it changes the row.
func orgMemberIn(row map[string]any, userID string) map[string]any {
	for _, m := range orgMembers(row) {
		if m["user_id"] == userID {
			return m
		}
	}
	return nil
}

// orgWithoutMember is a copy of row without userID's membership.
func orgWithoutMember(row map[string]any, userID string) map[string]any {
	row = cloneMap(row)
	kept := []any{}
	for _, m := range orgMembers(row) {
		if m["user_id"] != userID {
			kept = append(kept, m)
		}
	}
	row["members"] = kept
	return row
}

// newMembership is a LiteLLM_OrganizationMembership row as
// /organization/info lists it (members: True includes neither the user nor
// the budget).
func (e *Emulator) newMembership(orgID, userID, role string) map[string]any {
	now := e.timestamp(e.now())
	return map[string]any{"user_id": userID, "organization_id": orgID, "user_role": role, "spend": 0.0, "budget_id": nil,
		"created_at": now, "updated_at": now, "user": nil, "litellm_budget_table": nil, "user_email": nil}
}

// orgInfo is the /organization/info answer for a row: its columns, budget
// and members, and the teams whose organization_id it is (as team reads
// returns them).
func (e *Emulator) orgInfo(row map[string]any, team func(string) map[string]any) map[string]any {
	info := cloneMap(row)
	info["users"] = nil
	info["object_permission"] = nil
	teams := []any{}
	for _, id := range sortedKeys(e.teams) {
		if t := team(id); t != nil && t["organization_id"] == row["organization_id"] {
			teams = append(teams, cloneMap(t))
		}
	}
	info["teams"] = teams
	return info
}

// orgStringifiedNumber is _convert_stringified_numbers: "3e-07" and
// "1.5" become floats, "8192" an int; anything else stays a string.
func orgStringifiedNumber(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if strings.ContainsAny(strings.ToLower(s), "e.") {
		// Python's float() takes no hex, "inf" or "nan" spelled this way.
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(strings.ToLower(s), "xnpi") {
			return s
		}
		return f
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(s, "_", "")), 10, 64); err == nil {
		return float64(n)
	}
	return s
}

// orgMergeMetadata is _update_dictionary (newest): nulls skipped, strings
// through orgStringifiedNumber, an object merged one level into the
// stored object, anything else replaced.
func orgMergeMetadata(existing, updates map[string]any) map[string]any {
	out := cloneMap(existing)
	for k, v := range updates {
		switch x := v.(type) {
		case nil:
		case string:
			out[k] = orgStringifiedNumber(x)
		case map[string]any:
			if old, ok := out[k].(map[string]any); ok {
				maps.Copy(old, cloneMap(x))
			} else {
				out[k] = cloneMap(x)
			}
		default:
			out[k] = cloneValue(v)
		}
	}
	return out
}

// orgBudgetErrors is the newest create and update's check of the budgets.
func orgBudgetErrors(body map[string]any) *response {
	for _, k := range []string{"max_budget", "soft_budget"} {
		if f, ok := body[k].(float64); ok && f < 0 {
			r := reply(http.StatusBadRequest, detailError(fmt.Sprintf("%s cannot be negative. Received: %s", k, orgPyFloat(f))))
			return &r
		}
	}
	return nil
}

// orgPyFloat renders a float as Python's str() does for the usual values.
func orgPyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// orgInternalServerError is Starlette's answer to an exception nobody caught
// (a text/plain "Internal Server Error"; the emulator's answers are JSON, so
// it is the JSON string, which a client reads the same way: not LiteLLM's
// error shapes).
func orgInternalServerError() response {
	return reply(http.StatusInternalServerError, "Internal Server Error")
}

// POST /organization/new.
func organizationNew(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "organization_alias", "str", true)
	fieldCheck(&errs, body, "organization_id", "str", false)
	fieldCheck(&errs, body, "budget_duration", "str", false)
	fieldCheck(&errs, body, "metadata", "dict", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	if !e.legacy {
		if bad := orgBudgetErrors(body); bad != nil {
			return *bad
		}
	}
	id, _ := body["organization_id"].(string)
	if id == "" {
		id = e.uuid4()
	}
	// The budget row is made first; then the insert, on the primary. A
	// taken organization_id makes the insert raise, and nothing catches it.
	budgetID := e.uuid4()
	if e.orgCurrent(id) != nil {
		return orgInternalServerError()
	}
	budget := map[string]any{"budget_id": budgetID}
	for _, k := range orgBudgetFields {
		budget[k] = cloneValue(body[k])
	}
	now := e.timestamp(e.now())
	meta, _ := body["metadata"].(map[string]any)
	meta = cloneMap(meta)
	if !e.legacy {
		for _, f := range orgMetadataFields {
			if v, ok := body[f]; ok && v != nil {
				meta[f] = cloneValue(v)
			}
		}
	}
	models, _ := body["models"].([]any)
	if models == nil {
		models = []any{}
	}
	row := map[string]any{
		"organization_id": id, "organization_alias": body["organization_alias"], "budget_id": budgetID, "spend": 0.0,
		"metadata": meta, "models": cloneValue(models), "created_by": "default_user_id", "updated_by": "default_user_id",
		"object_permission_id": nil, "created_at": now, "updated_at": now, "litellm_budget_table": budget, "members": []any{},
	}
	e.orgPut(id, row)
	answer := cloneMap(row)
	delete(answer, "members")
	if e.legacy {
		answer["litellm_budget_table"] = nil // the older create answered without the budget
	}
	return reply(http.StatusOK, answer)
}

// GET /organization/info?organization_id=.
func organizationInfoGet(e *Emulator, _ *worker, rq *request) response {
	id, ok := rq.query["organization_id"]
	if !ok || len(id) == 0 {
		return unprocessable(verr{typ: "missing", loc: []any{"query", "organization_id"}, msg: "Field required", input: nil})
	}
	row := e.orgRead(id[0])
	if row == nil {
		return reply(http.StatusNotFound, detailError("Organization not found"))
	}
	return reply(http.StatusOK, e.orgInfo(row, e.teamRead))
}

// PATCH /organization/update. Newest: the fields sent without nulls
// (exclude_none), the metadata merged into the stored one
// (_update_dictionary), budget fields written to the budget row, budget_id
// never changed. Legacy: organization_alias, models and metadata (replaced
// whole); budget fields ignored.
func organizationUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "organization_id", "str", false)
	fieldCheck(&errs, body, "metadata", "dict", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	if !e.legacy {
		if bad := orgBudgetErrors(body); bad != nil {
			return *bad
		}
	}
	id, _ := body["organization_id"].(string)
	existing := e.orgRead(id) // find_unique: the replica
	if id == "" || existing == nil || e.orgCurrent(id) == nil {
		return orgInternalServerError() // ValueError("Organization not found for organization_id=…"), uncaught
	}
	row := cloneMap(e.orgCurrent(id))
	for _, k := range []string{"organization_alias", "models"} {
		if v, ok := body[k]; ok && v != nil {
			row[k] = cloneValue(v)
		}
	}
	meta, sent := body["metadata"].(map[string]any)
	if !e.legacy {
		// set_model_info moves the metadata-kept fields into the metadata
		// sent (or a new one), which is then merged into the stored one as
		// the replica's read returned it.
		for _, f := range orgMetadataFields {
			if v, ok := body[f]; ok && v != nil {
				if meta == nil {
					meta = map[string]any{}
				}
				meta[f] = v
				sent = true
			}
		}
		if sent {
			old, _ := existing["metadata"].(map[string]any)
			row["metadata"] = orgMergeMetadata(old, meta)
		}
		budget := cloneMap(orgObject(row["litellm_budget_table"]))
		for _, k := range orgBudgetFields {
			if v, ok := body[k]; ok && v != nil {
				budget[k] = cloneValue(v)
			}
		}
		row["litellm_budget_table"] = budget
	} else if sent {
		row["metadata"] = cloneMap(meta)
	}
	row["updated_by"] = "default_user_id"
	row["updated_at"] = e.timestamp(e.now())
	e.orgPut(id, row)
	return reply(http.StatusOK, e.orgInfo(row, e.teamCurrent))
}

func orgObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// DELETE /organization/delete {"organization_ids": [...]}: for each ID, its
// teams (and their keys), its memberships and its keys are deleted first,
// then the organization; one that is not there → 404.
func organizationDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, ok := body["organization_ids"].([]any)
	if !ok {
		return unprocessable(verr{typ: "missing", loc: loc("organization_ids"), msg: "Field required", input: body})
	}
	deleted := []any{}
	for _, v := range raw {
		id, _ := v.(string)
		for _, tid := range sortedKeys(e.teams) {
			if t := e.teamCurrent(tid); t != nil && t["organization_id"] == id {
				e.teamPut(tid, nil)
				e.deleteTeamKeys(tid)
			}
		}
		for _, token := range sortedKeys(e.keys) {
			if k := e.keyCurrent(token); k != nil && k["organization_id"] == id {
				e.keyPut(token, nil)
			}
		}
		row := e.orgCurrent(id)
		if row == nil {
			return reply(http.StatusNotFound, detailError(fmt.Sprintf("Organization=%s not found", id)))
		}
		info := e.orgInfo(row, e.teamCurrent)
		e.orgPut(id, nil)
		deleted = append(deleted, info)
	}
	return reply(http.StatusOK, deleted)
}

// orgMemberBody validates one OrgMember (role in ROLES_WITHIN_ORG, user_id or
// user_email) at loc.
func orgMemberBody(errs *[]verr, v any, at ...any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		*errs = append(*errs, verr{typ: "model_type", loc: loc(at...), msg: "Input should be a valid dictionary or instance of OrgMember", input: v})
		return nil
	}
	if m["user_id"] == nil && m["user_email"] == nil {
		*errs = append(*errs, verr{typ: "value_error", loc: loc(at...), msg: "Value error, Either user id or user email must be provided", input: m})
		return nil
	}
	role, _ := m["role"].(string)
	if !slices.Contains(orgRoles, role) {
		*errs = append(*errs, verr{typ: "literal_error", loc: loc(append(at, "role")...),
			msg: "Input should be 'org_admin', 'internal_user' or 'internal_user_viewer'", input: m["role"]})
		return nil
	}
	return m
}

// POST /organization/member_add {organization_id, member: {...} | [...]}:
// the organization must exist (a replica read); each member in turn: its
// user by user_id, else by user_email, else created (an internal user); then
// the membership (a second one → 500, the members before it stay added).
// max_budget_in_organization is accepted and ignored.
func organizationMemberAdd(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "organization_id", "str", true)
	var members []map[string]any
	switch m := body["member"].(type) {
	case nil:
		errs = append(errs, verr{typ: "missing", loc: loc("member"), msg: "Field required", input: body})
	case []any:
		for i, x := range m {
			members = append(members, orgMemberBody(&errs, x, "member", i))
		}
	default:
		members = append(members, orgMemberBody(&errs, m, "member"))
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	orgID := body["organization_id"].(string)
	authError := func(status int, msg string) response {
		return reply(status, proxyError(msg, "auth_error", "None", status))
	}
	if e.orgRead(orgID) == nil {
		return authError(http.StatusNotFound, fmt.Sprintf("{'error': 'Organization not found for organization_id=%s'}", orgID))
	}
	users, memberships := []any{}, []any{}
	for _, m := range members {
		userID, _ := m["user_id"].(string)
		email, _ := m["user_email"].(string)
		role := m["role"].(string)
		user := map[string]any(nil)
		if userID != "" {
			user = e.userRead(userID)
		}
		if user == nil && email != "" {
			if found := e.usersByEmail(email); len(found) > 0 {
				user = e.userRead(found[0])
			}
		}
		if user == nil {
			// get_new_internal_user_defaults: an internal user, no budget.
			if userID == "" {
				userID = e.uuid4()
			}
			user = e.newUserRow(userID)
			user["user_role"] = "internal_user"
			if email != "" {
				user["user_email"] = email
			}
			if e.userCurrent(userID) == nil {
				e.userPut(userID, user)
			}
		}
		userID = fmt.Sprint(user["user_id"])
		row := e.orgCurrent(orgID)
		pyEmail := "None"
		if email != "" {
			pyEmail = "'" + email + "'"
		}
		member := fmt.Sprintf("user_id='%s' user_email=%s role=<LitellmUserRoles.%s: '%s'>", userID, pyEmail, orgRoleEnumName(role), role)
		switch {
		case row == nil:
			return authError(http.StatusInternalServerError, fmt.Sprintf("Authentication Error, Error adding member=%s to organization=%s: "+
				"Foreign key constraint failed on the field: `organization_id`", member, orgID))
		case orgMemberIn(row, userID) != nil:
			return authError(http.StatusInternalServerError, fmt.Sprintf("Authentication Error, Error adding member=%s to organization=%s: "+
				"Unique constraint failed on the fields: (`user_id`,`organization_id`)", member, orgID))
		}
		membership := e.newMembership(orgID, userID, role)
		row = cloneMap(row)
		row["members"] = append(orgMembersAny(row), membership)
		e.orgPut(orgID, row)
		users = append(users, cloneMap(user))
		memberships = append(memberships, cloneMap(membership))
	}
	return reply(http.StatusOK, map[string]any{"organization_id": orgID, "updated_users": users,
		"updated_organization_memberships": memberships})
}

func orgRoleEnumName(role string) string {
	switch role {
	case "org_admin":
		return "ORG_ADMIN"
	case "internal_user_viewer":
		return "INTERNAL_USER_VIEW_ONLY"
	}
	return "INTERNAL_USER"
}

// orgMemberUserID resolves the user of a member_update / member_delete body:
// user_id, else the one user with user_email (find_member_if_email: none or
// several → 400).
func (e *Emulator) orgMemberUserID(body map[string]any) (string, *response) {
	if id, _ := body["user_id"].(string); id != "" {
		return id, nil
	}
	email, _ := body["user_email"].(string)
	if found := e.usersByEmail(email); len(found) == 1 {
		return found[0], nil
	}
	r := reply(http.StatusBadRequest, detailError(fmt.Sprintf("Unique user not found for user_email=%s. Potential duplicate OR "+
		"non-existent user_email in LiteLLM_UserTable. Use 'user_id' instead.", email)))
	return "", &r
}

// orgMemberRequest validates the body shared by member_update and
// member_delete (OrganizationMemberDeleteRequest).
func orgMemberRequest(body map[string]any) []verr {
	var errs []verr
	if body["user_id"] == nil && body["user_email"] == nil {
		errs = append(errs, verr{typ: "value_error", loc: []any{"body"}, msg: "Value error, Either user id or user email must be provided", input: body})
	}
	fieldCheck(&errs, body, "organization_id", "str", true)
	return errs
}

// PATCH /organization/member_update {organization_id, user_id | user_email,
// role?, max_budget_in_organization?}: the organization (a replica read;
// missing → 400), the membership (a replica read; missing → 404), then the
// role and the member's budget (a budget row, made on first use), each only
// when not null.
func organizationMemberUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	errs := orgMemberRequest(body)
	if r, ok := body["role"]; ok && r != nil {
		if s, _ := r.(string); !slices.Contains(orgRoles, s) {
			errs = append(errs, verr{typ: "value_error", loc: loc("role"),
				msg: "Value error, Invalid role. Must be one of: ['org_admin', 'internal_user', 'internal_user_viewer']", input: r})
		}
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	orgID := body["organization_id"].(string)
	if e.orgRead(orgID) == nil {
		return reply(http.StatusBadRequest, detailError(fmt.Sprintf("Organization not found for organization_id=%s", orgID)))
	}
	userID, bad := e.orgMemberUserID(body)
	if bad != nil {
		return *bad
	}
	if orgMemberIn(e.orgRead(orgID), userID) == nil {
		return reply(http.StatusNotFound, detailError(fmt.Sprintf("Member not found in organization for user_id=%s", userID)))
	}
	row := e.orgCurrent(orgID)
	if row == nil || orgMemberIn(row, userID) == nil {
		// Prisma's update of a row the primary no longer has.
		return reply(http.StatusInternalServerError, proxyError("An operation failed because it depends on one or more records that were required but not found. Record to update not found.",
			"internal_server_error", "None", 500))
	}
	row = cloneMap(row)
	m := orgMemberIn(row, userID)
	if r, ok := body["role"].(string); ok {
		m["user_role"] = r
	}
	if b, ok := body["max_budget_in_organization"]; ok && b != nil {
		id, _ := m["budget_id"].(string)
		if id == "" || e.budgets[id] == nil {
			id = e.uuid4()
			e.budgets[id] = map[string]any{"budget_id": id, "max_budget": nil, "soft_budget": nil, "max_parallel_requests": nil,
				"tpm_limit": nil, "rpm_limit": nil, "model_max_budget": nil, "budget_duration": nil}
		}
		e.budgets[id]["max_budget"] = b
		m["budget_id"] = id
	}
	m["updated_at"] = e.timestamp(e.now())
	e.orgPut(orgID, row)
	answer := map[string]any{}
	for k, v := range m {
		if v != nil && k != "user" && k != "user_email" {
			answer[k] = cloneValue(v)
		}
	}
	if id, _ := m["budget_id"].(string); id != "" {
		answer["litellm_budget_table"] = cloneMap(e.budgets[id])
	}
	return reply(http.StatusOK, answer)
}

// DELETE /organization/member_delete {organization_id, user_id |
// user_email}: the membership is deleted on the primary and returned; a
// user who is not a member (or an unknown organization) answers 200 null.
func organizationMemberDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if errs := orgMemberRequest(body); len(errs) > 0 {
		return unprocessable(errs...)
	}
	orgID := body["organization_id"].(string)
	userID, bad := e.orgMemberUserID(body)
	if bad != nil {
		return *bad
	}
	row := e.orgCurrent(orgID)
	m := map[string]any(nil)
	if row != nil {
		m = orgMemberIn(row, userID)
	}
	if m == nil {
		return reply(http.StatusOK, nil)
	}
	out := cloneMap(m)
	e.orgPut(orgID, orgWithoutMember(row, userID))
	return reply(http.StatusOK, out)
}

// GET /organization/list: every organization (as DB reads see them) with
// its members and teams (find_many include members, teams), sorted by
// organization_id.
func organizationList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range sortedKeys(e.orgs) {
		if row := e.orgRead(id); row != nil {
			info := e.orgInfo(row, e.teamRead)
			delete(info, "users")
			delete(info, "object_permission")
			delete(info, "litellm_budget_table")
			out = append(out, info)
		}
	}
	return reply(http.StatusOK, out)
}
