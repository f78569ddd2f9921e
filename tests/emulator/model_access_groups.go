package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Legacy model access group endpoints (LiteLLM litellm/proxy/
// management_endpoints/model_access_group_management_endpoints.py; request
// and answer types in litellm/types/proxy/management_endpoints/
// model_management_endpoints.py; 1.110.2 wheel). A group is the name in
// model_info.access_groups of the stored deployments that carry it; its
// shared budget (newest) is a row of LiteLLM_ModelAccessGroupBudgetTable
// (e.accessGroupBudgets). Writes rewrite the deployments' model_info and
// reload the answering worker's router (clear_cache). Every handler runs
// with e.mu held.

// modelAccessGroupInfo is one group as get_all_access_groups_from_db derives it.
type modelAccessGroupInfo struct {
	names []string // one per deployment carrying it
	ids   []string
}

// modelAccessGroupsInStore derives every group from the stored deployments.
func (e *Emulator) modelAccessGroupsInStore() map[string]*modelAccessGroupInfo {
	out := map[string]*modelAccessGroupInfo{}
	for _, id := range sortedKeys(e.models) {
		m := e.current(id)
		if m == nil {
			continue
		}
		groups, _ := m.ModelInfo["access_groups"].([]any)
		for _, g := range groups {
			name, _ := g.(string)
			if out[name] == nil {
				out[name] = &modelAccessGroupInfo{}
			}
			out[name].names = append(out[name].names, m.ModelName)
			out[name].ids = append(out[name].ids, id)
		}
	}
	return out
}

// ModelAccessGroupMembers returns the IDs of the stored deployments that carry
// the legacy access group, sorted.
func (e *Emulator) ModelAccessGroupMembers(name string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if g := e.modelAccessGroupsInStore()[name]; g != nil {
		return slices.Clone(g.ids)
	}
	return nil
}

// ModelAccessGroupBudget returns the group's budget link row with its budget
// (nil: none).
func (e *Emulator) ModelAccessGroupBudget(name string) map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.accessGroupBudgets[name]
	if row == nil {
		return nil
	}
	out := cloneMap(row)
	if id, _ := row["budget_id"].(string); id != "" && e.budgets[id] != nil {
		out["litellm_budget_table"] = budgetView(e.budgets[id])
	}
	return out
}

// SetModelAccessGroups replaces a stored deployment's
// model_info.access_groups out of band (as the admin UI's model edit
// would). False when there is no such model.
func (e *Emulator) SetModelAccessGroups(id string, groups []string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	cur := e.current(id)
	if cur == nil {
		return false
	}
	m := cloneModel(cur)
	list := []any{}
	for _, g := range groups {
		list = append(list, g)
	}
	m.ModelInfo["access_groups"] = list
	m.UpdatedAt = e.now()
	e.put(id, &m)
	return true
}

func modelAccessGroupDetail(status int, msg string) response {
	return reply(status, detailError(msg))
}

// modelAccessGroupBudgetView is AccessGroupBudget of a link row (nil: none).
func (e *Emulator) modelAccessGroupBudgetView(name string) any {
	row := e.accessGroupBudgets[name]
	if row == nil {
		return nil
	}
	id, _ := row["budget_id"].(string)
	b := e.budgets[id]
	if b == nil {
		return nil
	}
	return map[string]any{"budget_id": id, "max_budget": b["max_budget"], "soft_budget": b["soft_budget"],
		"budget_duration": b["budget_duration"], "budget_reset_at": b["budget_reset_at"]}
}

func (e *Emulator) modelAccessGroupSpend(name string) float64 {
	if row := e.accessGroupBudgets[name]; row != nil {
		f, _ := row["spend"].(float64)
		return f
	}
	return 0
}

// modelAccessGroupView is AccessGroupInfo with its budget (_with_budget).
func (e *Emulator) modelAccessGroupView(name string, g *modelAccessGroupInfo) map[string]any {
	names := slices.Clone(g.names)
	slices.Sort(names)
	names = slices.Compact(names)
	list := []any{}
	for _, n := range names {
		list = append(list, n)
	}
	return map[string]any{"access_group": name, "model_names": list, "deployment_count": len(g.names),
		"spend": e.modelAccessGroupSpend(name), "budget": e.modelAccessGroupBudgetView(name)}
}

// modelAccessGroupSelection validates model_names / model_ids (both lists of
// strings, one of them non-empty).
func modelAccessGroupSelection(body map[string]any) (names, ids []string, bad *response) {
	var errs []verr
	for _, k := range []string{"model_names", "model_ids"} {
		v, ok := body[k]
		if !ok || v == nil {
			continue
		}
		list, isList := v.([]any)
		if !isList {
			errs = append(errs, verr{typ: "list_type", loc: loc(k), msg: "Input should be a valid list", input: v})
			continue
		}
		for i, x := range list {
			s, ok := x.(string)
			if !ok {
				errs = append(errs, verr{typ: "string_type", loc: loc(k, i), msg: "Input should be a valid string", input: x})
			}
			if k == "model_names" {
				names = append(names, s)
			} else {
				ids = append(ids, s)
			}
		}
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return nil, nil, &r
	}
	if len(names) == 0 && len(ids) == 0 {
		r := modelAccessGroupDetail(http.StatusBadRequest, "Either model_names or model_ids must be provided and non-empty")
		return nil, nil, &r
	}
	return names, ids, nil
}

// missingInRouter is _missing_models_after_read_through: the names the
// answering worker's router does not serve, after it loaded the stored
// deployments of each missing name (registry read-through).
func (e *Emulator) missingInRouter(wk *worker, names []string) []string {
	served := func(n string) bool {
		for _, m := range wk.router {
			if m.ModelName == n {
				return true
			}
		}
		return false
	}
	var missing []string
	for _, n := range names {
		if served(n) {
			continue
		}
		for _, id := range sortedKeys(e.models) {
			if m := e.current(id); m != nil && m.ModelName == n {
				c := cloneModel(m)
				wk.router[id] = &c
			}
		}
		if !served(n) {
			missing = append(missing, n)
		}
	}
	return missing
}

// setAccessGroup adds (on) or removes the group in a stored deployment's
// model_info.access_groups; it reports whether it wrote.
func (e *Emulator) setAccessGroup(id, group string, on bool) bool {
	cur := e.current(id)
	if cur == nil {
		return false
	}
	groups, _ := cur.ModelInfo["access_groups"].([]any)
	has := slices.Contains(groups, any(group))
	if has == on {
		return false
	}
	m := cloneModel(cur)
	if on {
		m.ModelInfo["access_groups"] = append(slices.Clone(groups), group)
	} else {
		m.ModelInfo["access_groups"] = slices.DeleteFunc(slices.Clone(groups), func(v any) bool { return v == group })
	}
	m.UpdatedAt = e.now()
	e.put(id, &m)
	return true
}

// modelAccessGroupReload is clear_cache on the answering worker, then
// _raise_http_if_reload_degraded_serving: with the SavedNotLive fault the
// written deployments are not live afterwards, and the committed write is
// answered with LiteLLM's 500.
func (e *Emulator) modelAccessGroupReload(wk *worker, rq *request, group string, written []string) *response {
	e.reload(wk)
	if !rq.savedNotLive || len(written) == 0 {
		return nil
	}
	quoted := make([]string, len(written))
	for i, id := range written {
		delete(wk.router, id)
		quoted[i] = pyQuote(id)
	}
	r := modelAccessGroupDetail(http.StatusInternalServerError, fmt.Sprintf("Access group '%s' was saved to the database, but model id(s) [%s] that "+
		"this pod was serving are no longer live after the reload it triggered. Other pods reload on their own interval. "+
		"Check server logs for 'Error upserting deployment' for the cause.", group, strings.Join(quoted, ", ")))
	return &r
}

// POST /access_group/new {access_group, model_names? | model_ids?}.
func modelAccessGroupNew(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "access_group", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	group := body["access_group"].(string)
	if strings.TrimSpace(group) == "" {
		return modelAccessGroupDetail(http.StatusBadRequest, "access_group is required and cannot be empty")
	}
	names, ids, bad := modelAccessGroupSelection(body)
	if bad != nil {
		return *bad
	}
	if len(ids) == 0 {
		if missing := e.missingInRouter(wk, names); len(missing) > 0 {
			return modelAccessGroupDetail(http.StatusBadRequest, "Model(s) not found: "+strings.Join(missing, ", "))
		}
	}
	if e.modelAccessGroupsInStore()[group] != nil {
		return reply(http.StatusConflict, detailError(fmt.Sprintf("Access group '%s' already exists. Use PUT /access_group/%s/update to modify it.", group, group)))
	}
	var written []string
	if len(ids) > 0 {
		// One deployment after the other: an unknown ID fails after the
		// earlier ones were written.
		for _, id := range ids {
			if e.current(id) == nil {
				return modelAccessGroupDetail(http.StatusBadRequest, fmt.Sprintf("Deployment with model_id '%s' not found in Database.", id))
			}
			if e.setAccessGroup(id, group, true) {
				written = append(written, id)
			}
		}
	} else {
		var selected []string
		for _, n := range names {
			found := false
			for _, id := range sortedKeys(e.models) {
				if m := e.current(id); m != nil && m.ModelName == n {
					found = true
					selected = append(selected, id)
				}
			}
			if !found {
				return modelAccessGroupDetail(http.StatusBadRequest, fmt.Sprintf("Can't find model '%s' in Database. Access group management is only supported for database models.", n))
			}
		}
		for _, id := range selected {
			if e.setAccessGroup(id, group, true) {
				written = append(written, id)
			}
		}
	}
	if bad := e.modelAccessGroupReload(wk, rq, group, written); bad != nil {
		return *bad
	}
	return reply(http.StatusOK, map[string]any{"access_group": group, "model_names": body["model_names"], "model_ids": body["model_ids"],
		"models_updated": len(written)})
}

// GET /access_group/list.
func modelAccessGroupList(e *Emulator, _ *worker, _ *request) response {
	groups := e.modelAccessGroupsInStore()
	out := []any{}
	for _, n := range sortedKeys(groups) {
		out = append(out, e.modelAccessGroupView(n, groups[n]))
	}
	return reply(http.StatusOK, map[string]any{"access_groups": out})
}

// GET /access_group/{access_group}/info.
func modelAccessGroupInfoGet(e *Emulator, _ *worker, rq *request) response {
	name := rq.params[0]
	g := e.modelAccessGroupsInStore()[name]
	if g == nil {
		return modelAccessGroupDetail(http.StatusNotFound, fmt.Sprintf("Access group '%s' not found", name))
	}
	return reply(http.StatusOK, e.modelAccessGroupView(name, g))
}

// PUT /access_group/{access_group}/update {model_names? | model_ids?}: the
// selected deployments get the group, every other one loses it.
func modelAccessGroupUpdate(e *Emulator, wk *worker, rq *request) response {
	name := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	names, ids, bad := modelAccessGroupSelection(body)
	if bad != nil {
		return *bad
	}
	if e.modelAccessGroupsInStore()[name] == nil {
		return modelAccessGroupDetail(http.StatusNotFound, fmt.Sprintf("Access group '%s' not found", name))
	}
	if len(ids) == 0 {
		if missing := e.missingInRouter(wk, names); len(missing) > 0 {
			return modelAccessGroupDetail(http.StatusBadRequest, "Model(s) not found: "+strings.Join(missing, ", "))
		}
	}
	selected := map[string]bool{}
	if len(ids) > 0 {
		for _, id := range ids {
			if e.current(id) == nil {
				return modelAccessGroupDetail(http.StatusBadRequest, fmt.Sprintf("Deployment with model_id '%s' not found in Database.", id))
			}
			selected[id] = true
		}
	} else {
		for _, n := range names {
			found := false
			for _, id := range sortedKeys(e.models) {
				if m := e.current(id); m != nil && m.ModelName == n {
					found, selected[id] = true, true
				}
			}
			if !found {
				return modelAccessGroupDetail(http.StatusBadRequest, fmt.Sprintf("Can't find model '%s' in Database. Access group management is only supported for database models.", n))
			}
		}
	}
	var written []string
	for _, id := range sortedKeys(e.models) {
		if e.setAccessGroup(id, name, selected[id]) {
			written = append(written, id)
		}
	}
	if len(written) > 0 {
		e.publish() // publish_model_rows_written
	}
	if bad := e.modelAccessGroupReload(wk, rq, name, written); bad != nil {
		return *bad
	}
	return reply(http.StatusOK, map[string]any{"access_group": name, "model_names": body["model_names"], "model_ids": body["model_ids"],
		"models_updated": len(selected)})
}

// DELETE /access_group/{access_group}/delete: the group leaves every
// deployment, and its budget link row is dropped (the budget row stays).
func modelAccessGroupDelete(e *Emulator, wk *worker, rq *request) response {
	name := rq.params[0]
	if e.modelAccessGroupsInStore()[name] == nil {
		return modelAccessGroupDetail(http.StatusNotFound, fmt.Sprintf("Access group '%s' not found", name))
	}
	var written []string
	for _, id := range sortedKeys(e.models) {
		if e.setAccessGroup(id, name, false) {
			written = append(written, id)
		}
	}
	delete(e.accessGroupBudgets, name)
	if bad := e.modelAccessGroupReload(wk, rq, name, written); bad != nil {
		return *bad
	}
	return reply(http.StatusOK, map[string]any{"access_group": name, "models_updated": len(written),
		"message": fmt.Sprintf("Access group '%s' deleted successfully", name)})
}

// modelAccessGroupRouteMissing is FastAPI's answer for a route an older proxy does not
// have.
func modelAccessGroupRouteMissing() response {
	return reply(http.StatusNotFound, map[string]any{"detail": "Not Found"})
}

// GET /access_group/{access_group}/budget (newest only).
func modelAccessGroupBudgetGet(e *Emulator, _ *worker, rq *request) response {
	if e.legacy {
		return modelAccessGroupRouteMissing()
	}
	name := rq.params[0]
	if e.modelAccessGroupsInStore()[name] == nil {
		return modelAccessGroupDetail(http.StatusNotFound, fmt.Sprintf("Access group '%s' not found", name))
	}
	return reply(http.StatusOK, map[string]any{"access_group": name, "spend": e.modelAccessGroupSpend(name), "budget": e.modelAccessGroupBudgetView(name)})
}

// PUT /access_group/{access_group}/budget {budget_id?, max_budget?,
// soft_budget?, budget_duration?} (newest only): an upsert of the link
// row; handle_budget_for_entity without cleared fields, so a null leaves a
// field as it is.
func modelAccessGroupBudgetPut(e *Emulator, _ *worker, rq *request) response {
	if e.legacy {
		return modelAccessGroupRouteMissing()
	}
	name := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	allowed := []string{"budget_id", "max_budget", "soft_budget", "budget_duration"}
	for _, k := range sortedKeys(body) {
		if !slices.Contains(allowed, k) {
			errs = append(errs, verr{typ: "extra_forbidden", loc: loc(k), msg: "Extra inputs are not permitted", input: body[k]})
		}
	}
	fieldCheck(&errs, body, "budget_id", "str", false)
	fieldCheck(&errs, body, "budget_duration", "str", false)
	for _, k := range []string{"max_budget", "soft_budget"} {
		if f, ok := body[k].(float64); ok && f < 0 {
			errs = append(errs, verr{typ: "greater_than_equal", loc: loc(k), msg: "Input should be greater than or equal to 0", input: f,
				ctx: map[string]any{"ge": 0}})
		}
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	fields := map[string]any{}
	for _, k := range allowed {
		if v, ok := body[k]; ok && v != nil {
			fields[k] = v
		}
	}
	if len(fields) == 0 {
		return modelAccessGroupDetail(http.StatusBadRequest, "One of max_budget, soft_budget, budget_duration or budget_id is required")
	}
	if d, ok := fields["budget_duration"]; ok {
		if _, bad := e.resetAt(d); bad != nil {
			return *bad
		}
	}
	if e.modelAccessGroupsInStore()[name] == nil {
		return modelAccessGroupDetail(http.StatusNotFound, fmt.Sprintf("Access group '%s' not found", name))
	}
	existing := ""
	if row := e.accessGroupBudgets[name]; row != nil {
		existing, _ = row["budget_id"].(string)
	}
	if id, _ := fields["budget_id"].(string); id != "" && e.budgets[id] == nil {
		return reply(http.StatusInternalServerError, "Internal Server Error") // the upsert fails on the foreign key
	}
	budgetID, bad := e.entityBudget(fields, existing, "LiteLLM_ModelAccessGroupBudgetTable_budget_id_fkey")
	if bad != nil {
		return *bad
	}
	now := e.timestamp(e.now())
	if row := e.accessGroupBudgets[name]; row != nil {
		row["budget_id"], row["updated_at"] = budgetID, now
	} else {
		e.accessGroupBudgets[name] = map[string]any{"access_group_name": name, "budget_id": budgetID, "spend": 0.0,
			"created_by": "default_user_id", "updated_by": "default_user_id", "created_at": now, "updated_at": now}
	}
	return reply(http.StatusOK, map[string]any{"access_group": name, "spend": e.modelAccessGroupSpend(name), "budget": e.modelAccessGroupBudgetView(name)})
}

// DELETE /access_group/{access_group}/budget (newest only): drops the link
// row (the budget row stays).
func modelAccessGroupBudgetDelete(e *Emulator, _ *worker, rq *request) response {
	if e.legacy {
		return modelAccessGroupRouteMissing()
	}
	name := rq.params[0]
	if e.modelAccessGroupsInStore()[name] == nil {
		return modelAccessGroupDetail(http.StatusNotFound, fmt.Sprintf("Access group '%s' not found", name))
	}
	deleted := e.accessGroupBudgets[name] != nil
	delete(e.accessGroupBudgets, name)
	msg := fmt.Sprintf("Budget for access group '%s' deleted successfully", name)
	if !deleted {
		msg = fmt.Sprintf("Access group '%s' has no budget to delete", name)
	}
	return reply(http.StatusOK, map[string]any{"access_group": name, "budget_deleted": deleted, "message": msg})
}
