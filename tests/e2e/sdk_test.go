package e2e

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

// The example programs in examples/{typescript,python,go}, run unchanged by
// the real Pulumi CLI and engine with the real Node.js and Python SDK
// runtimes (and the Go SDK), through the test language host (README,
// "How the SDK tests run programs"), against an emulator with 3 workers
// reloading every 2 s.

const exampleUpstreamKey = "sk-example-upstream-key-0123456789"

type example struct {
	lang    string
	program string // the program file
	install func(p *clitest.Project)
	// rpmOld/rpmNew: the text of the gpt4o rpm in the program, and its edit.
	rpmOld, rpmNew string
}

var examples = map[string]example{
	"typescript": {
		lang: "typescript", program: "index.ts", rpmOld: "rpm: 600,", rpmNew: "rpm: 700,",
		install: func(p *clitest.Project) {
			// --install-links copies the local SDK, as a user installing a tarball would.
			p.Command("npm", "install", "--install-links", "--no-audit", "--no-fund", "--no-package-lock")
		},
	},
	"python": {
		lang: "python", program: "__main__.py", rpmOld: "rpm=600,", rpmNew: "rpm=700,",
		install: func(p *clitest.Project) {
			p.Command("python3", "-m", "venv", "venv")
			// requirements.txt names the SDK, as `pulumi install` with the official python host installs it.
			p.Command("venv/bin/pip", "install", "-q", "-r", "requirements.txt")
		},
	},
	"go": {
		lang: "go", program: "main.go", rpmOld: "Rpm:                   pulumi.Int(600),", rpmNew: "Rpm:                   pulumi.Int(700),",
		install: func(*clitest.Project) {},
	},
	"yaml": {
		lang: "yaml", program: "Pulumi.yaml", rpmOld: "rpm: 600", rpmNew: "rpm: 700",
		install: func(*clitest.Project) {},
	},
}

func startEmulator(t *testing.T) (*emulator.Emulator, apiClient) {
	emu := emulator.New(emulator.Options{MasterKey: masterKey, Workers: 3, ReloadInterval: 2 * time.Second})
	ts := httptest.NewServer(emu)
	t.Cleanup(ts.Close)
	return emu, apiClient{t, ts.URL}
}

func setupExample(t *testing.T, ex example) (*clitest.Project, *emulator.Emulator, apiClient) {
	emu, api := startEmulator(t)
	pr := clitest.NewExample(t, ex.lang)
	ex.install(pr)
	pr.Run("config", "set", "litellm:baseUrl", api.url)
	pr.Run("config", "set", "--secret", "litellm:apiKey", masterKey)
	pr.Run("config", "set", "litellm:reloadInterval", "2s") // the emulator's
	pr.Run("config", "set", "--secret", "openaiApiKey", exampleUpstreamKey)
	return pr, emu, api
}

func modelByName(emu *emulator.Emulator, name string) (emulator.Model, bool) {
	for _, m := range emu.Models() {
		if m.ModelName == name {
			return m, true
		}
	}
	return emulator.Model{}, false
}

// runExampleLifecycle: up, no-change up, preview of a program change, refresh
// after out-of-band change and delete, re-create, no plaintext secret, destroy.
func runExampleLifecycle(t *testing.T, ex example, pr *clitest.Project, emu *emulator.Emulator, api apiClient, beforeDestroy func()) {
	// pulumi up creates everything, with the program's values.
	out := pr.Run("up", "--yes", "--skip-preview")
	if !strings.Contains(out, "16 created") {
		t.Fatalf("up:\n%s", out)
	}
	if len(emu.Models()) != 3 || len(emu.Credentials()) != 1 || emu.Credentials()[0].Values["api_key"] != exampleUpstreamKey {
		t.Fatalf("after up: %d models, credentials %+v", len(emu.Models()), emu.Credentials())
	}
	gpt4o, _ := modelByName(emu, "gpt-4o")
	mini, _ := modelByName(emu, "gpt-4o-mini")
	emb, _ := modelByName(emu, "text-embedding-3-small")
	if gpt4o.LitellmParams["rpm"] != float64(600) || gpt4o.LitellmParams["litellm_credential_name"] != "openai-example" ||
		mini.LitellmParams["input_cost_per_token"] != 1.5e-7 || emb.LitellmParams["timeout"] != float64(30) || gpt4o.ModelInfo["tier"] != "paid" {
		t.Fatalf("models on the proxy: %+v / %+v / %+v", gpt4o, mini, emb)
	}
	// The access side: an organization, its team with a member, and the team's key.
	orgs, teams, keys, users := emu.Organizations(), emu.Teams(), emu.Keys(), emu.Users()
	if len(orgs) != 1 || len(teams) != 1 || len(keys) != 1 || len(users) != 1 || teams[0]["organization_id"] != orgs[0]["organization_id"] ||
		keys[0]["team_id"] != teams[0]["team_id"] || teams[0]["max_budget"] != 500.0 {
		t.Fatalf("after up: organizations %v, teams %v, keys %v, users %v", orgs, teams, keys, users)
	}
	if !strings.Contains(fmt.Sprint(teams[0]["members_with_roles"]), fmt.Sprint(users[0]["user_id"])) {
		t.Fatalf("the user is not a member of the team: %v", teams[0]["members_with_roles"])
	}
	// The gateway side: a fallback between the models, an MCP server, a
	// guardrail in a policy attached to the team, and a prompt.
	if fb := emu.StoredFallbacks("general"); strings.Join(fb["gpt-4o"], ",") != "gpt-4o-mini" {
		t.Fatalf("after up: fallbacks %v", fb)
	}
	mcp, guardrails, policies, attachments, prompts := emu.McpServers(), emu.Guardrails(), emu.Policies(), emu.PolicyAttachments(), emu.Prompts()
	if len(mcp) != 1 || mcp[0]["server_name"] != "github" || len(guardrails) != 1 || guardrails[0]["guardrail_name"] != "pii-mask" ||
		len(policies) < 1 || policies[0]["policy_name"] != "pii-policy" || !strings.Contains(fmt.Sprint(policies[0]["guardrails_add"]), "pii-mask") ||
		len(attachments) != 1 || !strings.Contains(fmt.Sprint(attachments[0]["teams"]), "platform") || len(prompts) != 1 {
		t.Fatalf("after up: MCP servers %v, guardrails %v, policies %v, attachments %v, prompts %v", mcp, guardrails, policies, attachments, prompts)
	}
	if id := strings.TrimSpace(pr.Run("stack", "output", "mcpServerId")); id != mcp[0]["server_id"] {
		t.Fatalf("the mcpServerId output %q is not the server on the proxy (%v)", id, mcp[0]["server_id"])
	}
	keyValue := strings.TrimSpace(pr.Run("stack", "output", "ciKeyValue", "--show-secrets"))
	if sha256hex(keyValue) != keys[0]["token"] {
		t.Fatalf("the ciKeyValue output (%d chars) is not the key on the proxy", len(keyValue))
	}

	// A second up has nothing to do.
	pr.Run("up", "--yes", "--expect-no-changes")

	// A change in the program previews as exactly that change.
	pr.Edit(ex.program, ex.rpmOld, ex.rpmNew)
	out = pr.Run("preview", "--diff")
	if !strings.Contains(out, "1 to update") || !strings.Contains(out, "15 unchanged") || !strings.Contains(out, "rpm") ||
		strings.Contains(out, "to create") || strings.Contains(out, "to delete") || strings.Contains(out, "to replace") {
		t.Fatalf("preview after editing rpm:\n%s", out)
	}
	pr.Edit(ex.program, ex.rpmNew, ex.rpmOld)

	// Refresh sees an out-of-band change (once the proxy's workers reload).
	if code, body := api.call("PATCH", "/model/"+gpt4o.ID+"/update", map[string]any{"litellm_params": map[string]any{"rpm": 42}}); code != 200 {
		t.Fatalf("out-of-band patch: %d %v", code, body)
	}
	emu.ReloadAll()
	out = pr.Run("refresh", "--yes", "--diff")
	if !strings.Contains(out, "rpm") || !strings.Contains(out, "42") {
		t.Fatalf("refresh did not show the drift:\n%s", out)
	}
	pr.Run("up", "--yes", "--skip-preview")
	if m, _ := modelByName(emu, "gpt-4o"); m.LitellmParams["rpm"] != float64(600) {
		t.Fatalf("up did not restore rpm: %v", m.LitellmParams)
	}

	// After an out-of-band delete, the next up re-creates the model.
	if code, body := api.call("POST", "/model/delete", map[string]any{"id": emb.ID}); code != 200 {
		t.Fatalf("out-of-band delete: %d %v", code, body)
	}
	emu.ReloadAll()
	pr.Run("refresh", "--yes")
	out = pr.Run("up", "--yes", "--skip-preview")
	if !strings.Contains(out, "1 created") {
		t.Fatalf("up after the out-of-band delete:\n%s", out)
	}
	if _, ok := modelByName(emu, "text-embedding-3-small"); !ok || len(emu.Models()) != 3 {
		t.Fatalf("the deleted model was not re-created: %+v", emu.Models())
	}

	if beforeDestroy != nil {
		beforeDestroy()
	}

	// No plaintext secret in the state.
	raw, _ := stackExport(t, pr)
	if !strings.Contains(raw, `"ciphertext"`) {
		t.Fatal("no encrypted secret in the state: the credential values should be one")
	}
	for _, s := range []string{exampleUpstreamKey, masterKey, keyValue} {
		if strings.Contains(raw, s) {
			t.Fatalf("stack export holds a plaintext secret (%.10s...)", s)
		}
	}

	// Destroy leaves the proxy empty.
	pr.Run("destroy", "--yes", "--skip-preview")
	if n := len(emu.Models()) + len(emu.Credentials()) + len(emu.Organizations()) + len(emu.Teams()) + len(emu.Keys()) + len(emu.Users()) +
		len(emu.McpServers()) + len(emu.Guardrails()) + len(emu.Policies()) + len(emu.PolicyAttachments()) + len(emu.Prompts()) +
		len(emu.StoredFallbacks("general")); n != 0 {
		t.Fatalf("after destroy: %d objects left: %v %v %v %v", n, emu.Models(), emu.Teams(), emu.Keys(), emu.Users())
	}
}

func TestTypeScriptExample(t *testing.T) {
	ex := examples["typescript"]
	pr, emu, api := setupExample(t, ex)
	runExampleLifecycle(t, ex, pr, emu, api, func() {
		// pulumi import --generate-code=false of a model made through the API,
		// then the program declares it: the next up has nothing to do.
		seed := func(id, name string) {
			if code, body := api.call("POST", "/model/new", map[string]any{
				"model_name":     name,
				"litellm_params": map[string]any{"model": "anthropic/claude-3-5-sonnet", "api_base": "https://api.anthropic.com", "tpm": 5000},
				"model_info":     map[string]any{"id": id, "base_model": "claude-3-5-sonnet"},
			}); code != 200 {
				t.Fatalf("seed %s: %d %v", id, code, body)
			}
		}
		seed("imported-cli", "claude-cli")
		pr.Run("import", "litellm:index:Model", "importedCli", "imported-cli", "--yes", "--protect=false", "--generate-code=false")
		pr.Append(ex.program, `
export const importedCli = new litellm.Model("importedCli", {
    modelName: "claude-cli",
    litellmParams: { model: "anthropic/claude-3-5-sonnet", apiBase: "https://api.anthropic.com", tpm: 5000 },
    modelInfo: { baseModel: "claude-3-5-sonnet" },
}).modelId;
`)
		pr.Run("up", "--yes", "--expect-no-changes")

		// The `import` resource option.
		seed("imported-opt", "claude-opt")
		pr.Append(ex.program, `
export const importedOpt = new litellm.Model("importedOpt", {
    modelName: "claude-opt",
    litellmParams: { model: "anthropic/claude-3-5-sonnet", apiBase: "https://api.anthropic.com", tpm: 5000 },
    modelInfo: { baseModel: "claude-3-5-sonnet" },
}, { import: "imported-opt" }).modelId;
`)
		out := pr.Run("up", "--yes", "--skip-preview")
		if !strings.Contains(out, "1 imported") {
			t.Fatalf("up with the import option:\n%s", out)
		}
		pr.Run("up", "--yes", "--expect-no-changes")
		if len(emu.Models()) != 5 {
			t.Fatalf("imports must not create models: %d on the proxy", len(emu.Models()))
		}
	})
}

func TestPythonExample(t *testing.T) {
	ex := examples["python"]
	pr, emu, api := setupExample(t, ex)
	runExampleLifecycle(t, ex, pr, emu, api, nil)
}

func TestGoExample(t *testing.T) {
	ex := examples["go"]
	pr, emu, api := setupExample(t, ex)
	runExampleLifecycle(t, ex, pr, emu, api, nil)
}

func TestYAMLExample(t *testing.T) {
	ex := examples["yaml"]
	pr, emu, api := setupExample(t, ex)
	runExampleLifecycle(t, ex, pr, emu, api, nil)
}
