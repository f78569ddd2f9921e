package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// McpServersService: MCP servers (docs/litellm/mcp-servers.md). A read by ID
// looks in the database first and then in the answering worker's registry;
// the listing is the answering worker's registry, which other workers
// refresh on their reload tick (or a pub/sub message).
type McpServersService struct{ c *Client }

var (
	// 201 with the row. A server_id that exists is a 400 "MCP Server with id
	// X already exists. Cannot create another."; a server_name or alias that
	// another server holds is a 400 "An MCP server with server_name 'X'
	// already exists (server_id=Y). …": not this ID's conflict, the name is
	// taken (KindInvalid, with a hint).
	mcpServerNew = endpoint{http.MethodPost, "/v1/mcp/server", []rule{
		{400, []string{"cannot create another"}, KindConflict, ""},
		{400, []string{"names and aliases must be unique"}, KindInvalid,
			"another MCP server already uses this serverName or alias (LiteLLM keeps them unique, case-insensitively): choose another"},
	}}
	// A miss is a 404 {"detail": {"error": "MCP Server with id X not found"}}.
	mcpServerGet = endpoint{http.MethodGet, "/v1/mcp/server/{server_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// 202 with the row. A miss is a 404 "MCP Server not found, passed
	// server_id=X".
	mcpServerUpdate = endpoint{http.MethodPut, "/v1/mcp/server", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
		{400, []string{"names and aliases must be unique"}, KindInvalid,
			"another MCP server already uses this serverName or alias (LiteLLM keeps them unique, case-insensitively): choose another"},
	}}
	// 202 with no body. A miss (or a repeat) is a 404.
	mcpServerDelete = endpoint{http.MethodDelete, "/v1/mcp/server/{server_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
	}}
	mcpServerList = endpoint{http.MethodGet, "/v1/mcp/server", nil}
)

// McpServer is an MCP server row as LiteLLM reads and writes it
// (LiteLLM_MCPServerTable): server_id, server_name, alias, url, transport,
// auth_type, mcp_info, ... Reads leave out the secret credentials.
type McpServer map[string]any

// Create sends POST /v1/mcp/server. The answer (the row) is discarded:
// state is built from the inputs and a read. secrets are the request's
// secret values (credentials, headers, env), never shown in an error.
func (s *McpServersService) Create(ctx context.Context, m McpServer, secrets []string) error {
	if m["server_id"] == nil || m["server_id"] == "" {
		return &Error{Kind: KindInvalid, Op: mcpServerNew.String(), Message: "empty server id"}
	}
	return s.c.do(ctx, request{ep: &mcpServerNew, body: m, secrets: secrets})
}

// Get reads GET /v1/mcp/server/{id}. LiteLLM also matches a server by
// name when no ID matches, so an answer for another server_id is a miss.
func (s *McpServersService) Get(ctx context.Context, id string) (McpServer, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: mcpServerGet.String(), Message: "empty server id"}
	}
	var out McpServer
	if err := s.c.do(ctx, request{ep: &mcpServerGet, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	if out == nil || fmt.Sprint(out["server_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: mcpServerGet.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no MCP server with id %q in the answer", id)}
	}
	return out, nil
}

// Update sends PUT /v1/mcp/server with server_id and the fields to write.
func (s *McpServersService) Update(ctx context.Context, id string, m McpServer, secrets []string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: mcpServerUpdate.String(), Message: "empty server id"}
	}
	body := McpServer{"server_id": id}
	for k, v := range m {
		if k != "server_id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &mcpServerUpdate, body: body, secrets: secrets})
}

// Delete sends DELETE /v1/mcp/server/{id}.
func (s *McpServersService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: mcpServerDelete.String(), Message: "empty server id"}
	}
	return s.c.do(ctx, request{ep: &mcpServerDelete, args: []string{id}})
}

// List reads GET /v1/mcp/server: the servers the answering worker's
// registry holds. Rows without a server_id are skipped.
func (s *McpServersService) List(ctx context.Context) ([]McpServer, error) {
	return listRows[McpServer](ctx, s.c, &mcpServerList, "server_id")
}
