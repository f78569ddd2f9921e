package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const vsSecret = "sk-vector-store-provider-key-0123456789"

func vectorStoreInputs(name string) map[string]any {
	return map[string]any{
		"vectorStoreName":        name,
		"customLlmProvider":      "openai",
		"vectorStoreDescription": "product docs",
		"vectorStoreMetadata":    map[string]any{"owner": "docs-team", "tier": map[string]any{"level": 2.0}},
		"litellmParams":          secret{map[string]any{"api_key": vsSecret, "api_base": "https://api.openai.com/v1"}},
	}
}

func (h *harness) vectorStore(id string) (map[string]any, bool) {
	return rowWith(h.emu.VectorStores(), "vector_store_id", id)
}

func TestVectorStoreLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("VectorStore", "docs")
	in := vectorStoreInputs("docs")
	in["vectorStoreId"] = "vs_docs123"
	created := h.mustCreate(u, in)
	id := created.ID
	if id != "vs_docs123" || get(created.Properties, "vectorStoreId") != id || !created.Properties.Get("litellmParams").Secret() {
		t.Fatalf("ID %q, outputs %v", id, created.Properties.GoString())
	}
	row, ok := h.vectorStore(id)
	if !ok || row["vector_store_name"] != "docs" || row["custom_llm_provider"] != "openai" ||
		get(pm(row), "litellm_params.api_key") != vsSecret || get(pm(row), "vector_store_metadata.owner") != "docs-team" ||
		get(pm(row), "vector_store_metadata.pulumi.urn") != string(u) {
		t.Fatalf("vector store on the proxy: %v", row)
	}

	// A refresh with no change shows none; an out-of-band change is seen
	// once the workers' registries have reloaded.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateVectorStore(id, map[string]any{"vector_store_description": "edited in the UI"})
	h.emu.ReloadAll()
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "vectorStoreDescription") != "edited in the UI" || !read.Inputs.Get("litellmParams").Secret() ||
		get(read.Inputs, "litellmParams.api_key") != vsSecret {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: name and metadata changed, description removed
	// (cleared with null).
	in2 := vectorStoreInputs("docs-v2")
	in2["vectorStoreId"] = "vs_docs123"
	delete(in2, "vectorStoreDescription")
	in2["vectorStoreMetadata"] = map[string]any{"owner": "platform"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the store: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.vectorStore(id)
	if row["vector_store_name"] != "docs-v2" || row["vector_store_description"] != nil || get(pm(row), "vector_store_metadata.owner") != "platform" ||
		get(pm(row), "vector_store_metadata.tier") != nil || get(pm(row), "vector_store_metadata.pulumi.urn") != string(u) ||
		get(pm(row), "litellm_params.api_key") != vsSecret {
		t.Fatalf("after update: %v", row)
	}

	// litellmParams cannot be updated: a change replaces the store (delete
	// first, its ID being pinned).
	in3 := vectorStoreInputs("docs-v2")
	in3["vectorStoreId"] = "vs_docs123"
	in3["litellmParams"] = secret{map[string]any{"api_key": "sk-another-provider-key-000000"}}
	d3, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: h.check(u, news, pm(in3))})
	if err != nil || d3.DetailedDiff["litellmParams"].Kind != p.UpdateReplace || !d3.DeleteBeforeReplace {
		t.Fatalf("changing litellmParams: %+v %v", d3, err)
	}

	// Import rebuilds the readable inputs, which pass Check, without the
	// redacted key.
	h.emu.ReloadAll()
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("VectorStore", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "vectorStoreName") != "docs-v2" || get(imp.Inputs, "customLlmProvider") != "openai" ||
		get(imp.Inputs, "litellmParams.api_base") != "https://api.openai.com/v1" || get(imp.Inputs, "litellmParams.api_key") != nil ||
		get(imp.Inputs, "vectorStoreMetadata.owner") != "platform" || get(imp.Inputs, "vectorStoreMetadata.pulumi") != nil ||
		get(imp.Inputs, "vectorStoreId") != nil || get(imp.Inputs, "isConfig") != nil || get(imp.Inputs, "userId") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("VectorStore", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of a store already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.vectorStore(id); ok {
		t.Fatal("vector store still on the proxy")
	}
	h.emu.ReloadAll()
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a store already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// A worker's registry serves the version it first loaded, for good (its
// periodic sync only adds stores): /vector_store/info on another worker
// still shows the old name long after the update, and a refresh, which
// reads the database's listing, never takes it for drift.
func TestVectorStoreStaleRegistryIsNotBelieved(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 500 * time.Millisecond, Routing: emulator.RoutePerRequest}, nil)
	u := urn("VectorStore", "s")
	in := map[string]any{"vectorStoreName": "stale", "customLlmProvider": "openai"}
	created := h.mustCreate(u, in)
	h.emu.ReloadAll() // every worker holds the first version
	inputs := h.check(u, property.Map{}, pm(in))
	in["vectorStoreName"] = "fresh"
	news := h.check(u, inputs, pm(in))
	up, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	h.emu.ReloadAll()
	stale := 0
	for range 3 {
		if _, body := h.api("POST", "/vector_store/info", map[string]any{"vector_store_id": created.ID}); get(pm(body), "vector_store.vector_store_name") == "stale" {
			stale++
		}
	}
	if stale == 0 {
		t.Fatal("no worker serves the old version from its registry: the emulator lost LiteLLM's add-only sync")
	}
	for range 3 {
		read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(up.Properties), Inputs: news})
		if err != nil || get(read.Inputs, "vectorStoreName") != "fresh" {
			t.Fatalf("refresh after the update: %v %v", read.Inputs.GoString(), err)
		}
	}
}

func TestVectorStoreDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{ReloadInterval: time.Second}, nil)
	u := urn("VectorStore", "s")
	in := map[string]any{"vectorStoreId": "oob-vs", "vectorStoreName": "oob", "customLlmProvider": "openai"}
	created := h.mustCreate(u, in)
	h.emu.DeleteVectorStore("oob-vs")
	h.emu.ReloadAll()
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /vector_store/list"]; n != 1 {
		t.Fatalf("%d reads to learn that the store is gone, want 1", n)
	}
	in["vectorStoreName"] = "back"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.vectorStore("oob-vs"); !ok || row["vector_store_name"] != "back" {
		t.Fatalf("recreated store: %v", row)
	}
}

func TestVectorStoreConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/vector_store/new", map[string]any{"vector_store_id": "taken", "custom_llm_provider": "openai",
		"vector_store_name": "theirs"}); code != 200 {
		t.Fatalf("out-of-band create: %d %v", code, body)
	}
	in := map[string]any{"vectorStoreId": "taken", "vectorStoreName": "ours", "customLlmProvider": "openai"}
	_, err := h.create(urn("VectorStore", "s"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "vector store taken already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's store: %v", err)
	}
	if row, _ := h.vectorStore("taken"); row["vector_store_name"] != "theirs" {
		t.Fatalf("their store was changed: %v", row)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("VectorStore", "s"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if row, _ := h.vectorStore("taken"); row["vector_store_name"] != "ours" || len(h.emu.VectorStores()) != 1 {
		t.Fatalf("adopted store: %v", h.emu.VectorStores())
	}
}

func TestVectorStoreAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second,
		Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /vector_store/new"}}}, nil)
	created, err := h.create(urn("VectorStore", "s"), map[string]any{"vectorStoreName": "amb", "customLlmProvider": "openai"}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if rows := h.emu.VectorStores(); len(rows) != 1 || rows[0]["vector_store_id"] != created.ID {
		t.Fatalf("stores: %v", rows)
	}
	if n := h.emu.Stats()["POST /vector_store/new"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

func TestVectorStoreInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("VectorStore", "s")
	in := map[string]any{"vectorStoreName": "intr", "customLlmProvider": "openai"}
	first := h.mustCreate(u, in)
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != first.ID || len(h.emu.VectorStores()) != 1 {
		t.Fatalf("rerun: %q %v (first %q) %v", again.ID, err, first.ID, h.emu.VectorStores())
	}
}

func TestVectorStoreCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"vectorStoreName": "x", "customLlmProvider": ""}, "customLlmProvider", "empty"},
		{map[string]any{"vectorStoreName": "", "customLlmProvider": "openai"}, "vectorStoreName", "empty"},
		{map[string]any{"vectorStoreName": "x", "customLlmProvider": "openai", "vectorStoreId": "a b"}, "vectorStoreId", `"a b"`},
		{map[string]any{"vectorStoreName": "x", "customLlmProvider": "openai", "vectorStoreMetadata": map[string]any{"pulumi": 1.0}}, "vectorStoreMetadata", `"pulumi"`},
		{map[string]any{"vectorStoreName": "x", "customLlmProvider": "openai", "litellmParams": map[string]any{"api_base": "not a url"}}, "litellmParams.api_base", "http"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("VectorStore", "s"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestVectorStoreFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 5 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	created := h.mustCreate(urn("VectorStore", "docs"), vectorStoreInputs("docs"))
	for i := range 3 {
		got, err := h.invoke("getVectorStore", map[string]any{"vectorStoreId": created.ID})
		if err != nil || get(got, "vectorStoreName") != "docs" || get(got, "litellmParams.api_base") != "https://api.openai.com/v1" ||
			get(got, "litellmParams.api_key") != nil || strings.Contains(got.GoString(), vsSecret) || get(got, "vectorStoreMetadata.pulumi") != nil ||
			!strings.Contains(fmtStr(get(got, "managedBy")), "::docs") {
			t.Fatalf("getVectorStore (%d): %v %v", i, got.GoString(), err)
		}
	}
	if _, err := h.invoke("getVectorStore", map[string]any{"vectorStoreId": "nope"}); err == nil ||
		!strings.Contains(err.Error(), "vector store nope does not exist") {
		t.Fatalf("getVectorStore of a missing store: %v", err)
	}
	got, err := h.invoke("listVectorStores", map[string]any{"customLlmProvider": "openai"})
	if err != nil || strings.Contains(got.GoString(), vsSecret) {
		t.Fatalf("listVectorStores: %v %v", got.GoString(), err)
	}
	rows := goValue(got.Get("vectorStores")).([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["vectorStoreId"] != created.ID {
		t.Fatalf("listVectorStores rows: %v", rows)
	}
	got, err = h.invoke("listVectorStores", map[string]any{"customLlmProvider": "bedrock"})
	if err != nil || len(goValue(got.Get("vectorStores")).([]any)) != 0 {
		t.Fatalf("listVectorStores (bedrock): %v %v", got.GoString(), err)
	}
}
