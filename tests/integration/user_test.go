package integration

import (
	"os"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func userInputs() map[string]any {
	return map[string]any{
		"userEmail":      "ana@example.com",
		"userAlias":      "Ana",
		"userRole":       "internal_user",
		"models":         []any{"gpt-4o", "claude"},
		"maxBudget":      100.0,
		"budgetDuration": "30d",
		"tpmLimit":       10000.0,
		"rpmLimit":       60.0,
		"metadata":       map[string]any{"cost_center": "cc-42", "owners": map[string]any{"lead": "ana"}},
	}
}

func (h *harness) user(id string) (map[string]any, bool) {
	for _, u := range h.emu.Users() {
		if u["user_id"] == id {
			return u, true
		}
	}
	return nil, false
}

// keysOf lists the keys the proxy holds for a user (none should be minted).
func (h *harness) userKeys(id string) []map[string]any {
	var out []map[string]any
	for _, k := range h.emu.Keys() {
		if k["user_id"] == id {
			out = append(out, k)
		}
	}
	return out
}

// uList and uMap read a decoded JSON value as a list or an object (nil if it is not one).
func uList(v any) []any {
	l, _ := v.([]any)
	return l
}

func uMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func userLegacyRun() bool { return os.Getenv("LITELLM_EMULATOR_VERSION") == emulator.VersionLegacy }

func TestUserLifecycle(t *testing.T) {
	// User reads come from the database; a lagging read replica makes them
	// eventually consistent all the same.
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	u := urn("User", "ana")
	in := userInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "userId") != id {
		t.Fatalf("ID %q, userId output %v", id, get(created.Properties, "userId"))
	}
	row, ok := h.user(id)
	meta, _ := row["metadata"].(map[string]any)
	if !ok || row["user_email"] != "ana@example.com" || row["user_alias"] != "Ana" || row["user_role"] != "internal_user" ||
		row["max_budget"] != 100.0 || row["tpm_limit"] != 10000.0 || row["rpm_limit"] != 60.0 || row["budget_duration"] != "30d" ||
		meta["cost_center"] != "cc-42" || meta["pulumi"] == nil || len(uList(row["models"])) != 2 {
		t.Fatalf("user on the proxy: %v", row)
	}
	if keys := h.userKeys(id); len(keys) != 0 {
		t.Fatalf("the create minted a key for the user: %v", keys)
	}

	// A refresh with no change shows none; an out-of-band change is seen,
	// and team memberships are read back as an output, never as inputs.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	oob := map[string]any{"ui_note": "set in the admin UI"}
	for k, v := range meta {
		oob[k] = v
	}
	h.emu.UpdateUser(id, map[string]any{"max_budget": 250.0, "metadata": oob, "teams": []any{"team-a"}})
	time.Sleep(400 * time.Millisecond) // past the replica's lag
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "maxBudget") != 250.0 || get(read.Inputs, "metadata.ui_note") != nil {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}
	if teams, _ := get(read.Properties, "teams").([]any); len(teams) != 1 || teams[0] != "team-a" || get(read.Inputs, "teams") != nil {
		t.Fatalf("teams after refresh: outputs %v, inputs %v", teams, read.Inputs.GoString())
	}

	// Update in place: a new alias, role and limit, maxBudget removed
	// (cleared where LiteLLM accepts a null budget), a metadata key
	// changed. A key someone else set survives; memberships are not sent.
	in2 := userInputs()
	in2["userAlias"] = "Ana B."
	in2["userRole"] = "internal_user_viewer"
	in2["rpmLimit"] = 120.0
	delete(in2, "maxBudget")
	in2["metadata"] = map[string]any{"cost_center": "cc-43", "owners": map[string]any{"lead": "ana"}}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the user (and would delete its keys): %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.user(id)
	meta, _ = row["metadata"].(map[string]any)
	wantBudget := any(nil)
	if userLegacyRun() {
		wantBudget = 250.0 // older proxies ignore a null max_budget
	}
	if row["user_alias"] != "Ana B." || row["user_role"] != "internal_user_viewer" || row["rpm_limit"] != 120.0 ||
		row["max_budget"] != wantBudget || meta["cost_center"] != "cc-43" || meta["pulumi"] == nil ||
		meta["ui_note"] != "set in the admin UI" || len(uList(row["teams"])) != 1 {
		t.Fatalf("after update: %v", row)
	}
	if teams, _ := get(updated.Properties, "teams").([]any); get(updated.Properties, "userId") != id || len(teams) != 1 {
		t.Fatalf("outputs after update: %v", updated.Properties.GoString())
	}

	// Import rebuilds the readable inputs (once the replica has the update).
	time.Sleep(400 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("User", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "userAlias") != "Ana B." || get(imp.Inputs, "userEmail") != "ana@example.com" ||
		get(imp.Inputs, "rpmLimit") != 120.0 || get(imp.Inputs, "metadata.cost_center") != "cc-43" ||
		get(imp.Inputs, "metadata.pulumi") != nil || get(imp.Inputs, "spend") != nil || get(imp.Inputs, "teams") != nil ||
		len(uList(get(imp.Inputs, "models"))) != 2 || get(imp.Inputs, "userId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("User", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.user(id); ok {
		t.Fatal("user still on the proxy")
	}
	time.Sleep(400 * time.Millisecond) // the replica still has it until then
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestUserDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("User", "u")
	in := map[string]any{"userId": "oob-user", "userAlias": "a"}
	created := h.mustCreate(u, in)
	h.emu.DeleteUser("oob-user")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /user/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the user is gone, want 1", n)
	}
	// An update of a user that is gone creates it again under its ID.
	in["userAlias"] = "b"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.user("oob-user"); !ok || row["user_alias"] != "b" || uMap(row["metadata"])["pulumi"] == nil {
		t.Fatalf("recreated user: %v", row)
	}
}

// A user made outside Pulumi under the pinned ID is never taken over
// without adoptExisting, also on proxies that answer 200 to an existing
// user_id without writing.
func TestUserConflictAndAdoption(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			if code, body := h.api("POST", "/user/new", map[string]any{"user_id": "taken", "user_alias": "theirs", "auto_create_key": false}); code != 200 {
				t.Fatalf("out-of-band create: %d %v", code, body)
			}
			in := map[string]any{"userId": "taken", "userAlias": "ours"}
			_, err := h.create(urn("User", "u"), in, 0)
			if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptExisting") {
				t.Fatalf("create over someone else's user: %v", err)
			}
			if row, _ := h.user("taken"); row["user_alias"] != "theirs" || uMap(row["metadata"])["pulumi"] != nil {
				t.Fatalf("their user was changed: %v", row)
			}
			in["adoptExisting"] = true
			if _, err := h.create(urn("User", "u"), in, 0); err != nil {
				t.Fatalf("adoptExisting: %v", err)
			}
			if row, _ := h.user("taken"); row["user_alias"] != "ours" || len(h.emu.Users()) != 1 {
				t.Fatalf("adopted user: %v", h.emu.Users())
			}
		})
	}
}

// The connection drops after the proxy stored the user: the retry reads
// first, finds its own earlier attempt and sends no second create.
func TestUserAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /user/new"}}}, nil)
	created, err := h.create(urn("User", "u"), map[string]any{"userAlias": "a"}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if users := h.emu.Users(); len(users) != 1 || users[0]["user_alias"] != "a" || users[0]["user_id"] != created.ID {
		t.Fatalf("users: %v", users)
	}
	if n := h.emu.Stats()["POST /user/new"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// A create interrupted before the engine recorded it is found by the next
// run under the same derived ID: one user.
func TestUserInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("User", "u")
	first := h.mustCreate(u, map[string]any{"userAlias": "a"})
	again, err := h.createOn(h.rerun(), u, map[string]any{"userAlias": "a"}, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if users := h.emu.Users(); len(users) != 1 || users[0]["user_alias"] != "a" {
		t.Fatalf("users: %v", users)
	}
}

// adoptByEmail takes over the user that has the e-mail (compared without
// case) under its own ID, and a rerun of that create keeps it; without it,
// the taken e-mail fails at once with a hint.
func TestUserAdoptByEmail(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			if code, body := h.api("POST", "/user/new", map[string]any{"user_id": "sso-123", "user_email": "bea@example.com",
				"user_alias": "from sso", "auto_create_key": false}); code != 200 {
				t.Fatalf("out-of-band create: %d %v", code, body)
			}
			start := time.Now()
			_, err := h.create(urn("User", "plain"), map[string]any{"userEmail": "bea@example.com"}, 0)
			if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptByEmail") {
				t.Fatalf("create with a taken e-mail: %v", err)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Fatalf("a taken e-mail took %v to fail", el)
			}

			u := urn("User", "bea")
			in := map[string]any{"userEmail": "Bea@Example.com", "userAlias": "Bea", "adoptByEmail": true}
			created, err := h.create(u, in, 0)
			if err != nil || created.ID != "sso-123" || get(created.Properties, "userId") != "sso-123" {
				t.Fatalf("adoptByEmail: %q %v %v", created.ID, err, created.Properties.GoString())
			}
			row, _ := h.user("sso-123")
			if row["user_alias"] != "Bea" || row["user_email"] != "Bea@Example.com" || uMap(row["metadata"])["pulumi"] == nil ||
				len(h.emu.Users()) != 1 {
				t.Fatalf("adopted user: %v", h.emu.Users())
			}
			// The same create again (a run interrupted before the engine
			// recorded it): the user is this resource's now, brought up to
			// date, never replaced.
			again, err := h.createOn(h.rerun(), u, in, 0)
			if err != nil || again.ID != "sso-123" || len(h.emu.Users()) != 1 {
				t.Fatalf("rerun: %q %v %v", again.ID, err, h.emu.Users())
			}
			// No user with the e-mail: one is created under a derived ID.
			fresh, err := h.create(urn("User", "cy"), map[string]any{"userEmail": "cy@example.com", "adoptByEmail": true}, 0)
			if err != nil || fresh.ID == "" || fresh.ID == "sso-123" || len(h.emu.Users()) != 2 {
				t.Fatalf("adoptByEmail without a user: %q %v %v", fresh.ID, err, h.emu.Users())
			}
		})
	}
}

// An empty models list or metadata is the same as none (LiteLLM's update
// ignores both): a refresh keeps them as written, and going from a list to
// an empty one changes nothing on the proxy and replaces nothing.
func TestUserEmptyListsAreUnset(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("User", "u")
	in := map[string]any{"userAlias": "a", "models": []any{}, "metadata": map[string]any{}}
	created := h.mustCreate(u, in)
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	olds := h.check(u, property.Map{}, pm(map[string]any{"userAlias": "a", "models": []any{"gpt-4o"}}))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: olds, Inputs: inputs})
	if err != nil || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the user: %+v", path, diff.DetailedDiff)
		}
	}
}

func TestUserCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"budgetDuration": "30 days"}, "budgetDuration", `"30 days"`},
		{map[string]any{"maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"tpmLimit": 1.5}, "tpmLimit", "1.5"},
		{map[string]any{"rpmLimit": -2.0}, "rpmLimit", "-2"},
		{map[string]any{"userRole": "admin"}, "userRole", `"admin"`},
		{map[string]any{"metadata": map[string]any{"pulumi": "x"}}, "metadata", "ownership mark"},
		{map[string]any{"userId": "a/b"}, "userId", `"a/b"`},
		{map[string]any{"adoptByEmail": true}, "adoptByEmail", "userEmail"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("User", "u"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}
