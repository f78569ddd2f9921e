package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetSearchTool reads one search tool by ID or name (litellm:index:getSearchTool).
type GetSearchTool struct{}

// GetSearchToolArgs are getSearchTool's inputs: one of the two.
type GetSearchToolArgs struct {
	SearchToolID   *string `pulumi:"searchToolId,optional"`
	SearchToolName *string `pulumi:"searchToolName,optional"`
}

// SearchToolResult is a search tool as the functions return it: its
// fields without the API key (a function's outputs carry no secrets).
type SearchToolResult struct {
	SearchToolID      *string        `pulumi:"searchToolId,optional" litellm:"search_tool_id,omitzero"`
	SearchToolName    string         `pulumi:"searchToolName" litellm:"search_tool_name"`
	SearchProvider    *string        `pulumi:"searchProvider,optional" litellm:"-"`
	APIBase           *string        `pulumi:"apiBase,optional" litellm:"-"`
	HasAPIKey         bool           `pulumi:"hasApiKey" litellm:"-"`
	Timeout           *float64       `pulumi:"timeout,optional" litellm:"-"`
	MaxRetries        *int           `pulumi:"maxRetries,optional" litellm:"-"`
	InputCostPerQuery *float64       `pulumi:"inputCostPerQuery,optional" litellm:"-"`
	SearchToolInfo    map[string]any `pulumi:"searchToolInfo,optional" litellm:"-"`
	IsFromConfig      *bool          `pulumi:"isFromConfig,optional" litellm:"is_from_config,omitzero"`
	CreatedAt         *string        `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt         *string        `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	ManagedBy         *string        `pulumi:"managedBy,optional" litellm:"-"`
}

// ListSearchTools lists the search tools (litellm:index:listSearchTools).
type ListSearchTools struct{}

// ListSearchToolsArgs are listSearchTools' inputs (none).
type ListSearchToolsArgs struct{}

// ListSearchToolsResult is listSearchTools' output.
type ListSearchToolsResult struct {
	SearchTools []SearchToolResult `pulumi:"searchTools"`
}

func (r SearchToolResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *SearchToolResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetSearchTool) Annotate(a infer.Annotator) {
	a.SetToken("index", "getSearchTool")
	if documenting() {
		a.Describe(f, "Reads a search tool by ID or by name (set one of the two). Search tool reads come from the "+
			"proxy's database: a miss fails at once.")
	}
}

func (a *GetSearchToolArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.SearchToolID, "The tool's ID, e.g. a SearchTool resource's `searchToolId`.")
		an.Describe(&a.SearchToolName, "The tool's name (a tool of the proxy's config file is found by name only).")
	}
}

func (r *SearchToolResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.SearchToolID, "The tool's ID (none for a tool of the proxy's config file).")
	a.Describe(&r.SearchToolName, "The tool's name.")
	a.Describe(&r.SearchProvider, "The search provider.")
	a.Describe(&r.APIBase, "The provider's base URL.")
	a.Describe(&r.HasAPIKey, "Whether the tool has an API key (its value is never returned).")
	a.Describe(&r.Timeout, "Request timeout in seconds.")
	a.Describe(&r.MaxRetries, "Retries of a failed search.")
	a.Describe(&r.InputCostPerQuery, "Cost, in USD, recorded per search.")
	a.Describe(&r.SearchToolInfo, "Free-form information (the ownership mark and keys that look secret left out).")
	a.Describe(&r.IsFromConfig, "True for a tool of the proxy's config file (read-only).")
	a.Describe(&r.CreatedAt, "When the tool was created.")
	a.Describe(&r.UpdatedAt, "When the tool was last changed.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the tool, if one does.")
}

func (f *ListSearchTools) Annotate(a infer.Annotator) {
	a.SetToken("index", "listSearchTools")
	if documenting() {
		a.Describe(f, "Lists every search tool of the proxy: the database's and those of its config file.")
	}
}

func (r *ListSearchToolsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.SearchTools, "The tools, by name.")
	}
}

// Invoke reads the tool.
func (GetSearchTool) Invoke(ctx context.Context, req infer.FunctionRequest[GetSearchToolArgs]) (infer.FunctionResponse[SearchToolResult], error) {
	e := getEnv(ctx)
	id, name := deref(req.Input.SearchToolID), deref(req.Input.SearchToolName)
	if (id == "") == (name == "") {
		return infer.FunctionResponse[SearchToolResult]{}, errors.New("getSearchTool: set exactly one of searchToolId and searchToolName")
	}
	t := searchToolTarget(e, id)
	if name != "" {
		t.what = fmt.Sprintf("search tool %q", name)
		t.get = func(ctx context.Context) (litellm.SearchTool, error) {
			rows, err := e.client.SearchTools.List(ctx)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				if r["search_tool_name"] == name {
					return r, nil
				}
			}
			return nil, &litellm.Error{Kind: litellm.KindNotFound, Op: "GET /search_tools/list", Status: http.StatusOK,
				Message: fmt.Sprintf("no search tool named %q", name)}
		}
	}
	row, err := runGet(ctx, e, t, true)
	if err != nil {
		return infer.FunctionResponse[SearchToolResult]{}, err
	}
	r, err := searchToolResult(row)
	return infer.FunctionResponse[SearchToolResult]{Output: r}, err
}

// Invoke lists the tools.
func (ListSearchTools) Invoke(ctx context.Context, _ infer.FunctionRequest[ListSearchToolsArgs]) (infer.FunctionResponse[ListSearchToolsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "search tools", e.client.SearchTools.List, searchToolResult,
		func(r SearchToolResult) string { return r.SearchToolName })
	return infer.FunctionResponse[ListSearchToolsResult]{Output: ListSearchToolsResult{SearchTools: rows}}, err
}

// searchToolResult maps a tool: every field but the API key.
func searchToolResult(t litellm.SearchTool) (SearchToolResult, error) {
	obj := object{}
	for _, k := range []string{"search_tool_id", "search_tool_name", "is_from_config", "created_at", "updated_at"} {
		if v, ok := t[k]; ok && v != nil {
			obj[k] = v
		}
	}
	var r SearchToolResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("search tool %v: unexpected answer: %w", t["search_tool_name"], err)
	}
	var p SearchToolParams
	params := asObject(t["litellm_params"])
	r.HasAPIKey = params["api_key"] != nil && params["api_key"] != ""
	delete(params, "api_key")
	if err := decodeObject(params, &p); err != nil {
		return r, fmt.Errorf("search tool %v: unexpected answer: %w", t["search_tool_name"], err)
	}
	if p.SearchProvider != "" {
		r.SearchProvider = &p.SearchProvider
	}
	r.APIBase, r.Timeout, r.MaxRetries, r.InputCostPerQuery = p.APIBase, p.Timeout, p.MaxRetries, p.InputCostPerQuery
	info := asObject(t["search_tool_info"])
	r.ManagedBy = managedBy(info)
	if pub := publicMetadata(info); len(pub) > 0 {
		r.SearchToolInfo = pub
	}
	return r, nil
}
