package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const guardSecret = "lakera-guard-api-key-0123456789"

func guardrailInputs(name string) map[string]any {
	return map[string]any{
		"guardrailName": name,
		"litellmParams": map[string]any{
			"guardrail": "lakera_v2",
			"mode":      "pre_call",
			"defaultOn": true,
			"apiKey":    secret{guardSecret},
			"apiBase":   "https://api.lakera.ai",
			"extra":     map[string]any{"project_id": "proj-1", "payload": true},
		},
		"guardrailInfo": map[string]any{"description": "prompt injection"},
	}
}

func (h *harness) guardrail(id string) (map[string]any, bool) {
	return rowWith(h.emu.Guardrails(), "guardrail_id", id)
}

func TestGuardrailLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Guardrail", "g")
	in := guardrailInputs("injection")
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "guardrailId") != id || !created.Properties.Get("litellmParams").AsMap().Get("apiKey").Secret() {
		t.Fatalf("ID %q, outputs %v", id, created.Properties.GoString())
	}
	row, ok := h.guardrail(id)
	if !ok || row["guardrail_name"] != "injection" || get(pm(row), "litellm_params.api_key") != guardSecret ||
		get(pm(row), "litellm_params.project_id") != "proj-1" || get(pm(row), "litellm_params.default_on") != true ||
		get(pm(row), "guardrail_info.description") != "prompt injection" || get(pm(row), "guardrail_info.pulumi.urn") != string(u) {
		t.Fatalf("guardrail on the proxy: %v", row)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateGuardrail(id, map[string]any{"litellm_params": map[string]any{"guardrail": "lakera_v2", "mode": "post_call",
		"api_key": guardSecret, "default_on": true, "api_base": "https://api.lakera.ai", "project_id": "proj-1", "payload": true}})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "litellmParams.mode") != "post_call" || get(read.Inputs, "litellmParams.apiKey") != guardSecret {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: the PUT replaces the whole guardrail; an extra key
	// removed disappears.
	in2 := guardrailInputs("injection-v2")
	in2["litellmParams"].(map[string]any)["extra"] = map[string]any{"project_id": "proj-2"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the guardrail: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.guardrail(id)
	if row["guardrail_name"] != "injection-v2" || get(pm(row), "litellm_params.project_id") != "proj-2" || get(pm(row), "litellm_params.payload") != nil ||
		get(pm(row), "litellm_params.mode") != "pre_call" || get(pm(row), "litellm_params.api_key") != guardSecret ||
		get(pm(row), "guardrail_info.pulumi.urn") != string(u) || get(updated.Properties, "guardrailId") != id {
		t.Fatalf("after update: %v", row)
	}

	// Import rebuilds the readable inputs, which pass Check, without the
	// masked API key.
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Guardrail", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "guardrailName") != "injection-v2" || get(imp.Inputs, "litellmParams.guardrail") != "lakera_v2" ||
		get(imp.Inputs, "litellmParams.mode") != "pre_call" || get(imp.Inputs, "litellmParams.apiKey") != nil ||
		get(imp.Inputs, "litellmParams.extra.project_id") != "proj-2" || get(imp.Inputs, "litellmParams.extra.mcp_block_behavior") != nil ||
		get(imp.Inputs, "guardrailInfo.pulumi") != nil || get(imp.Inputs, "guardrailInfo.description") != "prompt injection" ||
		strings.Contains(imp.Inputs.GoString(), "****") {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Guardrail", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a guardrail already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.guardrail(id); ok {
		t.Fatal("guardrail still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a guardrail already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// Deleted out of band: gone after one read once settled; an update creates
// it again, under a new ID the state records.
func TestGuardrailDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Guardrail", "g")
	in := guardrailInputs("oob")
	created := h.mustCreate(u, in)
	h.emu.DeleteGuardrail(created.ID)
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /guardrails/"+created.ID+"/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the guardrail is gone, want 1", n)
	}
	in["guardrailInfo"] = map[string]any{"description": "back"}
	news := h.check(u, inputs, pm(in))
	up, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	rows := h.emu.Guardrails()
	newID := get(up.Properties, "guardrailId")
	if len(rows) != 1 || rows[0]["guardrail_id"] != newID || newID == created.ID || get(pm(rows[0]), "guardrail_info.description") != "back" {
		t.Fatalf("recreated guardrail: %v (state id %v)", rows, newID)
	}
	// The next refresh answers with the new ID.
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(up.Properties), Inputs: news})
	if err != nil || read.ID != newID {
		t.Fatalf("refresh after the recreate: %q %v", read.ID, err)
	}
}

// A guardrail made outside Pulumi under the name is never taken over
// without adoptExisting.
func TestGuardrailConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/guardrails", map[string]any{"guardrail": map[string]any{"guardrail_name": "taken",
		"litellm_params": map[string]any{"guardrail": "aporia", "mode": "post_call"}}}); code != 200 {
		t.Fatalf("out-of-band create: %d %v", code, body)
	}
	in := guardrailInputs("taken")
	_, err := h.create(urn("Guardrail", "g"), in, 0)
	if err == nil || !strings.Contains(err.Error(), `guardrail "taken" already exists`) || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's guardrail: %v", err)
	}
	if rows := h.emu.Guardrails(); len(rows) != 1 || get(pm(rows[0]), "litellm_params.guardrail") != "aporia" {
		t.Fatalf("their guardrail was changed: %v", rows)
	}
	in["adoptExisting"] = true
	adopted, err := h.create(urn("Guardrail", "g"), in, 0)
	if err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if rows := h.emu.Guardrails(); len(rows) != 1 || rows[0]["guardrail_id"] != adopted.ID || get(pm(rows[0]), "litellm_params.guardrail") != "lakera_v2" {
		t.Fatalf("adopted guardrail: %v", rows)
	}
}

// The create's answer is lost: the retry finds the guardrail by its name
// and mark (the ID is the proxy's), and sends no second create.
func TestGuardrailAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /guardrails"}}}, nil)
	created, err := h.create(urn("Guardrail", "g"), guardrailInputs("amb"), 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if rows := h.emu.Guardrails(); len(rows) != 1 || rows[0]["guardrail_id"] != created.ID {
		t.Fatalf("guardrails: %v", rows)
	}
	if n := h.emu.Stats()["POST /guardrails"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// Killed between the create and the engine recording it: the next run's
// Create finds the earlier guardrail (by name and mark) and adopts it.
func TestGuardrailInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Guardrail", "g")
	first := h.mustCreate(u, guardrailInputs("intr"))
	again, err := h.createOn(h.rerun(), u, guardrailInputs("intr"), 0)
	if err != nil || again.ID != first.ID || len(h.emu.Guardrails()) != 1 {
		t.Fatalf("rerun: %q %v (first %q) %v", again.ID, err, first.ID, h.emu.Guardrails())
	}
	// Another stack with the same name does not take it.
	if _, err := h.createOn(h.otherStack(), urn("Guardrail", "x"), guardrailInputs("intr"), 0); err == nil ||
		!strings.Contains(err.Error(), "already exists") {
		t.Fatalf("another stack with this stack's guardrail name: %v", err)
	}
}

func TestGuardrailCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	params := func(extra map[string]any) map[string]any {
		p := map[string]any{"guardrail": "bedrock", "mode": "pre_call"}
		for k, v := range extra {
			p[k] = v
		}
		return map[string]any{"guardrailName": "g", "litellmParams": p}
	}
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{params(map[string]any{"mode": "before_call"}), "litellmParams.mode", `"before_call"`},
		{params(map[string]any{"guardrail": ""}), "litellmParams.guardrail", "empty"},
		{params(map[string]any{"apiBase": "nope"}), "litellmParams.apiBase", "http"},
		{params(map[string]any{"extra": map[string]any{"api_key": "x"}}), "litellmParams.extra", "apiKey"},
		{map[string]any{"guardrailName": "g", "litellmParams": map[string]any{"guardrail": "x", "mode": "pre_call"}, "guardrailInfo": map[string]any{"pulumi": 1.0}}, "guardrailInfo", `"pulumi"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Guardrail", "g"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestGuardrailFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 5 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	created := h.mustCreate(urn("Guardrail", "g"), guardrailInputs("fn-guard"))
	for _, args := range []map[string]any{{"guardrailId": created.ID}, {"guardrailName": "fn-guard"}} {
		got, err := h.invoke("getGuardrail", args)
		if err != nil || get(got, "guardrailId") != created.ID || get(got, "guardrail") != "lakera_v2" || get(got, "mode") != "pre_call" ||
			get(got, "defaultOn") != true || get(got, "litellmParams.project_id") != "proj-1" || get(got, "litellmParams.api_key") != nil ||
			strings.Contains(got.GoString(), "****") || strings.Contains(got.GoString(), guardSecret) || get(got, "guardrailInfo.pulumi") != nil ||
			!strings.Contains(fmtStr(get(got, "managedBy")), "::g") {
			t.Fatalf("getGuardrail %v: %v %v", args, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getGuardrail", map[string]any{"guardrailId": "nope"}); err == nil || !strings.Contains(err.Error(), "guardrail nope does not exist") {
		t.Fatalf("getGuardrail of a missing guardrail: %v", err)
	}
	if _, err := h.invoke("getGuardrail", map[string]any{"guardrailName": "nope"}); err == nil || !strings.Contains(err.Error(), `guardrail "nope" does not exist`) {
		t.Fatalf("getGuardrail of a missing name: %v", err)
	}
	got, err := h.invoke("listGuardrails", nil)
	if err != nil || strings.Contains(got.GoString(), guardSecret) {
		t.Fatalf("listGuardrails: %v %v", got.GoString(), err)
	}
	if rows := goValue(got.Get("guardrails")).([]any); len(rows) != 1 || rows[0].(map[string]any)["guardrailId"] != created.ID {
		t.Fatalf("listGuardrails rows: %v", rows)
	}
}
