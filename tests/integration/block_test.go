package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func teamIsBlocked(h *harness, teamID string) any {
	row, _ := h.team(teamID)
	return row["blocked"]
}

func keyIsBlocked(h *harness, token string) any {
	row, _ := h.key(token)
	return row["blocked"]
}

// blockChanges is a Diff's answer for a block whose state is the given one.
func blockChanges(t *testing.T, h *harness, u string, id string, state, inputs property.Map) p.DiffResponse {
	t.Helper()
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: urn(u, "b"), State: state, OldInputs: inputs, Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	return diff
}

func TestTeamBlockLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second, ReplicaLag: 200 * time.Millisecond}, nil)
	h.newTeam("bt")
	u := urn("TeamBlock", "b")
	in := map[string]any{"teamId": "bt"}
	created := h.mustCreate(u, in)
	if created.ID != "bt" || teamIsBlocked(h, "bt") != true || get(created.Properties, "blocked") != true {
		t.Fatalf("ID %q, blocked on the proxy %v, output %v", created.ID, teamIsBlocked(h, "bt"), get(created.Properties, "blocked"))
	}

	// No-change refresh: nothing to do.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: "bt", Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) || get(read.Properties, "blocked") != true {
		t.Fatalf("refresh without change: %v %v (%v)", read.Inputs.GoString(), read.Properties.GoString(), err)
	}
	if diff := blockChanges(t, h, "TeamBlock", "bt", read.Properties, inputs); diff.HasChanges {
		t.Fatalf("diff after a no-change refresh: %+v", diff)
	}

	// An unblock outside Pulumi: the refresh keeps the resource with
	// blocked: false, and the next up blocks again; after that, no change.
	if code, body := h.api("POST", "/team/unblock", map[string]any{"team_id": "bt"}); code != 200 {
		t.Fatalf("out-of-band unblock: %d %v", code, body)
	}
	time.Sleep(300 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: "bt", Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "bt" || get(read.Properties, "blocked") != false {
		t.Fatalf("refresh after an out-of-band unblock: %q %v %v", read.ID, read.Properties.GoString(), err)
	}
	diff := blockChanges(t, h, "TeamBlock", "bt", read.Properties, inputs)
	if !diff.HasChanges || diff.DetailedDiff["blocked"].Kind != p.Update || diff.DetailedDiff["blocked"].InputDiff {
		t.Fatalf("diff after an out-of-band unblock: %+v", diff)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: "bt", Urn: u, State: read.Properties, OldInputs: inputs, Inputs: inputs})
	if err != nil || teamIsBlocked(h, "bt") != true || get(updated.Properties, "blocked") != true {
		t.Fatalf("re-block: %v, blocked %v (%v)", updated.Properties.GoString(), teamIsBlocked(h, "bt"), err)
	}
	if diff := blockChanges(t, h, "TeamBlock", "bt", updated.Properties, inputs); diff.HasChanges {
		t.Fatalf("diff after re-blocking: %+v", diff)
	}

	// Import by team ID; the inputs pass Check.
	time.Sleep(300 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: "bt", Urn: urn("TeamBlock", "imp")})
	if err != nil || imp.ID != "bt" || get(imp.Inputs, "teamId") != "bt" || get(imp.Properties, "blocked") != true {
		t.Fatalf("import: %q %v %v", imp.ID, imp.Inputs.GoString(), err)
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("TeamBlock", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete unblocks; a team that is gone is success, and leaves the stack on refresh.
	if err := h.s.Delete(p.DeleteRequest{ID: "bt", Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if teamIsBlocked(h, "bt") != false {
		t.Fatalf("still blocked: %v", teamIsBlocked(h, "bt"))
	}
	h.emu.DeleteTeam("bt")
	if err := h.s.Delete(p.DeleteRequest{ID: "bt", Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a block whose team is gone: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if read, err := h.s.Read(p.ReadRequest{ID: "bt", Urn: u, Properties: aged(updated.Properties), Inputs: inputs}); err != nil || read.ID != "" {
		t.Fatalf("refresh of a block whose team is gone: %q %v", read.ID, err)
	}
	// Blocking a team that does not exist fails (and records nothing).
	if resp, err := h.create(urn("TeamBlock", "none"), map[string]any{"teamId": "no-such-team"}, 0); err == nil || resp.ID != "" ||
		!strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("block of a missing team: %q %v", resp.ID, err)
	}
}

// The Team resource does not own `blocked`: an update of the team keeps
// the block, and a refresh of the team shows no drift.
func TestTeamBlockAndTeamDoNotConflict(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	tu := urn("Team", "t")
	team := h.mustCreate(tu, map[string]any{"teamId": "tb", "teamAlias": "a"})
	h.mustCreate(urn("TeamBlock", "b"), map[string]any{"teamId": "tb"})
	olds := h.check(tu, property.Map{}, pm(map[string]any{"teamId": "tb", "teamAlias": "a"}))
	news := h.check(tu, olds, pm(map[string]any{"teamId": "tb", "teamAlias": "b"}))
	updated, err := h.s.Update(p.UpdateRequest{ID: "tb", Urn: tu, State: team.Properties, OldInputs: olds, Inputs: news})
	if err != nil || teamIsBlocked(h, "tb") != true {
		t.Fatalf("team update: blocked %v (%v)", teamIsBlocked(h, "tb"), err)
	}
	read, err := h.s.Read(p.ReadRequest{ID: "tb", Urn: tu, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || !read.Inputs.Equals(news) {
		t.Fatalf("team refresh: %v (%v)", read.Inputs.GoString(), err)
	}
}

// A block whose answer is lost is simply sent again (it is idempotent).
func TestTeamBlockAmbiguous(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /team/block"}}}, nil)
	h.newTeam("ab")
	if _, err := h.create(urn("TeamBlock", "b"), map[string]any{"teamId": "ab"}, 0); err != nil || teamIsBlocked(h, "ab") != true {
		t.Fatalf("block after a dropped answer: %v, blocked %v", err, teamIsBlocked(h, "ab"))
	}
}

func TestKeyBlockLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second, ReplicaLag: 200 * time.Millisecond}, nil)
	value := "sk-key-to-block-0123456789abcdefgh"
	token := sha(value)
	if code, body := h.api("POST", "/key/generate", map[string]any{"key": value, "key_alias": "blocked-one"}); code != 200 {
		t.Fatalf("key: %d %v", code, body)
	}
	u := urn("KeyBlock", "b")
	in := map[string]any{"key": secret{value}}
	created := h.mustCreate(u, in)
	if created.ID != token || keyIsBlocked(h, token) != true || get(created.Properties, "blocked") != true {
		t.Fatalf("ID %q (want the token), blocked %v", created.ID, keyIsBlocked(h, token))
	}
	if tok := created.Properties.Get("token"); !tok.Secret() || goValue(tok) != token || !created.Properties.Get("key").Secret() {
		t.Fatalf("token %v, key %v: not secret", tok, created.Properties.Get("key"))
	}

	// No-change refresh; the same key written as its token is no change.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: token, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) || get(read.Properties, "blocked") != true {
		t.Fatalf("refresh without change: %v (%v)", read.Inputs.GoString(), err)
	}
	asToken := h.check(u, inputs, pm(map[string]any{"key": token}))
	diff, err := h.s.Diff(p.DiffRequest{ID: token, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: asToken})
	if err != nil || diff.DetailedDiff["key"].Kind == p.UpdateReplace {
		t.Fatalf("the same key as its token replaces the block: %+v %v", diff, err)
	}

	// An unblock outside Pulumi plans a block again; afterwards no change.
	if code, body := h.api("POST", "/key/unblock", map[string]any{"key": token}); code != 200 {
		t.Fatalf("out-of-band unblock: %d %v", code, body)
	}
	time.Sleep(300 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: token, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != token || get(read.Properties, "blocked") != false {
		t.Fatalf("refresh after an out-of-band unblock: %q %v %v", read.ID, read.Properties.GoString(), err)
	}
	if diff := blockChanges(t, h, "KeyBlock", token, read.Properties, inputs); !diff.HasChanges || diff.DetailedDiff["blocked"].Kind != p.Update {
		t.Fatalf("diff after an out-of-band unblock: %+v", diff)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: token, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: inputs})
	if err != nil || keyIsBlocked(h, token) != true {
		t.Fatalf("re-block: blocked %v (%v)", keyIsBlocked(h, token), err)
	}
	if diff := blockChanges(t, h, "KeyBlock", token, updated.Properties, inputs); diff.HasChanges {
		t.Fatalf("diff after re-blocking: %+v", diff)
	}

	// Import by token, sha256:<token> and the raw key: the ID is the token,
	// the raw key is never stored; the inputs pass Check.
	time.Sleep(300 * time.Millisecond)
	for _, id := range []string{token, "sha256:" + token, value} {
		imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("KeyBlock", "imp")})
		if err != nil || imp.ID != token || get(imp.Inputs, "key") != token || get(imp.Properties, "blocked") != true ||
			strings.Contains(imp.Inputs.GoString()+imp.Properties.GoString(), value) {
			t.Fatalf("import %.10s…: %q %v %v", id, imp.ID, imp.Inputs.GoString(), err)
		}
		if resp, err := h.s.Check(p.CheckRequest{Urn: urn("KeyBlock", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
			t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
		}
	}

	// Delete unblocks; a key that is gone is success, and leaves the stack on refresh.
	if err := h.s.Delete(p.DeleteRequest{ID: token, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if keyIsBlocked(h, token) != false {
		t.Fatalf("still blocked: %v", keyIsBlocked(h, token))
	}
	h.emu.DeleteKey(token)
	if err := h.s.Delete(p.DeleteRequest{ID: token, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a block whose key is gone: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if read, err := h.s.Read(p.ReadRequest{ID: token, Urn: u, Properties: aged(updated.Properties), Inputs: inputs}); err != nil || read.ID != "" {
		t.Fatalf("refresh of a block whose key is gone: %q %v", read.ID, err)
	}
	// Blocking a key that does not exist fails without showing it.
	other := "sk-no-such-key-0123456789abcdefgh"
	resp, err := h.create(urn("KeyBlock", "none"), map[string]any{"key": secret{other}}, 0)
	if err == nil || resp.ID != "" || !strings.Contains(err.Error(), "does not exist") ||
		strings.Contains(err.Error(), other) || strings.Contains(err.Error(), sha(other)) {
		t.Fatalf("block of a missing key: %q %v", resp.ID, err)
	}
}

func TestTeamBlockAndKeyBlockCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		kind string
		in   map[string]any
		prop string
		want string
	}{
		{"TeamBlock", map[string]any{"teamId": "a/b"}, "teamId", `"a/b"`},
		{"TeamBlock", map[string]any{"teamId": ""}, "teamId", `""`},
		{"KeyBlock", map[string]any{"key": secret{"not-a-key-value"}}, "key", "token"},
		{"KeyBlock", map[string]any{"key": "sha256:abc"}, "key", "sk-"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn(c.kind, "t"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) ||
			strings.Contains(resp.Failures[0].Reason, "not-a-key-value") {
			t.Errorf("%s %v: %+v %v", c.kind, c.in, resp.Failures, err)
		}
	}
}
