package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// MCP toolset endpoints (LiteLLM 1.110.2 wheel,
// litellm/proxy/management_endpoints/mcp_management_endpoints.py: add_mcp_toolset,
// fetch_mcp_toolsets, fetch_mcp_toolset, edit_mcp_toolset, remove_mcp_toolset;
// litellm/proxy/mcp_server/toolset_db.py; litellm/types/mcp_server/mcp_toolset.py).
// Rows live in the database only (e.mcpToolsets). Every handler runs with
// e.mu held.

// McpToolsets returns the stored toolsets, sorted by name.
func (e *Emulator) McpToolsets() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.mcpToolsets) {
		out = append(out, cloneMap(e.mcpToolsets[id]))
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(a["toolset_name"]), fmt.Sprint(b["toolset_name"]))
	})
	return out
}

// UpdateMcpToolset changes a stored toolset out of band.
func (e *Emulator) UpdateMcpToolset(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.mcpToolsets[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteMcpToolset deletes a stored toolset out of band.
func (e *Emulator) DeleteMcpToolset(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.mcpToolsets[id] == nil {
		return false
	}
	delete(e.mcpToolsets, id)
	return true
}

// mcpToolsetBodyCheck is NewMCPToolsetRequest / UpdateMCPToolsetRequest's
// validation (422): tools a list of {server_id: str, tool_name: str}.
func mcpToolsetBodyCheck(body map[string]any, create bool) *response {
	var errs []verr
	fieldCheck(&errs, body, "toolset_name", "str", create)
	fieldCheck(&errs, body, "description", "str", false)
	if !create {
		fieldCheck(&errs, body, "toolset_id", "str", true)
	}
	if v, ok := body["tools"]; ok && v != nil {
		list, isList := v.([]any)
		if !isList {
			errs = append(errs, verr{typ: "list_type", loc: loc("tools"), msg: "Input should be a valid list", input: v})
		}
		for i, item := range list {
			m, ok := item.(map[string]any)
			if !ok {
				errs = append(errs, verr{typ: "dict_type", loc: loc("tools", i), msg: "Input should be a valid dictionary", input: item})
				continue
			}
			fieldCheck(&errs, m, "server_id", "str", true, "tools", i)
			fieldCheck(&errs, m, "tool_name", "str", true, "tools", i)
		}
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	return nil
}

func (e *Emulator) mcpToolsetByName(name any) map[string]any {
	for _, id := range sortedKeys(e.mcpToolsets) {
		if e.mcpToolsets[id]["toolset_name"] == name {
			return e.mcpToolsets[id]
		}
	}
	return nil
}

func toolsetTaken(name any) response {
	return reply(http.StatusConflict, detailError(fmt.Sprintf("A toolset named '%v' already exists.", name)))
}

func toolsetMissing(id any) response {
	return reply(http.StatusNotFound, detailError(fmt.Sprintf("Toolset '%v' not found.", id)))
}

// POST /v1/mcp/toolset: 201 with the toolset; a name that exists: 409.
func mcpToolsetCreate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := mcpToolsetBodyCheck(body, true); bad != nil {
		return *bad
	}
	if e.mcpToolsetByName(body["toolset_name"]) != nil {
		return toolsetTaken(body["toolset_name"])
	}
	now := e.timestamp(e.now())
	id := e.uuid4()
	row := map[string]any{"toolset_id": id, "toolset_name": body["toolset_name"], "description": body["description"],
		"tools": listOrEmpty(body["tools"]), "created_at": now, "created_by": "default_user_id", "updated_at": now,
		"updated_by": "default_user_id"}
	e.mcpToolsets[id] = row
	return reply(http.StatusCreated, cloneMap(row))
}

// GET /v1/mcp/toolset: every toolset (a proxy admin without toolset limits).
func mcpToolsetList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range sortedKeys(e.mcpToolsets) {
		out = append(out, cloneMap(e.mcpToolsets[id]))
	}
	return reply(http.StatusOK, out)
}

// GET /v1/mcp/toolset/{id}: a miss is a 404.
func mcpToolsetGet(e *Emulator, _ *worker, rq *request) response {
	row := e.mcpToolsets[rq.params[0]]
	if row == nil {
		return toolsetMissing(rq.params[0])
	}
	return reply(http.StatusOK, cloneMap(row))
}

// PUT /v1/mcp/toolset {toolset_id, ...}: absent keeps, null clears the
// description; a null toolset_name or tools is ignored, [] empties tools.
func mcpToolsetUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := mcpToolsetBodyCheck(body, false); bad != nil {
		return *bad
	}
	id := body["toolset_id"].(string)
	row := e.mcpToolsets[id]
	if row == nil {
		return toolsetMissing(id)
	}
	if name, ok := body["toolset_name"]; ok && name != nil {
		if other := e.mcpToolsetByName(name); other != nil && other["toolset_id"] != id {
			return toolsetTaken(name)
		}
	}
	for _, k := range []string{"toolset_name", "description", "tools"} {
		v, sent := body[k]
		if !sent || (v == nil && k != "description") {
			continue
		}
		row[k] = cloneValue(v)
	}
	row["updated_at"], row["updated_by"] = e.timestamp(e.now()), "default_user_id"
	return reply(http.StatusOK, cloneMap(row))
}

// DELETE /v1/mcp/toolset/{id}: 202 without a body; a miss (or a repeat) is a 404.
func mcpToolsetDelete(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	if e.mcpToolsets[id] == nil {
		return toolsetMissing(id)
	}
	delete(e.mcpToolsets, id)
	return response{status: http.StatusAccepted}
}
