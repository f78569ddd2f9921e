package emulator

import (
	"strings"
	"testing"
	"time"
)

// Unified access groups: 201 with a generated ID, 409 on a taken name, 400
// on an unknown team, PUT exclude_unset with null lists as [], 204 delete
// without a body, 404 on a repeat.
func TestAccessGroupEndpoints(t *testing.T) {
	_, c, _ := start(t, Options{})
	a := c.do("POST", "/v1/access_group", map[string]any{"access_group_name": "g", "access_model_names": []any{"m"}})
	id, _ := a.body["access_group_id"].(string)
	if a.code != 201 || id == "" || len(a.body["access_agent_ids"].([]any)) != 0 || a.body["assigned_teams"] == nil {
		t.Fatalf("create: %d %v", a.code, a.body)
	}
	if a := c.do("POST", "/v1/unified_access_group", map[string]any{"access_group_name": "g"}); a.code != 409 ||
		a.body["detail"] != "Access group 'g' already exists" {
		t.Fatalf("duplicate: %d %v", a.code, a.body)
	}
	if a := c.do("POST", "/v1/access_group", map[string]any{"access_group_name": "h", "assigned_team_ids": []any{"t9"}}); a.code != 400 ||
		a.body["detail"] != "Unknown team ids: t9" {
		t.Fatalf("unknown team: %d %v", a.code, a.body)
	}
	if a := c.do("PUT", "/v1/access_group/"+id, map[string]any{"access_model_names": nil, "description": "d"}); a.code != 200 ||
		len(a.body["access_model_names"].([]any)) != 0 || a.body["description"] != "d" || a.body["access_group_name"] != "g" {
		t.Fatalf("update: %d %v", a.code, a.body)
	}
	if a := c.do("DELETE", "/v1/access_group/"+id, nil); a.code != 204 || a.raw != "" {
		t.Fatalf("delete: %d %q", a.code, a.raw)
	}
	if a := c.do("GET", "/v1/access_group/"+id, nil); a.code != 404 || a.body["detail"] != "Access group '"+id+"' not found" {
		t.Fatalf("read after delete: %d %v", a.code, a.body)
	}
	if a := c.do("DELETE", "/v1/access_group/"+id, nil); a.code != 404 {
		t.Fatalf("repeat delete: %d", a.code)
	}
}

// MCP toolsets: PUT ignores a null name or tool list, clears a null
// description, empties tools with []; DELETE is 202 without a body.
func TestMcpToolsetEndpoints(t *testing.T) {
	_, c, _ := start(t, Options{})
	tools := []any{map[string]any{"server_id": "s", "tool_name": "t"}}
	a := c.do("POST", "/v1/mcp/toolset", map[string]any{"toolset_name": "ts", "description": "d", "tools": tools})
	id, _ := a.body["toolset_id"].(string)
	if a.code != 201 || id == "" {
		t.Fatalf("create: %d %v", a.code, a.body)
	}
	if a := c.do("POST", "/v1/mcp/toolset", map[string]any{"toolset_name": "ts"}); a.code != 409 ||
		obj(a.body, "detail")["error"] != "A toolset named 'ts' already exists." {
		t.Fatalf("duplicate: %d %v", a.code, a.body)
	}
	if a := c.do("POST", "/v1/mcp/toolset", map[string]any{"toolset_name": "x", "tools": []any{map[string]any{"server_id": "s"}}}); a.code != 422 {
		t.Fatalf("tool without a name: %d %v", a.code, a.body)
	}
	a = c.do("PUT", "/v1/mcp/toolset", map[string]any{"toolset_id": id, "toolset_name": nil, "tools": nil, "description": nil})
	if a.code != 200 || a.body["toolset_name"] != "ts" || len(a.body["tools"].([]any)) != 1 || a.body["description"] != nil {
		t.Fatalf("update with nulls: %d %v", a.code, a.body)
	}
	if a := c.do("PUT", "/v1/mcp/toolset", map[string]any{"toolset_id": id, "tools": []any{}}); len(a.body["tools"].([]any)) != 0 {
		t.Fatalf("update with []: %d %v", a.code, a.body)
	}
	if a := c.do("DELETE", "/v1/mcp/toolset/"+id, nil); a.code != 202 || a.raw != "" {
		t.Fatalf("delete: %d %q", a.code, a.raw)
	}
	if a := c.do("GET", "/v1/mcp/toolset/"+id, nil); a.code != 404 || obj(a.body, "detail")["error"] != "Toolset '"+id+"' not found." {
		t.Fatalf("read after delete: %d %v", a.code, a.body)
	}
}

// Agents: each worker's registry; a create on one worker is read through
// from the database by ID on another, missing from that worker's listing
// until it reloads; credentials redacted; a delete leaves other workers
// serving the agent until they reload.
func TestAgentRegistryPerWorker(t *testing.T) {
	_, c, clk := start(t, Options{Workers: 2, ReloadInterval: time.Second})
	w0, w1 := c.conn(), c.conn()
	w0.do("GET", "/health/liveliness", nil) // each connection now has its worker
	w1.do("GET", "/health/liveliness", nil)
	a := w0.do("POST", "/v1/agents", map[string]any{"agent_name": "ag", "agent_card_params": map[string]any{"name": "A", "url": "https://a",
		"capabilities": map[string]any{"streaming": true, "pushNotifications": true}, "protocolVersion": "0.3.0", "junk": 1},
		"litellm_params": map[string]any{"model": "m", "api_key": "sk-upstream-1234567890"}})
	id, _ := a.body["agent_id"].(string)
	card := obj(a.body, "agent_card_params")
	if a.code != 200 || id == "" || obj(a.body, "litellm_params")["api_key"] != "REDACTED_BY_LITELM" || card["protocolVersion"] != "0.3" ||
		obj(card, "capabilities")["pushNotifications"] != nil || card["junk"] != nil || card["version"] != "1.0.0" || card["supportedInterfaces"] == nil {
		t.Fatalf("create: %d %v", a.code, a.body)
	}
	if strings.Contains(a.raw, "sk-upstream") {
		t.Fatalf("the credential is echoed: %s", a.raw)
	}
	if a := w1.do("GET", "/v1/agents/"+id, nil); a.code != 200 || a.body["agent_name"] != "ag" {
		t.Fatalf("read through on the other worker: %d %v", a.code, a.body)
	}
	if a := w1.do("GET", "/v1/agents", nil); !strings.HasPrefix(a.raw, "[]") {
		t.Fatalf("the other worker's listing before its reload: %s", a.raw)
	}
	if a := w1.do("POST", "/v1/agents", map[string]any{"agent_name": "ag"}); a.code != 409 {
		t.Fatalf("a name only the database holds: %d %v", a.code, a.body)
	}
	if a := w0.do("POST", "/v1/agents", map[string]any{"agent_name": "ag"}); a.code != 400 || a.body["detail"] != "Agent with name ag already exists" {
		t.Fatalf("a name the worker's registry holds: %d %v", a.code, a.body)
	}
	clk.advance(2 * time.Second)
	if a := w1.do("GET", "/v1/agents", nil); !strings.Contains(a.raw, `"is_public":false`) || !strings.Contains(a.raw, id) {
		t.Fatalf("the other worker's listing after its reload: %s", a.raw)
	}
	if a := w0.do("DELETE", "/v1/agents/"+id, nil); a.code != 200 || a.body["message"] != "Agent "+id+" deleted successfully" {
		t.Fatalf("delete: %d %v", a.code, a.body)
	}
	if a := w1.do("GET", "/v1/agents/"+id, nil); a.code != 200 {
		t.Fatalf("the other worker before its reload still serves it: %d", a.code)
	}
	if a := w0.do("DELETE", "/v1/agents/"+id, nil); a.code != 404 || a.body["detail"] != "Agent with ID "+id+" not found in DB." {
		t.Fatalf("repeat delete: %d %v", a.code, a.body)
	}
	clk.advance(2 * time.Second)
	if a := w1.do("GET", "/v1/agents/"+id, nil); a.code != 404 {
		t.Fatalf("after its reload: %d", a.code)
	}
}

// JWT key mappings: token or key, never shown; the claim triple unique;
// a key's delete takes its mappings.
func TestJwtKeyMappingEndpoints(t *testing.T) {
	_, c, _ := start(t, Options{})
	k := c.do("POST", "/key/generate", map[string]any{})
	value, _ := k.body["key"].(string)
	a := c.do("POST", "/jwt/key/mapping/new", map[string]any{"jwt_claim_name": "sub", "jwt_claim_value": "u", "key": value})
	id, _ := a.body["id"].(string)
	if a.code != 200 || id == "" || a.body["is_active"] != true || a.body["jwt_issuer"] != nil || strings.Contains(a.raw, "token") {
		t.Fatalf("create: %d %s", a.code, a.raw)
	}
	if a := c.do("POST", "/jwt/key/mapping/new", map[string]any{"jwt_claim_name": "sub", "jwt_claim_value": "u", "key": value}); a.code != 409 ||
		a.body["detail"] != "A mapping for claim 'sub' = 'u' already exists for issuer 'None'." {
		t.Fatalf("duplicate: %d %v", a.code, a.body)
	}
	if a := c.do("POST", "/jwt/key/mapping/new", map[string]any{"jwt_claim_name": "sub", "jwt_claim_value": "v", "token": strings.Repeat("0", 64)}); a.code != 400 {
		t.Fatalf("token of no key: %d %v", a.code, a.body)
	}
	if a := c.do("POST", "/jwt/key/mapping/update", map[string]any{"id": id, "description": "d"}); a.body["description"] != "d" {
		t.Fatalf("update: %d %v", a.code, a.body)
	}
	if a := c.do("POST", "/jwt/key/mapping/update", map[string]any{"id": id, "description": nil}); a.body["description"] != "d" {
		t.Fatalf("a null description is dropped: %d %v", a.code, a.body)
	}
	if a := c.do("GET", "/jwt/key/mapping/list?page=1&size=100", nil); a.body["total_count"] != 1.0 {
		t.Fatalf("list: %d %v", a.code, a.body)
	}
	c.do("POST", "/key/delete", map[string]any{"keys": []any{value}})
	if a := c.do("GET", "/jwt/key/mapping/info?id="+id, nil); a.code != 404 || a.body["detail"] != "Mapping not found" {
		t.Fatalf("after the key's delete: %d %v", a.code, a.body)
	}
}
