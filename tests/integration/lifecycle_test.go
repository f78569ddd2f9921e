package integration

import (
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

// lifecycleRow drives one resource kind through the lifecycle table test:
// create, a second up with no change, update, import, refresh after an
// out-of-band change, delete, and delete out of band. Every step asserts
// what a user would notice: what the proxy holds, what the next `pulumi up`
// would do, what a refresh records.
type lifecycleRow struct {
	kind string // the resource type's name ("Budget")
	// deps makes the objects the resource needs (a team for a member) out of
	// band, and returns their IDs for the inputs (nil: none needed).
	deps func(h *harness) map[string]string
	// create and update are the program's inputs of the first up and of an
	// in-place update (update nil: the kind has nothing to update in place).
	create, update func(d map[string]string) map[string]any
	// server is the object as the proxy stores it, by resource ID (false:
	// not there). Paths into it are dotted wire names.
	server func(h *harness, id string) (map[string]any, bool)
	// created and updated: server paths → values after the create and
	// after the update (nil value: the path is absent, null or []).
	created, updated map[string]any
	// drift changes the object out of band, as an operator in the admin UI
	// would; drifted: state paths → values a refresh then records.
	drift   func(h *harness, id string)
	drifted map[string]any
	// importOmits: inputs an import cannot rebuild (masked or write-only
	// values), left out of the program an import is compared with.
	importOmits []string
	// importProgram, when set, is the program a user writes after an
	// import, given the imported inputs (for kinds whose import is
	// documented to differ from the create's program, e.g. a budget
	// imported as budgetId).
	importProgram func(program map[string]any, imported property.Map) map[string]any
	// deleteOutOfBand deletes the object as an operator would.
	deleteOutOfBand func(h *harness, id string)
}

// rowWith is the row of rows whose field key is id (false: none).
func rowWith(rows []map[string]any, key, id string) (map[string]any, bool) {
	for _, r := range rows {
		if r[key] == id {
			return r, true
		}
	}
	return nil, false
}

func (h *harness) mustAPI(method, path string, body any) map[string]any {
	h.t.Helper()
	code, out := h.api(method, path, body)
	if code != 200 && code != 201 && code != 202 {
		h.t.Fatalf("%s %s: %d %v", method, path, code, out)
	}
	return out
}

func lifecycleRows() []lifecycleRow {
	team := func(h *harness) map[string]string {
		h.mustAPI("POST", "/team/new", map[string]any{"team_id": "lc-team", "team_alias": "lc-team"})
		return map[string]string{"team": "lc-team"}
	}
	teamAndUser := func(h *harness) map[string]string {
		h.mustAPI("POST", "/team/new", map[string]any{"team_id": "lc-team", "team_alias": "lc-team"})
		h.mustAPI("POST", "/user/new", map[string]any{"user_id": "lc-user", "user_email": "lc@example.com"})
		h.mustAPI("POST", "/user/new", map[string]any{"user_id": "lc-user-2", "user_email": "lc2@example.com"})
		return map[string]string{"team": "lc-team", "user": "lc-user", "user2": "lc-user-2"}
	}
	orgAndUser := func(h *harness) map[string]string {
		h.mustAPI("POST", "/organization/new", map[string]any{"organization_id": "lc-org", "organization_alias": "lc-org"})
		h.mustAPI("POST", "/user/new", map[string]any{"user_id": "lc-user", "user_email": "lc@example.com"})
		h.mustAPI("POST", "/user/new", map[string]any{"user_id": "lc-user-2", "user_email": "lc2@example.com"})
		return map[string]string{"org": "lc-org", "user": "lc-user", "user2": "lc-user-2"}
	}
	teamRow := func(h *harness, id string) (map[string]any, bool) { return rowWith(h.emu.Teams(), "team_id", id) }
	keyRow := func(h *harness, id string) (map[string]any, bool) { return rowWith(h.emu.Keys(), "token", id) }
	orgRow := func(h *harness, id string) (map[string]any, bool) {
		return rowWith(h.emu.Organizations(), "organization_id", id)
	}
	// members is a team's or organization's memberships as user → role.
	managed := func(roles map[string]any) (map[string]any, bool) {
		_, a := roles["lc-user"]
		_, b := roles["lc-user-2"]
		return map[string]any{"members": roles}, a || b
	}
	teamMembers := func(h *harness, teamID string) (map[string]any, bool) { return managed(teamMemberRoles(h, teamID)) }
	orgMembers := func(h *harness, orgID string) (map[string]any, bool) { return managed(h.orgRoles(orgID)) }
	// blocked: the block is there while the object is blocked.
	blocked := func(server func(*harness, string) (map[string]any, bool)) func(*harness, string) (map[string]any, bool) {
		return func(h *harness, id string) (map[string]any, bool) {
			obj, ok := server(h, id)
			return obj, ok && obj["blocked"] == true
		}
	}
	// asBudgetID: a budget of the object's own is imported as budgetId
	// (the import says so, and how to import the budget).
	asBudgetID := func(limits ...string) func(map[string]any, property.Map) map[string]any {
		return func(program map[string]any, imported property.Map) map[string]any {
			out := dropPaths(program, limits)
			out["budgetId"] = get(imported, "budgetId")
			return out
		}
	}
	split := func(id string) (string, string) {
		for i := range id {
			if id[i] == ':' {
				return id[:i], id[i+1:]
			}
		}
		return id, ""
	}
	return []lifecycleRow{
		{
			kind:   "Model",
			create: func(map[string]string) map[string]any { return modelInputs("lc-model") },
			update: func(map[string]string) map[string]any {
				in := modelInputs("lc-model")
				in["litellmParams"].(map[string]any)["rpm"] = 200
				return in
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				m, ok := h.model(id)
				return map[string]any{"model_name": m.ModelName, "litellm_params": m.LitellmParams, "model_info": m.ModelInfo}, ok
			},
			created: map[string]any{"model_name": "lc-model", "litellm_params.rpm": 100.0, "litellm_params.model": "openai/gpt-4o"},
			updated: map[string]any{"litellm_params.rpm": 200.0},
			drift: func(h *harness, id string) {
				h.mustAPI("PATCH", "/model/"+id+"/update", map[string]any{"litellm_params": map[string]any{"rpm": 999}})
			},
			drifted: map[string]any{"litellmParams.rpm": 999.0},
			// The proxy fills mode in from its model list, so an import
			// cannot tell a mode the program set: the first up writes it.
			importOmits: []string{"litellmParams.apiKey", "modelInfo.mode"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/model/delete", map[string]any{"id": id})
			},
		},
		{
			kind:   "Credential",
			create: func(map[string]string) map[string]any { return credInputs("lc-cred") },
			update: func(map[string]string) map[string]any {
				in := credInputs("lc-cred")
				in["credentialInfo"] = map[string]any{"custom_llm_provider": "azure"}
				return in
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				c, ok := h.credential(id)
				return map[string]any{"credential_values": c.Values, "credential_info": c.Info}, ok
			},
			created: map[string]any{"credential_values.api_key": credSecret, "credential_info.custom_llm_provider": "openai"},
			updated: map[string]any{"credential_info.custom_llm_provider": "azure"},
			drift: func(h *harness, id string) {
				c, _ := h.credential(id) // older proxies want the values with every update
				h.mustAPI("PATCH", "/credentials/"+id, map[string]any{"credential_name": id, "credential_values": c.Values,
					"credential_info": map[string]any{"custom_llm_provider": "bedrock"}})
			},
			drifted:     map[string]any{"credentialInfo.custom_llm_provider": "bedrock"},
			importOmits: []string{"credentialValues"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/credentials/"+id, nil)
			},
		},
		{
			kind:   "Team",
			create: func(map[string]string) map[string]any { return teamInputs() },
			update: func(map[string]string) map[string]any {
				in := teamInputs()
				in["teamAlias"] = "lc-team-2"
				return in
			},
			server:  teamRow,
			created: map[string]any{"team_alias": teamInputs()["teamAlias"]},
			updated: map[string]any{"team_alias": "lc-team-2"},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/team/update", map[string]any{"team_id": id, "team_alias": "renamed-in-ui"})
			},
			drifted: map[string]any{"teamAlias": "renamed-in-ui"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/team/delete", map[string]any{"team_ids": []any{id}})
			},
		},
		{
			kind:   "User",
			create: func(map[string]string) map[string]any { return userInputs() },
			update: func(map[string]string) map[string]any {
				in := userInputs()
				in["userAlias"] = "Ana B."
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return rowWith(h.emu.Users(), "user_id", id) },
			created: map[string]any{"user_alias": userInputs()["userAlias"]},
			updated: map[string]any{"user_alias": "Ana B."},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/user/update", map[string]any{"user_id": id, "user_alias": "renamed-in-ui"})
			},
			drifted: map[string]any{"userAlias": "renamed-in-ui"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/user/delete", map[string]any{"user_ids": []any{id}})
			},
		},
		{
			kind: "Key",
			deps: team,
			create: func(d map[string]string) map[string]any {
				in := keyInputs(d["team"])
				in["allowedRoutes"] = []any{"llm_api_routes", "/key/info"}
				return in
			},
			update: func(d map[string]string) map[string]any {
				in := keyInputs(d["team"]) // allowedRoutes removed: the restriction is cleared
				in["keyAlias"] = "ci-bot-2"
				in["maxBudget"] = 30.0
				return in
			},
			server: keyRow,
			created: map[string]any{"key_alias": "ci-bot", "team_id": "lc-team", "max_budget": 25.0,
				"allowed_routes": []any{"llm_api_routes", "/key/info"}},
			updated: map[string]any{"key_alias": "ci-bot-2", "max_budget": 30.0, "allowed_routes": nil},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/key/update", map[string]any{"key": id, "max_budget": 99})
			},
			drifted: map[string]any{"maxBudget": 99.0},
			// The import names the key by its token: the proxy never shows the
			// value again, and the expiry was a create-time input.
			importOmits: []string{"duration"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/key/delete", map[string]any{"keys": []any{id}})
			},
		},
		{
			kind:   "Organization",
			create: func(map[string]string) map[string]any { return orgInputs() },
			update: func(map[string]string) map[string]any {
				in := orgInputs()
				in["organizationAlias"] = "acme-corp"
				return in
			},
			server:  orgRow,
			created: map[string]any{"organization_alias": orgInputs()["organizationAlias"]},
			updated: map[string]any{"organization_alias": "acme-corp"},
			drift: func(h *harness, id string) {
				h.mustAPI("PATCH", "/organization/update", map[string]any{"organization_id": id, "organization_alias": "renamed-in-ui"})
			},
			drifted: map[string]any{"organizationAlias": "renamed-in-ui"},
			// Older proxies have no model_rpm_limit on organizations.
			importOmits: map[bool][]string{true: {"modelRpmLimit"}}[orgLegacyRun()],
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/organization/delete", map[string]any{"organization_ids": []any{id}})
			},
		},
		{
			kind: "OrganizationMember",
			deps: orgAndUser,
			create: func(d map[string]string) map[string]any {
				return map[string]any{"organizationId": d["org"], "userId": d["user"], "role": "internal_user"}
			},
			update: func(d map[string]string) map[string]any {
				return map[string]any{"organizationId": d["org"], "userId": d["user"], "role": "internal_user_viewer"}
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				org, user := split(id)
				m := h.orgMember(org, user)
				return m, m != nil
			},
			created: map[string]any{"user_role": "internal_user"},
			updated: map[string]any{"user_role": "internal_user_viewer"},
			drift: func(h *harness, id string) {
				org, user := split(id)
				h.emu.SetOrganizationMember(org, user, "org_admin")
			},
			drifted: map[string]any{"role": "org_admin"},
			deleteOutOfBand: func(h *harness, id string) {
				org, user := split(id)
				h.emu.DeleteOrganizationMember(org, user)
			},
		},
		{
			kind: "OrganizationMembers",
			deps: orgAndUser,
			create: func(d map[string]string) map[string]any {
				return map[string]any{"organizationId": d["org"], "members": []any{
					map[string]any{"userId": d["user"], "role": "internal_user"}}}
			},
			update: func(d map[string]string) map[string]any {
				return map[string]any{"organizationId": d["org"], "members": []any{
					map[string]any{"userId": d["user"], "role": "internal_user"},
					map[string]any{"userId": d["user2"], "role": "org_admin"}}}
			},
			server:  orgMembers,
			created: map[string]any{"members.lc-user": "internal_user", "members.lc-user-2": nil},
			updated: map[string]any{"members.lc-user": "internal_user", "members.lc-user-2": "org_admin"},
			drift: func(h *harness, id string) {
				h.emu.DeleteOrganizationMember(id, "lc-user-2")
			},
			drifted: map[string]any{"members": []any{map[string]any{"userId": "lc-user", "role": "internal_user"}}},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/organization/delete", map[string]any{"organization_ids": []any{id}})
			},
		},
		{
			kind: "TeamMember",
			deps: teamAndUser,
			create: func(d map[string]string) map[string]any {
				return map[string]any{"teamId": d["team"], "userId": d["user"], "role": "user"}
			},
			update: func(d map[string]string) map[string]any {
				return map[string]any{"teamId": d["team"], "userId": d["user"], "role": "admin"}
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				team, user := split(id)
				role, ok := teamMemberRoles(h, team)[user]
				return map[string]any{"role": role}, ok
			},
			created: map[string]any{"role": "user"},
			updated: map[string]any{"role": "admin"},
			drift: func(h *harness, id string) {
				team, user := split(id)
				h.mustAPI("POST", "/team/member_update", map[string]any{"team_id": team, "user_id": user, "role": "user"})
			},
			drifted: map[string]any{"role": "user"},
			deleteOutOfBand: func(h *harness, id string) {
				team, user := split(id)
				h.mustAPI("POST", "/team/member_delete", map[string]any{"team_id": team, "user_id": user})
			},
		},
		{
			kind: "TeamMembers",
			deps: teamAndUser,
			create: func(d map[string]string) map[string]any {
				return map[string]any{"teamId": d["team"], "members": []any{map[string]any{"userId": d["user"]}}}
			},
			update: func(d map[string]string) map[string]any {
				return map[string]any{"teamId": d["team"], "members": []any{
					map[string]any{"userId": d["user"]}, map[string]any{"userId": d["user2"], "role": "admin"}}}
			},
			server:  teamMembers,
			created: map[string]any{"members.lc-user": "user", "members.lc-user-2": nil},
			updated: map[string]any{"members.lc-user": "user", "members.lc-user-2": "admin"},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/team/member_delete", map[string]any{"team_id": id, "user_id": "lc-user-2"})
			},
			drifted: map[string]any{"members": []any{map[string]any{"userId": "lc-user"}}},
			// The member set is gone with its team (members removed out of
			// band are drift: the next up adds them again).
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/team/delete", map[string]any{"team_ids": []any{id}})
			},
		},
		{
			kind:    "TeamBlock",
			deps:    team,
			create:  func(d map[string]string) map[string]any { return map[string]any{"teamId": d["team"]} },
			server:  blocked(teamRow),
			created: map[string]any{"blocked": true},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/team/unblock", map[string]any{"team_id": id})
			},
			drifted: map[string]any{"blocked": false},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/team/delete", map[string]any{"team_ids": []any{id}})
			},
		},
		{
			kind: "KeyBlock",
			deps: func(h *harness) map[string]string {
				out := h.mustAPI("POST", "/key/generate", map[string]any{"key_alias": "lc-blocked"})
				return map[string]string{"key": out["key"].(string)}
			},
			create:  func(d map[string]string) map[string]any { return map[string]any{"key": d["key"]} },
			server:  blocked(keyRow),
			created: map[string]any{"blocked": true},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/key/unblock", map[string]any{"key": id})
			},
			drifted: map[string]any{"blocked": false},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/key/delete", map[string]any{"keys": []any{id}})
			},
		},
		{
			kind:   "Budget",
			create: func(map[string]string) map[string]any { return budgetInputs() },
			update: func(map[string]string) map[string]any {
				in := budgetInputs()
				in["rpmLimit"] = 120.0
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.budget(id) },
			created: map[string]any{"max_budget": 100.0, "rpm_limit": 60.0},
			updated: map[string]any{"rpm_limit": 120.0},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/budget/update", map[string]any{"budget_id": id, "max_budget": 250})
			},
			drifted: map[string]any{"maxBudget": 250.0},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/budget/delete", map[string]any{"id": id})
			},
		},
		{
			kind:   "McpServer",
			create: func(map[string]string) map[string]any { return mcpInputs("lcmcp") },
			update: func(map[string]string) map[string]any {
				in := mcpInputs("lcmcp")
				in["description"] = "updated"
				in["allowedTools"] = []any{"search"}
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.mcpServer(id) },
			created: map[string]any{"server_name": "lcmcp", "transport": "http", "credentials.auth_value": mcpSecret},
			updated: map[string]any{"description": "updated", "allowed_tools": []any{"search"}, "transport": "http"},
			drift: func(h *harness, id string) {
				h.mustAPI("PUT", "/v1/mcp/server", map[string]any{"server_id": id, "description": "from the UI", "transport": "http",
					"url": "https://mcp.example.com/lcmcp"})
			},
			drifted:     map[string]any{"description": "from the UI"},
			importOmits: []string{"credentials", "staticHeaders"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/v1/mcp/server/"+id, nil)
			},
		},
		{
			kind: "VectorStore",
			create: func(map[string]string) map[string]any {
				in := vectorStoreInputs("lcvs")
				in["litellmParams"] = map[string]any{"api_key": secret{vsSecret}, "api_base": "https://api.openai.com/v1"}
				return in
			},
			update: func(map[string]string) map[string]any {
				in := vectorStoreInputs("lcvs")
				in["litellmParams"] = map[string]any{"api_key": secret{vsSecret}, "api_base": "https://api.openai.com/v1"}
				in["vectorStoreDescription"] = "updated"
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.vectorStore(id) },
			created: map[string]any{"vector_store_name": "lcvs", "litellm_params.api_key": vsSecret, "vector_store_metadata.owner": "docs-team"},
			updated: map[string]any{"vector_store_description": "updated"},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/vector_store/update", map[string]any{"vector_store_id": id, "vector_store_name": "from the UI"})
			},
			drifted:     map[string]any{"vectorStoreName": "from the UI"},
			importOmits: []string{"litellmParams.api_key"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/vector_store/delete", map[string]any{"vector_store_id": id})
			},
		},
		{
			kind:   "Guardrail",
			create: func(map[string]string) map[string]any { return guardrailInputs("lcguard") },
			update: func(map[string]string) map[string]any {
				in := guardrailInputs("lcguard")
				in["litellmParams"].(map[string]any)["mode"] = "post_call"
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.guardrail(id) },
			created: map[string]any{"guardrail_name": "lcguard", "litellm_params.api_key": guardSecret, "litellm_params.mode": "pre_call"},
			updated: map[string]any{"litellm_params.mode": "post_call"},
			drift: func(h *harness, id string) {
				row, _ := h.guardrail(id)
				info := row["guardrail_info"].(map[string]any)
				info["description"] = "from the UI"
				h.emu.UpdateGuardrail(id, map[string]any{"guardrail_info": info})
			},
			drifted:     map[string]any{"guardrailInfo.description": "from the UI"},
			importOmits: []string{"litellmParams.apiKey"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/guardrails/"+id, nil)
			},
		},
		{
			kind: "Prompt",
			create: func(map[string]string) map[string]any {
				in := promptInputs("")
				delete(in, "promptId")
				return in
			},
			update: func(map[string]string) map[string]any {
				in := promptInputs("")
				delete(in, "promptId")
				in["dotpromptContent"] = "updated"
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.latestPrompt(id, "development") },
			created: map[string]any{"version": 1.0, "litellm_params.prompt_integration": "dotprompt", "prompt_info.owner": "support"},
			updated: map[string]any{"version": 2.0, "litellm_params.dotprompt_content": "updated"},
			drift: func(h *harness, id string) {
				h.emu.AddPromptVersion(id, "development", map[string]any{"prompt_integration": "dotprompt", "dotprompt_content": "from the UI",
					"prompt_directory": "/prompts"})
			},
			drifted: map[string]any{"dotpromptContent": "from the UI", "version": 3.0},
			// The delete's existence check reads the answering worker's
			// registry, which may not hold a prompt created moments ago:
			// delete in the database, as another worker would have.
			deleteOutOfBand: func(h *harness, id string) { h.emu.DeletePrompt(id, "development") },
		},
		{
			kind:    "Customer",
			create:  func(map[string]string) map[string]any { return map[string]any{"alias": "acme", "maxBudget": 10.0} },
			update:  func(map[string]string) map[string]any { return map[string]any{"alias": "acme-2", "maxBudget": 20.0} },
			server:  func(h *harness, id string) (map[string]any, bool) { return h.customer(id) },
			created: map[string]any{"alias": "acme"},
			updated: map[string]any{"alias": "acme-2"},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/customer/update", map[string]any{"user_id": id, "alias": "renamed-in-ui"})
			},
			drifted:       map[string]any{"alias": "renamed-in-ui"},
			importProgram: asBudgetID("maxBudget"),
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/customer/delete", map[string]any{"user_ids": []any{id}})
			},
		},
		{
			kind:   "Project",
			deps:   team,
			create: func(d map[string]string) map[string]any { return projectInputs(d["team"]) },
			update: func(d map[string]string) map[string]any {
				in := projectInputs(d["team"])
				in["projectAlias"] = "flight-search-2"
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.project(id) },
			created: map[string]any{"project_alias": "flight-search", "team_id": "lc-team"},
			updated: map[string]any{"project_alias": "flight-search-2"},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/project/update", map[string]any{"project_id": id, "project_alias": "renamed-in-ui"})
			},
			drifted:       map[string]any{"projectAlias": "renamed-in-ui"},
			importProgram: asBudgetID("maxBudget", "softBudget", "budgetDuration", "rpmLimit"),
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/project/delete", map[string]any{"project_ids": []any{id}})
			},
		},
		{
			kind: "UnifiedAccessGroup",
			deps: func(h *harness) map[string]string {
				h.mustAPI("POST", "/team/new", map[string]any{"team_id": "ag-team", "team_alias": "ag-team"})
				return nil
			},
			create: func(map[string]string) map[string]any { return accessGroupInputs() },
			update: func(map[string]string) map[string]any {
				in := accessGroupInputs()
				in["accessGroupName"] = "support-2"
				delete(in, "description")
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.accessGroup(id) },
			created: map[string]any{"access_group_name": "support", "description": "support tooling"},
			updated: map[string]any{"access_group_name": "support-2", "description": nil},
			drift: func(h *harness, id string) {
				h.mustAPI("PUT", "/v1/access_group/"+id, map[string]any{"access_model_names": []any{"other"}})
			},
			drifted: map[string]any{"accessModelNames": []any{"other"}},
			deleteOutOfBand: func(h *harness, id string) {
				if code, _ := h.api("DELETE", "/v1/access_group/"+id, nil); code != 204 {
					h.t.Fatalf("out-of-band delete: %d", code)
				}
			},
		},
		{
			kind:   "Tag",
			create: func(map[string]string) map[string]any { return tagInputs("lc-tag") },
			update: func(map[string]string) map[string]any {
				in := tagInputs("lc-tag")
				in["description"] = "production traffic, v2"
				in["rpmLimit"] = 120.0
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.tag(id) },
			created: map[string]any{"description": "production traffic", "litellm_budget_table.max_budget": 50.0, "litellm_budget_table.rpm_limit": 60.0},
			updated: map[string]any{"description": "production traffic, v2", "litellm_budget_table.rpm_limit": 120.0},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/tag/update", map[string]any{"name": id, "description": "edited in the UI", "models": []any{"m-1"}})
			},
			drifted: map[string]any{"description": "edited in the UI"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/tag/delete", map[string]any{"name": id})
			},
		},
		{
			kind:   "McpToolset",
			create: func(map[string]string) map[string]any { return mcpToolsetInputs() },
			update: func(map[string]string) map[string]any {
				in := mcpToolsetInputs()
				in["toolsetName"] = "research-2"
				in["tools"] = []any{tool("srv-a", "search")}
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.mcpToolset(id) },
			created: map[string]any{"toolset_name": "research", "description": "read-only research tools"},
			updated: map[string]any{"toolset_name": "research-2"},
			drift: func(h *harness, id string) {
				h.mustAPI("PUT", "/v1/mcp/toolset", map[string]any{"toolset_id": id, "description": "changed in the UI"})
			},
			drifted: map[string]any{"description": "changed in the UI"},
			deleteOutOfBand: func(h *harness, id string) {
				if code, _ := h.api("DELETE", "/v1/mcp/toolset/"+id, nil); code != 202 {
					h.t.Fatalf("out-of-band delete: %d", code)
				}
			},
		},
		{
			kind:   "PassThroughEndpoint",
			create: func(map[string]string) map[string]any { return passThroughInputs("/lc") },
			update: func(map[string]string) map[string]any {
				in := passThroughInputs("/lc")
				in["costPerRequest"] = 0.75
				delete(in, "methods")
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.passThrough(id) },
			created: map[string]any{"path": "/lc", "target": "https://engine.example.com/v1", "headers.Authorization": "Bearer " + ptToken, "cost_per_request": 0.5},
			updated: map[string]any{"cost_per_request": 0.75, "methods": nil},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/config/pass_through_endpoint/"+id, map[string]any{"path": "/lc", "target": "https://ui.example.com"})
			},
			drifted: map[string]any{"target": "https://ui.example.com"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/config/pass_through_endpoint?endpoint_id="+id, nil)
			},
		},
		{
			kind:   "Agent",
			create: func(map[string]string) map[string]any { return agentInputs() },
			update: func(map[string]string) map[string]any {
				in := agentInputs()
				in["agentName"] = "support-bot-2"
				in["rpmLimit"] = 30.0
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.agent(id) },
			created: map[string]any{"agent_name": "support-bot", "tpm_limit": 1000.0, "litellm_params.api_key": agentSecret},
			updated: map[string]any{"agent_name": "support-bot-2", "rpm_limit": 30.0, "litellm_params.api_key": agentSecret},
			drift: func(h *harness, id string) {
				h.mustAPI("PATCH", "/v1/agents/"+id, map[string]any{"tpm_limit": 5})
			},
			drifted:     map[string]any{"tpmLimit": 5.0},
			importOmits: []string{"litellmParams.api_key", "staticHeaders", "agentCard.capabilities.pushNotifications"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/v1/agents/"+id, nil)
			},
		},
		{
			kind:   "SearchTool",
			create: func(map[string]string) map[string]any { return searchToolInputs("lc-search") },
			update: func(map[string]string) map[string]any {
				in := searchToolInputs("lc-search-2")
				in["litellmParams"].(map[string]any)["maxRetries"] = 4.0
				return in
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.searchTool(id) },
			created: map[string]any{"search_tool_name": "lc-search", "litellm_params.api_key": searchSecret, "litellm_params.max_retries": 2.0},
			updated: map[string]any{"search_tool_name": "lc-search-2", "litellm_params.max_retries": 4.0},
			drift: func(h *harness, id string) {
				row, _ := h.searchTool(id)
				row["search_tool_info"].(map[string]any)["description"] = "changed in the UI" // the UI keeps the other keys
				h.mustAPI("PUT", "/search_tools/"+id, map[string]any{"search_tool": row})
			},
			drifted:     map[string]any{"searchToolInfo.description": "changed in the UI"},
			importOmits: []string{"litellmParams.apiKey"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/search_tools/"+id, nil)
			},
		},
		{
			kind: "AccessGroup",
			deps: func(h *harness) map[string]string { agModels(h); return nil },
			create: func(map[string]string) map[string]any {
				return map[string]any{"accessGroup": "lc-group", "modelNames": []string{"gpt-a"}}
			},
			update: func(map[string]string) map[string]any {
				return map[string]any{"accessGroup": "lc-group", "modelNames": []string{"gpt-a", "gpt-b"}}
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				members := h.emu.ModelAccessGroupMembers(id)
				return map[string]any{"members": members}, len(members) > 0
			},
			created: map[string]any{"members": []any{"m-a1", "m-a2"}},
			updated: map[string]any{"members": []any{"m-a1", "m-a2", "m-b1"}},
			drift:   func(h *harness, id string) { h.emu.SetModelAccessGroups("m-b1", nil) },
			drifted: map[string]any{"modelNames": []any{"gpt-a"}},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/access_group/"+id+"/delete", nil)
			},
		},
		{
			kind: "AccessGroupBudget",
			deps: func(h *harness) map[string]string {
				if userLegacyRun() {
					h.t.Skip("the access group budget routes are newest only")
				}
				agbGroup(h)
				return nil
			},
			create: func(map[string]string) map[string]any {
				return map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 100.0, "budgetDuration": "30d"}
			},
			update: func(map[string]string) map[string]any {
				return map[string]any{"accessGroup": "ag-budgeted", "maxBudget": 120.0, "budgetDuration": "30d"}
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				row := h.emu.ModelAccessGroupBudget(id)
				return row, row != nil
			},
			created: map[string]any{"litellm_budget_table.max_budget": 100.0, "litellm_budget_table.budget_duration": "30d"},
			updated: map[string]any{"litellm_budget_table.max_budget": 120.0},
			drift: func(h *harness, id string) {
				h.mustAPI("PUT", "/access_group/"+id+"/budget", map[string]any{"max_budget": 250})
			},
			drifted: map[string]any{"maxBudget": 250.0},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/access_group/"+id+"/budget", nil)
			},
		},
		{
			kind: "JwtKeyMapping",
			deps: func(h *harness) map[string]string {
				_, token := h.newKey("lc-jwt")
				_, token2 := h.newKey("lc-jwt-2")
				return map[string]string{"token": token, "token2": token2}
			},
			create: func(d map[string]string) map[string]any {
				return map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "svc-lc", "token": d["token"], "description": "lc"}
			},
			update: func(d map[string]string) map[string]any {
				return map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "svc-lc", "token": d["token2"], "description": "lc-2"}
			},
			server:  func(h *harness, id string) (map[string]any, bool) { return h.jwtMapping(id) },
			created: map[string]any{"jwt_claim_value": "svc-lc", "description": "lc", "is_active": true},
			updated: map[string]any{"description": "lc-2"},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/jwt/key/mapping/update", map[string]any{"id": id, "is_active": false})
			},
			drifted:     map[string]any{"isActive": false},
			importOmits: []string{"token"},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("POST", "/jwt/key/mapping/delete", map[string]any{"id": id})
			},
		},
		{
			kind:   "Policy",
			create: func(map[string]string) map[string]any { return policyInputs("lc-policy") },
			update: func(map[string]string) map[string]any {
				in := policyInputs("lc-policy")
				in["guardrailsRemove"] = []string{"toxicity"}
				return in
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				prod, _ := h.production(id)
				return prod, prod != nil
			},
			created: map[string]any{"policy_name": "lc-policy", "version_number": 1.0, "condition.model": "gpt-4.*"},
			updated: map[string]any{"version_number": 2.0, "guardrails_remove": []any{"toxicity"}},
			drift: func(h *harness, id string) {
				// The admin UI's way: a new draft, edited, published and promoted.
				v := h.mustAPI("POST", "/policies/name/"+id+"/versions", map[string]any{})
				vid := fmt.Sprint(v["policy_id"])
				h.mustAPI("PUT", "/policies/"+vid, map[string]any{"description": "changed in the UI"})
				h.mustAPI("PUT", "/policies/"+vid+"/status", map[string]any{"version_status": "published"})
				h.mustAPI("PUT", "/policies/"+vid+"/status", map[string]any{"version_status": "production"})
			},
			drifted:         map[string]any{"description": "changed in the UI", "versionNumber": 3.0},
			deleteOutOfBand: func(h *harness, id string) { h.mustAPI("DELETE", "/policies/name/"+id+"/all-versions", nil) },
		},
		{
			kind: "Fallback",
			deps: func(h *harness) map[string]string { fbModels(h, true); return nil },
			create: func(map[string]string) map[string]any {
				return map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1"}}
			},
			update: func(map[string]string) map[string]any {
				return map[string]any{"model": "gpt-p", "fallbackModels": []string{"gpt-f1", "gpt-f2"}}
			},
			server: func(h *harness, id string) (map[string]any, bool) {
				model, _ := split(id)
				list, ok := h.emu.StoredFallbacks("general")[model]
				return map[string]any{"fallback_models": list}, ok
			},
			created: map[string]any{"fallback_models": []any{"gpt-f1"}},
			updated: map[string]any{"fallback_models": []any{"gpt-f1", "gpt-f2"}},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/fallback", map[string]any{"model": "gpt-p", "fallback_models": []any{"gpt-f2"}})
			},
			drifted: map[string]any{"fallbackModels": []any{"gpt-f2"}},
			deleteOutOfBand: func(h *harness, id string) {
				h.mustAPI("DELETE", "/fallback/gpt-p?fallback_type=general", nil)
			},
		},
		{
			kind: "ToolPolicy",
			deps: func(h *harness) map[string]string {
				h.emu.DiscoverTool("lc_tool", "lc-mcp")
				return nil
			},
			create: func(map[string]string) map[string]any {
				return map[string]any{"toolName": "lc_tool", "inputPolicy": "trusted", "outputPolicy": "untrusted"}
			},
			update: func(map[string]string) map[string]any {
				return map[string]any{"toolName": "lc_tool", "inputPolicy": "blocked", "outputPolicy": "trusted"}
			},
			// The policy is there while the tool's policies are not LiteLLM's defaults.
			server: func(h *harness, id string) (map[string]any, bool) {
				row, ok := h.tool(id)
				return row, ok && !(row["input_policy"] == "untrusted" && row["output_policy"] == "untrusted")
			},
			created: map[string]any{"input_policy": "trusted", "output_policy": "untrusted", "origin": "lc-mcp"},
			updated: map[string]any{"input_policy": "blocked", "output_policy": "trusted"},
			drift: func(h *harness, id string) {
				h.mustAPI("POST", "/v1/tool/policy", map[string]any{"tool_name": id, "output_policy": "untrusted"})
			},
			drifted:         map[string]any{"outputPolicy": "untrusted"},
			deleteOutOfBand: func(h *harness, id string) { h.emu.DeleteTool(id) },
		},
		{
			kind: "PolicyAttachment",
			deps: func(h *harness) map[string]string {
				attachmentDeps(h)
				return nil
			},
			create: func(map[string]string) map[string]any { return attachmentInputs() },
			// No update: LiteLLM cannot change an attachment, every change replaces it.
			server:  func(h *harness, id string) (map[string]any, bool) { return h.attachment(id) },
			created: map[string]any{"policy_name": "pa-policy", "teams": []any{"healthcare"}, "priority": 10.0},
			drift: func(h *harness, id string) {
				h.emu.UpdatePolicyAttachment(id, map[string]any{"priority": 1.0}) // no route changes one: a database edit
			},
			drifted:         map[string]any{"priority": 1.0},
			deleteOutOfBand: func(h *harness, id string) { h.mustAPI("DELETE", "/policies/attachments/"+id, nil) },
		},
	}
}

// TestLifecycleTable drives every resource kind through the same lifecycle
// against a 3-worker emulator.
func TestLifecycleTable(t *testing.T) {
	for _, row := range lifecycleRows() {
		t.Run(row.kind, func(t *testing.T) {
			t.Parallel()
			runLifecycle(t, row)
		})
	}
}

func runLifecycle(t *testing.T, row lifecycleRow) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	d := map[string]string{}
	if row.deps != nil {
		d = row.deps(h)
	}
	u := urn(row.kind, "lc")

	// 1. Create: the proxy holds the program's fields.
	in := row.create(d)
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" {
		t.Fatal("create returned no ID")
	}
	expectServer(t, h, row, id, row.created, "after the create")

	// 2. A second up with no change plans nothing, and a refresh without
	// out-of-band changes records the same inputs.
	inputs := h.check(u, property.Map{}, pm(in))
	expectNoChanges(t, h, u, id, created.Properties, inputs, h.check(u, inputs, pm(in)), "second up")
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || read.ID != id || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %q %v\nwant %v (%v)", read.ID, read.Inputs.GoString(), inputs.GoString(), err)
	}
	expectNoChanges(t, h, u, id, read.Properties, read.Inputs, inputs, "up after a no-change refresh")

	// 3. Update in place (no replacement), then no change again.
	state, current, program := read.Properties, inputs, in
	if row.update != nil {
		program = row.update(d)
		news := h.check(u, inputs, pm(program))
		diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: state, OldInputs: inputs, Inputs: news})
		if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
			t.Fatalf("update diff: %+v %v", diff, err)
		}
		for path, dd := range diff.DetailedDiff {
			if dd.Kind == p.AddReplace || dd.Kind == p.UpdateReplace || dd.Kind == p.DeleteReplace {
				t.Fatalf("the update replaces the resource (%s): %+v", path, diff.DetailedDiff)
			}
		}
		up, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: state, OldInputs: inputs, Inputs: news})
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		expectServer(t, h, row, id, row.updated, "after the update")
		state, current = up.Properties, news
		expectNoChanges(t, h, u, id, state, current, h.check(u, current, pm(program)), "up after the update")
	}

	// 4. Import: the inputs an import rebuilds pass Check, and the program
	// (without what an import cannot read) plans no change over them.
	// An import names an object that exists and that every worker has
	// loaded (not one created a moment ago).
	h.emu.ReloadAll()
	iu := urn(row.kind, "imported")
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: iu})
	if err != nil || imp.ID != id {
		t.Fatalf("import: %q %v", imp.ID, err)
	}
	impInputs := h.check(iu, imp.Inputs, imp.Inputs) // the engine checks an import with its own inputs as the olds
	withoutOmits := dropPaths(program, row.importOmits)
	if row.importProgram != nil {
		withoutOmits = row.importProgram(withoutOmits, imp.Inputs)
	}
	expectNoChanges(t, h, iu, id, imp.Properties, impInputs, h.check(iu, impInputs, pm(withoutOmits)), "up after the import")

	// 5. A refresh sees an out-of-band change, and the next up plans to
	// undo it.
	row.drift(h, id)
	h.emu.ReloadAll() // a refresh some time later: every worker has loaded the change
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(state), Inputs: current})
	if err != nil || read.ID != id {
		t.Fatalf("refresh after an out-of-band change: %q %v", read.ID, err)
	}
	for path, want := range row.drifted {
		if got := get(read.Properties, path); !reflect.DeepEqual(got, want) {
			t.Fatalf("refresh after an out-of-band change: %s = %#v, want %#v\n%v", path, got, want, read.Properties.GoString())
		}
	}
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: current})
	if err != nil || !diff.HasChanges {
		t.Fatalf("the up after an out-of-band change plans nothing: %+v %v", diff, err)
	}

	// 6. Delete; a second delete of an object already gone succeeds.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: state}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if obj, ok := row.server(h, id); ok {
		t.Fatalf("still on the proxy after the delete: %v", obj)
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(state)}); err != nil {
		t.Fatalf("delete of an object already gone: %v", err)
	}

	// 7. Deleted out of band: a refresh once the proxy has settled drops it
	// from the stack, so that the next up creates it again.
	u2 := urn(row.kind, "lc2")
	again := h.mustCreate(u2, row.create(d))
	row.deleteOutOfBand(h, again.ID)
	h.emu.ReloadAll()
	read, err = h.s.Read(p.ReadRequest{ID: again.ID, Urn: u2, Properties: aged(again.Properties),
		Inputs: h.check(u2, property.Map{}, pm(row.create(d)))})
	if err != nil || read.ID != "" {
		t.Fatalf("refresh after an out-of-band delete: %q %v %v", read.ID, read.Properties.GoString(), err)
	}
}

// expectServer checks the object's fields on the proxy.
func expectServer(t *testing.T, h *harness, row lifecycleRow, id string, want map[string]any, when string) {
	t.Helper()
	obj, ok := row.server(h, id)
	if !ok {
		t.Fatalf("%s: %s %s is not on the proxy", when, row.kind, id)
	}
	for path, w := range want {
		if got := emptyAsNil(get(pm(obj), path)); !reflect.DeepEqual(got, w) {
			t.Fatalf("%s: on the proxy %s = %#v, want %#v\n%v", when, path, got, w, obj)
		}
	}
}

// emptyAsNil: an empty list is no list (LiteLLM stores [] for a cleared
// list, and null and [] mean the same to it).
func emptyAsNil(v any) any {
	if l, ok := v.([]any); ok && len(l) == 0 {
		return nil
	}
	return v
}

// expectNoChanges: a Diff of the recorded state against the program plans
// nothing.
func expectNoChanges(t *testing.T, h *harness, u presource.URN, id string, state, olds, news property.Map, when string) {
	t.Helper()
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: state, OldInputs: olds, Inputs: news})
	if err != nil || diff.HasChanges {
		t.Fatalf("%s plans changes: %+v %v\nstate %v\nnews %v", when, diff.DetailedDiff, err, state.GoString(), news.GoString())
	}
}

// dropPaths is a copy of inputs without the dotted paths.
func dropPaths(inputs map[string]any, paths []string) map[string]any {
	out := maps.Clone(inputs)
	for _, path := range paths {
		cur := out
		keys := strings.Split(path, ".")
		for i, k := range keys {
			if i == len(keys)-1 {
				delete(cur, k)
				break
			}
			next, ok := cur[k].(map[string]any)
			if !ok {
				break
			}
			next = maps.Clone(next)
			cur[k] = next
			cur = next
		}
	}
	return out
}
