package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Team endpoints (LiteLLM litellm/proxy/management_endpoints/team_endpoints.py;
// LiteLLM's integration test tests/integration/management/test_team_*.py for
// the answers). Teams live in the DB only: no worker caches them for the
// management reads, but every read (the write paths' existence checks too)
// goes to the read replica when ReplicaLag is set. Every handler runs with
// e.mu held.

// teamMetadataFields are kept inside metadata, not as columns
// (LiteLLM_ManagementEndpoint_MetadataFields and the premium list).
var teamMetadataFields = []string{"model_rpm_limit", "model_tpm_limit", "guardrails", "tags", "enforced_params",
	"temp_budget_increase", "temp_budget_expiry", "team_member_key_duration"}

// teamColumns are the fields of NewTeamRequest/UpdateTeamRequest stored as
// columns of LiteLLM_TeamTable.
var teamColumns = []string{"team_alias", "organization_id", "models", "max_budget", "soft_budget", "budget_duration",
	"tpm_limit", "rpm_limit", "tpm_limit_type", "rpm_limit_type", "max_parallel_requests", "metadata", "blocked",
	"members_with_roles", "access_group_ids", "router_settings", "model_aliases"}

// teamMemberBudget maps the request's member-budget fields to the budget row.
var teamMemberBudget = map[string]string{
	"team_member_budget": "max_budget", "team_member_budget_duration": "budget_duration",
	"team_member_rpm_limit": "rpm_limit", "team_member_tpm_limit": "tpm_limit",
}

func (e *Emulator) teamCurrent(id string) map[string]any { return deref(latest(e.teams[id])) }

// teamRead is what a DB read sees: the replica's version when ReplicaLag is
// set (routing_prisma_wrapper sends find_unique there), else the primary's.
func (e *Emulator) teamRead(id string) map[string]any {
	return deref(asOf(e.teams[id], e.now().Add(-e.opts.ReplicaLag)))
}

// teamPut records a new version of a team row (nil deletes it).
func (e *Emulator) teamPut(id string, row map[string]any) {
	var v *map[string]any
	if row != nil {
		v = &row
	}
	record(e.teams, id, v, e.now(), e.opts.ReplicaLag)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// Teams returns the stored team rows (the primary), sorted by team_id.
func (e *Emulator) Teams() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.teams) {
		if row := e.teamCurrent(id); row != nil {
			out = append(out, e.teamInfo(row))
		}
	}
	return out
}

// UpdateTeam changes a stored team out of band (as the UI would).
func (e *Emulator) UpdateTeam(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.teamCurrent(id)
	if row == nil {
		return false
	}
	row = cloneMap(row)
	maps.Copy(row, cloneMap(fields))
	e.teamPut(id, row)
	return true
}

// DeleteTeam deletes a stored team out of band.
func (e *Emulator) DeleteTeam(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.teamCurrent(id) == nil {
		return false
	}
	e.teamPut(id, nil)
	return true
}

// durationRE is _duration_in_seconds' format.
var durationRE = regexp.MustCompile(`^([0-9]+)(s|m|h|d|w|mo)$`)

func (e *Emulator) resetAt(duration any) (any, *response) {
	s, _ := duration.(string)
	m := durationRE.FindStringSubmatch(s)
	if m == nil {
		r := reply(http.StatusBadRequest, detailError(fmt.Sprintf("Invalid duration format: %v", duration)))
		return nil, &r
	}
	n, _ := strconv.Atoi(m[1])
	unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "mo": 30 * 24 * time.Hour}[m[2]]
	return e.timestamp(e.now().Add(time.Duration(n) * unit)), nil
}

// teamInfo is team_info of /team/info: the row and its member budget.
func (e *Emulator) teamInfo(row map[string]any) map[string]any {
	info := cloneMap(row)
	delete(info, membershipsCol)
	info["team_member_budget_table"] = nil
	if meta, _ := row["metadata"].(map[string]any); meta != nil {
		if id, _ := meta["team_member_budget_id"].(string); id != "" && e.budgets[id] != nil {
			info["team_member_budget_table"] = cloneMap(e.budgets[id])
		}
	}
	return info
}

// moveToMetadata moves the metadata-kept fields of kv into its metadata
// (_set_object_metadata_field on create, _update_metadata_field on update).
// On update, a field sent without `metadata` replaces the whole metadata
// with that one field: LiteLLM writes `updated_kv["metadata"] = {field:
// value}` when the request has no metadata.
func moveToMetadata(kv map[string]any) {
	for _, f := range teamMetadataFields {
		v, ok := kv[f]
		if !ok || v == nil {
			continue
		}
		delete(kv, f)
		if meta, _ := kv["metadata"].(map[string]any); meta != nil {
			meta[f] = v
		} else {
			kv["metadata"] = map[string]any{f: v}
		}
	}
}

// upsertMemberBudget creates or updates the team's member budget when the
// request sets one of its fields (TeamMemberBudgetHandler), and strips the
// fields from kv.
func (e *Emulator) upsertMemberBudget(kv map[string]any, existing map[string]any) {
	fields := map[string]any{}
	for from, to := range teamMemberBudget {
		if v, ok := kv[from]; ok {
			delete(kv, from)
			if v != nil {
				fields[to] = v
			}
		}
	}
	if fields["max_budget"] == nil && fields["rpm_limit"] == nil && fields["tpm_limit"] == nil {
		return // should_create_budget: only a budget or a limit makes one
	}
	meta, _ := kv["metadata"].(map[string]any)
	if meta == nil {
		old, _ := existing["metadata"].(map[string]any)
		meta = cloneMap(old)
		if meta == nil {
			meta = map[string]any{}
		}
		kv["metadata"] = meta
	}
	oldMeta, _ := existing["metadata"].(map[string]any)
	id, _ := oldMeta["team_member_budget_id"].(string)
	budget := e.budgets[id]
	if budget == nil {
		id = e.uuid4()
		budget = map[string]any{"budget_id": id, "max_budget": nil, "budget_duration": nil, "rpm_limit": nil, "tpm_limit": nil}
		e.budgets[id] = budget
	}
	maps.Copy(budget, fields)
	meta["team_member_budget_id"] = id
}

// POST /team/new.
func teamNew(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "team_id", "str", false)
	fieldCheck(&errs, body, "team_alias", "str", false)
	fieldCheck(&errs, body, "metadata", "dict", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id, _ := body["team_id"].(string)
	if id == "" {
		id = e.uuid4()
	} else if e.teamRead(id) != nil || e.teamCurrent(id) != nil {
		return reply(http.StatusBadRequest, proxyError(
			fmt.Sprintf("{'error': 'Team id = %s already exists. Please use a different team id.'}", id), "auth_error", "None", 400))
	}
	now := e.timestamp(e.now())
	row := map[string]any{
		"team_id": id, "team_alias": nil, "organization_id": nil, "admins": []any{}, "members": []any{},
		"members_with_roles": []any{map[string]any{"role": "admin", "user_id": "default_user_id", "user_email": nil}},
		"metadata":           map[string]any{}, "tpm_limit": nil, "rpm_limit": nil, "max_budget": nil, "soft_budget": nil,
		"budget_duration": nil, "models": []any{}, "blocked": false, "spend": 0.0, "max_parallel_requests": nil,
		"budget_reset_at": nil, "model_id": nil, "created_at": now, "updated_at": now, "team_member_permissions": []any{},
		"access_group_ids": []any{}, "tpm_limit_type": nil, "rpm_limit_type": nil, "model_spend": map[string]any{},
		"model_max_budget": map[string]any{}, "object_permission_id": nil, "router_settings": map[string]any{},
	}
	kv := cloneMap(body)
	delete(kv, "team_id")
	if kv["metadata"] == nil {
		kv["metadata"] = map[string]any{}
	}
	moveToMetadata(kv)
	e.upsertMemberBudget(kv, nil)
	for _, k := range teamColumns {
		if v, ok := kv[k]; ok && v != nil {
			row[k] = v
		}
	}
	if row["budget_duration"] != nil {
		at, bad := e.resetAt(row["budget_duration"])
		if bad != nil {
			return *bad
		}
		row["budget_reset_at"] = at
	}
	e.teamPut(id, row)
	return reply(http.StatusOK, cloneMap(row))
}

// GET /team/info?team_id=.
func teamInfoGet(e *Emulator, _ *worker, rq *request) response {
	id := rq.queryValue("team_id")
	if id == "" {
		return reply(http.StatusBadRequest, detailError("Malformed request. No team id passed in."))
	}
	row := e.teamRead(id)
	if row == nil {
		return reply(http.StatusNotFound, proxyError(fmt.Sprintf("{'message': 'Team not found, passed team id: %s.'}", id), "auth_error", "None", 404))
	}
	return reply(http.StatusOK, map[string]any{"team_id": id, "team_info": e.teamInfo(row), "keys": []any{}, "team_memberships": e.teamMemberships(row)})
}

// POST /team/update: every field sent is written (exclude_unset), null
// included.
func teamUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	id, _ := body["team_id"].(string)
	if id == "" {
		return reply(http.StatusBadRequest, detailError("No team id passed in"))
	}
	existing := e.teamRead(id)
	if existing == nil || e.teamCurrent(id) == nil {
		return reply(http.StatusNotFound, detailError(fmt.Sprintf("Team not found, passed team_id=%s", id)))
	}
	existing = e.teamCurrent(id)
	kv := cloneMap(body)
	delete(kv, "team_id")
	e.upsertMemberBudget(kv, existing)
	moveToMetadata(kv)
	row := cloneMap(existing)
	for k, v := range kv {
		switch {
		case v == nil && (k == "models" || k == "members_with_roles" || k == "access_group_ids"):
			// A list column is NOT NULL: Prisma refuses the update.
			return reply(http.StatusInternalServerError, proxyError(fmt.Sprintf("Argument `%s` must not be null.", k), "internal_server_error", "None", 500))
		case k == "organization_id" && v == "":
			row[k] = nil
		case slices.Contains(teamColumns, k):
			row[k] = v
		case slices.Contains(teamMetadataFields, k):
			// A metadata-kept field sent as null stays in the update data,
			// which has no such column: Prisma refuses it.
			return reply(http.StatusInternalServerError, proxyError(fmt.Sprintf("Unknown argument `%s`.", k), "internal_server_error", "None", 500))
		}
	}
	if d, ok := kv["budget_duration"]; ok && d != nil {
		at, bad := e.resetAt(d)
		if bad != nil {
			return *bad
		}
		row["budget_reset_at"] = at
	}
	row["updated_at"] = e.timestamp(e.now())
	e.teamPut(id, row)
	return reply(http.StatusOK, map[string]any{"team_id": id, "data": visibleTeam(row)})
}

// POST /team/delete {"team_ids": [...]}: every team must exist; deletes
// them and their keys (and, in LiteLLM, their memberships).
func teamDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, _ := body["team_ids"].([]any)
	if len(raw) == 0 {
		return reply(http.StatusBadRequest, detailError("No team id passed in"))
	}
	var ids []any
	for _, v := range raw {
		id, _ := v.(string)
		if e.teamCurrent(id) == nil {
			return reply(http.StatusNotFound, detailError(fmt.Sprintf("Team not found, passed team_id=%s", id)))
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		e.teamPut(id.(string), nil)
		e.deleteTeamKeys(id.(string))
	}
	return reply(http.StatusOK, map[string]any{"deleted_teams": ids})
}

// GET /team/list: every team (a proxy admin's view).
func teamList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range sortedKeys(e.teams) {
		if row := e.teamRead(id); row != nil {
			out = append(out, e.teamInfo(row))
		}
	}
	return reply(http.StatusOK, out)
}
