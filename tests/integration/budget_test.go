package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func budgetInputs() map[string]any {
	return map[string]any{
		"maxBudget":           100.0,
		"softBudget":          80.0,
		"maxParallelRequests": 5.0,
		"tpmLimit":            10000.0,
		"rpmLimit":            60.0,
		"budgetDuration":      "30d",
		"modelMaxBudget":      map[string]any{"gpt-4o": map[string]any{"budgetLimit": 10.0, "timePeriod": "30d"}},
	}
}

func (h *harness) budget(id string) (map[string]any, bool) {
	for _, b := range h.emu.Budgets() {
		if b["budget_id"] == id {
			return b, true
		}
	}
	return nil, false
}

func TestBudgetLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Budget", "tier")
	in := budgetInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "budgetId") != id {
		t.Fatalf("ID %q, budgetId output %v", id, get(created.Properties, "budgetId"))
	}
	row, ok := h.budget(id)
	if !ok || row["max_budget"] != 100.0 || row["soft_budget"] != 80.0 || row["max_parallel_requests"] != 5.0 ||
		row["tpm_limit"] != 10000.0 || row["rpm_limit"] != 60.0 || row["budget_duration"] != "30d" ||
		get(pm(row), "model_max_budget.gpt-4o.budget_limit") != 10.0 || get(pm(row), "model_max_budget.gpt-4o.time_period") != "30d" {
		t.Fatalf("budget on the proxy: %v", row)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	if !userLegacyRun() && get(read.Properties, "budgetResetAt") == nil {
		t.Fatalf("budgetResetAt not read back: %v", read.Properties.GoString())
	}
	h.emu.UpdateBudget(id, map[string]any{"max_budget": 250.0})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "maxBudget") != 250.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: softBudget removed (cleared on proxies that accept a
	// null), a new rate limit and per-model budget.
	in2 := budgetInputs()
	delete(in2, "softBudget")
	in2["rpmLimit"] = 120.0
	in2["modelMaxBudget"] = map[string]any{"gpt-4o": map[string]any{"budgetLimit": 20.0, "timePeriod": "7d"}}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the budget: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.budget(id)
	wantSoft := any(nil)
	if userLegacyRun() {
		wantSoft = 80.0 // older proxies drop the null
	}
	if row["soft_budget"] != wantSoft || row["rpm_limit"] != 120.0 || row["max_budget"] != 100.0 ||
		get(pm(row), "model_max_budget.gpt-4o.budget_limit") != 20.0 {
		t.Fatalf("after update: %v", row)
	}
	if get(updated.Properties, "budgetId") != id {
		t.Fatalf("budgetId output after update: %v", get(updated.Properties, "budgetId"))
	}

	// Import rebuilds the readable inputs, which pass Check.
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Budget", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "maxBudget") != 100.0 || get(imp.Inputs, "rpmLimit") != 120.0 || get(imp.Inputs, "budgetDuration") != "30d" ||
		get(imp.Inputs, "modelMaxBudget.gpt-4o.timePeriod") != "7d" || get(imp.Inputs, "budgetResetAt") != nil ||
		get(imp.Inputs, "createdBy") != nil || get(imp.Inputs, "budgetId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Budget", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a budget already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.budget(id); ok {
		t.Fatal("budget still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a budget already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestBudgetDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Budget", "b")
	in := map[string]any{"budgetId": "oob-budget", "rpmLimit": 10.0}
	created := h.mustCreate(u, in)
	if row, _ := h.budget("oob-budget"); row["max_budget"] != nil || row["soft_budget"] != nil || row["tpm_limit"] != nil {
		t.Fatalf("unset numbers were sent: %v", row)
	}
	h.emu.DeleteBudget("oob-budget")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["POST /budget/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the budget is gone, want 1", n)
	}
	// An update of a budget that is gone (LiteLLM answers 200 null) creates
	// it again under its ID.
	in["rpmLimit"] = 20.0
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.budget("oob-budget"); !ok || row["rpm_limit"] != 20.0 {
		t.Fatalf("recreated budget: %v", row)
	}
}

// A budget made outside Pulumi under the pinned ID is never taken over
// without adoptExisting, whether the proxy answers the duplicate with a 400
// (newest) or a bare 500 (older).
func TestBudgetConflictAndAdoption(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			if code, body := h.api("POST", "/budget/new", map[string]any{"budget_id": "taken", "max_budget": 5}); code != 200 {
				t.Fatalf("out-of-band create: %d %v", code, body)
			}
			in := map[string]any{"budgetId": "taken", "maxBudget": 50.0}
			_, err := h.create(urn("Budget", "b"), in, 0)
			if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptExisting") {
				t.Fatalf("create over someone else's budget: %v", err)
			}
			if row, _ := h.budget("taken"); row["max_budget"] != 5.0 {
				t.Fatalf("their budget was changed: %v", row)
			}
			in["adoptExisting"] = true
			if _, err := h.create(urn("Budget", "b"), in, 0); err != nil {
				t.Fatalf("adoptExisting: %v", err)
			}
			if row, _ := h.budget("taken"); row["max_budget"] != 50.0 || len(h.emu.Budgets()) != 1 {
				t.Fatalf("adopted budget: %v", h.emu.Budgets())
			}
		})
	}
}

// The connection drops after the proxy stored the budget: the retry reads,
// recognises its own write (the fields it sent, under the ID it chose) and
// sends no second create, with a derived and with a pinned ID.
func TestBudgetAmbiguousCreate(t *testing.T) {
	for name, in := range map[string]map[string]any{
		"derived": {"maxBudget": 7.0},
		"pinned":  {"budgetId": "amb-budget", "maxBudget": 7.0},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /budget/new"}}}, nil)
			created, err := h.create(urn("Budget", "b"), in, 0)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if budgets := h.emu.Budgets(); len(budgets) != 1 || budgets[0]["max_budget"] != 7.0 || budgets[0]["budget_id"] != created.ID {
				t.Fatalf("budgets: %v", budgets)
			}
			if n := h.emu.Stats()["POST /budget/new"]; n != 1 {
				t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
			}
		})
	}
}

// A create interrupted before the engine recorded it is found by the next
// run under the same derived ID: one budget.
func TestBudgetInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Budget", "b")
	first := h.mustCreate(u, map[string]any{"maxBudget": 3.0})
	again, err := h.createOn(h.rerun(), u, map[string]any{"maxBudget": 3.0}, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if budgets := h.emu.Budgets(); len(budgets) != 1 || budgets[0]["max_budget"] != 3.0 {
		t.Fatalf("budgets: %v", budgets)
	}
	// Another stack pinning that ID does not take it.
	if _, err := h.createOn(h.otherStack(), urn("Budget", "x"), map[string]any{"budgetId": first.ID, "maxBudget": 9.0}, 0); err == nil ||
		!strings.Contains(err.Error(), "already exists") {
		t.Fatalf("another stack pinning this stack's budget: %v", err)
	}
}

// A create recorded as pending (its outcome never known) is settled by the
// next update: the budget at the pinned ID that shows the desired fields is
// this resource's, with no second create and no conflict.
func TestBudgetPendingCreateIsSettled(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Budget", "b")
	in := map[string]any{"budgetId": "pending-budget", "maxBudget": 4.0}
	created := h.mustCreate(u, in)
	state := aged(created.Properties).Set("createPending", property.New(true))
	inputs := h.check(u, property.Map{}, pm(in))
	resp, err := h.rerun().Update(p.UpdateRequest{ID: created.ID, Urn: u, State: state, OldInputs: inputs, Inputs: inputs})
	if err != nil || get(resp.Properties, "createPending") != nil {
		t.Fatalf("settling the pending create: %v %v", err, resp.Properties.GoString())
	}
	if budgets := h.emu.Budgets(); len(budgets) != 1 || budgets[0]["max_budget"] != 4.0 {
		t.Fatalf("budgets: %v", budgets)
	}
}

func TestBudgetCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"budgetDuration": "30 days"}, "budgetDuration", `"30 days"`},
		{map[string]any{"maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"softBudget": -2.5}, "softBudget", "-2.5"},
		{map[string]any{"tpmLimit": 1.5}, "tpmLimit", "1.5"},
		{map[string]any{"maxParallelRequests": -3.0}, "maxParallelRequests", "-3"},
		{map[string]any{"modelMaxBudget": map[string]any{"gpt-4o": map[string]any{"timePeriod": "monthly"}}}, "modelMaxBudget.gpt-4o.timePeriod", `"monthly"`},
		{map[string]any{"modelMaxBudget": map[string]any{"gpt-4o": map[string]any{"budgetLimit": -4.0}}}, "modelMaxBudget.gpt-4o.budgetLimit", "-4"},
		{map[string]any{"budgetId": "a/b"}, "budgetId", `"a/b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Budget", "b"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}
