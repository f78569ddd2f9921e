package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
)

// MCP server endpoints (LiteLLM litellm/proxy/management_endpoints/
// mcp_management_endpoints.py, litellm/proxy/mcp_server/db.py and
// server_resolution.py; NewMCPServerRequest, UpdateMCPServerRequest and
// LiteLLM_MCPServerTable in litellm/proxy/_types.py and
// litellm/models/mcp_server.py; 1.110.2 wheel). The rows live in the DB
// (e.mcpServers); every worker keeps its own registry (e.mcpRegistries),
// rebuilt from the DB on its reload tick (or a pub/sub resync), and the
// answering worker's right after its own write. A read by ID looks in the
// DB first, then in the answering worker's registry (by ID, then by name);
// the listing is the answering worker's registry. Every handler runs with
// e.mu held.

// mcpDefaults are the non-null defaults of NewMCPServerRequest and
// UpdateMCPServerRequest: a create fills them in; an older proxy's update
// (exclude_none over the whole model) writes them over every field the
// body leaves out.
var mcpDefaults = map[string]any{
	"transport": "sse", "mcp_access_groups": []any{}, "args": []any{}, "env": map[string]any{},
	"allow_all_keys": false, "available_on_public_internet": true, "delegate_auth_to_upstream": false,
	"oauth_passthrough": false, "per_server_oauth_discovery": false, "is_byok": false, "byok_description": []any{},
}

// mcpNotNull are the request fields whose type admits no null (422).
var mcpNotNull = []string{"transport", "mcp_access_groups", "args", "env", "allow_all_keys", "available_on_public_internet",
	"delegate_auth_to_upstream", "oauth_passthrough", "per_server_oauth_discovery", "is_byok", "byok_description"}

// McpServers returns the stored MCP server rows (the DB, plaintext,
// credentials included), sorted by server_id.
func (e *Emulator) McpServers() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.mcpServers) {
		out = append(out, cloneMap(e.mcpServers[id]))
	}
	return out
}

// UpdateMcpServer changes a stored MCP server out of band (as the admin UI
// would); the workers see it on their next reload.
func (e *Emulator) UpdateMcpServer(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.mcpServers[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteMcpServer deletes a stored MCP server out of band; the workers'
// registries keep it until their next reload.
func (e *Emulator) DeleteMcpServer(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.mcpServers[id] == nil {
		return false
	}
	delete(e.mcpServers, id)
	return true
}

// reloadMcpRegistry rebuilds a worker's MCP registry from the DB
// (MCPServerManager.reload_servers_from_database).
func (e *Emulator) reloadMcpRegistry(w *worker) {
	reg := map[string]map[string]any{}
	for id, row := range e.mcpServers {
		reg[id] = cloneMap(row)
	}
	e.mcpRegistries[w.index] = reg
}

// mcpView is a row as an admin read returns it (_redact_mcp_credentials):
// credentials reduced to the non-secret admin keys (scopes,
// upstream_resource, upstream_token_header; null when none), mcp_info with
// the AI-hub flags, and the health fields (health says whether to run the
// health check: reads by ID do, the listing does not).
func (e *Emulator) mcpView(row map[string]any, health bool) map[string]any {
	out := cloneMap(row)
	var kept map[string]any
	if creds, ok := row["credentials"].(map[string]any); ok {
		for _, k := range []string{"scopes", "upstream_resource", "upstream_token_header"} {
			if v, ok := creds[k]; ok && v != nil {
				if kept == nil {
					kept = map[string]any{}
				}
				kept[k] = cloneValue(v)
			}
		}
	}
	out["credentials"] = kept
	info := cloneMap(asMap(row["mcp_info"]))
	info["is_public"], info["is_public_explicit"] = false, false
	out["mcp_info"] = info
	out["status"], out["last_health_check"], out["health_check_error"] = "unknown", nil, nil
	if health {
		// The emulator cannot reach the server: the check ends "unknown".
		out["last_health_check"] = e.timestamp(e.now())
	}
	for _, k := range []string{"teams", "allowed_tools", "extra_headers"} {
		if out[k] == nil {
			out[k] = []any{}
		}
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// mcpBodyCheck is the request model's validation (422) and the endpoint's
// name checks (400).
func mcpBodyCheck(body map[string]any, update bool) *response {
	var errs []verr
	if update {
		fieldCheck(&errs, body, "server_id", "str", true)
	}
	for _, k := range []string{"server_name", "alias", "description", "url", "auth_type", "command"} {
		fieldCheck(&errs, body, k, "str", false)
	}
	fieldCheck(&errs, body, "mcp_info", "dict", false)
	fieldCheck(&errs, body, "credentials", "dict", false)
	for _, k := range mcpNotNull {
		if v, present := body[k]; present && v == nil {
			errs = append(errs, verr{typ: "value_type", loc: loc(k), msg: "Input should not be None", input: nil})
		}
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	if t, present := body["transport"]; present || !update {
		transport, _ := t.(string)
		if transport == "" {
			transport = "sse"
		}
		switch transport {
		case "sse", "http":
			if s, _ := body["url"].(string); s == "" {
				if p, _ := body["spec_path"].(string); p == "" {
					r := unprocessable(verr{typ: "value_error", loc: []any{"body"}, msg: "Value error, url or spec_path is required for HTTP/SSE transport", input: body,
						ctx: map[string]any{"error": map[string]any{}}})
					return &r
				}
			}
		case "stdio":
			if c, _ := body["command"].(string); c == "" {
				r := unprocessable(verr{typ: "value_error", loc: []any{"body"}, msg: "Value error, command is required for stdio transport", input: body})
				return &r
			}
		default:
			r := unprocessable(verr{typ: "literal_error", loc: loc("transport"), msg: "Input should be 'sse', 'http' or 'stdio'", input: t})
			return &r
		}
	}
	for _, k := range []string{"server_name", "alias"} {
		if s, _ := body[k].(string); strings.Contains(s, "-") {
			r := reply(http.StatusBadRequest, detailError("Server name cannot contain '-'. Use an alternative character instead Found: "+s))
			return &r
		}
	}
	return nil
}

// mcpNameConflict finds another live row holding the name or alias,
// case-insensitively (_mcp_server_write_if_identifier_free).
func (e *Emulator) mcpNameConflict(row map[string]any, self string) *response {
	for _, field := range []string{"server_name", "alias"} {
		v, _ := row[field].(string)
		if v == "" {
			continue
		}
		for _, id := range sortedKeys(e.mcpServers) {
			if id == self {
				continue
			}
			other := e.mcpServers[id]
			for _, f := range []string{"server_name", "alias"} {
				if o, _ := other[f].(string); o != "" && strings.EqualFold(o, v) {
					r := reply(http.StatusBadRequest, detailError(fmt.Sprintf("An MCP server with %s '%s' already exists (server_id=%s). "+
						"MCP server names and aliases must be unique, case-insensitive.", field, v, id)))
					return &r
				}
			}
		}
	}
	return nil
}

// POST /v1/mcp/server: 201 with the redacted row.
func mcpServerCreate(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := mcpBodyCheck(body, false); bad != nil {
		return *bad
	}
	id, _ := body["server_id"].(string)
	if id == "all-team-mcpservers" || id == "all-proxy-mcpservers" {
		return reply(http.StatusBadRequest, detailError("MCP Server with id "+id+" is special and cannot be used."))
	}
	if id != "" && (e.mcpServers[id] != nil || e.mcpRegistries[wk.index][id] != nil) {
		return reply(http.StatusBadRequest, detailError("MCP Server with id "+id+" already exists. Cannot create another."))
	}
	if id == "" {
		id = e.uuid4()
	}
	row := map[string]any{}
	for k, v := range mcpDefaults {
		row[k] = cloneValue(v)
	}
	for k, v := range body {
		if v != nil { // exclude_none
			row[k] = cloneValue(v)
		}
	}
	if _, ok := row["alias"]; !ok {
		if name, _ := row["server_name"].(string); name != "" {
			row["alias"] = strings.ReplaceAll(name, " ", "_")
		}
	}
	row["server_id"] = id
	if bad := e.mcpNameConflict(row, id); bad != nil {
		return *bad
	}
	now := e.timestamp(e.now())
	row["created_at"], row["updated_at"] = now, now
	row["created_by"], row["updated_by"] = "default_user_id", "default_user_id"
	row["approval_status"] = "active"
	e.mcpServers[id] = row
	e.reloadMcpRegistry(wk)
	e.publish()
	return reply(http.StatusCreated, e.mcpView(row, false))
}

// GET /v1/mcp/server/{server_id}: the DB row, else the answering worker's
// registry by ID, then by name; a miss is a 404.
func mcpServerGet(e *Emulator, wk *worker, rq *request) response {
	id := rq.params[0]
	row := e.mcpServers[id]
	if row == nil {
		row = e.mcpRegistries[wk.index][id]
	}
	if row == nil {
		for _, rid := range sortedKeys(e.mcpRegistries[wk.index]) {
			if r := e.mcpRegistries[wk.index][rid]; r["server_name"] == id {
				row = r
				break
			}
		}
	}
	if row == nil {
		return reply(http.StatusNotFound, detailError("MCP Server with id "+id+" not found"))
	}
	return reply(http.StatusOK, e.mcpView(row, true))
}

// PUT /v1/mcp/server: 202 with the redacted row. Newest: a partial update
// (exclude_unset): a field left out keeps its value, a null clears it
// (allowed_tools to []), credentials are merged into the stored ones.
// Legacy: the whole request model with its defaults (exclude_none): a field
// left out is reset to its non-null default, and a null is dropped.
func mcpServerUpdate(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := mcpBodyCheck(body, true); bad != nil {
		return *bad
	}
	id := body["server_id"].(string)
	old := e.mcpServers[id]
	if old == nil {
		return reply(http.StatusNotFound, detailError("MCP Server not found, passed server_id="+id))
	}
	row := cloneMap(old)
	if e.legacy {
		for k, v := range mcpDefaults {
			if _, sent := body[k]; !sent {
				row[k] = cloneValue(v)
			}
		}
	}
	for k, v := range body {
		switch {
		case k == "server_id":
		case v == nil && e.legacy:
		case v == nil && k == "allowed_tools":
			row[k] = []any{}
		case k == "credentials" && v != nil && !e.legacy:
			merged := cloneMap(asMap(old["credentials"]))
			maps.Copy(merged, cloneMap(asMap(v)))
			row[k] = merged
		default:
			row[k] = cloneValue(v)
		}
	}
	if bad := e.mcpNameConflict(row, id); bad != nil {
		return *bad
	}
	row["updated_at"] = e.timestamp(e.now())
	e.mcpServers[id] = row
	e.reloadMcpRegistry(wk)
	e.publish()
	return reply(http.StatusAccepted, e.mcpView(row, false))
}

// DELETE /v1/mcp/server/{server_id}: 202 (LiteLLM's body is empty; the
// emulator answers null); a miss (or a repeat) is a 404.
func mcpServerDelete(e *Emulator, wk *worker, rq *request) response {
	id := rq.params[0]
	if e.mcpServers[id] == nil {
		return reply(http.StatusNotFound, detailError("MCP Server not found, passed server_id="+id))
	}
	delete(e.mcpServers, id)
	e.reloadMcpRegistry(wk)
	e.publish()
	return reply(http.StatusAccepted, nil)
}

// GET /v1/mcp/server: the answering worker's registry, redacted, sorted.
func mcpServerList(e *Emulator, wk *worker, _ *request) response {
	out := []any{}
	reg := e.mcpRegistries[wk.index]
	for _, id := range sortedKeys(reg) {
		out = append(out, e.mcpView(reg[id], false))
	}
	return reply(http.StatusOK, out)
}
