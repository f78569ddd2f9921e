package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Internal user endpoints (LiteLLM litellm/proxy/management_endpoints/
// internal_user_endpoints.py, and PrismaClient.insert_data/update_data in
// litellm/proxy/utils.py). Users live in the DB only; every read (the
// duplicate checks of /user/new, the existence checks of update and delete
// included) goes to the read replica when ReplicaLag is set, every write to
// the primary. Every handler runs with e.mu held.

// userColumns are the request fields stored as columns of LiteLLM_UserTable
// (the rest of a request is ignored here).
var userColumns = []string{"user_email", "user_alias", "user_role", "team_id", "sso_user_id", "organization_id",
	"teams", "max_budget", "models", "metadata", "max_parallel_requests", "tpm_limit", "rpm_limit", "budget_duration",
	"allowed_cache_controls", "policies", "model_max_budget"}

// userMetadataFields are LiteLLM_ManagementEndpoint_MetadataFields: an
// update never writes them as columns; prepare_metadata_fields copies them
// into the metadata.
var userMetadataFields = []string{"model_rpm_limit", "model_tpm_limit", "guardrails", "tags", "enforced_params",
	"temp_budget_increase", "temp_budget_expiry"}

func (e *Emulator) userCurrent(id string) map[string]any { return deref(latest(e.users[id])) }

// userRead is what a DB read sees: the replica's version when ReplicaLag is
// set, else the primary's.
func (e *Emulator) userRead(id string) map[string]any {
	return deref(asOf(e.users[id], e.now().Add(-e.opts.ReplicaLag)))
}

// userPut records a new version of a user row (nil deletes it).
func (e *Emulator) userPut(id string, row map[string]any) {
	var v *map[string]any
	if row != nil {
		v = &row
	}
	record(e.users, id, v, e.now(), e.opts.ReplicaLag)
}

// Users returns the stored user rows (the primary), sorted by user_id.
func (e *Emulator) Users() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.users) {
		if row := e.userCurrent(id); row != nil {
			out = append(out, cloneMap(row))
		}
	}
	return out
}

// UpdateUser changes a stored user out of band (as the UI, an SSO sign-in or
// a team membership would).
func (e *Emulator) UpdateUser(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.userCurrent(id)
	if row == nil {
		return false
	}
	row = cloneMap(row)
	maps.Copy(row, cloneMap(fields))
	e.userPut(id, row)
	return true
}

// DeleteUser deletes a stored user out of band.
func (e *Emulator) DeleteUser(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.userCurrent(id) == nil {
		return false
	}
	e.userPut(id, nil)
	return true
}

// newUserRow is a LiteLLM_UserTable row with the columns' defaults.
func (e *Emulator) newUserRow(id string) map[string]any {
	now := e.timestamp(e.now())
	return map[string]any{
		"user_id": id, "user_alias": nil, "user_email": nil, "user_role": nil, "team_id": nil, "sso_user_id": nil,
		"organization_id": nil, "object_permission_id": nil, "teams": []any{}, "max_budget": nil, "spend": 0.0,
		"models": []any{}, "metadata": map[string]any{}, "max_parallel_requests": nil, "tpm_limit": nil,
		"rpm_limit": nil, "budget_duration": nil, "budget_reset_at": nil, "allowed_cache_controls": []any{},
		"policies": []any{}, "model_spend": map[string]any{}, "model_max_budget": map[string]any{},
		"created_at": now, "updated_at": now, "organization_memberships": []any{},
	}
}

// usersByEmail lists the users a DB read finds with this e-mail: newest
// compares trimmed and case-insensitive (_check_duplicate_user_field),
// legacy exactly.
func (e *Emulator) usersByEmail(email string) []string {
	var out []string
	for _, id := range sortedKeys(e.users) {
		row := e.userRead(id)
		got, _ := row["user_email"].(string)
		if row == nil || got == "" {
			continue
		}
		if (!e.legacy && strings.EqualFold(got, strings.TrimSpace(email))) || (e.legacy && got == email) {
			out = append(out, id)
		}
	}
	return out
}

func emptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// POST /user/new.
func userNew(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	for _, f := range []string{"user_id", "user_email", "user_alias", "user_role", "budget_duration"} {
		fieldCheck(&errs, body, f, "str", false)
	}
	fieldCheck(&errs, body, "metadata", "dict", false)
	fieldCheck(&errs, body, "auto_create_key", "bool", false)
	fieldCheck(&errs, body, "send_invite_email", "bool", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id, _ := body["user_id"].(string)
	email, _ := body["user_email"].(string)
	if id == "" {
		id = e.uuid4()
	} else if !e.legacy && e.userRead(id) != nil {
		return reply(http.StatusConflict, proxyError(
			fmt.Sprintf("{'error': 'User with id %s already exists'}", id), "internal_server_error", "None", 409))
	}
	if email != "" {
		if taken := e.usersByEmail(email); len(taken) > 0 {
			if e.legacy {
				return reply(http.StatusBadRequest, proxyError(
					fmt.Sprintf("{'error': 'User with email %s already exists'}", email), "internal_server_error", "None", 400))
			}
			existing, _ := e.userRead(taken[0])["user_email"].(string)
			return reply(http.StatusConflict, proxyError(
				fmt.Sprintf("{'error': 'User with email %s already exists'}", existing), "internal_server_error", "None", 409))
		}
	}
	row := e.newUserRow(id)
	for _, k := range userColumns {
		if v, ok := body[k]; ok && v != nil && k != "teams" {
			row[k] = cloneValue(v)
		}
	}
	if row["budget_duration"] != nil {
		at, bad := e.resetAt(row["budget_duration"])
		if bad != nil {
			return *bad
		}
		row["budget_reset_at"] = at
	}
	// insert_data is an upsert whose update is empty: a user_id that the
	// primary has already (and the duplicate check missed) stays as it was.
	if e.userCurrent(id) == nil {
		e.userPut(id, row)
	}
	key := ""
	if create, ok := body["auto_create_key"].(bool); !ok || create {
		key = e.mintUserKey(id, row)
	}
	answer := map[string]any{"key": key, "token": nil, "expires": nil, "user_id": id}
	for _, k := range []string{"user_email", "user_alias", "user_role", "max_budget", "models", "metadata", "teams",
		"tpm_limit", "rpm_limit", "budget_duration"} {
		answer[k] = cloneValue(body[k])
	}
	return reply(http.StatusOK, answer)
}

// mintUserKey stores the key /user/new makes unless auto_create_key is
// false (generate_key_helper_fn with request_type "user"): a key of the
// user, with the user's models and budget, and returns its value.
func (e *Emulator) mintUserKey(id string, user map[string]any) string {
	value := "sk-" + e.uuid4()
	sum := sha256.Sum256([]byte(value))
	token := hex.EncodeToString(sum[:])
	now := e.timestamp(e.now())
	row := map[string]any{
		"token": token, "key_name": "sk-..." + value[len(value)-4:], "key_alias": nil, "team_id": nil, "user_id": id,
		"models": cloneValue(user["models"]), "max_budget": nil, "soft_budget": nil, "budget_duration": nil,
		"budget_reset_at": nil, "tpm_limit": nil, "rpm_limit": nil, "max_parallel_requests": nil,
		"model_max_budget": map[string]any{}, "metadata": map[string]any{}, "spend": 0.0, "expires": nil, "blocked": nil,
		"aliases": map[string]any{}, "config": map[string]any{}, "permissions": map[string]any{},
		"allowed_cache_controls": []any{}, "model_spend": map[string]any{}, "created_at": now, "updated_at": now,
		"created_by": "default_user_id", "updated_by": "default_user_id",
	}
	record(e.keys, token, &row, e.now(), e.opts.ReplicaLag)
	return value
}

// GET /user/info?user_id=.
func userInfoGet(e *Emulator, _ *worker, rq *request) response {
	id := rq.queryValue("user_id")
	if id == "" {
		// A proxy admin without user_id: its own (absent) row, every team, no keys.
		teams := []any{}
		for _, t := range sortedKeys(e.teams) {
			if row := e.teamRead(t); row != nil {
				teams = append(teams, e.teamInfo(row))
			}
		}
		return reply(http.StatusOK, map[string]any{"user_id": "default_user_id", "user_info": nil, "keys": []any{}, "teams": teams})
	}
	row := e.userRead(id)
	if row == nil {
		if e.legacy {
			// The row is missing and the user's keys (none) sum to no spend.
			return reply(http.StatusOK, map[string]any{"user_id": id, "user_info": map[string]any{"spend": 0.0}, "keys": []any{}, "teams": []any{}})
		}
		return reply(http.StatusNotFound, proxyError(fmt.Sprintf("User %s not found", id), "internal_server_error", "None", 404))
	}
	teams := []any{}
	ids, _ := row["teams"].([]any)
	for _, t := range ids {
		s, _ := t.(string)
		if team := e.teamRead(s); team != nil {
			teams = append(teams, e.teamInfo(team))
		}
	}
	return reply(http.StatusOK, map[string]any{"user_id": id, "user_info": cloneMap(row), "keys": []any{}, "teams": teams})
}

// userUpdateValues is what /user/update writes of a body:
// _update_internal_user_params. Newest: the fields sent (exclude_unset),
// without nulls, [] and {}, except max_budget, which is written even as
// null. Legacy: every non-default field (nulls, [], {} and 0 dropped, a null
// max_budget too). Metadata-kept fields never become columns.
func (e *Emulator) userUpdateValues(body map[string]any) map[string]any {
	kv := map[string]any{}
	for k, v := range body {
		switch {
		case k == "user_id" || slices.Contains(userMetadataFields, k) || !slices.Contains(userColumns, k):
		case !e.legacy && k == "max_budget":
			kv[k] = v
		case emptyValue(v):
		case e.legacy && (v == 0.0 || v == false):
		default:
			kv[k] = cloneValue(v)
		}
	}
	return kv
}

// POST /user/update: the user by user_id (else the first by user_email);
// LiteLLM's update_data is an upsert, so an unknown user_id (or e-mail) is
// created with the fields sent.
func userUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	id, _ := body["user_id"].(string)
	email, _ := body["user_email"].(string)
	if id == "" && email == "" {
		return reply(http.StatusBadRequest, proxyError("Authentication Error, Either user_id or user_email must be provided",
			"auth_error", "None", 400))
	}
	kv := e.userUpdateValues(body)
	if d, ok := kv["budget_duration"]; ok {
		at, bad := e.resetAt(d)
		if bad != nil {
			return *bad
		}
		kv["budget_reset_at"] = at
	}
	if id == "" {
		if found := e.usersByEmail(email); len(found) > 0 {
			id = found[0]
		} else {
			id = e.uuid4()
			kv["user_email"] = email
		}
	}
	// prepare_metadata_fields: without metadata, the existing row's (as the
	// read saw it); metadata-kept fields are copied into it.
	existing := e.userRead(id)
	meta, sent := kv["metadata"].(map[string]any)
	if !sent {
		old, _ := existing["metadata"].(map[string]any)
		meta = cloneMap(old)
	}
	for _, f := range userMetadataFields {
		if v, ok := body[f]; ok && v != nil {
			meta[f] = cloneValue(v)
		}
	}
	kv["metadata"] = meta
	row := e.userCurrent(id)
	if row == nil {
		row = e.newUserRow(id)
	} else {
		row = cloneMap(row)
	}
	maps.Copy(row, kv)
	row["updated_at"] = e.timestamp(e.now())
	e.userPut(id, row)
	if e.legacy {
		kv["user_id"] = id
		return reply(http.StatusOK, map[string]any{"user_id": id, "data": kv})
	}
	return reply(http.StatusOK, map[string]any{"user_id": id, "data": cloneMap(row)})
}

// POST /user/delete {"user_ids": [...]}: every user must exist (a DB read);
// removes them from their teams' members_with_roles, deletes their keys and
// the users, and answers the number of users deleted.
func userDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, ok := body["user_ids"].([]any)
	if !ok {
		return reply(http.StatusBadRequest, detailError("No user id passed in"))
	}
	var ids []string
	for _, v := range raw {
		id, _ := v.(string)
		row := e.userRead(id)
		if row == nil {
			return reply(http.StatusNotFound, detailError(fmt.Sprintf("User not found, passed user_id=%s", id)))
		}
		ids = append(ids, id)
		teams, _ := row["teams"].([]any)
		for _, t := range teams {
			tid, _ := t.(string)
			team := e.teamCurrent(tid)
			if team == nil {
				continue
			}
			members, _ := team["members_with_roles"].([]any)
			kept := []any{}
			for _, m := range members {
				if mm, _ := m.(map[string]any); mm["user_id"] != id {
					kept = append(kept, m)
				}
			}
			if len(kept) != len(members) {
				team = cloneMap(team)
				team["members_with_roles"] = kept
				e.teamPut(tid, team)
			}
		}
	}
	for token, hist := range e.keys {
		if row := deref(latest(hist)); row != nil && slices.Contains(ids, fmt.Sprint(row["user_id"])) {
			record(e.keys, token, nil, e.now(), e.opts.ReplicaLag)
		}
	}
	n := 0
	for _, id := range ids {
		if e.userCurrent(id) != nil {
			e.userPut(id, nil)
			n++
		}
	}
	return reply(http.StatusOK, n)
}

// GET /user/list: a page of users, newest first. Newest filters user_email
// (case-insensitive substring), role (exact) and user_ids; legacy knows only
// role (substring) and user_ids.
func userList(e *Emulator, _ *worker, rq *request) response {
	page, size := 1, 25
	for _, q := range []struct {
		name string
		dst  *int
		max  int
	}{{"page", &page, 0}, {"page_size", &size, 100}} {
		s := rq.queryValue(q.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			return unprocessable(verr{typ: "int_parsing", loc: []any{"query", q.name}, msg: "Input should be a valid integer, unable to parse string as an integer", input: s})
		case n < 1:
			return unprocessable(verr{typ: "greater_than_equal", loc: []any{"query", q.name}, msg: "Input should be greater than or equal to 1", input: s, ctx: map[string]any{"ge": 1}})
		case q.max > 0 && n > q.max:
			return unprocessable(verr{typ: "less_than_equal", loc: []any{"query", q.name}, msg: "Input should be less than or equal to 100", input: s, ctx: map[string]any{"le": 100}})
		}
		*q.dst = n
	}
	email, role := rq.queryValue("user_email"), rq.queryValue("role")
	var want []string
	for _, id := range strings.Split(rq.queryValue("user_ids"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			want = append(want, id)
		}
	}
	var rows []map[string]any
	for _, id := range sortedKeys(e.users) {
		row := e.userRead(id)
		if row == nil {
			continue
		}
		got, _ := row["user_email"].(string)
		r, _ := row["user_role"].(string)
		switch {
		case len(want) > 0 && !slices.Contains(want, id):
		case !e.legacy && email != "" && !strings.Contains(strings.ToLower(got), strings.ToLower(email)):
		case role != "" && !e.legacy && r != role:
		case role != "" && e.legacy && !strings.Contains(strings.ToLower(r), strings.ToLower(role)):
		default:
			rows = append(rows, row)
		}
	}
	slices.SortStableFunc(rows, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(b["created_at"]), fmt.Sprint(a["created_at"])) // created_at desc
	})
	users := []any{}
	for i := (page - 1) * size; i < len(rows) && i < page*size; i++ {
		u := cloneMap(rows[i])
		u["key_count"] = 0
		users = append(users, u)
	}
	return reply(http.StatusOK, map[string]any{"users": users, "total": len(rows), "page": page, "page_size": size,
		"total_pages": (len(rows) + size - 1) / size})
}
