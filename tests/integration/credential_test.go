package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const credSecret = "sk-cred-secret-value-0123456789"

func credInputs(name string) map[string]any {
	return map[string]any{
		"credentialName":   name,
		"credentialValues": secret{map[string]any{"api_key": credSecret, "api_base": "https://api.openai.com/v1"}},
		"credentialInfo":   map[string]any{"custom_llm_provider": "openai"},
	}
}

func (h *harness) credential(name string) (emulator.Credential, bool) {
	for _, c := range h.emu.Credentials() {
		if c.Name == name {
			return c, true
		}
	}
	return emulator.Credential{}, false
}

func TestCredentialLifecycle(t *testing.T) {
	// Credentials are cached per worker like models: three workers that reload
	// every second.
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Credential", "openai")
	in := credInputs("team-a/openai key") // a name that needs escaping in URLs
	created := h.mustCreate(u, in)
	if created.ID != "team-a/openai key" {
		t.Fatalf("ID %q", created.ID)
	}
	if v := created.Properties.Get("credentialValues"); !v.Secret() {
		t.Fatal("credentialValues output is not secret")
	}
	c, ok := h.credential("team-a/openai key")
	if !ok || c.Values["api_key"] != credSecret || c.Info["custom_llm_provider"] != "openai" {
		t.Fatalf("credential on the proxy: %+v", c)
	}

	// Refresh: values are masked by the proxy and kept as configured; info drift is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	if code, body := h.api("PATCH", "/credentials/team-a%2Fopenai%20key", map[string]any{
		"credential_name": "team-a/openai key", "credential_values": map[string]any{},
		"credential_info": map[string]any{"custom_llm_provider": "azure"}}); code != 200 || body["success"] != true {
		t.Fatalf("out-of-band patch: %d %v", code, body)
	}
	h.emu.ReloadAll()
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	if get(read.Inputs, "credentialInfo.custom_llm_provider") != "azure" || get(read.Inputs, "credentialValues.api_key") != credSecret {
		t.Fatalf("refresh inputs: %v", read.Inputs.GoString())
	}

	// Update values and info.
	in2 := credInputs("team-a/openai key")
	in2["credentialValues"] = secret{map[string]any{"api_key": "sk-rotated-0123456789", "api_base": "https://api.openai.com/v1"}}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DetailedDiff["credentialValues.api_key"].Kind != p.Update {
		t.Fatalf("diff %+v %v", diff, err)
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	c, _ = h.credential("team-a/openai key")
	if c.Values["api_key"] != "sk-rotated-0123456789" || c.Info["custom_llm_provider"] != "openai" {
		t.Fatalf("after update: %+v", c)
	}

	// Import rebuilds name and info, never the values (after the workers reload).
	h.emu.ReloadAll()
	imp, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: urn("Credential", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "credentialName") != "team-a/openai key" || get(imp.Inputs, "credentialInfo.custom_llm_provider") != "openai" ||
		get(imp.Inputs, "credentialValues") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}

	// Delete.
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.credential("team-a/openai key"); ok {
		t.Fatal("credential still on the proxy")
	}
	h.emu.ReloadAll() // workers that had not reloaded yet still serve it until then
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: updated.Properties, Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestCredentialConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	if code, body := h.api("POST", "/credentials", map[string]any{"credential_name": "shared",
		"credential_values": map[string]any{"api_key": "sk-old-value-000000"}, "credential_info": map[string]any{}}); code != 200 {
		t.Fatalf("seed: %d %v", code, body)
	}
	_, err := h.create(urn("Credential", "c"), credInputs("shared"), 0)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "pulumi import") {
		t.Fatalf("conflict error: %v", err)
	}
	in := credInputs("shared")
	in["adoptExisting"] = true
	if _, err := h.create(urn("Credential", "c"), in, 0); err != nil {
		t.Fatalf("adopt: %v", err)
	}
	c, _ := h.credential("shared")
	if c.Values["api_key"] != credSecret {
		t.Fatalf("adopted credential keeps the old value: %+v", c.Values)
	}
}

// A model referencing a credential by name, the pattern of the examples.
func TestModelUsesCredential(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second}, nil)
	h.mustCreate(urn("Credential", "openai"), credInputs("openai"))
	resp := h.mustCreate(urn("Model", "m"), map[string]any{
		"modelName":     "gpt-4o",
		"litellmParams": map[string]any{"model": "openai/gpt-4o", "litellmCredentialName": "openai"},
	})
	m, _ := h.model(resp.ID)
	if m.LitellmParams["litellm_credential_name"] != "openai" {
		t.Fatalf("model params: %v", m.LitellmParams)
	}
}

// A credential deleted out of band leaves the state after one read once the
// settle time after the stack's last write has passed: every worker has
// reloaded since, so its miss is the database's.
func TestCredentialDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Hour}, nil)
	u := urn("Credential", "c")
	created := h.mustCreate(u, credInputs("oob"))
	if code, body := h.api("DELETE", "/credentials/oob", nil); code != 200 || body["success"] != true {
		t.Fatalf("out-of-band delete: %d %v", code, body)
	}
	h.emu.ReloadAll()
	h.emu.ResetStats()
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties)})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /credentials/by_name/oob"]; n != 1 {
		t.Fatalf("%d reads to learn that the credential is gone, want 1", n)
	}
}

// The connection drops after the proxy stored the credential: the retry meets
// the conflict, recognises its own earlier attempt, and writes its values.
func TestCredentialAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second,
		Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /credentials"}}}, nil)
	if _, err := h.create(urn("Credential", "c"), credInputs("amb"), 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	creds := h.emu.Credentials()
	if len(creds) != 1 || creds[0].Values["api_key"] != credSecret {
		t.Fatalf("credentials: %+v", creds)
	}
	if n := h.emu.Stats()["POST /credentials"]; n != 2 {
		t.Fatalf("%d create attempts, want the dropped one and one retry", n)
	}
}
