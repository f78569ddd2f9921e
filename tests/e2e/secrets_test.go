package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

// generatedKey matches the key values the provider generates.
var generatedKey = regexp.MustCompile(`sk-[A-Za-z0-9_-]{32}`)

const secretsProgram = `config:
  upstreamKey:
    type: string
  webhook:
    type: string
  note:
    type: string
resources:
  cred:
    type: litellm:index:Credential
    properties:
      credentialName: secrets-cred
      credentialValues:
        api_key: ${upstreamKey}
      credentialInfo:
        custom_llm_provider: openai
        note: ${note}
  model:
    type: litellm:index:Model
    properties:
      modelName: secrets-model
      litellmParams:
        model: openai/gpt-4o
        apiKey: ${upstreamKey}
        extra:
          webhook_url: ${webhook}
  key:
    type: litellm:index:Key
    properties:
      keyAlias: secrets-key
      metadata:
        note: ${note}
%s
outputs:
  keyValue: ${key.key}
`

const secretsExtra = `  later:
    type: litellm:index:Model
    properties:
      modelName: secrets-later
      litellmParams:
        model: openai/gpt-4o
        extra:
          webhook_url: ${webhook}
  laterKey:
    type: litellm:index:Key
    properties:
      keyAlias: secrets-later-key
`

// Every secret the user gives (the master key, an upstream key, and values
// under ordinary keys such as extra.webhook_url and credentialInfo.note,
// made secret by the program), and the SHA-256 of each, stays out of every
// log line at the highest verbosity, and so does the value of a key the
// provider generates (a secret output),, every error, the state and the code
// `pulumi import` generates: through up, refresh, import, operations that
// fail behind a gateway echoing request bodies, and destroy.
func TestSecretsStayOutOfLogsStateAndCode(t *testing.T) {
	const (
		webhook  = "https://hooks.example.com/services/T0/B0/e2e-private-webhook"
		note     = "escrow code 5512-8890-e2e"
		imported = "sk-imported-upstream-key-5566778899"
	)
	secrets := []string{masterKey, upstreamKey, webhook, note, imported}
	for _, s := range secrets[:len(secrets):len(secrets)] {
		sum := sha256.Sum256([]byte(s))
		secrets = append(secrets, hex.EncodeToString(sum[:]))
	}

	emu := emulator.New(emulator.Options{MasterKey: masterKey, Workers: 2, ReloadInterval: 2 * time.Second})
	ts := httptest.NewServer(emu)
	defer ts.Close()
	api := apiClient{t, ts.URL}

	pr := clitest.NewYAML(t, "litellm-secrets", strings.Replace(secretsProgram, "%s", "", 1))
	os.Unsetenv("PULUMI_DEBUG_GRPC")
	pr.Run("config", "set", "litellm:baseUrl", ts.URL)
	pr.Run("config", "set", "--secret", "litellm:apiKey", masterKey)
	pr.Run("config", "set", "litellm:reloadInterval", "2s")
	pr.Run("config", "set", "--secret", "upstreamKey", upstreamKey)
	pr.Run("config", "set", "--secret", "webhook", webhook)
	pr.Run("config", "set", "--secret", "note", note)

	var seen strings.Builder
	verbose := []string{"-v=11", "--logtostderr", "--logflow"}
	run := func(ok bool, args ...string) {
		t.Helper()
		out, err := pr.Exec(append(args, verbose...)...)
		if ok && err != nil {
			t.Fatalf("pulumi %s: %v\n%s", strings.Join(args, " "), err, tail(out, 30))
		}
		if !ok && err == nil {
			t.Fatalf("pulumi %s succeeded, want a failure", strings.Join(args, " "))
		}
		seen.WriteString(out)
	}

	run(true, "up", "--yes", "--skip-preview")
	if n := len(emu.Models()); n != 1 {
		t.Fatalf("%d models after up", n)
	}
	// The generated key value: a secret output, never in any log or the state.
	keyValue := strings.TrimSpace(pr.Run("stack", "output", "keyValue", "--show-secrets"))
	if !strings.HasPrefix(keyValue, "sk-") || len(emu.Keys()) != 1 {
		t.Fatalf("key value output (%d chars), %d keys", len(keyValue), len(emu.Keys()))
	}
	secrets = append(secrets, keyValue)
	run(true, "refresh", "--yes")

	// Import of a model holding an upstream key, with generated code.
	if code, body := api.call("POST", "/model/new", map[string]any{
		"model_name":     "secrets-imported",
		"litellm_params": map[string]any{"model": "openai/gpt-4o", "api_key": imported},
		"model_info":     map[string]any{"id": "secrets-imported-1"},
	}); code != 200 {
		t.Fatalf("seed model: %d %v", code, body)
	}
	emu.ReloadAll()
	gen := filepath.Join(t.TempDir(), "imported.yaml")
	run(true, "import", "litellm:index:Model", "imported", "secrets-imported-1", "--yes", "--protect=false", "--out", gen)
	code, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(code), "secrets-imported") {
		t.Fatalf("generated code:\n%s", code)
	}
	seen.Write(code)

	// Operations that fail: a gateway in front of the proxy answers 502 and
	// echoes the request bodies, for a new resource and an update.
	emu.SetFaults(emulator.Faults{GatewayRate: 1, GatewayEcho: true})
	pr.WriteProgram("litellm-secrets", strings.Replace(secretsProgram, "%s", secretsExtra, 1))
	run(false, "up", "--yes", "--skip-preview")
	emu.SetFaults(emulator.Faults{})

	run(true, "up", "--yes", "--skip-preview")
	state, _ := stackExport(t, pr)
	seen.WriteString(state)
	run(true, "destroy", "--yes", "--skip-preview")
	if len(emu.Models())+len(emu.Credentials())+len(emu.Keys()) != 0 { // the imported model is the stack's now: destroyed too
		t.Fatalf("left on the proxy after destroy: %+v %+v", emu.Models(), emu.Credentials())
	}

	// The YAML language host (Pulumi's Go SDK, rpc.go) logs every property
	// it marshals or unmarshals at -v=9 and above, secrets in plaintext
	// included: a resource's secret outputs reach the program that way
	// whichever provider made them (the same holds for a literal secret
	// in a program). Those lines are Pulumi's, not the provider's, and are
	// left out of the search; everything else, the provider's own lines and
	// the engine's, is searched.
	var kept []string
	for _, line := range strings.Split(seen.String(), "\n") {
		if !strings.Contains(line, "arshaling property for RPC[") {
			kept = append(kept, line)
		}
	}
	all := strings.Join(kept, "\n")
	// The engine's verbose log (glog lines), the provider's own log lines
	// and the gateway's error all reached the output that is searched.
	for _, want := range []string{"Provider[litellm", "litellm: POST /model/new", "502"} {
		if !strings.Contains(all, want) {
			t.Fatalf("the output lacks %q: the verbose logs were not captured:\n%s", want, tail(all, 20))
		}
	}
	// Key values the provider generated (the one that failed behind the
	// gateway too, whose value was never output) look like this.
	if m := generatedKey.FindString(all); m != "" {
		t.Errorf("a generated key value (%.6s…) appears in the output", m)
	}
	for i, s := range secrets {
		if strings.Contains(all, s) {
			at := strings.Index(all, s)
			from := max(0, at-300)
			t.Errorf("secret #%d (%.6s…) appears in the output:\n…%s…", i, s, strings.ReplaceAll(all[from:at], "\n", "\n  "))
		}
	}
	t.Logf("checked %d KB of logs, errors, state and generated code", len(all)>>10)
}
