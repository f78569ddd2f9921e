package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// SearchToolsService: search tools, rows of LiteLLM_SearchToolsTable
// (search_tool_id, a unique search_tool_name, litellm_params with the
// provider's api_key stored encrypted, search_tool_info), read from the
// database (docs/litellm/search-tools.md).
type SearchToolsService struct{ c *Client }

// Every failure of the database write is re-raised as a 500 whose detail
// is str() of the exception: a search_tool_name that exists is Prisma's
// unique violation, "Error adding search tool to DB: Unique constraint
// failed on the fields: (`search_tool_name`)".
var searchToolNameTaken = rule{500, []string{"unique constraint failed"}, KindConflict, ""}

var (
	// The body is {"search_tool": {...}}; a search_tool_id in it is not
	// used (the table's default uuid is). The answer echoes the request
	// with search_tool_id, created_at and updated_at.
	searchToolCreate = endpoint{http.MethodPost, "/search_tools", []rule{searchToolNameTaken}}
	// A miss is a 404 {"detail": "Search tool with ID X not found"}. The
	// answer masks the values of litellm_params under keys that look
	// secret (api_key) and adds is_from_config: false.
	searchToolGet = endpoint{http.MethodGet, "/search_tools/{search_tool_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// A replace of the name, litellm_params and search_tool_info with the
	// ones sent ({"search_tool": {...}}). A miss is a 404.
	searchToolUpdate = endpoint{http.MethodPut, "/search_tools/{search_tool_id}", []rule{
		{404, nil, KindNotFound, ""},
		searchToolNameTaken,
	}}
	// A miss (or a repeat) is a 404.
	searchToolDelete = endpoint{http.MethodDelete, "/search_tools/{search_tool_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// {"search_tools": [...]}: the config file's tools whose name no
	// database row has (is_from_config true, no id), then the rows.
	searchToolList = endpoint{http.MethodGet, "/search_tools/list", nil}
)

// SearchTool is a search tool as LiteLLM reads and writes it.
type SearchTool map[string]any

// searchToolSecrets are the values of litellm_params under keys that look
// secret (the provider's api_key).
func searchToolSecrets(t SearchTool) []string {
	var out []string
	if params, ok := t["litellm_params"].(map[string]any); ok {
		for k, v := range params {
			if s, ok := v.(string); ok && s != "" && isSecretKey(k) {
				out = append(out, s)
			}
		}
	}
	return out
}

// Create sends POST /search_tools {"search_tool": t} and returns the ID
// the proxy chose.
func (s *SearchToolsService) Create(ctx context.Context, t SearchTool) (string, error) {
	var out SearchTool
	if err := s.c.do(ctx, request{ep: &searchToolCreate, body: map[string]any{"search_tool": t}, out: &out,
		secrets: searchToolSecrets(t)}); err != nil {
		return "", err
	}
	id, _ := out["search_tool_id"].(string)
	return id, nil
}

// Get reads GET /search_tools/{id}.
func (s *SearchToolsService) Get(ctx context.Context, id string) (SearchTool, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: searchToolGet.String(), Message: "empty search tool id"}
	}
	var out SearchTool
	if err := s.c.do(ctx, request{ep: &searchToolGet, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	if got, _ := out["search_tool_id"].(string); got != id {
		return nil, &Error{Kind: KindNotFound, Op: searchToolGet.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no search tool with id %q in the answer", id)}
	}
	return out, nil
}

// Update sends PUT /search_tools/{id} {"search_tool": t}: the whole tool.
func (s *SearchToolsService) Update(ctx context.Context, id string, t SearchTool) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: searchToolUpdate.String(), Message: "empty search tool id"}
	}
	return s.c.do(ctx, request{ep: &searchToolUpdate, args: []string{id}, body: map[string]any{"search_tool": t},
		secrets: searchToolSecrets(t)})
}

// Delete sends DELETE /search_tools/{id}.
func (s *SearchToolsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: searchToolDelete.String(), Message: "empty search tool id"}
	}
	return s.c.do(ctx, request{ep: &searchToolDelete, args: []string{id}})
}

// List reads GET /search_tools/list: the database's tools and the config
// file's (is_from_config true, without an id).
func (s *SearchToolsService) List(ctx context.Context) ([]SearchTool, error) {
	var out struct {
		SearchTools []SearchTool `json:"search_tools"`
	}
	if err := s.c.do(ctx, request{ep: &searchToolList, out: &out}); err != nil {
		return nil, err
	}
	rows := []SearchTool{}
	for _, t := range out.SearchTools {
		if name, ok := t["search_tool_name"].(string); ok && name != "" {
			rows = append(rows, t)
		}
	}
	return rows, nil
}
