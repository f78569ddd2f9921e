package integration

import (
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/provtest"
)

// A missing or malformed setting fails at configure (which runs during
// `pulumi preview`), naming the config key and the environment variable.
func TestConfigureErrorsNameTheKey(t *testing.T) {
	t.Setenv("LITELLM_API_BASE", "")
	t.Setenv("LITELLM_API_KEY", "")
	cases := []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"apiKey": "sk-x"}, []string{"litellm:baseUrl", "LITELLM_API_BASE"}},
		{map[string]any{"baseUrl": "http://127.0.0.1:1"}, []string{"litellm:apiKey", "LITELLM_API_KEY"}},
		{map[string]any{"baseUrl": "litellm.example.com", "apiKey": "sk-x"}, []string{"litellm:baseUrl", "absolute http(s) URL"}},
		{map[string]any{"baseUrl": "ftp://admin:hunter2secret@proxy", "apiKey": "sk-x"}, []string{"litellm:baseUrl", "admin:xxxxx@proxy"}},
		{map[string]any{"baseUrl": "http://x", "apiKey": "sk-x", "maxWait": "soon"}, []string{"litellm:maxWait", "Go duration"}},
		{map[string]any{"baseUrl": "http://x", "apiKey": "sk-x", "backoff": "linear"}, []string{"litellm:backoff", "fibonacci"}},
		{map[string]any{"baseUrl": "http://x", "apiKey": "sk-x", "headers": map[string]any{"Authorization": "x"}}, []string{"litellm:headers", "apiKey"}},
	}
	for _, tc := range cases {
		s, err := provtest.New()
		if err != nil {
			t.Fatal(err)
		}
		err = s.Configure(p.ConfigureRequest{Args: pm(tc.args)})
		if err == nil {
			t.Fatalf("%v: configure succeeded", tc.args)
		}
		if strings.Contains(err.Error(), "hunter2secret") {
			t.Errorf("password echoed: %v", err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q does not mention %q", tc.args, err, w)
			}
		}
	}
}

// The environment variables are the defaults.
func TestConfigureFromEnvironment(t *testing.T) {
	h := newHarness(t, emulatorOptions(), nil)
	t.Setenv("LITELLM_API_BASE", h.url)
	t.Setenv("LITELLM_API_KEY", masterKey)
	s, err := provtest.Configured(pm(map[string]any{}))
	if err != nil {
		t.Fatalf("configure from env: %v", err)
	}
	h.s = s
	h.mustCreate(urn("Model", "env"), modelInputs("env"))
	if len(h.emu.Models()) != 1 {
		t.Fatal("the model did not reach the proxy named by LITELLM_API_BASE")
	}
}

// Every provider setting changes in place: DiffConfig never plans a
// replacement (which would replace every resource), and a base URL spelt
// differently (trailing slash, case, default port) is no change at all.
func TestConfigChangesAreInPlace(t *testing.T) {
	h := newHarness(t, emulatorOptions(), nil)
	olds := h.providerState
	for name, change := range map[string]map[string]any{
		"apiKey":         {"apiKey": "sk-rotated-key-000000"},
		"requestTimeout": {"requestTimeout": "5s"},
		"changedBy":      {"changedBy": "ci"},
		"maxWait":        {"maxWait": "6m"},
		"backoff":        {"backoff": "exponential"},
		"reloadInterval": {"reloadInterval": "10s"},
		"baseUrl":        {"baseUrl": "http://litellm.internal:4000"},
	} {
		_, news := h.server(change, olds)
		diff, err := h.s.DiffConfig(p.DiffRequest{Urn: "urn:pulumi:test::proj::pulumi:providers:litellm::default", OldInputs: olds, State: olds, Inputs: news})
		if err != nil {
			t.Fatal(err)
		}
		if !diff.HasChanges || diff.DeleteBeforeReplace {
			t.Fatalf("%s: %+v", name, diff)
		}
		for path, d := range diff.DetailedDiff {
			switch d.Kind {
			case p.AddReplace, p.UpdateReplace, p.DeleteReplace:
				t.Fatalf("%s: %s replaces the provider: %+v", name, path, diff)
			}
		}
		if news.Get("ownerId").AsString() != olds.Get("ownerId").AsString() {
			t.Fatalf("%s: the owner ID changed", name)
		}
	}
	for _, same := range []string{h.url + "/", strings.ToUpper(h.url[:4]) + h.url[4:]} {
		_, news := h.server(map[string]any{"baseUrl": same}, olds)
		diff, err := h.s.DiffConfig(p.DiffRequest{OldInputs: olds, State: olds, Inputs: news})
		if err != nil || diff.HasChanges {
			t.Fatalf("%q is the same base URL: %+v %v", same, diff, err)
		}
	}
}

// Values from the environment are read when the provider runs and never
// become provider inputs (the stack's state); stack config wins when set;
// a rejected key's hint names where it came from.
func TestEnvironmentIsNeverStored(t *testing.T) {
	h := newHarness(t, emulatorOptions(), nil)
	t.Setenv("LITELLM_API_BASE", h.url)
	t.Setenv("LITELLM_API_KEY", masterKey)
	s, err := provtest.New()
	if err != nil {
		t.Fatal(err)
	}
	checked, err := s.CheckConfig(p.CheckRequest{Inputs: pm(map[string]any{})})
	if err != nil {
		t.Fatal(err)
	}
	if v := checked.Inputs.Get("apiKey"); !v.IsNull() {
		t.Fatalf("the key from LITELLM_API_KEY became a provider input: %v", checked.Inputs.GoString())
	}
	if v := checked.Inputs.Get("baseUrl"); !v.IsNull() {
		t.Fatalf("LITELLM_API_BASE became a provider input: %v", checked.Inputs.GoString())
	}
	if err := s.Configure(p.ConfigureRequest{Args: checked.Inputs}); err != nil {
		t.Fatal(err)
	}
	// A wrong key in the environment is not rescued by anything stored, and
	// the error says which key was used.
	t.Setenv("LITELLM_API_KEY", "sk-wrong-env-key-000000")
	s2, err := provtest.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Configure(p.ConfigureRequest{Args: checked.Inputs}); err != nil {
		t.Fatal(err)
	}
	_, err = h.createOn(s2, urn("Model", "env"), modelInputs("env"), 0)
	if err == nil || !strings.Contains(err.Error(), "LITELLM_API_KEY environment variable") || strings.Contains(err.Error(), "sk-wrong-env-key-000000") {
		t.Fatalf("401 hint: %v", err)
	}
	// Stack config wins over the environment.
	s3, _ := h.server(map[string]any{"apiKey": masterKey}, property.Map{})
	if _, err := h.createOn(s3, urn("Model", "cfg"), modelInputs("cfg"), 0); err != nil {
		t.Fatalf("stack config must win over a wrong environment key: %v", err)
	}
}

// The SDKs send the plugin's version with the provider's inputs; it is not a
// setting and must not fail the configuration.
func TestCheckConfigAcceptsTheSDKsVersionKey(t *testing.T) {
	s, err := provtest.New()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.CheckConfig(p.CheckRequest{Inputs: pm(map[string]any{"version": "0.1.0", "baseUrl": "http://x", "apiKey": "sk-x"})})
	if err != nil || len(resp.Failures) > 0 {
		t.Fatalf("%v %+v", err, resp.Failures)
	}
}

// A base URL with user:password@ is refused at preview: stack config that
// is not a secret is stored in plaintext in the state.
func TestCheckConfigRefusesCredentialsInTheBaseURL(t *testing.T) {
	s, err := provtest.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"https://admin:hunter22@litellm.example.com", "https://admin@litellm.example.com", "https://litellm.example.com:99999"} {
		resp, err := s.CheckConfig(p.CheckRequest{Inputs: pm(map[string]any{"baseUrl": base, "apiKey": "sk-x"})})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Failures) != 1 || resp.Failures[0].Property != "baseUrl" || strings.Contains(resp.Failures[0].Reason, "hunter22") {
			t.Fatalf("%s: failures %+v", base, resp.Failures)
		}
	}
}
