package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// ToolPolicy is the global input and output policy of one tool of the
// proxy's tool registry (`POST /v1/tool/policy`), token
// litellm:index:ToolPolicy.
type ToolPolicy struct{}

// ToolPolicyArgs are the inputs of a ToolPolicy.
type ToolPolicyArgs struct {
	ToolName      string  `pulumi:"toolName" litellm:"tool_name,omitzero"`
	InputPolicy   *string `pulumi:"inputPolicy,optional" litellm:"input_policy,omitzero"`
	OutputPolicy  *string `pulumi:"outputPolicy,optional" litellm:"output_policy,omitzero"`
	AdoptExisting *bool   `pulumi:"adoptExisting,optional" litellm:"-"`
}

// ToolPolicyState is the recorded state of a ToolPolicy.
type ToolPolicyState struct {
	ToolPolicyArgs
	Writes
	ToolID *string `pulumi:"toolId,optional"`
	Origin *string `pulumi:"origin,optional"`
}

var (
	_ infer.CustomResource[ToolPolicyArgs, ToolPolicyState] = (*ToolPolicy)(nil)
	_ infer.CustomCheck[ToolPolicyArgs]                     = (*ToolPolicy)(nil)
	_ infer.CustomDiff[ToolPolicyArgs, ToolPolicyState]     = (*ToolPolicy)(nil)
	_ infer.CustomRead[ToolPolicyArgs, ToolPolicyState]     = (*ToolPolicy)(nil)
	_ infer.CustomUpdate[ToolPolicyArgs, ToolPolicyState]   = (*ToolPolicy)(nil)
	_ infer.CustomDelete[ToolPolicyState]                   = (*ToolPolicy)(nil)
	_ infer.Annotated                                       = (*ToolPolicy)(nil)
)

func toolPolicyKind() kind {
	return kind{
		token:    "litellm:index:ToolPolicy",
		resource: infer.Resource(&ToolPolicy{}),
		check:    typedCheck(ToolPolicy{}.Check),
		diff:     typedDiff(ToolPolicy{}.Diff),
		read:     typedRead(ToolPolicy{}.Read),
		state:    reflect.TypeFor[ToolPolicyState](),
	}
}

// Annotate documents the resource.
func (r *ToolPolicy) Annotate(a infer.Annotator) {
	a.SetToken("index", "ToolPolicy")
	if !documenting() {
		return
	}
	a.Describe(r, "The global policy of one tool in a LiteLLM proxy's tool registry (`POST /v1/tool/policy`): whether the "+
		"tool may be called with untrusted input (`inputPolicy`: `untrusted`, `trusted` or `blocked`) and whether its "+
		"output is trusted (`outputPolicy`). The proxy adds a registry entry, with both policies `untrusted`, for every "+
		"tool it sees called; this resource sets the policies of the entry named `toolName`, adding the entry when the "+
		"tool was never seen. The resource ID is the tool's name.\n\n"+
		"A registry entry has no metadata and is usually made by the proxy itself, so the policy is a setting of it, "+
		"not an object of its own: a tool whose policies are LiteLLM's defaults is taken over; one whose policies "+
		"someone else already set (to values other than this program's) is never overwritten without "+
		"`adoptExisting`. Deleting the resource sets both policies back to LiteLLM's default, `untrusted` (LiteLLM "+
		"cannot remove a registry entry). Team and key overrides are not managed.\n\n"+
		"Import with `pulumi import litellm:index:ToolPolicy <name> <tool name>`.")
}

// Annotate documents the inputs.
func (r *ToolPolicyArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.ToolName, "The tool's name as the proxy's registry has it (e.g. `github_mcp__create_issue`). "+
		"Changing it moves the policy to another tool.")
	a.Describe(&r.InputPolicy, "`untrusted` (LiteLLM's default: any input), `trusted` (blocked when the conversation "+
		"holds output of an untrusted tool) or `blocked` (never called).")
	a.Describe(&r.OutputPolicy, "`untrusted` (LiteLLM's default) or `trusted` (its output does not block trusted tools).")
	a.Describe(&r.AdoptExisting, "If the tool's policies were already set by someone else (to other values than LiteLLM's "+
		"defaults), overwrite them instead of failing. Default false.")
}

// Annotate documents the outputs.
func (r *ToolPolicyState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &r.Writes)
	a.Describe(&r.ToolID, "The registry entry's ID.")
	a.Describe(&r.Origin, "Where the proxy first saw the tool (an MCP server's name), if it did.")
}

// ---- the kind's rules ----

var (
	toolInputPolicies  = []string{"trusted", "untrusted", "blocked"}
	toolOutputPolicies = []string{"trusted", "untrusted"}
)

// toolPolicyDefault is LiteLLM's policy for a tool nobody set
// (LiteLLM_ToolTable's default).
const toolPolicyDefault = "untrusted"

// toolPolicyRoutes: names the registry's other routes take before
// /v1/tool/{tool_name:path} (a tool with such a name cannot be read).
var toolPolicyRoutes = []string{"list", "spend", "policy/options"}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's tool row (jsonmap.go).
func (r ToolPolicyArgs) MarshalJSON() ([]byte, error) { return marshalWire(r, nil) }

func (r *ToolPolicyArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (ToolPolicy) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[ToolPolicyArgs], error) {
	in, failures := decodeInputs[ToolPolicyArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[ToolPolicyArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	switch n := in.ToolName; {
	case strings.TrimSpace(n) == "":
		v.require("toolName", n)
	case strings.ContainsAny(n, "?#%") || strings.HasPrefix(n, "/") || strings.HasSuffix(n, "/detail") ||
		strings.HasSuffix(n, "/logs") || strings.HasSuffix(n, "/overrides"):
		v.fail("toolName", "must not contain '?', '#' or '%%', start with '/' or end with /detail, /logs or /overrides "+
			"(the proxy could not read it back), got %q", n)
	default:
		for _, r := range toolPolicyRoutes {
			if n == r {
				v.fail("toolName", "%q is a route of the proxy's tool registry, not a tool it can read back", n)
			}
		}
	}
	v.oneOf("inputPolicy", in.InputPolicy, toolInputPolicies)
	v.oneOf("outputPolicy", in.OutputPolicy, toolOutputPolicies)
	if in.InputPolicy == nil && in.OutputPolicy == nil && !unknown(req.NewInputs, "inputPolicy") && !unknown(req.NewInputs, "outputPolicy") {
		v.fail("inputPolicy", "set inputPolicy or outputPolicy (or both)")
	}
	return infer.CheckResponse[ToolPolicyArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: the policies change in place; another tool name replaces.
func (ToolPolicy) Diff(_ context.Context, req infer.DiffRequest[ToolPolicyArgs, ToolPolicyState]) (infer.DiffResponse, error) {
	olds, news := req.State.ToolPolicyArgs, req.Inputs
	d := newDiffer()
	o, n := objectOf(olds), objectOf(news)
	delete(o, "tool_name")
	delete(n, "tool_name")
	d.merged("", reflect.TypeFor[ToolPolicyArgs](), o, n, func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	if olds.ToolName != news.ToolName {
		d.add("toolName", p.UpdateReplace)
	}
	// The old tool's policy is reset first, then the new one's set.
	return d.response(true), nil
}

// Create sets the tool's policies (the ID is its name).
func (ToolPolicy) Create(ctx context.Context, req infer.CreateRequest[ToolPolicyArgs]) (infer.CreateResponse[ToolPolicyState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[ToolPolicyState]{ID: in.ToolName, Output: ToolPolicyState{ToolPolicyArgs: in}}, nil
	}
	e := getEnv(ctx)
	out, err := runCreate(ctx, e, toolPolicyCreateOp(e, in, false))
	var row litellm.Tool
	if err == nil {
		row, _ = e.client.ToolPolicies.Get(ctx, in.ToolName)
	}
	return created(in.ToolName, toolPolicyState(in, stamp(e, out, err), row), out, err)
}

// Read refreshes the policies (or imports them). Tool reads come from the
// database.
func (ToolPolicy) Read(ctx context.Context, req infer.ReadRequest[ToolPolicyArgs, ToolPolicyState]) (infer.ReadResponse[ToolPolicyArgs, ToolPolicyState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.ToolPolicyArgs, func(a ToolPolicyArgs) bool { return a.ToolName == "" })
	if importing {
		prior.ToolName = req.ID
	}
	row, found, err := runRead(ctx, e, readOp[litellm.Tool]{
		target:    toolPolicyTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(t litellm.Tool) bool { return toolPolicyMatches(t, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[ToolPolicyArgs, ToolPolicyState]{}, err
	}
	var in ToolPolicyArgs
	if importing {
		err = decodeObject(toolPolicyFromServer(row), &in)
	} else {
		err = decodeObject(ownedFields(toolPolicyFromServer(row), objectOf(prior), nil), &in)
	}
	if err != nil {
		return infer.ReadResponse[ToolPolicyArgs, ToolPolicyState]{}, fmt.Errorf("tool %s: unexpected answer: %w", req.ID, err)
	}
	in.ToolName, in.AdoptExisting = prior.ToolName, prior.AdoptExisting
	return infer.ReadResponse[ToolPolicyArgs, ToolPolicyState]{ID: req.ID, Inputs: in, State: toolPolicyState(in, req.State.Writes, row)}, nil
}

// Update sets the changed policies (a removed one back to LiteLLM's
// default).
func (ToolPolicy) Update(ctx context.Context, req infer.UpdateRequest[ToolPolicyArgs, ToolPolicyState]) (infer.UpdateResponse[ToolPolicyState], error) {
	in := req.Inputs
	state := toolPolicyState(in, req.State.Writes, nil)
	state.ToolID, state.Origin = req.State.ToolID, req.State.Origin
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(objectOf(req.State.ToolPolicyArgs), objectOf(in))) {
		return infer.UpdateResponse[ToolPolicyState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.Tool]{
		patch:       func(ctx context.Context) error { return toolPolicySet(ctx, e, in, req.State.ToolPolicyArgs) },
		resume:      toolPolicyCreateOp(e, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete sets both policies back to LiteLLM's default. A tool gone from
// the registry is fine (nothing is added back).
func (ToolPolicy) Delete(ctx context.Context, req infer.DeleteRequest[ToolPolicyState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	name := req.ID
	err := runDelete(ctx, e, deleteOp[litellm.Tool]{
		target: toolPolicyTarget(e, name),
		id:     e.identity(),
		del: func(ctx context.Context) error {
			if _, err := e.client.ToolPolicies.Get(ctx, name); err != nil {
				return err // gone: the upsert would add it again
			}
			return e.client.ToolPolicies.Set(ctx, name, toolPolicyDefault, toolPolicyDefault)
		},
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func toolPolicyTarget(e env, name string) target[litellm.Tool] {
	return target[litellm.Tool]{
		kind:     "toolPolicy",
		objectID: name,
		what:     "tool " + name,
		get:      func(ctx context.Context) (litellm.Tool, error) { return e.client.ToolPolicies.Get(ctx, name) },
		markOf:   func(litellm.Tool) (mark, bool) { return mark{}, false },
	}
}

// toolPolicyCreateOp: the tool usually exists (the proxy adds it when it
// sees it called), so the create reads it first. One whose policies are
// LiteLLM's defaults, or already this program's, is this resource's to
// set; one whose policies someone set to other values is a conflict,
// settled by the create policy (adoptExisting).
func toolPolicyCreateOp(e env, in ToolPolicyArgs, resume bool) createOp[litellm.Tool] {
	me := e.identity().attempting()
	own := &unmarked{me: me, unsure: resume}
	t := toolPolicyTarget(e, in.ToolName)
	t.markOf = func(row litellm.Tool) (mark, bool) {
		if m, ok := own.markOf(toolPolicyMatches(row, in)); ok {
			return m, ok
		}
		if toolPolicyMatches(row, in) || toolPolicyUnset(row) {
			return me.mark(), true
		}
		return mark{}, false
	}
	return createOp[litellm.Tool]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error {
			row, err := e.client.ToolPolicies.Get(ctx, in.ToolName)
			switch {
			case err == nil && !toolPolicyUnset(row) && !toolPolicyMatches(row, in):
				return &litellm.Error{Kind: litellm.KindConflict, Op: "POST /v1/tool/policy",
					Message: fmt.Sprintf("tool %s already has policies (input %v, output %v)", in.ToolName, row["input_policy"], row["output_policy"])}
			case err != nil && !litellm.IsNotFound(err):
				return err
			}
			return own.sent(toolPolicySet(ctx, e, in, ToolPolicyArgs{}))
		},
		del: func(ctx context.Context) error {
			return e.client.ToolPolicies.Set(ctx, in.ToolName, toolPolicyDefault, toolPolicyDefault)
		},
		adopt:         func(ctx context.Context) error { return toolPolicySet(ctx, e, in, ToolPolicyArgs{}) },
		matches:       func(row litellm.Tool) bool { return toolPolicyMatches(row, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("its policies were set by someone else: import it (pulumi import litellm:index:ToolPolicy "+
			"<name> %s), or set adoptExisting: true to overwrite them", in.ToolName),
	}
}

// toolPolicySet writes the configured policies; one that olds set and news
// no longer does goes back to LiteLLM's default.
func toolPolicySet(ctx context.Context, e env, news, olds ToolPolicyArgs) error {
	in, out := deref(news.InputPolicy), deref(news.OutputPolicy)
	if in == "" && olds.InputPolicy != nil {
		in = toolPolicyDefault
	}
	if out == "" && olds.OutputPolicy != nil {
		out = toolPolicyDefault
	}
	return e.client.ToolPolicies.Set(ctx, news.ToolName, in, out)
}

// toolPolicyUnset: both policies are LiteLLM's defaults (nobody set them,
// or they were reset).
func toolPolicyUnset(row litellm.Tool) bool {
	return row["input_policy"] == toolPolicyDefault && row["output_policy"] == toolPolicyDefault
}

func toolPolicyState(in ToolPolicyArgs, w Writes, row litellm.Tool) ToolPolicyState {
	s := ToolPolicyState{ToolPolicyArgs: in, Writes: w}
	if id, ok := row["tool_id"].(string); ok && id != "" {
		s.ToolID = &id
	}
	if o, ok := row["origin"].(string); ok && o != "" {
		s.Origin = &o
	}
	return s
}

// toolPolicyFromServer is the row as the inputs see it.
func toolPolicyFromServer(row litellm.Tool) object {
	obj := object{"tool_name": row["tool_name"]}
	for _, k := range []string{"input_policy", "output_policy"} {
		if v, ok := row[k].(string); ok && v != "" {
			obj[k] = v
		}
	}
	return obj
}

// toolPolicyMatches: the row shows the configured policies.
func toolPolicyMatches(row litellm.Tool, in ToolPolicyArgs) bool {
	return shows(toolPolicyFromServer(row), objectOf(in), nil)
}
