package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetGuardrail reads one guardrail by ID or name (litellm:index:getGuardrail).
type GetGuardrail struct{}

// GetGuardrailArgs are getGuardrail's inputs.
type GetGuardrailArgs struct {
	GuardrailID   *string `pulumi:"guardrailId,optional"`
	GuardrailName *string `pulumi:"guardrailName,optional"`
}

// GuardrailResult is a guardrail as the functions return it: its name,
// integration and parameters without secrets, and the proxy's runtime fields.
type GuardrailResult struct {
	GuardrailID                 string         `pulumi:"guardrailId" litellm:"guardrail_id"`
	GuardrailName               *string        `pulumi:"guardrailName,optional" litellm:"guardrail_name,omitzero"`
	Guardrail                   *string        `pulumi:"guardrail,optional" litellm:"-"`
	Mode                        any            `pulumi:"mode,optional" litellm:"-"`
	DefaultOn                   *bool          `pulumi:"defaultOn,optional" litellm:"-"`
	LitellmParams               map[string]any `pulumi:"litellmParams,optional" litellm:"-"`
	GuardrailInfo               map[string]any `pulumi:"guardrailInfo,optional" litellm:"-"`
	GuardrailDefinitionLocation *string        `pulumi:"guardrailDefinitionLocation,optional" litellm:"guardrail_definition_location,omitzero"`
	CreatedAt                   *string        `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt                   *string        `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	ManagedBy                   *string        `pulumi:"managedBy,optional" litellm:"-"`
}

// ListGuardrails lists the guardrails (litellm:index:listGuardrails).
type ListGuardrails struct{}

// ListGuardrailsArgs are listGuardrails' inputs (none).
type ListGuardrailsArgs struct{}

// ListGuardrailsResult is listGuardrails' output.
type ListGuardrailsResult struct {
	Guardrails []GuardrailResult `pulumi:"guardrails"`
}

func (r GuardrailResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *GuardrailResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetGuardrail) Annotate(a infer.Annotator) {
	a.SetToken("index", "getGuardrail")
	if documenting() {
		a.Describe(f, "Reads a guardrail by ID, or by name (from the listing). Guardrail reads come from the proxy's "+
			"database: a miss fails at once. Parameters that look secret are left out.")
	}
}

func (a *GetGuardrailArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.GuardrailID, "The guardrail's ID, e.g. a Guardrail resource's `guardrailId`. Set this or `guardrailName`.")
		an.Describe(&a.GuardrailName, "The guardrail's name (unique on the proxy).")
	}
}

func (r *GuardrailResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.GuardrailID, "The guardrail's ID.")
	a.Describe(&r.GuardrailName, "Its name.")
	a.Describe(&r.Guardrail, "The integration.")
	a.Describe(&r.Mode, "When it runs (a string or a list).")
	a.Describe(&r.DefaultOn, "Whether it runs on every request.")
	a.Describe(&r.LitellmParams, "Its other parameters, without nulls and without keys that look secret.")
	a.Describe(&r.GuardrailInfo, "Free-form information (the ownership mark and keys that look secret left out).")
	a.Describe(&r.GuardrailDefinitionLocation, "`db` (made through the API) or `config` (the proxy's config file).")
	a.Describe(&r.CreatedAt, "When it was created.")
	a.Describe(&r.UpdatedAt, "When it was last changed.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the guardrail, if one does.")
}

func (f *ListGuardrails) Annotate(a infer.Annotator) {
	a.SetToken("index", "listGuardrails")
	if documenting() {
		a.Describe(f, "Lists the guardrails of the proxy (`/v2/guardrails/list`): its database's, and those of the "+
			"answering worker's config file.")
	}
}

func (r *ListGuardrailsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Guardrails, "The guardrails, by ID.")
	}
}

// Invoke reads the guardrail.
func (GetGuardrail) Invoke(ctx context.Context, req infer.FunctionRequest[GetGuardrailArgs]) (infer.FunctionResponse[GuardrailResult], error) {
	e := getEnv(ctx)
	id, name := deref(req.Input.GuardrailID), deref(req.Input.GuardrailName)
	if (id == "") == (name == "") {
		return infer.FunctionResponse[GuardrailResult]{}, fmt.Errorf("getGuardrail: set exactly one of guardrailId and guardrailName")
	}
	t := guardrailTarget(e, id)
	if name != "" {
		t = target[litellm.Guardrail]{kind: "guardrail", what: fmt.Sprintf("guardrail %q", name), markOf: t.markOf,
			get: func(ctx context.Context) (litellm.Guardrail, error) {
				rows, err := e.client.Guardrails.List(ctx)
				if err != nil {
					return nil, err
				}
				for _, g := range rows {
					if g["guardrail_name"] == name {
						return g, nil
					}
				}
				return nil, &litellm.Error{Kind: litellm.KindNotFound, Op: "GET /v2/guardrails/list", Message: "no guardrail named " + name}
			}}
	}
	g, err := runGet(ctx, e, t, true)
	if err != nil {
		return infer.FunctionResponse[GuardrailResult]{}, err
	}
	r, err := guardrailResult(g)
	return infer.FunctionResponse[GuardrailResult]{Output: r}, err
}

// Invoke lists the guardrails.
func (ListGuardrails) Invoke(ctx context.Context, _ infer.FunctionRequest[ListGuardrailsArgs]) (infer.FunctionResponse[ListGuardrailsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "guardrails", e.client.Guardrails.List, guardrailResult, func(r GuardrailResult) string { return r.GuardrailID })
	return infer.FunctionResponse[ListGuardrailsResult]{Output: ListGuardrailsResult{Guardrails: rows}}, err
}

// guardrailResult maps a guardrail answer without its secrets.
func guardrailResult(g litellm.Guardrail) (GuardrailResult, error) {
	obj := object{}
	for _, k := range []string{"guardrail_id", "guardrail_name", "guardrail_definition_location", "created_at", "updated_at"} {
		if v, ok := g[k]; ok {
			obj[k] = v
		}
	}
	var r GuardrailResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("guardrail %v: unexpected answer: %w", g["guardrail_id"], err)
	}
	params := object{}
	for k, v := range asObject(g["litellm_params"]) {
		switch {
		case v == nil, litellm.SecretLooking(k), masked(k, v):
		case k == "guardrail":
			s, _ := v.(string)
			r.Guardrail = &s
		case k == "mode":
			r.Mode = v
		case k == "default_on":
			b, _ := v.(bool)
			r.DefaultOn = &b
		default:
			params[k] = v
		}
	}
	if len(params) > 0 {
		r.LitellmParams = params
	}
	info := asObject(g["guardrail_info"])
	if m := publicMetadata(info); len(m) > 0 {
		r.GuardrailInfo = m
	}
	r.ManagedBy = managedBy(info)
	return r, nil
}
