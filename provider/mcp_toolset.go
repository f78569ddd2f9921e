package provider

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// McpToolset is a LiteLLM MCP toolset (`POST /v1/mcp/toolset`), token
// litellm:index:McpToolset.
type McpToolset struct{}

// McpToolsetArgs are the inputs of a McpToolset.
type McpToolsetArgs struct {
	ToolsetName   string           `pulumi:"toolsetName" litellm:"toolset_name"`
	Description   *string          `pulumi:"description,optional" litellm:"description,omitzero"`
	Tools         []McpToolsetTool `pulumi:"tools,optional" litellm:"tools,omitzero"`
	AdoptExisting *bool            `pulumi:"adoptExisting,optional" litellm:"-"`
}

// McpToolsetTool is one tool of one MCP server.
type McpToolsetTool struct {
	ServerID string `pulumi:"serverId" litellm:"server_id"`
	ToolName string `pulumi:"toolName" litellm:"tool_name"`
}

// McpToolsetState is the recorded state of a McpToolset.
type McpToolsetState struct {
	McpToolsetArgs
	Writes
	ToolsetID string  `pulumi:"toolsetId"`
	CreatedAt *string `pulumi:"createdAt,optional"`
	UpdatedAt *string `pulumi:"updatedAt,optional"`
}

var (
	_ infer.CustomResource[McpToolsetArgs, McpToolsetState] = (*McpToolset)(nil)
	_ infer.CustomCheck[McpToolsetArgs]                     = (*McpToolset)(nil)
	_ infer.CustomDiff[McpToolsetArgs, McpToolsetState]     = (*McpToolset)(nil)
	_ infer.CustomRead[McpToolsetArgs, McpToolsetState]     = (*McpToolset)(nil)
	_ infer.CustomUpdate[McpToolsetArgs, McpToolsetState]   = (*McpToolset)(nil)
	_ infer.CustomDelete[McpToolsetState]                   = (*McpToolset)(nil)
	_ infer.Annotated                                       = (*McpToolset)(nil)
)

func mcpToolsetKind() kind {
	return kind{
		token:    "litellm:index:McpToolset",
		resource: infer.Resource(&McpToolset{}),
		check:    typedCheck(McpToolset{}.Check),
		diff:     typedDiff(McpToolset{}.Diff),
		read:     typedRead(McpToolset{}.Read),
		state:    reflect.TypeFor[McpToolsetState](),
	}
}

// Annotate documents the resource.
func (t *McpToolset) Annotate(a infer.Annotator) {
	a.SetToken("index", "McpToolset")
	if !documenting() {
		return
	}
	a.Describe(t, "An MCP toolset on a LiteLLM proxy (`POST /v1/mcp/toolset`): a named selection of tools of the "+
		"proxy's MCP servers, which keys and teams can be granted (and which the proxy serves at "+
		"`/toolset/<name>/mcp`). The proxy chooses the toolset's ID (`toolsetId`); the name is unique on the proxy.\n\n"+
		"A toolset has no metadata, so it cannot carry the ownership mark other resources carry. An existing toolset "+
		"with this resource's name is taken as this resource's only when it shows exactly the settings of this "+
		"program (an earlier create of this resource whose answer was lost, or that was interrupted before Pulumi "+
		"recorded it); a toolset with the same name and other settings is someone else's and is never taken over "+
		"without `adoptExisting`.\n\n"+
		"Every change, a new name included, is made in place. A toolset deleted outside Pulumi is created again by "+
		"the next update, under a new ID that the proxy chooses (`toolsetId` shows it at once, the resource ID after "+
		"the next refresh).\n\n"+
		"Import with `pulumi import litellm:index:McpToolset <name> <toolset id>`.")
}

// Annotate documents the inputs.
func (t *McpToolsetArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&t.ToolsetName, "The toolset's name, unique on the proxy. Changing it renames the toolset in place.")
	a.Describe(&t.Description, "A description of the toolset.")
	a.Describe(&t.Tools, "The tools of the toolset, each a server ID and a tool name. A set: the order does not "+
		"matter and duplicates count once. Unset or empty: no tools.")
	a.Describe(&t.AdoptExisting, "If a toolset with this name already exists and was not created by this resource "+
		"(or its settings differ), take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents a tool.
func (t *McpToolsetTool) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&t.ServerID, "The ID of the MCP server (an McpServer's `serverId`).")
	a.Describe(&t.ToolName, "The name of the tool on that server.")
}

// Annotate documents the outputs.
func (t *McpToolsetState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &t.Writes)
	a.Describe(&t.ToolsetID, "The ID the proxy chose for the toolset (what keys and teams are granted).")
	a.Describe(&t.CreatedAt, "When the toolset was created, as the proxy reported it at the last create, refresh or import.")
	a.Describe(&t.UpdatedAt, "When the toolset was last changed, as the proxy reported it at the last refresh or import.")
}

// ---- the kind's rules ----

// mcpToolsetArgsType is McpToolsetArgs' type, for its JSON keys.
var mcpToolsetArgsType = reflect.TypeFor[McpToolsetArgs]()

// mcpToolsetReadable: the fields of a toolset answer that are inputs.
func mcpToolsetReadable(k string) bool {
	_, ok := fieldsOf(mcpToolsetArgsType).byKey[k]
	return ok
}

// mcpToolsetClearable: PUT /v1/mcp/toolset clears the description with
// null; tools are emptied with [] (a null is ignored), and the name is
// required.
func mcpToolsetClearable(k string) bool { return k != "toolset_name" }

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's toolset object (jsonmap.go).
func (t McpToolsetArgs) MarshalJSON() ([]byte, error) { return marshalWire(t, nil) }

func (t *McpToolsetArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, t, nil) }

func (t McpToolsetTool) MarshalJSON() ([]byte, error) { return marshalWire(t, nil) }

func (t *McpToolsetTool) UnmarshalJSON(b []byte) error { return unmarshalWire(b, t, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (McpToolset) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[McpToolsetArgs], error) {
	in, failures := decodeInputs[McpToolsetArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[McpToolsetArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("toolsetName", in.ToolsetName)
	for i, tool := range in.Tools {
		if strings.TrimSpace(tool.ServerID) == "" {
			v.fail(fmt.Sprintf("tools[%d].serverId", i), "must not be empty")
		}
		if strings.TrimSpace(tool.ToolName) == "" {
			v.fail(fmt.Sprintf("tools[%d].toolName", i), "must not be empty")
		}
	}
	return infer.CheckResponse[McpToolsetArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place (the name included); tools compare
// as a set.
func (McpToolset) Diff(_ context.Context, req infer.DiffRequest[McpToolsetArgs, McpToolsetState]) (infer.DiffResponse, error) {
	olds, news := req.State.McpToolsetArgs, req.Inputs
	d := newDiffer()
	d.merged("", mcpToolsetArgsType, mcpToolsetObject(olds), mcpToolsetObject(news), mcpToolsetClearable)
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create sends the create; the proxy chooses the ID (runCreateGenerated).
func (McpToolset) Create(ctx context.Context, req infer.CreateRequest[McpToolsetArgs]) (infer.CreateResponse[McpToolsetState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[McpToolsetState]{Output: McpToolsetState{McpToolsetArgs: in}}, nil
	}
	e := getEnv(ctx)
	id, out, err := runCreateGenerated(ctx, e, mcpToolsetCreateOp(e, in))
	return created(id, mcpToolsetState(id, in, stamp(e, out, err), nil), out, err)
}

// Read refreshes the toolset (or imports it). Toolset reads come from the
// database.
func (McpToolset) Read(ctx context.Context, req infer.ReadRequest[McpToolsetArgs, McpToolsetState]) (infer.ReadResponse[McpToolsetArgs, McpToolsetState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.McpToolsetArgs, func(a McpToolsetArgs) bool { return a.ToolsetName == "" })
	id := generatedObjectID(req.ID, req.State.ToolsetID)
	ts, found, err := runRead(ctx, e, readOp[litellm.McpToolset]{
		target:    mcpToolsetTarget(e, id),
		id:        e.identity(),
		matches:   func(ts litellm.McpToolset) bool { return mcpToolsetMatches(ts, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[McpToolsetArgs, McpToolsetState]{}, err
	}
	in, err := mcpToolsetArgsFromServer(ts, prior, importing)
	if err != nil {
		return infer.ReadResponse[McpToolsetArgs, McpToolsetState]{}, fmt.Errorf("toolset %s: unexpected answer: %w", id, err)
	}
	return infer.ReadResponse[McpToolsetArgs, McpToolsetState]{ID: id, Inputs: in,
		State: mcpToolsetState(id, in, req.State.Writes, ts)}, nil
}

// Update writes the configured fields in place (creating the toolset
// again, under a new ID, if it is gone).
func (McpToolset) Update(ctx context.Context, req infer.UpdateRequest[McpToolsetArgs, McpToolsetState]) (infer.UpdateResponse[McpToolsetState], error) {
	in := req.Inputs
	id := generatedObjectID(req.ID, req.State.ToolsetID)
	state := mcpToolsetState(id, in, req.State.Writes, nil)
	state.CreatedAt, state.UpdatedAt = req.State.CreatedAt, req.State.UpdatedAt
	if req.DryRun || (!deref(req.State.CreatePending) && sameJSON(mcpToolsetObject(req.State.McpToolsetArgs), mcpToolsetObject(in))) {
		return infer.UpdateResponse[McpToolsetState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	newID, out, err := runUpdateGenerated(ctx, e, generatedUpdate[litellm.McpToolset]{
		objectID:  id,
		writtenAt: req.State.writtenAt(),
		patch: func(ctx context.Context) error {
			return e.client.McpToolsets.Update(ctx, id, mcpToolsetPatch(req.State.McpToolsetArgs, in))
		},
		recreate: mcpToolsetCreateOp(e, in),
	})
	if newID != "" && newID != id {
		state = mcpToolsetState(newID, in, state.Writes, nil)
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the toolset; one that is already gone is fine.
func (McpToolset) Delete(ctx context.Context, req infer.DeleteRequest[McpToolsetState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := generatedObjectID(req.ID, req.State.ToolsetID)
	err := runDelete(ctx, e, deleteOp[litellm.McpToolset]{
		target:    mcpToolsetTarget(e, id),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.McpToolsets.Delete(ctx, id) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// mcpToolsetTarget: a toolset carries no mark.
func mcpToolsetTarget(e env, id string) target[litellm.McpToolset] {
	return target[litellm.McpToolset]{
		kind:     "mcpToolset",
		objectID: id,
		what:     "MCP toolset " + id,
		get:      func(ctx context.Context) (litellm.McpToolset, error) { return e.client.McpToolsets.Get(ctx, id) },
		markOf:   func(litellm.McpToolset) (mark, bool) { return mark{}, false },
	}
}

// mcpToolsetCreateOp: the toolset is found by its unique name; one that
// shows exactly the configured fields is this resource's.
func mcpToolsetCreateOp(e env, in McpToolsetArgs) generatedOp[litellm.McpToolset] {
	body := litellm.McpToolset(mcpToolsetObject(in))
	named := func(ts litellm.McpToolset) bool { return ts["toolset_name"] == in.ToolsetName }
	return generatedOp[litellm.McpToolset]{
		kind:   "mcpToolset",
		what:   fmt.Sprintf("MCP toolset %q", in.ToolsetName),
		create: func(ctx context.Context) (string, error) { return e.client.McpToolsets.Create(ctx, body) },
		find: func(ctx context.Context) ([]litellm.McpToolset, error) {
			rows, err := e.client.McpToolsets.List(ctx)
			return keepRows(rows, named), err
		},
		idOf: func(ts litellm.McpToolset) string { return fmt.Sprint(ts["toolset_id"]) },
		ours: func(ts litellm.McpToolset) bool {
			return named(ts) && exactly(mcpToolsetFromServer(ts), mcpToolsetObject(in))
		},
		taken:             named,
		findAuthoritative: true,
		adopt: func(ctx context.Context, ts litellm.McpToolset) error {
			return e.client.McpToolsets.Update(ctx, fmt.Sprint(ts["toolset_id"]), mcpToolsetPatch(McpToolsetArgs{}, in))
		},
		matches:       func(ts litellm.McpToolset) bool { return mcpToolsetMatches(ts, in) },
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:McpToolset <name> <its id>), choose another "+
			"toolsetName, or set adoptExisting: true (the name is %q)", in.ToolsetName),
	}
}

func mcpToolsetState(id string, in McpToolsetArgs, w Writes, server litellm.McpToolset) McpToolsetState {
	s := McpToolsetState{McpToolsetArgs: in, Writes: w, ToolsetID: id}
	if at, ok := server["created_at"].(string); ok && at != "" {
		s.CreatedAt = &at
	}
	if at, ok := server["updated_at"].(string); ok && at != "" {
		s.UpdatedAt = &at
	}
	return s
}

// mcpToolsetObject is the toolset as configured, in LiteLLM's JSON, with
// the tools as a set (sorted, without duplicates) and no empty list.
func mcpToolsetObject(in McpToolsetArgs) object {
	obj := objectOf(in)
	if tools, ok := obj["tools"].([]any); ok {
		obj["tools"] = toolSet(tools)
	}
	return withoutEmptyDefaults(obj)
}

// toolSet sorts {server_id, tool_name} objects and drops repeats.
func toolSet(tools []any) []any {
	key := func(v any) string {
		m := asObject(v)
		return fmt.Sprint(m["server_id"]) + "\x00" + fmt.Sprint(m["tool_name"])
	}
	out := slices.Clone(tools)
	slices.SortFunc(out, func(a, b any) int { return cmp.Compare(key(a), key(b)) })
	return slices.CompactFunc(out, func(a, b any) bool { return key(a) == key(b) })
}

// mcpToolsetPatch is the update body: every configured field; a removed
// description null, removed tools [].
func mcpToolsetPatch(olds, news McpToolsetArgs) litellm.McpToolset {
	body := litellm.McpToolset(mcpToolsetObject(news))
	oldObj := mcpToolsetObject(olds)
	for _, k := range removedKeys(oldObj, objectOf(body)) {
		switch k {
		case "tools":
			body[k] = []any{}
		case "description":
			body[k] = nil
		}
	}
	return body
}

// mcpToolsetFromServer is the toolset as the inputs see it (tools as a set).
func mcpToolsetFromServer(ts litellm.McpToolset) object {
	obj := object{}
	for k, v := range ts {
		if mcpToolsetReadable(k) {
			obj[k] = v
		}
	}
	if tools, ok := obj["tools"].([]any); ok {
		obj["tools"] = toolSet(tools)
	}
	return obj
}

// mcpToolsetMatches: the server shows every configured field.
func mcpToolsetMatches(ts litellm.McpToolset, in McpToolsetArgs) bool {
	return shows(mcpToolsetFromServer(ts), mcpToolsetObject(in), nil)
}

// mcpToolsetArgsFromServer rebuilds inputs: on refresh the fields the user
// owns (the configured order of tools kept when the set is the same), on
// import every readable field.
func mcpToolsetArgsFromServer(ts litellm.McpToolset, prior McpToolsetArgs, importing bool) (McpToolsetArgs, error) {
	server := mcpToolsetFromServer(ts)
	var obj object
	if importing {
		obj, _ = adoptFields(server, nil)
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, objectOf(prior), nil)
		if _, ok := obj["toolset_name"]; !ok {
			obj["toolset_name"] = server["toolset_name"]
		}
		if prior.Tools != nil && sameJSON(server["tools"], mcpToolsetObject(prior)["tools"]) {
			obj["tools"] = objectOf(prior)["tools"]
		}
	}
	var out McpToolsetArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.AdoptExisting = prior.AdoptExisting
	return out, nil
}
