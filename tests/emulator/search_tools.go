package emulator

import (
	"fmt"
	"net/http"
	"strings"
)

// Search tools (LiteLLM 1.110.2 wheel,
// litellm/proxy/search_endpoints/search_tool_management.py and
// search_tool_registry.py; SearchTool and SearchToolInfoResponse in
// litellm/types/search.py; LiteLLM_SearchToolsTable in schema.prisma).
// Rows of a database table, read from the database on every request (the
// emulator keeps no replica history for them). Every handler runs with
// e.mu held.

// searchToolState is the table, by search_tool_id, and the config file's
// tools (read-only).
type searchToolState struct {
	rows   map[string]map[string]any
	order  []string
	config []map[string]any
}

// SearchTools returns the stored rows (plaintext litellm_params), in the
// order they were created.
func (e *Emulator) SearchTools() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range e.searchTools.order {
		out = append(out, cloneMap(e.searchTools.rows[id]))
	}
	return out
}

// UpdateSearchTool changes a stored row out of band; fields of
// litellm_params and search_tool_info given as maps are merged into them.
func (e *Emulator) UpdateSearchTool(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.searchTools.rows[id]
	if row == nil {
		return false
	}
	for k, v := range fields {
		if m, ok := v.(map[string]any); ok && (k == "litellm_params" || k == "search_tool_info") {
			cur, _ := row[k].(map[string]any)
			if cur == nil {
				cur = map[string]any{}
			}
			for kk, vv := range m {
				cur[kk] = cloneValue(vv)
			}
			row[k] = cur
			continue
		}
		row[k] = cloneValue(v)
	}
	return true
}

// DeleteSearchTool deletes a stored row out of band.
func (e *Emulator) DeleteSearchTool(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.searchTools.rows[id] == nil {
		return false
	}
	e.searchToolDeleteRow(id)
	return true
}

// SetConfigSearchTools sets the search tools of the proxy's config file.
func (e *Emulator) SetConfigSearchTools(tools []map[string]any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.searchTools.config = nil
	for _, t := range tools {
		e.searchTools.config = append(e.searchTools.config, cloneMap(t))
	}
}

func (e *Emulator) searchToolDeleteRow(id string) {
	delete(e.searchTools.rows, id)
	for i, x := range e.searchTools.order {
		if x == id {
			e.searchTools.order = append(e.searchTools.order[:i], e.searchTools.order[i+1:]...)
			break
		}
	}
}

// searchToolSensitive is LiteLLM's has_sensitive_keyword.
func searchToolSensitive(k string) bool {
	lk := strings.ToLower(k)
	for _, w := range []string{"authorization", "token", "key", "secret", "vertex_credentials", "credentials", "password", "passwd"} {
		if strings.Contains(lk, w) {
			return true
		}
	}
	return false
}

// maskValues is LiteLLM's get_masked_values(unmasked_length=4,
// number_of_asterisks=4): a string under a sensitive key becomes its first
// two characters, four '*' and its last two ("*****" when 4 or shorter);
// objects are masked key by key.
func maskValues(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !searchToolSensitive(k) {
			out[k] = cloneValue(v)
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			out[k] = maskValues(x)
		case string:
			if len(x) <= 4 {
				out[k] = "*****"
			} else {
				out[k] = x[:2] + "****" + x[len(x)-2:]
			}
		default:
			out[k] = v
		}
	}
	return out
}

// searchToolView is SearchToolInfoResponse: the row with litellm_params
// masked and is_from_config.
func searchToolView(row map[string]any, fromConfig bool) map[string]any {
	params, _ := row["litellm_params"].(map[string]any)
	out := map[string]any{
		"search_tool_id":   row["search_tool_id"],
		"search_tool_name": row["search_tool_name"],
		"litellm_params":   maskValues(params),
		"search_tool_info": cloneValue(row["search_tool_info"]),
		"created_at":       row["created_at"],
		"updated_at":       row["updated_at"],
		"is_from_config":   fromConfig,
	}
	return out
}

// searchToolBody is CreateSearchToolRequest / UpdateSearchToolRequest's
// validation (422): {"search_tool": {search_tool_name: str,
// litellm_params: {search_provider: str, ...}, search_tool_info: dict?}}.
func searchToolBody(rq *request) (map[string]any, *response) {
	body, bad := bodyObject(rq)
	if bad != nil {
		return nil, bad
	}
	var errs []verr
	fieldCheck(&errs, body, "search_tool", "dict", true)
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return nil, &r
	}
	t := body["search_tool"].(map[string]any)
	fieldCheck(&errs, t, "search_tool_name", "str", true, "search_tool")
	fieldCheck(&errs, t, "litellm_params", "dict", true, "search_tool")
	fieldCheck(&errs, t, "search_tool_info", "dict", false, "search_tool")
	if p, ok := t["litellm_params"].(map[string]any); ok {
		fieldCheck(&errs, p, "search_provider", "str", true, "search_tool", "litellm_params")
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return nil, &r
	}
	return t, nil
}

// searchToolNameTaken is the detail of the create's and the update's 500
// when Prisma's unique constraint on search_tool_name fails.
func searchToolNameTaken(prefix string) response {
	return reply(http.StatusInternalServerError, map[string]any{"detail": prefix + ": Unique constraint failed on the fields: (`search_tool_name`)"})
}

func (e *Emulator) searchToolByName(name any) string {
	for _, id := range e.searchTools.order {
		if e.searchTools.rows[id]["search_tool_name"] == name {
			return id
		}
	}
	return ""
}

func searchToolMiss(id string) response {
	return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Search tool with ID %s not found", id)})
}

// searchToolCreate: POST /search_tools. The row's id is the table's
// default uuid (a search_tool_id sent is not used); the answer echoes the
// request with the id and the timestamps (api_key in plaintext).
func searchToolCreate(e *Emulator, _ *worker, rq *request) response {
	t, bad := searchToolBody(rq)
	if bad != nil {
		return *bad
	}
	if e.searchToolByName(t["search_tool_name"]) != "" {
		return searchToolNameTaken("Error adding search tool to DB")
	}
	if e.searchTools.rows == nil {
		e.searchTools.rows = map[string]map[string]any{}
	}
	id := e.uuid4()
	now := e.timestamp(e.now())
	info, present := t["search_tool_info"]
	if !present {
		info = map[string]any{}
	}
	e.searchTools.rows[id] = map[string]any{
		"search_tool_id": id, "search_tool_name": t["search_tool_name"], "litellm_params": cloneValue(t["litellm_params"]),
		"search_tool_info": cloneValue(info), "created_at": now, "updated_at": now,
	}
	e.searchTools.order = append(e.searchTools.order, id)
	out := cloneMap(t)
	out["search_tool_id"], out["created_at"], out["updated_at"] = id, now, now
	return reply(http.StatusOK, out)
}

// searchToolGet: GET /search_tools/{id}.
func searchToolGet(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	row := e.searchTools.rows[id]
	if row == nil {
		return searchToolMiss(id)
	}
	return reply(http.StatusOK, searchToolView(row, false))
}

// searchToolUpdate: PUT /search_tools/{id} replaces the name,
// litellm_params and search_tool_info (absent: {}); the answer is the row,
// decrypted.
func searchToolUpdate(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	row := e.searchTools.rows[id]
	if row == nil {
		return searchToolMiss(id)
	}
	t, bad := searchToolBody(rq)
	if bad != nil {
		return *bad
	}
	if other := e.searchToolByName(t["search_tool_name"]); other != "" && other != id {
		return searchToolNameTaken("Error updating search tool in DB")
	}
	info, present := t["search_tool_info"]
	if !present {
		info = map[string]any{}
	}
	row["search_tool_name"] = t["search_tool_name"]
	row["litellm_params"] = cloneValue(t["litellm_params"])
	row["search_tool_info"] = cloneValue(info)
	row["updated_at"] = e.timestamp(e.now())
	return reply(http.StatusOK, cloneMap(row))
}

// searchToolDelete: DELETE /search_tools/{id}.
func searchToolDelete(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	row := e.searchTools.rows[id]
	if row == nil {
		return searchToolMiss(id)
	}
	e.searchToolDeleteRow(id)
	return reply(http.StatusOK, map[string]any{"message": fmt.Sprintf("Search tool %s deleted successfully", id),
		"search_tool_name": row["search_tool_name"]})
}

// searchToolList: GET /search_tools/list, the config file's tools whose
// name no row has (no id), then the rows.
func searchToolList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, t := range e.searchTools.config {
		if e.searchToolByName(t["search_tool_name"]) == "" {
			row := cloneMap(t)
			row["search_tool_id"], row["created_at"], row["updated_at"] = nil, nil, nil
			out = append(out, searchToolView(row, true))
		}
	}
	for _, id := range e.searchTools.order {
		out = append(out, searchToolView(e.searchTools.rows[id], false))
	}
	return reply(http.StatusOK, map[string]any{"search_tools": out})
}
