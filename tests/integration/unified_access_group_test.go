package integration

import (
	stdmaps "maps"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func (h *harness) accessGroup(id string) (map[string]any, bool) {
	return rowWith(h.emu.AccessGroups(), "access_group_id", id)
}

func accessGroupInputs() map[string]any {
	return map[string]any{
		"accessGroupName":    "support",
		"description":        "support tooling",
		"accessModelNames":   []string{"gpt-4o", "claude"},
		"accessMcpServerIds": []string{"srv-1"},
		"mcpToolPermissions": map[string]any{"srv-1": []string{"search", "fetch"}},
		"assignedTeamIds":    []string{"ag-team"},
	}
}

func TestUnifiedAccessGroupLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	h.mustAPI("POST", "/team/new", map[string]any{"team_id": "ag-team", "team_alias": "ag-team"})
	u := urn("UnifiedAccessGroup", "support")
	in := accessGroupInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "accessGroupId") != id {
		t.Fatalf("ID %q, accessGroupId output %v", id, get(created.Properties, "accessGroupId"))
	}
	row, ok := h.accessGroup(id)
	if !ok || row["access_group_name"] != "support" || row["description"] != "support tooling" ||
		len(row["access_model_names"].([]any)) != 2 || get(pm(row), "mcp_tool_permissions.srv-1") == nil ||
		len(row["assigned_team_ids"].([]any)) != 1 || len(row["access_agent_ids"].([]any)) != 0 {
		t.Fatalf("access group on the proxy: %v", row)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) || read.ID != id {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateAccessGroup(id, map[string]any{"description": "changed in the UI"})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "description") != "changed in the UI" {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a rename, description removed (cleared), a model
	// list changed, the tool permissions removed.
	in2 := accessGroupInputs()
	in2["accessGroupName"] = "support-v2"
	delete(in2, "description")
	delete(in2, "mcpToolPermissions")
	in2["accessModelNames"] = []string{"gpt-4o"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the group: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.accessGroup(id)
	if row["access_group_name"] != "support-v2" || row["description"] != nil || row["mcp_tool_permissions"] != nil ||
		len(row["access_model_names"].([]any)) != 1 || len(h.emu.AccessGroups()) != 1 {
		t.Fatalf("after update: %v", row)
	}
	if get(updated.Properties, "accessGroupId") != id {
		t.Fatalf("accessGroupId after update: %v", get(updated.Properties, "accessGroupId"))
	}

	// Null and empty lists are alike: [] for an unset list is no change.
	in3 := stdmaps.Clone(in2)
	in3["accessAgentIds"] = []string{}
	news3 := h.check(u, news, pm(in3))
	if diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: news3}); err != nil || diff.HasChanges {
		t.Fatalf("[] for an unset list: %+v %v", diff, err)
	}

	// Import rebuilds the readable inputs, which pass Check.
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("UnifiedAccessGroup", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "accessGroupName") != "support-v2" || len(get(imp.Inputs, "accessModelNames").([]any)) != 1 ||
		get(imp.Inputs, "accessAgentIds") != nil || get(imp.Inputs, "createdAt") != nil || get(imp.Inputs, "accessGroupId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("UnifiedAccessGroup", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a group already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.accessGroup(id); ok {
		t.Fatal("access group still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a group already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// Deleted out of band: a read of aged state says gone (one read); an
// update creates the group again under the new ID the proxy chooses, which
// the accessGroupId output and the next refresh's ID carry.
func TestUnifiedAccessGroupDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("UnifiedAccessGroup", "g")
	in := map[string]any{"accessGroupName": "oob", "accessModelNames": []string{"m1"}}
	created := h.mustCreate(u, in)
	h.emu.DeleteAccessGroup(created.ID)
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /v1/access_group/"+created.ID]; n != 1 {
		t.Fatalf("%d reads to learn that the group is gone, want 1", n)
	}
	in["accessModelNames"] = []string{"m1", "m2"}
	news := h.check(u, inputs, pm(in))
	resp, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	groups := h.emu.AccessGroups()
	if len(groups) != 1 || len(groups[0]["access_model_names"].([]any)) != 2 {
		t.Fatalf("recreated group: %v", groups)
	}
	newID := groups[0]["access_group_id"].(string)
	if newID == created.ID || get(resp.Properties, "accessGroupId") != newID {
		t.Fatalf("accessGroupId after the recreate: %v (new %s, old %s)", get(resp.Properties, "accessGroupId"), newID, created.ID)
	}
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(resp.Properties), Inputs: news})
	if err != nil || read.ID != newID {
		t.Fatalf("refresh after the recreate: ID %q %v, want %s", read.ID, err, newID)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: resp.Properties}); err != nil || len(h.emu.AccessGroups()) != 0 {
		t.Fatalf("delete of the recreated group: %v %v", err, h.emu.AccessGroups())
	}
}

// The generated-ID policy (runCreateGenerated): the create's answer is
// lost after the proxy stored the group; the retry finds it by name (it
// shows what was sent) and sends no second create.
func TestGeneratedIDAmbiguousCreateMakesNoDuplicate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /v1/access_group"}}}, nil)
	created, err := h.create(urn("UnifiedAccessGroup", "g"), map[string]any{"accessGroupName": "amb", "accessModelNames": []string{"m"}}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	groups := h.emu.AccessGroups()
	if len(groups) != 1 || groups[0]["access_group_id"] != created.ID {
		t.Fatalf("groups: %v (created %q)", groups, created.ID)
	}
	if n := h.emu.Stats()["POST /v1/access_group"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// The proxy keeps failing (503 before anything is stored) and then
// answers: nothing stored, the create is sent again, one group.
func TestGeneratedIDTransientFailuresThenCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{FailNext: 2, Paths: []string{"POST /v1/access_group"}}}, nil)
	created, err := h.create(urn("UnifiedAccessGroup", "g"), map[string]any{"accessGroupName": "flaky"}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if groups := h.emu.AccessGroups(); len(groups) != 1 || groups[0]["access_group_id"] != created.ID {
		t.Fatalf("groups: %v", groups)
	}
}

// Killed between the create and the engine recording it: the next run's
// Create finds the earlier group by name (it shows exactly this program's
// settings) and adopts it; no second one.
func TestGeneratedIDInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("UnifiedAccessGroup", "g")
	in := map[string]any{"accessGroupName": "interrupted", "accessModelNames": []string{"m"}}
	first := h.mustCreate(u, in) // its answer never reached the engine's state
	h.emu.ResetStats()
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if n := h.emu.Stats()["POST /v1/access_group"]; n != 0 {
		t.Fatalf("%d creates sent by the rerun, want 0", n)
	}
	if groups := h.emu.AccessGroups(); len(groups) != 1 {
		t.Fatalf("groups: %v", groups)
	}
}

// A group someone else made with the same name is not taken over: the
// create fails at once, naming it, and sends no create; adoptExisting
// takes it over and writes this program's settings.
func TestUnifiedAccessGroupConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	_, theirs := h.api("POST", "/v1/access_group", map[string]any{"access_group_name": "taken", "access_model_names": []string{"theirs"}})
	h.emu.ResetStats()
	in := map[string]any{"accessGroupName": "taken", "accessModelNames": []string{"ours"}}
	_, err := h.create(urn("UnifiedAccessGroup", "g"), in, 0)
	if err == nil || !strings.Contains(err.Error(), `access group "taken" already exists`) || !strings.Contains(err.Error(), "adoptExisting") ||
		!strings.Contains(err.Error(), theirs["access_group_id"].(string)) {
		t.Fatalf("create over someone else's group: %v", err)
	}
	if n := h.emu.Stats()["POST /v1/access_group"]; n != 0 {
		t.Fatalf("%d creates sent, want 0", n)
	}
	if g := h.emu.AccessGroups(); len(g) != 1 || g[0]["access_model_names"].([]any)[0] != "theirs" {
		t.Fatalf("their group was changed: %v", g)
	}
	in["adoptExisting"] = true
	created, err := h.create(urn("UnifiedAccessGroup", "g"), in, 0)
	if err != nil || created.ID != theirs["access_group_id"] {
		t.Fatalf("adoptExisting: %q %v", created.ID, err)
	}
	if g := h.emu.AccessGroups(); len(g) != 1 || g[0]["access_model_names"].([]any)[0] != "ours" {
		t.Fatalf("adopted group: %v", g)
	}
}

func TestUnifiedAccessGroupCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"accessGroupName": " "}, "accessGroupName", "must not be empty"},
		{map[string]any{"accessGroupName": "g", "assignedKeyIds": []string{"sk-1234567890abcdef"}}, "assignedKeyIds[0]", "never the key itself"},
		{map[string]any{"accessGroupName": "g", "assignedKeyIds": []string{"abc"}}, "assignedKeyIds[0]", `"abc"`},
		{map[string]any{"accessGroupName": "g", "accessModelNames": []string{""}}, "accessModelNames[0]", "must not be empty"},
		{map[string]any{"accessGroupName": "g", "mcpToolPermissions": map[string]any{"s": []string{""}}}, "mcpToolPermissions.s[0]", "must not be empty"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("UnifiedAccessGroup", "g"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
		if strings.Contains(resp.Failures[0].Reason, "sk-1234567890abcdef") {
			t.Errorf("the key is echoed: %s", resp.Failures[0].Reason)
		}
	}
}

// getUnifiedAccessGroup finds a group just created, by ID and by name, on
// a proxy with several workers; listUnifiedAccessGroups lists it; a miss
// fails cleanly.
func TestUnifiedAccessGroupFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	g := h.mustCreate(urn("UnifiedAccessGroup", "g"), map[string]any{"accessGroupName": "fn-group", "accessModelNames": []string{"m1"}})
	for _, args := range []map[string]any{{"accessGroupId": g.ID}, {"accessGroupName": "fn-group"}} {
		got, err := h.invoke("getUnifiedAccessGroup", args)
		if err != nil || get(got, "accessGroupId") != g.ID || get(got, "accessGroupName") != "fn-group" ||
			get(got, "accessModelNames") == nil || get(got, "createdAt") == nil {
			t.Fatalf("getUnifiedAccessGroup %v: %v %v", args, got.GoString(), err)
		}
	}
	list, err := h.invoke("listUnifiedAccessGroups", nil)
	if err != nil || len(get(list, "accessGroups").([]any)) != 1 || get(list, "accessGroups").([]any)[0].(map[string]any)["accessGroupId"] != g.ID {
		t.Fatalf("listUnifiedAccessGroups: %v %v", list.GoString(), err)
	}
	for _, args := range []map[string]any{{"accessGroupId": "nope"}, {"accessGroupName": "nope"}} {
		if _, err := h.invoke("getUnifiedAccessGroup", args); err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("getUnifiedAccessGroup of a missing group %v: %v", args, err)
		}
	}
	if _, err := h.invoke("getUnifiedAccessGroup", map[string]any{}); err == nil || !strings.Contains(err.Error(), "exactly one") {
		t.Fatalf("getUnifiedAccessGroup without arguments: %v", err)
	}
}

// The proxy keeps failing the create with a 5xx (nothing stored, but the
// outcome of each attempt is unknown): the create gives up with an error
// that says the next `pulumi up` looks the object up again, records
// nothing, and the next run creates exactly one group.
func TestGeneratedIDUnknownOutcomeIsSettledByTheNextRun(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{FailNext: 1000, Paths: []string{"POST /v1/access_group"}}},
		map[string]any{"maxWait": "3s"})
	u := urn("UnifiedAccessGroup", "g")
	in := map[string]any{"accessGroupName": "unknown-outcome"}
	resp, err := h.create(u, in, 0)
	if err == nil || !strings.Contains(err.Error(), "looks") || !strings.Contains(err.Error(), "up again") || resp.ID != "" {
		t.Fatalf("create: %q %v", resp.ID, err)
	}
	if n := len(h.emu.AccessGroups()); n != 0 {
		t.Fatalf("%d groups", n)
	}
	t.Logf("error: %v", err)
	h.emu.SetFaults(emulator.Faults{})
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || len(h.emu.AccessGroups()) != 1 || h.emu.AccessGroups()[0]["access_group_id"] != again.ID {
		t.Fatalf("rerun: %q %v %v", again.ID, err, h.emu.AccessGroups())
	}
}
