package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func policyInputs(name string) map[string]any {
	return map[string]any{
		"policyName":    name,
		"description":   "baseline guardrails",
		"guardrailsAdd": []string{"pii_masking", "prompt_injection"},
		"condition":     map[string]any{"model": "gpt-4.*"},
		"pipeline": map[string]any{"mode": "pre_call", "steps": []any{
			map[string]any{"guardrail": "pii_masking", "onFail": "next", "passData": true},
			map[string]any{"guardrail": "prompt_injection"},
		}},
	}
}

// production is the policy's production version on the proxy, and how
// many versions it has.
func (h *harness) production(name string) (map[string]any, int) {
	var prod map[string]any
	n := 0
	for _, v := range h.emu.Policies() {
		if v["policy_name"] != name {
			continue
		}
		n++
		if v["version_status"] == "production" {
			prod = v
		}
	}
	return prod, n
}

func TestPolicyLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Policy", "baseline")
	in := policyInputs("baseline")
	created := h.mustCreate(u, in)
	if created.ID != "baseline" || get(created.Properties, "versionNumber") != 1.0 || get(created.Properties, "policyId") == nil {
		t.Fatalf("create: %q %v", created.ID, created.Properties.GoString())
	}
	prod, n := h.production("baseline")
	if n != 1 || prod["description"] != "baseline guardrails" || fmt.Sprint(prod["guardrails_add"]) != "[pii_masking prompt_injection]" ||
		get(pm(prod), "condition.model") != "gpt-4.*" || get(pm(prod), "pipeline.mode") != "pre_call" {
		t.Fatalf("policy on the proxy: %d %v", n, prod)
	}

	// A refresh with no change shows none (the pipeline's defaults the
	// proxy fills in are no drift); an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: "baseline", Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdatePolicyVersion(fmt.Sprint(prod["policy_id"]), map[string]any{"description": "changed in the UI"})
	read, err = h.s.Read(p.ReadRequest{ID: "baseline", Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "description") != "changed in the UI" {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update: a new version, rolled out to production; the old one stays
	// as published.
	in2 := policyInputs("baseline")
	in2["guardrailsAdd"] = []string{"pii_masking"}
	in2["guardrailsRemove"] = []string{"toxicity"}
	delete(in2, "description")
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: "baseline", Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the policy: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: "baseline", Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	prod, n = h.production("baseline")
	if n != 2 || prod["version_number"] != 2.0 || fmt.Sprint(prod["guardrails_add"]) != "[pii_masking]" ||
		fmt.Sprint(prod["guardrails_remove"]) != "[toxicity]" || prod["description"] != "" || get(pm(prod), "condition.model") != "gpt-4.*" {
		t.Fatalf("after update: %d %v", n, h.emu.Policies())
	}
	if get(updated.Properties, "versionNumber") != 2.0 || get(updated.Properties, "policyId") != prod["policy_id"] {
		t.Fatalf("outputs after update: %v", updated.Properties.GoString())
	}

	// Removing the pipeline, which no version edit can clear, makes the
	// policy anew (version 1).
	in3 := policyInputs("baseline")
	delete(in3, "pipeline")
	news3 := h.check(u, news, pm(in3))
	updated, err = h.s.Update(p.UpdateRequest{ID: "baseline", Urn: u, State: updated.Properties, OldInputs: news, Inputs: news3})
	if err != nil {
		t.Fatal(err)
	}
	if prod, n = h.production("baseline"); n != 1 || prod["pipeline"] != nil || prod["description"] != "baseline guardrails" {
		t.Fatalf("after removing the pipeline: %v", h.emu.Policies())
	}

	// Import rebuilds the readable inputs, which pass Check.
	imp, err := h.s.Read(p.ReadRequest{ID: "baseline", Urn: urn("Policy", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "policyName") != "baseline" || get(imp.Inputs, "description") != "baseline guardrails" ||
		get(imp.Inputs, "condition.model") != "gpt-4.*" || get(imp.Inputs, "pipeline") != nil || get(imp.Inputs, "versionStatus") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Policy", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete (every version); a second delete is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: "baseline", Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, n := h.production("baseline"); n != 0 {
		t.Fatal("versions still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: "baseline", Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a policy already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: "baseline", Urn: u, Properties: aged(updated.Properties), Inputs: news3})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// The answer of the call that makes the new version is lost: the update
// rolls out a version all the same. The draft the lost call made is left
// behind (LiteLLM's answer was the only place its ID appeared), and is
// never promoted.
func TestPolicyUpdateWithALostAnswer(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Policy", "p")
	in := map[string]any{"policyName": "resume", "guardrailsAdd": []string{"a"}}
	created := h.mustCreate(u, in)
	inputs := h.check(u, property.Map{}, pm(in))
	in["guardrailsAdd"] = []string{"b"}
	news := h.check(u, inputs, pm(in))
	h.emu.SetFaults(emulator.Faults{DropNext: 1, Paths: []string{"POST /policies/name/resume/versions"}})
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	prod, n := h.production("resume")
	if fmt.Sprint(prod["guardrails_add"]) != "[b]" || prod["version_number"] != 3.0 || n != 3 {
		t.Fatalf("versions: %v", h.emu.Policies())
	}
	drafts := 0
	for _, v := range h.emu.Policies() {
		if v["version_status"] == "draft" {
			drafts++
		}
	}
	if drafts != 1 {
		t.Fatalf("%d drafts left, want the one of the lost answer: %v", drafts, h.emu.Policies())
	}
}

func TestPolicyDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Policy", "p")
	in := map[string]any{"policyName": "oob", "guardrailsAdd": []string{"a"}}
	created := h.mustCreate(u, in)
	if prod, _ := h.production("oob"); prod["inherit"] != nil || prod["description"] != nil || prod["pipeline"] != nil {
		t.Fatalf("unset fields were sent: %v", prod)
	}
	h.emu.DeletePolicy("oob")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /policies/name/oob/versions"]; n != 1 {
		t.Fatalf("%d reads to learn that the policy is gone, want 1", n)
	}
	in["guardrailsAdd"] = []string{"b"}
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if prod, n := h.production("oob"); n != 1 || fmt.Sprint(prod["guardrails_add"]) != "[b]" {
		t.Fatalf("recreated policy: %v", h.emu.Policies())
	}
}

// The connection drops after the proxy stored the policy: the retry reads
// it and sends no second create.
func TestPolicyAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /policies"}}}, nil)
	if _, err := h.create(urn("Policy", "p"), policyInputs("amb"), 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, n := h.production("amb"); n != 1 {
		t.Fatalf("policies: %v", h.emu.Policies())
	}
	if n := h.emu.Stats()["POST /policies"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// A create interrupted before Pulumi recorded it is adopted by the next
// run (the policy shows exactly the program's settings), with no second
// create; a policy of the same name with other settings is not taken over.
func TestPolicyInterruptedCreateAndConflict(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Policy", "p")
	first := h.mustCreate(u, policyInputs("again"))
	again, err := h.createOn(h.rerun(), u, policyInputs("again"), 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v", again.ID, err)
	}
	// The rerun's create is answered "already exists" (the name is taken)
	// and the policy it finds is this program's: no second policy.
	if _, n := h.production("again"); n != 1 {
		t.Fatalf("policies: %v", h.emu.Policies())
	}

	if code, body := h.api("POST", "/policies", map[string]any{"policy_name": "theirs", "guardrails_add": []string{"x"}}); code != 200 {
		t.Fatalf("out-of-band create: %d %v", code, body)
	}
	_, err = h.create(urn("Policy", "q"), policyInputs("theirs"), 0)
	if err == nil || !strings.Contains(err.Error(), "policy theirs already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's policy: %v", err)
	}
	if prod, n := h.production("theirs"); n != 1 || fmt.Sprint(prod["guardrails_add"]) != "[x]" {
		t.Fatalf("their policy was changed: %v", h.emu.Policies())
	}
	in := policyInputs("theirs")
	in["adoptExisting"] = true
	if _, err := h.create(urn("Policy", "q"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if prod, n := h.production("theirs"); n != 2 || fmt.Sprint(prod["guardrails_add"]) != "[pii_masking prompt_injection]" {
		t.Fatalf("adopted policy: %v", h.emu.Policies())
	}
}

func TestPolicyCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"policyName": "a b"}, "policyName", `"a b"`},
		{map[string]any{"policyName": "p", "inherit": "p"}, "inherit", `"p"`},
		{map[string]any{"policyName": "p", "guardrailsAdd": []string{""}}, "guardrailsAdd[0]", "must not be empty"},
		{map[string]any{"policyName": "p", "pipeline": map[string]any{"mode": "during", "steps": []any{map[string]any{"guardrail": "g"}}}}, "pipeline.mode", `"during"`},
		{map[string]any{"policyName": "p", "pipeline": map[string]any{"mode": "pre_call", "steps": []any{}}}, "pipeline.steps", "at least one"},
		{map[string]any{"policyName": "p", "pipeline": map[string]any{"mode": "pre_call", "steps": []any{map[string]any{"guardrail": "g", "onFail": "explode"}}}}, "pipeline.steps[0].onFail", `"explode"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Policy", "p"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

// getPolicy finds what a resource just created and misses cleanly;
// listPolicies shows every version and filters by status.
func TestPolicyFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	u := urn("Policy", "fn")
	in := policyInputs("fn-policy")
	created := h.mustCreate(u, in)
	for i := range 3 {
		got, err := h.invoke("getPolicy", map[string]any{"policyName": "fn-policy"})
		if err != nil || get(got, "versionNumber") != 1.0 || get(got, "versionStatus") != "production" ||
			get(got, "condition.model") != "gpt-4.*" || get(got, "pipeline.steps") == nil {
			t.Fatalf("getPolicy (%d): %v %v", i, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getPolicy", map[string]any{"policyName": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getPolicy of a missing policy: %v", err)
	}
	inputs := h.check(u, property.Map{}, pm(in))
	in["description"] = "v2"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	got, err := h.invoke("listPolicies", nil)
	rows, _ := get(got, "policies").([]any)
	if err != nil || len(rows) != 2 {
		t.Fatalf("listPolicies: %v %v", got.GoString(), err)
	}
	got, err = h.invoke("listPolicies", map[string]any{"versionStatus": "production"})
	rows, _ = get(got, "policies").([]any)
	if err != nil || len(rows) != 1 || get(pm(rows[0].(map[string]any)), "description") != "v2" {
		t.Fatalf("listPolicies production: %v %v", got.GoString(), err)
	}
}
