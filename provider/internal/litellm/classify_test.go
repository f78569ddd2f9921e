package litellm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testKey = "sk-master-key-for-tests-0001"

// stub starts a test server and a client for it.
func stub(t *testing.T, h http.HandlerFunc, mod ...func(*Config)) *Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	cfg := Config{BaseURL: ts.URL, APIKey: testKey, Timeout: 2 * time.Second}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// answer replies with status and body; headers are name, value pairs.
func answer(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

type call func(ctx context.Context, c *Client) error

var (
	getModel    = func(ctx context.Context, c *Client) error { _, err := c.Models.Get(ctx, "m1"); return err }
	routerGet   = func(ctx context.Context, c *Client) error { _, err := c.Models.GetFromRouter(ctx, "m1"); return err }
	createModel = func(ctx context.Context, c *Client) error {
		return c.Models.Create(ctx, Deployment{ModelName: "x", LitellmParams: map[string]any{"model": "openai/x"}, ModelInfo: map[string]any{"id": "m1"}})
	}
	updateModel = func(ctx context.Context, c *Client) error {
		return c.Models.Update(ctx, "m1", ModelUpdate{LitellmParams: map[string]any{"rpm": 1}})
	}
	deleteModel = func(ctx context.Context, c *Client) error { return c.Models.Delete(ctx, "m1") }
	getCred     = func(ctx context.Context, c *Client) error { _, err := c.Credentials.Get(ctx, "c1"); return err }
	createCred  = func(ctx context.Context, c *Client) error {
		return c.Credentials.Create(ctx, Credential{CredentialName: "c1", CredentialValues: map[string]any{"api_key": "v"}})
	}
	updateCred = func(ctx context.Context, c *Client) error {
		return c.Credentials.Update(ctx, "c1", Credential{CredentialInfo: map[string]any{"a": "b"}})
	}
	deleteCred = func(ctx context.Context, c *Client) error { return c.Credentials.Delete(ctx, "c1") }
	getTeam    = func(ctx context.Context, c *Client) error { _, err := c.Teams.Get(ctx, "t1"); return err }
	createTeam = func(ctx context.Context, c *Client) error { return c.Teams.Create(ctx, Team{"team_id": "t1"}) }
	updateTeam = func(ctx context.Context, c *Client) error { return c.Teams.Update(ctx, "t1", Team{"team_alias": "a"}) }
	deleteTeam = func(ctx context.Context, c *Client) error { return c.Teams.Delete(ctx, "t1") }
	keyToken   = strings.Repeat("ab", 32)
	getKey     = func(ctx context.Context, c *Client) error { _, err := c.Keys.Get(ctx, keyToken); return err }
	createKey  = func(ctx context.Context, c *Client) error {
		_, err := c.Keys.Generate(ctx, "sk-value-of-the-key-0123456789", Key{"key_alias": "a"})
		return err
	}
	updateKey = func(ctx context.Context, c *Client) error { return c.Keys.Update(ctx, keyToken, Key{"key_alias": "a"}) }
	deleteKey = func(ctx context.Context, c *Client) error { return c.Keys.Delete(ctx, keyToken) }
	rotateKey = func(ctx context.Context, c *Client) error {
		return c.Keys.Regenerate(ctx, keyToken, "sk-new-value-of-the-key-0123456789")
	}
	getUser    = func(ctx context.Context, c *Client) error { _, err := c.Users.Get(ctx, "u1"); return err }
	createUser = func(ctx context.Context, c *Client) error { return c.Users.Create(ctx, User{"user_id": "u1"}) }
	updateUser = func(ctx context.Context, c *Client) error { return c.Users.Update(ctx, "u1", User{"user_alias": "a"}) }
	deleteUser = func(ctx context.Context, c *Client) error { return c.Users.Delete(ctx, "u1") }
)

// Budgets, customers and projects.
var (
	getBudget    = func(ctx context.Context, c *Client) error { _, err := c.Budgets.Get(ctx, "b1"); return err }
	createBudget = func(ctx context.Context, c *Client) error { return c.Budgets.Create(ctx, Budget{"budget_id": "b1"}) }
	updateBudget = func(ctx context.Context, c *Client) error {
		return c.Budgets.Update(ctx, "b1", Budget{"max_budget": 1})
	}
	deleteBudget   = func(ctx context.Context, c *Client) error { return c.Budgets.Delete(ctx, "b1") }
	getCustomer    = func(ctx context.Context, c *Client) error { _, err := c.Customers.Get(ctx, "c1"); return err }
	createCustomer = func(ctx context.Context, c *Client) error { return c.Customers.Create(ctx, Customer{"user_id": "c1"}) }
	updateCustomer = func(ctx context.Context, c *Client) error {
		return c.Customers.Update(ctx, "c1", Customer{"alias": "a"})
	}
	deleteCustomer = func(ctx context.Context, c *Client) error { return c.Customers.Delete(ctx, "c1") }
	getProject     = func(ctx context.Context, c *Client) error { _, err := c.Projects.Get(ctx, "p1"); return err }
	createProject  = func(ctx context.Context, c *Client) error {
		return c.Projects.Create(ctx, Project{"project_id": "p1", "team_id": "t1"})
	}
	updateProject = func(ctx context.Context, c *Client) error {
		return c.Projects.Update(ctx, "p1", Project{"project_alias": "a"})
	}
	deleteProject = func(ctx context.Context, c *Client) error { return c.Projects.Delete(ctx, "p1") }
)

// Team members and blocks.
var (
	addMember = func(ctx context.Context, c *Client) error {
		return c.Teams.AddMember(ctx, "t1", MemberChange{Member: Member{UserID: "u1", Role: "user"}})
	}
	updateMember = func(ctx context.Context, c *Client) error {
		return c.Teams.UpdateMember(ctx, "t1", MemberChange{Member: Member{UserID: "u1", Role: "admin"}})
	}
	deleteMember = func(ctx context.Context, c *Client) error { return c.Teams.DeleteMember(ctx, "t1", "u1") }
	getMembers   = func(ctx context.Context, c *Client) error { _, err := c.Teams.Members(ctx, "t1"); return err }
	blockTeam    = func(ctx context.Context, c *Client) error { return c.Teams.Block(ctx, "t1") }
	unblockTeam  = func(ctx context.Context, c *Client) error { return c.Teams.Unblock(ctx, "t1") }
	blockKey     = func(ctx context.Context, c *Client) error { return c.Keys.Block(ctx, keyToken) }
	unblockKey   = func(ctx context.Context, c *Client) error { return c.Keys.Unblock(ctx, keyToken) }
)

// Organizations and their members.
var (
	getOrg    = func(ctx context.Context, c *Client) error { _, err := c.Organizations.Get(ctx, "o1"); return err }
	createOrg = func(ctx context.Context, c *Client) error {
		return c.Organizations.Create(ctx, Organization{"organization_id": "o1"})
	}
	updateOrg = func(ctx context.Context, c *Client) error {
		return c.Organizations.Update(ctx, "o1", Organization{"models": []any{}})
	}
	deleteOrg    = func(ctx context.Context, c *Client) error { return c.Organizations.Delete(ctx, "o1") }
	addOrgMember = func(ctx context.Context, c *Client) error {
		return c.Organizations.AddMembers(ctx, "o1", []OrganizationMember{{UserID: "u1", Role: "internal_user"}})
	}
	updateOrgMember = func(ctx context.Context, c *Client) error {
		role := "org_admin"
		return c.Organizations.UpdateMember(ctx, "o1", "u1", &role, nil)
	}
)

// shape1 is LiteLLM's ProxyException body.
func shape1(msg, typ, code string) string {
	return `{"error":{"message":` + jsonString(msg) + `,"type":"` + typ + `","param":"None","code":"` + code + `"}}`
}

func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// TestClassification: per endpoint, LiteLLM's real answers (docs/litellm/errors.md)
// and the generic ones, each classified exactly once.
func TestClassification(t *testing.T) {
	type row struct {
		name       string
		call       call
		status     int
		body       string
		headers    []string
		kind       Kind
		ambiguous  bool
		retryAfter time.Duration
		msg        string // substring of Error()
		typ        string // Error.Type, when checked
	}
	rows := []row{
		// JWT key mappings (docs/litellm/jwt-key-mappings.md): jwt_key_mapping_endpoints.py, 1.110.2 wheel.
		{name: "jwt mapping create: 409 claim exists is a conflict", call: createJwtMapping, status: 409,
			body: `{"detail":"A mapping for claim 'sub' = 'u1' already exists for issuer 'None'."}`, kind: KindConflict, msg: "already exists"},
		{name: "jwt mapping create: 400 unknown key says to create it", call: createJwtMapping, status: 400,
			body: `{"detail":"The provided key does not match an existing virtual key."}`, kind: KindInvalid, msg: "create the Key first"},
		{name: "jwt mapping create: 500 is ambiguous", call: createJwtMapping, status: 500,
			body: `{"detail":"Failed to create JWT key mapping."}`, kind: KindTransient, ambiguous: true},
		{name: "jwt mapping info: 404", call: getJwtMapping, status: 404, body: `{"detail":"Mapping not found"}`, kind: KindNotFound},
		{name: "jwt mapping info: 200 with another mapping is not found", call: getJwtMapping, status: 200, body: `{"id":"m2"}`, kind: KindNotFound},
		{name: "jwt mapping update: 404", call: updateJwtMapping, status: 404, body: `{"detail":"Mapping not found"}`, kind: KindNotFound},
		{name: "jwt mapping delete: 404 (gone, or a repeat)", call: deleteJwtMapping, status: 404, body: `{"detail":"Mapping not found"}`, kind: KindNotFound},
		// Agents (docs/litellm/agents.md): agent_endpoints/endpoints.py and agent_registry.py, 1.110.2 wheel.
		{name: "agent create: 400 name in the worker's registry is a conflict", call: createAgent, status: 400,
			body: `{"detail":"Agent with name a1 already exists"}`, kind: KindConflict, msg: "already exists"},
		{name: "agent create: 409 name only in the database is a conflict", call: createAgent, status: 409,
			body: `{"detail":"Agent name or Entra application is already registered"}`, kind: KindConflict},
		{name: "agent create: other 400 is invalid", call: createAgent, status: 400,
			body: `{"detail":"Unsupported protocolVersion '2.0'. Supported versions: 0.3, 1.0."}`, kind: KindInvalid},
		{name: "agent create: 500 is ambiguous", call: createAgent, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "agent get: 404", call: getAgent, status: 404, body: `{"detail":"Agent with ID a1 not found"}`, kind: KindNotFound},
		{name: "agent get: 403 not allowed for the key", call: getAgent, status: 403,
			body: `{"detail":"Agent 'a1' is not allowed for your key/team. Contact proxy admin for access."}`, kind: KindForbidden},
		{name: "agent update: 404", call: updateAgent, status: 404, body: `{"detail":"Agent with ID a1 not found"}`, kind: KindNotFound},
		{name: "agent delete: 404 (gone, or a repeat)", call: deleteAgent, status: 404, body: `{"detail":"Agent with ID a1 not found in DB."}`, kind: KindNotFound},
		// MCP toolsets (docs/litellm/mcp-toolsets.md): mcp_management_endpoints.py, 1.110.2 wheel.
		{name: "toolset create: 409 name exists is a conflict", call: createMcpToolset, status: 409,
			body: `{"detail":{"error":"A toolset named 'ts1' already exists."}}`, kind: KindConflict, msg: "already exists"},
		{name: "toolset create: 500 is ambiguous", call: createMcpToolset, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "toolset get: 404", call: getMcpToolset, status: 404, body: `{"detail":{"error":"Toolset 'ts1' not found."}}`, kind: KindNotFound},
		{name: "toolset update: 404", call: updateMcpToolset, status: 404, body: `{"detail":{"error":"Toolset 'ts1' not found."}}`, kind: KindNotFound},
		{name: "toolset update: 409 rename onto a taken name", call: updateMcpToolset, status: 409,
			body: `{"detail":{"error":"A toolset named 'x' already exists."}}`, kind: KindConflict},
		{name: "toolset delete: 404 (gone, or a repeat)", call: deleteMcpToolset, status: 404, body: `{"detail":{"error":"Toolset 'ts1' not found."}}`, kind: KindNotFound},
		// Unified access groups (docs/litellm/unified-access-groups.md): access_group_endpoints.py, 1.110.2 wheel.
		{name: "access group create: 409 name exists is a conflict", call: createAccessGroup, status: 409,
			body: `{"detail":"Access group 'g1' already exists"}`, kind: KindConflict, msg: "already exists"},
		{name: "access group create: 400 unknown team is invalid", call: createAccessGroup, status: 400,
			body: `{"detail":"Unknown team ids: t9"}`, kind: KindInvalid, msg: "Unknown team ids"},
		{name: "access group create: 500 is ambiguous", call: createAccessGroup, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "access group get: 404", call: getAccessGroup, status: 404, body: `{"detail":"Access group 'ag1' not found"}`, kind: KindNotFound},
		{name: "access group get: 200 with another group is not found", call: getAccessGroup, status: 200, body: `{"access_group_id":"ag2"}`, kind: KindNotFound},
		{name: "access group update: 404", call: updateAccessGroup, status: 404, body: `{"detail":"Access group 'ag1' not found"}`, kind: KindNotFound},
		{name: "access group update: 409 rename onto a taken name", call: updateAccessGroup, status: 409, body: `{"detail":"Access group 'x' already exists"}`, kind: KindConflict},
		{name: "access group delete: 404 (gone, or a repeat)", call: deleteAccessGroup, status: 404, body: `{"detail":"Access group 'ag1' not found"}`, kind: KindNotFound},
		// Not found, per endpoint (errors.md#not-found-models, #not-found-credentials).
		{name: "v2 read: data [] is not found", call: getModel, status: 200, body: `{"data":[],"total_count":0,"current_page":1,"total_pages":0,"size":50}`,
			kind: KindNotFound, msg: `no model with id "m1"`},
		{name: "router read: 400 not found on litellm proxy", call: routerGet, status: 400,
			body: `{"detail":{"error":"Model id = m1 not found on litellm proxy"}}`, kind: KindNotFound, msg: "Model id = m1 not found on litellm proxy"},
		{name: "router read: 500 model list not loaded", call: routerGet, status: 500,
			body: shape1("LLM Model List not loaded in. Make sure you passed models in your config.yaml or on the LiteLLM Admin UI. - https://docs.litellm.ai/docs/proxy/configs", "None", "500"),
			kind: KindNotFound, msg: "Model List not loaded"},
		{name: "router read: 500 router not loaded", call: routerGet, status: 500,
			body: `{"detail":"LLM Router is not loaded in. Make sure you passed models in your config.yaml"}`, kind: KindNotFound},
		{name: "router read: other 400 is invalid", call: routerGet, status: 400, body: `{"detail":"bad request"}`, kind: KindInvalid, msg: "400: bad request"},
		{name: "router read: other 500 is transient, reads are not ambiguous", call: routerGet, status: 500, body: `{"detail":"boom"}`, kind: KindTransient},
		{name: "update: 404 shape 1 not found", call: updateModel, status: 404,
			body: shape1("Model m1 not found on proxy.", "not_found_error", "404"), kind: KindNotFound, msg: "Model m1 not found on proxy.", typ: "not_found_error"},
		{name: "update: other 400 is invalid", call: updateModel, status: 400, body: shape1("context_window_size must be non-negative", "bad_request_error", "400"), kind: KindInvalid},
		{name: "delete: 400 not found in db (python dict unwrapped)", call: deleteModel, status: 400,
			body: `{"error":{"message":"{'error': 'Model with id=m1 not found in db'}","type":"auth_error","param":"None","code":"400"}}`,
			kind: KindNotFound, msg: ": Model with id=m1 not found in db", typ: "auth_error"},
		{name: "delete: other 400 is invalid", call: deleteModel, status: 400, body: `{"detail":"id is required"}`, kind: KindInvalid},
		{name: "credential read: 404", call: getCred, status: 404,
			body: shape1("Credential not found. Got credential name: c1", "internal_server_error", "404"), kind: KindNotFound, msg: "Credential not found"},
		{name: "credential update: 200 with error object", call: updateCred, status: 200,
			body: `{"message":"Credential not found in DB.","type":"not_found","param":null,"code":"404"}`, kind: KindNotFound, msg: "200 (error code 404): Credential not found in DB."},
		{name: "credential delete: 200 with error object", call: deleteCred, status: 200,
			body: `{"message":"Credential not found in DB.","type":"not_found","code":"404"}`, kind: KindNotFound},
		{name: "credential delete: 200 with a Prisma record-not-found 500", call: deleteCred, status: 200,
			body: `{"message":"Internal Server Error, An operation failed because it depends on one or more records that were required but not found. Record to delete does not exist.","type":"internal_server_error","code":"500"}`,
			kind: KindNotFound},
		{name: "credential update: 200 with a 500 error object is transient and ambiguous", call: updateCred, status: 200,
			body: `{"message":"Internal Server Error, boom","type":"internal_server_error","code":500}`, kind: KindTransient, ambiguous: true},
		{name: "credential update: 200 with a unique violation (rename)", call: updateCred, status: 200,
			body: `{"message":"Unique constraint failed on the fields: (credential_name)","code":"500"}`, kind: KindConflict},
		{name: "credential write: 200 without success", call: deleteCred, status: 200, body: `{"weird":true}`, kind: KindUnknown, msg: `without "success": true`},
		{name: "credential write: success false", call: createCred, status: 200, body: `{"success":false,"message":"nope"}`, kind: KindUnknown, msg: "nope"},
		{name: "credential write: empty 200", call: createCred, status: 200, body: ``, kind: KindUnknown},
		{name: "credential read: 200 with error object", call: getCred, status: 200,
			body: `{"message":"Credential not found. Got credential name: c1","type":"internal_server_error","code":"404"}`, kind: KindNotFound},
		// "not found" text on an endpoint without a not-found rule is not KindNotFound.
		{name: "create: a not-found message is not KindNotFound", call: createModel, status: 400, body: `{"detail":"Credential not found: foo"}`, kind: KindInvalid},
		{name: "create: SSRF guard", call: createModel, status: 400,
			body: shape1("api_base host 10.0.0.1 is not allowed; add it to general_settings.user_url_allowed_hosts", "bad_request_error", "400"), kind: KindInvalid},
		// Missing routes: FastAPI's bare 404.
		{name: "update: route missing is invalid, not not-found", call: updateModel, status: 404, body: `{"detail":"Not Found"}`, kind: KindInvalid, msg: "too old"},
		{name: "credential read: route missing is invalid", call: getCred, status: 404, body: `{"detail":"Not Found"}`, kind: KindInvalid, msg: "no such endpoint"},
		{name: "update: HTML 404 from a gateway is invalid, not not-found", call: updateModel, status: 404, headers: []string{"Content-Type", "text/html"},
			body: "<html><body><h1>404 Not Found</h1>nginx</body></html>", kind: KindInvalid, msg: "404 Not Found nginx"},
		{name: "405 method not allowed", call: updateModel, status: 405, body: `{"detail":"Method Not Allowed"}`, kind: KindInvalid, msg: "405: Method Not Allowed"},
		// Create conflicts (errors.md#create-conflicts).
		{name: "model create: id taken", call: createModel, status: 400,
			body: shape1("model_info.id=m1 already belongs to an existing deployment; omit model_info.id to auto-generate one.", "bad_request_error", "400"),
			kind: KindConflict, msg: "already belongs"},
		{name: "model create: swallowed DB error is transient and ambiguous", call: createModel, status: 500,
			body: `{"detail":"Failed to add model to db. Check your server logs for more details."}`, kind: KindTransient, ambiguous: true, msg: "Failed to add model to db"},
		// Teams (docs/litellm/teams.md): LiteLLM's own integration tests' bodies.
		{name: "team info: 404 shape 1", call: getTeam, status: 404,
			body: `{"error":{"message":"{'message': 'Team not found, passed team id: t1.'}","type":"auth_error","param":"None","code":"404"}}`,
			kind: KindNotFound, msg: "Team not found, passed team id: t1."},
		{name: "team info: 200 without team_info is not found", call: getTeam, status: 200, body: `{"team_id":"t1"}`, kind: KindNotFound},
		{name: "team create: 400 id exists", call: createTeam, status: 400,
			body: `{"error":{"message":"{'error': 'Team id = t1 already exists. Please use a different team id.'}","type":"auth_error","param":"None","code":"400"}}`,
			kind: KindConflict, msg: "Team id = t1 already exists"},
		{name: "team create: other 400 is invalid", call: createTeam, status: 400, body: `{"detail":{"error":"max budget higher than org"}}`, kind: KindInvalid},
		{name: "team create: 500 is ambiguous", call: createTeam, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		// Team members (docs/litellm/team-members.md).
		{name: "member add: already in team is a conflict", call: addMember, status: 400,
			body: `{"error":{"message":"User already in team. Member: user_id=u1, user_email=None. Existing members=[Member(user_email=None, user_id='u1', role='user')]","type":"team_member_already_in_team","param":"member","code":"400"}}`,
			kind: KindConflict, msg: "User already in team", typ: "team_member_already_in_team"},
		{name: "member add: admin role without a licence is forbidden", call: addMember, status: 400,
			body: `{"detail":{"error":"Assigning team admins is a premium feature. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set ` + "`LITELLM_LICENSE`" + ` in your env."}}`,
			kind: KindForbidden, msg: "use role user"},
		{name: "member add: newest 404 team not in db", call: addMember, status: 404,
			body: `{"detail":{"error":"Team doesn't exist in db. Team=t1. Create team via ` + "`/team/new`" + ` call."}}`, kind: KindNotFound},
		{name: "member add: older 500 team not in db is not found, not a fault", call: addMember, status: 500,
			body: shape1("Team doesn't exist in db. Team=t1. Create team via `/team/new` call.", "None", "500"), kind: KindNotFound},
		{name: "member add: other 500 is ambiguous", call: addMember, status: 500,
			body: `{"detail":{"error":"Unable to add user - role='user' user_id='u1', to team - t1, for reason - boom"}}`, kind: KindTransient, ambiguous: true},
		{name: "member add: other 400 is invalid", call: addMember, status: 400, body: `{"detail":{"error":"No member/members passed in"}}`, kind: KindInvalid},
		{name: "member update: 400 team not in db", call: updateMember, status: 400,
			body: `{"detail":{"error":"Team id=t1 does not exist in db"}}`, kind: KindNotFound},
		{name: "member update: 400 e-mail not in the team", call: updateMember, status: 400,
			body: `{"detail":{"error":"User id doesn't exist in team table. Data=team_id='t1' user_email='a@example.com'"}}`, kind: KindNotFound},
		{name: "member update: admin role without a licence is forbidden", call: updateMember, status: 400,
			body: `{"detail":"Assigning team admins is a premium feature. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set ` + "`LITELLM_LICENSE`" + ` in your env."}`,
			kind: KindForbidden, msg: "LITELLM_LICENSE"},
		{name: "member delete: 400 not a member (or a repeat) is not found", call: deleteMember, status: 400,
			body: `{"detail":{"error":"User not found in team"}}`, kind: KindNotFound},
		{name: "member delete: 400 team not in db is not found", call: deleteMember, status: 400,
			body: `{"detail":{"error":"Team id=t1 does not exist in db"}}`, kind: KindNotFound},
		{name: "member delete: other 400 is invalid", call: deleteMember, status: 400,
			body: `{"detail":{"error":"Either user_id or user_email needs to be passed in"}}`, kind: KindInvalid},
		{name: "members read: 404", call: getMembers, status: 404,
			body: `{"error":{"message":"{'message': 'Team not found, passed team id: t1.'}","type":"auth_error","param":"None","code":"404"}}`, kind: KindNotFound},
		{name: "members read: 200 without team_info is not found", call: getMembers, status: 200, body: `{"team_id":"t1"}`, kind: KindNotFound},
		// Blocks.
		{name: "team block: 404", call: blockTeam, status: 404, body: `{"detail":{"error":"Team not found, passed team_id=t1"}}`, kind: KindNotFound},
		{name: "team unblock: 404", call: unblockTeam, status: 404, body: `{"detail":{"error":"Team not found, passed team_id=t1"}}`, kind: KindNotFound},
		{name: "team block: 500 is ambiguous", call: blockTeam, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "key block: 401 not found in db is a miss, without the token", call: blockKey, status: 401,
			body: shape1("Authentication Error, Invalid proxy server token passed. key="+keyToken+", not found in db. Create key via `/key/generate` call.", "token_not_found_in_db", "401"),
			kind: KindNotFound, msg: "key=[REDACTED]"},
		{name: "key unblock: 401 not found in db is a miss", call: unblockKey, status: 401,
			body: shape1("Authentication Error, Invalid proxy server token passed. key="+keyToken+", not found in db. Create key via `/key/generate` call.", "token_not_found_in_db", "401"),
			kind: KindNotFound},
		{name: "key block: audit-log 404", call: blockKey, status: 404, body: shape1("Key "+keyToken+" not found", "bad_request_error", "404"), kind: KindNotFound},
		{name: "key block: a wrong admin key is unauthorized, not a miss", call: blockKey, status: 401,
			body: `{"error":{"message":"Authentication Error, Invalid API key provided.","type":"token_not_found_in_db","param":"key","code":"401"}}`, kind: KindUnauthorized},
		{name: "team update: 404", call: updateTeam, status: 404, body: `{"detail":{"error":"Team not found, passed team_id=t1"}}`, kind: KindNotFound},
		{name: "team delete: 404 is gone", call: deleteTeam, status: 404, body: `{"detail":{"error":"Team not found, passed team_id=t1"}}`, kind: KindNotFound},
		// Users (docs/litellm/users.md): internal_user_endpoints.py, newest and older.
		{name: "user info: newest 404", call: getUser, status: 404,
			body: `{"error":{"message":"User u1 not found","type":"internal_server_error","param":"None","code":"404"}}`,
			kind: KindNotFound, msg: "User u1 not found"},
		{name: "user info: older 200 with user_info null is not found", call: getUser, status: 200,
			body: `{"user_id":"u1","user_info":null,"keys":[],"teams":[]}`, kind: KindNotFound, msg: `no user with id "u1"`},
		{name: "user info: older 200 with only the keys' spend is not found", call: getUser, status: 200,
			body: `{"user_id":"u1","user_info":{"spend":0.0},"keys":[],"teams":[]}`, kind: KindNotFound},
		{name: "user create: newest 409 id exists", call: createUser, status: 409,
			body: `{"error":{"message":"{'error': 'User with id u1 already exists'}","type":"internal_server_error","param":"None","code":"409"}}`,
			kind: KindConflict, msg: "User with id u1 already exists"},
		{name: "user create: newest 409 e-mail taken is not an ID conflict", call: createUser, status: 409,
			body: `{"error":{"message":"{'error': 'User with email a@example.com already exists'}","type":"internal_server_error","param":"None","code":"409"}}`,
			kind: KindInvalid, msg: "adoptByEmail"},
		{name: "user create: older 400 e-mail taken", call: createUser, status: 400,
			body: `{"error":{"message":"{'error': 'User with email a@example.com already exists'}","type":"internal_server_error","param":"None","code":"400"}}`,
			kind: KindInvalid, msg: "adoptByEmail"},
		{name: "user create: other 409 is invalid", call: createUser, status: 409, body: `{"detail":"conflict"}`, kind: KindInvalid},
		{name: "user create: 500 is ambiguous", call: createUser, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "user update: 400 is invalid, never not found (LiteLLM upserts)", call: updateUser, status: 400,
			body: `{"error":{"message":"Authentication Error, Either user_id or user_email must be provided","type":"auth_error","param":"None","code":"400"}}`, kind: KindInvalid},
		{name: "user delete: 404 is gone", call: deleteUser, status: 404, body: `{"detail":{"error":"User not found, passed user_id=u1"}}`, kind: KindNotFound},
		// Organizations (docs/litellm/organizations.md): organization_endpoints.py, test_organization_lifecycle.py.
		{name: "org info: 404 organization not found", call: getOrg, status: 404, body: `{"detail":{"error":"Organization not found"}}`,
			kind: KindNotFound, msg: "Organization not found"},
		{name: "org info: 200 for another organization is not found", call: getOrg, status: 200, body: `{"organization_id":"o2"}`, kind: KindNotFound},
		{name: "org create: duplicate-id 500 is ambiguous (settled by a read)", call: createOrg, status: 500, body: `Internal Server Error`,
			headers: []string{"Content-Type", "text/plain; charset=utf-8"}, kind: KindTransient, ambiguous: true},
		{name: "org create: 400 negative budget is invalid", call: createOrg, status: 400,
			body: `{"detail":{"error":"max_budget cannot be negative. Received: -1.0"}}`, kind: KindInvalid},
		{name: "org update: a miss is an uncaught 500, ambiguous", call: updateOrg, status: 500, body: `Internal Server Error`,
			headers: []string{"Content-Type", "text/plain; charset=utf-8"}, kind: KindTransient, ambiguous: true},
		{name: "org update: POST instead of PATCH is 405", call: updateOrg, status: 405, body: `{"detail":"Method Not Allowed"}`, kind: KindInvalid},
		{name: "org delete: 404 is gone", call: deleteOrg, status: 404, body: `{"detail":{"error":"Organization=o1 not found"}}`, kind: KindNotFound},
		{name: "org member add: 404 organization not found", call: addOrgMember, status: 404,
			body: shape1("{'error': 'Organization not found for organization_id=o1'}", "auth_error", "404"), kind: KindNotFound},
		{name: "org member add: already a member (unique violation) is a conflict", call: addOrgMember, status: 500,
			body: shape1("Authentication Error, Error adding member=user_id='u1' user_email=None role=<LitellmUserRoles.INTERNAL_USER: 'internal_user'> to organization=o1: Unique constraint failed on the fields: (`user_id`,`organization_id`)", "auth_error", "500"),
			kind: KindConflict, msg: "Unique constraint failed"},
		{name: "org member add: other 500 is ambiguous", call: addOrgMember, status: 500, body: shape1("Authentication Error, boom", "auth_error", "500"),
			kind: KindTransient, ambiguous: true},
		{name: "org member update: 400 organization not found", call: updateOrgMember, status: 400,
			body: `{"detail":{"error":"Organization not found for organization_id=o1"}}`, kind: KindNotFound},
		{name: "org member update: 404 not a member", call: updateOrgMember, status: 404,
			body: `{"detail":{"error":"Member not found in organization for user_id=u1"}}`, kind: KindNotFound},
		{name: "org member update: other 400 is invalid", call: updateOrgMember, status: 400,
			body: `{"detail":{"error":"Unique user not found for user_email=a@example.com. Potential duplicate OR non-existent user_email in LiteLLM_UserTable. Use 'user_id' instead."}}`,
			kind: KindInvalid},
		// Budgets (docs/litellm/budgets.md): budget_management_endpoints.py, newest and older.
		{name: "budget create: newest 400 id exists", call: createBudget, status: 400,
			body: `{"detail":{"error":"Budget with id 'b1' already exists."}}`, kind: KindConflict, msg: "Budget with id 'b1' already exists."},
		{name: "budget create: older bare 500 of the unique violation is transient and ambiguous", call: createBudget, status: 500,
			headers: []string{"Content-Type", "text/plain; charset=utf-8"}, body: `Internal Server Error`, kind: KindTransient, ambiguous: true},
		{name: "budget create: per-model budgets without a licence are forbidden", call: createBudget, status: 400,
			body: `{"detail":{"error":"Invalid model_max_budget: You must have an enterprise license to set model_max_budget. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set ` + "`LITELLM_LICENSE`" + ` in your env. Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. \nPricing: https://www.litellm.ai/#pricing. Example of valid model_max_budget: https://docs.litellm.ai/docs/proxy/users"}}`,
			kind: KindForbidden, msg: "LITELLM_LICENSE"},
		{name: "budget create: a negative budget is invalid", call: createBudget, status: 400,
			body: `{"detail":{"error":"max_budget must be a non-negative finite number. Received: -1.0"}}`, kind: KindInvalid},
		{name: "budget info: 200 [] is not found", call: getBudget, status: 200, body: `[]`, kind: KindNotFound, msg: `no budget with id "b1"`},
		{name: "budget info: 200 null is not found", call: getBudget, status: 200, body: `null`, kind: KindNotFound},
		{name: "budget info: 200 with another budget is not found", call: getBudget, status: 200,
			body: `[{"budget_id":"b2","max_budget":1.0}]`, kind: KindNotFound},
		{name: "budget info: a POST that reads is never ambiguous", call: getBudget, status: 500, body: `{"detail":"boom"}`, kind: KindTransient},
		{name: "budget update: 200 null is not found", call: updateBudget, status: 200, body: `null`, kind: KindNotFound, msg: "answered null"},
		{name: "budget update: 400 is invalid", call: updateBudget, status: 400, body: `{"detail":{"error":"budget_id is required"}}`, kind: KindInvalid},
		{name: "budget update: 500 is ambiguous", call: updateBudget, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "budget delete: 200 null (gone, or a repeat) is not found", call: deleteBudget, status: 200, body: `null`, kind: KindNotFound},
		// Customers (docs/litellm/customers.md): customer_endpoints.py, newest and older.
		{name: "customer create: 400 user_id exists", call: createCustomer, status: 400,
			body: `{"error":{"message":"Customer already exists, passed user_id=c1. Please pass a new user_id.","type":"bad_request","param":"user_id","code":"400"}}`,
			kind: KindConflict, msg: "Customer already exists"},
		{name: "customer create: 422 default model not served by the answering worker", call: createCustomer, status: 422,
			body: `{"error":{"message":"{'error': \"Default Model not on proxy. Configure via ` + "`/model/new`" + ` or config.yaml. Default_model=gpt-x, proxy_model_names={'gpt-4o'}\"}","type":"internal_server_error","param":"None","code":"422"}}`,
			kind: KindInvalid, msg: "defaultModel"},
		{name: "customer create: 422 on a worker that serves no model yet", call: createCustomer, status: 422,
			body: `{"error":{"message":"{'error': 'No models configured on proxy'}","type":"internal_server_error","param":"None","code":"422"}}`,
			kind: KindInvalid, msg: "defaultModel"},
		{name: "customer create: max_budget and budget_id together (422 validation)", call: createCustomer, status: 422,
			body: `{"detail":[{"type":"value_error","loc":["body"],"msg":"Value error, Set either 'max_budget' or 'budget_id', not both.","input":{}}]}`,
			kind: KindInvalid, msg: "not both"},
		{name: "customer create: an unknown budget_id fails on the foreign key, not a fault", call: createCustomer, status: 500,
			body: `{"error":{"message":"Foreign key constraint failed on the field: ` + "`LiteLLM_EndUserTable_budget_id_fkey (index)`" + `","type":"internal_server_error","param":"None","code":"500"}}`,
			kind: KindInvalid, msg: "budgetId names no budget"},
		{name: "project create: an unknown budget_id fails on the foreign key", call: createProject, status: 500,
			body: `{"error":{"message":"Foreign key constraint failed on the field: ` + "`LiteLLM_ProjectTable_budget_id_fkey (index)`" + `","type":"internal_server_error","param":"None","code":"500"}}`,
			kind: KindInvalid, msg: "budgetId"},
		{name: "customer create: 500 is ambiguous", call: createCustomer, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "customer info: newest 404", call: getCustomer, status: 404,
			body: `{"error":{"message":"End User Id=c1 does not exist in db","type":"not_found","param":"end_user_id","code":"404"}}`,
			kind: KindNotFound, msg: "End User Id=c1 does not exist in db"},
		{name: "customer info: older 400 is not found", call: getCustomer, status: 400,
			body: `{"detail":{"error":"End User Id=c1 does not exist in db"}}`, kind: KindNotFound},
		{name: "customer info: other 400 is invalid", call: getCustomer, status: 400, body: `{"detail":{"error":"bad"}}`, kind: KindInvalid},
		{name: "customer info: 200 with another customer is not found", call: getCustomer, status: 200, body: `{"user_id":"c2","blocked":false}`, kind: KindNotFound},
		{name: "customer update: newest 404", call: updateCustomer, status: 404,
			body: `{"error":{"message":"End User Id=c1 does not exist in db","type":"not_found","param":"user_id","code":"404"}}`, kind: KindNotFound},
		{name: "customer update: older 500 of Prisma's empty update is not found, not a fault", call: updateCustomer, status: 500,
			body: `{"error":{"message":"Internal Server Error, Failed updating customer data. User ID does not exist passed user_id=c1","type":"internal_error","param":"None","code":"500"}}`,
			kind: KindNotFound},
		{name: "customer update: other 500 is ambiguous", call: updateCustomer, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "customer delete: newest 404 (gone, or a repeat)", call: deleteCustomer, status: 404,
			body: `{"error":{"message":"End User Id(s)=c1 do not exist in db","type":"not_found","param":"user_ids","code":"404"}}`, kind: KindNotFound},
		{name: "customer delete: older 500 count mismatch is not found", call: deleteCustomer, status: 500,
			body: `{"error":{"message":"Internal Server Error, Failed deleting all customer data. User ID does not exist passed user_id=['c1']. Deleted 0 customers, passed 1 customers","type":"internal_error","param":"None","code":"500"}}`,
			kind: KindNotFound},
		// Projects (docs/litellm/projects.md): project_endpoints.py (Enterprise) and test_project_lifecycle.py.
		{name: "project create: 403 without a licence names LITELLM_LICENSE", call: createProject, status: 403,
			body: `{"error":{"message":"{'error': 'Project management is an enterprise feature. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set ` + "`LITELLM_LICENSE`" + ` in your env. Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. \\nPricing: https://www.litellm.ai/#pricing'}","type":"internal_server_error","param":"None","code":"403"}}`,
			kind: KindForbidden, msg: "set LITELLM_LICENSE in the proxy's environment"},
		{name: "project create: 400 id exists", call: createProject, status: 400,
			body: `{"error":{"message":"Project id = p1 already exists. Please use a different project id.","type":"bad_request","param":"project_id","code":"400"}}`,
			kind: KindConflict, msg: "already exists"},
		{name: "project create: 404 team not found is invalid, not the project's miss", call: createProject, status: 404,
			body: `{"error":{"message":"Team not found, team_id=t1","type":"not_found","param":"team_id","code":"404"}}`, kind: KindInvalid, msg: "teamId"},
		{name: "project create: soft budget above max budget is invalid", call: createProject, status: 400,
			body: `{"error":{"message":"{'error': 'soft_budget (5.0) must be strictly lower than max_budget (5.0)'}","type":"internal_server_error","param":"None","code":"400"}}`, kind: KindInvalid},
		{name: "project info: 404", call: getProject, status: 404,
			body: `{"error":{"message":"Project not found, project_id=p1","type":"not_found","param":"project_id","code":"404"}}`, kind: KindNotFound, msg: "Project not found"},
		{name: "project info: 200 with another project is not found", call: getProject, status: 200, body: `{"project_id":"p2"}`, kind: KindNotFound},
		{name: "project update: 404 project not found", call: updateProject, status: 404,
			body: `{"error":{"message":"Project not found, project_id=p1","type":"not_found","param":"project_id","code":"404"}}`, kind: KindNotFound},
		{name: "project update: 404 team not found is invalid", call: updateProject, status: 404,
			body: `{"error":{"message":"Team not found, team_id=t9","type":"not_found","param":"team_id","code":"404"}}`, kind: KindInvalid},
		{name: "project update: 403 without a licence", call: updateProject, status: 403,
			body: `{"error":{"message":"{'error': 'Project management is an enterprise feature. You must be a LiteLLM Enterprise user to use this feature.'}","type":"internal_server_error","param":"None","code":"403"}}`,
			kind: KindForbidden, msg: "LITELLM_LICENSE"},
		{name: "project delete: 400 keys attached says what to do", call: deleteProject, status: 400,
			body: `{"error":{"message":"Cannot delete project p1. 2 key(s) are associated with it. Please delete or reassign the keys first.","type":"bad_request","param":"project_ids","code":"400"}}`,
			kind: KindInvalid, msg: "project_id: null"},
		{name: "project delete: 404 (gone, or a repeat)", call: deleteProject, status: 404,
			body: `{"error":{"message":"Project not found, project_id=p1","type":"not_found","param":"project_ids","code":"404"}}`, kind: KindNotFound},
		{name: "project delete: 403 without a licence", call: deleteProject, status: 403,
			body: `{"error":{"message":"{'error': 'Project management is an enterprise feature. You must be a LiteLLM Enterprise user to use this feature.'}","type":"internal_server_error","param":"None","code":"403"}}`,
			kind: KindForbidden},
		// Tags (docs/litellm/tags.md): tag_management_endpoints.py, 1.110.2 wheel; every HTTPException comes back as 500 "<status>: <detail>".
		{name: "tag create: 500 wrapping 400 already exists is a conflict", call: createTag, status: 500,
			body: `{"detail":"400: Tag t1 already exists"}`, kind: KindConflict, msg: "Tag t1 already exists"},
		{name: "tag create: other 500 is ambiguous", call: createTag, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "tag info: 500 wrapping 404 tags not found", call: getTag, status: 500,
			body: `{"detail":"404: Tags not found: ['t1']"}`, kind: KindNotFound, msg: "Tags not found"},
		{name: "tag info: 200 without the tag is not found", call: getTag, status: 200, body: `{"t2":{"name":"t2"}}`, kind: KindNotFound},
		{name: "tag info: a POST that reads is never ambiguous", call: getTag, status: 500, body: `{"detail":"boom"}`, kind: KindTransient},
		{name: "tag update: 500 wrapping 404 is not found", call: updateTag, status: 500,
			body: `{"detail":"404: Tag t1 not found"}`, kind: KindNotFound, msg: "Tag t1 not found"},
		{name: "tag update: other 500 is ambiguous", call: updateTag, status: 500,
			body: `{"detail":"Budget not found"}`, kind: KindTransient, ambiguous: true},
		{name: "tag delete: 500 wrapping 404 (gone, or a repeat) is not found", call: deleteTag, status: 500,
			body: `{"detail":"404: Tag t1 not found"}`, kind: KindNotFound},
		// Legacy model access groups (docs/litellm/model-access-groups.md): model_access_group_management_endpoints.py, 1.110.2 wheel.
		{name: "legacy access group create: 409 exists", call: createAccessGroupLegacy, status: 409,
			body: `{"detail":{"error":"Access group 'g1' already exists. Use PUT /access_group/g1/update to modify it."}}`, kind: KindConflict, msg: "already exists"},
		{name: "legacy access group create: 400 model not in the router is invalid", call: createAccessGroupLegacy, status: 400,
			body: `{"detail":{"error":"Model(s) not found: m"}}`, kind: KindInvalid, msg: "Model(s) not found"},
		{name: "legacy access group create: saved but not live is committed", call: createAccessGroupLegacy, status: 500,
			body: `{"detail":{"error":"Access group 'g1' was saved to the database, but model id(s) ['m1'] that this pod was serving are no longer live after the reload it triggered. Other pods reload on their own interval. Check server logs for 'Error upserting deployment' for the cause."}}`,
			kind: KindNotLive, msg: "was saved to the database"},
		{name: "legacy access group create: other 500 is ambiguous", call: createAccessGroupLegacy, status: 500,
			body: `{"detail":{"error":"Failed to create access group: boom"}}`, kind: KindTransient, ambiguous: true},
		{name: "legacy access group info: 404", call: getAccessGroupLegacy, status: 404,
			body: `{"detail":{"error":"Access group 'g1' not found"}}`, kind: KindNotFound, msg: "Access group 'g1' not found"},
		{name: "legacy access group info: 200 for another group is not found", call: getAccessGroupLegacy, status: 200,
			body: `{"access_group":"g2","model_names":[],"deployment_count":0}`, kind: KindNotFound},
		{name: "legacy access group update: 404 no deployment carries it", call: updateAccessGroupLegacy, status: 404,
			body: `{"detail":{"error":"Access group 'g1' not found"}}`, kind: KindNotFound},
		{name: "legacy access group update: 409 another edit holds it is transient", call: updateAccessGroupLegacy, status: 409,
			body: `{"detail":{"error":"Another edit holds access group 'g1' or one of its models, try again"}}`, kind: KindTransient},
		{name: "legacy access group update: saved but not live is committed", call: updateAccessGroupLegacy, status: 500,
			body: `{"detail":{"error":"Access group 'g1' was saved to the database, but model id(s) ['m1'] that this pod was serving are no longer live after the reload it triggered."}}`,
			kind: KindNotLive},
		{name: "legacy access group delete: 404 (gone, or a repeat)", call: deleteAccessGroupLegacy, status: 404,
			body: `{"detail":{"error":"Access group 'g1' not found"}}`, kind: KindNotFound},
		{name: "access group budget read: 404 group missing", call: getAccessGroupBudget, status: 404,
			body: `{"detail":{"error":"Access group 'g1' not found"}}`, kind: KindNotFound},
		{name: "access group budget read: route missing on older proxies", call: getAccessGroupBudget, status: 404,
			body: `{"detail":"Not Found"}`, kind: KindInvalid, msg: "too old"},
		{name: "access group budget set: 400 no field", call: setAccessGroupBudget, status: 400,
			body: `{"detail":{"error":"One of max_budget, soft_budget, budget_duration or budget_id is required"}}`, kind: KindInvalid},
		{name: "access group budget set: 404 group missing", call: setAccessGroupBudget, status: 404,
			body: `{"detail":{"error":"Access group 'g1' not found"}}`, kind: KindNotFound},
		{name: "access group budget delete: 200 budget_deleted false is not found", call: deleteAccessGroupBudget, status: 200,
			body: `{"access_group":"g1","budget_deleted":false,"message":"Access group 'g1' has no budget to delete"}`, kind: KindNotFound},
		// Fallbacks (docs/litellm/fallbacks.md): fallback_management_endpoints.py, 1.110.2 wheel.
		{name: "fallback set: 404 model not in the answering worker's router is invalid, not a miss", call: setFallback, status: 404,
			body: `{"detail":{"error":"Model 'm' not found in router","available_models":["n"]}}`, kind: KindInvalid, msg: "not found in router"},
		{name: "fallback set: 400 invalid fallback models", call: setFallback, status: 400,
			body: `{"detail":{"error":"Invalid fallback models: ['n']","available_models":["m"]}}`, kind: KindInvalid, msg: "Invalid fallback models"},
		{name: "fallback set: STORE_MODEL_IN_DB off", call: setFallback, status: 400,
			body: `{"detail":{"error":"Database storage not enabled. Set 'STORE_MODEL_IN_DB=True' in your environment to use this feature."}}`, kind: KindConfig},
		{name: "fallback set: 500 is ambiguous", call: setFallback, status: 500,
			body: `{"detail":{"error":"Failed to create fallback: boom"}}`, kind: KindTransient, ambiguous: true},
		{name: "fallback get: 404 none configured", call: getFallback, status: 404,
			body: `{"detail":{"error":"No general fallbacks configured for model 'm'"}}`, kind: KindNotFound, msg: "No general fallbacks"},
		{name: "fallback get: 200 for another model is not found", call: getFallback, status: 200,
			body: `{"model":"x","fallback_models":["n"],"fallback_type":"general"}`, kind: KindNotFound},
		{name: "fallback delete: 404 none configured (or a repeat)", call: deleteFallback, status: 404,
			body: `{"detail":{"error":"No general fallbacks configured for model 'm'"}}`, kind: KindNotFound},
		// Keys (docs/litellm/keys.md).
		{name: "key info: 404", call: getKey, status: 404, body: shape1("{'error': 'Key not found in database.'}", "not_found_error", "404"), kind: KindNotFound},
		{name: "key create: alias taken is invalid, not a conflict", call: createKey, status: 400,
			body: shape1("Unique key aliases across all keys are required. Key alias a already exists.", "bad_request_error", "400"),
			kind: KindInvalid, msg: "choose another keyAlias"},
		{name: "key create: unique token (older) is a conflict", call: createKey, status: 500,
			body: shape1("Unique constraint failed on the fields: (`token`)", "internal_server_error", "500"), kind: KindConflict},
		{name: "key create: enterprise field without a licence is not retried", call: createKey, status: 500,
			body: shape1("Only premium users can use this feature: guardrails. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/#trial. \nPricing: https://www.litellm.ai/#pricing", "internal_server_error", "500"),
			kind: KindForbidden, msg: "LITELLM_LICENSE"},
		{name: "key update: 404", call: updateKey, status: 404, body: `{"detail":{"error":"Team not found, passed team_id=None"}}`, kind: KindNotFound},
		{name: "key delete: 404 no keys found is gone", call: deleteKey, status: 404, body: shape1("{'error': 'No keys found'}", "auth_error", "404"), kind: KindNotFound},
		{name: "key regenerate: enterprise 500 is forbidden", call: rotateKey, status: 500,
			body: shape1("Regenerating Virtual Keys is an Enterprise feature, 🚨 This feature is only available for LiteLLM Enterprise users", "internal_server_error", "500"),
			kind: KindForbidden, msg: "Enterprise"},
		{name: "key regenerate: 404", call: rotateKey, status: 404, body: shape1("{'error': 'Key x not found.'}", "auth_error", "404"), kind: KindNotFound},
		{name: "credential create: 409", call: createCred, status: 409, body: `{"detail":"Credential with name 'c1' already exists."}`, kind: KindConflict},
		{name: "credential create: legacy unique violation", call: createCred, status: 500,
			body: shape1("Unique constraint failed on the fields: (`credential_name`)", "None", "500"), kind: KindConflict},
		// MCP servers (docs/litellm/mcp-servers.md): mcp_management_endpoints.py, 1.110.2 wheel.
		{name: "mcp get: 404 not found", call: getMcp, status: 404, body: `{"detail":{"error":"MCP Server with id s1 not found"}}`,
			kind: KindNotFound, msg: "MCP Server with id s1 not found"},
		{name: "mcp get: 200 for another server (matched by name) is not found", call: getMcp, status: 200,
			body: `{"server_id":"s2","server_name":"s1"}`, kind: KindNotFound},
		{name: "mcp create: 400 id exists is a conflict", call: createMcp, status: 400,
			body: `{"detail":{"error":"MCP Server with id s1 already exists. Cannot create another."}}`, kind: KindConflict, msg: "already exists"},
		{name: "mcp create: 400 name taken is invalid, not this ID's conflict", call: createMcp, status: 400,
			body: `{"detail":{"error":"An MCP server with server_name 's1' already exists (server_id=s9). MCP server names and aliases must be unique, case-insensitive."}}`,
			kind: KindInvalid, msg: "choose another"},
		{name: "mcp create: 500 is ambiguous", call: createMcp, status: 500,
			body: `{"detail":{"error":"Error creating mcp server: boom"}}`, kind: KindTransient, ambiguous: true},
		{name: "mcp create: no database", call: createMcp, status: 500,
			body: `{"detail":{"error":"Database not connected. Connect a database to your proxy"}}`, kind: KindConfig},
		{name: "mcp update: 404", call: updateMcp, status: 404,
			body: `{"detail":{"error":"MCP Server not found, passed server_id=s1"}}`, kind: KindNotFound},
		{name: "mcp delete: 404 (gone, or a repeat)", call: deleteMcp, status: 404,
			body: `{"detail":{"error":"MCP Server not found, passed server_id=s1"}}`, kind: KindNotFound},
		{name: "mcp delete: 403 not an admin", call: deleteMcp, status: 403,
			body: `{"detail":{"error":"Call not allowed to delete MCP server. User is not a proxy admin. route=DELETE /v1/mcp/server"}}`, kind: KindForbidden},
		// Vector stores (docs/litellm/vector-stores.md): vector_store_endpoints/management_endpoints.py, 1.110.2 wheel.
		{name: "vector store read: a listing without it is not found", call: getVS, status: 200,
			body: `{"object":"list","data":[{"vector_store_id":"v2"}],"total_count":1,"current_page":1,"total_pages":1}`,
			kind: KindNotFound, msg: `no vector store with id "v1"`},
		{name: "vector store read: 500 of the listing is transient", call: getVS, status: 500, body: `{"detail":"boom"}`, kind: KindTransient},
		{name: "vector store create: 400 id exists is a conflict", call: createVS, status: 400,
			body: `{"detail":"Vector store with ID v1 already exists"}`, kind: KindConflict, msg: "already exists"},
		{name: "vector store create: 400 missing provider is invalid", call: createVS, status: 400,
			body: `{"detail":"vector_store_id and custom_llm_provider are required"}`, kind: KindInvalid},
		{name: "vector store create: 500 is ambiguous", call: createVS, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "vector store update: 404", call: updateVS, status: 404, body: `{"detail":"Vector store with ID v1 not found"}`, kind: KindNotFound},
		{name: "vector store delete: 404 (gone, or a repeat)", call: deleteVS, status: 404, body: `{"detail":"Vector store with ID v1 not found"}`, kind: KindNotFound},
		{name: "vector store update: 400 config-owned is invalid", call: updateVS, status: 400,
			body: `{"detail":{"error":"Vector store v1 is defined in the config file, so the config file owns it and it cannot be changed here.","vector_store_id":"v1"}}`, kind: KindInvalid},
		// Guardrails (docs/litellm/guardrails.md): guardrail_endpoints.py, guardrail_registry.py, 1.110.2 wheel.
		{name: "guardrail info: 404", call: getGuard, status: 404, body: `{"detail":"Guardrail with ID g1 not found"}`,
			kind: KindNotFound, msg: "Guardrail with ID g1 not found"},
		{name: "guardrail info: 200 for another guardrail is not found", call: getGuard, status: 200,
			body: `{"guardrail_id":"g2","guardrail_name":"g"}`, kind: KindNotFound},
		{name: "guardrail create: duplicate name (unique violation 500) is a conflict, not ambiguous", call: createGuard, status: 500,
			body: "{\"detail\":\"Error adding guardrail to DB: Unique constraint failed on the fields: (`guardrail_name`)\"}", kind: KindConflict},
		{name: "guardrail create: other 500 is ambiguous", call: createGuard, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "guardrail create: configuration error is invalid", call: createGuard, status: 400,
			body: `{"detail":"Guardrail configuration error: missing guardrailIdentifier"}`, kind: KindInvalid, msg: "check litellmParams"},
		{name: "guardrail create: not an admin", call: createGuard, status: 403, body: `{"detail":"Admin access required to manage guardrails"}`, kind: KindForbidden},
		{name: "guardrail update: 404", call: updateGuard, status: 404, body: `{"detail":"Guardrail with ID g1 not found"}`, kind: KindNotFound},
		{name: "guardrail update: name taken is invalid", call: updateGuard, status: 500,
			body: "{\"detail\":\"Error updating guardrail in DB: Unique constraint failed on the fields: (`guardrail_name`)\"}", kind: KindInvalid, msg: "choose another"},
		{name: "guardrail update: 422 rejected configuration is invalid", call: updateGuard, status: 422,
			body: `{"detail":"Invalid guardrail configuration, update rejected: bad mode"}`, kind: KindInvalid},
		{name: "guardrail delete: 404 (gone, or a repeat)", call: deleteGuard, status: 404, body: `{"detail":"Guardrail with ID g1 not found"}`, kind: KindNotFound},
		// Prompts (docs/litellm/prompts.md): proxy/prompts/prompt_endpoints.py, 1.110.2 wheel.
		{name: "prompt info: 400 not found in the environment", call: getPrompt, status: 400,
			body: `{"detail":"Prompt p1 not found in environment development"}`, kind: KindNotFound, msg: "Prompt p1 not found"},
		{name: "prompt info: 200 for another prompt is not found", call: getPrompt, status: 200,
			body: `{"prompt_spec":{"prompt_id":"p2","version":1}}`, kind: KindNotFound},
		{name: "prompt info: not an admin", call: getPrompt, status: 403,
			body: `{"detail":"You are not authorized to access this prompt. Your role - internal_user, Your key's prompts - None"}`, kind: KindForbidden},
		{name: "prompt create: 500 is ambiguous", call: createPrompt, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "prompt create: ambiguous prompt data is invalid", call: createPrompt, status: 400,
			body: `{"detail":"litellm_params.prompt_id cannot be combined with prompt_data keyed by template name."}`, kind: KindInvalid},
		{name: "prompt update: 404", call: updatePrompt, status: 404, body: `{"detail":"Prompt with ID p1 not found"}`, kind: KindNotFound},
		{name: "prompt update: config prompt", call: updatePrompt, status: 400, body: `{"detail":"Cannot update config prompts."}`,
			kind: KindInvalid, msg: "config file"},
		{name: "prompt delete: 404", call: deletePrompt, status: 404, body: `{"detail":"Prompt with ID p1 not found"}`, kind: KindNotFound},
		// Auth and set-up errors (errors.md#authentication, #setup-errors).
		{name: "401 no key", call: getModel, status: 401, body: shape1("Authentication Error, No api key passed in.", "auth_error", "401"),
			kind: KindUnauthorized, msg: "No api key passed in", typ: "auth_error"},
		{name: "401 non-admin", call: createModel, status: 401,
			body: shape1("Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=/model/new. Your role=internal_user. Your user_id=u", "auth_error", "401"),
			kind: KindUnauthorized, msg: "master key"},
		{name: "403 handler denial", call: deleteCred, status: 403, body: `{"detail":{"error":"Only the proxy admin can manage logging credentials"}}`, kind: KindForbidden, msg: "Only the proxy admin"},
		{name: "403 not_premium_user", call: createModel, status: 403, body: `{"detail":{"error":"not_premium_user"}}`, kind: KindForbidden, msg: "Enterprise licence"},
		{name: "400 enterprise-only feature", call: createModel, status: 400,
			body: `{"detail":{"error":"You must be a LiteLLM Enterprise user to use this feature. If you have a license please set LITELLM_LICENSE in your env."}}`,
			kind: KindForbidden, msg: "LITELLM_LICENSE"},
		{name: "500 DB not connected (newest)", call: createCred, status: 500,
			body: `{"detail":{"error":"DB not connected. This endpoint needs a database; set DATABASE_URL to a PostgreSQL connection string (postgresql://...) to enable it. See https://docs.litellm.ai/docs/proxy/virtual_keys"}}`,
			kind: KindConfig, msg: "DATABASE_URL"},
		{name: "500 No DB Connected (model create)", call: createModel, status: 500,
			body: shape1("No DB Connected. Here's how to do it - https://docs.litellm.ai/docs/proxy/virtual_keys", "None", "500"), kind: KindConfig, msg: "set DATABASE_URL"},
		{name: "STORE_MODEL_IN_DB off", call: createModel, status: 500,
			body: shape1("Set `'STORE_MODEL_IN_DB='True'` in your env to enable this feature.", "None", "500"), kind: KindConfig, msg: "STORE_MODEL_IN_DB=True"},
		{name: "PATCH on a proxy without STORE_MODEL_IN_DB", call: updateModel, status: 400,
			body: shape1("Model updates only supported for DB-stored models", "validation_error", "400"), kind: KindConfig, msg: "STORE_MODEL_IN_DB"},
		{name: "config-file model", call: updateModel, status: 400,
			body: shape1("Cannot edit config-based model. Store model in DB via /model/new first.", "validation_error", "400"), kind: KindConfig, msg: "config.yaml"},
		// Error shapes 3 and 4 (errors.md#shapes).
		{name: "422 validation (shape 3)", call: createModel, status: 422,
			body: `{"detail":[{"type":"missing","loc":["body","model_name"],"msg":"Field required","input":{}},{"type":"value_error","loc":["body","litellm_params"],"msg":"Value error, bad","input":{}}]}`,
			kind: KindInvalid, msg: "body.model_name: Field required; body.litellm_params: Value error, bad", typ: "validation_error"},
		{name: "problem+json (shape 4)", call: createModel, status: 409,
			body: `{"type":"urn:litellm:error:conflict","title":"Conflict","status":409,"detail":"model exists"}`,
			kind: KindInvalid, msg: "409: Conflict: model exists", typ: "urn:litellm:error:conflict"},
		{name: "shape 2 with message dict", call: createModel, status: 400, body: `{"detail":{"message":"bad thing"}}`, kind: KindInvalid, msg: ": bad thing"},
		// Newest LiteLLM (docs/litellm/versions.md): the duplicate-id 500 as a
		// real 1.108.7 answered it, the "saved but not live" 500 after a
		// committed write, credential errors as real 4xx.
		{name: "model create: newest duplicate-id 500 (1.108 shape) is transient and ambiguous", call: createModel, status: 500,
			body: `{"error":{"message":"{'error': 'Failed to add model to db. Check your server logs for more details.'}","type":"auth_error","param":"None","code":"500"}}`,
			kind: KindTransient, ambiguous: true, msg: ": Failed to add model to db"},
		{name: "model create: saved but not live is committed", call: createModel, status: 500,
			body: shape1("Model create was saved to the database, but m1 are not live in this pod's router after the reload and are not being served by this pod. Other pods reload on their own interval.", "internal_server_error", "500"),
			kind: KindNotLive, msg: "was saved to the database"},
		{name: "model update: saved but not live is committed", call: updateModel, status: 500,
			body: shape1("Model update was saved to the database, but m1 are not live in this pod's router after the reload", "internal_server_error", "500"),
			kind: KindNotLive},
		{name: "credential create: newest 409", call: createCred, status: 409,
			body: `{"error":{"message":"Credential 'c1' already exists. Update it with PATCH /credentials/c1, or delete it first.","type":"internal_server_error","param":null,"code":"409"}}`,
			kind: KindConflict, msg: "already exists"},
		{name: "credential update: newest real 404", call: updateCred, status: 404,
			body: `{"error":{"message":"Credential not found in DB.","type":"internal_server_error","param":null,"code":"404"}}`, kind: KindNotFound},
		{name: "credential update: newest refuses renames", call: updateCred, status: 400,
			body: `{"error":{"message":"credential_name cannot be changed; set display_name to relabel a credential","type":"validation_error","param":"credential_name","code":"400"}}`,
			kind: KindInvalid, msg: "refuses to rename"},
		{name: "credential delete: newest real 404", call: deleteCred, status: 404,
			body: `{"error":{"message":"Credential not found. Got credential name: c1","type":"internal_server_error","param":null,"code":"404"}}`, kind: KindNotFound},
		{name: "401 names where the key came from", call: getModel, status: 401,
			body: `{"error":{"message":"Authentication Error, Invalid API key provided.","type":"token_not_found_in_db","param":"key","code":"401"}}`,
			kind: KindUnauthorized, msg: "rejected the API key from the configuration"},
		// Pass-through endpoints (docs/litellm/pass-through-endpoints.md): pass_through_endpoints.py, 1.110.2.
		{name: "pass-through read: 200 endpoints [] is not found", call: getPassThrough, status: 200, body: `{"endpoints":[]}`,
			kind: KindNotFound, msg: `no pass-through endpoint with id "pt1"`},
		{name: "pass-through update: 404 id not found", call: updatePassThrough, status: 404,
			body: `{"detail":{"error":"Endpoint with ID 'pt1' not found"}}`, kind: KindNotFound, msg: "Endpoint with ID 'pt1' not found"},
		{name: "pass-through update: 404 empty list", call: updatePassThrough, status: 404,
			body: `{"detail":{"error":"No pass-through endpoints found"}}`, kind: KindNotFound},
		{name: "pass-through delete: 400 id not in the list", call: deletePassThrough, status: 400,
			body: `{"detail":{"error":"Endpoint with ID 'pt1' was not found in pass-through endpoint list."}}`, kind: KindNotFound},
		{name: "pass-through delete: 400 empty list", call: deletePassThrough, status: 400,
			body: `{"detail":{"error":"There are no pass-through endpoints setup."}}`, kind: KindNotFound},
		{name: "pass-through delete: other 400 is invalid", call: deletePassThrough, status: 400,
			body: `{"detail":{"error":"Invalid field=pass_through_endpoints passed in."}}`, kind: KindInvalid},
		{name: "pass-through create: 500 is ambiguous", call: createPassThrough, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		// Search tools (docs/litellm/search-tools.md): search_tool_management.py, 1.110.2.
		{name: "search tool create: 500 unique name is a conflict", call: createSearchTool, status: 500,
			body: `{"detail":"Error adding search tool to DB: Unique constraint failed on the fields: (` + "`search_tool_name`" + `)"}`, kind: KindConflict, msg: "Unique constraint failed"},
		{name: "search tool create: other 500 is ambiguous", call: createSearchTool, status: 500, body: `{"detail":"Error adding search tool to DB: boom"}`, kind: KindTransient, ambiguous: true},
		{name: "search tool read: 404", call: getSearchTool, status: 404, body: `{"detail":"Search tool with ID st1 not found"}`, kind: KindNotFound, msg: "Search tool with ID st1 not found"},
		{name: "search tool read: 200 with another id is not found", call: getSearchTool, status: 200, body: `{"search_tool_id":"st2","search_tool_name":"s"}`, kind: KindNotFound},
		{name: "search tool update: 404", call: updateSearchTool, status: 404, body: `{"detail":"Search tool with ID st1 not found"}`, kind: KindNotFound},
		{name: "search tool update: rename onto a taken name is a conflict", call: updateSearchTool, status: 500,
			body: `{"detail":"Error updating search tool in DB: Unique constraint failed on the fields: (` + "`search_tool_name`" + `)"}`, kind: KindConflict},
		{name: "search tool delete: 404 (gone, or a repeat)", call: deleteSearchTool, status: 404, body: `{"detail":"Search tool with ID st1 not found"}`, kind: KindNotFound},
		// Policies (docs/litellm/policies.md): policy_endpoints.py and policy_registry.py, 1.110.2.
		{name: "policy create: 400 name exists", call: createPolicy, status: 400, body: `{"detail":"Policy with name 'p1' already exists"}`,
			kind: KindConflict, msg: "Policy with name 'p1' already exists"},
		{name: "policy create: 500 is ambiguous", call: createPolicy, status: 500, body: `{"detail":"Error adding policy to DB: boom"}`, kind: KindTransient, ambiguous: true},
		{name: "policy versions: none is not found", call: productionPolicy, status: 200, body: `{"policy_name":"p1","versions":[],"total_count":0}`,
			kind: KindNotFound, msg: `policy "p1" has no versions`},
		{name: "policy versions: no production version is not found", call: productionPolicy, status: 200,
			body: `{"policy_name":"p1","versions":[{"policy_id":"a","policy_name":"p1","version_status":"draft"}],"total_count":1}`,
			kind: KindNotFound, msg: "no production version"},
		{name: "policy new version: 404 no production version", call: newPolicyVersion, status: 404,
			body: `{"detail":"Error creating new version: No production version found for policy 'p1'"}`, kind: KindNotFound},
		{name: "policy update: 404", call: updatePolicy, status: 404, body: `{"detail":"Policy with ID pv1 not found"}`, kind: KindNotFound},
		{name: "policy update: 400 not a draft is invalid", call: updatePolicy, status: 400,
			body: `{"detail":"Only draft versions can be updated. Publish or create a new version to change published/production."}`, kind: KindInvalid},
		{name: "policy status: 404", call: setPolicyStatus, status: 404, body: `{"detail":"Error updating version status: Policy with ID pv1 not found"}`, kind: KindNotFound},
		{name: "policy status: 400 wrong transition is invalid", call: setPolicyStatus, status: 400,
			body: `{"detail":"Error updating version status: Only draft versions can be published. Current status: 'production'."}`, kind: KindInvalid},
		// Tool policies (docs/litellm/tool-policies.md): tool_management_endpoints.py, 1.110.2.
		{name: "tool read: 404", call: getTool, status: 404, body: `{"detail":"Tool 't1' not found"}`, kind: KindNotFound, msg: "Tool 't1' not found"},
		{name: "tool policy: 400 without a policy is invalid", call: setToolPolicy, status: 400,
			body: `{"detail":"At least one of input_policy or output_policy must be provided"}`, kind: KindInvalid},
		{name: "tool policy: 500 failed upsert is ambiguous", call: setToolPolicy, status: 500,
			body: `{"detail":"Failed to update policy for tool 't1'"}`, kind: KindTransient, ambiguous: true},
		// Policy attachments (docs/litellm/policy-attachments.md): policy_endpoints.py, 1.110.2.
		{name: "attachment create: 404 policy without production is invalid", call: createAttachment, status: 404,
			body: `{"detail":"Policy 'p1' not found. Create the policy first."}`, kind: KindInvalid, msg: "create it first"},
		{name: "attachment create: 400 unknown model names the hint", call: createAttachment, status: 400,
			body: `{"detail":"Model 'gpt-x' does not exist. Reference an existing model or use a wildcard pattern (e.g. 'gpt-x*') to match by prefix."}`,
			kind: KindInvalid, msg: "may not be loaded yet"},
		{name: "attachment create: 400 unknown team is invalid", call: createAttachment, status: 400,
			body: `{"detail":"Team 't' does not exist. Reference an existing team or use a wildcard pattern (e.g. 't*') to match by prefix."}`, kind: KindInvalid},
		{name: "attachment create: 500 is ambiguous", call: createAttachment, status: 500, body: `{"detail":"boom"}`, kind: KindTransient, ambiguous: true},
		{name: "attachment read: 404", call: getAttachment, status: 404, body: `{"detail":"Attachment with ID a1 not found"}`, kind: KindNotFound},
		{name: "attachment delete: 404 (gone, or a repeat)", call: deleteAttachment, status: 404, body: `{"detail":"Attachment with ID a1 not found"}`, kind: KindNotFound},
		// Throttling and server errors.
		{name: "429 Retry-After seconds", call: createModel, status: 429,
			body: shape1("Rate limited", "throttling_error", "429"), headers: []string{"Retry-After", "7"}, kind: KindTransient, retryAfter: 7 * time.Second},
		{name: "408", call: getModel, status: 408, body: ``, kind: KindTransient, msg: "408: Request Timeout"},
		{name: "503 on a write is ambiguous", call: createModel, status: 503, body: shape1("Service Unavailable", "None", "503"),
			kind: KindTransient, ambiguous: true, msg: "litellm: POST /model/new: 503: Service Unavailable"},
		{name: "503 on a read is not ambiguous", call: getModel, status: 503, body: `{"detail":"busy"}`, headers: []string{"Retry-After", "2"}, kind: KindTransient, retryAfter: 2 * time.Second},
		{name: "502 HTML from a gateway: its upstream never took the write, not ambiguous", call: deleteModel, status: 502, headers: []string{"Content-Type", "text/html"},
			body: "<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center></body></html>",
			kind: KindTransient, ambiguous: false, msg: "502: 502 Bad Gateway 502 Bad Gateway"},
		{name: "504 on delete is ambiguous", call: deleteCred, status: 504, body: ``, kind: KindTransient, ambiguous: true, msg: "Gateway Timeout"},
		{name: "2xx that is not JSON", call: createModel, status: 200, headers: []string{"Content-Type", "text/html"}, body: `<html>LiteLLM UI</html>`, kind: KindInvalid, msg: "base URL"},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			c := stub(t, answer(tc.status, tc.body, tc.headers...))
			err := tc.call(context.Background(), c)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %v", err)
			}
			if e.Kind != tc.kind || e.Ambiguous != tc.ambiguous || e.RetryAfter != tc.retryAfter {
				t.Fatalf("kind=%v ambiguous=%v retryAfter=%v; want %v %v %v (%v)", e.Kind, e.Ambiguous, e.RetryAfter, tc.kind, tc.ambiguous, tc.retryAfter, e)
			}
			if !strings.Contains(e.Error(), tc.msg) {
				t.Fatalf("Error() = %q, lacks %q", e.Error(), tc.msg)
			}
			if tc.typ != "" && e.Type != tc.typ {
				t.Fatalf("Type = %q, want %q", e.Type, tc.typ)
			}
			if IsCommitted(err) != (tc.kind == KindNotLive) {
				t.Fatalf("IsCommitted() = %v", IsCommitted(err))
			}
			if e.Retryable() != (tc.kind == KindTransient) || IsTransient(err) != (tc.kind == KindTransient) {
				t.Fatalf("Retryable() = %v", e.Retryable())
			}
			if IsNotFound(err) != (tc.kind == KindNotFound) || IsConflict(err) != (tc.kind == KindConflict) || KindOf(err) != tc.kind {
				t.Fatal("helpers disagree with Kind")
			}
			if e.Status != tc.status {
				t.Fatalf("Status = %d, want %d", e.Status, tc.status)
			}
		})
	}
}

// A 401's hint names where the key came from, so that a wrong environment
// variable is not blamed on the stack config or the other way round.
func TestUnauthorizedHintNamesTheKeySource(t *testing.T) {
	c := stub(t, answer(401, shape1("Authentication Error, Invalid API key provided.", "token_not_found_in_db", "401")),
		func(cfg *Config) { cfg.KeySource = "the LITELLM_API_KEY environment variable" })
	err := getModel(context.Background(), c)
	if !strings.Contains(fmt.Sprint(err), "rejected the API key from the LITELLM_API_KEY environment variable") {
		t.Fatalf("hint: %v", err)
	}
}

// Every endpoint the client calls is listed once, with its method.
func TestEndpointsAreListed(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Endpoints() {
		if seen[e] || !strings.HasPrefix(e, "GET /") && !strings.HasPrefix(e, "POST /") && !strings.HasPrefix(e, "PATCH /") && !strings.HasPrefix(e, "DELETE /") && !strings.HasPrefix(e, "PUT /") {
			t.Fatalf("endpoint %q listed twice or malformed", e)
		}
		seen[e] = true
	}
	if len(seen) != len(allEndpoints) || len(seen) < 15 {
		t.Fatalf("%d endpoints: %v", len(seen), Endpoints())
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	when := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	c := stub(t, answer(429, `{}`, "Retry-After", when))
	err := createModel(context.Background(), c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTransient || e.Ambiguous || e.RetryAfter < 80*time.Second || e.RetryAfter > 91*time.Second {
		t.Fatalf("retry after %v (%v)", e.RetryAfter, err)
	}
	if e.RetryAfterDelay() != e.RetryAfter {
		t.Fatal("RetryAfterDelay")
	}
	now := time.Now()
	for h, want := range map[string]time.Duration{"": 0, "0": 0, "-3": 0, "soon": 0, "12": 12 * time.Second,
		now.Add(-time.Minute).UTC().Format(http.TimeFormat): 0} {
		if got := parseRetryAfter(h, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestKindHelpersOnForeignErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("x"), context.DeadlineExceeded} {
		if KindOf(err) != KindUnknown || IsNotFound(err) || IsConflict(err) || IsTransient(err) || IsAmbiguous(err) {
			t.Fatalf("%v classified", err)
		}
	}
	wrapped := errors.Join(errors.New("outer"), &Error{Kind: KindNotFound, Op: "GET /x"})
	if !IsNotFound(wrapped) {
		t.Fatal("wrapped *Error not seen")
	}
	for k := KindUnknown; k <= KindNotLive; k++ {
		if k.String() == "" || (k != KindUnknown && k.String() == "unknown") {
			t.Fatalf("Kind(%d).String() = %q", k, k.String())
		}
	}
}
