package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

// agbGroup makes the legacy access group "ag-budgeted" out of band.
func agbGroup(h *harness) {
	agModels(h)
	h.mustAPI("POST", "/access_group/new", map[string]any{"access_group": "ag-budgeted", "model_names": []any{"gpt-a"}})
}

// The budget routes are newest only: on an older proxy the create fails at
// once, saying so.
func skipOnLegacyAccessGroupBudget(t *testing.T, h *harness) bool {
	t.Helper()
	if !userLegacyRun() {
		return false
	}
	_, err := h.create(urn("AccessGroupBudget", "b"), map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 1.0}, 0)
	if err == nil || !strings.Contains(err.Error(), "too old") {
		t.Fatalf("create on an older proxy: %v", err)
	}
	return true
}

func TestAccessGroupBudgetLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	agbGroup(h)
	if skipOnLegacyAccessGroupBudget(t, h) {
		return
	}
	u := urn("AccessGroupBudget", "b")
	in := map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 100.0, "budgetDuration": "30d"}
	created := h.mustCreate(u, in)
	row := h.emu.ModelAccessGroupBudget("ag-budgeted")
	if created.ID != "ag-budgeted" || row == nil || get(pm(row), "litellm_budget_table.max_budget") != 100.0 ||
		get(pm(row), "litellm_budget_table.budget_duration") != "30d" || get(pm(row), "litellm_budget_table.soft_budget") != nil {
		t.Fatalf("budget on the proxy: %q %v", created.ID, row)
	}
	budgetID := get(pm(row), "budget_id")

	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) || get(read.Properties, "linkedBudgetId") != budgetID {
		t.Fatalf("refresh without change: %v %v (%v)", read.Inputs.GoString(), read.Properties.GoString(), err)
	}
	h.mustAPI("PUT", "/access_group/ag-budgeted/budget", map[string]any{"max_budget": 250})
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "maxBudget") != 250.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// In place: a changed limit and an added one.
	in2 := map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 120.0, "softBudget": 90.0, "budgetDuration": "30d"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace || diff.DetailedDiff["maxBudget"].Kind != p.Update {
		t.Fatalf("diff %+v %v", diff, err)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row = h.emu.ModelAccessGroupBudget("ag-budgeted")
	if get(pm(row), "litellm_budget_table.max_budget") != 120.0 || get(pm(row), "litellm_budget_table.soft_budget") != 90.0 ||
		get(pm(row), "budget_id") != budgetID {
		t.Fatalf("after the update: %v", row)
	}
	// A removed limit cannot be cleared: the link is replaced.
	news3 := h.check(u, news, pm(map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 120.0, "budgetDuration": "30d"}))
	diff, err = h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: updated.Properties, OldInputs: news, Inputs: news3})
	if err != nil || diff.DetailedDiff["softBudget"].Kind != p.DeleteReplace || !diff.DeleteBeforeReplace {
		t.Fatalf("diff removing a limit: %+v %v", diff, err)
	}

	// Import: the limits, which pass Check.
	imp, err := h.s.Read(p.ReadRequest{ID: "ag-budgeted", Urn: urn("AccessGroupBudget", "imp")})
	if err != nil || get(imp.Inputs, "maxBudget") != 120.0 || get(imp.Inputs, "softBudget") != 90.0 || get(imp.Inputs, "budgetId") != nil {
		t.Fatalf("import: %v %v", imp.Inputs.GoString(), err)
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("AccessGroupBudget", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete drops the link (the budget row stays); twice is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if row := h.emu.ModelAccessGroupBudget("ag-budgeted"); row != nil {
		t.Fatalf("link still there: %v", row)
	}
	if _, ok := h.budget(budgetID.(string)); !ok {
		t.Fatal("the budget row went with the link")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
	// Deleted out of band: the next update sets it again (an upsert).
	again := h.mustCreate(u, in)
	h.mustAPI("DELETE", "/access_group/ag-budgeted/budget", nil)
	read, err = h.s.Read(p.ReadRequest{ID: again.ID, Urn: u, Properties: aged(again.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read after an out-of-band delete: %q %v", read.ID, err)
	}
	if _, err := h.s.Update(p.UpdateRequest{ID: again.ID, Urn: u, State: aged(again.Properties), OldInputs: inputs,
		Inputs: h.check(u, inputs, pm(map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 5.0, "budgetDuration": "30d"}))}); err != nil {
		t.Fatal(err)
	}
	if row := h.emu.ModelAccessGroupBudget("ag-budgeted"); get(pm(row), "litellm_budget_table.max_budget") != 5.0 {
		t.Fatalf("set again: %v", row)
	}
}

// The PUT is an upsert: a budget someone else set is refused, unless
// adoptExisting.
func TestAccessGroupBudgetConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agbGroup(h)
	if skipOnLegacyAccessGroupBudget(t, h) {
		return
	}
	h.mustAPI("PUT", "/access_group/ag-budgeted/budget", map[string]any{"max_budget": 7})
	in := map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 70.0}
	_, err := h.create(urn("AccessGroupBudget", "b"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "the budget of access group ag-budgeted already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's budget: %v", err)
	}
	if row := h.emu.ModelAccessGroupBudget("ag-budgeted"); get(pm(row), "litellm_budget_table.max_budget") != 7.0 {
		t.Fatalf("their budget was changed: %v", row)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("AccessGroupBudget", "b"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if row := h.emu.ModelAccessGroupBudget("ag-budgeted"); get(pm(row), "litellm_budget_table.max_budget") != 70.0 {
		t.Fatalf("adopted budget: %v", row)
	}
}

func TestAccessGroupBudgetAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agbGroup(h)
	if skipOnLegacyAccessGroupBudget(t, h) {
		return
	}
	h.emu.SetFaults(emulator.Faults{DropNext: 1, Paths: []string{"PUT /access_group/ag-budgeted/budget"}})
	if _, err := h.create(urn("AccessGroupBudget", "b"), map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 3.0}, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if n := h.emu.Stats()["PUT /access_group/ag-budgeted/budget"]; n != 1 {
		t.Fatalf("%d writes, want 1 (the dropped one)", n)
	}
	if n := len(h.emu.Budgets()); n != 1 {
		t.Fatalf("%d budget rows, want 1", n)
	}
}

// A shared Budget by ID: switching is in place and leaves both budgets.
func TestAccessGroupBudgetSharedBudget(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agbGroup(h)
	if skipOnLegacyAccessGroupBudget(t, h) {
		return
	}
	h.mustAPI("POST", "/budget/new", map[string]any{"budget_id": "shared-1", "max_budget": 5})
	h.mustAPI("POST", "/budget/new", map[string]any{"budget_id": "shared-2", "max_budget": 6})
	u := urn("AccessGroupBudget", "b")
	in := map[string]any{"accessGroup": "ag-budgeted", "budgetId": "shared-1"}
	created := h.mustCreate(u, in)
	inputs := h.check(u, property.Map{}, pm(in))
	news := h.check(u, inputs, pm(map[string]any{"accessGroup": "ag-budgeted", "budgetId": "shared-2"}))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || diff.DetailedDiff["budgetId"].Kind != p.Update {
		t.Fatalf("diff: %+v %v", diff, err)
	}
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row := h.emu.ModelAccessGroupBudget("ag-budgeted"); row["budget_id"] != "shared-2" {
		t.Fatalf("link: %v", row)
	}
	if b, _ := h.budget("shared-1"); b["max_budget"] != 5.0 {
		t.Fatalf("shared-1 changed: %v", b)
	}
}

func TestAccessGroupBudgetCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"accessGroup": "g"}, "maxBudget", "budgetId"},
		{map[string]any{"accessGroup": "g", "budgetId": "b", "maxBudget": 1.0}, "budgetId", `"b"`},
		{map[string]any{"accessGroup": "g", "maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"accessGroup": "g", "budgetDuration": "weekly"}, "budgetDuration", `"weekly"`},
		{map[string]any{"accessGroup": "", "maxBudget": 1.0}, "accessGroup", `""`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("AccessGroupBudget", "b"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestAccessGroupBudgetPendingCreateIsSettled(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agbGroup(h)
	if skipOnLegacyAccessGroupBudget(t, h) {
		return
	}
	u := urn("AccessGroupBudget", "b")
	in := map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 4.0}
	created := h.mustCreate(u, in)
	state := aged(created.Properties).Set("createPending", property.New(true))
	inputs := h.check(u, property.Map{}, pm(in))
	resp, err := h.rerun().Update(p.UpdateRequest{ID: created.ID, Urn: u, State: state, OldInputs: inputs, Inputs: inputs})
	if err != nil || get(resp.Properties, "createPending") != nil {
		t.Fatalf("settling the pending create: %v %v", err, resp.Properties.GoString())
	}
	if n := len(h.emu.Budgets()); n != 1 {
		t.Fatalf("%d budget rows, want 1", n)
	}
}
