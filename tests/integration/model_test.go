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

const upstreamKey = "sk-upstream-secret-abcdef123456"

func modelInputs(name string) map[string]any {
	return map[string]any{
		"modelName": name,
		"litellmParams": map[string]any{
			"model":             "openai/gpt-4o",
			"apiBase":           "https://api.openai.com/v1",
			"apiKey":            secret{upstreamKey},
			"rpm":               100,
			"inputCostPerToken": 2.5e-06,
			"extra":             map[string]any{"timeout": 30, "drop_params": true},
		},
		"modelInfo": map[string]any{
			"baseModel": "gpt-4o",
			"mode":      "chat",
			"extra":     map[string]any{"description": "test model"},
		},
	}
}

// Ten parallel creates against four workers that reload every 2 s and a
// store replica that lags 300 ms: every create is confirmed, none is lost or
// duplicated.
func TestModelParallelCreatesUnderLag(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 4, ReloadInterval: 2 * time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	const n = 10
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.create(urn("Model", fmt.Sprintf("m%d", i)), modelInputs(fmt.Sprintf("model-%d", i)), 0)
			ids[i], errs[i] = resp.ID, err
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("create %d: %v", i, errs[i])
		}
	}
	models := h.emu.Models()
	if len(models) != n {
		t.Fatalf("proxy holds %d models, want %d", len(models), n)
	}
	for i, id := range ids {
		m, ok := h.model(id)
		if !ok || m.ModelName != fmt.Sprintf("model-%d", i) {
			t.Fatalf("model %d (id %q) missing or wrong: %+v", i, id, m)
		}
	}
}

// A refresh right after the create meets a worker that has not loaded the
// model (newest LiteLLM: an empty router answers /v2 with data: [] without
// the database). The miss is not believed within the settle time: the read
// is repeated and the model stays in the stack (round-robin per request
// makes this deterministic: the create is answered by worker 0, the first
// read by worker 1, the second by worker 0).
func TestModelRefreshRightAfterCreateWaitsForAStaleWorker(t *testing.T) {
	h := newHarness(t, emulator.Options{Version: emulator.VersionNewest, Workers: 2, ReloadInterval: time.Hour}, nil)
	u := urn("Model", "stale")
	in := modelInputs("stale")
	resp, err := h.create(u, in, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if reads := h.emu.Stats()["GET /v2/model/info"]; reads != 0 {
		t.Fatalf("%d reads after a create the proxy confirmed: its answer is the database row", reads)
	}
	read, err := h.s.Read(p.ReadRequest{ID: resp.ID, Urn: u, Properties: resp.Properties, Inputs: h.check(u, property.Map{}, pm(in))})
	if err != nil || read.ID != resp.ID {
		t.Fatalf("refresh dropped a model that exists: %q %v", read.ID, err)
	}
	if reads := h.emu.Stats()["GET /v2/model/info"]; reads != 2 {
		t.Fatalf("%d v2 reads, want 2: one miss on the stale worker, then the hit", reads)
	}
	if _, ok := h.model(resp.ID); !ok || len(h.emu.Models()) != 1 {
		t.Fatalf("proxy: %+v", h.emu.Models())
	}
}

func TestModelLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Model", "gpt")
	in := modelInputs("gpt-4o")
	created := h.mustCreate(u, in)
	id := created.ID
	if len(id) != 36 || get(created.Properties, "modelId") != id {
		t.Fatalf("want a client-generated UUID as ID and modelId, got %q / %v", id, get(created.Properties, "modelId"))
	}
	if v := created.Properties.Get("litellmParams").AsMap().Get("apiKey"); !v.Secret() {
		t.Fatalf("apiKey output is not a secret: %#v", v)
	}

	// The proxy holds what the program said.
	m, ok := h.model(id)
	if !ok {
		t.Fatal("model not on the proxy")
	}
	lp := m.LitellmParams
	if lp["model"] != "openai/gpt-4o" || lp["api_key"] != upstreamKey || lp["api_base"] != "https://api.openai.com/v1" ||
		lp["rpm"] != float64(100) || lp["timeout"] != float64(30) || lp["drop_params"] != true {
		t.Fatalf("litellm_params on the proxy: %v", lp)
	}
	if m.ModelInfo["base_model"] != "gpt-4o" || m.ModelInfo["description"] != "test model" || m.ModelInfo["id"] != id {
		t.Fatalf("model_info on the proxy: %v", m.ModelInfo)
	}

	// Refresh with no change out of band: inputs unchanged (server-injected
	// enrichment is ignored, the write-only key is kept).
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: h.check(u, property.Map{}, pm(in))})
	if err != nil {
		t.Fatal(err)
	}
	if !read.Inputs.Equals(h.check(u, property.Map{}, pm(in))) {
		t.Fatalf("refresh without drift changed inputs:\n%v\nwant\n%v", read.Inputs.GoString(), pm(in).GoString())
	}

	// Drift out of band is seen by refresh.
	if code, body := h.api("PATCH", "/model/"+id+"/update", map[string]any{"litellm_params": map[string]any{"rpm": 999}}); code != 200 {
		t.Fatalf("out-of-band patch: %d %v", code, body)
	}
	// /v2/model/info answers from the worker's router first: a change shows
	// everywhere once the workers reload (here: at once).
	h.emu.ReloadAll()
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: h.check(u, property.Map{}, pm(in))})
	if err != nil {
		t.Fatal(err)
	}
	if got := get(read.Inputs, "litellmParams.rpm"); got != float64(999) {
		t.Fatalf("refresh saw rpm %v, want the out-of-band 999", got)
	}
	if get(read.Inputs, "litellmParams.apiKey") != upstreamKey {
		t.Fatal("refresh lost the write-only apiKey")
	}

	// Update: new rpm, new apiBase (LiteLLM drops credentials on a destination
	// change unless they are resent), pricing key removed (cleared with null).
	in2 := modelInputs("gpt-4o")
	lp2 := in2["litellmParams"].(map[string]any)
	lp2["rpm"] = 200
	lp2["apiBase"] = "https://eu.api.openai.com/v1"
	delete(lp2, "inputCostPerToken")
	olds := h.check(u, property.Map{}, pm(in))
	news := h.check(u, olds, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: olds, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if !diff.HasChanges || diff.DeleteBeforeReplace || diff.DetailedDiff["litellmParams.rpm"].Kind != p.Update ||
		diff.DetailedDiff["litellmParams.inputCostPerToken"].Kind != p.Delete {
		t.Fatalf("diff: %+v", diff)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: created.Properties, OldInputs: olds, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	m, _ = h.model(id)
	if m.LitellmParams["rpm"] != float64(200) || m.LitellmParams["api_base"] != "https://eu.api.openai.com/v1" {
		t.Fatalf("after update: %v", m.LitellmParams)
	}
	if m.LitellmParams["api_key"] != upstreamKey {
		t.Fatalf("api_key lost after the destination change: %v", m.LitellmParams)
	}
	if _, still := m.LitellmParams["input_cost_per_token"]; still {
		t.Fatalf("input_cost_per_token not cleared: %v", m.LitellmParams)
	}

	// Removing a key LiteLLM cannot clear plans a replacement.
	in3 := modelInputs("gpt-4o")
	delete(in3["litellmParams"].(map[string]any)["extra"].(map[string]any), "timeout")
	diff, err = h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: h.check(u, news, pm(in3))})
	if err != nil {
		t.Fatal(err)
	}
	if diff.DetailedDiff["litellmParams.extra.timeout"].Kind != p.DeleteReplace {
		t.Fatalf("removing extra.timeout must replace: %+v", diff)
	}

	// Import by ID rebuilds the inputs the proxy can return (once every
	// worker has reloaded; until then a stale router may answer).
	h.emu.ReloadAll()
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Model", "imported")})
	if err != nil {
		t.Fatal(err)
	}
	if imp.ID != id || get(imp.Inputs, "modelName") != "gpt-4o" || get(imp.Inputs, "litellmParams.model") != "openai/gpt-4o" ||
		get(imp.Inputs, "litellmParams.rpm") != float64(200) || get(imp.Inputs, "modelInfo.baseModel") != "gpt-4o" ||
		get(imp.Inputs, "litellmParams.extra.timeout") != float64(30) {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if get(imp.Inputs, "litellmParams.apiKey") != nil {
		t.Fatal("import must not invent the write-only apiKey")
	}
	if s := imp.Inputs.GoString(); strings.Contains(s, "****") || strings.Contains(s, "v3:gcm:") {
		t.Fatalf("import adopted a masked or encrypted value: %s", s)
	}

	// Delete removes it from the proxy.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.model(id); ok {
		t.Fatal("model still on the proxy after delete")
	}
	// Deleting again (already gone) succeeds.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatalf("delete of a gone model: %v", err)
	}
}

// A model deleted out of band leaves the state after one read, without
// waiting, once the settle time after the stack's last write has passed.
func TestModelDeletedOutOfBandIsGoneAtOnce(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Hour}, nil)
	u := urn("Model", "gone")
	created := h.mustCreate(u, modelInputs("gone"))
	if code, body := h.api("POST", "/model/delete", map[string]any{"id": created.ID}); code != 200 {
		t.Fatalf("out-of-band delete: %d %v", code, body)
	}
	h.emu.ReloadAll() // the workers have reloaded since (else a stale worker still serves it)
	h.emu.ResetStats()
	start := time.Now()
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties)})
	if err != nil {
		t.Fatal(err)
	}
	if read.ID != "" {
		t.Fatalf("read of a deleted model returned ID %q", read.ID)
	}
	if reads := h.emu.Stats()["GET /v2/model/info"]; reads != 1 {
		t.Fatalf("%d reads to learn that the model is gone, want 1", reads)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("took %v", el)
	}
}

// The connection drops after the proxy committed the create: the provider
// looks the ID up before trying again and never makes a second model.
func TestModelAmbiguousCreateMakesNoDuplicate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second,
		Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /model/new"}}}, nil)
	resp, err := h.create(urn("Model", "amb"), modelInputs("ambiguous"), 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	models := h.emu.Models()
	if len(models) != 1 || models[0].ID != resp.ID {
		t.Fatalf("want exactly the one model %s, got %+v", resp.ID, models)
	}
}

// Transient 429s with Retry-After are retried, honouring the header.
func TestModelThrottledCreateIsRetried(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{ThrottleNext: 2, RetryAfter: time.Second, Paths: []string{"POST /model/new"}}}, nil)
	start := time.Now()
	resp, err := h.create(urn("Model", "thr"), modelInputs("throttled"), 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if el := time.Since(start); el < 2*time.Second {
		t.Fatalf("two 429s with Retry-After: 1 were retried after %v; Retry-After not honoured", el)
	}
	if _, ok := h.model(resp.ID); !ok || len(h.emu.Models()) != 1 {
		t.Fatal("model missing or duplicated")
	}
}

// A permanent error (bad master key) fails at once, without retries and
// without the key in the message.
func TestModelUnauthorizedIsNotRetried(t *testing.T) {
	h := newHarness(t, emulator.Options{}, map[string]any{"apiKey": "sk-wrong-key-9876543210"})
	_, err := h.create(urn("Model", "x"), modelInputs("x"), 0)
	if err == nil {
		t.Fatal("create with a wrong key succeeded")
	}
	if n := h.emu.Stats()["POST /model/new"]; n != 1 {
		t.Fatalf("%d create attempts for a 401, want 1", n)
	}
	if strings.Contains(err.Error(), "sk-wrong-key-9876543210") || strings.Contains(err.Error(), upstreamKey) {
		t.Fatalf("secret in error: %v", err)
	}
	if !strings.Contains(strings.ToLower(err.Error()), "auth") {
		t.Fatalf("error does not say what is wrong: %v", err)
	}
}

// When a create's outcome stays unknown until customTimeouts (the answer is
// lost and every read fails), the model is recorded with its ID and
// createPending, and the next `pulumi up` settles it without a duplicate.
func TestModelUnknownCreateOutcomeKeepsIDAndResumes(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second,
		Faults: emulator.Faults{DropNext: 1, ErrorRate: 1, Paths: []string{"POST /model/new", "GET /v2/model/info"}}}, nil)
	u := urn("Model", "slow")
	in := modelInputs("slow")
	start := time.Now()
	resp, err := h.create(u, in, 3)
	if err == nil {
		t.Fatal("create succeeded although its outcome could not be known")
	}
	// Bounded by the 3 s customTimeout, not by the provider's 20 s maxWait
	// (generous margin for a loaded machine).
	if el := time.Since(start); el > 8*time.Second {
		t.Fatalf("create returned after %v: the 3 s timeout did not bound the wait", el)
	}
	if resp.PartialState == nil || resp.ID == "" || get(resp.Properties, "modelId") != resp.ID || get(resp.Properties, "createPending") != true {
		t.Fatalf("no partial state with the ID and createPending: %+v", resp)
	}
	if _, ok := h.model(resp.ID); !ok {
		t.Fatal("the model should exist on the proxy")
	}
	// The next `pulumi up` updates the init-failed resource: it resumes.
	h.emu.SetFaults(emulator.Faults{})
	inputs := h.check(u, property.Map{}, pm(in))
	upd, err := h.s.Update(p.UpdateRequest{ID: resp.ID, Urn: u, State: resp.Properties, OldInputs: inputs, Inputs: inputs})
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if len(h.emu.Models()) != 1 || get(upd.Properties, "createPending") != nil {
		t.Fatalf("resume: %d models, state %v", len(h.emu.Models()), upd.Properties.GoString())
	}
}

// waitUntilServed waits until the router read serves the model.
func TestModelWaitUntilServed(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 400 * time.Millisecond}, nil)
	in := modelInputs("served")
	in["waitUntilServed"] = true
	resp := h.mustCreate(urn("Model", "served"), in)
	for i := range 3 {
		if code, body := h.api("GET", "/model/info?litellm_model_id="+resp.ID, nil); code != 200 {
			t.Fatalf("router read %d after create: %d %v", i, code, body)
		}
	}
}

// A user-pinned ID is used as is; replacing a model that keeps its pinned ID
// deletes first.
func TestModelPinnedID(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Model", "pinned")
	in := modelInputs("pinned")
	in["modelInfo"].(map[string]any)["id"] = "my-model-1"
	resp := h.mustCreate(u, in)
	if resp.ID != "my-model-1" {
		t.Fatalf("ID %q, want the pinned one", resp.ID)
	}
	in2 := modelInputs("pinned")
	in2["modelInfo"].(map[string]any)["id"] = "my-model-1"
	delete(in2["litellmParams"].(map[string]any)["extra"].(map[string]any), "drop_params")
	olds := h.check(u, property.Map{}, pm(in))
	diff, err := h.s.Diff(p.DiffRequest{ID: resp.ID, Urn: u, State: resp.Properties, OldInputs: olds, Inputs: h.check(u, olds, pm(in2))})
	if err != nil {
		t.Fatal(err)
	}
	if !diff.DeleteBeforeReplace {
		t.Fatalf("replacement with the same pinned ID must delete first: %+v", diff)
	}
	// A second model with the same pinned ID is refused by the proxy, clearly.
	_, err = h.create(urn("Model", "clash"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "my-model-1") {
		t.Fatalf("duplicate pinned ID: %v", err)
	}
}

// Values of the wrong type fail at Check with the property and the value:
// a fraction for an integer is not truncated, a property the resource does
// not have is not ignored.
func TestModelCheckRejectsWrongTypes(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	in := modelInputs("bad")
	in["litellmParams"].(map[string]any)["rpm"] = 1.5
	in["litellmParams"].(map[string]any)["tpm"] = "many"
	in["modelInfo"].(map[string]any)["accessGroups"] = []any{"a", 1}
	in["litelmParams"] = map[string]any{"model": "typo"}
	resp, err := h.s.Check(p.CheckRequest{Urn: urn("Model", "bad"), Inputs: pm(in)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range resp.Failures {
		got[f.Property] = f.Reason
	}
	for prop, frag := range map[string]string{
		"litellmParams.rpm":         "whole number, got 1.5",
		"litellmParams.tpm":         `must be a whole number, got "many"`,
		"modelInfo.accessGroups[1]": "must be a string, got 1",
		"litelmParams":              "not a property",
	} {
		if !strings.Contains(got[prop], frag) {
			t.Errorf("%s: %q does not contain %q (all: %v)", prop, got[prop], frag, got)
		}
	}
}

func TestModelCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	in := modelInputs("bad")
	in["modelInfo"].(map[string]any)["mode"] = "chatty"
	in["litellmParams"].(map[string]any)["rpm"] = -1
	in["litellmParams"].(map[string]any)["apiBase"] = "ftp://example.com"
	in["litellmParams"].(map[string]any)["extra"] = map[string]any{"api_key": "x"}
	resp, err := h.s.Check(p.CheckRequest{Urn: urn("Model", "bad"), Inputs: pm(in)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"modelInfo.mode":        "must be one of chat,",
		"litellmParams.rpm":     "zero or more",
		"litellmParams.apiBase": "http(s) URL",
		"litellmParams.extra":   "set litellmParams.apiKey instead",
	}
	got := map[string]string{}
	for _, f := range resp.Failures {
		got[f.Property] = f.Reason
	}
	for prop, frag := range want {
		if !strings.Contains(got[prop], frag) {
			t.Errorf("%s: failure %q does not contain %q (all: %v)", prop, got[prop], frag, got)
		}
	}
	if len(h.emu.Stats()) != 0 {
		t.Fatalf("Check called the proxy: %v", h.emu.Stats())
	}
}

// apiBase must be a plain http(s) URL (or an os.environ/ reference with a
// variable name); each bad one is refused at preview, naming the value.
func TestModelCheckRejectsBadAPIBase(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for value, frag := range map[string]string{
		"https://admin:hunter22@api.example.com/v1": "user:password@",
		"https://api.example.com:99999/v1":          "port",
		"https://api.example.com:http/v1":           "port",
		"https://api.example.com/v1?x=1":            "query",
		"https://api.example.com/v1#frag":           "fragment",
		"http://:80":                                "host",
		"os.environ/":                               "variable name",
		"os.environ/BAD NAME":                       "variable name",
		"ftp://example.com":                         "http(s) URL",
	} {
		in := modelInputs("bad")
		in["litellmParams"].(map[string]any)["apiBase"] = value
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Model", "bad"), Inputs: pm(in)})
		if err != nil {
			t.Fatal(err)
		}
		var reason string
		for _, f := range resp.Failures {
			if f.Property == "litellmParams.apiBase" {
				reason = f.Reason
			}
		}
		shown := strings.Replace(value, "hunter22", "xxxxx", 1)
		if !strings.Contains(reason, frag) || !strings.Contains(reason, shown) || strings.Contains(reason, "hunter22") {
			t.Errorf("apiBase %q: failure %q, want it to name %q and the value", value, reason, frag)
		}
	}
	for _, ok := range []string{"https://api.example.com:8443/v1", "http://[::1]:4000", "os.environ/AZURE_API_BASE"} {
		in := modelInputs("ok")
		in["litellmParams"].(map[string]any)["apiBase"] = ok
		h.check(urn("Model", "ok"), property.Map{}, pm(in))
	}
}
