package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const mcpSecret = "mcp-bearer-token-0123456789"

func mcpInputs(name string) map[string]any {
	return map[string]any{
		"serverName":      name,
		"description":     "GitHub tools",
		"url":             "https://mcp.example.com/" + name,
		"transport":       "http",
		"authType":        "bearer_token",
		"credentials":     secret{map[string]any{"auth_value": mcpSecret}},
		"staticHeaders":   secret{map[string]any{"X-Tenant": "tenant-header-value-42"}},
		"mcpAccessGroups": []any{"dev"},
		"mcpInfo": map[string]any{
			"description":       "shown in the hub",
			"mcpServerCostInfo": map[string]any{"defaultCostPerQuery": 0.01},
			"extra":             map[string]any{"category": "code"},
		},
	}
}

func (h *harness) mcpServer(id string) (map[string]any, bool) {
	return rowWith(h.emu.McpServers(), "server_id", id)
}

func TestMcpServerLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("McpServer", "gh")
	in := mcpInputs("github")
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "serverId") != id {
		t.Fatalf("ID %q, serverId output %v", id, get(created.Properties, "serverId"))
	}
	if v := created.Properties.Get("credentials"); !v.Secret() {
		t.Fatalf("credentials are not secret in the state: %v", v)
	}
	row, ok := h.mcpServer(id)
	if !ok || row["server_name"] != "github" || row["url"] != "https://mcp.example.com/github" || row["transport"] != "http" ||
		get(pm(row), "credentials.auth_value") != mcpSecret || get(pm(row), "static_headers.X-Tenant") != "tenant-header-value-42" ||
		get(pm(row), "mcp_info.mcp_server_cost_info.default_cost_per_query") != 0.01 || get(pm(row), "mcp_info.category") != "code" ||
		get(pm(row), "mcp_info.pulumi.urn") != string(u) {
		t.Fatalf("MCP server on the proxy: %v", row)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateMcpServer(id, map[string]any{"description": "changed in the UI"})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "description") != "changed in the UI" || !read.Inputs.Get("credentials").Secret() {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a new description, an allow-list, the access groups
	// removed (cleared with []), the transport kept (older proxies reset
	// what an update leaves out).
	in2 := mcpInputs("github")
	in2["description"] = "GitHub tools, v2"
	in2["allowedTools"] = []any{"create_issue"}
	delete(in2, "mcpAccessGroups")
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the server: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.mcpServer(id)
	if row["description"] != "GitHub tools, v2" || get(pm(row), "allowed_tools") == nil || len(row["mcp_access_groups"].([]any)) != 0 ||
		row["transport"] != "http" || get(pm(row), "credentials.auth_value") != mcpSecret || get(pm(row), "mcp_info.pulumi.urn") != string(u) {
		t.Fatalf("after update: %v", row)
	}

	// Removing one credential key replaces the server (LiteLLM merges them).
	in3 := mcpInputs("github")
	in3["credentials"] = secret{map[string]any{"client_id": "cid"}}
	d3, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: h.check(u, news, pm(in3))})
	if err != nil || d3.DetailedDiff["credentials"].Kind != p.UpdateReplace {
		t.Fatalf("removing a credential key: %+v %v", d3.DetailedDiff, err)
	}

	// Import rebuilds the readable inputs, which pass Check, and leaves the
	// credentials out.
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("McpServer", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "serverName") != "github" || get(imp.Inputs, "url") != "https://mcp.example.com/github" ||
		get(imp.Inputs, "transport") != "http" || get(imp.Inputs, "credentials") != nil || get(imp.Inputs, "alias") != nil ||
		get(imp.Inputs, "mcpInfo.mcpServerCostInfo.defaultCostPerQuery") != 0.01 || get(imp.Inputs, "mcpInfo.extra.pulumi") != nil ||
		get(imp.Inputs, "mcpInfo.extra.is_public") != nil || get(imp.Inputs, "status") != nil || get(imp.Inputs, "serverId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if get(imp.Inputs, "staticHeaders") != nil || strings.Contains(imp.Inputs.GoString(), "tenant-header-value-42") {
		t.Fatalf("import adopted the static headers (secrets) as plain inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("McpServer", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a server already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.mcpServer(id); ok {
		t.Fatal("MCP server still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a server already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestMcpServerDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{ReloadInterval: time.Second}, nil)
	u := urn("McpServer", "s")
	in := map[string]any{"serverId": "oob-mcp", "serverName": "oob", "url": "https://mcp.example.com/oob"}
	created := h.mustCreate(u, in)
	h.emu.DeleteMcpServer("oob-mcp")
	// Every worker's registry (which a read by ID falls back to) drops it
	// on its next reload.
	h.emu.ReloadAll()
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /v1/mcp/server/oob-mcp"]; n != 1 {
		t.Fatalf("%d reads to learn that the server is gone, want 1", n)
	}
	// Within the settle time after our own write, a miss is read again
	// rather than believed at once.
	h.emu.ResetStats()
	fresh := created.Properties.Set("writtenAt", property.New(time.Now().UTC().Format(time.RFC3339Nano)))
	if read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: fresh, Inputs: inputs}); err == nil && read.ID != "" {
		t.Fatalf("a fresh miss was taken for the server: %v", read.Properties.GoString())
	}
	if n := h.emu.Stats()["GET /v1/mcp/server/oob-mcp"]; n < 2 {
		t.Fatalf("%d reads of a fresh miss, want several", n)
	}
	// An update of a server that is gone creates it again under its ID.
	in["description"] = "back"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.mcpServer("oob-mcp"); !ok || row["description"] != "back" {
		t.Fatalf("recreated server: %v", row)
	}
}

// A server made outside Pulumi under the pinned ID is never taken over
// without adoptExisting; a name another server holds fails naming it.
func TestMcpServerConflictAndAdoption(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			if code, body := h.api("POST", "/v1/mcp/server", map[string]any{"server_id": "taken", "server_name": "theirs",
				"url": "https://theirs.example.com"}); code != 201 {
				t.Fatalf("out-of-band create: %d %v", code, body)
			}
			in := map[string]any{"serverId": "taken", "serverName": "ours", "url": "https://ours.example.com"}
			_, err := h.create(urn("McpServer", "s"), in, 0)
			if err == nil || !strings.Contains(err.Error(), "MCP server taken already exists") || !strings.Contains(err.Error(), "adoptExisting") {
				t.Fatalf("create over someone else's server: %v", err)
			}
			if row, _ := h.mcpServer("taken"); row["server_name"] != "theirs" {
				t.Fatalf("their server was changed: %v", row)
			}
			_, err = h.create(urn("McpServer", "n"), map[string]any{"serverName": "THEIRS", "url": "https://x.example.com"}, 0)
			if err == nil || !strings.Contains(err.Error(), "server_id=taken") || !strings.Contains(err.Error(), "choose another") {
				t.Fatalf("create with a name another server holds: %v", err)
			}
			in["adoptExisting"] = true
			if _, err := h.create(urn("McpServer", "s"), in, 0); err != nil {
				t.Fatalf("adoptExisting: %v", err)
			}
			if row, _ := h.mcpServer("taken"); row["server_name"] != "ours" || len(h.emu.McpServers()) != 1 {
				t.Fatalf("adopted server: %v", h.emu.McpServers())
			}
		})
	}
}

// The connection drops after the proxy stored the server: the retry reads,
// recognises its own mark and sends no second create.
func TestMcpServerAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second,
		Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /v1/mcp/server"}}}, nil)
	created, err := h.create(urn("McpServer", "s"), map[string]any{"serverName": "amb", "url": "https://amb.example.com"}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if rows := h.emu.McpServers(); len(rows) != 1 || rows[0]["server_id"] != created.ID {
		t.Fatalf("servers: %v", rows)
	}
	if n := h.emu.Stats()["POST /v1/mcp/server"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// A create interrupted before the engine recorded it is found by the next
// run under the same derived ID: one server.
func TestMcpServerInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("McpServer", "s")
	in := map[string]any{"serverName": "intr", "url": "https://intr.example.com"}
	first := h.mustCreate(u, in)
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if rows := h.emu.McpServers(); len(rows) != 1 {
		t.Fatalf("servers: %v", rows)
	}
}

func TestMcpServerCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	base := func(extra map[string]any) map[string]any {
		in := map[string]any{"serverName": "ok", "url": "https://mcp.example.com"}
		for k, v := range extra {
			in[k] = v
		}
		return in
	}
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{base(map[string]any{"serverName": "git-hub"}), "serverName", `"git-hub"`},
		{base(map[string]any{"alias": "my alias"}), "alias", `"my alias"`},
		{base(map[string]any{"transport": "websocket"}), "transport", `"websocket"`},
		{base(map[string]any{"authType": "magic"}), "authType", `"magic"`},
		{base(map[string]any{"serverId": "a/b"}), "serverId", `"a/b"`},
		{base(map[string]any{"url": "ftp://x"}), "url", `ftp://x`},
		{map[string]any{"serverName": "nourl"}, "url", "required"},
		{base(map[string]any{"transport": "stdio", "args": []any{"x"}}), "command", "required"},
		{base(map[string]any{"mcpInfo": map[string]any{"extra": map[string]any{"pulumi": "x"}}}), "mcpInfo.extra", `"pulumi"`},
		{base(map[string]any{"mcpInfo": map[string]any{"mcpServerCostInfo": map[string]any{"defaultCostPerQuery": -1.0}}}),
			"mcpInfo.mcpServerCostInfo.defaultCostPerQuery", "-1"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("McpServer", "s"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

// getMcpServer finds a server just created on a proxy whose workers have
// not reloaded (its read goes to the database first); listMcpServers shows
// one worker's registry; neither returns a secret; a miss fails cleanly.
func TestMcpServerFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 5 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	created := h.mustCreate(urn("McpServer", "gh"), mcpInputs("github"))
	for i := range 3 {
		got, err := h.invoke("getMcpServer", map[string]any{"serverId": created.ID})
		if err != nil || get(got, "serverName") != "github" || get(got, "status") != "unknown" || get(got, "lastHealthCheck") == nil ||
			get(got, "mcpInfo.category") != "code" || get(got, "mcpInfo.pulumi") != nil ||
			!strings.Contains(fmtStr(get(got, "managedBy")), "::gh") || strings.Contains(got.GoString(), mcpSecret) ||
			strings.Contains(got.GoString(), "tenant-header-value-42") {
			t.Fatalf("getMcpServer (%d): %v %v", i, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getMcpServer", map[string]any{"serverId": "no-such-server"}); err == nil ||
		!strings.Contains(err.Error(), "MCP server no-such-server does not exist") {
		t.Fatalf("getMcpServer of a missing server: %v", err)
	}
	h.emu.ReloadAll()
	got, err := h.invoke("listMcpServers", nil)
	if err != nil || get(got, "mcpServers") == nil || strings.Contains(got.GoString(), mcpSecret) {
		t.Fatalf("listMcpServers: %v %v", got.GoString(), err)
	}
	rows := goValue(got.Get("mcpServers")).([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["serverId"] != created.ID {
		t.Fatalf("listMcpServers rows: %v", rows)
	}
}

// Removing credentials entirely clears them (newest: null clears; older
// proxies drop the null and keep them, which the docs say).
func TestMcpServerCredentialsRemoved(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("McpServer", "s")
	in := map[string]any{"serverId": "cred-mcp", "serverName": "cred", "url": "https://mcp.example.com/c", "authType": "bearer_token",
		"credentials": secret{map[string]any{"auth_value": mcpSecret}}}
	created := h.mustCreate(u, in)
	inputs := h.check(u, property.Map{}, pm(in))
	delete(in, "credentials")
	in["authType"] = "none"
	news := h.check(u, inputs, pm(in))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || diff.DetailedDiff["credentials"].Kind != p.Delete {
		t.Fatalf("diff: %+v %v", diff.DetailedDiff, err)
	}
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	row, _ := h.mcpServer("cred-mcp")
	if want := !userLegacyRun(); (row["credentials"] == nil) != want || row["auth_type"] != "none" {
		t.Fatalf("after removing the credentials: %v", row)
	}
}
