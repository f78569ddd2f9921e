package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetMcpToolset reads one MCP toolset by ID or name (litellm:index:getMcpToolset).
type GetMcpToolset struct{}

// GetMcpToolsetArgs are getMcpToolset's inputs.
type GetMcpToolsetArgs struct {
	ToolsetID   *string `pulumi:"toolsetId,optional"`
	ToolsetName *string `pulumi:"toolsetName,optional"`
}

// McpToolsetResult is an MCP toolset as the functions return it.
type McpToolsetResult struct {
	ToolsetID   string           `pulumi:"toolsetId" litellm:"toolset_id"`
	ToolsetName string           `pulumi:"toolsetName" litellm:"toolset_name"`
	Description *string          `pulumi:"description,optional" litellm:"description,omitzero"`
	Tools       []McpToolsetTool `pulumi:"tools,optional" litellm:"tools,omitzero"`
	CreatedAt   *string          `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	CreatedBy   *string          `pulumi:"createdBy,optional" litellm:"created_by,omitzero"`
	UpdatedAt   *string          `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	UpdatedBy   *string          `pulumi:"updatedBy,optional" litellm:"updated_by,omitzero"`
}

// ListMcpToolsets lists the MCP toolsets (litellm:index:listMcpToolsets).
type ListMcpToolsets struct{}

// ListMcpToolsetsArgs filter listMcpToolsets.
type ListMcpToolsetsArgs struct {
	ServerID *string `pulumi:"serverId,optional"`
}

// ListMcpToolsetsResult is listMcpToolsets' output.
type ListMcpToolsetsResult struct {
	Toolsets []McpToolsetResult `pulumi:"toolsets"`
}

func (r McpToolsetResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *McpToolsetResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetMcpToolset) Annotate(a infer.Annotator) {
	a.SetToken("index", "getMcpToolset")
	if documenting() {
		a.Describe(f, "Reads an MCP toolset by `toolsetId` or by `toolsetName` (set one). Toolset reads come from "+
			"the proxy's database: a miss fails at once.")
	}
}

func (a *GetMcpToolsetArgs) Annotate(an infer.Annotator) {
	if !documenting() {
		return
	}
	an.Describe(&a.ToolsetID, "The toolset's ID, e.g. a McpToolset resource's `toolsetId`.")
	an.Describe(&a.ToolsetName, "The toolset's name (unique on the proxy).")
}

func (a *ListMcpToolsetsArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.ServerID, "Only the toolsets with a tool of this MCP server.")
	}
}

func (r *McpToolsetResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.ToolsetID, "The toolset's ID.")
	a.Describe(&r.ToolsetName, "The toolset's name.")
	a.Describe(&r.Description, "The toolset's description.")
	a.Describe(&r.Tools, "The toolset's tools (server ID and tool name), sorted.")
	a.Describe(&r.CreatedAt, "When the toolset was created.")
	a.Describe(&r.CreatedBy, "Who created the toolset.")
	a.Describe(&r.UpdatedAt, "When the toolset was last changed.")
	a.Describe(&r.UpdatedBy, "Who last changed the toolset.")
}

func (f *ListMcpToolsets) Annotate(a infer.Annotator) {
	a.SetToken("index", "listMcpToolsets")
	if documenting() {
		a.Describe(f, "Lists every MCP toolset of the proxy (from its database).")
	}
}

func (r *ListMcpToolsetsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Toolsets, "The toolsets, by name.")
	}
}

// Invoke reads the toolset.
func (GetMcpToolset) Invoke(ctx context.Context, req infer.FunctionRequest[GetMcpToolsetArgs]) (infer.FunctionResponse[McpToolsetResult], error) {
	e := getEnv(ctx)
	id, name := deref(req.Input.ToolsetID), deref(req.Input.ToolsetName)
	if (id == "") == (name == "") {
		return infer.FunctionResponse[McpToolsetResult]{}, fmt.Errorf("getMcpToolset: set exactly one of toolsetId and toolsetName")
	}
	t := mcpToolsetTarget(e, id)
	if name != "" {
		t = byUniqueName(t, fmt.Sprintf("MCP toolset %q", name), e.client.McpToolsets.List,
			func(ts litellm.McpToolset) bool { return ts["toolset_name"] == name })
	}
	ts, err := runGet(ctx, e, t, true)
	if err != nil {
		return infer.FunctionResponse[McpToolsetResult]{}, err
	}
	r, err := mcpToolsetResult(ts)
	return infer.FunctionResponse[McpToolsetResult]{Output: r}, err
}

// Invoke lists the toolsets.
func (ListMcpToolsets) Invoke(ctx context.Context, req infer.FunctionRequest[ListMcpToolsetsArgs]) (infer.FunctionResponse[ListMcpToolsetsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "MCP toolsets", e.client.McpToolsets.List, mcpToolsetResult,
		func(r McpToolsetResult) string { return r.ToolsetName })
	if server := deref(req.Input.ServerID); server != "" {
		rows = keepRows(rows, func(r McpToolsetResult) bool {
			for _, t := range r.Tools {
				if t.ServerID == server {
					return true
				}
			}
			return false
		})
	}
	return infer.FunctionResponse[ListMcpToolsetsResult]{Output: ListMcpToolsetsResult{Toolsets: rows}}, err
}

// mcpToolsetResult maps a toolset answer.
func mcpToolsetResult(ts litellm.McpToolset) (McpToolsetResult, error) {
	obj := mcpToolsetFromServer(ts)
	for _, k := range []string{"toolset_id", "created_at", "created_by", "updated_at", "updated_by"} {
		if v, ok := ts[k]; ok {
			obj[k] = v
		}
	}
	var r McpToolsetResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("toolset %v: unexpected answer: %w", ts["toolset_id"], err)
	}
	return r, nil
}
