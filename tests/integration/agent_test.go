package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

const agentSecret = "sk-upstream-agent-secret-0123456789"

func (h *harness) agent(id string) (map[string]any, bool) {
	return rowWith(h.emu.Agents(), "agent_id", id)
}

func agentInputs() map[string]any {
	return map[string]any{
		"agentName": "support-bot",
		"agentCard": map[string]any{
			"name":         "Support Bot",
			"url":          "https://agents.example.com/support",
			"description":  "Answers support tickets",
			"capabilities": map[string]any{"streaming": true, "pushNotifications": true},
			"skills":       []any{map[string]any{"id": "triage", "name": "Triage", "tags": []string{"support"}}},
		},
		"litellmParams": map[string]any{"model": "gpt-4o", "api_key": secret{agentSecret}},
		"staticHeaders": secret{map[string]any{"Authorization": "Bearer upstream-token-0123456789"}},
		"tpmLimit":      1000.0,
	}
}

func TestAgentLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	u := urn("Agent", "support")
	in := agentInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "agentId") != id {
		t.Fatalf("ID %q, agentId output %v", id, get(created.Properties, "agentId"))
	}
	row, ok := h.agent(id)
	if !ok || row["agent_name"] != "support-bot" || get(pm(row), "litellm_params.api_key") != agentSecret ||
		get(pm(row), "static_headers.Authorization") != "Bearer upstream-token-0123456789" || row["tpm_limit"] != 1000.0 ||
		get(pm(row), "agent_card_params.url") != "https://agents.example.com/support" ||
		get(pm(row), "agent_card_params.supportedInterfaces") == nil || get(pm(row), "agent_card_params.capabilities.pushNotifications") != nil {
		t.Fatalf("agent on the proxy: %v", row)
	}

	// A refresh with no change shows none (the merged card, the redacted
	// credential, is_public and the static headers are no drift).
	inputs := h.check(u, property.Map{}, pm(in))
	h.invoke("listAgents", nil) // puts is_public into the answering worker's registry copy
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	if diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: inputs}); err != nil || diff.HasChanges {
		t.Fatalf("diff after refresh: %+v %v", diff, err)
	}
	if strings.Contains(read.Properties.GoString(), "REDACTED") {
		t.Fatalf("a redaction marker reached the state: %v", read.Properties.GoString())
	}
	// An out-of-band change is seen once every worker has reloaded.
	h.emu.UpdateAgent(id, map[string]any{"tpm_limit": 5.0})
	h.emu.ReloadAll()
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "tpmLimit") != 5.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: renamed, the rate limit removed (cleared), the
	// credential removed (sent as "": LiteLLM keeps an omitted one), a new
	// card description.
	in2 := agentInputs()
	in2["agentName"] = "support-bot-2"
	delete(in2, "tpmLimit")
	in2["litellmParams"] = map[string]any{"model": "gpt-4o-mini"}
	in2["agentCard"].(map[string]any)["description"] = "Answers tickets"
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: created.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the agent: %+v", path, diff.DetailedDiff)
		}
	}
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.agent(id)
	if row["agent_name"] != "support-bot-2" || row["tpm_limit"] != nil || get(pm(row), "litellm_params.api_key") != "" ||
		get(pm(row), "litellm_params.model") != "gpt-4o-mini" || get(pm(row), "agent_card_params.description") != "Answers tickets" ||
		len(h.emu.Agents()) != 1 {
		t.Fatalf("after update: %v", row)
	}
	// A refresh right after the update, spread over workers that have not
	// reloaded, still shows the update (it waits for a worker that has).
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: updated.Properties, Inputs: news})
	if err != nil || get(read.Inputs, "agentName") != "support-bot-2" || get(read.Inputs, "tpmLimit") != nil {
		t.Fatalf("refresh after the update: %v %v", read.Inputs.GoString(), err)
	}

	// Import rebuilds the readable inputs (no credential, no header), which pass Check.
	h.emu.ReloadAll()
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Agent", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "agentName") != "support-bot-2" || get(imp.Inputs, "agentCard.url") != "https://agents.example.com/support" ||
		get(imp.Inputs, "agentCard.supportedInterfaces") != nil || get(imp.Inputs, "staticHeaders") != nil ||
		get(imp.Inputs, "litellmParams.model") != "gpt-4o-mini" || get(imp.Inputs, "litellmParams.is_public") != nil ||
		strings.Contains(imp.Inputs.GoString(), "REDACTED") || get(imp.Inputs, "spend") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Agent", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete; a second delete of an agent already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.agent(id); ok {
		t.Fatal("agent still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of an agent already gone: %v", err)
	}
}

// No error and no state holds a secret the program sent.
func TestAgentSecretsStaySecret(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{GatewayNext: 1, GatewayEcho: true, Paths: []string{"POST /v1/agents"}}}, nil)
	created := h.mustCreate(urn("Agent", "s"), agentInputs())
	for _, path := range []string{"litellmParams.api_key", "staticHeaders"} {
		v := created.Properties.Get(strings.Split(path, ".")[0])
		if !v.Secret() && !strings.Contains(path, ".") {
			t.Fatalf("%s is not secret in the state", path)
		}
	}
	if v := created.Properties.Get("litellmParams"); !v.Secret() && !v.AsMap().Get("api_key").Secret() {
		t.Fatalf("litellmParams.api_key is not secret: %v", created.Properties.GoString())
	}
}

// Deleted out of band: once every worker has reloaded, a read says gone;
// an update creates it again under a new ID.
func TestAgentDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Agent", "a")
	in := map[string]any{"agentName": "oob-agent", "agentCard": map[string]any{"name": "Oob", "url": "https://a.example.com"}}
	created := h.mustCreate(u, in)
	h.emu.DeleteAgent(created.ID)
	h.emu.ReloadAll()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	in["tpmLimit"] = 7.0
	news := h.check(u, inputs, pm(in))
	resp, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	agents := h.emu.Agents()
	if len(agents) != 1 || agents[0]["tpm_limit"] != 7.0 || agents[0]["agent_id"] == created.ID || get(resp.Properties, "agentId") != agents[0]["agent_id"] {
		t.Fatalf("recreated agent: %v", agents)
	}
}

// The create's answer is lost; the answering worker's registry and the
// others may not show the agent yet (a per-worker registry): the policy
// waits for a listing that shows it instead of creating a second one.
func TestAgentAmbiguousCreateMakesNoDuplicate(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest,
		Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /v1/agents"}}}, nil)
	in := map[string]any{"agentName": "amb-agent", "agentCard": map[string]any{"name": "Amb", "url": "https://a.example.com"}}
	created, err := h.create(urn("Agent", "a"), in, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if agents := h.emu.Agents(); len(agents) != 1 || agents[0]["agent_id"] != created.ID {
		t.Fatalf("agents: %v (created %q)", agents, created.ID)
	}
	if n := h.emu.Stats()["POST /v1/agents"]; n != 1 {
		t.Fatalf("%d creates sent, want 1", n)
	}
}

// Killed between the create and the engine recording it: the next run
// adopts the earlier agent (found by name, with exactly these settings),
// even on workers whose registry has not loaded it yet.
func TestAgentInterruptedCreateIsAdopted(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest}, nil)
	u := urn("Agent", "a")
	in := map[string]any{"agentName": "int-agent", "agentCard": map[string]any{"name": "Int", "url": "https://a.example.com"},
		"litellmParams": map[string]any{"api_key": secret{agentSecret}}}
	first := h.mustCreate(u, in)
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != first.ID || len(h.emu.Agents()) != 1 {
		t.Fatalf("rerun: %q %v (first %q) %v", again.ID, err, first.ID, h.emu.Agents())
	}
}

// An agent someone else made with the same name is not taken over.
func TestAgentConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	_, theirs := h.api("POST", "/v1/agents", map[string]any{"agent_name": "taken-agent", "agent_card_params": map[string]any{"name": "Theirs", "url": "https://theirs.example.com"}})
	h.emu.ReloadAll()
	in := map[string]any{"agentName": "taken-agent", "agentCard": map[string]any{"name": "Ours", "url": "https://ours.example.com"}}
	_, err := h.create(urn("Agent", "a"), in, 0)
	if err == nil || !strings.Contains(err.Error(), `agent "taken-agent" already exists`) || !strings.Contains(err.Error(), theirs["agent_id"].(string)) {
		t.Fatalf("create over someone else's agent: %v", err)
	}
	in["adoptExisting"] = true
	if created, err := h.create(urn("Agent", "a"), in, 0); err != nil || created.ID != theirs["agent_id"] {
		t.Fatalf("adoptExisting: %v", err)
	}
	if agents := h.emu.Agents(); len(agents) != 1 || get(pm(agents[0]), "agent_card_params.name") != "Ours" {
		t.Fatalf("adopted agent: %v", agents)
	}
}

func TestAgentCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	card := func(extra map[string]any) map[string]any {
		c := map[string]any{"name": "n", "url": "https://a.example.com"}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	for _, c := range []struct {
		in   map[string]any
		prop string
	}{
		{map[string]any{"agentName": ""}, "agentName"},
		{map[string]any{"agentName": "a", "agentCard": card(map[string]any{"protocolVersion": "0.3.0"})}, "agentCard.protocolVersion"},
		{map[string]any{"agentName": "a", "agentCard": card(map[string]any{"url": "ftp://x"})}, "agentCard.url"},
		{map[string]any{"agentName": "a", "agentCard": card(map[string]any{"skills": []any{map[string]any{"id": "", "name": "x"}}})}, "agentCard.skills[0].id"},
		{map[string]any{"agentName": "a", "litellmParams": map[string]any{"is_public": true}}, "litellmParams"},
		{map[string]any{"agentName": "a", "tpmLimit": -1.0}, "tpmLimit"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Agent", "a"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

// getAgent finds an agent just created by ID (database read-through) and by
// name (a worker's registry: retried until a worker has loaded it); no
// output carries a credential.
func TestAgentFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest}, nil)
	a := h.mustCreate(urn("Agent", "a"), agentInputs())
	for _, args := range []map[string]any{{"agentId": a.ID}, {"agentName": "support-bot"}} {
		got, err := h.invoke("getAgent", args)
		if err != nil || get(got, "agentId") != a.ID || get(got, "agentCard.name") != "Support Bot" ||
			get(got, "litellmParams.model") != "gpt-4o" || get(got, "litellmParams.api_key") != nil ||
			strings.Contains(got.GoString(), agentSecret) || strings.Contains(got.GoString(), "upstream-token") {
			t.Fatalf("getAgent %v: %v %v", args, got.GoString(), err)
		}
	}
	h.emu.ReloadAll()
	list, err := h.invoke("listAgents", nil)
	if err != nil || len(get(list, "agents").([]any)) != 1 || get(list, "agents").([]any)[0].(map[string]any)["isPublic"] != false {
		t.Fatalf("listAgents: %v %v", list.GoString(), err)
	}
	if _, err := h.invoke("getAgent", map[string]any{"agentId": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getAgent of a missing agent: %v", err)
	}
}
