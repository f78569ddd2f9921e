package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetToolPolicy reads one tool of the registry (litellm:index:getToolPolicy).
type GetToolPolicy struct{}

// GetToolPolicyArgs are getToolPolicy's inputs.
type GetToolPolicyArgs struct {
	ToolName string `pulumi:"toolName"`
}

// ToolPolicyResult is a tool of the registry as the functions return it.
type ToolPolicyResult struct {
	ToolID       *string  `pulumi:"toolId,optional" litellm:"tool_id,omitzero"`
	ToolName     string   `pulumi:"toolName" litellm:"tool_name"`
	Origin       *string  `pulumi:"origin,optional" litellm:"origin,omitzero"`
	InputPolicy  *string  `pulumi:"inputPolicy,optional" litellm:"input_policy,omitzero"`
	OutputPolicy *string  `pulumi:"outputPolicy,optional" litellm:"output_policy,omitzero"`
	CallCount    *float64 `pulumi:"callCount,optional" litellm:"call_count,omitzero"`
	LastUsedAt   *string  `pulumi:"lastUsedAt,optional" litellm:"last_used_at,omitzero"`
	CreatedAt    *string  `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt    *string  `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
}

// ListToolPolicies lists the registry (litellm:index:listToolPolicies).
type ListToolPolicies struct{}

// ListToolPoliciesArgs filter listToolPolicies.
type ListToolPoliciesArgs struct {
	InputPolicy *string `pulumi:"inputPolicy,optional"`
}

// ListToolPoliciesResult is listToolPolicies' output.
type ListToolPoliciesResult struct {
	Tools []ToolPolicyResult `pulumi:"tools"`
}

func (r ToolPolicyResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *ToolPolicyResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetToolPolicy) Annotate(a infer.Annotator) {
	a.SetToken("index", "getToolPolicy")
	if documenting() {
		a.Describe(f, "Reads one tool of the proxy's tool registry, with its policies. Tool reads come from the proxy's "+
			"database: a miss (a tool the proxy never saw and nobody set) fails at once.")
	}
}

func (a *GetToolPolicyArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.ToolName, "The tool's name, e.g. a ToolPolicy resource's `toolName`.")
	}
}

func (a *ListToolPoliciesArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.InputPolicy, "Only the tools with this input policy: `trusted`, `untrusted` or `blocked`.")
	}
}

func (r *ToolPolicyResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.ToolID, "The registry entry's ID.")
	a.Describe(&r.ToolName, "The tool's name.")
	a.Describe(&r.Origin, "Where the proxy first saw the tool.")
	a.Describe(&r.InputPolicy, "`trusted`, `untrusted` or `blocked`.")
	a.Describe(&r.OutputPolicy, "`trusted` or `untrusted`.")
	a.Describe(&r.CallCount, "How many calls of the tool the proxy has seen.")
	a.Describe(&r.LastUsedAt, "When the proxy last saw it called.")
	a.Describe(&r.CreatedAt, "When the entry was added.")
	a.Describe(&r.UpdatedAt, "When the entry was last changed.")
}

func (f *ListToolPolicies) Annotate(a infer.Annotator) {
	a.SetToken("index", "listToolPolicies")
	if documenting() {
		a.Describe(f, "Lists the proxy's tool registry (from its database): every tool it has seen called or that has a policy.")
	}
}

func (r *ListToolPoliciesResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Tools, "The tools, by name.")
	}
}

// Invoke reads the tool.
func (GetToolPolicy) Invoke(ctx context.Context, req infer.FunctionRequest[GetToolPolicyArgs]) (infer.FunctionResponse[ToolPolicyResult], error) {
	e := getEnv(ctx)
	row, err := runGet(ctx, e, toolPolicyTarget(e, req.Input.ToolName), true)
	if err != nil {
		return infer.FunctionResponse[ToolPolicyResult]{}, err
	}
	r, err := toolPolicyResult(row)
	return infer.FunctionResponse[ToolPolicyResult]{Output: r}, err
}

// Invoke lists the tools.
func (ListToolPolicies) Invoke(ctx context.Context, req infer.FunctionRequest[ListToolPoliciesArgs]) (infer.FunctionResponse[ListToolPoliciesResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "tools", e.client.ToolPolicies.List, toolPolicyResult, func(r ToolPolicyResult) string { return r.ToolName })
	rows = keepIf(rows, req.Input.InputPolicy, func(r ToolPolicyResult) string { return deref(r.InputPolicy) })
	return infer.FunctionResponse[ListToolPoliciesResult]{Output: ListToolPoliciesResult{Tools: rows}}, err
}

// toolPolicyResult maps a row (the key that discovered the tool is left
// out: its hash, alias and owner are not the tool's).
func toolPolicyResult(row litellm.Tool) (ToolPolicyResult, error) {
	obj := object{}
	for _, k := range []string{"tool_id", "tool_name", "origin", "input_policy", "output_policy", "call_count", "last_used_at", "created_at", "updated_at"} {
		if v, ok := row[k]; ok && v != nil {
			obj[k] = v
		}
	}
	var r ToolPolicyResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("tool %v: unexpected answer: %w", row["tool_name"], err)
	}
	return r, nil
}
