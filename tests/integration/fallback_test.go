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

// fbModels makes the models gpt-p, gpt-f1 and gpt-f2 out of band; with
// reload, every worker serves them.
func fbModels(h *harness, reload bool) {
	for _, name := range []string{"gpt-p", "gpt-f1", "gpt-f2"} {
		h.mustAPI("POST", "/model/new", map[string]any{"model_name": name, "litellm_params": map[string]any{"model": "openai/gpt-4o"},
			"model_info": map[string]any{"id": "id-" + name}})
	}
	if reload {
		h.emu.ReloadAll()
	}
}

func TestFallbackLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	fbModels(h, true)
	u := urn("Fallback", "p")
	in := map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}}
	created := h.mustCreate(u, in)
	if created.ID != "gpt-p:general" {
		t.Fatalf("ID %q", created.ID)
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f1"}) || len(got) != 1 {
		t.Fatalf("stored: %v", got)
	}

	// A refresh right after the write meets workers that have not reloaded:
	// it waits for the write instead of reporting drift.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || read.ID != created.ID || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %q %v (%v)", read.ID, read.Inputs.GoString(), err)
	}
	h.mustAPI("POST", "/fallback", map[string]any{"model": "gpt-p", "fallback_models": []any{"gpt-f2"}})
	h.emu.ReloadAll()
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || !sameStrings(get(read.Inputs, "fallbackModels"), "gpt-f2") {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: the order counts.
	news := h.check(u, inputs, pm(map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f2", "gpt-f1"}}))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || diff.DetailedDiff["fallbackModels"].Kind != p.Update || diff.DeleteBeforeReplace || len(diff.DetailedDiff) != 1 {
		t.Fatalf("diff %+v %v", diff, err)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f2", "gpt-f1"}) {
		t.Fatalf("after the update: %v", got)
	}
	// Setting fallbackType: general explicitly changes nothing on the proxy.
	explicit := h.check(u, news, pm(map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f2", "gpt-f1"}, "fallbackType": "general"}))
	diff, err = h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: updated.Properties, OldInputs: news, Inputs: explicit})
	if err != nil || diff.DetailedDiff["fallbackType"].Kind != p.Update {
		t.Fatalf("diff of an explicit general: %+v %v", diff, err)
	}

	// Import by the bare model name (general) and by model:type; both pass Check.
	h.emu.ReloadAll()
	for _, id := range []string{"gpt-p", "gpt-p:general"} {
		imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Fallback", "imp")})
		if err != nil || imp.ID != "gpt-p:general" || get(imp.Inputs, "model") != "gpt-p" ||
			!sameStrings(get(imp.Inputs, "fallbackModels"), "gpt-f2", "gpt-f1") || get(imp.Inputs, "fallbackType") != nil {
			t.Fatalf("import %s: %q %v %v", id, imp.ID, imp.Inputs.GoString(), err)
		}
		if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Fallback", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
			t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
		}
	}
	if _, err := h.s.Read(p.ReadRequest{ID: "gpt-p:context_window", Urn: urn("Fallback", "imp2")}); err == nil {
		t.Fatal("import of fallbacks that do not exist succeeded")
	}

	// Delete; a second delete is fine; a read once settled says gone.
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if got := h.emu.StoredFallbacks("general"); len(got) != 0 {
		t.Fatalf("still stored: %v", got)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	h.emu.ReloadAll()
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// Right after the models are created, the workers that have not reloaded
// refuse the fallback ("not found in router"): the create is tried again
// until one that serves them answers.
func TestFallbackRightAfterModelCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest}, nil)
	fbModels(h, false)
	created, err := h.create(urn("Fallback", "p"), map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1", "gpt-f2"},
		"fallbackType": "context_window"}, 0)
	if err != nil || created.ID != "gpt-p:context_window" {
		t.Fatalf("create: %q %v", created.ID, err)
	}
	if got := h.emu.StoredFallbacks("context_window"); !slices.Equal(got["gpt-p"], []string{"gpt-f1", "gpt-f2"}) {
		t.Fatalf("stored: %v", got)
	}
	if got := h.emu.StoredFallbacks("general"); len(got) != 0 {
		t.Fatalf("general fallbacks written: %v", got)
	}
	// Another type of the same model is another resource: changing it replaces.
	inputs := h.check(urn("Fallback", "p"), property.Map{}, pm(map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1", "gpt-f2"}, "fallbackType": "context_window"}))
	news := h.check(urn("Fallback", "p"), inputs, pm(map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1", "gpt-f2"}}))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: urn("Fallback", "p"), State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || diff.DetailedDiff["fallbackType"].Kind != p.UpdateReplace {
		t.Fatalf("diff of another type: %+v %v", diff, err)
	}
}

// Models the proxy never serves fail the create once the settle time is
// over, with LiteLLM's message.
func TestFallbackUnknownModelFails(t *testing.T) {
	h := newHarness(t, emulator.Options{ReloadInterval: 200 * time.Millisecond}, nil)
	fbModels(h, true)
	_, err := h.create(urn("Fallback", "p"), map[string]any{"model": "gpt-p", "fallbackModels": []string{"no-such-model"}}, 0)
	if err == nil || !strings.Contains(err.Error(), "Invalid fallback models: ['no-such-model']") {
		t.Fatalf("create: %v", err)
	}
}

// The POST is an upsert: fallbacks someone else set are refused, unless
// adoptExisting.
func TestFallbackConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	fbModels(h, true)
	h.mustAPI("POST", "/fallback", map[string]any{"model": "gpt-p", "fallback_models": []any{"gpt-f2"}})
	h.emu.ReloadAll()
	in := map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}}
	_, err := h.create(urn("Fallback", "p"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "general fallbacks of model gpt-p already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's fallbacks: %v", err)
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f2"}) {
		t.Fatalf("their fallbacks were changed: %v", got)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("Fallback", "p"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f1"}) || len(got) != 1 {
		t.Fatalf("adopted: %v", got)
	}
}

// A dropped answer: the write landed; the retry reads or writes again (an
// upsert of the same rule), never leaving two rules.
func TestFallbackAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second}, nil)
	fbModels(h, true)
	h.emu.SetFaults(emulator.Faults{DropNext: 1, Paths: []string{"POST /fallback"}})
	created, err := h.create(urn("Fallback", "p"), map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}}, 0)
	if err != nil || created.ID != "gpt-p:general" {
		t.Fatalf("create: %q %v", created.ID, err)
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f1"}) || len(got) != 1 {
		t.Fatalf("stored: %v", got)
	}
}

func TestFallbackDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	fbModels(h, true)
	u := urn("Fallback", "p")
	in := map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}}
	created := h.mustCreate(u, in)
	h.mustAPI("DELETE", "/fallback/gpt-p?fallback_type=general", nil)
	h.emu.ReloadAll()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	news := h.check(u, inputs, pm(map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f2"}}))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f2"}) {
		t.Fatalf("set again: %v", got)
	}
}

func TestFallbackCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"model": "a/b", "fallbackModels": []string{"x"}}, "model", `"a/b"`},
		{map[string]any{"model": "m", "fallbackModels": []string{}}, "fallbackModels", "at least one"},
		{map[string]any{"model": "m", "fallbackModels": []string{"x", "m"}}, "fallbackModels[1]", "own fallback"},
		{map[string]any{"model": "m", "fallbackModels": []string{"x"}, "fallbackType": "rate_limit"}, "fallbackType", `"rate_limit"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Fallback", "f"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

// getFallback finds what a resource just created although most workers
// have not reloaded, and misses only once the settle time has passed.
func TestFallbackFunction(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest}, nil)
	fbModels(h, true)
	h.mustCreate(urn("Fallback", "p"), map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}})
	for i := range 3 {
		got, err := h.invoke("getFallback", map[string]any{"model": "gpt-p"})
		if err != nil || !sameStrings(get(got, "fallbackModels"), "gpt-f1") || get(got, "fallbackType") != "general" {
			t.Fatalf("getFallback (%d): %v %v", i, got.GoString(), err)
		}
	}
	start := time.Now()
	_, err := h.invoke("getFallback", map[string]any{"model": "gpt-p", "fallbackType": "content_policy"})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getFallback of none: %v", err)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("a worker's miss was believed after %v, before the settle time", d)
	}
}

// A delete followed at once by a create of the same model and type (a
// replacement, or another resource taking it over): the workers that have
// not reloaded since still serve the deleted fallbacks, which are not
// taken for someone else's.
func TestFallbackCreateRightAfterDelete(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 10 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	fbModels(h, true)
	first := h.mustCreate(urn("Fallback", "a"), map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}})
	h.emu.ReloadAll() // every worker serves it
	if err := h.s.Delete(p.DeleteRequest{ID: first.ID, Urn: urn("Fallback", "a"), Properties: first.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.create(urn("Fallback", "b"), map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f2"}}, 0); err != nil {
		t.Fatalf("create right after the delete: %v", err)
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f2"}) {
		t.Fatalf("stored: %v", got)
	}
}

func TestFallbackPendingCreateIsSettled(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	fbModels(h, true)
	u := urn("Fallback", "p")
	in := map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}}
	created := h.mustCreate(u, in)
	state := aged(created.Properties).Set("createPending", property.New(true))
	inputs := h.check(u, property.Map{}, pm(in))
	resp, err := h.rerun().Update(p.UpdateRequest{ID: created.ID, Urn: u, State: state, OldInputs: inputs, Inputs: inputs})
	if err != nil || get(resp.Properties, "createPending") != nil {
		t.Fatalf("settling the pending create: %v %v", err, resp.Properties.GoString())
	}
	if got := h.emu.StoredFallbacks("general"); !slices.Equal(got["gpt-p"], []string{"gpt-f1"}) || len(got) != 1 {
		t.Fatalf("stored: %v", got)
	}
}
