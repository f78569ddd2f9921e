package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// AccessGroupsService: unified access groups (LiteLLM_AccessGroupTable,
// docs/litellm/unified-access-groups.md): a named set of models, MCP
// servers, agents and skills that teams and keys are attached to. The ID
// (access_group_id) is a uuid the database chooses; access_group_name is
// unique. Every read comes from the database.
type AccessGroupsService struct{ c *Client }

var (
	// 201 with the new row. A name that exists is a 409 ("Access group
	// 'X' already exists"), also when a concurrent create wins the unique
	// constraint; an unknown team in assigned_team_ids is a 400.
	accessGroupCreate = endpoint{http.MethodPost, "/v1/access_group", []rule{
		{409, []string{"already exists"}, KindConflict, ""},
	}}
	accessGroupList = endpoint{http.MethodGet, "/v1/access_group", nil}
	// A miss is a 404 ("Access group 'X' not found").
	accessGroupGet = endpoint{http.MethodGet, "/v1/access_group/{access_group_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
	}}
	// Writes the fields sent (exclude_unset); lists sent as null become [].
	// A miss is a 404; a rename onto a name that exists is a 409.
	accessGroupUpdate = endpoint{http.MethodPut, "/v1/access_group/{access_group_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
		{409, []string{"already exists"}, KindConflict, ""},
	}}
	// 204. A miss (or a repeat) is a 404, from the database.
	accessGroupDelete = endpoint{http.MethodDelete, "/v1/access_group/{access_group_id}", []rule{
		{404, []string{"not found"}, KindNotFound, ""},
	}}
)

// AccessGroup is an access group as LiteLLM returns it (AccessGroupResponse):
// access_group_id, access_group_name, description, access_model_names,
// access_mcp_server_ids, mcp_tool_permissions, access_agent_ids,
// access_skill_names, assigned_team_ids, assigned_key_ids, the resolved
// names of those (access_mcp_servers, ...), created_at, updated_at, ...
type AccessGroup map[string]any

// Create sends POST /v1/access_group and returns the ID the proxy chose.
func (s *AccessGroupsService) Create(ctx context.Context, g AccessGroup) (string, error) {
	if g["access_group_name"] == nil || g["access_group_name"] == "" {
		return "", &Error{Kind: KindInvalid, Op: accessGroupCreate.String(), Message: "empty access group name"}
	}
	var out AccessGroup
	if err := s.c.do(ctx, request{ep: &accessGroupCreate, body: g, out: &out}); err != nil {
		return "", err
	}
	id, _ := out["access_group_id"].(string)
	return id, nil
}

// Get reads GET /v1/access_group/{id}.
func (s *AccessGroupsService) Get(ctx context.Context, id string) (AccessGroup, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: accessGroupGet.String(), Message: "empty access group id"}
	}
	var out AccessGroup
	if err := s.c.do(ctx, request{ep: &accessGroupGet, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	if fmt.Sprint(out["access_group_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: accessGroupGet.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no access group with id %q in the answer", id)}
	}
	return out, nil
}

// List reads GET /v1/access_group (every group, newest first). Rows
// without an access_group_id are skipped.
func (s *AccessGroupsService) List(ctx context.Context) ([]AccessGroup, error) {
	var out []AccessGroup
	if err := s.c.do(ctx, request{ep: &accessGroupList, out: &out}); err != nil {
		return nil, err
	}
	rows := out[:0]
	for _, g := range out {
		if id, ok := g["access_group_id"].(string); ok && id != "" {
			rows = append(rows, g)
		}
	}
	return rows, nil
}

// Update sends PUT /v1/access_group/{id} with the fields to write.
func (s *AccessGroupsService) Update(ctx context.Context, id string, g AccessGroup) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: accessGroupUpdate.String(), Message: "empty access group id"}
	}
	return s.c.do(ctx, request{ep: &accessGroupUpdate, args: []string{id}, body: g})
}

// Delete sends DELETE /v1/access_group/{id}.
func (s *AccessGroupsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: accessGroupDelete.String(), Message: "empty access group id"}
	}
	return s.c.do(ctx, request{ep: &accessGroupDelete, args: []string{id}})
}
