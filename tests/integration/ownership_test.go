package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

// Both answers LiteLLM has given to a duplicate model ID: the newest 500
// "Failed to add model to db" and the older 400 "already belongs".
var generations = []string{emulator.VersionNewest, emulator.VersionLegacy}

func pinnedInputs(name, id string) map[string]any {
	in := modelInputs(name)
	in["modelInfo"].(map[string]any)["id"] = id
	return in
}

// Two resources of one stack pinning one ID: the second fails at once with a
// conflict that names the first, and the first model keeps its values.
func TestPinnedIDOfAnotherResourceIsNotTakenOver(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen, Workers: 2, ReloadInterval: time.Second}, nil)
			h.mustCreate(urn("Model", "first"), pinnedInputs("first", "shared-id"))
			start := time.Now()
			_, err := h.create(urn("Model", "second"), pinnedInputs("second", "shared-id"), 0)
			if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "::first") {
				t.Fatalf("want a conflict naming the first resource, got %v", err)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Fatalf("a plain collision took %v", el)
			}
			m, _ := h.model("shared-id")
			if m.ModelName != "first" || len(h.emu.Models()) != 1 {
				t.Fatalf("the first model was changed: %+v", h.emu.Models())
			}
		})
	}
}

// Another stack pinning this stack's ID gets a conflict too, and so does a
// stack pinning the ID of a model made outside Pulumi; adoptExisting is the
// only way to take one over.
func TestForeignModelsAreNotTakenOver(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			h.mustCreate(urn("Model", "mine"), pinnedInputs("mine", "mine-1"))
			other := h.otherStack()
			if _, err := h.createOn(other, urn("Model", "mine"), pinnedInputs("theirs", "mine-1"), 0); err == nil ||
				!strings.Contains(err.Error(), "another stack") {
				t.Fatalf("another stack with the same resource name: %v", err)
			}
			if m, _ := h.model("mine-1"); m.ModelName != "mine" {
				t.Fatalf("overwritten by another stack: %+v", m)
			}

			if code, body := h.api("POST", "/model/new", map[string]any{"model_name": "ui-made",
				"litellm_params": map[string]any{"model": "openai/gpt-4o"}, "model_info": map[string]any{"id": "ui-1"}}); code != 200 {
				t.Fatalf("seed: %d %v", code, body)
			}
			_, err := h.create(urn("Model", "grab"), pinnedInputs("grab", "ui-1"), 0)
			if err == nil || !strings.Contains(err.Error(), "not created by Pulumi") || !strings.Contains(err.Error(), "adoptExisting") {
				t.Fatalf("unmarked model: %v", err)
			}
			if m, _ := h.model("ui-1"); m.ModelName != "ui-made" {
				t.Fatalf("the model made outside Pulumi was changed: %+v", m)
			}
			in := pinnedInputs("grab", "ui-1")
			in["adoptExisting"] = true
			if _, err := h.create(urn("Model", "grab"), in, 0); err != nil {
				t.Fatalf("adoptExisting: %v", err)
			}
			if m, _ := h.model("ui-1"); m.ModelName != "grab" || m.ModelInfo["pulumi"] == nil {
				t.Fatalf("adopted model: %+v", m)
			}
		})
	}
}

// A credential made by someone else is not overwritten without
// adoptExisting, even after an unknown outcome: a 409 means "taken".
func TestForeignCredentialIsNotOverwritten(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/credentials", map[string]any{"credential_name": "theirs",
		"credential_values": map[string]any{"api_key": "sk-theirs-000000"}, "credential_info": map[string]any{"owner": "ui"}}); code != 200 {
		t.Fatalf("seed: %d %v", code, body)
	}
	h.emu.SetFaults(emulator.Faults{FailNext: 1, Paths: []string{"POST /credentials"}})
	_, err := h.create(urn("Credential", "c"), credInputs("theirs"), 0)
	if err == nil || !strings.Contains(err.Error(), "not created by Pulumi") {
		t.Fatalf("conflict: %v", err)
	}
	c, _ := h.credential("theirs")
	if c.Values["api_key"] != "sk-theirs-000000" || c.Info["owner"] != "ui" {
		t.Fatalf("overwritten: %+v", c)
	}
}

// `pulumi up --replace` of a model with a pinned ID: the engine calls Check
// without the old inputs, skips Diff, creates the new model, then deletes
// the old one, which has the same ID. The create replaces the model in place
// (delete, then create), and the engine's delete of the "old" ID leaves the
// new model alone: it never "creates" by adopting the old model and then
// lets the engine delete it.
func TestReplaceKeepingPinnedIDReplacesInPlace(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			u := urn("Model", "pin")
			in := pinnedInputs("pin", "pin-1")
			created := h.mustCreate(u, in)
			before, _ := h.model("pin-1")
			repl, err := h.create(u, in, 0)
			if err != nil || repl.ID != "pin-1" {
				t.Fatalf("replacement: %q %v", repl.ID, err)
			}
			after, _ := h.model("pin-1")
			if len(h.emu.Models()) != 1 || !after.CreatedAt.After(before.CreatedAt) {
				t.Fatalf("the model was not replaced: %+v", h.emu.Models())
			}
			if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
				t.Fatal(err)
			}
			if _, ok := h.model("pin-1"); !ok {
				t.Fatal("the engine's delete of the replaced model deleted the new one")
			}
		})
	}
}

// A replacement planned by Diff, as the engine runs it: Check with the old
// inputs, Diff, Check again without them, Create, then Delete of the old
// object. A model whose ID the program does not pin gets a new ID; one that
// pins it is deleted first (Diff asks for that).
func TestPlannedReplacement(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, pinned := range []bool{false, true} {
		u := urn("Model", fmt.Sprintf("r-%v", pinned))
		in, in2 := modelInputs("r"), modelInputs("r")
		if pinned {
			in, in2 = pinnedInputs("r", "pinned-r"), pinnedInputs("r", "pinned-r")
		}
		created := h.mustCreate(u, in)
		delete(in2["litellmParams"].(map[string]any)["extra"].(map[string]any), "timeout") // not clearable: replaces
		olds := h.check(u, property.Map{}, pm(in))
		news := h.check(u, olds, pm(in2))
		diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: olds, Inputs: news})
		if err != nil || diff.DeleteBeforeReplace != pinned || diff.DetailedDiff["litellmParams.extra.timeout"].Kind != p.DeleteReplace {
			t.Fatalf("diff: %+v %v", diff, err)
		}
		news = h.check(u, property.Map{}, pm(in2)) // the engine checks again, without the old inputs
		if pinned {
			if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
				t.Fatal(err)
			}
		}
		repl, err := h.s.Create(p.CreateRequest{Urn: u, Properties: news})
		if err != nil || (repl.ID == created.ID) != pinned {
			t.Fatalf("pinned=%v: replacement %q of %q: %v", pinned, repl.ID, created.ID, err)
		}
		if !pinned {
			if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
				t.Fatal(err)
			}
		}
		if m, ok := h.model(repl.ID); !ok || m.LitellmParams["timeout"] != nil {
			t.Fatalf("pinned=%v: the replacement is missing or kept the removed key: %+v", pinned, h.emu.Models())
		}
	}
	if len(h.emu.Models()) != 2 {
		t.Fatalf("models: %+v", h.emu.Models())
	}
}

// A create whose answer never reached the engine (the provider or the CLI
// was killed) leaves a model the stack does not know. The next run creates
// the resource again under the same derived ID, finds its own orphan and
// adopts it: one model, with the program's current values.
func TestInterruptedCreateIsAdoptedNotDuplicated(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second}, nil)
	u := urn("Model", "orphan")
	first, err := h.create(u, modelInputs("orphan"), 0)
	if err != nil {
		t.Fatal(err)
	}
	// The engine never recorded it. The next `pulumi up` is another provider
	// process of the same stack; the program changed meanwhile.
	in := modelInputs("orphan")
	in["litellmParams"].(map[string]any)["rpm"] = 321
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil {
		t.Fatalf("second create: %v", err)
	}
	if again.ID != first.ID || len(h.emu.Models()) != 1 {
		t.Fatalf("want the orphan %s adopted, got %s and %d models", first.ID, again.ID, len(h.emu.Models()))
	}
	if m, _ := h.model(first.ID); m.LitellmParams["rpm"] != float64(321) {
		t.Fatalf("the adopted model lacks the program's values: %v", m.LitellmParams)
	}
	// Another stack's resource of the same name gets its own model.
	if other, err := h.createOn(h.otherStack(), u, modelInputs("orphan"), 0); err != nil || other.ID == first.ID {
		t.Fatalf("other stack: %q %v", other.ID, err)
	}
}

// The same for a credential, whose ID is its name.
func TestInterruptedCredentialCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second}, nil)
	u := urn("Credential", "c")
	if _, err := h.create(u, credInputs("orphan-cred"), 0); err != nil {
		t.Fatal(err)
	}
	in := credInputs("orphan-cred")
	in["credentialInfo"] = map[string]any{"custom_llm_provider": "azure"}
	if _, err := h.createOn(h.rerun(), u, in, 0); err != nil {
		t.Fatalf("second create: %v", err)
	}
	c, _ := h.credential("orphan-cred")
	if len(h.emu.Credentials()) != 1 || c.Info["custom_llm_provider"] != "azure" {
		t.Fatalf("credentials: %+v", h.emu.Credentials())
	}
}

// Importing an ID the proxy does not have fails, and records nothing.
func TestImportOfAMissingIDFails(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for kind, id := range map[string]string{"Model": "does-not-exist", "Credential": "no-such-credential"} {
		resp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn(kind, "ghost")})
		if err == nil || !strings.Contains(err.Error(), "cannot import") || resp.ID != "" {
			t.Fatalf("%s import of a missing ID: %q %v", kind, resp.ID, err)
		}
	}
}

// Import never adopts a masked value, and the next update never sends one:
// LiteLLM returns azure_ad_token as "supe****…3456". Values under
// secret-looking keys of free-form maps are secrets in state.
func TestImportLeavesMaskedValuesOut(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	const token = "super-secret-azure-ad-token-123456"
	if code, body := h.api("POST", "/model/new", map[string]any{"model_name": "azure-model",
		"litellm_params": map[string]any{"model": "azure/gpt-4o", "api_base": "https://x.openai.azure.com", "azure_ad_token": token, "timeout": 30},
		"model_info":     map[string]any{"id": "az-1", "description": "made in the UI"}}); code != 200 {
		t.Fatalf("seed: %d %v", code, body)
	}
	u := urn("Model", "az")
	imp, err := h.s.Read(p.ReadRequest{ID: "az-1", Urn: u})
	if err != nil {
		t.Fatal(err)
	}
	if s := imp.Inputs.GoString(); strings.Contains(s, "azure_ad_token") || strings.Contains(s, "****") {
		t.Fatalf("import adopted the masked token: %s", s)
	}
	if get(imp.Inputs, "litellmParams.extra.timeout") != float64(30) || get(imp.Inputs, "modelInfo.extra.description") != "made in the UI" {
		t.Fatalf("import lost readable fields: %s", imp.Inputs.GoString())
	}
	// The next update (a change to the program) writes what the program
	// says; the real token stays on the proxy.
	news := imp.Inputs.Set("modelName", property.New("azure-model-2"))
	if _, err := h.s.Update(p.UpdateRequest{ID: "az-1", Urn: u, State: imp.Properties, OldInputs: imp.Inputs, Inputs: h.check(u, imp.Inputs, news)}); err != nil {
		t.Fatal(err)
	}
	m, _ := h.model("az-1")
	if m.LitellmParams["azure_ad_token"] != token || m.ModelName != "azure-model-2" {
		t.Fatalf("after update: %v %s", m.LitellmParams, m.ModelName)
	}

	// A credential's free-form info under a secret-looking key is a secret
	// in state, whoever wrote it.
	if code, body := h.api("POST", "/credentials", map[string]any{"credential_name": "ci",
		"credential_values": map[string]any{"api_key": "sk-abcdefgh"}, "credential_info": map[string]any{"webhook_token": "plain-in-info"}}); code != 200 {
		t.Fatalf("seed: %d %v", code, body)
	}
	h.emu.ReloadAll()
	ci, err := h.s.Read(p.ReadRequest{ID: "ci", Urn: urn("Credential", "ci")})
	if err != nil {
		t.Fatal(err)
	}
	if v := ci.Inputs.Get("credentialInfo").AsMap().Get("webhook_token"); !v.Secret() || v.AsString() != "plain-in-info" {
		t.Fatalf("credentialInfo.webhook_token: %#v", v)
	}
}

// A credential whose create kept failing (every POST a 503, which may have
// been applied) is recorded with createPending; the next `pulumi up`, with
// unchanged inputs, creates it.
func TestCredentialFailedCreateIsResumed(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{ErrorRate: 1, Paths: []string{"POST /credentials"}}}, nil)
	u := urn("Credential", "c")
	resp, err := h.create(u, credInputs("flaky"), 2)
	if err == nil || resp.PartialState == nil || get(resp.Properties, "createPending") != true {
		t.Fatalf("want a partial create with createPending: %v %+v", err, resp)
	}
	h.emu.SetFaults(emulator.Faults{})
	inputs := h.check(u, property.Map{}, pm(credInputs("flaky")))
	if _, err := h.s.Update(p.UpdateRequest{ID: resp.ID, Urn: u, State: resp.Properties, OldInputs: inputs, Inputs: inputs}); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if c, ok := h.credential("flaky"); !ok || c.Values["api_key"] != credSecret {
		t.Fatalf("credential after resume: %+v", h.emu.Credentials())
	}
}

// A credential deleted out of band, with a program change: the update
// creates it again (as a model's does), on both credential generations.
func TestCredentialDeletedOutOfBandIsRecreatedByUpdate(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			u := urn("Credential", "c")
			in := credInputs("gone-cred")
			created := h.mustCreate(u, in)
			if code, _ := h.api("DELETE", "/credentials/gone-cred", nil); code != 200 {
				t.Fatal("out-of-band delete")
			}
			in2 := credInputs("gone-cred")
			in2["credentialInfo"] = map[string]any{"custom_llm_provider": "azure"}
			olds := h.check(u, property.Map{}, pm(in))
			if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: olds, Inputs: h.check(u, olds, pm(in2))}); err != nil {
				t.Fatalf("update: %v", err)
			}
			if c, ok := h.credential("gone-cred"); !ok || c.Info["custom_llm_provider"] != "azure" {
				t.Fatalf("credentials: %+v", h.emu.Credentials())
			}
		})
	}
}

// An object this stack holds that someone else has since taken (their mark)
// leaves the stack on refresh, and a destroy leaves it alone.
func TestObjectTakenOverBySomeoneElseIsLeftAlone(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Model", "m")
	created := h.mustCreate(u, pinnedInputs("m", "taken-1"))
	if code, _ := h.api("PATCH", "/model/taken-1/update", map[string]any{"model_info": map[string]any{
		"pulumi": map[string]any{"owner": "someone-else", "urn": "urn:pulumi:prod::other::litellm:index:Model::x"}}}); code != 200 {
		t.Fatal("out-of-band takeover")
	}
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: h.check(u, property.Map{}, pm(pinnedInputs("m", "taken-1")))})
	if err != nil || read.ID != "" {
		t.Fatalf("refresh: %q %v", read.ID, err)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties)}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.model("taken-1"); !ok {
		t.Fatal("destroy deleted a model that now belongs to someone else")
	}
}
