package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

// teamMemberRoles is a stored team's members_with_roles, user ID → role
// (nil: no such team).
func teamMemberRoles(h *harness, teamID string) map[string]any {
	row, ok := h.team(teamID)
	if !ok {
		return nil
	}
	out := map[string]any{}
	members, _ := row["members_with_roles"].([]any)
	for _, m := range members {
		mm, _ := m.(map[string]any)
		id, _ := mm["user_id"].(string)
		if _, dup := out[id]; dup {
			out[id+"#dup"] = mm["role"]
		}
		out[id] = mm["role"]
	}
	return out
}

// teamMemberBudget is a member's max_budget in the team (nil: none).
func teamMemberBudget(h *harness, teamID, userID string) any {
	for _, tm := range h.emu.TeamMemberships(teamID) {
		if tm["user_id"] == userID {
			b, _ := tm["litellm_budget_table"].(map[string]any)
			return b["max_budget"]
		}
	}
	return nil
}

func (h *harness) newTeam(id string) {
	h.t.Helper()
	if code, body := h.api("POST", "/team/new", map[string]any{"team_id": id, "team_alias": id}); code != 200 {
		h.t.Fatalf("team %s: %d %v", id, code, body)
	}
}

func TestTeamMemberLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second, ReplicaLag: 200 * time.Millisecond}, nil)
	h.newTeam("mt")
	u := urn("TeamMember", "ana")
	in := map[string]any{"teamId": "mt", "userId": "ana", "userEmail": "ana@example.com", "maxBudgetInTeam": 10.0}
	created := h.mustCreate(u, in)
	if created.ID != "mt:ana" {
		t.Fatalf("ID %q, want mt:ana", created.ID)
	}
	roles := teamMemberRoles(h, "mt")
	if roles["ana"] != "user" || roles["default_user_id"] != "admin" || teamMemberBudget(h, "mt", "ana") != 10.0 {
		t.Fatalf("members on the proxy: %v, budget %v", roles, teamMemberBudget(h, "mt", "ana"))
	}
	// LiteLLM creates a user_id that is no user yet with the membership.
	var user map[string]any
	for _, row := range h.emu.Users() {
		if row["user_id"] == "ana" {
			user = row
		}
	}
	if teams, _ := user["teams"].([]any); len(teams) != 1 || teams[0] != "mt" {
		t.Fatalf("user made by the add: %v", user)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	if code, body := h.api("POST", "/team/member_update", map[string]any{"team_id": "mt", "user_id": "ana", "role": "admin", "max_budget_in_team": 3}); code != 200 {
		t.Fatalf("out-of-band update: %d %v", code, body)
	}
	time.Sleep(300 * time.Millisecond) // past the replica's lag
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "role") != "admin" || get(read.Inputs, "maxBudgetInTeam") != 3.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: the role back to user (unset), a new budget.
	in2 := map[string]any{"teamId": "mt", "userId": "ana", "userEmail": "ana@example.com", "maxBudgetInTeam": 25.0}
	news := h.check(u, read.Inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DetailedDiff["role"].Kind != p.Update || diff.DetailedDiff["maxBudgetInTeam"].Kind != p.Update {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the membership: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(read.Properties), OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if roles := teamMemberRoles(h, "mt"); roles["ana"] != "user" || teamMemberBudget(h, "mt", "ana") != 25.0 {
		t.Fatalf("after update: %v, budget %v", roles, teamMemberBudget(h, "mt", "ana"))
	}

	// Removed out of band: gone after one refresh; an update adds it again.
	if code, body := h.api("POST", "/team/member_delete", map[string]any{"team_id": "mt", "user_id": "ana"}); code != 200 {
		t.Fatalf("out-of-band removal: %d %v", code, body)
	}
	time.Sleep(300 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("refresh after an out-of-band removal: %q %v", read.ID, err)
	}
	in2["maxBudgetInTeam"] = 30.0
	news2 := h.check(u, news, pm(in2))
	updated, err = h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(updated.Properties), OldInputs: news, Inputs: news2})
	if err != nil {
		t.Fatal(err)
	}
	if roles := teamMemberRoles(h, "mt"); roles["ana"] != "user" || teamMemberBudget(h, "mt", "ana") != 30.0 {
		t.Fatalf("added again: %v, budget %v", roles, teamMemberBudget(h, "mt", "ana"))
	}

	// Import by the Terraform ID format rebuilds every field but LiteLLM's
	// default role (a program leaves it unset); the inputs pass Check.
	time.Sleep(300 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: "mt:ana", Urn: urn("TeamMember", "imp")})
	if err != nil || imp.ID != "mt:ana" || get(imp.Inputs, "teamId") != "mt" || get(imp.Inputs, "userId") != "ana" ||
		get(imp.Inputs, "role") != nil || get(imp.Inputs, "maxBudgetInTeam") != 30.0 || get(imp.Inputs, "userEmail") != "ana@example.com" {
		t.Fatalf("import: %q %v %v", imp.ID, imp.Inputs.GoString(), err)
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("TeamMember", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}
	if _, err := h.s.Read(p.ReadRequest{ID: "mt:nobody", Urn: urn("TeamMember", "imp2")}); err == nil || !strings.Contains(err.Error(), "cannot import") {
		t.Fatalf("import of a non-member: %v", err)
	}

	// Delete; a delete of a membership that is already gone (LiteLLM's 400
	// "User not found in team", confirmed by /team/info) is success.
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if roles := teamMemberRoles(h, "mt"); roles["ana"] != nil || roles["default_user_id"] != "admin" {
		t.Fatalf("after delete: %v", roles)
	}
	h.emu.ResetStats()
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a member that is gone: %v", err)
	}
	if n := h.emu.Stats()["POST /team/member_delete"]; n != 1 {
		t.Fatalf("%d member_delete calls, want 1", n)
	}
}

// LiteLLM answers 400 to a member_delete of a user that is no member (its
// own test: a repeat delete gives [400, 400, 400, 400]). The provider takes
// it as "gone" only once /team/info confirms it, and a team that is gone is
// fine too.
func TestTeamMemberDeleteOfNonMember(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.newTeam("dt")
	if code, _ := h.api("POST", "/team/member_delete", map[string]any{"team_id": "dt", "user_id": "ghost"}); code != 400 {
		t.Fatalf("emulator: member_delete of a non-member answered %d, want 400", code)
	}
	u := urn("TeamMember", "ghost")
	state := pm(map[string]any{"teamId": "dt", "userId": "ghost", "writtenAt": "2001-01-01T00:00:00Z"})
	if err := h.s.Delete(p.DeleteRequest{ID: "dt:ghost", Urn: u, Properties: state}); err != nil {
		t.Fatalf("delete of a non-member: %v", err)
	}
	if n := h.emu.Stats()["GET /team/info"]; n < 2 {
		t.Fatalf("%d /team/info reads: the 400 was not confirmed", n)
	}
	h.emu.DeleteTeam("dt")
	if err := h.s.Delete(p.DeleteRequest{ID: "dt:ghost", Urn: u, Properties: state}); err != nil {
		t.Fatalf("delete in a team that is gone: %v", err)
	}
}

// A membership that existed before the resource was created is not taken
// over without adoptExisting; with it, the role and budget are set.
func TestTeamMemberConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.newTeam("ct")
	if code, body := h.api("POST", "/team/member_add", map[string]any{"team_id": "ct", "member": map[string]any{"role": "user", "user_id": "bob"}}); code != 200 {
		t.Fatalf("out-of-band add: %d %v", code, body)
	}
	in := map[string]any{"teamId": "ct", "userId": "bob", "role": "admin"}
	_, err := h.create(urn("TeamMember", "bob"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "already") || !strings.Contains(err.Error(), "adoptExisting") ||
		!strings.Contains(err.Error(), "pulumi import litellm:index:TeamMember <name> ct:bob") {
		t.Fatalf("create over an existing membership: %v", err)
	}
	if roles := teamMemberRoles(h, "ct"); roles["bob"] != "user" {
		t.Fatalf("the existing membership was changed: %v", roles)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("TeamMember", "bob"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if roles := teamMemberRoles(h, "ct"); roles["bob"] != "admin" || roles["bob#dup"] != nil {
		t.Fatalf("adopted membership: %v", roles)
	}
}

// The connection drops after the proxy added the member: the retry sees
// the add as its own (it may have landed), so there is no error, no
// conflict and no second entry.
func TestTeamMemberAmbiguousAdd(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /team/member_add"}}}, nil)
	h.newTeam("at")
	if _, err := h.create(urn("TeamMember", "cy"), map[string]any{"teamId": "at", "userId": "cy", "maxBudgetInTeam": 5.0}, 0); err != nil {
		t.Fatalf("create after a dropped answer: %v", err)
	}
	if roles := teamMemberRoles(h, "at"); roles["cy"] != "user" || roles["cy#dup"] != nil || len(roles) != 2 {
		t.Fatalf("members: %v", roles)
	}
	if n := len(h.emu.TeamMemberships("at")); n != 1 || teamMemberBudget(h, "at", "cy") != 5.0 {
		t.Fatalf("%d membership rows, budget %v", n, teamMemberBudget(h, "at", "cy"))
	}
}

// A member that was there before, whose add answer is lost: the provider
// read the team before its first add, so the membership is not taken as
// the lost add's, and the create fails as a conflict.
func TestTeamMemberConflictSurvivesADroppedAnswer(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.newTeam("dc")
	h.api("POST", "/team/member_add", map[string]any{"team_id": "dc", "member": map[string]any{"role": "user", "user_id": "dee"}})
	h.emu.SetFaults(emulator.Faults{DropNext: 1, Paths: []string{"POST /team/member_add"}})
	_, err := h.create(urn("TeamMember", "dee"), map[string]any{"teamId": "dc", "userId": "dee", "role": "admin"}, 0)
	if err == nil || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over an existing membership, answer dropped: %v", err)
	}
	if roles := teamMemberRoles(h, "dc"); roles["dee"] != "user" {
		t.Fatalf("the existing membership was changed: %v", roles)
	}
}

// A delete right after the add, on a proxy whose reads lag (the delete's
// own check and /team/info both miss the new member): the 400 is not
// believed within the replica lag, and the member does go.
func TestTeamMemberDeleteRightAfterAdd(t *testing.T) {
	h := newHarness(t, emulator.Options{ReplicaLag: 300 * time.Millisecond}, nil)
	h.newTeam("ra")
	time.Sleep(400 * time.Millisecond)
	u := urn("TeamMember", "rae")
	created := h.mustCreate(u, map[string]any{"teamId": "ra", "userId": "rae"})
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
		t.Fatal(err)
	}
	if roles := teamMemberRoles(h, "ra"); roles["rae"] != nil {
		t.Fatalf("the member is still there: %v", roles)
	}
}

func TestTeamMembersLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second, ReplicaLag: 200 * time.Millisecond}, nil)
	h.newTeam("ms")
	u := urn("TeamMembers", "ms")
	in := map[string]any{"teamId": "ms", "members": []any{
		map[string]any{"userId": "a", "maxBudgetInTeam": 10.0},
		map[string]any{"userId": "b", "role": "admin"},
	}}
	created := h.mustCreate(u, in)
	if created.ID != "ms" {
		t.Fatalf("ID %q", created.ID)
	}
	roles := teamMemberRoles(h, "ms")
	if roles["a"] != "user" || roles["b"] != "admin" || roles["default_user_id"] != "admin" || teamMemberBudget(h, "ms", "a") != 10.0 {
		t.Fatalf("members on the proxy: %v", roles)
	}
	if b := teamMemberBudget(h, "ms", "b"); b != nil { // an unset budget is never sent as 0 (a $0 budget)
		t.Fatalf("b has a budget of %v", b)
	}

	// No-change refresh; a member added outside Pulumi is never drift.
	inputs := h.check(u, property.Map{}, pm(in))
	if code, body := h.api("POST", "/team/member_add", map[string]any{"team_id": "ms", "member": map[string]any{"role": "user", "user_id": "x"}}); code != 200 {
		t.Fatalf("out-of-band add: %d %v", code, body)
	}
	time.Sleep(300 * time.Millisecond)
	read, err := h.s.Read(p.ReadRequest{ID: "ms", Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}

	// An out-of-band removal and role change are seen; the next update puts
	// them back.
	h.api("POST", "/team/member_delete", map[string]any{"team_id": "ms", "user_id": "a"})
	h.api("POST", "/team/member_update", map[string]any{"team_id": "ms", "user_id": "b", "role": "user"})
	time.Sleep(300 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: "ms", Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || len(get(read.Inputs, "members").([]any)) != 1 || get(read.Inputs, "members").([]any)[0].(map[string]any)["role"] != "user" {
		t.Fatalf("refresh after out-of-band changes: %v %v", read.Inputs.GoString(), err)
	}
	diff, err := h.s.Diff(p.DiffRequest{ID: "ms", Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: inputs})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff after drift: %+v %v", diff, err)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: "ms", Urn: u, State: aged(read.Properties), OldInputs: read.Inputs, Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	if roles := teamMemberRoles(h, "ms"); roles["a"] != "user" || roles["b"] != "admin" || teamMemberBudget(h, "ms", "a") != 10.0 {
		t.Fatalf("after putting them back: %v", roles)
	}

	// Update: b is no more listed (removed), c is new, a's budget changes; x
	// and the proxy admin are left alone.
	in2 := map[string]any{"teamId": "ms", "members": []any{
		map[string]any{"userId": "c"},
		map[string]any{"userId": "a", "maxBudgetInTeam": 20.0},
	}}
	news := h.check(u, inputs, pm(in2))
	diff, err = h.s.Diff(p.DiffRequest{ID: "ms", Urn: u, State: updated.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the member set: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err = h.s.Update(p.UpdateRequest{ID: "ms", Urn: u, State: aged(updated.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	roles = teamMemberRoles(h, "ms")
	if roles["b"] != nil || roles["c"] != "user" || roles["a"] != "user" || roles["x"] != "user" || roles["default_user_id"] != "admin" ||
		teamMemberBudget(h, "ms", "a") != 20.0 {
		t.Fatalf("after update: %v", roles)
	}
	// The order of the list does not matter.
	reordered := h.check(u, news, pm(map[string]any{"teamId": "ms", "members": []any{
		map[string]any{"userId": "a", "maxBudgetInTeam": 20.0}, map[string]any{"userId": "c"}}}))
	if diff, err := h.s.Diff(p.DiffRequest{ID: "ms", Urn: u, State: updated.Properties, OldInputs: news, Inputs: reordered}); err != nil || diff.HasChanges {
		t.Fatalf("reordered list: %+v %v", diff, err)
	}

	// Import by team ID: every member but the proxy admin; passes Check.
	time.Sleep(300 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: "ms", Urn: urn("TeamMembers", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, m := range get(imp.Inputs, "members").([]any) {
		mm := m.(map[string]any)
		got[mm["userId"].(string)] = mm["role"]
	}
	if len(got) != 3 || got["a"] != nil || got["c"] != nil || got["x"] != nil || get(imp.Inputs, "teamId") != "ms" {
		t.Fatalf("import: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("TeamMembers", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete removes exactly the managed members.
	if err := h.s.Delete(p.DeleteRequest{ID: "ms", Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	roles = teamMemberRoles(h, "ms")
	if roles["a"] != nil || roles["c"] != nil || roles["x"] != "user" || roles["default_user_id"] != "admin" {
		t.Fatalf("after delete: %v", roles)
	}
	// Delete again (members gone) and with the team gone: success.
	if err := h.s.Delete(p.DeleteRequest{ID: "ms", Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of members that are gone: %v", err)
	}
	h.emu.DeleteTeam("ms")
	if err := h.s.Delete(p.DeleteRequest{ID: "ms", Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete in a team that is gone: %v", err)
	}
}

// A listed user who is a member already fails the create before anything
// is written; adoptExisting takes it over.
func TestTeamMembersConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.newTeam("mc")
	h.api("POST", "/team/member_add", map[string]any{"team_id": "mc", "member": map[string]any{"role": "user", "user_id": "old"}})
	in := map[string]any{"teamId": "mc", "members": []any{map[string]any{"userId": "new"}, map[string]any{"userId": "old", "role": "admin"}}}
	_, err := h.create(urn("TeamMembers", "mc"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "old") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over an existing member: %v", err)
	}
	if roles := teamMemberRoles(h, "mc"); roles["new"] != nil || roles["old"] != "user" {
		t.Fatalf("something was written: %v", roles)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("TeamMembers", "mc"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if roles := teamMemberRoles(h, "mc"); roles["new"] != "user" || roles["old"] != "admin" {
		t.Fatalf("adopted: %v", roles)
	}
}

// A change that fails part way records what was done: here the removal
// keeps failing (a gateway in front of the proxy) while the add lands; the
// member that could not be removed stays in the state, and the next run
// removes it without adding anything twice.
func TestTeamMembersPartialFailureIsRecorded(t *testing.T) {
	h := newHarness(t, emulator.Options{}, map[string]any{"maxWait": "4s"})
	h.newTeam("pf")
	u := urn("TeamMembers", "pf")
	in := map[string]any{"teamId": "pf", "members": []any{map[string]any{"userId": "old"}}}
	created := h.mustCreate(u, in)
	olds := h.check(u, property.Map{}, pm(in))
	news := h.check(u, olds, pm(map[string]any{"teamId": "pf", "members": []any{map[string]any{"userId": "new"}}}))
	h.emu.SetFaults(emulator.Faults{GatewayNext: 1 << 20, Paths: []string{"POST /team/member_delete"}})
	resp, err := h.s.Update(p.UpdateRequest{ID: "pf", Urn: u, State: aged(created.Properties), OldInputs: olds, Inputs: news})
	if err == nil {
		t.Fatal("update with a failing removal: no error")
	}
	recorded := map[string]bool{}
	list, _ := get(resp.Properties, "members").([]any)
	for _, m := range list {
		recorded[m.(map[string]any)["userId"].(string)] = true
	}
	if !recorded["new"] || !recorded["old"] || len(recorded) != 2 {
		t.Fatalf("recorded members: %v", resp.Properties.GoString())
	}
	if roles := teamMemberRoles(h, "pf"); roles["new"] != "user" || roles["old"] != "user" {
		t.Fatalf("members: %v", roles)
	}
	h.emu.SetFaults(emulator.Faults{})
	state := resp.Properties
	resp, err = h.s.Update(p.UpdateRequest{ID: "pf", Urn: u, State: aged(state), OldInputs: news, Inputs: news})
	if err != nil {
		t.Fatalf("the next run: %v", err)
	}
	if roles := teamMemberRoles(h, "pf"); roles["new"] != "user" || roles["old"] != nil || roles["new#dup"] != nil {
		t.Fatalf("members after the next run: %v", roles)
	}
}

// Dropped answers of member adds make no error and no duplicate.
func TestTeamMembersAmbiguousAdds(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 2, Paths: []string{"POST /team/member_add"}}}, nil)
	h.newTeam("ma")
	in := map[string]any{"teamId": "ma", "members": []any{map[string]any{"userId": "p"}, map[string]any{"userId": "q"}}}
	if _, err := h.create(urn("TeamMembers", "ma"), in, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if roles := teamMemberRoles(h, "ma"); len(roles) != 3 || roles["p"] != "user" || roles["q"] != "user" {
		t.Fatalf("members: %v", roles)
	}
}

func TestTeamMemberCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		kind string
		in   map[string]any
		prop string
		want string
	}{
		{"TeamMember", map[string]any{"teamId": "t", "userId": "u", "role": "owner"}, "role", `"owner"`},
		{"TeamMember", map[string]any{"teamId": "t", "userId": "u", "maxBudgetInTeam": -1.0}, "maxBudgetInTeam", "-1"},
		{"TeamMember", map[string]any{"teamId": "a:b", "userId": "u"}, "teamId", `"a:b"`},
		{"TeamMember", map[string]any{"teamId": "t", "userId": " "}, "userId", "empty"},
		{"TeamMember", map[string]any{"teamId": "t", "userId": "u", "userEmail": ""}, "userEmail", "empty"},
		{"TeamMembers", map[string]any{"teamId": "t", "members": []any{map[string]any{"userId": "default_user_id"}}}, "members[0].userId", `"default_user_id"`},
		{"TeamMembers", map[string]any{"teamId": "t", "members": []any{map[string]any{"userId": "u"}, map[string]any{"userId": "u"}}}, "members[1].userId", `"u"`},
		{"TeamMembers", map[string]any{"teamId": "t", "members": []any{map[string]any{"userId": "u", "role": "root"}}}, "members[0].role", `"root"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn(c.kind, "t"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%s %v: %+v %v", c.kind, c.in, resp.Failures, err)
		}
	}
}
