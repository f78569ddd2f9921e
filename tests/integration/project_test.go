package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func (h *harness) project(id string) (map[string]any, bool) {
	for _, pj := range h.emu.Projects() {
		if pj["project_id"] == id {
			return pj, true
		}
	}
	return nil, false
}

// projectTeam makes the team a project belongs to, outside Pulumi.
func (h *harness) projectTeam(id string) {
	h.t.Helper()
	if code, body := h.api("POST", "/team/new", map[string]any{"team_id": id, "models": []any{"gpt-4o", "claude"},
		"max_budget": 1000}); code != 200 {
		h.t.Fatalf("team: %d %v", code, body)
	}
}

func projectInputs(team string) map[string]any {
	return map[string]any{
		"teamId":         team,
		"projectAlias":   "flight-search",
		"description":    "flight search assistant",
		"models":         []any{"gpt-4o"},
		"maxBudget":      100.0,
		"softBudget":     50.0,
		"budgetDuration": "30d",
		"rpmLimit":       60.0,
		"modelRpmLimit":  map[string]any{"gpt-4o": 30.0},
		"tags":           []any{"prod"},
		"metadata":       map[string]any{"use_case_id": "SNOW-1", "owners": map[string]any{"lead": "ana"}},
	}
}

func TestProjectLifecycle(t *testing.T) {
	// Project reads come from the database; a lagging read replica makes
	// them eventually consistent all the same.
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	h.projectTeam("proj-team")
	time.Sleep(400 * time.Millisecond) // the team reaches the replica
	u := urn("Project", "flights")
	in := projectInputs("proj-team")
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "projectId") != id {
		t.Fatalf("ID %q, projectId output %v", id, get(created.Properties, "projectId"))
	}
	row, ok := h.project(id)
	meta, _ := row["metadata"].(map[string]any)
	if !ok || row["project_alias"] != "flight-search" || row["team_id"] != "proj-team" || len(uList(row["models"])) != 1 ||
		meta["use_case_id"] != "SNOW-1" || meta["pulumi"] == nil || get(pm(meta), "model_rpm_limit.gpt-4o") != 30.0 ||
		len(uList(meta["tags"])) != 1 || get(pm(row), "litellm_budget_table.max_budget") != 100.0 ||
		get(pm(row), "litellm_budget_table.rpm_limit") != 60.0 {
		t.Fatalf("project on the proxy: %v", row)
	}
	ownBudget := row["budget_id"]

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	oob := map[string]any{"ui_note": "set in the admin UI"}
	for k, v := range meta {
		oob[k] = v
	}
	h.emu.UpdateProject(id, map[string]any{"description": "changed in the UI", "metadata": oob})
	time.Sleep(400 * time.Millisecond) // past the replica's lag
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "description") != "changed in the UI" || get(read.Inputs, "metadata.ui_note") != nil {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a new alias, budget and per-model limit, the
	// metadata changed; the key someone else set survives.
	in2 := projectInputs("proj-team")
	in2["projectAlias"] = "flight-search-v2"
	in2["maxBudget"] = 200.0
	in2["modelRpmLimit"] = map[string]any{"gpt-4o": 40.0}
	in2["metadata"] = map[string]any{"use_case_id": "SNOW-2", "owners": map[string]any{"lead": "ana"}}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the project: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.project(id)
	meta, _ = row["metadata"].(map[string]any)
	if row["project_alias"] != "flight-search-v2" || meta["use_case_id"] != "SNOW-2" || meta["ui_note"] != "set in the admin UI" ||
		meta["pulumi"] == nil || get(pm(meta), "model_rpm_limit.gpt-4o") != 40.0 || len(uList(meta["tags"])) != 1 ||
		get(pm(row), "litellm_budget_table.max_budget") != 200.0 || row["budget_id"] != ownBudget {
		t.Fatalf("after update: %v", row)
	}
	// A new team replaces the project.
	moved := projectInputs("other-team")
	diff, err = h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: h.check(u, news, pm(moved))})
	if err != nil || diff.DetailedDiff["teamId"].Kind != p.UpdateReplace {
		t.Fatalf("a new teamId: %+v %v", diff, err)
	}

	// Import rebuilds the readable inputs (the budget as budgetId), which
	// pass Check.
	time.Sleep(400 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Project", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "projectAlias") != "flight-search-v2" || get(imp.Inputs, "teamId") != "proj-team" ||
		get(imp.Inputs, "modelRpmLimit.gpt-4o") != 40.0 || get(imp.Inputs, "metadata.use_case_id") != "SNOW-2" ||
		get(imp.Inputs, "metadata.pulumi") != nil || get(imp.Inputs, "budgetId") != ownBudget || get(imp.Inputs, "maxBudget") != nil ||
		len(uList(get(imp.Inputs, "tags"))) != 1 || get(imp.Inputs, "spend") != nil || get(imp.Inputs, "projectId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Project", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.project(id); ok {
		t.Fatal("project still on the proxy")
	}
	time.Sleep(400 * time.Millisecond) // the replica still has it until then
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a project already gone: %v", err)
	}
}

func TestProjectDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.projectTeam("t")
	u := urn("Project", "pj")
	in := map[string]any{"projectId": "oob-project", "teamId": "t", "projectAlias": "a"}
	created := h.mustCreate(u, in)
	h.emu.DeleteProject("oob-project")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /project/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the project is gone, want 1", n)
	}
	// An update of a project that is gone creates it again under its ID.
	in["projectAlias"] = "b"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.project("oob-project"); !ok || row["project_alias"] != "b" {
		t.Fatalf("recreated project: %v", row)
	}
}

// A project made outside Pulumi under the pinned ID is never taken over
// without adoptExisting.
func TestProjectConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.projectTeam("t")
	if code, body := h.api("POST", "/project/new", map[string]any{"project_id": "taken", "team_id": "t", "project_alias": "theirs"}); code != 200 {
		t.Fatalf("out-of-band create: %d %v", code, body)
	}
	in := map[string]any{"projectId": "taken", "teamId": "t", "projectAlias": "ours"}
	_, err := h.create(urn("Project", "pj"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's project: %v", err)
	}
	if row, _ := h.project("taken"); row["project_alias"] != "theirs" {
		t.Fatalf("their project was changed: %v", row)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("Project", "pj"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if row, _ := h.project("taken"); row["project_alias"] != "ours" || len(h.emu.Projects()) != 1 {
		t.Fatalf("adopted project: %v", h.emu.Projects())
	}
}

// The connection drops after the proxy stored the project: the retry reads
// the ID it chose, finds its own earlier attempt and makes no second
// project.
func TestProjectAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /project/new"}}}, nil)
	h.projectTeam("t")
	created, err := h.create(urn("Project", "pj"), map[string]any{"teamId": "t", "projectAlias": "a"}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if pjs := h.emu.Projects(); len(pjs) != 1 || pjs[0]["project_alias"] != "a" || pjs[0]["project_id"] != created.ID {
		t.Fatalf("projects: %v", pjs)
	}
	if n := h.emu.Stats()["POST /project/new"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// A team created moments ago that the create's read (a lagging replica)
// does not show yet: the create waits instead of failing with "Team not
// found".
func TestProjectTeamNotVisibleYet(t *testing.T) {
	h := newHarness(t, emulator.Options{ReloadInterval: time.Second, ReplicaLag: 500 * time.Millisecond}, nil)
	h.projectTeam("fresh-team")
	if _, err := h.create(urn("Project", "pj"), map[string]any{"teamId": "fresh-team", "projectAlias": "a"}, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if pjs := h.emu.Projects(); len(pjs) != 1 || pjs[0]["team_id"] != "fresh-team" {
		t.Fatalf("projects: %v", pjs)
	}
}

// Without an Enterprise licence the proxy refuses every project write: the
// first create fails at once, saying which licence, and records nothing.
func TestProjectWithoutLicence(t *testing.T) {
	h := newHarness(t, emulator.Options{NoLicense: true}, nil)
	h.projectTeam("t")
	start := time.Now()
	resp, err := h.create(urn("Project", "pj"), map[string]any{"teamId": "t", "projectAlias": "a"}, 0)
	if err == nil || !strings.Contains(err.Error(), "LITELLM_LICENSE") || !strings.Contains(err.Error(), "Enterprise") {
		t.Fatalf("create without a licence: %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("the refusal took %v", el)
	}
	if n := h.emu.Stats()["POST /project/new"]; n != 1 || resp.ID != "" || len(h.emu.Projects()) != 0 {
		t.Fatalf("%d creates sent (want 1: no retry), recorded ID %q, projects %v", n, resp.ID, h.emu.Projects())
	}
}

// LiteLLM refuses to delete a project while a key belongs to it: the
// delete fails saying so and what to do, and succeeds once the key is gone.
func TestProjectDeleteRefusedWhileKeysAttached(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.projectTeam("t")
	u := urn("Project", "pj")
	created := h.mustCreate(u, map[string]any{"teamId": "t", "projectAlias": "a"})
	code, body := h.api("POST", "/key/generate", map[string]any{"team_id": "t"})
	if code != 200 {
		t.Fatalf("key: %d %v", code, body)
	}
	token := sha(body["key"].(string))
	if !h.emu.AttachKeyToProject(token, created.ID) {
		t.Fatal("attach")
	}
	start := time.Now()
	err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties)})
	if err == nil || !strings.Contains(err.Error(), "1 key(s) are associated") || !strings.Contains(err.Error(), "delete the project's keys") ||
		!strings.Contains(err.Error(), "project_id: null") {
		t.Fatalf("delete with a key attached: %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("the refusal took %v", el)
	}
	if _, ok := h.project(created.ID); !ok {
		t.Fatal("the project was deleted")
	}
	h.emu.DeleteKey(token)
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties)}); err != nil {
		t.Fatalf("delete once the key is gone: %v", err)
	}
	if _, ok := h.project(created.ID); ok {
		t.Fatal("project still on the proxy")
	}
}

func TestProjectCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"teamId": ""}, "teamId", "must not be empty"},
		{map[string]any{"teamId": "t", "budgetDuration": "30 days"}, "budgetDuration", `"30 days"`},
		{map[string]any{"teamId": "t", "maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"teamId": "t", "maxBudget": 5.0, "softBudget": 5.0}, "softBudget", "5"},
		{map[string]any{"teamId": "t", "budgetId": "shared", "maxBudget": 5.0}, "maxBudget", `"shared"`},
		{map[string]any{"teamId": "t", "rpmLimit": 1.5}, "rpmLimit", "1.5"},
		{map[string]any{"teamId": "t", "modelTpmLimit": map[string]any{"gpt-4o": -5.0}}, "modelTpmLimit.gpt-4o", "-5"},
		{map[string]any{"teamId": "t", "metadata": map[string]any{"pulumi": "x"}}, "metadata", "ownership mark"},
		{map[string]any{"teamId": "t", "metadata": map[string]any{"tags": []any{"a"}}}, "metadata", "tags"},
		{map[string]any{"teamId": "t", "projectId": "a/b"}, "projectId", `"a/b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Project", "pj"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}
