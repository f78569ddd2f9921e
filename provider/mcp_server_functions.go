package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetMcpServer reads one MCP server by ID (litellm:index:getMcpServer).
type GetMcpServer struct{}

// GetMcpServerArgs are getMcpServer's inputs.
type GetMcpServerArgs struct {
	ServerID string `pulumi:"serverId"`
}

// McpServerResult is an MCP server as the functions return it: the readable
// fields (no credentials, headers or environment: they are secrets) and the
// proxy's runtime fields (health, times).
type McpServerResult struct {
	ServerID                  string         `pulumi:"serverId" litellm:"server_id"`
	ServerName                *string        `pulumi:"serverName,optional" litellm:"server_name,omitzero"`
	Alias                     *string        `pulumi:"alias,optional" litellm:"alias,omitzero"`
	Description               *string        `pulumi:"description,optional" litellm:"description,omitzero"`
	URL                       *string        `pulumi:"url,optional" litellm:"url,omitzero"`
	Transport                 *string        `pulumi:"transport,optional" litellm:"transport,omitzero"`
	AuthType                  *string        `pulumi:"authType,optional" litellm:"auth_type,omitzero"`
	ExtraHeaders              []string       `pulumi:"extraHeaders,optional" litellm:"extra_headers,omitzero"`
	McpAccessGroups           []string       `pulumi:"mcpAccessGroups,optional" litellm:"mcp_access_groups,omitzero"`
	AllowedTools              []string       `pulumi:"allowedTools,optional" litellm:"allowed_tools,omitzero"`
	Command                   *string        `pulumi:"command,optional" litellm:"command,omitzero"`
	Args                      []string       `pulumi:"args,optional" litellm:"args,omitzero"`
	AllowAllKeys              *bool          `pulumi:"allowAllKeys,optional" litellm:"allow_all_keys,omitzero"`
	AvailableOnPublicInternet *bool          `pulumi:"availableOnPublicInternet,optional" litellm:"available_on_public_internet,omitzero"`
	McpInfo                   map[string]any `pulumi:"mcpInfo,optional" litellm:"mcp_info,omitzero"`
	Status                    *string        `pulumi:"status,optional" litellm:"status,omitzero"`
	LastHealthCheck           *string        `pulumi:"lastHealthCheck,optional" litellm:"last_health_check,omitzero"`
	HealthCheckError          *string        `pulumi:"healthCheckError,optional" litellm:"health_check_error,omitzero"`
	CreatedAt                 *string        `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt                 *string        `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	ManagedBy                 *string        `pulumi:"managedBy,optional" litellm:"-"`
}

// ListMcpServers lists the MCP servers (litellm:index:listMcpServers).
type ListMcpServers struct{}

// ListMcpServersArgs are listMcpServers' inputs (none).
type ListMcpServersArgs struct{}

// ListMcpServersResult is listMcpServers' output.
type ListMcpServersResult struct {
	McpServers []McpServerResult `pulumi:"mcpServers"`
}

func (r McpServerResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *McpServerResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetMcpServer) Annotate(a infer.Annotator) {
	a.SetToken("index", "getMcpServer")
	if documenting() {
		a.Describe(f, "Reads an MCP server by ID, with its health as the proxy just checked it. The read is answered "+
			"from the proxy's database: a miss fails at once. Credentials, static headers and the environment are "+
			"never returned.")
	}
}

func (a *GetMcpServerArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.ServerID, "The server's ID, e.g. an McpServer resource's `serverId`.")
	}
}

func (r *McpServerResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.ServerID, "The server's ID.")
	a.Describe(&r.ServerName, "The server's name.")
	a.Describe(&r.Alias, "The tool prefix (LiteLLM derives it from the name when unset).")
	a.Describe(&r.Description, "Description.")
	a.Describe(&r.URL, "The server's URL.")
	a.Describe(&r.Transport, "`sse`, `http` or `stdio`.")
	a.Describe(&r.AuthType, "How the proxy authenticates to the server.")
	a.Describe(&r.ExtraHeaders, "Client headers forwarded to the server.")
	a.Describe(&r.McpAccessGroups, "MCP access groups.")
	a.Describe(&r.AllowedTools, "Tools that may be called (empty: all).")
	a.Describe(&r.Command, "Command of a stdio server.")
	a.Describe(&r.Args, "Arguments of the command.")
	a.Describe(&r.AllowAllKeys, "Whether every key may use the server.")
	a.Describe(&r.AvailableOnPublicInternet, "Whether public clients may reach it.")
	a.Describe(&r.McpInfo, "Display and cost information (the ownership mark and keys that look secret left out).")
	a.Describe(&r.Status, "Health: `healthy`, `unhealthy` or `unknown`.")
	a.Describe(&r.LastHealthCheck, "When the proxy last checked the server's health.")
	a.Describe(&r.HealthCheckError, "The last health check's error, if any.")
	a.Describe(&r.CreatedAt, "When the server was registered.")
	a.Describe(&r.UpdatedAt, "When it was last changed.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the server, if one does.")
}

func (f *ListMcpServers) Annotate(a infer.Annotator) {
	a.SetToken("index", "listMcpServers")
	if documenting() {
		a.Describe(f, "Lists the MCP servers the answering proxy worker serves (its registry, refreshed on its reload "+
			"interval: a server registered moments ago may be missing until then).")
	}
}

func (r *ListMcpServersResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.McpServers, "The servers, by ID.")
	}
}

// Invoke reads the server.
func (GetMcpServer) Invoke(ctx context.Context, req infer.FunctionRequest[GetMcpServerArgs]) (infer.FunctionResponse[McpServerResult], error) {
	e := getEnv(ctx)
	s, err := runGet(ctx, e, mcpServerTarget(e, req.Input.ServerID), true)
	if err != nil {
		return infer.FunctionResponse[McpServerResult]{}, err
	}
	r, err := mcpServerResult(s)
	return infer.FunctionResponse[McpServerResult]{Output: r}, err
}

// Invoke lists the servers.
func (ListMcpServers) Invoke(ctx context.Context, _ infer.FunctionRequest[ListMcpServersArgs]) (infer.FunctionResponse[ListMcpServersResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "MCP servers", e.client.McpServers.List, mcpServerResult, func(r McpServerResult) string { return r.ServerID })
	return infer.FunctionResponse[ListMcpServersResult]{Output: ListMcpServersResult{McpServers: rows}}, err
}

// mcpServerResult maps a server row: the readable fields without secrets,
// and the runtime fields the resource leaves out.
func mcpServerResult(s litellm.McpServer) (McpServerResult, error) {
	obj := object{}
	fs := fieldsOf(mcpServerArgsType)
	for k, v := range s {
		if f, ok := fs.byKey[k]; ok && !f.secret {
			obj[k] = v
		}
	}
	for _, k := range []string{"server_id", "status", "last_health_check", "health_check_error", "created_at", "updated_at"} {
		if v, ok := s[k]; ok {
			obj[k] = v
		}
	}
	var r McpServerResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("MCP server %v: unexpected answer: %w", s["server_id"], err)
	}
	info := publicMetadata(asObject(s["mcp_info"]))
	if len(info) > 0 {
		r.McpInfo = info
	} else {
		r.McpInfo = nil
	}
	r.ManagedBy = managedBy(asObject(s["mcp_info"]))
	return r, nil
}
