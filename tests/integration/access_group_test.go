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

// agModels makes deployments out of band: m-a1 and m-a2 named gpt-a, m-b1
// named gpt-b; every worker serves them.
func agModels(h *harness) {
	for id, name := range map[string]string{"m-a1": "gpt-a", "m-a2": "gpt-a", "m-b1": "gpt-b"} {
		h.mustAPI("POST", "/model/new", map[string]any{"model_name": name, "litellm_params": map[string]any{"model": "openai/gpt-4o"},
			"model_info": map[string]any{"id": id}})
	}
	h.emu.ReloadAll()
}

func TestAccessGroupLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	agModels(h)
	u := urn("AccessGroup", "prod")
	in := map[string]any{"accessGroup": "prod-models", "modelNames": []string{"gpt-b", "gpt-a"}}
	created := h.mustCreate(u, in)
	if created.ID != "prod-models" {
		t.Fatalf("ID %q", created.ID)
	}
	if got := h.emu.ModelAccessGroupMembers("prod-models"); !slices.Equal(got, []string{"m-a1", "m-a2", "m-b1"}) {
		t.Fatalf("members on the proxy: %v", got)
	}

	// Refresh with no change (the program's order is kept); an out-of-band
	// change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: "prod-models", Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) || get(read.Properties, "deploymentCount") != 3.0 {
		t.Fatalf("refresh without change: %v %v (%v)", read.Inputs.GoString(), read.Properties.GoString(), err)
	}
	h.emu.SetModelAccessGroups("m-b1", nil)
	read, err = h.s.Read(p.ReadRequest{ID: "prod-models", Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || !sameStrings(get(read.Inputs, "modelNames"), "gpt-a") {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: the membership is replaced.
	news := h.check(u, inputs, pm(map[string]any{"accessGroup": "prod-models", "modelNames": []string{"gpt-b"}}))
	diff, err := h.s.Diff(p.DiffRequest{ID: "prod-models", Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DetailedDiff["modelNames"].Kind != p.Update || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: "prod-models", Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.emu.ModelAccessGroupMembers("prod-models"); !slices.Equal(got, []string{"m-b1"}) {
		t.Fatalf("members after the update: %v", got)
	}

	// Import: the model names, which pass Check.
	imp, err := h.s.Read(p.ReadRequest{ID: "prod-models", Urn: urn("AccessGroup", "imp")})
	if err != nil || get(imp.Inputs, "accessGroup") != "prod-models" || !sameStrings(get(imp.Inputs, "modelNames"), "gpt-b") ||
		get(imp.Inputs, "modelIds") != nil {
		t.Fatalf("import: %v %v", imp.Inputs.GoString(), err)
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("AccessGroup", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete is fine; a read then says gone.
	if err := h.s.Delete(p.DeleteRequest{ID: "prod-models", Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if got := h.emu.ModelAccessGroupMembers("prod-models"); len(got) != 0 {
		t.Fatalf("still carried by %v", got)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: "prod-models", Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a group already gone: %v", err)
	}
	read, err = h.s.Read(p.ReadRequest{ID: "prod-models", Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// By model ID: one deployment of a shared name; refresh finds members
// added out of band.
func TestAccessGroupByModelID(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agModels(h)
	u := urn("AccessGroup", "one")
	in := map[string]any{"accessGroup": "one-deployment", "modelIds": []string{"m-a1"}}
	created := h.mustCreate(u, in)
	if got := h.emu.ModelAccessGroupMembers("one-deployment"); !slices.Equal(got, []string{"m-a1"}) {
		t.Fatalf("members: %v", got)
	}
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh: %v %v", read.Inputs.GoString(), err)
	}
	h.emu.SetModelAccessGroups("m-a2", []string{"one-deployment"})
	h.emu.ReloadAll()
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || !sameStrings(get(read.Inputs, "modelIds"), "m-a1", "m-a2") {
		t.Fatalf("refresh after an out-of-band addition: %v %v", read.Inputs.GoString(), err)
	}
	// The next up puts it back to the program's selection.
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: inputs}); err != nil {
		t.Fatal(err)
	}
	if got := h.emu.ModelAccessGroupMembers("one-deployment"); !slices.Equal(got, []string{"m-a1"}) {
		t.Fatalf("members after the update: %v", got)
	}
}

// A Model resource that sets no accessGroups sees no drift from a group;
// one that sets them sees the group at refresh.
func TestAccessGroupAndModelResources(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	mu := urn("Model", "m")
	min := modelInputs("ag-model")
	model := h.mustCreate(mu, min)
	h.mustCreate(urn("AccessGroup", "g"), map[string]any{"accessGroup": "by-id", "modelIds": []string{model.ID}})
	if got := h.emu.ModelAccessGroupMembers("by-id"); !slices.Equal(got, []string{model.ID}) {
		t.Fatalf("members: %v", got)
	}
	h.emu.ReloadAll()
	minputs := h.check(mu, property.Map{}, pm(min))
	read, err := h.s.Read(p.ReadRequest{ID: model.ID, Urn: mu, Properties: aged(model.Properties), Inputs: minputs})
	if err != nil || !read.Inputs.Equals(minputs) {
		t.Fatalf("model refresh: %v\nwant %v (%v)", read.Inputs.GoString(), minputs.GoString(), err)
	}
	min2 := modelInputs("ag-model")
	min2["litellmParams"].(map[string]any)["rpm"] = 150
	news := h.check(mu, minputs, pm(min2))
	if _, err := h.s.Update(p.UpdateRequest{ID: model.ID, Urn: mu, State: read.Properties, OldInputs: minputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if got := h.emu.ModelAccessGroupMembers("by-id"); !slices.Equal(got, []string{model.ID}) {
		t.Fatalf("the model update removed the group: %v", got)
	}

	ou := urn("Model", "own")
	oin := modelInputs("ag-own")
	oin["modelInfo"].(map[string]any)["accessGroups"] = []any{"mine"}
	own := h.mustCreate(ou, oin)
	h.mustCreate(urn("AccessGroup", "g2"), map[string]any{"accessGroup": "theirs", "modelIds": []string{own.ID}})
	h.emu.ReloadAll()
	oinputs := h.check(ou, property.Map{}, pm(oin))
	read, err = h.s.Read(p.ReadRequest{ID: own.ID, Urn: ou, Properties: aged(own.Properties), Inputs: oinputs})
	if err != nil || !sameStrings(get(read.Inputs, "modelInfo.accessGroups"), "mine", "theirs") {
		t.Fatalf("refresh of a model with its own access groups: %v %v", read.Inputs.GoString(), err)
	}
}

// The write lands, but the reload it triggers leaves the answering worker
// not serving the model: LiteLLM's 500 after commit is a success.
func TestAccessGroupSavedButNotLive(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agModels(h)
	h.emu.SetFaults(emulator.Faults{SavedNotLiveNext: 1, Paths: []string{"POST /access_group/new"}})
	created, err := h.create(urn("AccessGroup", "g"), map[string]any{"accessGroup": "snl", "modelNames": []string{"gpt-b"}}, 0)
	if err != nil || created.ID != "snl" {
		t.Fatalf("create: %q %v", created.ID, err)
	}
	if n := h.emu.Stats()["POST /access_group/new"]; n != 1 {
		t.Fatalf("%d creates, want 1", n)
	}
	if got := h.emu.ModelAccessGroupMembers("snl"); !slices.Equal(got, []string{"m-b1"}) {
		t.Fatalf("members: %v", got)
	}
}

func TestAccessGroupAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agModels(h)
	h.emu.SetFaults(emulator.Faults{DropNext: 1, Paths: []string{"POST /access_group/new"}})
	created, err := h.create(urn("AccessGroup", "g"), map[string]any{"accessGroup": "amb", "modelNames": []string{"gpt-a"}}, 0)
	if err != nil || created.ID != "amb" {
		t.Fatalf("create: %q %v", created.ID, err)
	}
	if n := h.emu.Stats()["POST /access_group/new"]; n != 1 {
		t.Fatalf("%d creates, want 1 (the dropped one)", n)
	}
	if got := h.emu.ModelAccessGroupMembers("amb"); !slices.Equal(got, []string{"m-a1", "m-a2"}) {
		t.Fatalf("members: %v", got)
	}
}

func TestAccessGroupConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agModels(h)
	h.mustAPI("POST", "/access_group/new", map[string]any{"access_group": "taken", "model_names": []any{"gpt-a"}})
	in := map[string]any{"accessGroup": "taken", "modelNames": []string{"gpt-b"}}
	_, err := h.create(urn("AccessGroup", "g"), in, 0)
	if err == nil || !strings.Contains(err.Error(), "access group taken already exists") || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("create over someone else's group: %v", err)
	}
	if got := h.emu.ModelAccessGroupMembers("taken"); !slices.Equal(got, []string{"m-a1", "m-a2"}) {
		t.Fatalf("their group was changed: %v", got)
	}
	in["adoptExisting"] = true
	if _, err := h.create(urn("AccessGroup", "g"), in, 0); err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if got := h.emu.ModelAccessGroupMembers("taken"); !slices.Equal(got, []string{"m-b1"}) {
		t.Fatalf("adopted group: %v", got)
	}
}

func TestAccessGroupDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agModels(h)
	u := urn("AccessGroup", "g")
	in := map[string]any{"accessGroup": "oob", "modelNames": []string{"gpt-a"}}
	created := h.mustCreate(u, in)
	h.mustAPI("DELETE", "/access_group/oob/delete", nil)
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /access_group/oob/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the group is gone, want 1", n)
	}
	news := h.check(u, inputs, pm(map[string]any{"accessGroup": "oob", "modelNames": []string{"gpt-b"}}))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if got := h.emu.ModelAccessGroupMembers("oob"); !slices.Equal(got, []string{"m-b1"}) {
		t.Fatalf("recreated group: %v", got)
	}
}

func TestAccessGroupCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"accessGroup": "a/b", "modelNames": []string{"x"}}, "accessGroup", `"a/b"`},
		{map[string]any{"accessGroup": "g"}, "modelNames", "modelIds"},
		{map[string]any{"accessGroup": "g", "modelNames": []string{"x"}, "modelIds": []string{"y"}}, "modelIds", "modelNames"},
		{map[string]any{"accessGroup": "g", "modelNames": []string{" "}}, "modelNames[0]", "must not be empty"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("AccessGroup", "g"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestAccessGroupFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	agModels(h)
	h.mustCreate(urn("AccessGroup", "g"), map[string]any{"accessGroup": "fn-group", "modelNames": []string{"gpt-a"}})
	got, err := h.invoke("getAccessGroup", map[string]any{"accessGroup": "fn-group"})
	if err != nil || !sameStrings(get(got, "modelNames"), "gpt-a") || get(got, "deploymentCount") != 2.0 || get(got, "spend") != nil && get(got, "spend") != 0.0 {
		t.Fatalf("getAccessGroup: %v %v", got.GoString(), err)
	}
	got, err = h.invoke("listAccessGroups", nil)
	if err != nil || len(got.Get("accessGroups").AsArray().AsSlice()) != 1 {
		t.Fatalf("listAccessGroups: %v %v", got.GoString(), err)
	}
	start := time.Now()
	if _, err := h.invoke("getAccessGroup", map[string]any{"accessGroup": "nope"}); err == nil ||
		!strings.Contains(err.Error(), "access group nope does not exist") || time.Since(start) > 2*time.Second {
		t.Fatalf("getAccessGroup of a missing group: %v after %v", err, time.Since(start))
	}
}

func TestAccessGroupPendingCreateIsSettled(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	agModels(h)
	u := urn("AccessGroup", "g")
	in := map[string]any{"accessGroup": "pending-group", "modelNames": []string{"gpt-b"}}
	created := h.mustCreate(u, in)
	state := aged(created.Properties).Set("createPending", property.New(true))
	inputs := h.check(u, property.Map{}, pm(in))
	resp, err := h.rerun().Update(p.UpdateRequest{ID: created.ID, Urn: u, State: state, OldInputs: inputs, Inputs: inputs})
	if err != nil || get(resp.Properties, "createPending") != nil {
		t.Fatalf("settling the pending create: %v %v", err, resp.Properties.GoString())
	}
	if got := h.emu.ModelAccessGroupMembers("pending-group"); !slices.Equal(got, []string{"m-b1"}) {
		t.Fatalf("members: %v", got)
	}
}
