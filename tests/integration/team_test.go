package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func teamInputs() map[string]any {
	return map[string]any{
		"teamAlias":                "platform",
		"models":                   []any{"gpt-4o", "claude"},
		"maxBudget":                100.0,
		"budgetDuration":           "30d",
		"rpmLimit":                 600.0,
		"modelRpmLimit":            map[string]any{"gpt-4o": 100.0},
		"teamMemberBudget":         10.0,
		"teamMemberBudgetDuration": "7d",
		"metadata":                 map[string]any{"cost_center": "cc-42", "owners": map[string]any{"lead": "ana"}},
	}
}

func (h *harness) team(id string) (map[string]any, bool) {
	for _, t := range h.emu.Teams() {
		if t["team_id"] == id {
			return t, true
		}
	}
	return nil, false
}

func TestTeamLifecycle(t *testing.T) {
	// Team reads come from the database; a lagging read replica makes them
	// eventually consistent all the same.
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	u := urn("Team", "platform")
	in := teamInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "teamId") != id {
		t.Fatalf("ID %q, teamId output %v", id, get(created.Properties, "teamId"))
	}
	row, ok := h.team(id)
	meta, _ := row["metadata"].(map[string]any)
	if !ok || row["team_alias"] != "platform" || row["max_budget"] != 100.0 || row["rpm_limit"] != 600.0 ||
		meta["cost_center"] != "cc-42" || meta["pulumi"] == nil || get(pm(meta), "model_rpm_limit.gpt-4o") != 100.0 {
		t.Fatalf("team on the proxy: %v", row)
	}
	if b, _ := row["team_member_budget_table"].(map[string]any); b["max_budget"] != 10.0 || b["budget_duration"] != "7d" {
		t.Fatalf("member budget on the proxy: %v", row["team_member_budget_table"])
	}

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
	h.emu.UpdateTeam(id, map[string]any{"max_budget": 250.0, "metadata": oob})
	time.Sleep(400 * time.Millisecond) // past the replica's lag
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "maxBudget") != 250.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a new alias and per-model limit, maxBudget removed
	// (cleared on the proxy), a metadata key added. The proxy's own metadata
	// (the member budget's ID) and a key someone else set survive.
	in2 := teamInputs()
	in2["teamAlias"] = "platform-team"
	in2["modelRpmLimit"] = map[string]any{"gpt-4o": 50.0, "claude": 20.0}
	delete(in2, "maxBudget")
	in2["metadata"] = map[string]any{"cost_center": "cc-43", "owners": map[string]any{"lead": "ana"}}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the team (and would delete its keys): %+v", path, diff.DetailedDiff)
		}
	}
	budgetID := meta["team_member_budget_id"]
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.team(id)
	meta, _ = row["metadata"].(map[string]any)
	if row["team_alias"] != "platform-team" || row["max_budget"] != nil || meta["cost_center"] != "cc-43" ||
		get(pm(meta), "model_rpm_limit.claude") != 20.0 || meta["pulumi"] == nil || budgetID == nil || meta["team_member_budget_id"] != budgetID ||
		meta["ui_note"] != "set in the admin UI" {
		t.Fatalf("after update: %v", row)
	}
	if get(updated.Properties, "teamId") != id {
		t.Fatalf("teamId output after update: %v", get(updated.Properties, "teamId"))
	}

	// Import rebuilds the readable inputs (once the replica has the update).
	time.Sleep(400 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Team", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "teamAlias") != "platform-team" || get(imp.Inputs, "modelRpmLimit.claude") != 20.0 ||
		get(imp.Inputs, "teamMemberBudget") != 10.0 || get(imp.Inputs, "metadata.cost_center") != "cc-43" ||
		get(imp.Inputs, "metadata.pulumi") != nil || get(imp.Inputs, "metadata.team_member_budget_id") != nil || get(imp.Inputs, "spend") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Team", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.team(id); ok {
		t.Fatal("team still on the proxy")
	}
	time.Sleep(400 * time.Millisecond) // the replica still has it until then
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestTeamDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Team", "t")
	in := map[string]any{"teamId": "oob-team", "teamAlias": "a"}
	created := h.mustCreate(u, in)
	h.emu.DeleteTeam("oob-team")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /team/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the team is gone, want 1", n)
	}
	// An update of a team that is gone creates it again under its ID.
	in["teamAlias"] = "b"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.team("oob-team"); !ok || row["team_alias"] != "b" {
		t.Fatalf("recreated team: %v", row)
	}
}

// A team made outside Pulumi under the pinned ID is never taken over
// without adoptExisting.
func TestTeamConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/team/new", map[string]any{"team_id": "taken", "team_alias": "theirs"}); code != 200 {
		t.Fatalf("out-of-band create: %d %v", code, body)
	}
	in := map[string]any{"teamId": "taken", "teamAlias": "ours"}
	_, err := h.create(urn("Team", "t"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's team: %v", err)
	}
	if row, _ := h.team("taken"); row["team_alias"] != "theirs" {
		t.Fatalf("their team was changed: %v", row)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("Team", "t"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if row, _ := h.team("taken"); row["team_alias"] != "ours" {
		t.Fatalf("adopted team: %v", row)
	}
}

// The connection drops after the proxy stored the team: the retry finds its
// own earlier attempt and makes no second team.
func TestTeamAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /team/new"}}}, nil)
	if _, err := h.create(urn("Team", "t"), map[string]any{"teamAlias": "a"}, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if teams := h.emu.Teams(); len(teams) != 1 || teams[0]["team_alias"] != "a" {
		t.Fatalf("teams: %v", teams)
	}
}

func TestTeamCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"budgetDuration": "30 days"}, "budgetDuration", `"30 days"`},
		{map[string]any{"maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"tpmLimit": 1.5}, "tpmLimit", "1.5"},
		{map[string]any{"rpmLimitType": "fast"}, "rpmLimitType", `"fast"`},
		{map[string]any{"modelTpmLimit": map[string]any{"gpt-4o": -5.0}}, "modelTpmLimit.gpt-4o", "-5"},
		{map[string]any{"metadata": map[string]any{"pulumi": "x"}}, "metadata", "ownership mark"},
		{map[string]any{"metadata": map[string]any{"tags": []any{"a"}}}, "metadata", "tags"},
		{map[string]any{"teamId": "a/b"}, "teamId", `"a/b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Team", "t"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}
