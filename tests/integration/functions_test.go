package integration

import (
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func (h *harness) invoke(token string, args map[string]any) (property.Map, error) {
	h.t.Helper()
	resp, err := h.s.Invoke(p.InvokeRequest{Token: tokens.Type("litellm:index:" + token), Args: pm(args)})
	if err == nil && len(resp.Failures) > 0 {
		h.t.Fatalf("%s: failures %+v", token, resp.Failures)
	}
	return resp.Return, err
}

// Every get finds what a resource just created, on a proxy whose workers
// have not reloaded yet (requests spread over 3 workers, so most reads meet
// a worker that never saw the create), and no function returns a secret.
func TestFunctionsFindWhatWasJustCreated(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: 2 * time.Second, Routing: emulator.RoutePerRequest}, nil)
	model := h.mustCreate(urn("Model", "m"), modelInputs("fn-model"))
	h.mustCreate(urn("Credential", "c"), credInputs("fn-cred"))
	team := h.mustCreate(urn("Team", "t"), map[string]any{"teamAlias": "fn-team", "maxBudget": 5.0})
	user := h.mustCreate(urn("User", "u"), map[string]any{"userEmail": "fn@example.com"})
	key := h.mustCreate(urn("Key", "k"), map[string]any{"keyAlias": "fn-key", "teamId": team.ID, "userId": user.ID})
	value := stateValue(t, key.Properties)
	org := h.mustCreate(urn("Organization", "o"), map[string]any{"organizationAlias": "fn-org", "maxBudget": 7.0})
	budget := h.mustCreate(urn("Budget", "b"), map[string]any{"budgetId": "fn-budget", "maxBudget": 3.0, "budgetDuration": "30d"})
	project := h.mustCreate(urn("Project", "p"), map[string]any{"teamId": team.ID, "projectAlias": "fn-project", "maxBudget": 2.0})
	customer := h.mustCreate(urn("Customer", "cu"), map[string]any{"userId": "fn-customer", "alias": "fn-cust", "budgetId": budget.ID})

	// Requests go to the workers in turn: an authenticated request before
	// each get moves the first read of each get to another worker, so that
	// one of them meets each worker, the two stale ones included.
	var got property.Map
	var err error
	for i := range 3 {
		h.api("GET", "/team/list", nil)
		got, err = h.invoke("getModel", map[string]any{"modelId": model.ID})
		if err != nil || get(got, "modelName") != "fn-model" || get(got, "litellmParams.model") != "openai/gpt-4o" ||
			get(got, "litellmParams.apiKey") != nil || !strings.Contains(fmtStr(get(got, "managedBy")), "::m") {
			t.Fatalf("getModel (%d): %v %v", i, got.GoString(), err)
		}
	}
	for i := range 3 {
		h.api("GET", "/team/list", nil)
		got, err = h.invoke("getCredential", map[string]any{"credentialName": "fn-cred"})
		if err != nil || get(got, "credentialInfo.custom_llm_provider") != "openai" || strings.Contains(got.GoString(), credSecret) {
			t.Fatalf("getCredential (%d): %v %v", i, got.GoString(), err)
		}
	}
	got, err = h.invoke("getTeam", map[string]any{"teamId": team.ID})
	if err != nil || get(got, "teamAlias") != "fn-team" || get(got, "maxBudget") != 5.0 || get(got, "spend") != 0.0 || get(got, "metadata.pulumi") != nil {
		t.Fatalf("getTeam: %v %v", got.GoString(), err)
	}
	got, err = h.invoke("getUser", map[string]any{"userId": user.ID})
	if err != nil || get(got, "userEmail") != "fn@example.com" {
		t.Fatalf("getUser: %v %v", got.GoString(), err)
	}
	for _, id := range []string{key.ID, value} {
		got, err = h.invoke("getKey", map[string]any{"token": secret{id}})
		if err != nil || get(got, "keyAlias") != "fn-key" || get(got, "teamId") != team.ID || strings.Contains(got.GoString(), value) ||
			!got.Get("token").Secret() {
			t.Fatalf("getKey: %v %v", got.GoString(), err)
		}
	}

	// Organizations, budgets, projects and customers are read from the
	// database: found at once, whichever worker answers.
	noSecret := func(fn string, got property.Map) {
		t.Helper()
		if s := got.GoString(); strings.Contains(s, value) || strings.Contains(s, credSecret) || strings.Contains(s, "sk-") {
			t.Fatalf("%s returned a secret: %v", fn, s)
		}
	}
	got, err = h.invoke("getOrganization", map[string]any{"organizationId": org.ID})
	if err != nil || get(got, "organizationAlias") != "fn-org" || get(got, "maxBudget") != 7.0 || get(got, "spend") != 0.0 ||
		get(got, "metadata.pulumi") != nil || !strings.Contains(fmtStr(get(got, "managedBy")), "::o") {
		t.Fatalf("getOrganization: %v %v", got.GoString(), err)
	}
	noSecret("getOrganization", got)
	got, err = h.invoke("getBudget", map[string]any{"budgetId": budget.ID})
	if err != nil || get(got, "budgetId") != "fn-budget" || get(got, "maxBudget") != 3.0 || get(got, "budgetDuration") != "30d" {
		t.Fatalf("getBudget: %v %v", got.GoString(), err)
	}
	noSecret("getBudget", got)
	got, err = h.invoke("getProject", map[string]any{"projectId": project.ID})
	if err != nil || get(got, "projectAlias") != "fn-project" || get(got, "teamId") != team.ID || get(got, "maxBudget") != 2.0 ||
		get(got, "metadata.pulumi") != nil || !strings.Contains(fmtStr(get(got, "managedBy")), "::p") {
		t.Fatalf("getProject: %v %v", got.GoString(), err)
	}
	noSecret("getProject", got)
	got, err = h.invoke("getCustomer", map[string]any{"userId": customer.ID})
	if err != nil || get(got, "alias") != "fn-cust" || get(got, "budgetId") != "fn-budget" || get(got, "maxBudget") != 3.0 {
		t.Fatalf("getCustomer: %v %v", got.GoString(), err)
	}
	noSecret("getCustomer", got)
	for fn, want := range map[string]string{"listOrganizations": org.ID, "listBudgets": "fn-budget", "listProjects": project.ID,
		"listCustomers": "fn-customer"} {
		got, err := h.invoke(fn, nil)
		if err != nil || !strings.Contains(got.GoString(), want) {
			t.Fatalf("%s: %v %v", fn, got.GoString(), err)
		}
		noSecret(fn, got)
	}

	// The lists hold them too, once the workers have reloaded: LiteLLM lists
	// models and credentials from the answering worker's memory, and the
	// newest /v2/model/info lists its router only (listModels says so).
	h.emu.ReloadAll()
	for fn, want := range map[string]string{"listModels": "fn-model", "listCredentials": "fn-cred", "listTeams": "fn-team",
		"listUsers": "fn@example.com"} {
		got, err := h.invoke(fn, nil)
		if err != nil || !strings.Contains(got.GoString(), want) {
			t.Fatalf("%s: %v %v", fn, got.GoString(), err)
		}
	}
	// The filters of listTeams, listUsers and listModels.
	inOrg := h.mustCreate(urn("Team", "t2"), map[string]any{"teamAlias": "fn-team-2", "organizationId": org.ID})
	viewer := h.mustCreate(urn("User", "v"), map[string]any{"userEmail": "viewer@example.com", "userRole": "internal_user_viewer"})
	if got, err := h.invoke("listTeams", map[string]any{"organizationId": org.ID}); err != nil || len(got.Get("teams").AsArray().AsSlice()) != 1 ||
		!strings.Contains(got.GoString(), inOrg.ID) {
		t.Fatalf("listTeams of the organization: %v %v", got.GoString(), err)
	}
	if got, err := h.invoke("listUsers", map[string]any{"userRole": "internal_user_viewer"}); err != nil || len(got.Get("users").AsArray().AsSlice()) != 1 ||
		!strings.Contains(got.GoString(), viewer.ID) {
		t.Fatalf("listUsers of the viewer role: %v %v", got.GoString(), err)
	}
	if got, err := h.invoke("listTeams", map[string]any{"organizationId": "no-such-org"}); err != nil || len(got.Get("teams").AsArray().AsSlice()) != 0 {
		t.Fatalf("listTeams of another organization: %v %v", got.GoString(), err)
	}
	if got, err := h.invoke("listUsers", map[string]any{"userRole": "proxy_admin_viewer"}); err != nil || strings.Contains(got.GoString(), "fn@example.com") {
		t.Fatalf("listUsers of another role: %v %v", got.GoString(), err)
	}
	if got, err := h.invoke("listModels", map[string]any{"teamId": team.ID}); err != nil || len(got.Get("models").AsArray().AsSlice()) != 0 {
		t.Fatalf("listModels of a team without team models: %v %v", got.GoString(), err)
	}
	got, err = h.invoke("listKeys", map[string]any{"teamId": team.ID})
	if err != nil || len(got.Get("keys").AsArray().AsSlice()) != 1 || strings.Contains(got.GoString(), value) {
		t.Fatalf("listKeys: %v %v", got.GoString(), err)
	}
	got, err = h.invoke("listKeys", map[string]any{"teamId": "no-such-team"})
	if err != nil || len(got.Get("keys").AsArray().AsSlice()) != 0 {
		t.Fatalf("listKeys of another team: %v %v", got.GoString(), err)
	}
}

// A get of something that does not exist: at once where the proxy reads its
// database, after the settle time where a worker's memory answers.
func TestFunctionsMisses(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 2, ReloadInterval: 500 * time.Millisecond}, nil)
	for fn, args := range map[string]map[string]any{
		"getTeam": {"teamId": "nope"}, "getUser": {"userId": "nope"}, "getKey": {"token": secret{strings.Repeat("0", 64)}},
		"getOrganization": {"organizationId": "nope"}, "getBudget": {"budgetId": "nope"}, "getProject": {"projectId": "nope"},
		"getCustomer": {"userId": "nope"},
	} {
		start := time.Now()
		if _, err := h.invoke(fn, args); err == nil || !strings.Contains(err.Error(), "does not exist") || time.Since(start) > 2*time.Second {
			t.Fatalf("%s of a missing object: %v after %v", fn, err, time.Since(start))
		}
	}
	for fn, args := range map[string]map[string]any{"getModel": {"modelId": "nope"}, "getCredential": {"credentialName": "nope"}} {
		start := time.Now()
		_, err := h.invoke(fn, args)
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("%s of a missing object: %v", fn, err)
		}
		if d := time.Since(start); d < time.Second {
			t.Fatalf("%s believed a worker's miss after %v, before the settle time", fn, d)
		}
	}
}

func fmtStr(v any) string {
	s, _ := v.(string)
	return s
}
