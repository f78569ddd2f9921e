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

func (h *harness) attachment(id string) (map[string]any, bool) {
	for _, a := range h.emu.PolicyAttachments() {
		if a["attachment_id"] == id {
			return a, true
		}
	}
	return nil, false
}

// attachmentDeps makes the policy and the team an attachment names.
func attachmentDeps(h *harness) {
	h.t.Helper()
	if code, body := h.api("POST", "/policies", map[string]any{"policy_name": "pa-policy", "guardrails_add": []string{"pii"}}); code != 200 {
		h.t.Fatalf("policy: %d %v", code, body)
	}
	if code, body := h.api("POST", "/team/new", map[string]any{"team_id": "pa-team", "team_alias": "healthcare"}); code != 200 {
		h.t.Fatalf("team: %d %v", code, body)
	}
}

func attachmentInputs() map[string]any {
	return map[string]any{"policyName": "pa-policy", "teams": []string{"healthcare"}, "tags": []string{"health-*"}, "priority": 10.0}
}

func TestPolicyAttachmentLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	attachmentDeps(h)
	u := urn("PolicyAttachment", "pa")
	in := attachmentInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "attachmentId") != id {
		t.Fatalf("ID %q, attachmentId %v", id, get(created.Properties, "attachmentId"))
	}
	row, ok := h.attachment(id)
	if !ok || row["policy_name"] != "pa-policy" || fmt.Sprint(row["teams"]) != "[healthcare]" || fmt.Sprint(row["tags"]) != "[health-*]" ||
		row["priority"] != 10.0 || row["is_default"] != false || row["scope"] != nil {
		t.Fatalf("attachment on the proxy: %v", row)
	}

	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v (%v)", read.Inputs.GoString(), err)
	}
	h.emu.UpdatePolicyAttachment(id, map[string]any{"priority": 3.0})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "priority") != 3.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Any change replaces (LiteLLM has no update), the new one first.
	in2 := attachmentInputs()
	in2["models"] = []string{"gpt-*"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace || diff.DetailedDiff["models"].Kind != p.AddReplace && diff.DetailedDiff["models"].Kind != p.UpdateReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}

	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("PolicyAttachment", "imp")})
	if err != nil || get(imp.Inputs, "policyName") != "pa-policy" || get(imp.Inputs, "priority") != 3.0 || get(imp.Inputs, "default") != nil ||
		get(imp.Inputs, "keys") != nil || get(imp.Inputs, "attachmentId") != nil {
		t.Fatalf("import: %v %v", imp.Inputs.GoString(), err)
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("PolicyAttachment", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: read.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.attachment(id); ok {
		t.Fatal("attachment still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(read.Properties)}); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// A dropped create answer: the retry finds the attachment (it shows what
// was sent) and creates no second one; a rerun after a create Pulumi never
// recorded adopts it.
func TestPolicyAttachmentAmbiguousAndInterruptedCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /policies/attachments"}}}, nil)
	attachmentDeps(h)
	u := urn("PolicyAttachment", "pa")
	created, err := h.create(u, attachmentInputs(), 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if all := h.emu.PolicyAttachments(); len(all) != 1 || all[0]["attachment_id"] != created.ID || h.emu.Stats()["POST /policies/attachments"] != 1 {
		t.Fatalf("attachments: %v", all)
	}
	again, err := h.createOn(h.rerun(), u, attachmentInputs(), 0)
	if err != nil || again.ID != created.ID || len(h.emu.PolicyAttachments()) != 1 || h.emu.Stats()["POST /policies/attachments"] != 1 {
		t.Fatalf("rerun: %q %v %v", again.ID, err, h.emu.PolicyAttachments())
	}
	// Another attachment of the same policy with other settings is not ours.
	other := attachmentInputs()
	other["priority"] = 20.0
	o, err := h.create(urn("PolicyAttachment", "other"), other, 0)
	if err != nil || o.ID == created.ID || len(h.emu.PolicyAttachments()) != 2 {
		t.Fatalf("second attachment: %q %v", o.ID, err)
	}
}

func TestPolicyAttachmentDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	attachmentDeps(h)
	u := urn("PolicyAttachment", "pa")
	in := map[string]any{"policyName": "pa-policy", "scope": "*"}
	created := h.mustCreate(u, in)
	h.emu.DeletePolicyAttachment(created.ID)
	h.emu.ResetStats()
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: h.check(u, property.Map{}, pm(in))})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /policies/attachments/"+created.ID]; n != 1 {
		t.Fatalf("%d reads to learn that the attachment is gone, want 1", n)
	}
}

// The proxy checks a concrete model against the answering worker's router:
// a model created moments ago is waited for; a policy that does not exist
// fails with a hint.
func TestPolicyAttachmentScopeChecks(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest}, nil)
	attachmentDeps(h)
	h.mustCreate(urn("Model", "m"), modelInputs("pa-model"))
	if _, err := h.create(urn("PolicyAttachment", "m"), map[string]any{"policyName": "pa-policy", "models": []string{"pa-model"}}, 0); err != nil {
		t.Fatalf("attachment naming a model just created: %v", err)
	}
	t.Logf("creates of the attachment naming a model just created: %d", h.emu.Stats()["POST /policies/attachments"])
	_, err := h.create(urn("PolicyAttachment", "x"), map[string]any{"policyName": "no-such-policy", "scope": "*"}, 0)
	if err == nil || !strings.Contains(err.Error(), "Create the policy first") || !strings.Contains(err.Error(), "litellm:index:Policy") {
		t.Fatalf("attachment of a missing policy: %v", err)
	}
	_, err = h.create(urn("PolicyAttachment", "y"), map[string]any{"policyName": "pa-policy", "teams": []string{"no-such-team"}}, 0)
	if err == nil || !strings.Contains(err.Error(), "Team 'no-such-team' does not exist") {
		t.Fatalf("attachment of a missing team: %v", err)
	}
}

func TestPolicyAttachmentCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"policyName": "p", "scope": "global"}, "scope", `"global"`},
		{map[string]any{"policyName": "p"}, "scope", "applies nowhere"},
		{map[string]any{"policyName": "p", "teams": []string{""}}, "teams[0]", "must not be empty"},
		{map[string]any{"policyName": "a/b", "scope": "*"}, "policyName", `"a/b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("PolicyAttachment", "p"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestPolicyAttachmentFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	attachmentDeps(h)
	created := h.mustCreate(urn("PolicyAttachment", "fn"), attachmentInputs())
	for i := range 3 {
		got, err := h.invoke("getPolicyAttachment", map[string]any{"attachmentId": created.ID})
		if err != nil || get(got, "policyName") != "pa-policy" || get(got, "priority") != 10.0 || get(got, "definitionLocation") != "db" {
			t.Fatalf("getPolicyAttachment (%d): %v %v", i, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getPolicyAttachment", map[string]any{"attachmentId": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getPolicyAttachment of a missing one: %v", err)
	}
	got, err := h.invoke("listPolicyAttachments", map[string]any{"policyName": "pa-policy"})
	rows, _ := get(got, "attachments").([]any)
	if err != nil || len(rows) != 1 {
		t.Fatalf("listPolicyAttachments: %v %v", got.GoString(), err)
	}
	got, _ = h.invoke("listPolicyAttachments", map[string]any{"policyName": "other"})
	if rows, _ := get(got, "attachments").([]any); len(rows) != 0 {
		t.Fatalf("listPolicyAttachments other: %v", got.GoString())
	}
}
