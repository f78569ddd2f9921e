package integration

import (
	"slices"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func tagInputs(name string) map[string]any {
	return map[string]any{
		"name":           name,
		"description":    "production traffic",
		"models":         []string{"m-1"},
		"maxBudget":      50.0,
		"rpmLimit":       60.0,
		"budgetDuration": "30d",
		"modelMaxBudget": map[string]any{"gpt-4o": map[string]any{"budgetLimit": 10.0, "timePeriod": "30d"}},
	}
}

func (h *harness) tag(name string) (map[string]any, bool) {
	for _, t := range h.emu.Tags() {
		if t["name"] == name {
			return t, true
		}
	}
	return nil, false
}

func TestTagLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Tag", "prod")
	in := tagInputs("prod")
	created := h.mustCreate(u, in)
	if created.ID != "prod" || get(created.Properties, "name") != "prod" {
		t.Fatalf("ID %q, name %v", created.ID, get(created.Properties, "name"))
	}
	row, ok := h.tag("prod")
	if !ok || row["description"] != "production traffic" || !sameStrings(row["models"], "m-1") ||
		get(pm(row), "litellm_budget_table.max_budget") != 50.0 || get(pm(row), "litellm_budget_table.rpm_limit") != 60.0 ||
		get(pm(row), "litellm_budget_table.budget_duration") != "30d" ||
		get(pm(row), "litellm_budget_table.model_max_budget.gpt-4o.budget_limit") != 10.0 ||
		get(pm(row), "litellm_budget_table.soft_budget") != nil || get(pm(row), "litellm_budget_table.tpm_limit") != nil {
		t.Fatalf("tag on the proxy: %v", row)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: "prod", Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateTag("prod", map[string]any{"description": "edited in the UI"})
	read, err = h.s.Read(p.ReadRequest{ID: "prod", Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "description") != "edited in the UI" {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: rpmLimit removed (cleared in the tag's budget), a
	// tpm limit added, the models replaced.
	in2 := tagInputs("prod")
	delete(in2, "rpmLimit")
	in2["tpmLimit"] = 1000.0
	in2["models"] = []string{"m-2", "m-3"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: "prod", Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the tag: %+v", path, diff.DetailedDiff)
		}
	}
	if diff.DetailedDiff["rpmLimit"].Kind != p.Delete || diff.DetailedDiff["description"].Kind != p.Update {
		t.Fatalf("detailed diff: %+v", diff.DetailedDiff)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: "prod", Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.tag("prod")
	if row["description"] != "production traffic" || !sameStrings(row["models"], "m-2", "m-3") ||
		get(pm(row), "litellm_budget_table.rpm_limit") != nil || get(pm(row), "litellm_budget_table.tpm_limit") != 1000.0 ||
		get(pm(row), "litellm_budget_table.max_budget") != 50.0 {
		t.Fatalf("after update: %v", row)
	}
	if len(h.emu.Budgets()) != 1 {
		t.Fatalf("the update made another budget: %v", h.emu.Budgets())
	}

	// Import rebuilds the readable inputs (the limits, not the ID of the
	// budget LiteLLM made for the tag), which pass Check.
	imp, err := h.s.Read(p.ReadRequest{ID: "prod", Urn: urn("Tag", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "name") != "prod" || get(imp.Inputs, "description") != "production traffic" ||
		get(imp.Inputs, "maxBudget") != 50.0 || get(imp.Inputs, "tpmLimit") != 1000.0 || get(imp.Inputs, "rpmLimit") != nil ||
		get(imp.Inputs, "budgetId") != nil || get(imp.Inputs, "modelMaxBudget.gpt-4o.timePeriod") != "30d" ||
		!sameStrings(get(imp.Inputs, "models"), "m-2", "m-3") {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Tag", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a tag already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: "prod", Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.tag("prod"); ok {
		t.Fatal("tag still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: "prod", Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a tag already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: "prod", Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// A tag pointing to a Budget: its limits are the budget's and are not the
// tag's inputs; switching budgets is in place, removing the link replaces.
func TestTagSharedBudget(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.mustAPI("POST", "/budget/new", map[string]any{"budget_id": "shared-a", "max_budget": 5})
	h.mustAPI("POST", "/budget/new", map[string]any{"budget_id": "shared-b", "max_budget": 9})
	u := urn("Tag", "t")
	in := map[string]any{"name": "team-x", "budgetId": "shared-a"}
	created := h.mustCreate(u, in)
	if row, _ := h.tag("team-x"); get(pm(row), "litellm_budget_table.budget_id") != "shared-a" || len(h.emu.Budgets()) != 2 {
		t.Fatalf("tag: %v, budgets %v", row, h.emu.Budgets())
	}
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: "team-x", Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh: %v %v", read.Inputs.GoString(), err)
	}
	news := h.check(u, inputs, pm(map[string]any{"name": "team-x", "budgetId": "shared-b"}))
	diff, err := h.s.Diff(p.DiffRequest{ID: "team-x", Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || diff.DetailedDiff["budgetId"].Kind != p.Update {
		t.Fatalf("diff to another budget: %+v %v", diff, err)
	}
	if _, err := h.s.Update(p.UpdateRequest{ID: "team-x", Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, _ := h.tag("team-x"); get(pm(row), "litellm_budget_table.budget_id") != "shared-b" {
		t.Fatalf("tag after the switch: %v", row)
	}
	if b, _ := h.budget("shared-a"); b["max_budget"] != 5.0 {
		t.Fatalf("the first budget was changed: %v", b)
	}
	unlinked := h.check(u, news, pm(map[string]any{"name": "team-x", "maxBudget": 3.0}))
	diff, err = h.s.Diff(p.DiffRequest{ID: "team-x", Urn: u, State: created.Properties, OldInputs: news, Inputs: unlinked})
	if err != nil || diff.DetailedDiff["budgetId"].Kind != p.DeleteReplace {
		t.Fatalf("diff removing budgetId: %+v %v", diff, err)
	}
}

// Tag.models adds the tag to those models' litellm_params.tags on the
// proxy; a Model resource that does not set tags sees no drift, one that
// does sees the added tag.
func TestTagModelsDoNotDriftModels(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	mu := urn("Model", "m")
	min := modelInputs("tagged-model")
	model := h.mustCreate(mu, min)
	h.emu.ReloadAll() // every worker serves the model (LiteLLM looks it up in the answering worker's router)
	h.mustCreate(urn("Tag", "t"), map[string]any{"name": "routing-a", "models": []string{model.ID}})
	m, _ := h.model(model.ID)
	if tags, _ := m.LitellmParams["tags"].([]any); !slices.Contains(tags, any("routing-a")) {
		t.Fatalf("the tag was not added to the model: %v", m.LitellmParams)
	}
	if row, _ := h.tag("routing-a"); get(pm(row), "model_info."+model.ID) != "tagged-model" {
		t.Fatalf("tag model_info: %v", row)
	}
	h.emu.ReloadAll()
	minputs := h.check(mu, property.Map{}, pm(min))
	read, err := h.s.Read(p.ReadRequest{ID: model.ID, Urn: mu, Properties: aged(model.Properties), Inputs: minputs})
	if err != nil || !read.Inputs.Equals(minputs) {
		t.Fatalf("model refresh after the tag: %v\nwant %v (%v)", read.Inputs.GoString(), minputs.GoString(), err)
	}
	diff, err := h.s.Diff(p.DiffRequest{ID: model.ID, Urn: mu, State: read.Properties, OldInputs: read.Inputs, Inputs: minputs})
	if err != nil || diff.HasChanges {
		t.Fatalf("model diff after the tag: %+v %v", diff, err)
	}
	// An update of the model keeps the tag (LiteLLM merges litellm_params).
	min2 := modelInputs("tagged-model")
	min2["litellmParams"].(map[string]any)["rpm"] = 150
	news := h.check(mu, minputs, pm(min2))
	if _, err := h.s.Update(p.UpdateRequest{ID: model.ID, Urn: mu, State: read.Properties, OldInputs: minputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if m, _ := h.model(model.ID); !slices.Contains(m.LitellmParams["tags"].([]any), any("routing-a")) {
		t.Fatalf("the model update dropped the tag: %v", m.LitellmParams)
	}

	// A model that sets tags itself sees the added one at refresh.
	ou := urn("Model", "own-tags")
	oin := modelInputs("own-tags")
	oin["litellmParams"].(map[string]any)["extra"] = map[string]any{"tags": []any{"mine"}}
	own := h.mustCreate(ou, oin)
	h.emu.ReloadAll()
	h.mustCreate(urn("Tag", "t2"), map[string]any{"name": "routing-b", "models": []string{own.ID}})
	h.emu.ReloadAll()
	oinputs := h.check(ou, property.Map{}, pm(oin))
	read, err = h.s.Read(p.ReadRequest{ID: own.ID, Urn: ou, Properties: aged(own.Properties), Inputs: oinputs})
	if err != nil || !sameStrings(get(read.Inputs, "litellmParams.extra.tags"), "mine", "routing-b") {
		t.Fatalf("refresh of a model with its own tags: %v %v", read.Inputs.GoString(), err)
	}
}

func TestTagDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Tag", "t")
	in := map[string]any{"name": "oob-tag", "description": "x"}
	created := h.mustCreate(u, in)
	if len(h.emu.Budgets()) != 0 {
		t.Fatalf("a tag without limits made a budget: %v", h.emu.Budgets())
	}
	h.emu.DeleteTag("oob-tag")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["POST /tag/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the tag is gone, want 1", n)
	}
	in["description"] = "y"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.tag("oob-tag"); !ok || row["description"] != "y" {
		t.Fatalf("recreated tag: %v", row)
	}
}

// A tag made outside Pulumi with the same name is never taken over
// without adoptExisting.
func TestTagConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.mustAPI("POST", "/tag/new", map[string]any{"name": "taken", "description": "theirs"})
	in := map[string]any{"name": "taken", "description": "ours"}
	_, err := h.create(urn("Tag", "t"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "tag taken already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's tag: %v", err)
	}
	if row, _ := h.tag("taken"); row["description"] != "theirs" {
		t.Fatalf("their tag was changed: %v", row)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("Tag", "t"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if row, _ := h.tag("taken"); row["description"] != "ours" || len(h.emu.Tags()) != 1 {
		t.Fatalf("adopted tag: %v", h.emu.Tags())
	}
}

// The connection drops after the proxy stored the tag: the retry reads,
// recognises its own write and sends no second create.
func TestTagAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /tag/new"}}}, nil)
	created, err := h.create(urn("Tag", "t"), map[string]any{"name": "amb-tag", "maxBudget": 7.0}, 0)
	if err != nil || created.ID != "amb-tag" {
		t.Fatalf("create: %q %v", created.ID, err)
	}
	if tags := h.emu.Tags(); len(tags) != 1 || get(pm(tags[0]), "litellm_budget_table.max_budget") != 7.0 {
		t.Fatalf("tags: %v", tags)
	}
	if n := h.emu.Stats()["POST /tag/new"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
	if n := len(h.emu.Budgets()); n != 1 {
		t.Fatalf("%d budgets, want 1", n)
	}
}

func TestTagCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"name": ""}, "name", "must not be empty"},
		{map[string]any{"name": "t", "budgetId": "b1", "maxBudget": 3.0}, "budgetId", "maxBudget"},
		{map[string]any{"name": "t", "budgetDuration": "monthly"}, "budgetDuration", `"monthly"`},
		{map[string]any{"name": "t", "maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"name": "t", "rpmLimit": -2.0}, "rpmLimit", "-2"},
		{map[string]any{"name": "t", "models": []string{"a", ""}}, "models[1]", "must not be empty"},
		{map[string]any{"name": "t", "modelMaxBudget": map[string]any{"gpt-4o": map[string]any{"budgetLimit": -4.0}}}, "modelMaxBudget.gpt-4o.budgetLimit", "-4"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Tag", "t"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestTagFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	h.mustCreate(urn("Tag", "t"), map[string]any{"name": "fn-tag", "description": "d", "maxBudget": 4.0})
	got, err := h.invoke("getTag", map[string]any{"name": "fn-tag"})
	if err != nil || get(got, "description") != "d" || get(got, "maxBudget") != 4.0 || get(got, "budgetId") == nil ||
		get(got, "createdAt") == nil {
		t.Fatalf("getTag: %v %v", got.GoString(), err)
	}
	got, err = h.invoke("listTags", nil)
	if err != nil || len(got.Get("tags").AsArray().AsSlice()) != 1 || get(got.Get("tags").AsArray().Get(0).AsMap(), "name") != "fn-tag" {
		t.Fatalf("listTags: %v %v", got.GoString(), err)
	}
	start := time.Now()
	if _, err := h.invoke("getTag", map[string]any{"name": "nope"}); err == nil || !strings.Contains(err.Error(), "tag nope does not exist") ||
		time.Since(start) > 2*time.Second {
		t.Fatalf("getTag of a missing tag: %v after %v", err, time.Since(start))
	}
}

// sameStrings reports whether v (a decoded list) holds exactly want, in order.
func sameStrings(v any, want ...string) bool {
	l, ok := v.([]any)
	if !ok || len(l) != len(want) {
		return false
	}
	for i, s := range want {
		if l[i] != s {
			return false
		}
	}
	return true
}

// A create recorded as pending (its outcome never known) is settled by the
// next update: the tag that shows the desired fields is this resource's,
// with no second create and no conflict.
func TestTagPendingCreateIsSettled(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Tag", "t")
	in := map[string]any{"name": "pending-tag", "description": "p", "maxBudget": 4.0}
	created := h.mustCreate(u, in)
	state := aged(created.Properties).Set("createPending", property.New(true))
	inputs := h.check(u, property.Map{}, pm(in))
	resp, err := h.rerun().Update(p.UpdateRequest{ID: created.ID, Urn: u, State: state, OldInputs: inputs, Inputs: inputs})
	if err != nil || get(resp.Properties, "createPending") != nil {
		t.Fatalf("settling the pending create: %v %v", err, resp.Properties.GoString())
	}
	if tags := h.emu.Tags(); len(tags) != 1 || len(h.emu.Budgets()) != 1 {
		t.Fatalf("tags %v budgets %v", tags, h.emu.Budgets())
	}
}
