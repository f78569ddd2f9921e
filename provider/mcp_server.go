package provider

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// McpServer is an MCP server registered on a LiteLLM proxy (`/v1/mcp/server`),
// token litellm:index:McpServer.
type McpServer struct{}

// McpServerArgs are the inputs of an McpServer.
type McpServerArgs struct {
	ServerID                  *string           `pulumi:"serverId,optional" litellm:"-"`
	ServerName                string            `pulumi:"serverName" litellm:"server_name,omitzero"`
	Alias                     *string           `pulumi:"alias,optional" litellm:"alias,omitzero"`
	Description               *string           `pulumi:"description,optional" litellm:"description,omitzero"`
	URL                       *string           `pulumi:"url,optional" litellm:"url,omitzero"`
	Transport                 *string           `pulumi:"transport,optional" litellm:"transport,omitzero"`
	AuthType                  *string           `pulumi:"authType,optional" litellm:"auth_type,omitzero"`
	Credentials               map[string]any    `pulumi:"credentials,optional" provider:"secret" litellm:"credentials,omitzero"`
	StaticHeaders             map[string]string `pulumi:"staticHeaders,optional" provider:"secret" litellm:"static_headers,omitzero"`
	ExtraHeaders              []string          `pulumi:"extraHeaders,optional" litellm:"extra_headers,omitzero"`
	McpAccessGroups           []string          `pulumi:"mcpAccessGroups,optional" litellm:"mcp_access_groups,omitzero"`
	AllowedTools              []string          `pulumi:"allowedTools,optional" litellm:"allowed_tools,omitzero"`
	Command                   *string           `pulumi:"command,optional" litellm:"command,omitzero"`
	Args                      []string          `pulumi:"args,optional" litellm:"args,omitzero"`
	Env                       map[string]string `pulumi:"env,optional" provider:"secret" litellm:"env,omitzero"`
	AuthorizationURL          *string           `pulumi:"authorizationUrl,optional" litellm:"authorization_url,omitzero"`
	TokenURL                  *string           `pulumi:"tokenUrl,optional" litellm:"token_url,omitzero"`
	RegistrationURL           *string           `pulumi:"registrationUrl,optional" litellm:"registration_url,omitzero"`
	AllowAllKeys              *bool             `pulumi:"allowAllKeys,optional" litellm:"allow_all_keys,omitzero"`
	AvailableOnPublicInternet *bool             `pulumi:"availableOnPublicInternet,optional" litellm:"available_on_public_internet,omitzero"`
	Instructions              *string           `pulumi:"instructions,optional" litellm:"instructions,omitzero"`
	McpInfo                   *McpServerInfo    `pulumi:"mcpInfo,optional" litellm:"mcp_info,omitzero"`
	AdoptExisting             *bool             `pulumi:"adoptExisting,optional" litellm:"-"`
}

// McpServerInfo is the server's `mcp_info`: display fields, costs and any
// other key (LiteLLM keeps it as free-form JSON).
type McpServerInfo struct {
	ServerName  *string            `pulumi:"serverName,optional" litellm:"server_name,omitzero"`
	Description *string            `pulumi:"description,optional" litellm:"description,omitzero"`
	LogoURL     *string            `pulumi:"logoUrl,optional" litellm:"logo_url,omitzero"`
	CostInfo    *McpServerCostInfo `pulumi:"mcpServerCostInfo,optional" litellm:"mcp_server_cost_info,omitzero"`
	Extra       map[string]any     `pulumi:"extra,optional" litellm:"-"`
}

// McpServerCostInfo is what a tool call of the server costs.
type McpServerCostInfo struct {
	DefaultCostPerQuery    *float64           `pulumi:"defaultCostPerQuery,optional" litellm:"default_cost_per_query,omitzero"`
	ToolNameToCostPerQuery map[string]float64 `pulumi:"toolNameToCostPerQuery,optional" litellm:"tool_name_to_cost_per_query,omitzero"`
}

// McpServerState is the recorded state of an McpServer.
type McpServerState struct {
	McpServerArgs
	// ServerID shadows the input: as an output it is always set.
	ServerID string `pulumi:"serverId"`
	Writes
}

var (
	_ infer.CustomResource[McpServerArgs, McpServerState] = (*McpServer)(nil)
	_ infer.CustomCheck[McpServerArgs]                    = (*McpServer)(nil)
	_ infer.CustomDiff[McpServerArgs, McpServerState]     = (*McpServer)(nil)
	_ infer.CustomRead[McpServerArgs, McpServerState]     = (*McpServer)(nil)
	_ infer.CustomUpdate[McpServerArgs, McpServerState]   = (*McpServer)(nil)
	_ infer.CustomDelete[McpServerState]                  = (*McpServer)(nil)
	_ infer.Annotated                                     = (*McpServer)(nil)
)

func mcpServerKind() kind {
	return kind{
		token:    "litellm:index:McpServer",
		resource: infer.Resource(&McpServer{}),
		check:    typedCheck(McpServer{}.Check),
		diff:     typedDiff(McpServer{}.Diff),
		read:     typedRead(McpServer{}.Read),
		freeForm: []string{"credentials", "mcpInfo.extra"},
		state:    reflect.TypeFor[McpServerState](),
	}
}

// Annotate documents the resource.
func (m *McpServer) Annotate(a infer.Annotator) {
	a.SetToken("index", "McpServer")
	if !documenting() {
		return
	}
	a.Describe(m, "An MCP server registered on a LiteLLM proxy (`POST /v1/mcp/server`), whose tools the proxy offers "+
		"to keys and teams. The server ID is chosen by the provider (derived from the stack and the resource, so that "+
		"an interrupted create is found again) unless `serverId` pins it. Every server carries an ownership mark "+
		"(`mcpInfo.pulumi`): one made by someone else is never taken over without `adoptExisting`.\n\n"+
		"Every update sends the whole configured object (`PUT /v1/mcp/server`): older proxies reset every field "+
		"left out of an update to its default. A removed field is cleared (lists to `[]`, flags to their defaults). "+
		"Only a new `serverId`, or removing one key of `credentials` (LiteLLM merges credentials and cannot drop a "+
		"key), replaces the server.\n\n"+
		"The proxy never returns `credentials`: they are not compared on refresh and not imported. The health fields "+
		"(`status`, `lastHealthCheck`) are runtime values, read by getMcpServer, never drift.\n\n"+
		"Import with `pulumi import litellm:index:McpServer <name> <server id>`.")
}

// Annotate documents the inputs.
func (m *McpServerArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.ServerID, "The server's ID. Leave it unset to let the provider choose one; set it when keys or "+
		"teams outside Pulumi refer to the server by ID. Changing it replaces the server.")
	a.Describe(&m.ServerName, "The server's name, unique on the proxy (case-insensitive); it prefixes its tools' "+
		"names, so it must not contain `-`.")
	a.Describe(&m.Alias, "Short name used as the tool prefix instead of `serverName` (unique, no `-`, no spaces). "+
		"Unset: LiteLLM uses `serverName`.")
	a.Describe(&m.Description, "Description of the server.")
	a.Describe(&m.URL, "The server's URL (required for `http` and `sse` transports).")
	a.Describe(&m.Transport, "`sse` (LiteLLM's default), `http` or `stdio`.")
	a.Describe(&m.AuthType, "How the proxy authenticates to the server: `none`, `api_key`, `bearer_token`, `basic`, "+
		"`authorization`, `oauth2`, `aws_sigv4`, `token`, `oauth2_token_exchange`, `oauth2_id_jag`, `true_passthrough` "+
		"or `oauth_delegate`.")
	a.Describe(&m.Credentials, "Secret credentials for `authType`, e.g. `{auth_value: ...}` or `{client_id, "+
		"client_secret, scopes}` for oauth2. Write-only: the proxy never returns them.")
	a.Describe(&m.StaticHeaders, "Headers sent to the server with every request (secret: they often hold tokens).")
	a.Describe(&m.ExtraHeaders, "Names of client request headers forwarded to the server.")
	a.Describe(&m.McpAccessGroups, "MCP access groups the server belongs to.")
	a.Describe(&m.AllowedTools, "Tools of the server that may be called. Unset or empty: all.")
	a.Describe(&m.Command, "Command that starts a `stdio` server (e.g. `npx`); the proxy allows only a fixed list.")
	a.Describe(&m.Args, "Arguments of `command`.")
	a.Describe(&m.Env, "Environment of a `stdio` server (secret).")
	a.Describe(&m.AuthorizationURL, "OAuth2 authorization endpoint.")
	a.Describe(&m.TokenURL, "OAuth2 token endpoint.")
	a.Describe(&m.RegistrationURL, "OAuth2 dynamic client registration endpoint.")
	a.Describe(&m.AllowAllKeys, "Whether every key may use the server (LiteLLM's default: false).")
	a.Describe(&m.AvailableOnPublicInternet, "Whether clients outside private networks may reach the server through "+
		"the proxy (LiteLLM's default: true).")
	a.Describe(&m.Instructions, "Instructions the proxy gives clients about the server.")
	a.Describe(&m.McpInfo, "Display and cost information (`mcp_info`). The key `pulumi` is the provider's ownership "+
		"mark and is rejected here.")
	a.Describe(&m.AdoptExisting, "If a server with this ID already exists and was not created by this resource, take "+
		"it over (and overwrite its configuration) instead of failing. Default false.")
}

// Annotate documents mcp_info.
func (m *McpServerInfo) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.ServerName, "Display name.")
	a.Describe(&m.Description, "Display description.")
	a.Describe(&m.LogoURL, "URL of the server's logo.")
	a.Describe(&m.CostInfo, "What a tool call costs.")
	a.Describe(&m.Extra, "Any other `mcp_info` key with its JSON value (e.g. `protocol_version`).")
}

// Annotate documents the costs.
func (m *McpServerCostInfo) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.DefaultCostPerQuery, "Cost, in USD, of one tool call.")
	a.Describe(&m.ToolNameToCostPerQuery, "Cost, in USD, of one call per tool name.")
}

// Annotate documents the outputs.
func (m *McpServerState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &m.Writes)
}

// ---- the kind's rules ----

var (
	mcpServerArgsType = reflect.TypeFor[McpServerArgs]()
	mcpServerInfoType = reflect.TypeFor[McpServerInfo]()
	// mcpServerWriteOnly: the proxy drops credentials from every read.
	mcpServerWriteOnly = func(k string) bool { return k == "credentials" }
	// mcpServerNotImported: the secrets an import leaves out: credentials
	// (never returned), and the static headers and environment, which the
	// proxy returns in plaintext but which would reach the program as plain
	// values (the user adds them as secrets).
	mcpServerNotImported = func(k string) bool { return k == "credentials" || k == "static_headers" || k == "env" }
)

var (
	mcpTransports = []string{"sse", "http", "stdio"}
	mcpAuthTypes  = []string{"none", "api_key", "bearer_token", "basic", "authorization", "oauth2", "aws_sigv4", "token",
		"oauth2_token_exchange", "oauth2_id_jag", "true_passthrough", "oauth_delegate"}
)

// mcpInfoServerFilled: keys of mcp_info that the proxy or the provider fill
// in (the mark, the AI-hub flags every read adds).
func mcpInfoServerFilled(k string) bool {
	return k == markKey || k == "is_public" || k == "is_public_explicit"
}

// mcpServerCleared is what an update sends for a removed field: null where
// LiteLLM's update model allows it, else the field's default (LiteLLM
// answers a null for a list, map or flag with 422).
func mcpServerCleared(k string) any {
	switch k {
	case "mcp_access_groups", "args", "allowed_tools", "extra_headers":
		return []any{}
	case "env":
		return map[string]any{}
	case "transport":
		return "sse"
	case "allow_all_keys":
		return false
	case "available_on_public_internet":
		return true
	}
	return nil
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's MCP server object (jsonmap.go).
func (m McpServerArgs) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *McpServerArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

func (m McpServerInfo) MarshalJSON() ([]byte, error) { return marshalWire(m, m.Extra) }

func (m *McpServerInfo) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, &m.Extra) }

func (m McpServerCostInfo) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *McpServerCostInfo) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (McpServer) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[McpServerArgs], error) {
	in, failures := decodeInputs[McpServerArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[McpServerArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.ServerID != nil {
		v.id("serverId", *in.ServerID)
	}
	v.require("serverName", in.ServerName)
	if strings.Contains(in.ServerName, "-") {
		v.fail("serverName", "must not contain '-' (LiteLLM separates the server's prefix from tool names with it), got %q", in.ServerName)
	}
	if in.Alias != nil && (strings.ContainsAny(*in.Alias, "- ") || *in.Alias == "") {
		v.fail("alias", "must be non-empty, without '-' or spaces (LiteLLM turns spaces into '_'), got %q", *in.Alias)
	}
	v.oneOf("transport", in.Transport, mcpTransports)
	v.oneOf("authType", in.AuthType, mcpAuthTypes)
	transport := deref(in.Transport)
	switch {
	case transport == "stdio":
		if in.Command == nil {
			v.fail("command", "is required for the stdio transport")
		}
		if len(in.Args) == 0 {
			v.fail("args", "is required for the stdio transport")
		}
	case in.URL == nil:
		v.fail("url", "is required for the %s transport", cmp.Or(transport, "sse"))
	}
	for prop, u := range map[string]*string{"url": in.URL, "authorizationUrl": in.AuthorizationURL, "tokenUrl": in.TokenURL,
		"registrationUrl": in.RegistrationURL} {
		if u != nil {
			v.httpURL(prop, *u, false)
		}
	}
	if mi := in.McpInfo; mi != nil {
		v.extraKeys("mcpInfo.extra", mi.Extra, mcpServerInfoType, map[string]string{markKey: "nothing (it is the provider's ownership mark)",
			"is_public": "nothing (the proxy sets it)", "is_public_explicit": "nothing (the proxy sets it)"})
		if c := mi.CostInfo; c != nil {
			v.nonNegative("mcpInfo.mcpServerCostInfo.defaultCostPerQuery", c.DefaultCostPerQuery)
			for tool, cost := range c.ToolNameToCostPerQuery {
				if cost < 0 {
					v.fail("mcpInfo.mcpServerCostInfo.toolNameToCostPerQuery."+tool, "must be zero or more, got %g", cost)
				}
			}
		}
	}
	return infer.CheckResponse[McpServerArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place, except a new pinned ID and a key
// removed from credentials (LiteLLM merges them).
func (McpServer) Diff(_ context.Context, req infer.DiffRequest[McpServerArgs, McpServerState]) (infer.DiffResponse, error) {
	olds, news := req.State.McpServerArgs, req.Inputs
	d := newDiffer()
	d.merged("", mcpServerArgsType, mcpServerObject(olds), mcpServerObject(news), func(string) bool { return true })
	if len(news.Credentials) > 0 {
		for k := range olds.Credentials {
			if _, kept := news.Credentials[k]; !kept {
				d.add("credentials", p.UpdateReplace)
			}
		}
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.ServerID)
	if pinned != "" && pinned != req.ID {
		d.add("serverId", p.UpdateReplace)
	} else if deref(olds.ServerID) != pinned && !(olds.ServerID != nil && deref(olds.ServerID) == req.ID && pinned == "") {
		d.add("serverId", p.Update) // pinning the ID the server already has, or un-pinning it, changes nothing on the proxy
	}
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create registers the server under its ID (pinned, or chosen by objectIDFor).
func (McpServer) Create(ctx context.Context, req infer.CreateRequest[McpServerArgs]) (infer.CreateResponse[McpServerState], error) {
	in := req.Inputs
	pinned := deref(in.ServerID)
	if req.DryRun {
		return infer.CreateResponse[McpServerState]{ID: pinned, Output: McpServerState{McpServerArgs: in, ServerID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, mcpServerCreateOp(e, id, in, false))
	return created(id, mcpServerState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the server (or imports it). A read by ID is answered from
// the database; see runRead for when a miss or an older version is believed.
func (McpServer) Read(ctx context.Context, req infer.ReadRequest[McpServerArgs, McpServerState]) (infer.ReadResponse[McpServerArgs, McpServerState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.McpServerArgs, func(a McpServerArgs) bool {
		return len(objectOf(a)) == 0 && a.ServerID == nil
	})
	if !importing && req.Inputs.ServerID == nil {
		prior.ServerID = nil // the ID in the state is the output, not a pinned input
	}
	s, found, err := runRead(ctx, e, readOp[litellm.McpServer]{
		target:    mcpServerTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(s litellm.McpServer) bool { return mcpServerMatches(s, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[McpServerArgs, McpServerState]{}, err
	}
	in, err := mcpServerArgsFromServer(s, prior, importing)
	if err != nil {
		return infer.ReadResponse[McpServerArgs, McpServerState]{}, fmt.Errorf("MCP server %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		var left []string
		if at := fmt.Sprint(s["auth_type"]); s["auth_type"] != nil && at != "none" {
			left = append(left, "credentials")
		}
		for k, prop := range map[string]string{"static_headers": "staticHeaders", "env": "env"} {
			if len(asObject(s[k])) > 0 {
				left = append(left, prop)
			}
		}
		slices.Sort(left)
		reportImport(ctx, e, "MCP server "+req.ID, left, asObject(s["mcp_info"]))
	}
	return infer.ReadResponse[McpServerArgs, McpServerState]{ID: req.ID, Inputs: in, State: mcpServerState(req.ID, in, req.State.Writes)}, nil
}

// Update writes the whole configuration (creating the server again under
// the same ID if it is gone).
func (McpServer) Update(ctx context.Context, req infer.UpdateRequest[McpServerArgs, McpServerState]) (infer.UpdateResponse[McpServerState], error) {
	in, id := req.Inputs, req.ID
	state := mcpServerState(id, in, req.State.Writes)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(mcpServerObject(req.State.McpServerArgs), mcpServerObject(in))) {
		return infer.UpdateResponse[McpServerState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	out, err := runUpdate(ctx, e, updateOp[litellm.McpServer]{
		patch: func(ctx context.Context) error {
			return e.client.McpServers.Update(ctx, id, mcpServerPatch(req.State.McpServerArgs, in, me.mark()), mcpServerSecrets(in))
		},
		resume:      mcpServerCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the server; one that is already gone is fine.
func (McpServer) Delete(ctx context.Context, req infer.DeleteRequest[McpServerState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.McpServer]{
		target:    mcpServerTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.McpServers.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func mcpServerTarget(e env, id string) target[litellm.McpServer] {
	return target[litellm.McpServer]{
		kind:     "MCP server",
		objectID: id,
		what:     "MCP server " + id,
		get:      func(ctx context.Context) (litellm.McpServer, error) { return e.client.McpServers.Get(ctx, id) },
		markOf:   func(s litellm.McpServer) (mark, bool) { return markIn(asObject(s["mcp_info"])) },
	}
}

func mcpServerCreateOp(e env, id string, in McpServerArgs, resume bool) createOp[litellm.McpServer] {
	me := e.identity().attempting()
	body := mcpServerBody(id, in, me.mark())
	secrets := mcpServerSecrets(in)
	return createOp[litellm.McpServer]{
		target: mcpServerTarget(e, id),
		id:     me,
		create: func(ctx context.Context) error { return e.client.McpServers.Create(ctx, body, secrets) },
		del:    func(ctx context.Context) error { return e.client.McpServers.Delete(ctx, id) },
		adopt: func(ctx context.Context) error {
			return e.client.McpServers.Update(ctx, id, mcpServerPatch(McpServerArgs{}, in, me.mark()), secrets)
		},
		matches:       func(s litellm.McpServer) bool { return mcpServerMatches(s, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:McpServer <name> %s), choose another serverId, "+
			"or set adoptExisting: true", id),
	}
}

func mcpServerState(id string, in McpServerArgs, w Writes) McpServerState {
	in.ServerID = &id
	return McpServerState{McpServerArgs: in, ServerID: id, Writes: w}
}

// mcpServerObject is the server as configured, in LiteLLM's JSON (without the ID).
func mcpServerObject(in McpServerArgs) object { return objectOf(in) }

// withMark puts the mark into the object's mcp_info.
func mcpServerWithMark(obj object, m mark) object {
	info := asObject(obj["mcp_info"])
	info[markKey] = m.object()
	obj["mcp_info"] = info
	return obj
}

// mcpServerBody is the create body: every configured field, the ID, and our
// mark in mcp_info.
func mcpServerBody(id string, in McpServerArgs, m mark) litellm.McpServer {
	body := mcpServerWithMark(mcpServerObject(in), m)
	body["server_id"] = id
	return body
}

// mcpServerPatch is the update body: every configured field (older proxies
// reset what an update leaves out), the removed ones cleared, and mcp_info
// whole with our mark.
func mcpServerPatch(olds, news McpServerArgs, m mark) litellm.McpServer {
	body := mcpServerWithMark(mcpServerObject(news), m)
	for _, k := range removedKeys(mcpServerObject(olds), body) {
		body[k] = mcpServerCleared(k)
	}
	return body
}

// mcpServerSecrets are the request's secret values, kept out of errors.
func mcpServerSecrets(in McpServerArgs) []string {
	var out []string
	for _, v := range in.StaticHeaders {
		out = append(out, v)
	}
	for _, v := range in.Env {
		out = append(out, v)
	}
	return append(out, litellmSecretStrings(in.Credentials)...)
}

// mcpServerFromServer is the server row as the inputs see it: the input
// fields only, mcp_info without the mark and the proxy's flags.
func mcpServerFromServer(s litellm.McpServer) object {
	fs := fieldsOf(mcpServerArgsType)
	obj := object{}
	for k, v := range s {
		if _, ok := fs.byKey[k]; ok {
			obj[k] = v
		}
	}
	if info, ok := s["mcp_info"].(map[string]any); ok {
		clean := object{}
		for k, v := range info {
			if !mcpInfoServerFilled(k) {
				clean[k] = v
			}
		}
		obj["mcp_info"] = clean
	}
	return obj
}

// mcpServerMatches: the server shows every configured field (credentials
// excepted: the proxy never returns them).
func mcpServerMatches(s litellm.McpServer, in McpServerArgs) bool {
	return shows(mcpServerFromServer(s), mcpServerObject(in), mcpServerWriteOnly)
}

// mcpServerArgsFromServer rebuilds inputs: on refresh the fields the user
// owns, on import every readable field except LiteLLM's defaults;
// serverId, credentials and adoptExisting are kept as configured.
func mcpServerArgsFromServer(s litellm.McpServer, prior McpServerArgs, importing bool) (McpServerArgs, error) {
	server := mcpServerFromServer(s)
	var obj object
	if importing {
		obj, _ = adoptFields(server, mcpServerNotImported)
		obj = withoutEmptyDefaults(mcpServerWithoutDefaults(obj))
	} else {
		obj = ownedFields(server, mcpServerObject(prior), mcpServerWriteOnly)
	}
	var out McpServerArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.ServerID, out.Credentials, out.AdoptExisting = prior.ServerID, maps.Clone(prior.Credentials), prior.AdoptExisting
	return out, nil
}

// mcpServerWithoutDefaults drops what an import would otherwise adopt from
// LiteLLM's defaults: the alias it derives from the name, and the flags at
// their default values.
func mcpServerWithoutDefaults(obj object) object {
	if name, _ := obj["server_name"].(string); obj["alias"] == strings.ReplaceAll(name, " ", "_") {
		delete(obj, "alias")
	}
	for k, def := range map[string]any{"allow_all_keys": false, "available_on_public_internet": true} {
		if obj[k] == def {
			delete(obj, k)
		}
	}
	for _, k := range slices.Collect(maps.Keys(obj)) {
		if obj[k] == "" {
			delete(obj, k)
		}
	}
	return obj
}
