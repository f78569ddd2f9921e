package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetAgent reads one agent by ID or name (litellm:index:getAgent).
type GetAgent struct{}

// GetAgentArgs are getAgent's inputs.
type GetAgentArgs struct {
	AgentID   *string `pulumi:"agentId,optional"`
	AgentName *string `pulumi:"agentName,optional"`
}

// AgentResult is an agent as the functions return it: the readable fields
// (no credential, no static header) and the proxy's runtime fields.
type AgentResult struct {
	AgentID          string                 `pulumi:"agentId" litellm:"agent_id"`
	AgentName        string                 `pulumi:"agentName" litellm:"agent_name"`
	AgentCard        *AgentCard             `pulumi:"agentCard,optional" litellm:"agent_card_params,omitzero"`
	LitellmParams    map[string]any         `pulumi:"litellmParams,optional" litellm:"litellm_params,omitzero"`
	ObjectPermission *AgentObjectPermission `pulumi:"objectPermission,optional" litellm:"object_permission,omitzero"`
	ExtraHeaders     []string               `pulumi:"extraHeaders,optional" litellm:"extra_headers,omitzero"`
	AccessGroupIds   []string               `pulumi:"accessGroupIds,optional" litellm:"access_group_ids,omitzero"`
	TpmLimit         *int                   `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit         *int                   `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	SessionTpmLimit  *int                   `pulumi:"sessionTpmLimit,optional" litellm:"session_tpm_limit,omitzero"`
	SessionRpmLimit  *int                   `pulumi:"sessionRpmLimit,optional" litellm:"session_rpm_limit,omitzero"`
	IsPublic         *bool                  `pulumi:"isPublic,optional" litellm:"-"`
	Spend            *float64               `pulumi:"spend,optional" litellm:"spend,omitzero"`
	CreatedAt        *string                `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	CreatedBy        *string                `pulumi:"createdBy,optional" litellm:"created_by,omitzero"`
	UpdatedAt        *string                `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	UpdatedBy        *string                `pulumi:"updatedBy,optional" litellm:"updated_by,omitzero"`
}

// ListAgents lists the agents (litellm:index:listAgents).
type ListAgents struct{}

// ListAgentsArgs are listAgents' inputs (none).
type ListAgentsArgs struct{}

// ListAgentsResult is listAgents' output.
type ListAgentsResult struct {
	Agents []AgentResult `pulumi:"agents"`
}

func (r AgentResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *AgentResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetAgent) Annotate(a infer.Annotator) {
	a.SetToken("index", "getAgent")
	if documenting() {
		a.Describe(f, "Reads an agent by `agentId` or by `agentName` (set one). A read by ID falls through to the "+
			"proxy's database when the answering worker's registry lacks the agent; a read by name uses the "+
			"worker's registry, so a miss is retried until the proxy's settle time has passed.")
	}
}

func (a *GetAgentArgs) Annotate(an infer.Annotator) {
	if !documenting() {
		return
	}
	an.Describe(&a.AgentID, "The agent's ID, e.g. an Agent resource's `agentId`.")
	an.Describe(&a.AgentName, "The agent's name (unique on the proxy).")
}

func (r *AgentResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.AgentID, "The agent's ID.")
	a.Describe(&r.AgentName, "The agent's name.")
	a.Describe(&r.AgentCard, "The agent card as the proxy stores it (without the proxy's interface and security scheme).")
	a.Describe(&r.LitellmParams, "LiteLLM parameters, without credentials (left out: the proxy redacts them).")
	a.Describe(&r.ObjectPermission, "What the agent may use.")
	a.Describe(&r.ExtraHeaders, "Forwarded client headers.")
	a.Describe(&r.AccessGroupIds, "Unified access groups of the agent.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.SessionTpmLimit, "Tokens per minute per session.")
	a.Describe(&r.SessionRpmLimit, "Requests per minute per session.")
	a.Describe(&r.IsPublic, "Whether the agent is in a public agent group (as the listing reports it).")
	a.Describe(&r.Spend, "The agent's spend so far, in USD.")
	a.Describe(&r.CreatedAt, "When the agent was created.")
	a.Describe(&r.CreatedBy, "Who created the agent.")
	a.Describe(&r.UpdatedAt, "When the agent was last changed.")
	a.Describe(&r.UpdatedBy, "Who last changed the agent.")
}

func (f *ListAgents) Annotate(a infer.Annotator) {
	a.SetToken("index", "listAgents")
	if documenting() {
		a.Describe(f, "Lists the agents of the proxy, as the answering worker's registry holds them: an agent "+
			"created in the last reload interval may be missing.")
	}
}

func (r *ListAgentsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Agents, "The agents, by name.")
	}
}

// Invoke reads the agent.
func (GetAgent) Invoke(ctx context.Context, req infer.FunctionRequest[GetAgentArgs]) (infer.FunctionResponse[AgentResult], error) {
	e := getEnv(ctx)
	id, name := deref(req.Input.AgentID), deref(req.Input.AgentName)
	if (id == "") == (name == "") {
		return infer.FunctionResponse[AgentResult]{}, fmt.Errorf("getAgent: set exactly one of agentId and agentName")
	}
	t := agentTarget(e, id)
	authoritative := true // a read by ID reaches the database
	if name != "" {
		t = byUniqueName(t, fmt.Sprintf("agent %q", name), e.client.Agents.List,
			func(ag litellm.Agent) bool { return ag["agent_name"] == name })
		authoritative = false // the listing is one worker's registry
	}
	ag, err := runGet(ctx, e, t, authoritative)
	if err != nil {
		return infer.FunctionResponse[AgentResult]{}, err
	}
	r, err := agentResult(ag)
	return infer.FunctionResponse[AgentResult]{Output: r}, err
}

// Invoke lists the agents.
func (ListAgents) Invoke(ctx context.Context, _ infer.FunctionRequest[ListAgentsArgs]) (infer.FunctionResponse[ListAgentsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "agents", e.client.Agents.List, agentResult, func(r AgentResult) string { return r.AgentName })
	return infer.FunctionResponse[ListAgentsResult]{Output: ListAgentsResult{Agents: rows}}, err
}

// agentResult maps an agent answer: no redacted credential, no header value.
func agentResult(ag litellm.Agent) (AgentResult, error) {
	obj := agentFromServer(ag)
	params := asObject(obj["litellm_params"])
	for k, v := range params {
		if masked(k, v) || litellm.SecretLooking(k) {
			delete(params, k)
		}
	}
	obj["litellm_params"] = params
	for _, k := range []string{"agent_id", "spend", "created_at", "created_by", "updated_at", "updated_by"} {
		if v, ok := ag[k]; ok {
			obj[k] = v
		}
	}
	var r AgentResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("agent %v: unexpected answer: %w", ag["agent_id"], err)
	}
	if b, ok := asObject(ag["litellm_params"])["is_public"].(bool); ok {
		r.IsPublic = &b
	}
	return r, nil
}
