package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func (h *harness) mcpToolset(id string) (map[string]any, bool) {
	return rowWith(h.emu.McpToolsets(), "toolset_id", id)
}

func tool(server, name string) map[string]any {
	return map[string]any{"serverId": server, "toolName": name}
}

func mcpToolsetInputs() map[string]any {
	return map[string]any{
		"toolsetName": "research",
		"description": "read-only research tools",
		"tools":       []any{tool("srv-a", "search"), tool("srv-b", "fetch")},
	}
}

func TestMcpToolsetLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("McpToolset", "research")
	in := mcpToolsetInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "toolsetId") != id {
		t.Fatalf("ID %q, toolsetId output %v", id, get(created.Properties, "toolsetId"))
	}
	row, ok := h.mcpToolset(id)
	if !ok || row["toolset_name"] != "research" || row["description"] != "read-only research tools" || len(row["tools"].([]any)) != 2 {
		t.Fatalf("toolset on the proxy: %v", row)
	}

	// Tools are a set: another order, or a repeat, is no change.
	inputs := h.check(u, property.Map{}, pm(in))
	reordered := mcpToolsetInputs()
	reordered["tools"] = []any{tool("srv-b", "fetch"), tool("srv-a", "search"), tool("srv-a", "search")}
	if diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: h.check(u, inputs, pm(reordered))}); err != nil || diff.HasChanges {
		t.Fatalf("reordered tools: %+v %v", diff, err)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateMcpToolset(id, map[string]any{"tools": []any{map[string]any{"server_id": "srv-a", "tool_name": "search"}}})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || len(get(read.Inputs, "tools").([]any)) != 1 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: renamed, the description removed (cleared), the tools emptied.
	in2 := map[string]any{"toolsetName": "research-2"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the toolset: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.mcpToolset(id)
	if row["toolset_name"] != "research-2" || row["description"] != nil || len(row["tools"].([]any)) != 0 || len(h.emu.McpToolsets()) != 1 {
		t.Fatalf("after update: %v", row)
	}

	// Import rebuilds the readable inputs, which pass Check.
	h.emu.UpdateMcpToolset(id, map[string]any{"tools": []any{map[string]any{"server_id": "srv-c", "tool_name": "x"}}})
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("McpToolset", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "toolsetName") != "research-2" || get(imp.Inputs, "description") != nil ||
		get(imp.Inputs, "tools") == nil || get(imp.Inputs, "toolsetId") != nil || get(imp.Inputs, "createdBy") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("McpToolset", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a toolset already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.mcpToolset(id); ok {
		t.Fatal("toolset still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a toolset already gone: %v", err)
	}
}

// Deleted out of band: gone after one read; an update creates it again
// under a new ID.
func TestMcpToolsetDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("McpToolset", "ts")
	in := map[string]any{"toolsetName": "oob", "tools": []any{tool("s", "t")}}
	created := h.mustCreate(u, in)
	h.emu.DeleteMcpToolset(created.ID)
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" || h.emu.Stats()["GET /v1/mcp/toolset/"+created.ID] != 1 {
		t.Fatalf("read: %q %v %v", read.ID, err, h.emu.Stats())
	}
	in["description"] = "back"
	news := h.check(u, inputs, pm(in))
	resp, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	sets := h.emu.McpToolsets()
	if len(sets) != 1 || sets[0]["description"] != "back" || sets[0]["toolset_id"] == created.ID || get(resp.Properties, "toolsetId") != sets[0]["toolset_id"] {
		t.Fatalf("recreated toolset: %v %v", sets, resp.Properties.GoString())
	}
}

// A dropped create answer makes no second toolset; an interrupted create
// is adopted by the next run.
func TestMcpToolsetAmbiguousAndInterruptedCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /v1/mcp/toolset"}}}, nil)
	u := urn("McpToolset", "ts")
	in := map[string]any{"toolsetName": "amb", "tools": []any{tool("s", "t")}}
	created, err := h.create(u, in, 0)
	if err != nil || len(h.emu.McpToolsets()) != 1 || h.emu.Stats()["POST /v1/mcp/toolset"] != 1 {
		t.Fatalf("create: %v %v %v", err, h.emu.McpToolsets(), h.emu.Stats())
	}
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != created.ID || len(h.emu.McpToolsets()) != 1 || h.emu.Stats()["POST /v1/mcp/toolset"] != 1 {
		t.Fatalf("rerun: %q %v (first %q) %v", again.ID, err, created.ID, h.emu.McpToolsets())
	}
}

// A toolset someone else made with the same name is not taken over.
func TestMcpToolsetConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	_, theirs := h.api("POST", "/v1/mcp/toolset", map[string]any{"toolset_name": "taken", "tools": []any{map[string]any{"server_id": "x", "tool_name": "y"}}})
	in := map[string]any{"toolsetName": "taken"}
	_, err := h.create(urn("McpToolset", "ts"), in, 0)
	if err == nil || !strings.Contains(err.Error(), `MCP toolset "taken" already exists`) || !strings.Contains(err.Error(), theirs["toolset_id"].(string)) {
		t.Fatalf("create over someone else's toolset: %v", err)
	}
	in["adoptExisting"] = true
	in["description"] = "ours now"
	if created, err := h.create(urn("McpToolset", "ts"), in, 0); err != nil || created.ID != theirs["toolset_id"] {
		t.Fatalf("adoptExisting: %v", err)
	}
	if sets := h.emu.McpToolsets(); len(sets) != 1 || sets[0]["description"] != "ours now" {
		t.Fatalf("adopted toolset: %v", sets)
	}
}

func TestMcpToolsetCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
	}{
		{map[string]any{"toolsetName": ""}, "toolsetName"},
		{map[string]any{"toolsetName": "t", "tools": []any{tool("", "x")}}, "tools[0].serverId"},
		{map[string]any{"toolsetName": "t", "tools": []any{tool("s", "x"), tool("s", " ")}}, "tools[1].toolName"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("McpToolset", "t"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestMcpToolsetFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	ts := h.mustCreate(urn("McpToolset", "ts"), map[string]any{"toolsetName": "fn-toolset", "tools": []any{tool("srv-z", "a")}})
	h.mustCreate(urn("McpToolset", "ts2"), map[string]any{"toolsetName": "fn-other"})
	for _, args := range []map[string]any{{"toolsetId": ts.ID}, {"toolsetName": "fn-toolset"}} {
		got, err := h.invoke("getMcpToolset", args)
		if err != nil || get(got, "toolsetId") != ts.ID || get(got, "tools") == nil || get(got, "createdAt") == nil {
			t.Fatalf("getMcpToolset %v: %v %v", args, got.GoString(), err)
		}
	}
	list, err := h.invoke("listMcpToolsets", map[string]any{"serverId": "srv-z"})
	if err != nil || len(get(list, "toolsets").([]any)) != 1 {
		t.Fatalf("listMcpToolsets: %v %v", list.GoString(), err)
	}
	if _, err := h.invoke("getMcpToolset", map[string]any{"toolsetName": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getMcpToolset of a missing toolset: %v", err)
	}
}
