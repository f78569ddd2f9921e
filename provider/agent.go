package provider

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Agent is a LiteLLM A2A agent (`POST /v1/agents`), token litellm:index:Agent.
type Agent struct{}

// AgentArgs are the inputs of an Agent.
type AgentArgs struct {
	AgentName        string                 `pulumi:"agentName" litellm:"agent_name"`
	AgentCard        *AgentCard             `pulumi:"agentCard,optional" litellm:"agent_card_params,omitzero"`
	LitellmParams    map[string]any         `pulumi:"litellmParams,optional" litellm:"litellm_params,omitzero"`
	ObjectPermission *AgentObjectPermission `pulumi:"objectPermission,optional" litellm:"object_permission,omitzero"`
	StaticHeaders    map[string]string      `pulumi:"staticHeaders,optional" litellm:"static_headers,omitzero" provider:"secret"`
	ExtraHeaders     []string               `pulumi:"extraHeaders,optional" litellm:"extra_headers,omitzero"`
	AccessGroupIds   []string               `pulumi:"accessGroupIds,optional" litellm:"access_group_ids,omitzero"`
	TpmLimit         *int                   `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit         *int                   `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	SessionTpmLimit  *int                   `pulumi:"sessionTpmLimit,optional" litellm:"session_tpm_limit,omitzero"`
	SessionRpmLimit  *int                   `pulumi:"sessionRpmLimit,optional" litellm:"session_rpm_limit,omitzero"`
	AdoptExisting    *bool                  `pulumi:"adoptExisting,optional" litellm:"-"`
}

// AgentCard is the agent's A2A agent card (agent_card_params).
type AgentCard struct {
	Name               string             `pulumi:"name" litellm:"name"`
	URL                string             `pulumi:"url" litellm:"url"`
	Description        *string            `pulumi:"description,optional" litellm:"description,omitzero"`
	Version            *string            `pulumi:"version,optional" litellm:"version,omitzero"`
	ProtocolVersion    *string            `pulumi:"protocolVersion,optional" litellm:"protocolVersion,omitzero"`
	DefaultInputModes  []string           `pulumi:"defaultInputModes,optional" litellm:"defaultInputModes,omitzero"`
	DefaultOutputModes []string           `pulumi:"defaultOutputModes,optional" litellm:"defaultOutputModes,omitzero"`
	PreferredTransport *string            `pulumi:"preferredTransport,optional" litellm:"preferredTransport,omitzero"`
	IconURL            *string            `pulumi:"iconUrl,optional" litellm:"iconUrl,omitzero"`
	DocumentationURL   *string            `pulumi:"documentationUrl,optional" litellm:"documentationUrl,omitzero"`
	Capabilities       *AgentCapabilities `pulumi:"capabilities,optional" litellm:"capabilities,omitzero"`
	Provider           *AgentProvider     `pulumi:"provider,optional" litellm:"provider,omitzero"`
	Skills             []AgentSkill       `pulumi:"skills,optional" litellm:"skills,omitzero"`
}

// AgentCapabilities are the card's capabilities.
type AgentCapabilities struct {
	Streaming              *bool `pulumi:"streaming,optional" litellm:"streaming,omitzero"`
	PushNotifications      *bool `pulumi:"pushNotifications,optional" litellm:"pushNotifications,omitzero"`
	StateTransitionHistory *bool `pulumi:"stateTransitionHistory,optional" litellm:"stateTransitionHistory,omitzero"`
}

// AgentProvider is the organisation behind the agent.
type AgentProvider struct {
	Organization string `pulumi:"organization" litellm:"organization"`
	URL          string `pulumi:"url" litellm:"url"`
}

// AgentSkill is one skill of the card.
type AgentSkill struct {
	ID          string   `pulumi:"id" litellm:"id"`
	Name        string   `pulumi:"name" litellm:"name"`
	Description *string  `pulumi:"description,optional" litellm:"description,omitzero"`
	Tags        []string `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Examples    []string `pulumi:"examples,optional" litellm:"examples,omitzero"`
	InputModes  []string `pulumi:"inputModes,optional" litellm:"inputModes,omitzero"`
	OutputModes []string `pulumi:"outputModes,optional" litellm:"outputModes,omitzero"`
}

// AgentObjectPermission is what the agent itself may use.
type AgentObjectPermission struct {
	McpServers         []string            `pulumi:"mcpServers,optional" litellm:"mcp_servers,omitzero"`
	McpAccessGroups    []string            `pulumi:"mcpAccessGroups,optional" litellm:"mcp_access_groups,omitzero"`
	McpToolPermissions map[string][]string `pulumi:"mcpToolPermissions,optional" litellm:"mcp_tool_permissions,omitzero"`
	Models             []string            `pulumi:"models,optional" litellm:"models,omitzero"`
	Agents             []string            `pulumi:"agents,optional" litellm:"agents,omitzero"`
}

// AgentState is the recorded state of an Agent.
type AgentState struct {
	AgentArgs
	Writes
	AgentID   string  `pulumi:"agentId"`
	CreatedAt *string `pulumi:"createdAt,optional"`
	UpdatedAt *string `pulumi:"updatedAt,optional"`
}

var (
	_ infer.CustomResource[AgentArgs, AgentState] = (*Agent)(nil)
	_ infer.CustomCheck[AgentArgs]                = (*Agent)(nil)
	_ infer.CustomDiff[AgentArgs, AgentState]     = (*Agent)(nil)
	_ infer.CustomRead[AgentArgs, AgentState]     = (*Agent)(nil)
	_ infer.CustomUpdate[AgentArgs, AgentState]   = (*Agent)(nil)
	_ infer.CustomDelete[AgentState]              = (*Agent)(nil)
	_ infer.Annotated                             = (*Agent)(nil)
)

func agentKind() kind {
	return kind{
		token:    "litellm:index:Agent",
		resource: infer.Resource(&Agent{}),
		check:    typedCheck(Agent{}.Check),
		diff:     typedDiff(Agent{}.Diff),
		read:     typedRead(Agent{}.Read),
		freeForm: []string{"litellmParams"},
		state:    reflect.TypeFor[AgentState](),
	}
}

// Annotate documents the resource.
func (g *Agent) Annotate(a infer.Annotator) {
	a.SetToken("index", "Agent")
	if !documenting() {
		return
	}
	a.Describe(g, "An A2A agent on a LiteLLM proxy (`POST /v1/agents`): an upstream agent that the proxy fronts at "+
		"`/a2a/<agent id>`, with its agent card, the LiteLLM parameters of its calls, what it may use and its rate "+
		"limits. The proxy chooses the agent's ID (`agentId`); the name is unique on the proxy.\n\n"+
		"An agent has no metadata that could carry the ownership mark other resources carry (its `litellmParams` "+
		"reach the model calls, its card is published). An existing agent with this resource's name is taken as "+
		"this resource's only when it shows exactly the settings of this program (an earlier create whose answer "+
		"was lost, or that was interrupted before Pulumi recorded it); any other agent with the name is someone "+
		"else's and is never taken over without `adoptExisting`.\n\n"+
		"Each proxy worker serves agents from its own registry, reloaded from the database every "+
		"`reloadInterval`: a read right after a change may come from a worker that has not reloaded yet, and is "+
		"repeated until it shows the change or the settle time has passed.\n\n"+
		"Every change, a new name included, is made in place (`PATCH /v1/agents/<id>`). An agent deleted outside "+
		"Pulumi is created again by the next update, under a new ID (`agentId` shows it at once, the resource ID "+
		"after the next refresh).\n\n"+
		"Import with `pulumi import litellm:index:Agent <name> <agent id>`; credentials in `litellmParams` and "+
		"`staticHeaders` are not returned by the proxy and must be added to the program.")
}

// Annotate documents the inputs.
func (g *AgentArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&g.AgentName, "The agent's name, unique on the proxy. Changing it renames the agent in place.")
	a.Describe(&g.AgentCard, "The agent's A2A agent card. The proxy stores it merged with its own settings: "+
		"it adds the proxy's interface and security scheme, fills in defaults (version `1.0.0`, protocol `1.0`, a "+
		"`chat` skill, `text` modes, a LiteLLM provider) and keeps only the `streaming` capability; none of that is "+
		"drift.")
	a.Describe(&g.LitellmParams, "LiteLLM parameters of the agent's calls (e.g. `model`, `api_base`, `api_key`). "+
		"Values under keys that look secret are secrets; the proxy returns them as `REDACTED_BY_LITELM`, so they are "+
		"never compared or imported. A credential removed here is cleared on the proxy (sent as \"\"): LiteLLM keeps "+
		"an omitted one. The key `is_public` is the proxy's own and is rejected.")
	a.Describe(&g.ObjectPermission, "The MCP servers, MCP access groups, per-server tools, models and agents the "+
		"agent itself may use.")
	a.Describe(&g.StaticHeaders, "Headers sent on every call to the upstream agent (e.g. an `Authorization` "+
		"header). Secret and write-only: never read back, never compared.")
	a.Describe(&g.ExtraHeaders, "Names of client request headers forwarded to the upstream agent.")
	a.Describe(&g.AccessGroupIds, "IDs of the unified access groups the agent belongs to.")
	a.Describe(&g.TpmLimit, "Tokens per minute for the agent.")
	a.Describe(&g.RpmLimit, "Requests per minute for the agent.")
	a.Describe(&g.SessionTpmLimit, "Tokens per minute per session.")
	a.Describe(&g.SessionRpmLimit, "Requests per minute per session.")
	a.Describe(&g.AdoptExisting, "If an agent with this name already exists and was not created by this resource "+
		"(or its settings differ), take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the card.
func (c *AgentCard) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&c.Name, "The agent's display name, shown to A2A clients.")
	a.Describe(&c.URL, "The upstream agent's URL, which the proxy calls (clients see the proxy's URL instead).")
	a.Describe(&c.Description, "What the agent does.")
	a.Describe(&c.Version, "The agent's version. Unset: the proxy uses `1.0.0`.")
	a.Describe(&c.ProtocolVersion, "The A2A protocol version the proxy serves: `0.3` or `1.0` (the default).")
	a.Describe(&c.DefaultInputModes, "Input media types, e.g. `text`. Unset: `text`.")
	a.Describe(&c.DefaultOutputModes, "Output media types. Unset: `text`.")
	a.Describe(&c.PreferredTransport, "The preferred transport, e.g. `JSONRPC`.")
	a.Describe(&c.IconURL, "URL of the agent's icon.")
	a.Describe(&c.DocumentationURL, "URL of the agent's documentation.")
	a.Describe(&c.Capabilities, "The agent's capabilities. The proxy keeps only `streaming` (when true); the others "+
		"are kept in the program but not stored.")
	a.Describe(&c.Provider, "The organisation behind the agent. Unset: the proxy names itself.")
	a.Describe(&c.Skills, "The agent's skills. Unset: one `chat` skill.")
}

// Annotate documents the capabilities.
func (c *AgentCapabilities) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&c.Streaming, "The agent streams its answers.")
	a.Describe(&c.PushNotifications, "The agent sends push notifications (not served by the proxy).")
	a.Describe(&c.StateTransitionHistory, "The agent reports its state transitions (not served by the proxy).")
}

// Annotate documents the provider.
func (p *AgentProvider) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&p.Organization, "The organisation's name.")
	a.Describe(&p.URL, "The organisation's URL.")
}

// Annotate documents a skill.
func (s *AgentSkill) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&s.ID, "The skill's ID.")
	a.Describe(&s.Name, "The skill's name.")
	a.Describe(&s.Description, "What the skill does.")
	a.Describe(&s.Tags, "Keywords.")
	a.Describe(&s.Examples, "Example prompts.")
	a.Describe(&s.InputModes, "Input media types of this skill.")
	a.Describe(&s.OutputModes, "Output media types of this skill.")
}

// Annotate documents the permissions.
func (o *AgentObjectPermission) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&o.McpServers, "IDs of the MCP servers the agent may use.")
	a.Describe(&o.McpAccessGroups, "MCP access groups the agent may use.")
	a.Describe(&o.McpToolPermissions, "Per MCP server ID, the tools the agent may call.")
	a.Describe(&o.Models, "Models the agent may call.")
	a.Describe(&o.Agents, "Other agents the agent may call.")
}

// Annotate documents the outputs.
func (g *AgentState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &g.Writes)
	a.Describe(&g.AgentID, "The ID the proxy chose for the agent (its A2A endpoint is `/a2a/<agentId>`).")
	a.Describe(&g.CreatedAt, "When the agent was created, as the proxy reported it at the last refresh or import.")
	a.Describe(&g.UpdatedAt, "When the agent was last changed, as the proxy reported it at the last refresh or import.")
}

// ---- the kind's rules ----

var agentArgsType = reflect.TypeFor[AgentArgs]()

// agentCardServerFilled: card keys the proxy writes itself on every create
// and update (merge_agent_card): never inputs, never compared.
var agentCardServerFilled = []string{"supportedInterfaces", "securitySchemes", "security", "signatures",
	"supportsAuthenticatedExtendedCard"}

// agentWriteOnly: keys the provider never reads back (static_headers: the
// values are credentials; LiteLLM returns them to admins, but the provider
// neither adopts nor compares them).
func agentWriteOnly(k string) bool { return k == "static_headers" }

// agentLitellmParamsServerFilled: litellm_params keys the proxy adds to its
// answers (is_public, from the listing).
func agentLitellmParamsServerFilled(k string) bool { return k == "is_public" }

// agentProtocolVersions are the A2A versions LiteLLM serves
// (SUPPORTED_A2A_PROTOCOL_VERSIONS); a semver form would be stored
// normalized, so only these are accepted.
var agentProtocolVersions = []string{"0.3", "1.0"}

func (g AgentArgs) MarshalJSON() ([]byte, error)              { return marshalWire(g, nil) }
func (g *AgentArgs) UnmarshalJSON(b []byte) error             { return unmarshalWire(b, g, nil) }
func (c AgentCard) MarshalJSON() ([]byte, error)              { return marshalWire(c, nil) }
func (c *AgentCard) UnmarshalJSON(b []byte) error             { return unmarshalWire(b, c, nil) }
func (c AgentCapabilities) MarshalJSON() ([]byte, error)      { return marshalWire(c, nil) }
func (c *AgentCapabilities) UnmarshalJSON(b []byte) error     { return unmarshalWire(b, c, nil) }
func (p AgentProvider) MarshalJSON() ([]byte, error)          { return marshalWire(p, nil) }
func (p *AgentProvider) UnmarshalJSON(b []byte) error         { return unmarshalWire(b, p, nil) }
func (s AgentSkill) MarshalJSON() ([]byte, error)             { return marshalWire(s, nil) }
func (s *AgentSkill) UnmarshalJSON(b []byte) error            { return unmarshalWire(b, s, nil) }
func (o AgentObjectPermission) MarshalJSON() ([]byte, error)  { return marshalWire(o, nil) }
func (o *AgentObjectPermission) UnmarshalJSON(b []byte) error { return unmarshalWire(b, o, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Agent) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[AgentArgs], error) {
	in, failures := decodeInputs[AgentArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[AgentArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("agentName", in.AgentName)
	if c := in.AgentCard; c != nil {
		v.require("agentCard.name", c.Name)
		v.httpURL("agentCard.url", c.URL, false)
		v.oneOf("agentCard.protocolVersion", c.ProtocolVersion, agentProtocolVersions)
		if c.Provider != nil {
			v.require("agentCard.provider.organization", c.Provider.Organization)
			v.httpURL("agentCard.provider.url", c.Provider.URL, false)
		}
		seen := map[string]bool{}
		for i, s := range c.Skills {
			v.require(fmt.Sprintf("agentCard.skills[%d].id", i), s.ID)
			v.require(fmt.Sprintf("agentCard.skills[%d].name", i), s.Name)
			if seen[s.ID] && s.ID != "" {
				v.fail(fmt.Sprintf("agentCard.skills[%d].id", i), "must be unique, got %q twice", s.ID)
			}
			seen[s.ID] = true
		}
	}
	for k := range in.LitellmParams {
		if agentLitellmParamsServerFilled(k) {
			v.fail("litellmParams", "key %q is set by the proxy itself (public agent groups); it cannot be set here", k)
		}
	}
	v.nonNegativeInt("tpmLimit", in.TpmLimit)
	v.nonNegativeInt("rpmLimit", in.RpmLimit)
	v.nonNegativeInt("sessionTpmLimit", in.SessionTpmLimit)
	v.nonNegativeInt("sessionRpmLimit", in.SessionRpmLimit)
	for name := range in.StaticHeaders {
		if strings.TrimSpace(name) == "" || strings.ContainsAny(name, " :\r\n") {
			v.fail("staticHeaders", "header names must be non-empty, without spaces or ':'")
		}
	}
	return infer.CheckResponse[AgentArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place (the name included).
func (Agent) Diff(_ context.Context, req infer.DiffRequest[AgentArgs, AgentState]) (infer.DiffResponse, error) {
	olds, news := req.State.AgentArgs, req.Inputs
	d := newDiffer()
	d.merged("", agentArgsType, agentObject(olds), agentObject(news), func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create sends the create; the proxy chooses the ID (runCreateGenerated).
func (Agent) Create(ctx context.Context, req infer.CreateRequest[AgentArgs]) (infer.CreateResponse[AgentState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[AgentState]{Output: AgentState{AgentArgs: in}}, nil
	}
	e := getEnv(ctx)
	id, out, err := runCreateGenerated(ctx, e, agentCreateOp(e, in))
	return created(id, agentState(id, in, stamp(e, out, err), nil), out, err)
}

// Read refreshes the agent (or imports it). A read may come from a worker
// that has not reloaded since our last write (runRead waits for it).
func (Agent) Read(ctx context.Context, req infer.ReadRequest[AgentArgs, AgentState]) (infer.ReadResponse[AgentArgs, AgentState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.AgentArgs, func(a AgentArgs) bool { return a.AgentName == "" })
	id := generatedObjectID(req.ID, req.State.AgentID)
	ag, found, err := runRead(ctx, e, readOp[litellm.Agent]{
		target:    agentTarget(e, id),
		id:        e.identity(),
		matches:   func(ag litellm.Agent) bool { return agentMatches(ag, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[AgentArgs, AgentState]{}, err
	}
	in, left, err := agentArgsFromServer(ag, prior, importing)
	if err != nil {
		return infer.ReadResponse[AgentArgs, AgentState]{}, fmt.Errorf("agent %s: unexpected answer: %w", id, err)
	}
	if importing {
		reportImport(ctx, e, "agent "+id, left, nil)
	}
	return infer.ReadResponse[AgentArgs, AgentState]{ID: id, Inputs: in, State: agentState(id, in, req.State.Writes, ag)}, nil
}

// Update writes the configured fields in place (creating the agent again,
// under a new ID, if it is gone).
func (Agent) Update(ctx context.Context, req infer.UpdateRequest[AgentArgs, AgentState]) (infer.UpdateResponse[AgentState], error) {
	in := req.Inputs
	id := generatedObjectID(req.ID, req.State.AgentID)
	state := agentState(id, in, req.State.Writes, nil)
	state.CreatedAt, state.UpdatedAt = req.State.CreatedAt, req.State.UpdatedAt
	if req.DryRun || (!deref(req.State.CreatePending) && sameJSON(agentObject(req.State.AgentArgs), agentObject(in))) {
		return infer.UpdateResponse[AgentState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	body := agentPatch(req.State.AgentArgs, in)
	newID, out, err := runUpdateGenerated(ctx, e, generatedUpdate[litellm.Agent]{
		objectID:  id,
		writtenAt: req.State.writtenAt(),
		patch: func(ctx context.Context) error {
			return e.client.Agents.Update(ctx, id, body, agentSecrets(in))
		},
		recreate: agentCreateOp(e, in),
	})
	if newID != "" && newID != id {
		state = agentState(newID, in, state.Writes, nil)
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the agent; one that is already gone is fine. The delete's
// answer comes from the database: workers that still serve the agent from
// their registry drop it at their next reload.
func (Agent) Delete(ctx context.Context, req infer.DeleteRequest[AgentState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := generatedObjectID(req.ID, req.State.AgentID)
	err := runDelete(ctx, e, deleteOp[litellm.Agent]{
		target:    agentTarget(e, id),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Agents.Delete(ctx, id) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// agentTarget: an agent carries no mark.
func agentTarget(e env, id string) target[litellm.Agent] {
	return target[litellm.Agent]{
		kind:     "agent",
		objectID: id,
		what:     "agent " + id,
		get:      func(ctx context.Context) (litellm.Agent, error) { return e.client.Agents.Get(ctx, id) },
		markOf:   func(litellm.Agent) (mark, bool) { return mark{}, false },
	}
}

// agentCreateOp: the agent is found by its unique name in the answering
// worker's registry (not authoritative: a worker that has not reloaded may
// lack it); one that shows exactly the configured fields is this resource's.
func agentCreateOp(e env, in AgentArgs) generatedOp[litellm.Agent] {
	body := litellm.Agent(agentObject(in))
	secrets := agentSecrets(in)
	named := func(ag litellm.Agent) bool { return ag["agent_name"] == in.AgentName }
	return generatedOp[litellm.Agent]{
		kind:   "agent",
		what:   fmt.Sprintf("agent %q", in.AgentName),
		create: func(ctx context.Context) (string, error) { return e.client.Agents.Create(ctx, body, secrets) },
		find: func(ctx context.Context) ([]litellm.Agent, error) {
			rows, err := e.client.Agents.List(ctx)
			return keepRows(rows, named), err
		},
		idOf:  func(ag litellm.Agent) string { return fmt.Sprint(ag["agent_id"]) },
		ours:  func(ag litellm.Agent) bool { return named(ag) && exactly(agentFromServer(ag), agentObject(in)) },
		taken: named,
		adopt: func(ctx context.Context, ag litellm.Agent) error {
			return e.client.Agents.Update(ctx, fmt.Sprint(ag["agent_id"]), agentPatch(AgentArgs{}, in), secrets)
		},
		matches:       func(ag litellm.Agent) bool { return agentMatches(ag, in) },
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Agent <name> <its id>), choose another "+
			"agentName, or set adoptExisting: true (the name is %q)", in.AgentName),
	}
}

func agentState(id string, in AgentArgs, w Writes, server litellm.Agent) AgentState {
	s := AgentState{AgentArgs: in, Writes: w, AgentID: id}
	if at, ok := server["created_at"].(string); ok && at != "" {
		s.CreatedAt = &at
	}
	if at, ok := server["updated_at"].(string); ok && at != "" {
		s.UpdatedAt = &at
	}
	return s
}

// agentObject is the agent as configured, in LiteLLM's JSON (empty lists
// and maps left out: null and empty are alike).
func agentObject(in AgentArgs) object { return withoutEmptyDefaults(objectOf(in)) }

// agentSecrets are the request's secret values: litellm_params values under
// keys that look secret, and every static header value.
func agentSecrets(in AgentArgs) []string {
	var out []string
	var walk func(k string, v any, secret bool)
	walk = func(k string, v any, secret bool) {
		secret = secret || litellm.SecretLooking(k)
		switch x := v.(type) {
		case string:
			if secret && x != "" {
				out = append(out, x)
			}
		case map[string]any:
			for kk, vv := range x {
				walk(kk, vv, secret)
			}
		case []any:
			for _, vv := range x {
				walk(k, vv, secret)
			}
		}
	}
	for k, v := range asObject(normalized(in.LitellmParams)) {
		walk(k, v, false)
	}
	for _, v := range in.StaticHeaders {
		out = append(out, v)
	}
	return out
}

// agentPatch is the PATCH body: every configured field (the card whole,
// which LiteLLM replaces), and for the removed ones: null for rate limits,
// [] for lists, {} for static headers, empty permission lists; a credential
// removed from litellm_params is sent as "" (LiteLLM keeps an omitted one).
func agentPatch(olds, news AgentArgs) litellm.Agent {
	body := litellm.Agent(agentObject(news))
	oldObj := agentObject(olds)
	for _, k := range removedKeys(oldObj, objectOf(body)) {
		switch k {
		case "static_headers", "litellm_params":
			body[k] = map[string]any{}
		case "object_permission":
			body[k] = map[string]any{"mcp_servers": []any{}, "mcp_access_groups": []any{}, "models": []any{},
				"agents": []any{}, "mcp_tool_permissions": map[string]any{}}
		case "agent_card_params", "agent_name":
			// The card cannot be removed (an empty card is not written).
		default:
			if _, list := oldObj[k].([]any); list {
				body[k] = []any{}
			} else {
				body[k] = nil
			}
		}
	}
	oldParams := asObject(oldObj["litellm_params"])
	newParams := asObject(body["litellm_params"])
	for _, k := range removedKeys(oldParams, newParams) {
		if litellm.SecretLooking(k) {
			newParams[k] = ""
		}
	}
	if len(oldParams) > 0 || len(newParams) > 0 {
		body["litellm_params"] = newParams
	}
	return body
}

// agentFromServer is the agent as the inputs see it: the typed fields only,
// the card without what the proxy merges in, litellm_params without
// is_public, no static headers.
func agentFromServer(ag litellm.Agent) object {
	obj, _ := typedOnly(map[string]any(ag), agentArgsType).(map[string]any)
	delete(obj, "static_headers")
	if card, ok := obj["agent_card_params"].(map[string]any); ok {
		for _, k := range agentCardServerFilled {
			delete(card, k)
		}
	}
	if params, ok := obj["litellm_params"].(map[string]any); ok {
		for k := range params {
			if agentLitellmParamsServerFilled(k) {
				delete(params, k)
			}
		}
	}
	return obj
}

// typedOnly keeps, at every level of a decoded JSON value, only the keys
// the Go type t maps (free-form maps are kept whole).
func typedOnly(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		fs := fieldsOf(t)
		out := map[string]any{}
		for k, x := range m {
			if f, ok := fs.byKey[k]; ok {
				out[k] = typedOnly(x, f.typ)
			}
		}
		return out
	case reflect.Slice:
		l, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = typedOnly(x, t.Elem())
		}
		return out
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := map[string]any{}
		for k, x := range m {
			out[k] = typedOnly(x, t.Elem())
		}
		return out
	}
	return v
}

// withoutCardDefaults drops from a stored card the values LiteLLM's merge
// fills in for unset fields (merge_agent_card: version 1.0.0, protocol 1.0,
// text modes, a chat skill, the proxy as provider, no capabilities): an
// import leaves them out, as a program that never set them has them.
func withoutCardDefaults(card map[string]any) map[string]any {
	defaults := map[string]any{
		"version":            "1.0.0",
		"protocolVersion":    "1.0",
		"defaultInputModes":  []any{"text"},
		"defaultOutputModes": []any{"text"},
		"skills": []any{map[string]any{"id": "chat", "name": "Chat",
			"description": "Conversational interaction with the agent.", "tags": []any{"chat"}}},
	}
	out := map[string]any{}
	for k, v := range card {
		if d, ok := defaults[k]; ok && sameJSON(v, d) {
			continue
		}
		if m, ok := v.(map[string]any); ok && len(m) == 0 {
			continue
		}
		if k == "provider" && asObject(v)["organization"] == "LiteLLM Proxy" {
			continue
		}
		out[k] = v
	}
	return out
}

// agentMatches: the server shows every configured field (credentials and
// static headers are not compared).
func agentMatches(ag litellm.Agent, in AgentArgs) bool {
	return shows(agentFromServer(ag), agentObject(in), agentWriteOnly)
}

// agentArgsFromServer rebuilds inputs: on refresh the fields the user owns
// (static headers and masked credentials kept as configured), on import
// every readable field except the masked ones (returned in left).
func agentArgsFromServer(ag litellm.Agent, prior AgentArgs, importing bool) (AgentArgs, []string, error) {
	server := agentFromServer(ag)
	var obj object
	var left []string
	if importing {
		params := asObject(server["litellm_params"])
		for _, k := range slices.Sorted(maps.Keys(params)) {
			if masked(k, params[k]) {
				left = append(left, "litellmParams."+k)
				delete(params, k)
			}
		}
		if len(params) > 0 {
			server["litellm_params"] = params
		} else {
			delete(server, "litellm_params")
		}
		if card, ok := server["agent_card_params"].(map[string]any); ok {
			server["agent_card_params"] = withoutCardDefaults(card)
		}
		obj, _ = adoptFields(server, nil)
		obj = withoutEmptyDefaults(obj)
		if o, ok := obj["object_permission"].(map[string]any); ok {
			if len(withoutEmptyDefaults(o)) == 0 {
				delete(obj, "object_permission")
			}
		}
	} else {
		obj = ownedFields(server, agentObject(prior), agentWriteOnly)
		if _, ok := obj["agent_name"]; !ok {
			obj["agent_name"] = server["agent_name"]
		}
	}
	var out AgentArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, nil, err
	}
	out.AdoptExisting = prior.AdoptExisting
	if !importing {
		out.StaticHeaders = prior.StaticHeaders
	}
	return out, left, nil
}
