package integration

import (
	"fmt"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

// A refresh right after a create never drops an object that exists, whatever
// the worker count or LiteLLM version: `pulumi refresh` is a new provider
// process, so its connection lands on another worker, which has not
// reloaded yet and answers "not found" read after read (connections, not
// requests, are balanced). The miss is believed only once the settle time
// after the stack's write has passed.
func TestRefreshAfterCreateKeepsObjectsOnStaleWorkers(t *testing.T) {
	opts := emulator.Options{Workers: 8, ReloadInterval: 1500 * time.Millisecond, Routing: emulator.RoutePerConnection}
	t.Run("credential", func(t *testing.T) {
		h := newHarness(t, opts, nil)
		u := urn("Credential", "c")
		in := credInputs("fresh")
		created := h.mustCreate(u, in)
		h.emu.ResetStats()
		read, err := h.rerun().Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: h.check(u, property.Map{}, pm(in))})
		if err != nil || read.ID != "fresh" {
			t.Fatalf("refresh dropped the credential: %q %v", read.ID, err)
		}
		if n := h.emu.Stats()["GET /credentials/by_name/fresh"]; n < 2 {
			t.Fatalf("%d reads: the refresh did not meet a stale worker, so this test proves nothing", n)
		}
	})
	t.Run("model on a proxy whose /v2 reads only the router", func(t *testing.T) {
		o := opts
		o.V2RouterOnly = true
		h := newHarness(t, o, nil)
		u := urn("Model", "m")
		in := modelInputs("fresh")
		created := h.mustCreate(u, in)
		h.emu.ResetStats()
		read, err := h.rerun().Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: h.check(u, property.Map{}, pm(in))})
		if err != nil || read.ID != created.ID {
			t.Fatalf("refresh dropped the model: %q %v", read.ID, err)
		}
		if n := h.emu.Stats()["GET /v2/model/info"]; n < 2 {
			t.Fatalf("%d reads: the refresh did not meet a stale worker, so this test proves nothing", n)
		}
		if len(h.emu.Models()) != 1 {
			t.Fatal("models")
		}
	})
}

// Once the settle time has passed, a miss is believed at once, even from a
// worker's memory: a genuinely deleted object costs one read.
func TestRefreshBelievesAMissAfterTheSettleTime(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 8, ReloadInterval: 1500 * time.Millisecond, Routing: emulator.RoutePerConnection}, nil)
	u := urn("Credential", "c")
	created := h.mustCreate(u, credInputs("old"))
	if code, _ := h.api("DELETE", "/credentials/old", nil); code != 200 {
		t.Fatal("out-of-band delete")
	}
	h.emu.ReloadAll()
	h.emu.ResetStats()
	start := time.Now()
	read, err := h.rerun().Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties)})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /credentials/by_name/old"]; n != 1 || time.Since(start) > 2*time.Second {
		t.Fatalf("%d reads in %v, want one at once", n, time.Since(start))
	}
}

// A refresh lists each kind once and takes every object it finds from the
// listing; an object the listing does not show (here: made through another
// worker, which the listing's worker has not loaded) is read by ID and kept.
func TestRefreshListsOnceAndReadsTheRestByID(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Hour}, nil)
	var created []p.CreateResponse
	var names []string
	for i := range 6 {
		name := fmt.Sprintf("listed-%d", i)
		created = append(created, h.mustCreate(urn("Model", name), modelInputs(name)))
		names = append(names, name)
	}
	h.emu.ReloadAll()
	late := h.mustCreate(urn("Model", "late"), modelInputs("late")) // on one worker's router only
	created, names = append(created, late), append(names, "late")
	h.emu.ResetStats()
	s := h.rerun() // `pulumi refresh` is a new provider process
	for i, c := range created {
		u := urn("Model", names[i])
		read, err := s.Read(p.ReadRequest{ID: c.ID, Urn: u, Properties: aged(c.Properties), Inputs: h.check(u, property.Map{}, pm(modelInputs(names[i])))})
		if err != nil || read.ID != c.ID {
			t.Fatalf("%s: %q %v", names[i], read.ID, err)
		}
	}
	// One listing page, plus at most one read by ID for the model the
	// listing's worker did not have.
	if n := h.emu.Stats()["GET /v2/model/info"]; n > 2 {
		t.Fatalf("%d reads for %d models: the listing was not used", n, len(created))
	}
}
