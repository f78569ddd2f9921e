package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const promptSecret = "langfuse-secret-key-0123456789"

func promptInputs(id string) map[string]any {
	return map[string]any{
		"promptId":          id,
		"promptIntegration": "dotprompt",
		"dotpromptContent":  "---\nmodel: gpt-4o\n---\nYou are a helpful assistant.",
		"litellmParams":     map[string]any{"prompt_directory": "/prompts"},
		"promptInfo":        map[string]any{"owner": "support"},
	}
}

// promptVersions lists the stored versions of id in env.
func (h *harness) promptVersions(id, env string) []map[string]any {
	var out []map[string]any
	for _, r := range h.emu.Prompts() {
		if r["prompt_id"] == id && r["environment"] == env {
			out = append(out, r)
		}
	}
	return out
}

// latestPrompt is the newest stored version of id in env (false: none).
func (h *harness) latestPrompt(id, env string) (map[string]any, bool) {
	vs := h.promptVersions(id, env)
	if len(vs) == 0 {
		return nil, false
	}
	return vs[len(vs)-1], true
}

func TestPromptLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Prompt", "support")
	in := promptInputs("support_prompt")
	in["apiKey"] = secret{promptSecret}
	created := h.mustCreate(u, in)
	if created.ID != "support_prompt" || get(created.Properties, "version") != 1.0 || get(created.Properties, "promptId") != "support_prompt" {
		t.Fatalf("created: %q %v", created.ID, created.Properties.GoString())
	}
	row, ok := h.latestPrompt("support_prompt", "development")
	if !ok || get(pm(row), "litellm_params.prompt_integration") != "dotprompt" || get(pm(row), "litellm_params.api_key") != promptSecret ||
		get(pm(row), "litellm_params.prompt_directory") != "/prompts" || get(pm(row), "prompt_info.owner") != "support" ||
		get(pm(row), "prompt_info.prompt_type") != "db" || get(pm(row), "prompt_info.pulumi.urn") != string(u) {
		t.Fatalf("prompt on the proxy: %v", row)
	}

	// A refresh with no change shows none; a version stored out of band is
	// seen (and the version output follows it).
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.AddPromptVersion("support_prompt", "development", map[string]any{"prompt_integration": "dotprompt", "dotprompt_content": "edited",
		"prompt_directory": "/prompts", "api_key": promptSecret})
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "dotpromptContent") != "edited" || get(read.Properties, "version") != 2.0 || !read.Inputs.Get("apiKey").Secret() {
		t.Fatalf("refresh after an out-of-band version: %v %v %v", read.Inputs.GoString(), read.Properties.GoString(), err)
	}

	// An update stores a new version; the resource tracks it.
	in2 := promptInputs("support_prompt")
	in2["apiKey"] = secret{promptSecret}
	in2["dotpromptContent"] = "You are a terse assistant."
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the prompt: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	vs := h.promptVersions("support_prompt", "development")
	if len(vs) != 3 || get(pm(vs[2]), "litellm_params.dotprompt_content") != "You are a terse assistant." || get(updated.Properties, "version") != 3.0 ||
		get(pm(vs[2]), "prompt_info.pulumi.urn") != string(u) {
		t.Fatalf("after update: %v %v", vs, updated.Properties.GoString())
	}

	// Another environment is another resource: changing it replaces.
	in3 := promptInputs("support_prompt")
	in3["environment"] = "production"
	d3, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: updated.Properties, OldInputs: news, Inputs: h.check(u, news, pm(in3))})
	if err != nil || d3.DetailedDiff["environment"].Kind != p.UpdateReplace || d3.DeleteBeforeReplace {
		t.Fatalf("changing the environment: %+v %v", d3, err)
	}

	// Import rebuilds the readable inputs (not the API key), which pass Check.
	imp, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: urn("Prompt", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "promptIntegration") != "dotprompt" || get(imp.Inputs, "dotpromptContent") != "You are a terse assistant." ||
		get(imp.Inputs, "litellmParams.prompt_directory") != "/prompts" || get(imp.Inputs, "apiKey") != nil ||
		get(imp.Inputs, "ignorePromptManagerModel") != nil || get(imp.Inputs, "promptInfo.owner") != "support" ||
		get(imp.Inputs, "promptInfo.pulumi") != nil || get(imp.Inputs, "promptInfo.prompt_type") != nil || get(imp.Properties, "version") != 3.0 {
		t.Fatalf("import: %v %v", imp.Inputs.GoString(), imp.Properties.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Prompt", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete removes every version in the environment; a second delete is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if vs := h.promptVersions("support_prompt", "development"); len(vs) != 0 {
		t.Fatalf("versions left after the delete: %v", vs)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a prompt already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// The delete's existence check is the answering worker's registry: right
// after the create, a worker that has not loaded the prompt answers 404;
// the provider confirms with a database read and deletes it for real.
func TestPromptDeleteRightAfterCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest}, nil)
	u := urn("Prompt", "p")
	created := h.mustCreate(u, promptInputs("fresh_prompt"))
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
		t.Fatal(err)
	}
	if vs := h.promptVersions("fresh_prompt", "development"); len(vs) != 0 {
		t.Fatalf("the prompt survived its delete: %v", vs)
	}
	if n := h.emu.Stats()["DELETE /prompts/fresh_prompt"]; n < 2 {
		t.Fatalf("%d deletes: no worker answered the 404 of a registry that had not loaded the prompt (the case this test is for)", n)
	}
}

func TestPromptDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{ReloadInterval: time.Second}, nil)
	u := urn("Prompt", "p")
	in := promptInputs("oob_prompt")
	created := h.mustCreate(u, in)
	h.emu.DeletePrompt("oob_prompt", "development")
	h.emu.ReloadAll()
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /prompts/oob_prompt"]; n != 1 {
		t.Fatalf("%d reads to learn that the prompt is gone, want 1", n)
	}
	in["dotpromptContent"] = "back"
	news := h.check(u, inputs, pm(in))
	up, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if vs := h.promptVersions("oob_prompt", "development"); len(vs) != 1 || get(pm(vs[0]), "litellm_params.dotprompt_content") != "back" ||
		get(up.Properties, "version") != 1.0 {
		t.Fatalf("recreated prompt: %v %v", vs, up.Properties.GoString())
	}
}

// A prompt made outside Pulumi under the ID is never given a version of
// ours without adoptExisting (LiteLLM's create would add one silently).
func TestPromptConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/prompts", map[string]any{"prompt_id": "taken", "litellm_params": map[string]any{"prompt_integration": "dotprompt",
		"dotprompt_content": "theirs"}}); code != 200 {
		t.Fatalf("out-of-band create: %d %v", code, body)
	}
	in := promptInputs("taken")
	_, err := h.create(urn("Prompt", "p"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "prompt taken (environment development) already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's prompt: %v", err)
	}
	if vs := h.promptVersions("taken", "development"); len(vs) != 1 {
		t.Fatalf("a version was added to their prompt: %v", vs)
	}
	// Another environment is another prompt.
	in["environment"] = "staging"
	if _, err := h.create(urn("Prompt", "s"), in, 0); err != nil {
		t.Fatalf("the same ID in another environment: %v", err)
	}
	delete(in, "environment")
	in["adoptExisting"] = true
	adopted, err := h.create(urn("Prompt", "p"), in, 0)
	if err != nil || get(adopted.Properties, "version") != 2.0 {
		t.Fatalf("adoptExisting: %v %v", err, adopted.Properties.GoString())
	}
	if row, _ := h.latestPrompt("taken", "development"); get(pm(row), "litellm_params.dotprompt_content") != in["dotpromptContent"] {
		t.Fatalf("adopted prompt: %v", row)
	}
}

func TestPromptAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second,
		Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /prompts"}}}, nil)
	created, err := h.create(urn("Prompt", "p"), promptInputs("amb_prompt"), 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if vs := h.promptVersions("amb_prompt", "development"); len(vs) != 1 || created.ID != "amb_prompt" {
		t.Fatalf("versions: %v", vs)
	}
	if n := h.emu.Stats()["POST /prompts"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

func TestPromptInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Prompt", "p")
	in := promptInputs("")
	delete(in, "promptId")
	first := h.mustCreate(u, in)
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if n := len(h.emu.Prompts()); n > 2 {
		t.Fatalf("%d versions stored by the rerun", n)
	}
}

func TestPromptCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	base := func(extra map[string]any) map[string]any {
		in := map[string]any{"promptId": "ok", "promptIntegration": "dotprompt"}
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
		{base(map[string]any{"promptId": "chat.v2"}), "promptId", `"chat.v2"`},
		{base(map[string]any{"promptIntegration": ""}), "promptIntegration", "empty"},
		{base(map[string]any{"environment": "prod env"}), "environment", `"prod env"`},
		{base(map[string]any{"apiBase": "nope"}), "apiBase", "http"},
		{base(map[string]any{"promptInfo": map[string]any{"environment": "x"}}), "promptInfo", `"environment"`},
		{base(map[string]any{"litellmParams": map[string]any{"prompt_id": "x"}}), "litellmParams", "promptId"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Prompt", "p"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestPromptFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 5 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	in := promptInputs("fn_prompt")
	in["apiKey"] = secret{promptSecret}
	h.mustCreate(urn("Prompt", "p"), in)
	for i := range 3 {
		got, err := h.invoke("getPrompt", map[string]any{"promptId": "fn_prompt"})
		if err != nil || get(got, "promptId") != "fn_prompt" || get(got, "version") != 1.0 || get(got, "promptIntegration") != "dotprompt" ||
			get(got, "litellmParams.prompt_directory") != "/prompts" || strings.Contains(got.GoString(), promptSecret) ||
			get(got, "promptInfo.pulumi") != nil || !strings.Contains(fmtStr(get(got, "managedBy")), "::p") {
			t.Fatalf("getPrompt (%d): %v %v", i, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getPrompt", map[string]any{"promptId": "fn_prompt", "environment": "production"}); err == nil ||
		!strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getPrompt in another environment: %v", err)
	}
	h.emu.ReloadAll()
	got, err := h.invoke("listPrompts", map[string]any{"environment": "development"})
	if err != nil || strings.Contains(got.GoString(), promptSecret) {
		t.Fatalf("listPrompts: %v %v", got.GoString(), err)
	}
	if rows := goValue(got.Get("prompts")).([]any); len(rows) != 1 || rows[0].(map[string]any)["promptId"] != "fn_prompt" {
		t.Fatalf("listPrompts rows: %v", rows)
	}
}
