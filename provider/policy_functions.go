package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetPolicy reads a policy's production version by name (litellm:index:getPolicy).
type GetPolicy struct{}

// GetPolicyArgs are getPolicy's inputs.
type GetPolicyArgs struct {
	PolicyName string `pulumi:"policyName"`
}

// PolicyResult is one policy version as the functions return it.
type PolicyResult struct {
	PolicyID           *string          `pulumi:"policyId,optional" litellm:"policy_id,omitzero"`
	PolicyName         string           `pulumi:"policyName" litellm:"policy_name"`
	VersionNumber      *int             `pulumi:"versionNumber,optional" litellm:"version_number,omitzero"`
	VersionStatus      *string          `pulumi:"versionStatus,optional" litellm:"version_status,omitzero"`
	Inherit            *string          `pulumi:"inherit,optional" litellm:"inherit,omitzero"`
	Description        *string          `pulumi:"description,optional" litellm:"description,omitzero"`
	GuardrailsAdd      []string         `pulumi:"guardrailsAdd,optional" litellm:"guardrails_add,omitzero"`
	GuardrailsRemove   []string         `pulumi:"guardrailsRemove,optional" litellm:"guardrails_remove,omitzero"`
	Condition          *PolicyCondition `pulumi:"condition,optional" litellm:"condition,omitzero"`
	Pipeline           *PolicyPipeline  `pulumi:"pipeline,optional" litellm:"pipeline,omitzero"`
	DefinitionLocation *string          `pulumi:"definitionLocation,optional" litellm:"definition_location,omitzero"`
	CreatedAt          *string          `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt          *string          `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	ProductionAt       *string          `pulumi:"productionAt,optional" litellm:"production_at,omitzero"`
}

// ListPolicies lists the policy versions (litellm:index:listPolicies).
type ListPolicies struct{}

// ListPoliciesArgs filter listPolicies.
type ListPoliciesArgs struct {
	VersionStatus *string `pulumi:"versionStatus,optional"`
}

// ListPoliciesResult is listPolicies' output.
type ListPoliciesResult struct {
	Policies []PolicyResult `pulumi:"policies"`
}

func (r PolicyResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *PolicyResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetPolicy) Annotate(a infer.Annotator) {
	a.SetToken("index", "getPolicy")
	if documenting() {
		a.Describe(f, "Reads the production version of a policy by name. Policy reads come from the proxy's database: "+
			"a miss (no such policy, or none of its versions in production) fails at once.")
	}
}

func (a *GetPolicyArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.PolicyName, "The policy's name, e.g. a Policy resource's `policyName`.")
	}
}

func (a *ListPoliciesArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.VersionStatus, "Only the versions with this status: `draft`, `published` or `production`.")
	}
}

func (r *PolicyResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.PolicyID, "The version's ID (none for a policy of the proxy's config file).")
	a.Describe(&r.PolicyName, "The policy's name.")
	a.Describe(&r.VersionNumber, "The version's number.")
	a.Describe(&r.VersionStatus, "`draft`, `published` or `production`.")
	a.Describe(&r.Inherit, "The policy it inherits from.")
	a.Describe(&r.Description, "The description.")
	a.Describe(&r.GuardrailsAdd, "Guardrails the policy runs.")
	a.Describe(&r.GuardrailsRemove, "Inherited guardrails it does not run.")
	a.Describe(&r.Condition, "When the policy applies.")
	a.Describe(&r.Pipeline, "The ordered pipeline, if any.")
	a.Describe(&r.DefinitionLocation, "`db`, or `config` for a policy of the proxy's config file.")
	a.Describe(&r.CreatedAt, "When the version was created.")
	a.Describe(&r.UpdatedAt, "When the version was last changed.")
	a.Describe(&r.ProductionAt, "When the version was promoted to production.")
}

func (f *ListPolicies) Annotate(a infer.Annotator) {
	a.SetToken("index", "listPolicies")
	if documenting() {
		a.Describe(f, "Lists every version of every policy of the proxy (from its database), and the policies of its "+
			"config file.")
	}
}

func (r *ListPoliciesResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Policies, "The versions, by name and version number.")
	}
}

// Invoke reads the production version.
func (GetPolicy) Invoke(ctx context.Context, req infer.FunctionRequest[GetPolicyArgs]) (infer.FunctionResponse[PolicyResult], error) {
	e := getEnv(ctx)
	v, err := runGet(ctx, e, policyTarget(e, req.Input.PolicyName), true)
	if err != nil {
		return infer.FunctionResponse[PolicyResult]{}, err
	}
	r, err := policyResult(v)
	return infer.FunctionResponse[PolicyResult]{Output: r}, err
}

// Invoke lists the versions.
func (ListPolicies) Invoke(ctx context.Context, req infer.FunctionRequest[ListPoliciesArgs]) (infer.FunctionResponse[ListPoliciesResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "policies", e.client.Policies.List, policyResult, func(r PolicyResult) string {
		return fmt.Sprintf("%s\n%09d", r.PolicyName, deref(r.VersionNumber))
	})
	rows = keepIf(rows, req.Input.VersionStatus, func(r PolicyResult) string { return deref(r.VersionStatus) })
	return infer.FunctionResponse[ListPoliciesResult]{Output: ListPoliciesResult{Policies: rows}}, err
}

// policyResult maps a version: every field, the "unset" spellings left out.
func policyResult(v litellm.Policy) (PolicyResult, error) {
	obj := object{}
	for k, x := range v {
		if x != nil {
			obj[k] = x
		}
	}
	obj = withoutEmptyDefaults(policyNormalized(obj))
	var r PolicyResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("policy %v: unexpected answer: %w", v["policy_name"], err)
	}
	return r, nil
}
