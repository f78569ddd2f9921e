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
		if seen[e] || !strings.HasPrefix(e, "GET /") && !strings.HasPrefix(e, "POST /") && !strings.HasPrefix(e, "PATCH /") && !strings.HasPrefix(e, "DELETE /") {
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
