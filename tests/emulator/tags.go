package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Tag endpoints (LiteLLM litellm/proxy/management_endpoints/
// tag_management_endpoints.py, TagNewRequest / TagUpdateRequest in
// litellm/types/tag_management.py, handle_budget_for_entity in
// litellm/proxy/management_helpers/utils.py; 1.110.2 wheel). Tags are rows
// of LiteLLM_TagTable (e.tags, by tag_name); their budgets are rows of the
// shared budget table (e.budgets). Every handler catches its own
// HTTPException and raises it again as a 500 whose detail is str() of it
// ("400: Tag X already exists"). Every handler runs with e.mu held.

// tagBudgetFields are the budget fields of TagNewRequest / TagUpdateRequest.
var tagBudgetFields = []string{"max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit",
	"model_max_budget", "budget_duration"}

// Tags returns the stored tags as /tag/info shows them, sorted by name.
func (e *Emulator) Tags() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, n := range sortedKeys(e.tags) {
		out = append(out, e.tagView(e.tags[n]))
	}
	return out
}

// UpdateTag changes a stored tag's columns out of band (as the admin UI
// would): description, models, budget_id.
func (e *Emulator) UpdateTag(name string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.tags[name]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	row["updated_at"] = e.timestamp(e.now())
	return true
}

// DeleteTag deletes a stored tag out of band.
func (e *Emulator) DeleteTag(name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tags[name] == nil {
		return false
	}
	delete(e.tags, name)
	return true
}

// tagError is a tag endpoint's answer to an HTTPException(status, msg): the
// handler's own except clause turns it into HTTPException(500, str(e)).
func tagError(status int, msg string) response {
	return reply(http.StatusInternalServerError, map[string]any{"detail": fmt.Sprintf("%d: %s", status, msg)})
}

// tagView is a tag as /tag/info and /tag/list show it: the row's columns
// and, when it points to a budget, the budget row.
func (e *Emulator) tagView(row map[string]any) map[string]any {
	out := map[string]any{
		"name":        row["tag_name"],
		"description": row["description"],
		"models":      cloneValue(row["models"]),
		"model_info":  cloneValue(row["model_info"]),
		"created_at":  row["created_at"],
		"updated_at":  row["updated_at"],
		"created_by":  row["created_by"],
	}
	if id, _ := row["budget_id"].(string); id != "" && e.budgets[id] != nil {
		out["litellm_budget_table"] = budgetView(e.budgets[id])
	}
	return out
}

// tagBodyCheck is TagNewRequest / TagUpdateRequest's field validation (422).
func tagBodyCheck(body map[string]any) *response {
	var errs []verr
	fieldCheck(&errs, body, "name", "str", true)
	fieldCheck(&errs, body, "description", "str", false)
	fieldCheck(&errs, body, "budget_id", "str", false)
	fieldCheck(&errs, body, "budget_duration", "str", false)
	fieldCheck(&errs, body, "model_max_budget", "dict", false)
	if v, ok := body["models"]; ok && v != nil {
		list, isList := v.([]any)
		if !isList {
			errs = append(errs, verr{typ: "list_type", loc: loc("models"), msg: "Input should be a valid list", input: v})
		}
		for i, m := range list {
			if _, ok := m.(string); !ok {
				errs = append(errs, verr{typ: "string_type", loc: loc("models", i), msg: "Input should be a valid string", input: m})
			}
		}
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	return nil
}

// tagModelNames is _get_model_names: model_id → model_name of the models
// the tag lists that are DB rows (by ID; names match nothing).
func (e *Emulator) tagModelNames(models []any) map[string]any {
	out := map[string]any{}
	for _, v := range models {
		id, _ := v.(string)
		if m := e.current(id); m != nil {
			out[id] = m.ModelName
		}
	}
	return out
}

// tagBudget is handle_budget_for_entity: the budget_id the tag gets. On
// create (existing ""), a budget_id sent wins; else budget fields make a
// new budget. On update, budget fields (and the ones sent as null) are
// written into the existing budget, and a different budget_id sent
// replaces the link.
func (e *Emulator) tagBudget(body map[string]any, existing string) (any, *response) {
	return e.entityBudget(body, existing, "LiteLLM_TagTable_budget_id_fkey")
}

// entityBudget is handle_budget_for_entity for an entity whose budget_id
// foreign key is fkey.
func (e *Emulator) entityBudget(body map[string]any, existing, fkey string) (any, *response) {
	fields := map[string]any{}
	for _, k := range tagBudgetFields {
		v, sent := body[k]
		if sent && (v != nil || existing != "") {
			fields[k] = v
		}
	}
	sentID, _ := body["budget_id"].(string)
	if existing == "" {
		switch {
		case sentID != "":
			if e.budgets[sentID] == nil {
				// The tag's insert fails on the foreign key.
				r := reply(http.StatusInternalServerError, map[string]any{"detail": "Foreign key constraint failed on the field: `" + fkey + " (index)`"})
				return nil, &r
			}
			return sentID, nil
		case len(fields) > 0:
			now := e.timestamp(e.now())
			id := e.uuid4()
			row := map[string]any{"budget_id": id, "created_at": now, "updated_at": now, "created_by": "default_user_id",
				"updated_by": "default_user_id", "budget_reset_at": nil}
			for _, k := range budgetColumns {
				row[k] = cloneValue(fields[k])
			}
			if row["budget_duration"] != nil {
				at, bad := e.resetAt(row["budget_duration"])
				if bad != nil {
					return nil, bad
				}
				row["budget_reset_at"] = at
			}
			e.budgets[id] = row
			return id, nil
		}
		return nil, nil
	}
	if row := e.budgets[existing]; row != nil && len(fields) > 0 {
		for k, v := range fields {
			row[k] = cloneValue(v)
		}
		row["updated_at"] = e.timestamp(e.now())
	}
	if sentID != "" && sentID != existing {
		if e.budgets[sentID] == nil {
			r := reply(http.StatusInternalServerError, map[string]any{"detail": "Foreign key constraint failed on the field: `" + fkey + " (index)`"})
			return nil, &r
		}
		return sentID, nil
	}
	return existing, nil
}

// tagDeployments adds the tag to litellm_params.tags of the DB rows of the
// deployments the answering worker's router knows under each entry of
// models (a model ID, else a model name): get_deployments_by_model and
// _add_tag_to_deployment. A model the worker has not loaded yet is skipped.
func (e *Emulator) tagDeployments(wk *worker, tag string, models []any) {
	for _, v := range models {
		ref, _ := v.(string)
		var ids []string
		if _, ok := wk.router[ref]; ok {
			ids = []string{ref}
		} else {
			for _, id := range sortedKeys(wk.router) {
				if wk.router[id].ModelName == ref {
					ids = append(ids, id)
				}
			}
		}
		for _, id := range ids {
			cur := e.current(id)
			if cur == nil {
				continue
			}
			m := cloneModel(cur)
			tags, _ := m.LitellmParams["tags"].([]any)
			if slices.Contains(tags, any(tag)) {
				continue
			}
			m.LitellmParams["tags"] = append(slices.Clone(tags), tag)
			m.UpdatedAt = e.now()
			e.put(id, &m)
		}
	}
}

// POST /tag/new.
func tagNew(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := tagBodyCheck(body); bad != nil {
		return *bad
	}
	name := body["name"].(string)
	if e.tags[name] != nil {
		return tagError(http.StatusBadRequest, "Tag "+name+" already exists")
	}
	budgetID, bad := e.tagBudget(body, "")
	if bad != nil {
		return *bad
	}
	models, _ := body["models"].([]any)
	if models == nil {
		models = []any{}
	}
	now := e.timestamp(e.now())
	row := map[string]any{"tag_name": name, "description": body["description"], "models": cloneValue(models),
		"model_info": e.tagModelNames(models), "spend": 0.0, "budget_id": budgetID, "created_at": now, "updated_at": now,
		"created_by": "default_user_id"}
	e.tags[name] = row
	e.tagDeployments(wk, name, models)
	view := e.tagView(row)
	delete(view, "litellm_budget_table")
	return reply(http.StatusOK, map[string]any{"message": "Tag " + name + " created successfully", "tag": view})
}

// POST /tag/info {"names": [...]}: {"<name>": {...}}; any name unknown: 500
// "404: Tags not found: [...]".
func tagInfo(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, ok := body["names"].([]any)
	if !ok {
		return unprocessable(verr{typ: "missing", loc: loc("names"), msg: "Field required", input: body})
	}
	var missing []string
	out := map[string]any{}
	for _, v := range raw {
		n, _ := v.(string)
		if row := e.tags[n]; row != nil {
			out[n] = e.tagView(row)
		} else {
			missing = append(missing, pyQuote(n))
		}
	}
	if len(missing) > 0 {
		return tagError(http.StatusNotFound, "Tags not found: ["+strings.Join(missing, ", ")+"]")
	}
	return reply(http.StatusOK, out)
}

// POST /tag/update: description and models are replaced by what is sent
// (absent: null and []); budget fields go into the tag's budget.
func tagUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := tagBodyCheck(body); bad != nil {
		return *bad
	}
	name := body["name"].(string)
	row := e.tags[name]
	if row == nil {
		return tagError(http.StatusNotFound, "Tag "+name+" not found")
	}
	existing, _ := row["budget_id"].(string)
	budgetID, bad := e.tagBudget(body, existing)
	if bad != nil {
		return *bad
	}
	models, _ := body["models"].([]any)
	if models == nil {
		models = []any{}
	}
	row["description"] = body["description"]
	row["models"] = cloneValue(models)
	row["model_info"] = e.tagModelNames(models)
	row["budget_id"] = budgetID
	row["updated_at"] = e.timestamp(e.now())
	view := e.tagView(row)
	delete(view, "litellm_budget_table")
	return reply(http.StatusOK, map[string]any{"message": "Tag " + name + " updated successfully", "tag": view})
}

// POST /tag/delete {"name"}: the tag's budget and the models' tags stay.
func tagDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "name", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	name := body["name"].(string)
	if e.tags[name] == nil {
		return tagError(http.StatusNotFound, "Tag "+name+" not found")
	}
	delete(e.tags, name)
	return reply(http.StatusOK, map[string]any{"message": "Tag " + name + " deleted successfully"})
}

// GET /tag/list: the stored tags (the emulator keeps no spend logs, so
// there are no dynamic tags).
func tagList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, n := range sortedKeys(e.tags) {
		out = append(out, e.tagView(e.tags[n]))
	}
	return reply(http.StatusOK, out)
}
