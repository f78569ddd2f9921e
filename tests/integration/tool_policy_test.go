package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func (h *harness) tool(name string) (map[string]any, bool) {
	for _, t := range h.emu.Tools() {
		if t["tool_name"] == name {
			return t, true
		}
	}
	return nil, false
}

func TestToolPolicyLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	h.emu.DiscoverTool("github__create_issue", "github-mcp")
	u := urn("ToolPolicy", "gh")
	in := map[string]any{"toolName": "github__create_issue", "inputPolicy": "trusted"}
	created := h.mustCreate(u, in)
	if created.ID != "github__create_issue" || get(created.Properties, "origin") != "github-mcp" || get(created.Properties, "toolId") == nil {
		t.Fatalf("create: %q %v", created.ID, created.Properties.GoString())
	}
	if row, _ := h.tool("github__create_issue"); row["input_policy"] != "trusted" || row["output_policy"] != "untrusted" || len(h.emu.Tools()) != 1 {
		t.Fatalf("tool on the proxy: %v", h.emu.Tools())
	}

	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v (%v)", read.Inputs.GoString(), err)
	}
	h.emu.SetToolPolicy("github__create_issue", map[string]any{"input_policy": "blocked"})
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "inputPolicy") != "blocked" || get(read.Inputs, "outputPolicy") != nil {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update: inputPolicy removed (back to untrusted), outputPolicy set.
	in2 := map[string]any{"toolName": "github__create_issue", "outputPolicy": "trusted"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DetailedDiff["toolName"].Kind == p.UpdateReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if row, _ := h.tool("github__create_issue"); row["input_policy"] != "untrusted" || row["output_policy"] != "trusted" {
		t.Fatalf("after update: %v", row)
	}

	imp, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: urn("ToolPolicy", "imp")})
	if err != nil || get(imp.Inputs, "toolName") != "github__create_issue" || get(imp.Inputs, "outputPolicy") != "trusted" ||
		get(imp.Inputs, "inputPolicy") != "untrusted" || get(imp.Inputs, "origin") != nil {
		t.Fatalf("import: %v %v", imp.Inputs.GoString(), err)
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("ToolPolicy", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete: both policies back to LiteLLM's default; the entry stays.
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.tool("github__create_issue"); !ok || row["input_policy"] != "untrusted" || row["output_policy"] != "untrusted" {
		t.Fatalf("after delete: %v", row)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("second delete: %v", err)
	}
}

// A tool the proxy never saw is added by the create; once it is gone from
// the registry, a refresh drops it and a delete adds nothing back.
func TestToolPolicyOfAnUnseenToolAndDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("ToolPolicy", "x")
	in := map[string]any{"toolName": "dangerous_shell", "inputPolicy": "blocked"}
	created := h.mustCreate(u, in)
	if row, ok := h.tool("dangerous_shell"); !ok || row["input_policy"] != "blocked" || row["output_policy"] != "untrusted" {
		t.Fatalf("tool on the proxy: %v", h.emu.Tools())
	}
	h.emu.DeleteTool("dangerous_shell")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /v1/tool/dangerous_shell"]; n != 1 {
		t.Fatalf("%d reads to learn that the tool is gone, want 1", n)
	}
	// An update sets it again (the proxy's upsert adds the entry).
	in["outputPolicy"] = "untrusted"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.tool("dangerous_shell"); !ok || row["input_policy"] != "blocked" {
		t.Fatalf("after the update: %v", h.emu.Tools())
	}
	h.emu.DeleteTool("dangerous_shell")
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties)}); err != nil {
		t.Fatal(err)
	}
	if len(h.emu.Tools()) != 0 {
		t.Fatalf("the delete added the tool back: %v", h.emu.Tools())
	}
}

// The connection drops after the proxy stored the policy: one upsert, no
// error.
func TestToolPolicyAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /v1/tool/policy"}}}, nil)
	if _, err := h.create(urn("ToolPolicy", "x"), map[string]any{"toolName": "amb", "inputPolicy": "trusted"}, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if row, ok := h.tool("amb"); !ok || row["input_policy"] != "trusted" || h.emu.Stats()["POST /v1/tool/policy"] != 1 {
		t.Fatalf("tools: %v %v", h.emu.Tools(), h.emu.Stats())
	}
}

// Policies someone else set are not overwritten without adoptExisting;
// an interrupted create of this resource (the policies show the program)
// is taken.
func TestToolPolicyConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/v1/tool/policy", map[string]any{"tool_name": "set_by_ui", "input_policy": "blocked"}); code != 200 {
		t.Fatalf("out-of-band set: %d %v", code, body)
	}
	in := map[string]any{"toolName": "set_by_ui", "inputPolicy": "trusted"}
	_, err := h.create(urn("ToolPolicy", "x"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "tool set_by_ui already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's policy: %v", err)
	}
	if row, _ := h.tool("set_by_ui"); row["input_policy"] != "blocked" {
		t.Fatalf("their policy was changed: %v", row)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("ToolPolicy", "x"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if row, _ := h.tool("set_by_ui"); row["input_policy"] != "trusted" {
		t.Fatalf("adopted: %v", row)
	}
	// The rerun of an interrupted create finds the program's policies.
	again, err := h.createOn(h.rerun(), urn("ToolPolicy", "x"), map[string]any{"toolName": "set_by_ui", "inputPolicy": "trusted"}, 0)
	if err != nil || again.ID != "set_by_ui" {
		t.Fatalf("rerun: %q %v", again.ID, err)
	}
}

func TestToolPolicyCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"toolName": "t", "inputPolicy": "dual_llm"}, "inputPolicy", `"dual_llm"`},
		{map[string]any{"toolName": "t", "outputPolicy": "blocked"}, "outputPolicy", `"blocked"`},
		{map[string]any{"toolName": "t"}, "inputPolicy", "set inputPolicy or outputPolicy"},
		{map[string]any{"toolName": "list", "inputPolicy": "trusted"}, "toolName", `"list"`},
		{map[string]any{"toolName": "a?b", "inputPolicy": "trusted"}, "toolName", `"a?b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("ToolPolicy", "t"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestToolPolicyFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	h.emu.DiscoverTool("seen_tool", "mcp-a")
	h.mustCreate(urn("ToolPolicy", "fn"), map[string]any{"toolName": "fn_tool", "inputPolicy": "blocked"})
	for i := range 3 {
		got, err := h.invoke("getToolPolicy", map[string]any{"toolName": "fn_tool"})
		if err != nil || get(got, "inputPolicy") != "blocked" || get(got, "outputPolicy") != "untrusted" {
			t.Fatalf("getToolPolicy (%d): %v %v", i, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getToolPolicy", map[string]any{"toolName": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getToolPolicy of a missing tool: %v", err)
	}
	got, err := h.invoke("listToolPolicies", nil)
	rows, _ := get(got, "tools").([]any)
	if err != nil || len(rows) != 2 {
		t.Fatalf("listToolPolicies: %v %v", got.GoString(), err)
	}
	got, err = h.invoke("listToolPolicies", map[string]any{"inputPolicy": "blocked"})
	rows, _ = get(got, "tools").([]any)
	if err != nil || len(rows) != 1 || get(pm(rows[0].(map[string]any)), "toolName") != "fn_tool" {
		t.Fatalf("listToolPolicies blocked: %v %v", got.GoString(), err)
	}
}
