package integration

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const ptToken = "bria-upstream-token-0123456789"

func passThroughInputs(path string) map[string]any {
	return map[string]any{
		"path":               path,
		"target":             "https://engine.example.com/v1",
		"headers":            secret{map[string]any{"Authorization": "Bearer " + ptToken}},
		"defaultQueryParams": map[string]any{"api_version": "2024-01"},
		"includeSubpath":     true,
		"costPerRequest":     0.5,
		"timeout":            30.0,
		"methods":            []string{"POST"},
	}
}

func (h *harness) passThrough(id string) (map[string]any, bool) {
	for _, x := range h.emu.PassThroughEndpoints() {
		if x["id"] == id {
			return x, true
		}
	}
	return nil, false
}

func TestPassThroughEndpointLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("PassThroughEndpoint", "bria")
	in := passThroughInputs("/bria")
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "endpointId") != id {
		t.Fatalf("ID %q, endpointId output %v", id, get(created.Properties, "endpointId"))
	}
	if !created.Properties.Get("headers").Secret() {
		t.Fatalf("headers are not secret in the state: %v", created.Properties.GoString())
	}
	x, ok := h.passThrough(id)
	if !ok || x["path"] != "/bria" || x["target"] != "https://engine.example.com/v1" || get(pm(x), "headers.Authorization") != "Bearer "+ptToken ||
		x["include_subpath"] != true || x["cost_per_request"] != 0.5 || x["timeout"] != 30.0 || x["auth"] != true ||
		fmt.Sprint(x["methods"]) != "[POST]" || get(pm(x), "default_query_params.api_version") != "2024-01" {
		t.Fatalf("entry on the proxy: %v", x)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdatePassThroughEndpoint(id, map[string]any{"target": "https://elsewhere.example.com"})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "target") != "https://elsewhere.example.com" {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a new target, costPerRequest and methods removed
	// (reset to LiteLLM's defaults), auth false.
	in2 := passThroughInputs("/bria")
	delete(in2, "costPerRequest")
	delete(in2, "methods")
	in2["auth"] = false
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the entry: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	x, _ = h.passThrough(id)
	if x["target"] != "https://engine.example.com/v1" || x["cost_per_request"] != 0.0 || x["auth"] != false ||
		len(x["methods"].([]any)) != 0 || x["timeout"] != 30.0 || len(h.emu.PassThroughEndpoints()) != 1 {
		t.Fatalf("after update: %v", h.emu.PassThroughEndpoints())
	}

	// Removing timeout (LiteLLM's merge cannot clear it) re-adds the entry
	// under the same ID.
	in3 := passThroughInputs("/bria")
	delete(in3, "timeout")
	news3 := h.check(u, news, pm(in3))
	updated, err = h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: news3})
	if err != nil {
		t.Fatal(err)
	}
	if x, ok = h.passThrough(id); !ok || x["timeout"] != nil || x["cost_per_request"] != 0.5 || len(h.emu.PassThroughEndpoints()) != 1 {
		t.Fatalf("after removing timeout: %v", h.emu.PassThroughEndpoints())
	}

	// Import rebuilds the readable inputs (the headers too: a proxy admin
	// reads them), which pass Check; the proxy's defaults are left out.
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("PassThroughEndpoint", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "path") != "/bria" || get(imp.Inputs, "costPerRequest") != 0.5 || get(imp.Inputs, "headers.Authorization") != "Bearer "+ptToken ||
		get(imp.Inputs, "auth") != nil || get(imp.Inputs, "timeout") != nil || get(imp.Inputs, "isFromConfig") != nil || get(imp.Inputs, "endpointId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("PassThroughEndpoint", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}
	if !imp.Properties.Get("headers").Secret() {
		t.Fatalf("imported headers are not secret: %v", imp.Properties.GoString())
	}

	// Delete; a second delete of an entry already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.passThrough(id); ok {
		t.Fatal("entry still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of an entry already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news3})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestPassThroughEndpointDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("PassThroughEndpoint", "pt")
	in := map[string]any{"endpointId": "oob-pt", "path": "/oob", "target": "https://oob.example.com"}
	created := h.mustCreate(u, in)
	if x, _ := h.passThrough("oob-pt"); x["cost_per_request"] != 0.0 || x["timeout"] != nil {
		t.Fatalf("unset fields were sent: %v", x)
	}
	h.emu.DeletePassThroughEndpoint("oob-pt")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /config/pass_through_endpoint"]; n != 1 {
		t.Fatalf("%d reads to learn that the entry is gone, want 1", n)
	}
	in["target"] = "https://new.example.com"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if x, ok := h.passThrough("oob-pt"); !ok || x["target"] != "https://new.example.com" || len(h.emu.PassThroughEndpoints()) != 1 {
		t.Fatalf("recreated entry: %v", h.emu.PassThroughEndpoints())
	}
}

// The connection drops after the proxy stored the entry: the retry reads,
// recognises its own write and sends no second create (LiteLLM would
// append a duplicate).
func TestPassThroughEndpointAmbiguousCreate(t *testing.T) {
	for name, in := range map[string]map[string]any{
		"derived": {"path": "/amb", "target": "https://amb.example.com"},
		"pinned":  {"endpointId": "amb-pt", "path": "/amb", "target": "https://amb.example.com"},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /config/pass_through_endpoint"}}}, nil)
			created, err := h.create(urn("PassThroughEndpoint", "pt"), in, 0)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if all := h.emu.PassThroughEndpoints(); len(all) != 1 || all[0]["id"] != created.ID {
				t.Fatalf("entries: %v", all)
			}
			if n := h.emu.Stats()["POST /config/pass_through_endpoint"]; n != 1 {
				t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
			}
		})
	}
}

// A create interrupted before the engine recorded it is found by the next
// run under the same derived ID: one entry.
func TestPassThroughEndpointInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("PassThroughEndpoint", "pt")
	in := map[string]any{"path": "/again", "target": "https://again.example.com"}
	first := h.mustCreate(u, in)
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if all := h.emu.PassThroughEndpoints(); len(all) != 1 {
		t.Fatalf("entries: %v", all)
	}
}

// An entry made outside Pulumi, under the pinned ID or on the same path and
// methods, is never taken over without adoptExisting.
func TestPassThroughEndpointConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/config/pass_through_endpoint", map[string]any{"id": "theirs", "path": "/taken", "target": "https://theirs.example.com"}); code != 200 {
		t.Fatalf("out-of-band create: %d %v", code, body)
	}
	_, err := h.create(urn("PassThroughEndpoint", "a"), map[string]any{"endpointId": "theirs", "path": "/mine", "target": "https://mine.example.com"}, 0)
	if err == nil || !strings.Contains(err.Error(), "pass-through endpoint theirs already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's ID: %v", err)
	}
	_, err = h.create(urn("PassThroughEndpoint", "b"), map[string]any{"path": "/taken", "methods": []string{"GET"}, "target": "https://mine.example.com"}, 0)
	if err == nil || !strings.Contains(err.Error(), "/taken is already served by the entry theirs") {
		t.Fatalf("create on someone else's path: %v", err)
	}
	if x, _ := h.passThrough("theirs"); x["target"] != "https://theirs.example.com" || len(h.emu.PassThroughEndpoints()) != 1 {
		t.Fatalf("their entry was changed: %v", h.emu.PassThroughEndpoints())
	}
	if _, err := h.create(urn("PassThroughEndpoint", "a"), map[string]any{"endpointId": "theirs", "path": "/taken",
		"target": "https://mine.example.com", "adoptExisting": true}, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if x, _ := h.passThrough("theirs"); x["target"] != "https://mine.example.com" || len(h.emu.PassThroughEndpoints()) != 1 {
		t.Fatalf("adopted entry: %v", h.emu.PassThroughEndpoints())
	}
}

// Many creates at once, on a proxy whose writes of the list overlap (each
// rewrites the list as it was 150 ms earlier), lose no entry, and an entry
// written out of band survives: the provider serialises its writes and
// writes back what an overlapping write lost.
func TestPassThroughEndpointParallelWritesLoseNothing(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, _ := h.api("POST", "/config/pass_through_endpoint", map[string]any{"id": "oob", "path": "/oob", "target": "https://oob.example.com"}); code != 200 {
		t.Fatal("out-of-band create failed")
	}
	time.Sleep(200 * time.Millisecond)
	h.emu.SetPassThroughWriteRace(150 * time.Millisecond)
	const n = 8
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.create(urn("PassThroughEndpoint", fmt.Sprintf("p%d", i)),
				map[string]any{"path": fmt.Sprintf("/p%d", i), "target": "https://p.example.com"}, 0)
			ids[i], errs[i] = resp.ID, err
		}()
	}
	// Another stack (another provider process) writes at the same time.
	other := h.otherStack()
	var otherID string
	var otherErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		resp, err := h.createOn(other, urn("PassThroughEndpoint", "other"), map[string]any{"path": "/other", "target": "https://o.example.com"}, 0)
		otherID, otherErr = resp.ID, err
	}()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	if otherErr != nil {
		t.Fatalf("other stack's create: %v", otherErr)
	}
	// The other process confirmed its own entry; ours may have overlapped
	// with it after that: a refresh of it finds it, or an update adds it back.
	time.Sleep(200 * time.Millisecond)
	h.emu.SetPassThroughWriteRace(0)
	have := map[string]bool{}
	for _, x := range h.emu.PassThroughEndpoints() {
		have[fmt.Sprint(x["id"])] = true
	}
	if !have["oob"] {
		t.Fatalf("the out-of-band entry was lost: %v", h.emu.PassThroughEndpoints())
	}
	for i, id := range ids {
		if !have[id] {
			t.Fatalf("entry %d (%s) was lost: %v", i, id, h.emu.PassThroughEndpoints())
		}
	}
	if len(h.emu.PassThroughEndpoints()) != n+2 && !have[otherID] {
		t.Logf("the other stack's entry was lost by an overlapping write after it confirmed it (racy across stacks, documented)")
	}
	if got := len(h.emu.PassThroughEndpoints()); got > n+2 {
		t.Fatalf("%d entries, want at most %d (duplicates): %v", got, n+2, h.emu.PassThroughEndpoints())
	}
}

func TestPassThroughEndpointCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	base := func(extra map[string]any) map[string]any {
		in := map[string]any{"path": "/x", "target": "https://x.example.com"}
		for k, v := range extra {
			in[k] = v
		}
		return in
	}
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{base(map[string]any{"path": "bria"}), "path", `"bria"`},
		{base(map[string]any{"target": "ftp://x"}), "target", `ftp://x`},
		{base(map[string]any{"costPerRequest": -1.0}), "costPerRequest", "-1"},
		{base(map[string]any{"timeout": 0.0}), "timeout", "0"},
		{base(map[string]any{"methods": []string{"FETCH"}}), "methods[0]", `"FETCH"`},
		{base(map[string]any{"endpointId": "a/b"}), "endpointId", `"a/b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("PassThroughEndpoint", "x"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
	resp, _ := h.s.Check(p.CheckRequest{Urn: urn("PassThroughEndpoint", "x"), Inputs: pm(map[string]any{"target": "https://x.example.com"})})
	if len(resp.Failures) != 1 || resp.Failures[0].Property != "path" {
		t.Errorf("missing path: %+v", resp.Failures)
	}
}

// getPassThroughEndpoint finds what a resource just created and misses
// cleanly; listPassThroughEndpoints shows the config file's entries too,
// and no function returns a header value.
func TestPassThroughEndpointFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	h.emu.SetConfigPassThroughEndpoints([]map[string]any{{"path": "/from-config", "target": "https://c.example.com"}})
	created := h.mustCreate(urn("PassThroughEndpoint", "fn"), passThroughInputs("/fn"))
	for i := range 3 {
		got, err := h.invoke("getPassThroughEndpoint", map[string]any{"endpointId": created.ID})
		if err != nil || get(got, "path") != "/fn" || fmt.Sprint(get(got, "headerNames")) != "[Authorization]" ||
			strings.Contains(got.GoString(), ptToken) || get(got, "isFromConfig") != false {
			t.Fatalf("getPassThroughEndpoint (%d): %v %v", i, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getPassThroughEndpoint", map[string]any{"endpointId": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getPassThroughEndpoint of a missing entry: %v", err)
	}
	got, err := h.invoke("listPassThroughEndpoints", nil)
	if err != nil || strings.Contains(got.GoString(), ptToken) {
		t.Fatalf("listPassThroughEndpoints: %v %v", got.GoString(), err)
	}
	rows, _ := get(got, "endpoints").([]any)
	if len(rows) != 2 || get(pm(rows[0].(map[string]any)), "path") != "/fn" || get(pm(rows[1].(map[string]any)), "isFromConfig") != true {
		t.Fatalf("listPassThroughEndpoints rows: %v", rows)
	}
}

// An out-of-band write that overlaps ours (it read the list before ours
// landed and writes it back after) drops our entry: the confirmation finds
// it missing and adds it again, keeping the out-of-band entry.
func TestPassThroughEndpointLostToAnOverlappingWriteIsWrittenAgain(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.emu.SetPassThroughWriteRace(300 * time.Millisecond)
	done := make(chan error, 1)
	var created p.CreateResponse
	go func() {
		var err error
		created, err = h.create(urn("PassThroughEndpoint", "mine"), map[string]any{"path": "/mine", "target": "https://mine.example.com"}, 0)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // our create is waiting between its read and its write of the list
	if code, _ := h.api("POST", "/config/pass_through_endpoint", map[string]any{"id": "late", "path": "/late", "target": "https://late.example.com"}); code != 200 {
		t.Fatal("out-of-band create failed")
	}
	if err := <-done; err != nil {
		t.Fatalf("create: %v", err)
	}
	h.emu.SetPassThroughWriteRace(0)
	if _, ok := h.passThrough(created.ID); !ok {
		t.Fatalf("our entry was lost: %v", h.emu.PassThroughEndpoints())
	}
	if _, ok := h.passThrough("late"); !ok || len(h.emu.PassThroughEndpoints()) != 2 {
		t.Fatalf("entries: %v", h.emu.PassThroughEndpoints())
	}
	if n := h.emu.Stats()["POST /config/pass_through_endpoint"]; n != 3 {
		t.Fatalf("%d creates, want 3 (ours, theirs, ours again)", n)
	}
}
