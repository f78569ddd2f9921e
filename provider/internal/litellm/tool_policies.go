package litellm

import (
	"context"
	"net/http"
)

// ToolPoliciesService: the input and output policies of the tools in the
// proxy's tool registry, rows of LiteLLM_ToolTable (a unique tool_name;
// the proxy adds a row for every tool it sees called), read from the
// database (docs/litellm/tool-policies.md).
type ToolPoliciesService struct{ c *Client }

var (
	// Sets input_policy and/or output_policy of a tool: an upsert by
	// tool_name (a tool never seen is added, with "untrusted" for a policy
	// not sent). Neither policy: 400. The answer is {tool_name,
	// input_policy, output_policy, updated}.
	toolPolicySet = endpoint{http.MethodPost, "/v1/tool/policy", nil}
	// One tool row; a miss: 404 {"detail": "Tool 'X' not found"}.
	toolGet = endpoint{http.MethodGet, "/v1/tool/{tool_name}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// {"tools": [...], "total"}: every tool, newest first.
	toolList = endpoint{http.MethodGet, "/v1/tool/list", nil}
)

// Tool is a tool row as LiteLLM reads it: tool_id, tool_name, origin,
// input_policy, output_policy, call_count, created_at, ...
type Tool map[string]any

// Set sends POST /v1/tool/policy {tool_name, input_policy?,
// output_policy?} (the global policy; no team or key override).
func (s *ToolPoliciesService) Set(ctx context.Context, name string, inputPolicy, outputPolicy string) error {
	if name == "" {
		return &Error{Kind: KindInvalid, Op: toolPolicySet.String(), Message: "empty tool name"}
	}
	body := map[string]any{"tool_name": name}
	if inputPolicy != "" {
		body["input_policy"] = inputPolicy
	}
	if outputPolicy != "" {
		body["output_policy"] = outputPolicy
	}
	return s.c.do(ctx, request{ep: &toolPolicySet, body: body})
}

// Get reads GET /v1/tool/{name}.
func (s *ToolPoliciesService) Get(ctx context.Context, name string) (Tool, error) {
	if name == "" {
		return nil, &Error{Kind: KindInvalid, Op: toolGet.String(), Message: "empty tool name"}
	}
	var out Tool
	if err := s.c.do(ctx, request{ep: &toolGet, args: []string{name}, out: &out}); err != nil {
		return nil, err
	}
	if out["tool_name"] != name {
		return nil, &Error{Kind: KindNotFound, Op: toolGet.String(), Status: http.StatusOK, Message: "no tool named " + name + " in the answer"}
	}
	return out, nil
}

// List reads GET /v1/tool/list.
func (s *ToolPoliciesService) List(ctx context.Context) ([]Tool, error) {
	var out struct {
		Tools []Tool `json:"tools"`
	}
	if err := s.c.do(ctx, request{ep: &toolList, out: &out}); err != nil {
		return nil, err
	}
	rows := []Tool{}
	for _, t := range out.Tools {
		if name, ok := t["tool_name"].(string); ok && name != "" {
			rows = append(rows, t)
		}
	}
	return rows, nil
}
