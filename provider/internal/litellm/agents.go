package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// AgentsService: A2A agents (LiteLLM_AgentsTable, docs/litellm/agents.md).
// The ID (agent_id) is a uuid the proxy chooses; agent_name is unique.
// Reads come from the answering worker's in-memory agent registry (rebuilt
// from the database on each reload), a read by ID falling through to the
// database when that registry lacks the agent; the listing is the
// registry's only.
type AgentsService struct{ c *Client }

var (
	// 200 (not 201) with the agent. A name the answering worker's registry
	// holds is a 400 ("Agent with name X already exists"); one only the
	// database holds, the unique constraint's 409 ("Agent name or Entra
	// application is already registered").
	agentCreate = endpoint{http.MethodPost, "/v1/agents", []rule{
		{400, []string{"already exists"}, KindConflict, ""},
		{409, []string{"already registered"}, KindConflict, ""},
	}}
	agentList = endpoint{http.MethodGet, "/v1/agents", nil}
	// A miss is a 404 ("Agent with ID X not found").
	agentGet = endpoint{http.MethodGet, "/v1/agents/{agent_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
	}}
	// A partial update: fields left out keep their value; the card, when
	// sent, is replaced. A miss is a 404 (from the database).
	agentPatch = endpoint{http.MethodPatch, "/v1/agents/{agent_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
		{409, []string{"already registered"}, KindConflict, ""},
	}}
	// 200 {"message": "Agent X deleted successfully"}. A miss (or a repeat)
	// is a 404 ("Agent with ID X not found in DB.").
	agentDelete = endpoint{http.MethodDelete, "/v1/agents/{agent_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
	}}
)

// Agent is an agent as LiteLLM returns it (AgentResponse): agent_id,
// agent_name, litellm_params (credential values replaced by
// "REDACTED_BY_LITELM"), agent_card_params (the card as the proxy merged
// it), object_permission, rate limits, static_headers, extra_headers,
// access_group_ids, spend, created_at, ...
type Agent map[string]any

// Create sends POST /v1/agents and returns the ID the proxy chose. secrets
// are the request's secret values (credentials in litellm_params, header
// values).
func (s *AgentsService) Create(ctx context.Context, a Agent, secrets []string) (string, error) {
	if a["agent_name"] == nil || a["agent_name"] == "" {
		return "", &Error{Kind: KindInvalid, Op: agentCreate.String(), Message: "empty agent name"}
	}
	var out Agent
	if err := s.c.do(ctx, request{ep: &agentCreate, body: a, out: &out, secrets: secrets}); err != nil {
		return "", err
	}
	id, _ := out["agent_id"].(string)
	return id, nil
}

// Get reads GET /v1/agents/{id}.
func (s *AgentsService) Get(ctx context.Context, id string) (Agent, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: agentGet.String(), Message: "empty agent id"}
	}
	var out Agent
	if err := s.c.do(ctx, request{ep: &agentGet, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	if fmt.Sprint(out["agent_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: agentGet.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no agent with id %q in the answer", id)}
	}
	return out, nil
}

// List reads GET /v1/agents (the answering worker's registry). Rows
// without an agent_id are skipped.
func (s *AgentsService) List(ctx context.Context) ([]Agent, error) {
	var out []Agent
	if err := s.c.do(ctx, request{ep: &agentList, out: &out}); err != nil {
		return nil, err
	}
	rows := out[:0]
	for _, a := range out {
		if id, ok := a["agent_id"].(string); ok && id != "" {
			rows = append(rows, a)
		}
	}
	return rows, nil
}

// Update sends PATCH /v1/agents/{id} with the fields to write.
func (s *AgentsService) Update(ctx context.Context, id string, a Agent, secrets []string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: agentPatch.String(), Message: "empty agent id"}
	}
	return s.c.do(ctx, request{ep: &agentPatch, args: []string{id}, body: a, secrets: secrets})
}

// Delete sends DELETE /v1/agents/{id}.
func (s *AgentsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: agentDelete.String(), Message: "empty agent id"}
	}
	return s.c.do(ctx, request{ep: &agentDelete, args: []string{id}})
}
