package emulator

import (
	"testing"
	"time"
)

// MCP servers: a read by ID goes to the DB first (every worker finds a new
// server), the listing is the answering worker's registry; credentials are
// reduced on read; the newest PUT is partial, the legacy one resets the
// non-null defaults.
func TestMcpServerRegistryAndUpdateGenerations(t *testing.T) {
	for _, gen := range []string{VersionNewest, VersionLegacy} {
		t.Run(gen, func(t *testing.T) {
			e, c, _ := start(t, Options{Version: gen, Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
			a := c.do("POST", "/v1/mcp/server", map[string]any{"server_id": "s1", "server_name": "gh", "url": "https://x", "transport": "http",
				"credentials": map[string]any{"auth_value": "secret-token", "scopes": []any{"read"}}}) // worker 0
			if a.code != 201 || obj(a.body, "credentials")["auth_value"] != nil || a.body["alias"] != "gh" {
				t.Fatalf("create: %d %s", a.code, a.raw)
			}
			if a := c.do("GET", "/v1/mcp/server/s1", nil); a.code != 200 || a.body["status"] != "unknown" { // worker 1, from the DB
				t.Fatalf("read on the other worker: %d %s", a.code, a.raw)
			}
			if a := c.do("GET", "/v1/mcp/server", nil); a.code != 200 || a.raw == "[]\n" { // worker 0: its registry has it
				t.Fatalf("listing on the creating worker: %d %s", a.code, a.raw)
			}
			if a := c.do("GET", "/v1/mcp/server", nil); a.code != 200 || a.raw != "[]\n" { // worker 1: not reloaded yet
				t.Fatalf("listing on the other worker: %d %s", a.code, a.raw)
			}
			if a := c.do("POST", "/v1/mcp/server", map[string]any{"server_name": "GH", "url": "https://y"}); a.code != 400 {
				t.Fatalf("a name another server holds: %d %s", a.code, a.raw)
			}
			if a := c.do("PUT", "/v1/mcp/server", map[string]any{"server_id": "s1", "description": "d"}); a.code != 202 {
				t.Fatalf("update: %d %s", a.code, a.raw)
			}
			rows := e.McpServers()
			want := "http"
			if gen == VersionLegacy {
				want = "sse" // the update model's default, written over the stored value
			}
			if len(rows) != 1 || rows[0]["transport"] != want || rows[0]["description"] != "d" || obj(rows[0], "credentials")["auth_value"] != "secret-token" {
				t.Fatalf("after a partial update: %v", rows)
			}
			if a := c.do("DELETE", "/v1/mcp/server/s1", nil); a.code != 202 {
				t.Fatalf("delete: %d %s", a.code, a.raw)
			}
			if a := c.do("DELETE", "/v1/mcp/server/s1", nil); a.code != 404 {
				t.Fatalf("repeat delete: %d %s", a.code, a.raw)
			}
		})
	}
}

// Vector stores: a worker's periodic sync only adds stores, so /info on a
// worker that loaded a store keeps its old version after an update made on
// another worker; the listing is the DB's.
func TestVectorStoreRegistryAddsOnly(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	if a := c.do("POST", "/vector_store/new", map[string]any{"vector_store_id": "v1", "custom_llm_provider": "openai", "vector_store_name": "old",
		"litellm_params": map[string]any{"api_key": "sk-provider-secret-1234", "api_base": "https://api"}}); a.code != 200 { // worker 0
		t.Fatal(a.code, a.raw)
	}
	e.ReloadAll()                                                                                                                      // worker 1 loads "old"
	if a := c.do("POST", "/vector_store/update", map[string]any{"vector_store_id": "v1", "vector_store_name": "new"}); a.code != 200 { // worker 1
		t.Fatal(a.code, a.raw)
	}
	e.ReloadAll()
	a := c.do("POST", "/vector_store/info", map[string]any{"vector_store_id": "v1"}) // worker 0: still "old"
	if a.code != 200 || obj(a.body, "vector_store")["vector_store_name"] != "old" ||
		obj(a.body, "vector_store", "litellm_params")["api_key"] != "REDACTED_BY_LITELM" || obj(a.body, "vector_store", "litellm_params")["api_base"] != "https://api" {
		t.Fatalf("stale registry: %d %s", a.code, a.raw)
	}
	a = c.do("GET", "/vector_store/list", nil) // worker 1: the DB
	if d := a.data(); a.code != 200 || len(d) != 1 || obj(d[0])["vector_store_name"] != "new" {
		t.Fatalf("listing: %d %s", a.code, a.raw)
	}
	if a := c.do("POST", "/vector_store/new", map[string]any{"vector_store_id": "v1", "custom_llm_provider": "openai"}); a.code != 400 {
		t.Fatalf("duplicate: %d %s", a.code, a.raw)
	}
}

// Guardrails: the create ignores a guardrail_id; names are unique; reads
// mask secret parameters.
func TestGuardrailIDsNamesAndMasks(t *testing.T) {
	_, c, _ := start(t, Options{})
	g := map[string]any{"guardrail_id": "mine", "guardrail_name": "g1",
		"litellm_params": map[string]any{"guardrail": "lakera_v2", "mode": "pre_call", "api_key": "abcdefgh12"}}
	a := c.do("POST", "/guardrails", map[string]any{"guardrail": g})
	id, _ := a.body["guardrail_id"].(string)
	if a.code != 200 || id == "" || id == "mine" {
		t.Fatalf("create: %d %s", a.code, a.raw)
	}
	if a := c.do("POST", "/guardrails", map[string]any{"guardrail": g}); a.code != 500 {
		t.Fatalf("duplicate name: %d %s", a.code, a.raw)
	}
	a = c.do("GET", "/guardrails/"+id+"/info", nil)
	if a.code != 200 || obj(a.body, "litellm_params")["api_key"] != "ab****12" || obj(a.body, "litellm_params")["mode"] != "pre_call" {
		t.Fatalf("info: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/guardrails/nope/info", nil); a.code != 404 {
		t.Fatalf("miss: %d %s", a.code, a.raw)
	}
}

// Prompts: creates and updates add versions; the delete's existence check
// is the answering worker's registry.
func TestPromptVersionsAndRegistryDelete(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	body := map[string]any{"prompt_id": "p", "litellm_params": map[string]any{"prompt_integration": "dotprompt"}}
	if a := c.do("POST", "/prompts", body); a.code != 200 || a.body["prompt_id"] != "p.v1" { // worker 0
		t.Fatalf("create: %d %s", a.code, a.raw)
	}
	if a := c.do("POST", "/prompts", body); a.code != 200 || a.body["prompt_id"] != "p.v2" { // worker 1: no refusal
		t.Fatalf("second create: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/prompts/p?environment=development", nil); a.code != 200 || obj(a.body, "prompt_spec")["version"] != 2.0 ||
		obj(a.body, "prompt_spec")["prompt_id"] != "p" {
		t.Fatalf("read: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/prompts/p?environment=production", nil); a.code != 400 {
		t.Fatalf("other environment: %d %s", a.code, a.raw)
	}
	if a := c.do("PUT", "/prompts/nope", body); a.code != 404 {
		t.Fatalf("update of a missing prompt: %d %s", a.code, a.raw)
	}
	e.mu.Lock()
	e.promptRegistries = map[int]map[string]*promptRow{} // no worker has loaded it (restarted workers, say)
	e.mu.Unlock()
	if a := c.do("DELETE", "/prompts/p?environment=development", nil); a.code != 404 || len(e.Prompts()) != 2 {
		t.Fatalf("delete on a worker without it: %d %s", a.code, a.raw)
	}
	e.ReloadAll()
	if a := c.do("DELETE", "/prompts/p?environment=development", nil); a.code != 200 || len(e.Prompts()) != 0 {
		t.Fatalf("delete: %d %s %v", a.code, a.raw, e.Prompts())
	}
}
