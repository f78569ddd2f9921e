package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// Project endpoints, an Enterprise feature of LiteLLM (litellm_enterprise's
// proxy/management_endpoints/project_endpoints.py; LiteLLM's integration
// test tests/integration/management/test_project_lifecycle.py). Without a
// licence (Options.NoLicense) every write answers 403; reads do not check.
// Projects live in the DB only; reads (the existence checks of update and
// delete included) go to the read replica when ReplicaLag is set. Each
// project has a budget row of its own in the shared budget store, made by
// the create. Every handler runs with e.mu held.

// projectMetadataFields are LiteLLM_ManagementEndpoint_MetadataFields:
// copied into the metadata by the create, moved there by the update.
var projectMetadataFields = []string{"model_rpm_limit", "model_tpm_limit", "guardrails", "tags", "enforced_params",
	"temp_budget_increase", "temp_budget_expiry"}

// projectColumns are the request fields stored as columns of
// LiteLLM_ProjectTable.
var projectColumns = []string{"project_alias", "description", "team_id", "budget_id", "metadata", "models", "blocked",
	"model_rpm_limit", "model_tpm_limit"}

func (e *Emulator) projectCurrent(id string) map[string]any { return deref(latest(e.projects[id])) }

func (e *Emulator) projectRead(id string) map[string]any {
	return deref(asOf(e.projects[id], e.now().Add(-e.opts.ReplicaLag)))
}

func (e *Emulator) projectPut(id string, row map[string]any) {
	var v *map[string]any
	if row != nil {
		v = &row
	}
	record(e.projects, id, v, e.now(), e.opts.ReplicaLag)
}

// Projects returns the stored project rows (the primary), sorted by
// project_id, each with litellm_budget_table.
func (e *Emulator) Projects() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.projects) {
		if row := e.projectCurrent(id); row != nil {
			out = append(out, e.projectView(row))
		}
	}
	return out
}

// UpdateProject changes a stored project out of band (as the UI would).
func (e *Emulator) UpdateProject(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.projectCurrent(id)
	if row == nil {
		return false
	}
	row = cloneMap(row)
	maps.Copy(row, cloneMap(fields))
	e.projectPut(id, row)
	return true
}

// DeleteProject deletes a stored project out of band.
func (e *Emulator) DeleteProject(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.projectCurrent(id) == nil {
		return false
	}
	e.projectPut(id, nil)
	return true
}

// AttachKeyToProject binds a stored key to a project (its project_id
// column), as /key/generate with a project_id does in LiteLLM; the
// emulator's key endpoints do not take project_id.
func (e *Emulator) AttachKeyToProject(token, projectID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := deref(latest(e.keys[token]))
	if row == nil {
		return false
	}
	row = cloneMap(row)
	row["project_id"] = projectID
	record(e.keys, token, &row, e.now(), e.opts.ReplicaLag)
	return true
}

// projectView is a project as /project/info answers it: the row, its
// budget and its object permission (none here).
func (e *Emulator) projectView(row map[string]any) map[string]any {
	out := cloneMap(row)
	out["litellm_budget_table"] = nil
	if id, _ := row["budget_id"].(string); id != "" && e.budgets[id] != nil {
		out["litellm_budget_table"] = budgetView(e.budgets[id])
	}
	out["object_permission"] = nil
	return out
}

// projectLicence is the licence check every project write starts with.
func (e *Emulator) projectLicence(body map[string]any) *response {
	if !e.opts.NoLicense {
		return nil
	}
	msg := "Project management is an enterprise feature. " + notPremiumUser
	if body["tags"] != nil {
		msg = "Only premium users can add tags to projects. " + notPremiumUser
	}
	r := wrappedDetail(msg, http.StatusForbidden)
	return &r
}

// projectPremiumToMetadata moves guardrails and tags into the request's
// metadata (LiteLLM_ManagementEndpoint_MetadataFields_Premium).
func projectPremiumToMetadata(body map[string]any) {
	for _, f := range []string{"guardrails", "tags"} {
		if v, ok := body[f]; ok && v != nil {
			meta, _ := body["metadata"].(map[string]any)
			if meta == nil {
				meta = map[string]any{}
			}
			meta[f] = v
			body["metadata"] = meta
			delete(body, f)
		}
	}
}

// projectTeam is _validate_team_exists: a DB read of the team.
func (e *Emulator) projectTeam(id string) (map[string]any, *response) {
	team := e.teamRead(id)
	if team == nil {
		r := reply(http.StatusNotFound, proxyError("Team not found, team_id="+id, "not_found", "team_id", 404))
		return nil, &r
	}
	return team, nil
}

// checkProjectLimits is _check_team_project_limits: budgets non-negative,
// soft below max, models a subset of the team's, budget and limits within
// the team's.
func checkProjectLimits(team, body map[string]any) *response {
	fail := func(msg string) *response {
		r := wrappedDetail(msg, http.StatusBadRequest)
		return &r
	}
	maxB, hasMax := body["max_budget"].(float64)
	softB, hasSoft := body["soft_budget"].(float64)
	if hasMax && maxB < 0 {
		return fail("max_budget cannot be negative. Received: " + pyFloat(maxB))
	}
	if hasSoft && softB < 0 {
		return fail("soft_budget cannot be negative. Received: " + pyFloat(softB))
	}
	if hasMax && hasSoft && softB >= maxB {
		return fail(fmt.Sprintf("soft_budget (%s) must be strictly lower than max_budget (%s)", pyFloat(softB), pyFloat(maxB)))
	}
	teamID := fmt.Sprint(team["team_id"])
	teamModels, _ := team["models"].([]any)
	if models, _ := body["models"].([]any); len(models) > 0 && len(teamModels) > 0 && !slices.Contains(teamModels, any("all-proxy-models")) {
		var allowed []string
		for _, m := range teamModels {
			allowed = append(allowed, fmt.Sprint(m))
		}
		for _, m := range models {
			if !slices.Contains(teamModels, m) {
				return fail(fmt.Sprintf("Model '%v' not in team's allowed models. Team allowed models=%s. Team: %s", m, pyStrList(allowed), teamID))
			}
		}
	}
	if tm, ok := team["max_budget"].(float64); ok && hasMax && maxB > tm {
		return fail(fmt.Sprintf("Project max_budget (%s) exceeds team's max_budget (%s). Team: %s", pyFloat(maxB), pyFloat(tm), teamID))
	}
	for _, k := range []string{"tpm_limit", "rpm_limit"} {
		if tl, ok := team[k].(float64); ok {
			if pl, ok := body[k].(float64); ok && pl > tl {
				return fail(fmt.Sprintf("Project %s (%s) exceeds team's %s (%s). Team: %s", k, pyStr(pl), k, pyStr(tl), teamID))
			}
		}
	}
	return nil
}

// POST /project/new {team_id, project_id?, ...}.
func projectNew(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "team_id", "str", true)
	for _, f := range []string{"project_id", "project_alias", "description", "budget_id", "budget_duration"} {
		fieldCheck(&errs, body, f, "str", false)
	}
	fieldCheck(&errs, body, "metadata", "dict", false)
	fieldCheck(&errs, body, "blocked", "bool", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	if bad := e.projectLicence(body); bad != nil {
		return *bad
	}
	body = cloneMap(body)
	projectPremiumToMetadata(body)
	team, bad := e.projectTeam(body["team_id"].(string))
	if bad != nil {
		return *bad
	}
	if bad := checkProjectLimits(team, body); bad != nil {
		return *bad
	}
	id, _ := body["project_id"].(string)
	if id == "" {
		id = e.uuid4()
	} else if e.projectRead(id) != nil || e.projectCurrent(id) != nil {
		return reply(http.StatusBadRequest, proxyError(fmt.Sprintf("Project id = %s already exists. Please use a different project id.", id),
			"bad_request", "project_id", 400))
	}
	now := e.timestamp(e.now())
	if bid, _ := body["budget_id"].(string); bid != "" && e.budgets[bid] == nil {
		return reply(http.StatusInternalServerError, proxyError(
			"Foreign key constraint failed on the field: `LiteLLM_ProjectTable_budget_id_fkey (index)`", "internal_server_error", "None", 500))
	} else if bid == "" {
		// _create_budget_for_project: the budget fields sent, always a row.
		bid = e.uuid4()
		b := map[string]any{"budget_id": bid, "created_at": now, "updated_at": now, "created_by": "default_user_id",
			"updated_by": "default_user_id", "budget_reset_at": nil}
		for _, k := range budgetColumns {
			b[k] = cloneValue(body[k])
		}
		e.budgets[bid] = b
		body["budget_id"] = bid
	}
	row := map[string]any{
		"project_id": id, "project_alias": nil, "description": nil, "team_id": nil, "budget_id": nil,
		"metadata": map[string]any{}, "models": []any{}, "spend": 0.0, "model_spend": map[string]any{},
		"model_rpm_limit": map[string]any{}, "model_tpm_limit": map[string]any{}, "blocked": false, "object_permission_id": nil,
		"created_at": now, "created_by": "default_user_id", "updated_at": now, "updated_by": "default_user_id",
	}
	for _, k := range projectColumns {
		if v, ok := body[k]; ok && v != nil {
			row[k] = cloneValue(v)
		}
	}
	meta, _ := row["metadata"].(map[string]any)
	for _, f := range projectMetadataFields {
		if v, ok := body[f]; ok && v != nil {
			meta[f] = cloneValue(v)
		}
	}
	e.projectPut(id, row)
	return reply(http.StatusOK, e.projectView(row))
}

// GET /project/info?project_id=.
func projectInfoGet(e *Emulator, _ *worker, rq *request) response {
	if _, ok := rq.query["project_id"]; !ok {
		return unprocessable(verr{typ: "missing", loc: []any{"query", "project_id"}, msg: "Field required", input: nil})
	}
	id := rq.queryValue("project_id")
	row := e.projectRead(id)
	if row == nil {
		return reply(http.StatusNotFound, proxyError("Project not found, project_id="+id, "not_found", "project_id", 404))
	}
	return reply(http.StatusOK, e.projectView(row))
}

// POST /project/update: the fields sent that are not null (exclude_none);
// budget fields go to the project's budget row, metadata-kept fields into
// the metadata (which, when the request has none, becomes only them).
func projectUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := e.projectLicence(body); bad != nil {
		return *bad
	}
	body = cloneMap(body)
	projectPremiumToMetadata(body)
	id, _ := body["project_id"].(string)
	if id == "" {
		return wrappedDetail("project_id is required", http.StatusBadRequest)
	}
	existing := e.projectRead(id)
	if existing == nil {
		return reply(http.StatusNotFound, proxyError("Project not found, project_id="+id, "not_found", "project_id", 404))
	}
	teamID, _ := body["team_id"].(string)
	if teamID == "" {
		teamID, _ = existing["team_id"].(string)
	}
	if teamID != "" {
		team, bad := e.projectTeam(teamID)
		if bad != nil {
			return *bad
		}
		if bad := checkProjectLimits(team, body); bad != nil {
			return *bad
		}
	}
	current := e.projectCurrent(id)
	if current == nil {
		return reply(http.StatusInternalServerError, proxyError("Record to update not found.", "internal_server_error", "None", 500))
	}
	kv := map[string]any{}
	for k, v := range body {
		if k != "project_id" && v != nil {
			kv[k] = cloneValue(v)
		}
	}
	if bid, _ := existing["budget_id"].(string); bid != "" {
		if b := e.budgets[bid]; b != nil {
			changed := false
			for _, k := range budgetColumns {
				if v, ok := kv[k]; ok {
					b[k] = v
					changed = true
				}
			}
			if changed {
				b["updated_at"] = e.timestamp(e.now())
			}
		}
	}
	for _, f := range projectMetadataFields {
		if v, ok := kv[f]; ok {
			meta, _ := kv["metadata"].(map[string]any)
			if meta == nil {
				meta = map[string]any{}
			}
			meta[f] = v
			kv["metadata"] = meta
			delete(kv, f)
		}
	}
	row := cloneMap(current)
	for _, k := range projectColumns {
		if v, ok := kv[k]; ok {
			row[k] = v
		}
	}
	row["updated_at"] = e.timestamp(e.now())
	e.projectPut(id, row)
	return reply(http.StatusOK, e.projectView(row))
}

// DELETE /project/delete {"project_ids": [...]}: each must exist and have
// no key attached; the project's budget row stays.
func projectDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, ok := body["project_ids"].([]any)
	if !ok {
		return unprocessable(verr{typ: "missing", loc: loc("project_ids"), msg: "Field required", input: body})
	}
	if bad := e.projectLicence(body); bad != nil {
		return *bad
	}
	deleted := []any{}
	for _, v := range raw {
		id, _ := v.(string)
		row := e.projectRead(id)
		if row == nil {
			return reply(http.StatusNotFound, proxyError("Project not found, project_id="+id, "not_found", "project_ids", 404))
		}
		n := 0
		for _, t := range sortedKeys(e.keys) {
			if k := deref(asOf(e.keys[t], e.now().Add(-e.opts.ReplicaLag))); k != nil && k["project_id"] == id {
				n++
			}
		}
		if n > 0 {
			return reply(http.StatusBadRequest, proxyError(fmt.Sprintf(
				"Cannot delete project %s. %d key(s) are associated with it. Please delete or reassign the keys first.", id, n),
				"bad_request", "project_ids", 400))
		}
		if cur := e.projectCurrent(id); cur != nil {
			deleted = append(deleted, cloneMap(cur))
		}
		e.projectPut(id, nil)
	}
	return reply(http.StatusOK, deleted)
}

// GET /project/list: every project (as DB reads see them; a proxy admin
// sees all) with litellm_budget_table and object_permission.
func projectList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range sortedKeys(e.projects) {
		if row := e.projectRead(id); row != nil {
			out = append(out, e.projectView(row))
		}
	}
	return reply(http.StatusOK, out)
}
