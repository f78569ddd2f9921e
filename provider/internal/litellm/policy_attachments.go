package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// PolicyAttachmentsService: where policies apply, rows of
// LiteLLM_PolicyAttachmentTable (attachment_id, policy_name, scope, teams,
// keys, models, tags, priority, is_default), read from the database
// (docs/litellm/policy-attachments.md). There is no update: an attachment
// is created and deleted.
type PolicyAttachmentsService struct{ c *Client }

// attachmentModelHint: a concrete model of the scope that the answering
// worker's router does not serve (a model created moments ago may not be
// loaded there yet).
const attachmentModelHint = "models must name models the proxy serves (or end with '*'); a model created moments ago " +
	"may not be loaded yet by the worker that answered"

var (
	// The attachment_id is the table's uuid (none can be sent). A policy
	// without a production version: 404 "Policy 'X' not found. Create the
	// policy first."; a concrete team alias, key alias or model that does
	// not exist: 400 "Team 'X' does not exist. …" (several joined by " | ").
	attachmentCreate = endpoint{http.MethodPost, "/policies/attachments", []rule{
		{404, []string{"create the policy first"}, KindInvalid, "policyName must name a policy with a production version: create it first (e.g. a litellm:index:Policy)"},
		{400, []string{"model '"}, KindInvalid, attachmentModelHint},
	}}
	// A miss: 404 "Attachment with ID X not found".
	attachmentGet = endpoint{http.MethodGet, "/policies/attachments/{attachment_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// A miss (or a repeat): 404.
	attachmentDelete = endpoint{http.MethodDelete, "/policies/attachments/{attachment_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// {"attachments": [...], "total_count"}: the database's, then the
	// config file's (attachment_id "config-<index>").
	attachmentList = endpoint{http.MethodGet, "/policies/attachments/list", nil}
)

// PolicyAttachment is an attachment as LiteLLM reads and writes it.
type PolicyAttachment map[string]any

// Create sends POST /policies/attachments and returns the ID the proxy
// chose.
func (s *PolicyAttachmentsService) Create(ctx context.Context, a PolicyAttachment) (string, error) {
	var out PolicyAttachment
	if err := s.c.do(ctx, request{ep: &attachmentCreate, body: a, out: &out}); err != nil {
		return "", err
	}
	id, _ := out["attachment_id"].(string)
	return id, nil
}

// Get reads GET /policies/attachments/{id}.
func (s *PolicyAttachmentsService) Get(ctx context.Context, id string) (PolicyAttachment, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: attachmentGet.String(), Message: "empty attachment id"}
	}
	var out PolicyAttachment
	if err := s.c.do(ctx, request{ep: &attachmentGet, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	if out["attachment_id"] != id {
		return nil, &Error{Kind: KindNotFound, Op: attachmentGet.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no attachment with id %q in the answer", id)}
	}
	return out, nil
}

// Delete sends DELETE /policies/attachments/{id}.
func (s *PolicyAttachmentsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: attachmentDelete.String(), Message: "empty attachment id"}
	}
	return s.c.do(ctx, request{ep: &attachmentDelete, args: []string{id}})
}

// List reads GET /policies/attachments/list.
func (s *PolicyAttachmentsService) List(ctx context.Context) ([]PolicyAttachment, error) {
	var out struct {
		Attachments []PolicyAttachment `json:"attachments"`
	}
	if err := s.c.do(ctx, request{ep: &attachmentList, out: &out}); err != nil {
		return nil, err
	}
	rows := []PolicyAttachment{}
	for _, a := range out.Attachments {
		if id, ok := a["attachment_id"].(string); ok && id != "" {
			rows = append(rows, a)
		}
	}
	return rows, nil
}
