package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetPassThroughEndpoint reads one pass-through endpoint by ID
// (litellm:index:getPassThroughEndpoint).
type GetPassThroughEndpoint struct{}

// GetPassThroughEndpointArgs are getPassThroughEndpoint's inputs.
type GetPassThroughEndpointArgs struct {
	EndpointID string `pulumi:"endpointId"`
}

// PassThroughEndpointResult is a pass-through endpoint as the functions
// return it: its fields, with the names of its headers but not their
// values (a function's outputs carry no secrets).
type PassThroughEndpointResult struct {
	EndpointID         *string           `pulumi:"endpointId,optional" litellm:"id,omitzero"`
	Path               string            `pulumi:"path" litellm:"path"`
	Target             string            `pulumi:"target" litellm:"target"`
	HeaderNames        []string          `pulumi:"headerNames,optional" litellm:"-"`
	DefaultQueryParams map[string]string `pulumi:"defaultQueryParams,optional" litellm:"default_query_params,omitzero"`
	IncludeSubpath     *bool             `pulumi:"includeSubpath,optional" litellm:"include_subpath,omitzero"`
	CostPerRequest     *float64          `pulumi:"costPerRequest,optional" litellm:"cost_per_request,omitzero"`
	Timeout            *float64          `pulumi:"timeout,optional" litellm:"timeout,omitzero"`
	Auth               *bool             `pulumi:"auth,optional" litellm:"auth,omitzero"`
	Guardrails         map[string]any    `pulumi:"guardrails,optional" litellm:"guardrails,omitzero"`
	Methods            []string          `pulumi:"methods,optional" litellm:"methods,omitzero"`
	IsFromConfig       *bool             `pulumi:"isFromConfig,optional" litellm:"is_from_config,omitzero"`
}

// ListPassThroughEndpoints lists the pass-through endpoints
// (litellm:index:listPassThroughEndpoints).
type ListPassThroughEndpoints struct{}

// ListPassThroughEndpointsArgs are listPassThroughEndpoints' inputs (none).
type ListPassThroughEndpointsArgs struct{}

// ListPassThroughEndpointsResult is listPassThroughEndpoints' output.
type ListPassThroughEndpointsResult struct {
	Endpoints []PassThroughEndpointResult `pulumi:"endpoints"`
}

func (r PassThroughEndpointResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *PassThroughEndpointResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetPassThroughEndpoint) Annotate(a infer.Annotator) {
	a.SetToken("index", "getPassThroughEndpoint")
	if documenting() {
		a.Describe(f, "Reads a pass-through endpoint by ID. The list is read from the proxy's database: a miss fails at "+
			"once. Endpoints of the proxy's config file have no ID and are only listed.")
	}
}

func (a *GetPassThroughEndpointArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.EndpointID, "The entry's ID, e.g. a PassThroughEndpoint resource's `endpointId`.")
	}
}

func (r *PassThroughEndpointResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.EndpointID, "The entry's ID (none for an entry of the proxy's config file).")
	a.Describe(&r.Path, "The route on the proxy.")
	a.Describe(&r.Target, "The URL requests are forwarded to.")
	a.Describe(&r.HeaderNames, "The names of the headers added to forwarded requests (their values are not returned).")
	a.Describe(&r.DefaultQueryParams, "Query parameters added to forwarded requests.")
	a.Describe(&r.IncludeSubpath, "Whether the routes below the path are forwarded too.")
	a.Describe(&r.CostPerRequest, "Cost, in USD, recorded for each request.")
	a.Describe(&r.Timeout, "Upstream timeout in seconds.")
	a.Describe(&r.Auth, "Whether a LiteLLM API key is required.")
	a.Describe(&r.Guardrails, "Guardrails run on the route.")
	a.Describe(&r.Methods, "HTTP methods the route handles (none: all).")
	a.Describe(&r.IsFromConfig, "True for an entry of the proxy's config file (read-only).")
}

func (f *ListPassThroughEndpoints) Annotate(a infer.Annotator) {
	a.SetToken("index", "listPassThroughEndpoints")
	if documenting() {
		a.Describe(f, "Lists every pass-through endpoint of the proxy: the database's and those of its config file.")
	}
}

func (r *ListPassThroughEndpointsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Endpoints, "The entries, by path.")
	}
}

// Invoke reads the entry.
func (GetPassThroughEndpoint) Invoke(ctx context.Context, req infer.FunctionRequest[GetPassThroughEndpointArgs]) (infer.FunctionResponse[PassThroughEndpointResult], error) {
	e := getEnv(ctx)
	x, err := runGet(ctx, e, passThroughTarget(e, req.Input.EndpointID), true)
	if err != nil {
		return infer.FunctionResponse[PassThroughEndpointResult]{}, err
	}
	r, err := passThroughResult(x)
	return infer.FunctionResponse[PassThroughEndpointResult]{Output: r}, err
}

// Invoke lists the entries.
func (ListPassThroughEndpoints) Invoke(ctx context.Context, _ infer.FunctionRequest[ListPassThroughEndpointsArgs]) (infer.FunctionResponse[ListPassThroughEndpointsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "pass-through endpoints", e.client.PassThroughEndpoints.List, passThroughResult,
		func(r PassThroughEndpointResult) string { return r.Path + "\n" + deref(r.EndpointID) })
	return infer.FunctionResponse[ListPassThroughEndpointsResult]{Output: ListPassThroughEndpointsResult{Endpoints: rows}}, err
}

// passThroughResult maps an entry: every field but the header values.
func passThroughResult(x litellm.PassThroughEndpoint) (PassThroughEndpointResult, error) {
	obj := object{}
	for k, v := range x {
		if k != "headers" && v != nil {
			obj[k] = v
		}
	}
	var r PassThroughEndpointResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("pass-through endpoint %v: unexpected answer: %w", x["id"], err)
	}
	if h, ok := x["headers"].(map[string]any); ok && len(h) > 0 {
		r.HeaderNames = slices.Sorted(maps.Keys(h))
	}
	return r, nil
}
