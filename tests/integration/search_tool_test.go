package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const searchSecret = "tvly-secret-key-0123456789"

func searchToolInputs(name string) map[string]any {
	return map[string]any{
		"searchToolName": name,
		"litellmParams": map[string]any{
			"searchProvider":    "tavily",
			"apiKey":            secret{searchSecret},
			"apiBase":           "https://api.tavily.com",
			"timeout":           10.0,
			"maxRetries":        2.0,
			"inputCostPerQuery": 0.008,
		},
		"searchToolInfo": map[string]any{"description": "web search"},
	}
}

func (h *harness) searchTool(id string) (map[string]any, bool) {
	for _, t := range h.emu.SearchTools() {
		if t["search_tool_id"] == id {
			return t, true
		}
	}
	return nil, false
}

func TestSearchToolLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("SearchTool", "web")
	in := searchToolInputs("web")
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "searchToolId") != id {
		t.Fatalf("ID %q, searchToolId output %v", id, get(created.Properties, "searchToolId"))
	}
	if !created.Properties.Get("litellmParams").AsMap().Get("apiKey").Secret() {
		t.Fatalf("apiKey is not secret in the state: %v", created.Properties.GoString())
	}
	row, ok := h.searchTool(id)
	if !ok || row["search_tool_name"] != "web" || get(pm(row), "litellm_params.api_key") != searchSecret ||
		get(pm(row), "litellm_params.search_provider") != "tavily" || get(pm(row), "litellm_params.max_retries") != 2.0 ||
		get(pm(row), "search_tool_info.description") != "web search" || get(pm(row), "search_tool_info.pulumi.urn") != string(u) {
		t.Fatalf("tool on the proxy: %v", row)
	}

	// A refresh with no change shows none (the masked key and
	// is_from_config are no drift); an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateSearchTool(id, map[string]any{"litellm_params": map[string]any{"max_retries": 5}})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "litellmParams.maxRetries") != 5.0 || get(read.Inputs, "litellmParams.apiKey") != searchSecret {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a rename, apiBase removed, a new key.
	in2 := searchToolInputs("web-2")
	params := in2["litellmParams"].(map[string]any)
	delete(params, "apiBase")
	params["apiKey"] = secret{"tvly-new-key-9876543210"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the tool: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.searchTool(id)
	if row["search_tool_name"] != "web-2" || get(pm(row), "litellm_params.api_base") != nil ||
		get(pm(row), "litellm_params.api_key") != "tvly-new-key-9876543210" || get(pm(row), "search_tool_info.pulumi.urn") != string(u) ||
		len(h.emu.SearchTools()) != 1 {
		t.Fatalf("after update: %v", h.emu.SearchTools())
	}

	// Import rebuilds the readable inputs and leaves the masked key out.
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("SearchTool", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "searchToolName") != "web-2" || get(imp.Inputs, "litellmParams.searchProvider") != "tavily" ||
		get(imp.Inputs, "litellmParams.apiKey") != nil || get(imp.Inputs, "searchToolInfo.description") != "web search" ||
		get(imp.Inputs, "searchToolInfo.pulumi") != nil || get(imp.Inputs, "isFromConfig") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("SearchTool", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a tool already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.searchTool(id); ok {
		t.Fatal("tool still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a tool already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestSearchToolDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("SearchTool", "s")
	in := map[string]any{"searchToolName": "oob", "litellmParams": map[string]any{"searchProvider": "searxng", "apiBase": "https://searx.example.com"}}
	created := h.mustCreate(u, in)
	if row, _ := h.searchTool(created.ID); get(pm(row), "litellm_params.timeout") != nil || get(pm(row), "litellm_params.api_key") != nil {
		t.Fatalf("unset fields were sent: %v", row)
	}
	h.emu.DeleteSearchTool(created.ID)
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /search_tools/"+created.ID]; n != 1 {
		t.Fatalf("%d reads to learn that the tool is gone, want 1", n)
	}
	// An update of a tool that is gone creates it again, under a new ID.
	in["litellmParams"].(map[string]any)["timeout"] = 5.0
	news := h.check(u, inputs, pm(in))
	resp, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	newID, _ := get(resp.Properties, "searchToolId").(string)
	if row, ok := h.searchTool(newID); !ok || newID == created.ID || get(pm(row), "litellm_params.timeout") != 5.0 || len(h.emu.SearchTools()) != 1 {
		t.Fatalf("recreated tool %q: %v", newID, h.emu.SearchTools())
	}
	// The next refresh moves the resource ID to it.
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: resp.Properties, Inputs: news})
	if err != nil || read.ID != newID {
		t.Fatalf("refresh after the recreate: %q %v", read.ID, err)
	}
}

// The connection drops after the proxy stored the tool: the retry finds it
// by its name and mark, and sends no second create.
func TestSearchToolAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /search_tools"}}}, nil)
	created, err := h.create(urn("SearchTool", "s"), searchToolInputs("amb"), 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if all := h.emu.SearchTools(); len(all) != 1 || all[0]["search_tool_id"] != created.ID {
		t.Fatalf("tools: %v", all)
	}
	if n := h.emu.Stats()["POST /search_tools"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// A create whose process was killed between the proxy's commit and the
// engine's record: the next run finds the tool by its mark and adopts it.
func TestSearchToolInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("SearchTool", "s")
	in := searchToolInputs("again")
	first := h.mustCreate(u, in)
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if all := h.emu.SearchTools(); len(all) != 1 {
		t.Fatalf("tools: %v", all)
	}
	if n := h.emu.Stats()["POST /search_tools"]; n != 1 {
		t.Fatalf("%d creates, want 1", n)
	}
}

// A tool made outside Pulumi (or by another stack) with the same name is
// never taken over without adoptExisting.
func TestSearchToolConflictAndAdoption(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			if code, body := h.api("POST", "/search_tools", map[string]any{"search_tool": map[string]any{"search_tool_name": "taken",
				"litellm_params": map[string]any{"search_provider": "exa_ai"}}}); code != 200 {
				t.Fatalf("out-of-band create: %d %v", code, body)
			}
			in := searchToolInputs("taken")
			_, err := h.create(urn("SearchTool", "s"), in, 0)
			if err == nil || !strings.Contains(err.Error(), `search tool "taken" already exists`) || !strings.Contains(err.Error(), "adoptExisting") {
				t.Fatalf("create over someone else's tool: %v", err)
			}
			if all := h.emu.SearchTools(); len(all) != 1 || get(pm(all[0]), "litellm_params.search_provider") != "exa_ai" {
				t.Fatalf("their tool was changed: %v", all)
			}
			// Another stack's tool is someone else's too.
			h.mustCreate(urn("SearchTool", "mine"), searchToolInputs("mine"))
			if _, err := h.createOn(h.otherStack(), urn("SearchTool", "mine"), searchToolInputs("mine"), 0); err == nil ||
				!strings.Contains(err.Error(), "already exists") {
				t.Fatalf("another stack's create over this stack's tool: %v", err)
			}
			in["adoptExisting"] = true
			if _, err := h.create(urn("SearchTool", "s"), in, 0); err != nil {
				t.Fatalf("adoptExisting: %v", err)
			}
			all := h.emu.SearchTools()
			if len(all) != 2 || get(pm(all[0]), "litellm_params.search_provider") != "tavily" || get(pm(all[0]), "search_tool_info.pulumi") == nil {
				t.Fatalf("adopted tool: %v", all)
			}
		})
	}
}

func TestSearchToolCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	base := func(name string, params map[string]any, extra map[string]any) map[string]any {
		p := map[string]any{"searchProvider": "tavily"}
		for k, v := range params {
			p[k] = v
		}
		in := map[string]any{"searchToolName": name, "litellmParams": p}
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
		{base("a/b", nil, nil), "searchToolName", `"a/b"`},
		{base("s", map[string]any{"searchProvider": ""}, nil), "litellmParams.searchProvider", "must not be empty"},
		{base("s", map[string]any{"apiBase": "ftp://x"}, nil), "litellmParams.apiBase", "ftp://x"},
		{base("s", map[string]any{"timeout": -1.0}, nil), "litellmParams.timeout", "-1"},
		{base("s", map[string]any{"maxRetries": -2.0}, nil), "litellmParams.maxRetries", "-2"},
		{base("s", map[string]any{"inputCostPerQuery": -0.5}, nil), "litellmParams.inputCostPerQuery", "-0.5"},
		{base("s", nil, map[string]any{"searchToolInfo": map[string]any{"pulumi": "x"}}), "searchToolInfo", `"pulumi"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("SearchTool", "s"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

// getSearchTool finds what a resource just created (by ID and by name) and
// misses cleanly; listSearchTools shows the config file's tools too; no
// function returns the API key.
func TestSearchToolFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	h.emu.SetConfigSearchTools([]map[string]any{{"search_tool_name": "from-config", "litellm_params": map[string]any{"search_provider": "brave", "api_key": "brave-config-key-123"}}})
	u := urn("SearchTool", "fn")
	created := h.mustCreate(u, searchToolInputs("fn-tool"))
	for _, args := range []map[string]any{{"searchToolId": created.ID}, {"searchToolName": "fn-tool"}} {
		for i := range 3 {
			got, err := h.invoke("getSearchTool", args)
			if err != nil || get(got, "searchToolName") != "fn-tool" || get(got, "searchProvider") != "tavily" || get(got, "hasApiKey") != true ||
				get(got, "searchToolInfo.description") != "web search" || get(got, "searchToolInfo.pulumi") != nil ||
				get(got, "managedBy") != string(u) || strings.Contains(got.GoString(), "tvly") {
				t.Fatalf("getSearchTool %v (%d): %v %v", args, i, got.GoString(), err)
			}
		}
	}
	if _, err := h.invoke("getSearchTool", map[string]any{"searchToolId": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getSearchTool of a missing tool: %v", err)
	}
	if _, err := h.invoke("getSearchTool", map[string]any{"searchToolName": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getSearchTool of a missing name: %v", err)
	}
	got, err := h.invoke("listSearchTools", nil)
	if err != nil || strings.Contains(got.GoString(), "tvly") || strings.Contains(got.GoString(), "brave-config") {
		t.Fatalf("listSearchTools: %v %v", got.GoString(), err)
	}
	rows, _ := get(got, "searchTools").([]any)
	if len(rows) != 2 || get(pm(rows[0].(map[string]any)), "searchToolName") != "fn-tool" || get(pm(rows[1].(map[string]any)), "isFromConfig") != true {
		t.Fatalf("listSearchTools rows: %v", rows)
	}
}
