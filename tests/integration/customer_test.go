package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func (h *harness) customer(id string) (map[string]any, bool) {
	for _, c := range h.emu.Customers() {
		if c["user_id"] == id {
			return c, true
		}
	}
	return nil, false
}

// serveModel creates a model on the proxy and makes every worker load it.
func (h *harness) serveModel(name string) {
	h.t.Helper()
	if code, body := h.api("POST", "/model/new", map[string]any{"model_name": name,
		"litellm_params": map[string]any{"model": "openai/" + name}}); code != 200 {
		h.t.Fatalf("model: %d %v", code, body)
	}
	h.emu.ReloadAll()
}

func TestCustomerLifecycle(t *testing.T) {
	// Customer reads come from the database; a lagging read replica makes
	// them eventually consistent all the same.
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	h.serveModel("gpt-4o")
	u := urn("Customer", "acme")
	in := map[string]any{"userId": "acme", "alias": "Acme", "maxBudget": 50.0, "allowedModelRegion": "eu", "defaultModel": "gpt-4o"}
	created := h.mustCreate(u, in)
	id := created.ID
	if id != "acme" || get(created.Properties, "userId") != "acme" {
		t.Fatalf("ID %q, userId output %v", id, get(created.Properties, "userId"))
	}
	row, ok := h.customer(id)
	if !ok || row["alias"] != "Acme" || row["allowed_model_region"] != "eu" || row["default_model"] != "gpt-4o" ||
		row["blocked"] != false || get(pm(row), "litellm_budget_table.max_budget") != 50.0 {
		t.Fatalf("customer on the proxy: %v", row)
	}
	ownBudget := row["budget_id"]

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateCustomer(id, map[string]any{"alias": "Acme Corp"})
	time.Sleep(400 * time.Millisecond) // past the replica's lag
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "alias") != "Acme Corp" {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a new alias and budget, and blocked.
	in2 := map[string]any{"userId": "acme", "alias": "Acme Inc", "maxBudget": 75.0, "allowedModelRegion": "eu",
		"defaultModel": "gpt-4o", "blocked": true}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the customer: %+v", path, diff.DetailedDiff)
		}
	}
	time.Sleep(400 * time.Millisecond)
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.customer(id)
	if row["alias"] != "Acme Inc" || row["blocked"] != true || row["budget_id"] != ownBudget ||
		get(pm(row), "litellm_budget_table.max_budget") != 75.0 {
		t.Fatalf("after update: %v", row)
	}

	// Unblocking cannot be done by LiteLLM's update: it replaces the
	// customer, deleting it first (same ID).
	in3 := map[string]any{"userId": "acme", "alias": "Acme Inc", "maxBudget": 75.0, "allowedModelRegion": "eu",
		"defaultModel": "gpt-4o", "blocked": false}
	diff, err = h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: h.check(u, news, pm(in3))})
	if err != nil || diff.DetailedDiff["blocked"].Kind != p.UpdateReplace || !diff.DeleteBeforeReplace {
		t.Fatalf("unblocking: %+v %v", diff, err)
	}

	// Import rebuilds the readable inputs (the budget as budgetId), which
	// pass Check.
	time.Sleep(400 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Customer", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "alias") != "Acme Inc" || get(imp.Inputs, "blocked") != true || get(imp.Inputs, "budgetId") != ownBudget ||
		get(imp.Inputs, "maxBudget") != nil || get(imp.Inputs, "allowedModelRegion") != "eu" || get(imp.Inputs, "spend") != nil ||
		get(imp.Inputs, "userId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Customer", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.customer(id); ok {
		t.Fatal("customer still on the proxy")
	}
	time.Sleep(400 * time.Millisecond) // the replica still has it until then
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a customer already gone: %v", err)
	}
}

func TestCustomerDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Customer", "c")
	in := map[string]any{"userId": "oob-customer", "alias": "a"}
	created := h.mustCreate(u, in)
	h.emu.DeleteCustomer("oob-customer")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /customer/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the customer is gone, want 1", n)
	}
	// An update of a customer that is gone creates it again under its ID.
	in["alias"] = "b"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.customer("oob-customer"); !ok || row["alias"] != "b" {
		t.Fatalf("recreated customer: %v", row)
	}
}

// A customer made outside Pulumi under the pinned ID is never taken over
// without adoptExisting.
func TestCustomerConflictAndAdoption(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			if code, body := h.api("POST", "/customer/new", map[string]any{"user_id": "taken", "alias": "theirs"}); code != 200 {
				t.Fatalf("out-of-band create: %d %v", code, body)
			}
			in := map[string]any{"userId": "taken", "alias": "ours"}
			_, err := h.create(urn("Customer", "c"), in, 0)
			if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptExisting") {
				t.Fatalf("create over someone else's customer: %v", err)
			}
			if row, _ := h.customer("taken"); row["alias"] != "theirs" {
				t.Fatalf("their customer was changed: %v", row)
			}
			in["adoptExisting"] = true
			if _, err := h.create(urn("Customer", "c"), in, 0); err != nil {
				t.Fatalf("adoptExisting: %v", err)
			}
			if row, _ := h.customer("taken"); row["alias"] != "ours" || len(h.emu.Customers()) != 1 {
				t.Fatalf("adopted customer: %v", h.emu.Customers())
			}
		})
	}
}

// The connection drops after the proxy stored the customer (and its
// budget): the retry reads, recognises its own write and sends no second
// create, so there is one customer and one budget.
func TestCustomerAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /customer/new"}}}, nil)
	if _, err := h.create(urn("Customer", "c"), map[string]any{"userId": "amb", "maxBudget": 10.0}, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if cs := h.emu.Customers(); len(cs) != 1 || get(pm(cs[0]), "litellm_budget_table.max_budget") != 10.0 {
		t.Fatalf("customers: %v", cs)
	}
	if n := h.emu.Stats()["POST /customer/new"]; n != 1 || len(h.emu.Budgets()) != 1 {
		t.Fatalf("%d creates sent (want 1, the dropped one), %d budgets (want 1)", n, len(h.emu.Budgets()))
	}
}

// A create interrupted before the engine recorded it is found by the next
// run under the same derived ID: one customer.
func TestCustomerInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Customer", "c")
	first := h.mustCreate(u, map[string]any{"alias": "a"})
	again, err := h.createOn(h.rerun(), u, map[string]any{"alias": "a"}, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if cs := h.emu.Customers(); len(cs) != 1 || cs[0]["alias"] != "a" {
		t.Fatalf("customers: %v", cs)
	}
}

// A customer on a shared budget: the link is written and refreshed, and
// removing it replaces the customer (LiteLLM cannot unlink a budget).
func TestCustomerSharesABudget(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.mustCreate(urn("Budget", "free"), map[string]any{"budgetId": "free-tier", "maxBudget": 1.0, "budgetDuration": "30d"})
	u := urn("Customer", "c")
	in := map[string]any{"userId": "shared", "budgetId": "free-tier"}
	created := h.mustCreate(u, in)
	if row, _ := h.customer("shared"); row["budget_id"] != "free-tier" || get(pm(row), "litellm_budget_table.budget_duration") != "30d" {
		t.Fatalf("customer: %v", row)
	}
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh: %v (%v)", read.Inputs.GoString(), err)
	}
	news := h.check(u, inputs, pm(map[string]any{"userId": "shared", "maxBudget": 5.0}))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || diff.DetailedDiff["budgetId"].Kind != p.DeleteReplace || !diff.DeleteBeforeReplace {
		t.Fatalf("removing budgetId: %+v %v", diff, err)
	}
	// A budgetId that names no budget fails at once (LiteLLM's foreign key),
	// without retries.
	start := time.Now()
	_, err = h.create(urn("Customer", "typo"), map[string]any{"userId": "typo", "budgetId": "no-such-budget"}, 0)
	if err == nil || !strings.Contains(err.Error(), "budgetId names no budget") || time.Since(start) > 5*time.Second {
		t.Fatalf("unknown budgetId: %v after %v", err, time.Since(start))
	}
}

// A defaultModel created moments ago that the answering worker does not
// serve yet: the create waits for the reload instead of failing.
func TestCustomerDefaultModelNotLoadedYet(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	if code, body := h.api("POST", "/model/new", map[string]any{"model_name": "fresh",
		"litellm_params": map[string]any{"model": "openai/fresh"}}); code != 200 {
		t.Fatalf("model: %d %v", code, body)
	}
	if _, err := h.create(urn("Customer", "c"), map[string]any{"userId": "dm", "defaultModel": "fresh"}, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if row, _ := h.customer("dm"); row["default_model"] != "fresh" {
		t.Fatalf("customer: %v", row)
	}
}

func TestCustomerCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"allowedModelRegion": "asia"}, "allowedModelRegion", `"asia"`},
		{map[string]any{"maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"maxBudget": 5.0, "budgetId": "tier"}, "maxBudget", "budgetId"},
		{map[string]any{"alias": " "}, "alias", `" "`},
		{map[string]any{"userId": "a/b"}, "userId", `"a/b"`},
		{map[string]any{"budgetId": "a b"}, "budgetId", `"a b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Customer", "c"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}
