package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Unified access group endpoints (LiteLLM 1.110.2 wheel,
// litellm/proxy/management_endpoints/access_group_endpoints.py; request and
// answer types in litellm/types/access_group.py; the table
// LiteLLM_AccessGroupTable in litellm/proxy/schema.prisma). Rows live in the
// database only (e.accessGroups, no version history: every read is the
// primary's). Both route families are served: /v1/access_group and its
// alias /v1/unified_access_group. Every handler runs with e.mu held.

// accessGroupLists are the list columns (String[] @default([])).
var accessGroupLists = []string{"access_model_names", "access_mcp_server_ids", "access_agent_ids", "access_skill_names",
	"assigned_team_ids", "assigned_key_ids"}

// AccessGroups returns the stored access group rows, sorted by name.
func (e *Emulator) AccessGroups() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.accessGroups) {
		out = append(out, cloneMap(e.accessGroups[id]))
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(a["access_group_name"]), fmt.Sprint(b["access_group_name"]))
	})
	return out
}

// UpdateAccessGroup changes a stored access group out of band.
func (e *Emulator) UpdateAccessGroup(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.accessGroups[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteAccessGroup deletes a stored access group out of band.
func (e *Emulator) DeleteAccessGroup(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.accessGroups[id] == nil {
		return false
	}
	delete(e.accessGroups, id)
	return true
}

// accessGroupBodyCheck is AccessGroupCreateRequest / UpdateRequest's field
// validation (422).
func accessGroupBodyCheck(body map[string]any, create bool) *response {
	var errs []verr
	fieldCheck(&errs, body, "access_group_name", "str", create)
	fieldCheck(&errs, body, "description", "str", false)
	fieldCheck(&errs, body, "mcp_tool_permissions", "dict", false)
	for _, k := range accessGroupLists {
		if v, ok := body[k]; ok && v != nil {
			if _, ok := v.([]any); !ok {
				errs = append(errs, verr{typ: "list_type", loc: loc(k), msg: "Input should be a valid list", input: v})
			}
		}
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	return nil
}

// unknownTeams is _require_teams_exist: 400 "Unknown team ids: a, b".
func (e *Emulator) unknownTeams(ids any) *response {
	var missing []string
	list, _ := ids.([]any)
	for _, v := range list {
		id := fmt.Sprint(v)
		if e.teamCurrent(id) == nil && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	r := reply(http.StatusBadRequest, map[string]any{"detail": "Unknown team ids: " + strings.Join(missing, ", ")})
	return &r
}

// accessGroupView is AccessGroupResponse: the row, assigned_team_ids
// without teams that no longer exist, and the resolved names of every
// resource ({id, name}; name null when it does not resolve).
func (e *Emulator) accessGroupView(row map[string]any) map[string]any {
	out := cloneMap(row)
	var teams []any
	for _, v := range asList(row["assigned_team_ids"]) {
		if e.teamCurrent(fmt.Sprint(v)) != nil {
			teams = append(teams, v)
		}
	}
	if teams == nil {
		teams = []any{}
	}
	out["assigned_team_ids"] = teams
	label := func(ids []any, name func(string) any) []any {
		res := []any{}
		for _, v := range ids {
			id := fmt.Sprint(v)
			res = append(res, map[string]any{"id": id, "name": name(id)})
		}
		return res
	}
	out["access_mcp_servers"] = label(asList(row["access_mcp_server_ids"]), func(string) any { return nil })
	out["access_agents"] = label(asList(row["access_agent_ids"]), func(id string) any {
		if a := e.agents[id]; a != nil {
			return a["agent_name"]
		}
		return nil
	})
	out["assigned_teams"] = label(teams, func(id string) any { return e.teamCurrent(id)["team_alias"] })
	out["assigned_keys"] = label(asList(row["assigned_key_ids"]), func(id string) any {
		if k := e.keyCurrent(id); k != nil {
			return k["key_alias"]
		}
		return nil
	})
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// accessGroupByName finds a row by its unique name.
func (e *Emulator) accessGroupByName(name any) map[string]any {
	for _, id := range sortedKeys(e.accessGroups) {
		if e.accessGroups[id]["access_group_name"] == name {
			return e.accessGroups[id]
		}
	}
	return nil
}

// POST /v1/access_group: 201 with the new group; a name that exists: 409.
func accessGroupCreate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := accessGroupBodyCheck(body, true); bad != nil {
		return *bad
	}
	name := body["access_group_name"]
	if e.accessGroupByName(name) != nil {
		return reply(http.StatusConflict, map[string]any{"detail": fmt.Sprintf("Access group '%v' already exists", name)})
	}
	if bad := e.unknownTeams(body["assigned_team_ids"]); bad != nil {
		return *bad
	}
	now := e.timestamp(e.now())
	id := e.uuid4()
	row := map[string]any{"access_group_id": id, "access_group_name": name, "description": body["description"],
		"mcp_tool_permissions": cloneValue(body["mcp_tool_permissions"]), "created_at": now, "updated_at": now,
		"created_by": "default_user_id", "updated_by": "default_user_id"}
	for _, k := range accessGroupLists {
		row[k] = listOrEmpty(body[k])
	}
	e.accessGroups[id] = row
	return reply(http.StatusCreated, e.accessGroupView(row))
}

func listOrEmpty(v any) []any {
	l, _ := cloneValue(v).([]any)
	if l == nil {
		l = []any{}
	}
	return l
}

// GET /v1/access_group: every group, newest first.
func accessGroupList(e *Emulator, _ *worker, _ *request) response {
	ids := sortedKeys(e.accessGroups)
	slices.SortStableFunc(ids, func(a, b string) int {
		return strings.Compare(fmt.Sprint(e.accessGroups[b]["created_at"]), fmt.Sprint(e.accessGroups[a]["created_at"]))
	})
	out := []any{}
	for _, id := range ids {
		out = append(out, e.accessGroupView(e.accessGroups[id]))
	}
	return reply(http.StatusOK, out)
}

func accessGroupMissing(id string) response {
	return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Access group '%s' not found", id)})
}

// GET /v1/access_group/{id}: a miss is a 404.
func accessGroupGet(e *Emulator, _ *worker, rq *request) response {
	row := e.accessGroups[rq.params[0]]
	if row == nil {
		return accessGroupMissing(rq.params[0])
	}
	return reply(http.StatusOK, e.accessGroupView(row))
}

// PUT /v1/access_group/{id}: the fields sent are written (exclude_unset);
// a list sent as null is stored as []; description and
// mcp_tool_permissions sent as null are cleared. A rename onto a name
// that exists: 409 (the unique constraint).
func accessGroupUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := accessGroupBodyCheck(body, false); bad != nil {
		return *bad
	}
	id := rq.params[0]
	row := e.accessGroups[id]
	if row == nil {
		return accessGroupMissing(id)
	}
	if ids, ok := body["assigned_team_ids"]; ok {
		if bad := e.unknownTeams(ids); bad != nil {
			return *bad
		}
	}
	if name, ok := body["access_group_name"]; ok && name != nil {
		if other := e.accessGroupByName(name); other != nil && other["access_group_id"] != id {
			return reply(http.StatusConflict, map[string]any{"detail": fmt.Sprintf("Access group '%v' already exists", name)})
		}
	}
	for k, v := range body {
		switch {
		case slices.Contains(accessGroupLists, k):
			row[k] = listOrEmpty(v)
		case k == "access_group_name" || k == "description" || k == "mcp_tool_permissions":
			row[k] = cloneValue(v)
		}
	}
	row["updated_at"], row["updated_by"] = e.timestamp(e.now()), "default_user_id"
	return reply(http.StatusOK, e.accessGroupView(row))
}

// DELETE /v1/access_group/{id}: 204 (no body); a miss (or a repeat) is a
// 404. The group is detached from the agents that carry it.
func accessGroupDelete(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	if e.accessGroups[id] == nil {
		return accessGroupMissing(id)
	}
	delete(e.accessGroups, id)
	for _, a := range e.agents {
		if ids := asList(a["access_group_ids"]); slices.Contains(ids, any(id)) {
			a["access_group_ids"] = slices.DeleteFunc(slices.Clone(ids), func(v any) bool { return v == id })
		}
	}
	return response{status: http.StatusNoContent}
}
