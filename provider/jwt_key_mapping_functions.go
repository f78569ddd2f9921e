package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetJwtKeyMapping reads one JWT key mapping by ID or by claim
// (litellm:index:getJwtKeyMapping).
type GetJwtKeyMapping struct{}

// GetJwtKeyMappingArgs are getJwtKeyMapping's inputs.
type GetJwtKeyMappingArgs struct {
	MappingID     *string `pulumi:"mappingId,optional"`
	JwtClaimName  *string `pulumi:"jwtClaimName,optional"`
	JwtClaimValue *string `pulumi:"jwtClaimValue,optional"`
	JwtIssuer     *string `pulumi:"jwtIssuer,optional"`
}

// JwtKeyMappingResult is a JWT key mapping as the functions return it (the
// proxy never shows the key).
type JwtKeyMappingResult struct {
	MappingID     string  `pulumi:"mappingId" litellm:"id"`
	JwtClaimName  string  `pulumi:"jwtClaimName" litellm:"jwt_claim_name"`
	JwtClaimValue string  `pulumi:"jwtClaimValue" litellm:"jwt_claim_value"`
	JwtIssuer     *string `pulumi:"jwtIssuer,optional" litellm:"jwt_issuer,omitzero"`
	Description   *string `pulumi:"description,optional" litellm:"description,omitzero"`
	IsActive      bool    `pulumi:"isActive" litellm:"is_active"`
	CreatedAt     *string `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	CreatedBy     *string `pulumi:"createdBy,optional" litellm:"created_by,omitzero"`
	UpdatedAt     *string `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	UpdatedBy     *string `pulumi:"updatedBy,optional" litellm:"updated_by,omitzero"`
}

// ListJwtKeyMappings lists the JWT key mappings (litellm:index:listJwtKeyMappings).
type ListJwtKeyMappings struct{}

// ListJwtKeyMappingsArgs filter listJwtKeyMappings.
type ListJwtKeyMappingsArgs struct {
	JwtClaimName *string `pulumi:"jwtClaimName,optional"`
}

// ListJwtKeyMappingsResult is listJwtKeyMappings' output.
type ListJwtKeyMappingsResult struct {
	Mappings []JwtKeyMappingResult `pulumi:"mappings"`
}

func (r JwtKeyMappingResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *JwtKeyMappingResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetJwtKeyMapping) Annotate(a infer.Annotator) {
	a.SetToken("index", "getJwtKeyMapping")
	if documenting() {
		a.Describe(f, "Reads a JWT key mapping by `mappingId`, or by its claim (`jwtClaimName`, `jwtClaimValue` and, "+
			"for an issuer-scoped mapping, `jwtIssuer`). Mapping reads come from the proxy's database: a miss fails "+
			"at once. The key a mapping points to is never returned.")
	}
}

func (a *GetJwtKeyMappingArgs) Annotate(an infer.Annotator) {
	if !documenting() {
		return
	}
	an.Describe(&a.MappingID, "The mapping's ID, e.g. a JwtKeyMapping resource's `mappingId`.")
	an.Describe(&a.JwtClaimName, "The claim name (with jwtClaimValue, instead of mappingId).")
	an.Describe(&a.JwtClaimValue, "The claim value (with jwtClaimName).")
	an.Describe(&a.JwtIssuer, "The issuer of an issuer-scoped mapping (unset: the mapping for every issuer).")
}

func (a *ListJwtKeyMappingsArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.JwtClaimName, "Only the mappings of this claim name.")
	}
}

func (r *JwtKeyMappingResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.MappingID, "The mapping's ID.")
	a.Describe(&r.JwtClaimName, "The claim name.")
	a.Describe(&r.JwtClaimValue, "The claim value.")
	a.Describe(&r.JwtIssuer, "The issuer (unset: every issuer).")
	a.Describe(&r.Description, "The description.")
	a.Describe(&r.IsActive, "Whether the mapping authenticates callers.")
	a.Describe(&r.CreatedAt, "When the mapping was created.")
	a.Describe(&r.CreatedBy, "Who created the mapping.")
	a.Describe(&r.UpdatedAt, "When the mapping was last changed.")
	a.Describe(&r.UpdatedBy, "Who last changed the mapping.")
}

func (f *ListJwtKeyMappings) Annotate(a infer.Annotator) {
	a.SetToken("index", "listJwtKeyMappings")
	if documenting() {
		a.Describe(f, "Lists every JWT key mapping of the proxy (from its database).")
	}
}

func (r *ListJwtKeyMappingsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Mappings, "The mappings, by claim name and value.")
	}
}

// Invoke reads the mapping.
func (GetJwtKeyMapping) Invoke(ctx context.Context, req infer.FunctionRequest[GetJwtKeyMappingArgs]) (infer.FunctionResponse[JwtKeyMappingResult], error) {
	e := getEnv(ctx)
	in := req.Input
	id := deref(in.MappingID)
	byClaim := in.JwtClaimName != nil || in.JwtClaimValue != nil
	if (id == "") == !byClaim || (byClaim && (deref(in.JwtClaimName) == "" || deref(in.JwtClaimValue) == "")) {
		return infer.FunctionResponse[JwtKeyMappingResult]{}, fmt.Errorf("getJwtKeyMapping: set mappingId, or jwtClaimName and jwtClaimValue (and jwtIssuer for an issuer-scoped mapping)")
	}
	t := jwtKeyMappingTarget(e, id)
	if byClaim {
		claim := JwtKeyMappingArgs{JwtClaimName: *in.JwtClaimName, JwtClaimValue: *in.JwtClaimValue, JwtIssuer: in.JwtIssuer}
		t = byUniqueName(t, fmt.Sprintf("JWT key mapping of claim %s=%q", claim.JwtClaimName, claim.JwtClaimValue),
			e.client.JwtKeyMappings.List, func(m litellm.JwtKeyMapping) bool { return sameClaim(m, claim) })
	}
	m, err := runGet(ctx, e, t, true)
	if err != nil {
		return infer.FunctionResponse[JwtKeyMappingResult]{}, err
	}
	r, err := jwtKeyMappingResult(m)
	return infer.FunctionResponse[JwtKeyMappingResult]{Output: r}, err
}

// Invoke lists the mappings.
func (ListJwtKeyMappings) Invoke(ctx context.Context, req infer.FunctionRequest[ListJwtKeyMappingsArgs]) (infer.FunctionResponse[ListJwtKeyMappingsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "JWT key mappings", e.client.JwtKeyMappings.List, jwtKeyMappingResult,
		func(r JwtKeyMappingResult) string {
			return r.JwtClaimName + "\x00" + r.JwtClaimValue + "\x00" + deref(r.JwtIssuer)
		})
	rows = keepIf(rows, req.Input.JwtClaimName, func(r JwtKeyMappingResult) string { return r.JwtClaimName })
	return infer.FunctionResponse[ListJwtKeyMappingsResult]{Output: ListJwtKeyMappingsResult{Mappings: rows}}, err
}

// jwtKeyMappingResult maps a mapping answer.
func jwtKeyMappingResult(m litellm.JwtKeyMapping) (JwtKeyMappingResult, error) {
	obj := object{}
	for _, k := range []string{"id", "jwt_claim_name", "jwt_claim_value", "jwt_issuer", "description", "is_active",
		"created_at", "created_by", "updated_at", "updated_by"} {
		if v, ok := m[k]; ok && v != nil && v != "" {
			obj[k] = v
		}
	}
	var r JwtKeyMappingResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("JWT key mapping %v: unexpected answer: %w", m["id"], err)
	}
	return r, nil
}
