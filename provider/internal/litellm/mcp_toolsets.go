package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// McpToolsetsService: MCP toolsets (LiteLLM_MCPToolsetTable,
// docs/litellm/mcp-toolsets.md): a named selection of {server_id,
// tool_name} pairs that keys and teams can be granted. The ID
// (toolset_id) is a uuid the proxy chooses; toolset_name is unique. Every
// read comes from the database (a read replica when the proxy has one).
type McpToolsetsService struct{ c *Client }

var (
	// 201 with the toolset. A name that exists is a 409 ({"detail":
	// {"error": "A toolset named 'X' already exists."}}).
	mcpToolsetCreate = endpoint{http.MethodPost, "/v1/mcp/toolset", []rule{
		{409, []string{"already exists"}, KindConflict, ""},
	}}
	// Every toolset, for a proxy admin (a database error is answered as []).
	mcpToolsetList = endpoint{http.MethodGet, "/v1/mcp/toolset", nil}
	// A miss is a 404 ("Toolset 'X' not found.").
	mcpToolsetGet = endpoint{http.MethodGet, "/v1/mcp/toolset/{toolset_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
	}}
	// toolset_id in the body; a partial update (absent keeps, null clears
	// the description; null toolset_name or tools is ignored, [] empties
	// tools). A miss is a 404; a rename onto a taken name a 409.
	mcpToolsetUpdate = endpoint{http.MethodPut, "/v1/mcp/toolset", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
		{409, []string{"already exists"}, KindConflict, ""},
	}}
	// 202 without a body. A miss (or a repeat) is a 404.
	mcpToolsetDelete = endpoint{http.MethodDelete, "/v1/mcp/toolset/{toolset_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
	}}
)

// McpToolset is a toolset as LiteLLM returns it (MCPToolset): toolset_id,
// toolset_name, description, tools ([{server_id, tool_name}]), created_at,
// created_by, updated_at, updated_by.
type McpToolset map[string]any

// Create sends POST /v1/mcp/toolset and returns the ID the proxy chose.
func (s *McpToolsetsService) Create(ctx context.Context, t McpToolset) (string, error) {
	if t["toolset_name"] == nil || t["toolset_name"] == "" {
		return "", &Error{Kind: KindInvalid, Op: mcpToolsetCreate.String(), Message: "empty toolset name"}
	}
	var out McpToolset
	if err := s.c.do(ctx, request{ep: &mcpToolsetCreate, body: t, out: &out}); err != nil {
		return "", err
	}
	id, _ := out["toolset_id"].(string)
	return id, nil
}

// Get reads GET /v1/mcp/toolset/{id}.
func (s *McpToolsetsService) Get(ctx context.Context, id string) (McpToolset, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: mcpToolsetGet.String(), Message: "empty toolset id"}
	}
	var out McpToolset
	if err := s.c.do(ctx, request{ep: &mcpToolsetGet, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	if fmt.Sprint(out["toolset_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: mcpToolsetGet.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no toolset with id %q in the answer", id)}
	}
	return out, nil
}

// List reads GET /v1/mcp/toolset. Rows without a toolset_id are skipped.
func (s *McpToolsetsService) List(ctx context.Context) ([]McpToolset, error) {
	var out []McpToolset
	if err := s.c.do(ctx, request{ep: &mcpToolsetList, out: &out}); err != nil {
		return nil, err
	}
	rows := out[:0]
	for _, t := range out {
		if id, ok := t["toolset_id"].(string); ok && id != "" {
			rows = append(rows, t)
		}
	}
	return rows, nil
}

// Update sends PUT /v1/mcp/toolset with toolset_id and the fields to write.
func (s *McpToolsetsService) Update(ctx context.Context, id string, t McpToolset) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: mcpToolsetUpdate.String(), Message: "empty toolset id"}
	}
	body := McpToolset{"toolset_id": id}
	for k, v := range t {
		if k != "toolset_id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &mcpToolsetUpdate, body: body})
}

// Delete sends DELETE /v1/mcp/toolset/{id}.
func (s *McpToolsetsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: mcpToolsetDelete.String(), Message: "empty toolset id"}
	}
	return s.c.do(ctx, request{ep: &mcpToolsetDelete, args: []string{id}})
}
