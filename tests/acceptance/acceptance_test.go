// Package acceptance runs the provider's scenarios against a real LiteLLM
// proxy (DB-backed, STORE_MODEL_IN_DB=True). Opt-in: it runs only when
// LITELLM_API_BASE and LITELLM_API_KEY are set (`make acceptance`), and
// skips otherwise. Everything it creates is named pulumi-acc-<random> and
// deleted at the end.
package acceptance

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/provtest"
)

func proxy(t *testing.T) (string, string) {
	base, key := os.Getenv("LITELLM_API_BASE"), os.Getenv("LITELLM_API_KEY")
	if base == "" || key == "" {
		t.Skip("acceptance tests need LITELLM_API_BASE and LITELLM_API_KEY (a real LiteLLM proxy)")
	}
	return base, key
}

func suffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func server(t *testing.T) integration.Server {
	base, key := proxy(t)
	s, err := provtest.Configured(property.NewMap(map[string]property.Value{
		"baseUrl": property.New(base), "apiKey": property.New(key), "maxWait": property.New("3m"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func str(v string) property.Value { return property.New(v) }

func TestAcceptanceModelLifecycle(t *testing.T) {
	s := server(t)
	name := "pulumi-acc-" + suffix()
	u := presource.URN("urn:pulumi:acc::acc::litellm:index:Model::" + name)
	inputs := func(rpm float64) property.Map {
		return property.NewMap(map[string]property.Value{
			"modelName": str(name),
			"litellmParams": property.New(property.NewMap(map[string]property.Value{
				"model":   str("openai/gpt-4o-mini"),
				"apiKey":  str("sk-acceptance-not-a-real-key-000").WithSecret(true),
				"apiBase": str("https://api.openai.com/v1"),
				"rpm":     property.New(rpm),
			})),
		})
	}
	chk, err := s.Check(p.CheckRequest{Urn: u, Inputs: inputs(10)})
	if err != nil || len(chk.Failures) > 0 {
		t.Fatalf("check: %v %v", err, chk.Failures)
	}
	created, err := s.Create(p.CreateRequest{Urn: u, Properties: chk.Inputs})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { _ = s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}) })

	read, err := s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: chk.Inputs})
	if err != nil || read.ID != created.ID {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	chk2, _ := s.Check(p.CheckRequest{Urn: u, State: chk.Inputs, Inputs: inputs(20)})
	if _, err := s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: chk.Inputs, Inputs: chk2.Inputs}); err != nil {
		t.Fatalf("update: %v", err)
	}
	imp, err := s.Read(p.ReadRequest{ID: created.ID, Urn: u})
	if err != nil || imp.Inputs.Get("modelName").AsString() != name {
		t.Fatalf("import: %v %v", imp.Inputs.GoString(), err)
	}
	if strings.Contains(imp.Inputs.GoString(), "sk-acceptance") {
		t.Fatal("import returned the API key")
	}
	if err := s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	gone, err := s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties})
	if err != nil || gone.ID != "" {
		t.Fatalf("read after delete: %q %v", gone.ID, err)
	}
}

func TestAcceptanceCredentialLifecycle(t *testing.T) {
	s := server(t)
	name := "pulumi-acc-" + suffix()
	u := presource.URN("urn:pulumi:acc::acc::litellm:index:Credential::c")
	in := property.NewMap(map[string]property.Value{
		"credentialName": str(name),
		"credentialValues": property.New(property.NewMap(map[string]property.Value{
			"api_key": str("sk-acceptance-credential-000"),
		})).WithSecret(true),
		"credentialInfo": property.New(property.NewMap(map[string]property.Value{"custom_llm_provider": str("openai")})),
	})
	chk, err := s.Check(p.CheckRequest{Urn: u, Inputs: in})
	if err != nil || len(chk.Failures) > 0 {
		t.Fatalf("check: %v %v", err, chk.Failures)
	}
	created, err := s.Create(p.CreateRequest{Urn: u, Properties: chk.Inputs})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if err := s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
		t.Fatalf("delete: %v", err)
	}
}

// A team with metadata-kept fields and a member budget: create, refresh with
// no change, update in place, delete.
func TestAcceptanceTeamLifecycle(t *testing.T) {
	s := server(t)
	id := "pulumi-acc-" + suffix()
	u := presource.URN("urn:pulumi:acc::acc::litellm:index:Team::t")
	inputs := func(alias string) property.Map {
		return property.NewMap(map[string]property.Value{
			"teamId": str(id), "teamAlias": str(alias), "maxBudget": property.New(10.0), "budgetDuration": str("30d"),
			"modelRpmLimit":    property.New(property.NewMap(map[string]property.Value{"gpt-4o-mini": property.New(5.0)})),
			"teamMemberBudget": property.New(1.0),
			"metadata":         property.New(property.NewMap(map[string]property.Value{"purpose": str("acceptance")})),
		})
	}
	chk, err := s.Check(p.CheckRequest{Urn: u, Inputs: inputs("a")})
	if err != nil || len(chk.Failures) > 0 {
		t.Fatalf("check: %v %v", err, chk.Failures)
	}
	created, err := s.Create(p.CreateRequest{Urn: u, Properties: chk.Inputs})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	deleted := false
	defer func() {
		if !deleted {
			_ = s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties})
		}
	}()
	read, err := s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties, Inputs: chk.Inputs})
	if err != nil || !read.Inputs.Equals(chk.Inputs) {
		t.Fatalf("refresh without change: %v %v", read.Inputs.GoString(), err)
	}
	news, err := s.Check(p.CheckRequest{Urn: u, State: chk.Inputs, Inputs: inputs("b")})
	if err != nil || len(news.Failures) > 0 {
		t.Fatalf("check: %v %v", err, news.Failures)
	}
	updated, err := s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: created.Properties, OldInputs: chk.Inputs, Inputs: news.Inputs})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	read, err = s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: updated.Properties, Inputs: news.Inputs})
	if err != nil || !read.Inputs.Equals(news.Inputs) {
		t.Fatalf("refresh after update: %v %v", read.Inputs.GoString(), err)
	}
	if err := s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	deleted = true
}

// The YAML program of the end-to-end test, through the real CLI.
func TestAcceptanceYAMLProgram(t *testing.T) {
	base, key := proxy(t)
	name := "pulumi-acc-" + suffix()
	pr := clitest.NewYAML(t, "litellm-acceptance", `resources:
  model:
    type: litellm:index:Model
    properties:
      modelName: `+name+`
      litellmParams:
        model: openai/gpt-4o-mini
        apiKey: sk-acceptance-not-a-real-key-000
        rpm: 10
outputs:
  id: ${model.modelId}
`)
	pr.Run("config", "set", "litellm:baseUrl", base)
	pr.Run("config", "set", "--secret", "litellm:apiKey", key)
	defer pr.Exec("destroy", "--yes", "--skip-preview")
	pr.Run("up", "--yes", "--skip-preview")
	pr.Run("up", "--yes", "--expect-no-changes")
	pr.Run("refresh", "--yes")
	pr.Run("destroy", "--yes", "--skip-preview")
}
