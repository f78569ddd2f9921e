package e2e

// pulumi-converter-litellm through the real CLI: `pulumi import --from
// litellm` of a proxy holding one object of every supported kind, and
// `pulumi convert --from litellm` of a LiteLLM config file to PCL and YAML.
// The converter is installed from its `make dist` tarball, as users install it.

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

// installConverter packs the converter and the provider with
// scripts/dist.sh and installs both into the project's PULUMI_HOME.
func installConverter(t *testing.T, pr *clitest.Project) {
	t.Helper()
	const version = "0.0.1-converttest"
	root := clitest.RepoRoot(t)
	dist := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "scripts", "dist.sh"))
	cmd.Env = append(os.Environ(), "VERSION="+version, "DIST_DIR="+dist, "PLATFORMS="+runtime.GOOS+"-"+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dist.sh: %v\n%s", err, out)
	}
	for _, kind := range []string{"converter", "resource"} {
		tarball := filepath.Join(dist, "pulumi-"+kind+"-litellm-v"+version+"-"+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
		pr.Run("plugin", "install", kind, "litellm", version, "--file", tarball)
	}
}

func TestImportFromLiteLLM(t *testing.T) {
	emu, api := startEmulator(t)
	// One object of every kind the converter imports, referring to each other.
	for _, c := range []struct {
		method, path string
		body         map[string]any
	}{
		{"POST", "/credentials", map[string]any{"credential_name": "azure-eu",
			"credential_values": map[string]any{"api_key": "sk-azure-upstream-0123456789"}, "credential_info": map[string]any{}}},
		{"POST", "/model/new", map[string]any{"model_name": "gpt-4o", "model_info": map[string]any{"id": "m-azure"},
			"litellm_params": map[string]any{"model": "azure/gpt-4o", "litellm_credential_name": "azure-eu"}}},
		{"POST", "/model/new", map[string]any{"model_name": "gpt-4o-mini", "model_info": map[string]any{"id": "m-mini"},
			"litellm_params": map[string]any{"model": "openai/gpt-4o-mini", "api_key": "sk-openai-upstream-0123456789", "rpm": 60}}},
		{"POST", "/organization/new", map[string]any{"organization_id": "org-eng", "organization_alias": "Engineering", "max_budget": 100}},
		{"POST", "/team/new", map[string]any{"team_id": "team-platform", "team_alias": "Platform", "organization_id": "org-eng"}},
		{"POST", "/user/new", map[string]any{"user_id": "u-ana", "user_email": "ana@example.com", "user_alias": "Ana"}},
		{"POST", "/key/generate", map[string]any{"key_alias": "ci", "team_id": "team-platform", "user_id": "u-ana"}},
		{"POST", "/budget/new", map[string]any{"budget_id": "tier-1", "max_budget": 50}},
		{"POST", "/customer/new", map[string]any{"user_id": "acme", "alias": "Acme", "budget_id": "tier-1"}},
		{"POST", "/v1/mcp/server", map[string]any{"server_id": "mcp-github", "server_name": "github", "url": "https://mcp.example.com/github",
			"transport": "http"}},
		{"POST", "/vector_store/new", map[string]any{"vector_store_id": "vs-docs", "custom_llm_provider": "openai", "vector_store_name": "docs"}},
		{"POST", "/guardrails", map[string]any{"guardrail": map[string]any{"guardrail_name": "pii-mask",
			"litellm_params": map[string]any{"guardrail": "presidio", "mode": "pre_call"}}}},
		{"POST", "/v1/agents", map[string]any{"agent_name": "support-bot", "agent_card_params": map[string]any{"name": "Support",
			"url": "https://agents.example.com/support"}}},
		{"POST", "/v1/access_group", map[string]any{"access_group_name": "beta", "access_model_names": []string{"gpt-4o"},
			"access_mcp_server_ids": []string{"mcp-github"}}},
		{"POST", "/prompts", map[string]any{"prompt_id": "greeting", "litellm_params": map[string]any{"prompt_integration": "dotprompt",
			"dotprompt_content": "Hello {{name}}"}}},
		{"POST", "/policies", map[string]any{"policy_name": "pii-policy", "guardrails_add": []string{"pii-mask"}}},
		{"POST", "/policies/attachments", map[string]any{"policy_name": "pii-policy", "teams": []string{"Platform"}}},
		{"POST", "/config/pass_through_endpoint", map[string]any{"id": "pt-docs", "path": "/docs-api", "target": "https://docs.example.com"}},
		{"POST", "/v1/tool/policy", map[string]any{"tool_name": "github__delete_repo", "input_policy": "blocked"}},
		{"POST", "/tag/new", map[string]any{"name": "prod", "description": "production traffic"}},
		{"POST", "/v1/mcp/toolset", map[string]any{"toolset_name": "gh-tools",
			"tools": []any{map[string]any{"server_id": "mcp-github", "tool_name": "create_issue"}}}},
		{"POST", "/search_tools", map[string]any{"search_tool": map[string]any{"search_tool_name": "web",
			"litellm_params": map[string]any{"search_provider": "exa_ai"}}}},
		{"POST", "/project/new", map[string]any{"project_id": "p-search", "team_id": "team-platform", "project_alias": "search"}},
	} {
		if c.path == "/v1/tool/policy" {
			emu.DiscoverTool("github__delete_repo", "mcp-github")
		}
		if code, body := api.call(c.method, c.path, c.body); code != 200 && code != 201 {
			t.Fatalf("%s %s: %d %v", c.method, c.path, code, body)
		}
	}
	var ciToken string
	for _, k := range emu.Keys() {
		if k["key_alias"] == "ci" {
			ciToken, _ = k["token"].(string)
		}
	}
	if code, body := api.call("POST", "/jwt/key/mapping/new", map[string]any{"jwt_claim_name": "groups", "jwt_claim_value": "platform",
		"token": ciToken}); code != 200 && code != 201 {
		t.Fatalf("JWT mapping: %d %v", code, body)
	}
	emu.ReloadAll()

	pr := clitest.NewYAMLWithPlugin(t, "adopted", "", "")
	installConverter(t, pr)
	pr.Run("config", "set", "litellm:baseUrl", api.url)
	pr.Run("config", "set", "--secret", "litellm:apiKey", masterKey)
	pr.Run("config", "set", "litellm:reloadInterval", "2s") // the emulator's
	pr.Setenv("LITELLM_API_KEY", masterKey)
	gen := filepath.Join(t.TempDir(), "imported.yaml")
	out := pr.Run("import", "--from", "litellm", "--yes", "--protect=false", "--out", gen, "--", "--base-url", api.url)
	for _, want := range []string{
		"credential azureEu", "credentialValues (api_key)", // the summary: what to add as secrets
		// 2 models, a credential, an organization, a team, a user, 2 keys (the user's own and ci), a budget, a
		// customer, an MCP server, a vector store, a guardrail, an agent, an access group, a prompt, a policy and
		// its attachment, a pass-through endpoint, a tool policy, a JWT mapping, a tag, an MCP toolset, a search
		// tool, a project and the budget LiteLLM made for it: one object or more of every kind the converter lists
		"= 26 to import",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the import's summary lacks %q:\n%s", want, out)
		}
	}
	code, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	program := string(code)
	// Names from the objects' own names; references instead of literal IDs.
	for _, want := range []string{"azureEu:", "gpt4o:", "gpt4oMini:", "engineering:", "platform:", "ana:", "ci:", "tier1:", "acme:",
		"litellmCredentialName: ${azureEu.id}", "organizationId: ${engineering.id}", "teamId: ${platform.id}",
		"userId: ${ana.id}", "budgetId: ${tier1.id}", "github:", "docs:", "piiMask:", "supportBot:", "beta:",
		"- ${github.id}", "greeting:", "piiPolicy:", "piiPolicyAttachment:", "docsApi:", "githubDeleteRepoPolicy:", "groupsMapping:",
		"policyName: ${piiPolicy.id}", "prod:", "ghTools:", "web:", "search:", "searchBudget:", "budgetId: ${searchBudget.id}"} {
		if !strings.Contains(program, want) {
			t.Errorf("the generated program lacks %q:\n%s", want, program)
		}
	}
	for _, never := range []string{"sk-azure-upstream", "sk-openai-upstream", "****", masterKey} {
		if strings.Contains(program, never) {
			t.Errorf("the generated program holds %q:\n%s", never, program)
		}
	}
	// The generated resources are the program: a preview plans nothing.
	pr.Append("Pulumi.yaml", program)
	pr.Run("preview", "--expect-no-changes")
	pr.Run("up", "--yes", "--expect-no-changes")

	// A destroy removes every imported object from the proxy.
	pr.Run("destroy", "--yes", "--skip-preview")
	if n := len(emu.Models()) + len(emu.Credentials()) + len(emu.Teams()) + len(emu.Organizations()) + len(emu.Customers()); n != 0 {
		t.Fatalf("%d objects left after destroy: models %v credentials %v teams %v orgs %v customers %v", n,
			emu.Models(), emu.Credentials(), emu.Teams(), emu.Organizations(), emu.Customers())
	}
	if n := len(emu.McpServers()) + len(emu.VectorStores()) + len(emu.Guardrails()) + len(emu.Agents()) + len(emu.AccessGroups()) +
		len(emu.Prompts()) + len(emu.Policies()) + len(emu.PolicyAttachments()) + len(emu.PassThroughEndpoints()) +
		len(emu.JwtKeyMappings()); n != 0 {
		t.Fatalf("%d gateway objects left after destroy: MCP %v, stores %v, guardrails %v, agents %v, groups %v, prompts %v, "+
			"policies %v, attachments %v, pass-through %v, mappings %v", n, emu.McpServers(), emu.VectorStores(), emu.Guardrails(),
			emu.Agents(), emu.AccessGroups(), emu.Prompts(), emu.Policies(), emu.PolicyAttachments(), emu.PassThroughEndpoints(),
			emu.JwtKeyMappings())
	}
	for _, k := range emu.Keys() {
		if k["key_alias"] == "ci" {
			t.Fatalf("the imported key is left: %v", k)
		}
	}
	for _, u := range emu.Users() {
		if u["user_id"] == "u-ana" {
			t.Fatalf("the imported user is left: %v", u)
		}
	}
	for _, b := range emu.Budgets() {
		if b["budget_id"] == "tier-1" {
			t.Fatalf("the imported budget is left: %v", b)
		}
	}
}

func TestConvertLiteLLMConfig(t *testing.T) {
	emu, api := startEmulator(t)
	pr := clitest.NewYAMLWithPlugin(t, "converted", "", "")
	installConverter(t, pr)
	src := filepath.Join(t.TempDir(), "proxy")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join(clitest.RepoRoot(t), "tests", "testdata", "litellm-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "config.yaml"), config, 0o644); err != nil {
		t.Fatal(err)
	}

	// To PCL: the converter's own output.
	pcl := filepath.Join(t.TempDir(), "pcl")
	out := pr.RunIn(src, "convert", "--from", "litellm", "--language", "pcl", "--out", pcl, "--generate-only")
	if !strings.Contains(out, "routing_strategy") || !strings.Contains(out, "pulumi config set --secret openaiApiKey") {
		t.Errorf("the summary lacks the settings left out or the config to set:\n%s", out)
	}
	main, err := os.ReadFile(filepath.Join(pcl, "main.pp"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(main), `"litellm:index:Model"`); n != 5 || strings.Count(string(main), `"litellm:index:Fallback"`) != 3 ||
		strings.Count(string(main), `"litellm:index:Credential"`) != 1 {
		t.Fatalf("main.pp:\n%s", main)
	}

	// To YAML, generated by the YAML language host from that PCL. The CLI
	// then asks the host to link local SDKs; pulumi-language-yaml v1.25.0
	// (the newest the module proxy serves) does not implement Link, which
	// fails the command after the program is written.
	dir := filepath.Join(t.TempDir(), "yaml")
	out, err = pr.ExecIn(src, "convert", "--from", "litellm", "--language", "yaml", "--out", dir, "--generate-only")
	if err != nil && !strings.Contains(out, "linking package: method Link not implemented") {
		t.Fatalf("pulumi convert --language yaml: %v\n%s", err, out)
	}
	program, err := os.ReadFile(filepath.Join(dir, "Main.yaml"))
	if err != nil {
		t.Fatalf("no program: %v\n%s", err, out)
	}
	if !strings.Contains(string(program), "litellmCredentialName: ${azureEu.credentialName}") ||
		!strings.Contains(string(program), "model: ${gpt4o.modelName}") {
		t.Fatalf("Main.yaml lacks references:\n%s", program)
	}

	// The YAML program deploys, and a second up plans nothing.
	deploy := pr.At(dir)
	deploy.Run("config", "set", "litellm:baseUrl", api.url)
	deploy.Run("config", "set", "--secret", "litellm:apiKey", masterKey)
	deploy.Run("config", "set", "litellm:reloadInterval", "2s")
	for _, k := range []string{"openaiApiKey", "azureEuApiKey", "awsAccessKeyId", "awsSecretAccessKey"} {
		deploy.Run("config", "set", "--secret", k, "sk-"+k+"-0123456789")
	}
	deploy.Run("up", "--yes", "--skip-preview")
	if n := len(emu.Models()); n != 5 {
		t.Fatalf("%d models after up, want 5: %v", n, emu.Models())
	}
	creds := emu.Credentials()
	if len(creds) != 1 || creds[0].Values["api_key"] != "sk-azureEuApiKey-0123456789" {
		t.Fatalf("credentials after up: %v", creds)
	}
	for _, m := range emu.Models() {
		if m.LitellmParams["model"] == "azure/gpt-4o-eu" && (m.LitellmParams["litellm_credential_name"] != "azure-eu" ||
			m.LitellmParams["api_version"] != "2024-10-21") {
			t.Fatalf("the Azure model: %v", m.LitellmParams)
		}
	}
	// Stored fallbacks (each worker serves them after its next reload).
	if fb := emu.StoredFallbacks("context_window"); strings.Join(fb["gpt-4o-mini"], ",") != "gpt-4o" {
		t.Fatalf("the context-window fallbacks stored: %v", fb)
	}
	if fb := emu.StoredFallbacks("general"); strings.Join(fb["gpt-4o"], ",") != "gpt-4o-mini" || strings.Join(fb["claude-sonnet"], ",") != "gpt-4o" {
		t.Fatalf("the general fallbacks stored: %v", fb)
	}
	deploy.Run("up", "--yes", "--expect-no-changes")
	deploy.Run("destroy", "--yes", "--skip-preview")
	if len(emu.Models())+len(emu.Credentials()) != 0 {
		t.Fatalf("destroy left models %v credentials %v", emu.Models(), emu.Credentials())
	}
}
