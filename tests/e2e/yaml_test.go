// Package e2e runs YAML programs through the real Pulumi CLI, the real YAML
// language host and the real provider binary, against the LiteLLM emulator
// with several workers and a reload interval.
package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

const (
	masterKey   = "sk-e2e-master-key-0123456789"
	upstreamKey = "sk-e2e-upstream-key-abcdefghij"
)

const program = `config:
  upstreamKey:
    type: string
resources:
  openai:
    type: litellm:index:Credential
    properties:
      credentialName: openai-e2e
      credentialValues:
        api_key: ${upstreamKey}
      credentialInfo:
        custom_llm_provider: openai
  chat:
    type: litellm:index:Model
    properties:
      modelName: chat
      litellmParams:
        model: openai/gpt-4o
        litellmCredentialName: ${openai.credentialName}
        rpm: 100
      modelInfo:
        baseModel: gpt-4o
        mode: chat
  direct:
    type: litellm:index:Model
    properties:
      modelName: direct
      litellmParams:
        model: openai/gpt-4o-mini
        apiBase: https://api.openai.com/v1
        apiKey: ${upstreamKey}
        extra:
          timeout: 30
          azure_ad_token: ${upstreamKey}
  platform:
    type: litellm:index:Team
    properties:
      teamAlias: platform
      models:
        - ${chat.modelName}
      maxBudget: 100
      budgetDuration: 30d
      modelRpmLimit:
        chat: 50
      teamMemberBudget: 5
      teamMemberBudgetDuration: 7d
      metadata:
        cost_center: cc-42
        owners:
          lead: ana
  ana:
    type: litellm:index:User
    properties:
      userEmail: ana@example.com
      userRole: internal_user
      maxBudget: 20
      metadata:
        cost_center: cc-42
  bot:
    type: litellm:index:Key
    properties:
      keyAlias: ci-bot
      teamId: ${platform.teamId}
      userId: ${ana.userId}
      models:
        - ${chat.modelName}
      maxBudget: 10
      modelMaxBudget:
        chat:
          budgetLimit: 5
          timePeriod: 30d
      rotation:
        month: 2026-12
%s
outputs:
  chatId: ${chat.modelId}
  directId: ${direct.modelId}
  teamId: ${platform.teamId}
  botKey: ${bot.key}
`

const importedBlock = `  imported:
    type: litellm:index:Model
    properties:
      modelName: imported
      litellmParams:
        model: anthropic/claude-3-5-sonnet
        apiBase: https://api.anthropic.com
        tpm: 5000
      modelInfo:
        baseModel: claude-3-5-sonnet
    options:
      protect: false
  importedTeam:
    type: litellm:index:Team
    properties:
      teamAlias: ops
      maxBudget: 50
      metadata:
        env: prod
    options:
      protect: false`

type apiClient struct {
	t   *testing.T
	url string
}

func (a apiClient) call(method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, a.url+path, strings.NewReader(string(raw)))
	req.Header.Set("Authorization", "Bearer "+masterKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

type exported struct {
	Deployment struct {
		Resources []struct {
			URN     string         `json:"urn"`
			Type    string         `json:"type"`
			ID      string         `json:"id"`
			Inputs  map[string]any `json:"inputs"`
			Outputs map[string]any `json:"outputs"`
		} `json:"resources"`
	} `json:"deployment"`
}

func stackExport(t *testing.T, pr *clitest.Project) (string, exported) {
	t.Helper()
	raw := pr.Run("stack", "export")
	var e exported
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		t.Fatalf("stack export: %v\n%s", err, raw)
	}
	return raw, e
}

func sha256hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func resourceID(e exported, name string) string {
	for _, r := range e.Deployment.Resources {
		if strings.HasSuffix(r.URN, "::"+name) {
			return r.ID
		}
	}
	return ""
}

func TestYAMLProgramLifecycle(t *testing.T) {
	emu := emulator.New(emulator.Options{MasterKey: masterKey, Workers: 3, ReloadInterval: 2 * time.Second})
	ts := httptest.NewServer(emu)
	defer ts.Close()
	api := apiClient{t, ts.URL}

	pr := clitest.NewYAML(t, "litellm-e2e", strings.Replace(program, "%s", "", 1))
	pr.Run("config", "set", "litellm:baseUrl", ts.URL)
	pr.Run("config", "set", "--secret", "litellm:apiKey", masterKey)
	pr.Run("config", "set", "litellm:reloadInterval", "2s") // the emulator's
	pr.Run("config", "set", "--secret", "upstreamKey", upstreamKey)

	// pulumi up creates everything.
	pr.Run("up", "--yes", "--skip-preview")
	if n := len(emu.Models()); n != 2 {
		t.Fatalf("%d models after up, want 2", n)
	}
	if n := len(emu.Credentials()); n != 1 || emu.Credentials()[0].Values["api_key"] != upstreamKey {
		t.Fatalf("credentials after up: %+v", emu.Credentials())
	}
	_, st := stackExport(t, pr)
	chatID, directID := resourceID(st, "chat"), resourceID(st, "direct")
	teamID := resourceID(st, "platform")
	teams := emu.Teams()
	if len(teams) != 1 || teams[0]["team_id"] != teamID || teams[0]["team_alias"] != "platform" || teams[0]["max_budget"] != 100.0 {
		t.Fatalf("teams after up (ID %q): %v", teamID, teams)
	}
	if meta, _ := teams[0]["metadata"].(map[string]any); meta["cost_center"] != "cc-42" || meta["model_rpm_limit"].(map[string]any)["chat"] != 50.0 {
		t.Fatalf("team metadata after up: %v", teams[0]["metadata"])
	}
	// The key: its value is a secret output whose SHA-256 is the key on the proxy.
	botKey := strings.TrimSpace(pr.Run("stack", "output", "botKey", "--show-secrets"))
	keys := emu.Keys()
	users := emu.Users()
	if len(users) != 1 || users[0]["user_id"] != resourceID(st, "ana") || users[0]["user_email"] != "ana@example.com" || users[0]["max_budget"] != 20.0 {
		t.Fatalf("users after up: %v", users)
	}
	if len(keys) != 1 || keys[0]["token"] != sha256hex(botKey) || keys[0]["team_id"] != teamID || keys[0]["user_id"] != users[0]["user_id"] ||
		resourceID(st, "bot") != keys[0]["token"] {
		t.Fatalf("keys after up (output %d chars): %v", len(botKey), keys)
	}
	if out := pr.Run("stack", "output", "botKey"); strings.Contains(out, botKey) {
		t.Fatalf("stack output shows the key without --show-secrets: %s", out)
	}
	for _, m := range emu.Models() {
		if (m.ID == directID && m.LitellmParams["api_key"] != upstreamKey) || (m.ID != directID && m.ID != chatID) {
			t.Fatalf("unexpected model on the proxy: %+v", m)
		}
	}

	// A second up has nothing to do.
	pr.Run("up", "--yes", "--expect-no-changes")

	// Out-of-band change: refresh sees it, up puts the program's value back.
	if code, body := api.call("PATCH", "/model/"+chatID+"/update", map[string]any{"litellm_params": map[string]any{"rpm": 7}}); code != 200 {
		t.Fatalf("out-of-band patch: %d %v", code, body)
	}
	// LiteLLM answers reads from each worker's router first: out-of-band
	// changes show on every worker after its reload interval (made instant here).
	emu.ReloadAll()
	if !emu.UpdateTeam(teamID, map[string]any{"team_alias": "renamed-in-ui"}) {
		t.Fatal("no team to change")
	}
	out := pr.Run("refresh", "--yes", "--diff")
	if !strings.Contains(out, "rpm") || !strings.Contains(out, "renamed-in-ui") {
		t.Fatalf("refresh did not report the rpm and teamAlias drift:\n%s", out)
	}
	_, st = stackExport(t, pr)
	for _, r := range st.Deployment.Resources {
		if r.ID == chatID && r.Inputs["litellmParams"].(map[string]any)["rpm"] != float64(7) {
			t.Fatalf("refreshed inputs: %v", r.Inputs)
		}
	}
	pr.Run("up", "--yes", "--skip-preview")
	for _, m := range emu.Models() {
		if m.ID == chatID && m.LitellmParams["rpm"] != float64(100) {
			t.Fatalf("up did not restore rpm: %v", m.LitellmParams)
		}
	}
	if teams := emu.Teams(); len(teams) != 1 || teams[0]["team_id"] != teamID || teams[0]["team_alias"] != "platform" {
		t.Fatalf("up did not restore the team in place: %v", teams)
	}

	// Out-of-band delete: refresh drops it, up creates it again.
	if code, body := api.call("POST", "/model/delete", map[string]any{"id": directID}); code != 200 {
		t.Fatalf("out-of-band delete: %d %v", code, body)
	}
	emu.ReloadAll()
	pr.Run("refresh", "--yes")
	_, st = stackExport(t, pr)
	if resourceID(st, "direct") != "" {
		t.Fatal("refresh kept a model that the proxy deleted")
	}
	pr.Run("up", "--yes", "--skip-preview")
	if n := len(emu.Models()); n != 2 {
		t.Fatalf("%d models after re-creating, want 2", n)
	}

	// Import a model made directly through the API, with YAML code generation.
	if code, body := api.call("POST", "/model/new", map[string]any{
		"model_name":     "imported",
		"litellm_params": map[string]any{"model": "anthropic/claude-3-5-sonnet", "api_base": "https://api.anthropic.com", "api_key": "sk-ant-imported-000000", "tpm": 5000},
		"model_info":     map[string]any{"id": "imported-1", "base_model": "claude-3-5-sonnet"},
	}); code != 200 {
		t.Fatalf("seed model: %d %v", code, body)
	}
	genFile := filepath.Join(t.TempDir(), "imported.yaml")
	pr.Run("import", "litellm:index:Model", "imported", "imported-1", "--yes", "--protect=false", "--out", genFile)
	gen, err := os.ReadFile(genFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"type: litellm:Model", "modelName: imported", "model: anthropic/claude-3-5-sonnet", "tpm: 5000", "baseModel: claude-3-5-sonnet"} {
		if !strings.Contains(string(gen), want) {
			t.Fatalf("generated code lacks %q:\n%s", want, gen)
		}
	}
	if strings.Contains(string(gen), "sk-ant-imported") || strings.Contains(string(gen), "****") {
		t.Fatalf("generated code holds a key:\n%s", gen)
	}
	if code, body := api.call("POST", "/team/new", map[string]any{
		"team_id": "imported-team", "team_alias": "ops", "max_budget": 50, "metadata": map[string]any{"env": "prod"},
	}); code != 200 {
		t.Fatalf("seed team: %d %v", code, body)
	}
	genTeam := filepath.Join(t.TempDir(), "team.yaml")
	pr.Run("import", "litellm:index:Team", "importedTeam", "imported-team", "--yes", "--protect=false", "--out", genTeam)
	gen, err = os.ReadFile(genTeam)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"type: litellm:Team", "teamAlias: ops", "maxBudget: 50", "env: prod"} {
		if !strings.Contains(string(gen), want) {
			t.Fatalf("generated team code lacks %q:\n%s", want, gen)
		}
	}
	if strings.Contains(string(gen), "pulumi:") || strings.Contains(string(gen), "spend") || strings.Contains(string(gen), "members") {
		t.Fatalf("generated team code holds server-filled fields:\n%s", gen)
	}
	pr.WriteProgram("litellm-e2e", strings.Replace(program, "%s", importedBlock, 1))
	pr.Run("preview", "--expect-no-changes")

	// No plaintext secret anywhere in the state.
	raw, _ := stackExport(t, pr)
	if strings.Count(raw, `"ciphertext"`) < 3 {
		t.Fatalf("expected the API key, the credential values and the extra token as encrypted secrets:\n%s", raw)
	}
	for _, s := range []string{upstreamKey, masterKey, botKey} {
		if strings.Contains(raw, s) {
			t.Fatalf("stack export holds a plaintext secret (%.8s...)", s)
		}
	}

	// Destroy leaves the proxy empty.
	pr.Run("destroy", "--yes", "--skip-preview")
	if n, c, tm, k, us := len(emu.Models()), len(emu.Credentials()), len(emu.Teams()), len(emu.Keys()), len(emu.Users()); n+c+tm+k+us != 0 {
		t.Fatalf("after destroy: %d models, %d credentials, %d teams, %d keys, %d users", n, c, tm, k, us)
	}
}
