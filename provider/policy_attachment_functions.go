package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetPolicyAttachment reads one attachment by ID (litellm:index:getPolicyAttachment).
type GetPolicyAttachment struct{}

// GetPolicyAttachmentArgs are getPolicyAttachment's inputs.
type GetPolicyAttachmentArgs struct {
	AttachmentID string `pulumi:"attachmentId"`
}

// PolicyAttachmentResult is an attachment as the functions return it.
type PolicyAttachmentResult struct {
	AttachmentID       string   `pulumi:"attachmentId" litellm:"attachment_id"`
	PolicyName         string   `pulumi:"policyName" litellm:"policy_name"`
	Scope              *string  `pulumi:"scope,optional" litellm:"scope,omitzero"`
	Teams              []string `pulumi:"teams,optional" litellm:"teams,omitzero"`
	Keys               []string `pulumi:"keys,optional" litellm:"keys,omitzero"`
	Models             []string `pulumi:"models,optional" litellm:"models,omitzero"`
	Tags               []string `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Priority           *int     `pulumi:"priority,optional" litellm:"priority,omitzero"`
	Default            *bool    `pulumi:"default,optional" litellm:"default,omitzero"`
	DefinitionLocation *string  `pulumi:"definitionLocation,optional" litellm:"definition_location,omitzero"`
	CreatedAt          *string  `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
}

// ListPolicyAttachments lists the attachments (litellm:index:listPolicyAttachments).
type ListPolicyAttachments struct{}

// ListPolicyAttachmentsArgs filter listPolicyAttachments.
type ListPolicyAttachmentsArgs struct {
	PolicyName *string `pulumi:"policyName,optional"`
}

// ListPolicyAttachmentsResult is listPolicyAttachments' output.
type ListPolicyAttachmentsResult struct {
	Attachments []PolicyAttachmentResult `pulumi:"attachments"`
}

func (r PolicyAttachmentResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *PolicyAttachmentResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetPolicyAttachment) Annotate(a infer.Annotator) {
	a.SetToken("index", "getPolicyAttachment")
	if documenting() {
		a.Describe(f, "Reads a policy attachment by ID. Attachment reads come from the proxy's database: a miss fails at once.")
	}
}

func (a *GetPolicyAttachmentArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.AttachmentID, "The attachment's ID, e.g. a PolicyAttachment resource's `attachmentId`.")
	}
}

func (a *ListPolicyAttachmentsArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.PolicyName, "Only the attachments of this policy.")
	}
}

func (r *PolicyAttachmentResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.AttachmentID, "The attachment's ID (`config-<n>` for one of the proxy's config file).")
	a.Describe(&r.PolicyName, "The attached policy.")
	a.Describe(&r.Scope, "`*` when the policy applies everywhere.")
	a.Describe(&r.Teams, "Team aliases or patterns.")
	a.Describe(&r.Keys, "Key aliases or patterns.")
	a.Describe(&r.Models, "Model names or patterns.")
	a.Describe(&r.Tags, "Tag patterns.")
	a.Describe(&r.Priority, "Execution order (lower first).")
	a.Describe(&r.Default, "Applied only when no other attachment matches.")
	a.Describe(&r.DefinitionLocation, "`db`, or `config` for one of the proxy's config file.")
	a.Describe(&r.CreatedAt, "When the attachment was created.")
}

func (f *ListPolicyAttachments) Annotate(a infer.Annotator) {
	a.SetToken("index", "listPolicyAttachments")
	if documenting() {
		a.Describe(f, "Lists the policy attachments of the proxy: the database's and those of its config file.")
	}
}

func (r *ListPolicyAttachmentsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Attachments, "The attachments, by policy name and ID.")
	}
}

// Invoke reads the attachment.
func (GetPolicyAttachment) Invoke(ctx context.Context, req infer.FunctionRequest[GetPolicyAttachmentArgs]) (infer.FunctionResponse[PolicyAttachmentResult], error) {
	e := getEnv(ctx)
	a, err := runGet(ctx, e, policyAttachmentTarget(e, req.Input.AttachmentID), true)
	if err != nil {
		return infer.FunctionResponse[PolicyAttachmentResult]{}, err
	}
	r, err := policyAttachmentResult(a)
	return infer.FunctionResponse[PolicyAttachmentResult]{Output: r}, err
}

// Invoke lists the attachments.
func (ListPolicyAttachments) Invoke(ctx context.Context, req infer.FunctionRequest[ListPolicyAttachmentsArgs]) (infer.FunctionResponse[ListPolicyAttachmentsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "policy attachments", e.client.PolicyAttachments.List, policyAttachmentResult,
		func(r PolicyAttachmentResult) string { return r.PolicyName + "\n" + r.AttachmentID })
	rows = keepIf(rows, req.Input.PolicyName, func(r PolicyAttachmentResult) string { return r.PolicyName })
	return infer.FunctionResponse[ListPolicyAttachmentsResult]{Output: ListPolicyAttachmentsResult{Attachments: rows}}, err
}

func policyAttachmentResult(a litellm.PolicyAttachment) (PolicyAttachmentResult, error) {
	obj := object{}
	for k, v := range a {
		if v != nil {
			obj[k] = v
		}
	}
	var r PolicyAttachmentResult
	if err := decodeObject(withoutEmptyDefaults(obj), &r); err != nil {
		return r, fmt.Errorf("policy attachment %v: unexpected answer: %w", a["attachment_id"], err)
	}
	return r, nil
}
