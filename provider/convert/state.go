package convert

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi-litellm/pulumi-litellm/provider"
	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Entry is one object to import: its resource type, the name the program
// gives it, and its ID in the Terraform providers' format.
type Entry struct {
	Type string
	Name string
	ID   string
}

// Note is a remark of the summary: an object left out and why, or a value
// the user must add to the program as a secret.
type Note struct {
	Warning bool
	Text    string
}

// StateArgs are the converter's arguments, after `--` on
// `pulumi import --from litellm -- …`.
type StateArgs struct {
	BaseURL      string
	APIKey       string // from LITELLM_API_KEY: never a flag, so that it is never in a shell history
	Kinds        []string
	Team         string
	Organization string
}

// ParseStateArgs reads the flags; the base URL and key default to
// LITELLM_API_BASE and LITELLM_API_KEY.
func ParseStateArgs(args []string, getenv func(string) string) (StateArgs, error) {
	fs := flag.NewFlagSet("pulumi-converter-litellm", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var a StateArgs
	var kinds string
	fs.StringVar(&a.BaseURL, "base-url", getenv("LITELLM_API_BASE"), "the proxy's address")
	fs.StringVar(&kinds, "kinds", "", "comma-separated kinds to import (default: all): "+strings.Join(kindNames(), ","))
	fs.StringVar(&a.Team, "team", "", "only this team and what belongs to it (its keys, models and members)")
	fs.StringVar(&a.Organization, "organization", "", "only this organization and what belongs to it")
	if err := fs.Parse(args); err != nil {
		return a, fmt.Errorf("%w; flags: --base-url URL (or LITELLM_API_BASE), --kinds %s, --team ID, --organization ID "+
			"(the key comes from LITELLM_API_KEY)", err, strings.Join(kindNames(), ","))
	}
	if fs.NArg() > 0 {
		return a, fmt.Errorf("unexpected argument %q: the converter takes flags only (--base-url, --kinds, --team, --organization)", fs.Arg(0))
	}
	a.APIKey = getenv("LITELLM_API_KEY")
	if a.BaseURL == "" {
		return a, errors.New("no proxy address: pass --base-url https://litellm.example.com or set LITELLM_API_BASE")
	}
	if a.APIKey == "" {
		return a, errors.New("no key: set LITELLM_API_KEY to the proxy's master key or a proxy-admin key")
	}
	for _, k := range strings.Split(kinds, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if !slices.Contains(kindNames(), k) {
			return a, fmt.Errorf("--kinds: unknown kind %q; the kinds are %s", k, strings.Join(kindNames(), ", "))
		}
		a.Kinds = append(a.Kinds, k)
	}
	return a, nil
}

// object is one object found on the proxy, before it is named.
type object struct {
	id, own, fallback string
	team, org         string   // the team and organization it belongs to ("" if none), for the filters
	masked            []string // inputs the proxy does not show: the user adds them as secrets
}

// source lists one kind. A kind the converter does not list has why
// instead (said in the summary when the kind is selected).
type source struct {
	kind, token string
	list        func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error)
	why         string
}

// fromRows maps the rows of a listing (LiteLLM objects as maps) to objects;
// keep returns false for a row to leave out.
func fromRows[T ~map[string]any](rows []T, err error, f func(map[string]any) (object, bool)) ([]object, error) {
	if err != nil {
		return nil, err
	}
	out := make([]object, 0, len(rows))
	for _, r := range rows {
		if o, ok := f(r); ok {
			out = append(out, o)
		}
	}
	return out, nil
}

func kindNames() []string {
	var out []string
	for _, s := range sources() {
		out = append(out, s.kind)
	}
	return out
}

// ConvertState lists the proxy and returns the import entries, in an order
// where what an object refers to comes first, and the summary.
func ConvertState(ctx context.Context, a StateArgs) ([]Entry, []Note, error) {
	c, err := litellm.New(litellm.Config{BaseURL: a.BaseURL, APIKey: a.APIKey, KeySource: "LITELLM_API_KEY",
		UserAgent: "pulumi-converter-litellm"})
	if err != nil {
		return nil, nil, err
	}
	masterToken := litellm.Token(a.APIKey)
	var entries []Entry
	var notes []Note
	n := newNamer()
	for _, s := range sources() {
		if len(a.Kinds) > 0 && !slices.Contains(a.Kinds, s.kind) {
			continue
		}
		skip := func(why string) { notes = append(notes, Note{Text: s.kind + ": " + why}) }
		if s.list == nil {
			skip(s.why)
			continue
		}
		var objs []object
		err := consistency.Do(ctx, consistency.Default(), "listing of "+s.kind+"s", func(ctx context.Context) error {
			objs, err = s.list(ctx, c, skip)
			return err
		})
		switch {
		case litellm.KindOf(err) == litellm.KindForbidden && s.kind == "project":
			notes = append(notes, Note{Warning: true, Text: "project: the proxy refuses to list projects (an Enterprise " +
				"licence is needed): none imported"})
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("listing %ss: %w", s.kind, err)
		}
		sort.SliceStable(objs, func(i, j int) bool { return objs[i].id < objs[j].id })
		for _, o := range objs {
			if s.kind == "key" && o.id == masterToken {
				skip("the key this conversion uses (LITELLM_API_KEY) is left out")
				continue
			}
			if a.Team != "" && o.team != a.Team {
				continue
			}
			if a.Organization != "" && o.org != a.Organization {
				continue
			}
			name := n.name(s.kind, o.own, o.fallback)
			entries = append(entries, Entry{Type: s.token, Name: name, ID: o.id})
			if len(o.masked) > 0 {
				notes = append(notes, Note{Warning: true, Text: fmt.Sprintf("%s %s: the proxy does not show %s: add them "+
					"to the program as secrets (pulumi config set --secret …), or the next update leaves them as they are",
					s.kind, name, strings.Join(o.masked, ", "))})
			}
		}
	}
	return entries, notes, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// maskedKeys are the keys of a map whose values the proxy masks or
// encrypts (provider.Masked), as input paths under prefix.
func maskedKeys(prefix string, m map[string]any) []string {
	var out []string
	for k, v := range m {
		if provider.Masked(k, v) {
			out = append(out, prefix+k)
		}
	}
	sort.Strings(out)
	return out
}

// sources are the kinds the converter lists, in dependency order: what
// other objects refer to (credentials, organizations, teams, users,
// budgets) before what refers to them.
func sources() []source {
	return []source{
		{kind: "credential", token: "litellm:index:Credential", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.Credentials.List(ctx)
			var out []object
			for _, r := range rows {
				keys := make([]string, 0, len(r.CredentialValues))
				for k := range r.CredentialValues {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				masked := []string{"credentialValues"}
				if len(keys) > 0 {
					masked = []string{"credentialValues (" + strings.Join(keys, ", ") + ")"}
				}
				out = append(out, object{id: r.CredentialName, own: r.CredentialName, masked: masked})
			}
			return out, err
		}},
		{kind: "organization", token: "litellm:index:Organization", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.Organizations.List(ctx)
			var out []object
			for _, r := range rows {
				id := str(r, "organization_id")
				out = append(out, object{id: id, own: str(r, "organization_alias"), fallback: id, org: id})
			}
			return out, err
		}},
		{kind: "team", token: "litellm:index:Team", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.Teams.List(ctx)
			var out []object
			for _, r := range rows {
				id := str(r, "team_id")
				out = append(out, object{id: id, own: str(r, "team_alias"), fallback: id, team: id, org: str(r, "organization_id")})
			}
			return out, err
		}},
		{kind: "user", token: "litellm:index:User", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			rows, err := c.Users.List(ctx)
			var out []object
			for _, r := range rows {
				id := str(r, "user_id")
				if id == "default_user_id" {
					skip("LiteLLM's own admin user (default_user_id) is left out")
					continue
				}
				own := str(r, "user_alias")
				if own == "" {
					own, _, _ = strings.Cut(str(r, "user_email"), "@")
				}
				out = append(out, object{id: id, own: own, fallback: id, org: str(r, "organization_id")})
			}
			return out, err
		}},
		{kind: "budget", token: "litellm:index:Budget", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			rows, err := c.Budgets.List(ctx)
			if err != nil {
				return nil, err
			}
			// A budget an organization, a tag or a team membership points to
			// is imported with it (maxBudget… of the Organization or the Tag,
			// maxBudgetInTeam of a member): a Budget resource would manage it
			// a second time.
			held := map[string]string{}
			orgs, err := c.Organizations.List(ctx)
			if err != nil {
				return nil, err
			}
			for _, o := range orgs {
				if id := str(o, "budget_id"); id != "" {
					held[id] = "organization " + str(o, "organization_id")
				}
			}
			tags, err := c.Tags.List(ctx)
			if err != nil {
				return nil, err
			}
			for _, t := range tags {
				// A tag's budget is imported as the tag's limits (tag.go).
				id := str(t, "budget_id")
				if id == "" {
					id = str(asMap(t["litellm_budget_table"]), "budget_id")
				}
				if id != "" {
					held[id] = "tag " + str(t, "name")
				}
			}
			teams, err := c.Teams.List(ctx)
			if err != nil {
				return nil, err
			}
			for _, t := range teams {
				members, err := c.Teams.Members(ctx, str(t, "team_id"))
				if err != nil && !litellm.IsNotFound(err) {
					return nil, err
				}
				for _, m := range members.Members {
					if id := str(m.Budget, "budget_id"); id != "" {
						held[id] = "a member of team " + str(t, "team_id")
					}
				}
			}
			// A project's own budget is imported as a Budget that the project
			// refers to (the Project resource imports it as budgetId): named
			// after the project.
			owners := map[string]string{}
			if projects, err := c.Projects.List(ctx); err == nil {
				for _, p := range projects {
					if id := str(p, "budget_id"); id != "" {
						owners[id] = str(p, "project_alias") + " budget"
					}
				}
			}
			var out []object
			for _, r := range rows {
				id := str(r, "budget_id")
				if owner, ok := held[id]; ok {
					skip(fmt.Sprintf("budget %s belongs to %s and is imported with it", id, owner))
					continue
				}
				own := id
				if o := owners[id]; o != "" && o != " budget" {
					own = o
				}
				out = append(out, object{id: id, own: own, fallback: id})
			}
			return out, nil
		}},
		{kind: "customer", token: "litellm:index:Customer", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.Customers.List(ctx)
			var out []object
			for _, r := range rows {
				id := str(r, "user_id")
				out = append(out, object{id: id, own: str(r, "alias"), fallback: id})
			}
			return out, err
		}},
		{kind: "model", token: "litellm:index:Model", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			rows, err := c.Models.List(ctx)
			var out []object
			for _, r := range rows {
				id := str(r.ModelInfo, "id")
				if db, ok := r.ModelInfo["db_model"].(bool); ok && !db {
					skip(fmt.Sprintf("%s (id %s) comes from the proxy's config file and is left out: convert the "+
						"config file with `pulumi convert --from litellm`", r.ModelName, id))
					continue
				}
				out = append(out, object{id: id, own: r.ModelName, fallback: id, team: str(r.ModelInfo, "team_id"),
					masked: maskedKeys("litellmParams.", r.LitellmParams)})
			}
			return out, err
		}},
		{kind: "key", token: "litellm:index:Key", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			rows, err := c.Keys.List(ctx, "", "")
			var out []object
			for _, r := range rows {
				id := str(r, "token")
				if str(r, "team_id") == "litellm-dashboard" {
					skip("a key of the admin UI's own sessions (team litellm-dashboard) is left out")
					continue
				}
				own := str(r, "key_alias")
				out = append(out, object{id: id, own: own, fallback: "key", team: str(r, "team_id"), org: str(r, "organization_id")})
			}
			return out, err
		}},
		{kind: "tag", token: "litellm:index:Tag", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.Tags.List(ctx)
			return fromRows(rows, err, func(r map[string]any) (object, bool) {
				return object{id: str(r, "name"), own: str(r, "name")}, true
			})
		}},
		{kind: "accessGroup", token: "litellm:index:AccessGroup", why: "model access groups are not imported as " +
			"AccessGroups: they come in with the models (modelInfo.accessGroups), and two resources would manage " +
			"the same membership"},
		{kind: "fallback", token: "litellm:index:Fallback", why: "the proxy's API lists no fallbacks: import each with " +
			"pulumi import litellm:index:Fallback <name> <model>:<general|context_window|content_policy>"},
		byKeys("mcpServer", "litellm:index:McpServer", "server_id", "server_name", func(ctx context.Context, c *litellm.Client) ([]map[string]any, error) {
			return asMaps(c.McpServers.List(ctx))
		}),
		byKeys("mcpToolset", "litellm:index:McpToolset", "toolset_id", "toolset_name", func(ctx context.Context, c *litellm.Client) ([]map[string]any, error) {
			return asMaps(c.McpToolsets.List(ctx))
		}),
		byKeys("vectorStore", "litellm:index:VectorStore", "vector_store_id", "vector_store_name", func(ctx context.Context, c *litellm.Client) ([]map[string]any, error) {
			return asMaps(c.VectorStores.List(ctx))
		}),
		byKeys("guardrail", "litellm:index:Guardrail", "guardrail_id", "guardrail_name", func(ctx context.Context, c *litellm.Client) ([]map[string]any, error) {
			return asMaps(c.Guardrails.List(ctx))
		}),
		byKeys("searchTool", "litellm:index:SearchTool", "search_tool_id", "search_tool_name", func(ctx context.Context, c *litellm.Client) ([]map[string]any, error) {
			return asMaps(c.SearchTools.List(ctx))
		}),
		byKeys("agent", "litellm:index:Agent", "agent_id", "agent_name", func(ctx context.Context, c *litellm.Client) ([]map[string]any, error) {
			return asMaps(c.Agents.List(ctx))
		}),
		byKeys("unifiedAccessGroup", "litellm:index:UnifiedAccessGroup", "access_group_id", "access_group_name", func(ctx context.Context, c *litellm.Client) ([]map[string]any, error) {
			return asMaps(c.AccessGroups.List(ctx))
		}),
		{kind: "prompt", token: "litellm:index:Prompt", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			// The provider's import reads the development environment
			// (LiteLLM's default); prompts of other environments are named.
			rows, err := c.Prompts.List(ctx, "")
			seen := map[string]bool{}
			return fromRows(rows, err, func(r map[string]any) (object, bool) {
				id := litellm.BasePromptID(str(r, "prompt_id"))
				if env := str(r, "environment"); env != "" && env != "development" {
					skip(fmt.Sprintf("%s is in the %s environment: import it with pulumi import litellm:index:Prompt "+
						"<name> %s and set environment: %s", id, env, id, env))
					return object{}, false
				}
				if id == "" || seen[id] {
					return object{}, false // one resource for every version of a prompt
				}
				seen[id] = true
				return object{id: id, own: id}, true
			})
		}},
		{kind: "policy", token: "litellm:index:Policy", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			rows, err := c.Policies.List(ctx)
			seen := map[string]bool{}
			return fromRows(rows, err, func(r map[string]any) (object, bool) {
				name := str(r, "policy_name")
				if fromConfigFile(r) {
					skip(fmt.Sprintf("%s comes from the proxy's config file and is left out", name))
					return object{}, false
				}
				if name == "" || seen[name] {
					return object{}, false // one resource for every version of a policy
				}
				seen[name] = true
				return object{id: name, own: name}, true
			})
		}},
		{kind: "policyAttachment", token: "litellm:index:PolicyAttachment", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			rows, err := c.PolicyAttachments.List(ctx)
			return fromRows(rows, err, func(r map[string]any) (object, bool) {
				if fromConfigFile(r) {
					skip(fmt.Sprintf("an attachment of %s comes from the proxy's config file and is left out", str(r, "policy_name")))
					return object{}, false
				}
				id := str(r, "attachment_id")
				return object{id: id, own: str(r, "policy_name") + " attachment", fallback: id}, id != ""
			})
		}},
		{kind: "toolPolicy", token: "litellm:index:ToolPolicy", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.ToolPolicies.List(ctx)
			return fromRows(rows, err, func(r map[string]any) (object, bool) {
				// A tool the proxy has seen but nobody set a policy for is
				// not a setting to manage.
				if str(r, "input_policy") == "untrusted" && str(r, "output_policy") == "untrusted" {
					return object{}, false
				}
				name := str(r, "tool_name")
				return object{id: name, own: name + " policy"}, name != ""
			})
		}},
		{kind: "jwtKeyMapping", token: "litellm:index:JwtKeyMapping", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.JwtKeyMappings.List(ctx)
			return fromRows(rows, err, func(r map[string]any) (object, bool) {
				id := str(r, "id")
				return object{id: id, own: str(r, "jwt_claim_name") + " mapping", fallback: id,
					masked: []string{"key or token (the mapped key: the proxy never shows it)"}}, id != ""
			})
		}},
		{kind: "passThroughEndpoint", token: "litellm:index:PassThroughEndpoint", list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
			rows, err := c.PassThroughEndpoints.List(ctx)
			return fromRows(rows, err, func(r map[string]any) (object, bool) {
				if fromConfigFile(r) {
					skip(fmt.Sprintf("%s comes from the proxy's config file and is left out", str(r, "path")))
					return object{}, false
				}
				id := str(r, "id")
				return object{id: id, own: str(r, "path"), fallback: id}, id != ""
			})
		}},
		{kind: "project", token: "litellm:index:Project", list: func(ctx context.Context, c *litellm.Client, _ func(string)) ([]object, error) {
			rows, err := c.Projects.List(ctx)
			var out []object
			for _, r := range rows {
				id := str(r, "project_id")
				out = append(out, object{id: id, own: str(r, "project_alias"), fallback: id, team: str(r, "team_id")})
			}
			return out, err
		}},
	}
}

// byKeys is the source of a kind whose listing rows carry the ID and the
// name under these keys. Rows from the proxy's config file
// (is_from_config) are left out: the API cannot manage them.
func byKeys(kind, token, idKey, nameKey string, list func(context.Context, *litellm.Client) ([]map[string]any, error)) source {
	return source{kind: kind, token: token, list: func(ctx context.Context, c *litellm.Client, skip func(string)) ([]object, error) {
		rows, err := list(ctx, c)
		return fromRows(rows, err, func(r map[string]any) (object, bool) {
			if fromConfigFile(r) {
				skip(fmt.Sprintf("%s comes from the proxy's config file and is left out", str(r, nameKey)))
				return object{}, false
			}
			return object{id: str(r, idKey), own: str(r, nameKey), fallback: str(r, idKey)}, str(r, idKey) != ""
		})
	}}
}

// asMaps is a typed listing as plain maps.
func asMaps[T ~map[string]any](rows []T, err error) ([]map[string]any, error) {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out, err
}

// fromConfigFile: a listed row the proxy's config file defines
// (is_from_config, or definition_location "config"); the API cannot
// manage it.
func fromConfigFile(r map[string]any) bool {
	fromConfig, _ := r["is_from_config"].(bool)
	return fromConfig || str(r, "definition_location") == "config"
}
