package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (h *harness) key(token string) (map[string]any, bool) {
	for _, k := range h.emu.Keys() {
		if k["token"] == token {
			return k, true
		}
	}
	return nil, false
}

func keyInputs(team string) map[string]any {
	return map[string]any{
		"keyAlias":       "ci-bot",
		"teamId":         team,
		"models":         []any{"gpt-4o"},
		"maxBudget":      25.0,
		"budgetDuration": "30d",
		"duration":       "90d",
		"modelMaxBudget": map[string]any{"gpt-4o": map[string]any{"budgetLimit": 10.0, "timePeriod": "30d"}},
		"modelRpmLimit":  map[string]any{"gpt-4o": 60.0},
		"metadata":       map[string]any{"owner": "ci"},
	}
}

// stateValue is the key's value in a recorded state (a secret output).
func stateValue(t *testing.T, m property.Map) string {
	t.Helper()
	v := m.Get("key")
	if !v.Secret() {
		t.Fatalf("the key output is not secret: %v", v)
	}
	s, _ := goValue(v).(string)
	return s
}

func TestKeyLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second, ReplicaLag: 200 * time.Millisecond}, nil)
	if code, body := h.api("POST", "/team/new", map[string]any{"team_id": "key-team"}); code != 200 {
		t.Fatalf("team: %d %v", code, body)
	}
	u := urn("Key", "ci")
	in := keyInputs("key-team")
	created := h.mustCreate(u, in)
	value := stateValue(t, created.Properties)
	if !strings.HasPrefix(value, "sk-") || len(value) < 27 || created.ID != sha(value) {
		t.Fatalf("value %d chars, ID %q, want the value's SHA-256", len(value), created.ID)
	}
	if tok := created.Properties.Get("token"); !tok.Secret() || goValue(tok) != created.ID {
		t.Fatalf("token output %v", tok)
	}
	row, ok := h.key(created.ID)
	meta, _ := row["metadata"].(map[string]any)
	if !ok || row["key_alias"] != "ci-bot" || row["team_id"] != "key-team" || row["max_budget"] != 25.0 || row["expires"] == nil ||
		get(pm(row), "model_max_budget.gpt-4o.budget_limit") != 10.0 || get(pm(meta), "model_rpm_limit.gpt-4o") != 60.0 ||
		meta["owner"] != "ci" || meta["pulumi"] == nil {
		t.Fatalf("key on the proxy: %v", row)
	}

	// No-change refresh; then an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) || stateValue(t, read.Properties) != value {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	if code, body := h.api("POST", "/key/update", map[string]any{"key": created.ID, "max_budget": 99}); code != 200 {
		t.Fatalf("out-of-band update: %d %v", code, body)
	}
	time.Sleep(300 * time.Millisecond) // past the replica's lag
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "maxBudget") != 99.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: alias, maxBudget removed (cleared), metadata changed;
	// the key keeps its value and its expiry is not restarted.
	expires := row["expires"]
	in2 := keyInputs("key-team")
	in2["keyAlias"] = "ci-bot-2"
	delete(in2, "maxBudget")
	in2["metadata"] = map[string]any{"owner": "platform"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the key: %+v", path, diff.DetailedDiff)
		}
	}
	time.Sleep(300 * time.Millisecond)
	updated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.key(created.ID)
	meta, _ = row["metadata"].(map[string]any)
	if row["key_alias"] != "ci-bot-2" || row["max_budget"] != nil || meta["owner"] != "platform" || meta["pulumi"] == nil ||
		get(pm(meta), "model_rpm_limit.gpt-4o") != 60.0 || row["expires"] != expires {
		t.Fatalf("after update: %v", row)
	}
	if stateValue(t, updated.Properties) != value {
		t.Fatal("an update changed the recorded value")
	}

	// Import by token, by sha256:<token> and by the raw key: the ID is the
	// token, the value is not imported.
	time.Sleep(300 * time.Millisecond)
	for _, id := range []string{created.ID, "sha256:" + created.ID, value} {
		imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Key", "imp")})
		if err != nil {
			t.Fatalf("import %.10s…: %v", id, err)
		}
		if imp.ID != created.ID || get(imp.Inputs, "keyAlias") != "ci-bot-2" || get(imp.Inputs, "teamId") != "key-team" ||
			get(imp.Inputs, "modelRpmLimit.gpt-4o") != 60.0 || get(imp.Inputs, "key") != nil || get(imp.Inputs, "metadata.pulumi") != nil ||
			get(imp.Inputs, "userId") != nil || strings.Contains(imp.Inputs.GoString(), value) {
			t.Fatalf("import %.10s…: ID %q, inputs %v", id, imp.ID, imp.Inputs.GoString())
		}
	}

	// Delete.
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.key(created.ID); ok {
		t.Fatal("key still on the proxy")
	}
}

// A rotation gives the key a new value in place: the old value is gone, the
// resource ID stays, and later writes address the new token.
func TestKeyRotation(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Key", "rot")
	in := map[string]any{"keyAlias": "rotating", "rotation": map[string]any{"month": "2026-11"}}
	created := h.mustCreate(u, in)
	old := stateValue(t, created.Properties)
	inputs := h.check(u, property.Map{}, pm(in))
	in["rotation"] = map[string]any{"month": "2026-12"}
	news := h.check(u, inputs, pm(in))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || diff.DetailedDiff["rotation"].Kind != p.Update {
		t.Fatalf("diff %+v %v", diff, err)
	}
	rotated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	value := stateValue(t, rotated.Properties)
	if value == old || goValue(rotated.Properties.Get("token")) != sha(value) {
		t.Fatalf("rotation: value changed %v, token %v", value != old, goValue(rotated.Properties.Get("token")))
	}
	if _, ok := h.key(sha(old)); ok {
		t.Fatal("the old value still works after the rotation")
	}
	if row, ok := h.key(sha(value)); !ok || row["key_alias"] != "rotating" {
		t.Fatalf("rotated key: %v", row)
	}
	// The next update and the delete address the new token.
	in["keyAlias"] = "rotated"
	news2 := h.check(u, news, pm(in))
	upd, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(rotated.Properties), OldInputs: news, Inputs: news2})
	if err != nil {
		t.Fatal(err)
	}
	if row, _ := h.key(sha(value)); row["key_alias"] != "rotated" {
		t.Fatalf("update after rotation: %v", row)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: upd.Properties}); err != nil {
		t.Fatal(err)
	}
	if n := len(h.emu.Keys()); n != 0 {
		t.Fatalf("%d keys after delete", n)
	}
}

// Replacing (deleting) a team deletes its keys on the proxy: the key's next
// update creates it again with the same value instead of failing with "Key
// not found".
func TestKeyRecreatedAfterItsTeamWasDeleted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.api("POST", "/team/new", map[string]any{"team_id": "doomed"})
	u := urn("Key", "k")
	in := map[string]any{"teamId": "doomed", "keyAlias": "k1"}
	created := h.mustCreate(u, in)
	value := stateValue(t, created.Properties)
	if code, body := h.api("POST", "/team/delete", map[string]any{"team_ids": []any{"doomed"}}); code != 200 {
		t.Fatalf("team delete: %d %v", code, body)
	}
	if _, ok := h.key(created.ID); ok {
		t.Fatal("the emulator's team delete kept the team's key")
	}
	h.api("POST", "/team/new", map[string]any{"team_id": "doomed"}) // the replacement team
	inputs := h.check(u, property.Map{}, pm(in))
	in["keyAlias"] = "k2"
	news := h.check(u, inputs, pm(in))
	upd, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatalf("update of a key its team took along: %v", err)
	}
	if row, ok := h.key(created.ID); !ok || row["key_alias"] != "k2" || stateValue(t, upd.Properties) != value {
		t.Fatalf("recreated key: %v", row)
	}
}

// A dropped create answer: the retry finds this attempt's key (same value,
// so same token) and makes no second one.
func TestKeyAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /key/generate"}}}, nil)
	created, err := h.create(urn("Key", "k"), map[string]any{"keyAlias": "once"}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if keys := h.emu.Keys(); len(keys) != 1 || keys[0]["token"] != created.ID {
		t.Fatalf("keys: %v", keys)
	}
}

// A value the program chose that another key already has: never taken over,
// whichever way the proxy answers a repeated value.
func TestKeyChosenValueOfSomeoneElse(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	theirs := "sk-theirs-0123456789abcdefghijklmn"
	if code, body := h.api("POST", "/key/generate", map[string]any{"key": theirs, "key_alias": "theirs"}); code != 200 {
		t.Fatalf("their key: %d %v", code, body)
	}
	_, err := h.create(urn("Key", "k"), map[string]any{"key": secret{theirs}, "keyAlias": "mine"}, 0)
	if err == nil || !strings.Contains(err.Error(), "already exists") || strings.Contains(err.Error(), theirs) {
		t.Fatalf("create with someone else's value: %v", err)
	}
	if row, _ := h.key(sha(theirs)); row["key_alias"] != "theirs" {
		t.Fatalf("their key was changed: %v", row)
	}
}

func TestKeyCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"key": secret{"sk-short"}}, "key", "at least 27 characters"},
		{map[string]any{"teamId": ""}, "teamId", "must not be empty"},
		{map[string]any{"duration": "forever"}, "duration", `"forever"`},
		{map[string]any{"modelMaxBudget": map[string]any{"gpt-4o": map[string]any{"budgetLimit": -1.0}}}, "modelMaxBudget.gpt-4o.budgetLimit", "-1"},
		{map[string]any{"modelMaxBudget": map[string]any{"gpt-4o": map[string]any{"timePeriod": "monthly"}}}, "modelMaxBudget.gpt-4o.timePeriod", `"monthly"`},
		{map[string]any{"metadata": map[string]any{"guardrails": []any{"x"}}}, "metadata", "guardrails"},
		{map[string]any{"rpmLimit": 2.5}, "rpmLimit", "2.5"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Key", "k"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}
