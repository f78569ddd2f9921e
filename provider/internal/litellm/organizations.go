package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// OrganizationsService: organizations and their members
// (docs/litellm/organizations.md). Organization reads come from the database
// (the primary, or a read replica when the proxy has one), not from a
// worker's memory; so do the existence checks inside the member calls.
type OrganizationsService struct{ c *Client }

var (
	// organization_id is honoured when sent. An organization_id that exists
	// makes the insert fail, and LiteLLM does not catch that: 500 (reported
	// on 1.92). Like any 5xx of a write it is ambiguous, and the caller
	// settles it by reading the ID (the ownership mark decides).
	organizationNew = endpoint{http.MethodPost, "/organization/new", nil}
	// A miss is a 404 {"detail": {"error": "Organization not found"}}
	// (LiteLLM's test_organization_lifecycle.py asserts the body).
	organizationInfo = endpoint{http.MethodGet, "/organization/info", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// PATCH (POST is a 405). Nulls are dropped (exclude_none), the metadata
	// is merged into the stored one, budget fields go to the organization's
	// budget row. A miss raises an uncaught ValueError (500): callers read
	// first.
	organizationUpdate = endpoint{http.MethodPatch, "/organization/update", nil}
	// DELETE with a body. Deletes the organization's teams, memberships and
	// keys first; a miss (or a repeat) is a 404 {"detail": {"error":
	// "Organization=X not found"}}, answered from the database.
	organizationDelete = endpoint{http.MethodDelete, "/organization/delete", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// An unknown organization is a 404 ("Organization not found for
	// organization_id=X", wrapped in a ProxyException). A user who is a
	// member already makes the membership insert fail: 500 "… Unique
	// constraint failed on the fields: (`user_id`,`organization_id`)", which
	// means "exists". A user_id that is no user yet is created by LiteLLM.
	organizationMemberAdd = endpoint{http.MethodPost, "/organization/member_add", []rule{
		{404, []string{"organization not found"}, KindNotFound, ""},
		{500, []string{"unique constraint failed"}, KindConflict, ""},
	}}
	// An unknown organization is a 400 ("Organization not found for
	// organization_id=X"); a user who is not a member is a 404 ("Member not
	// found in organization for user_id=X").
	organizationMemberUpdate = endpoint{http.MethodPatch, "/organization/member_update", []rule{
		{400, []string{"organization not found"}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
	// A user who is not a member answers 200 null (Prisma's delete returns
	// None): the membership is gone either way.
	organizationMemberDelete = endpoint{http.MethodDelete, "/organization/member_delete", nil}
)

// Organization is an organization as GET /organization/info returns it:
// organization_id, organization_alias, models, metadata, budget_id,
// litellm_budget_table (the budget and limits), members, teams...
type Organization map[string]any

// OrganizationMember is one member of an add: a user and its role
// (org_admin, internal_user, internal_user_viewer).
type OrganizationMember struct {
	UserID string `json:"user_id"`
	Role   string `json:"role"`
}

// organizationSecrets: an organization carries no secret field; the
// program's own secrets (WithRedactions) are redacted all the same.
func organizationSecrets(Organization) []string { return nil }

// Create sends POST /organization/new. The answer is discarded: state is
// built from the inputs and a read.
func (s *OrganizationsService) Create(ctx context.Context, o Organization) error {
	if o["organization_id"] == nil || o["organization_id"] == "" {
		return &Error{Kind: KindInvalid, Op: organizationNew.String(), Message: "empty organization id"}
	}
	return s.c.do(ctx, request{ep: &organizationNew, body: o, secrets: organizationSecrets(o)})
}

// Get reads GET /organization/info?organization_id=. An answer for another
// organization is a miss.
func (s *OrganizationsService) Get(ctx context.Context, id string) (Organization, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: organizationInfo.String(), Message: "empty organization id"}
	}
	var out Organization
	if err := s.c.do(ctx, request{ep: &organizationInfo, query: url.Values{"organization_id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	if out == nil || fmt.Sprint(out["organization_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: organizationInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no organization with id %q in the answer", id)}
	}
	return out, nil
}

// Update sends PATCH /organization/update with organization_id and the
// fields to write.
func (s *OrganizationsService) Update(ctx context.Context, id string, o Organization) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: organizationUpdate.String(), Message: "empty organization id"}
	}
	body := Organization{"organization_id": id}
	for k, v := range o {
		if k != "organization_id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &organizationUpdate, body: body, secrets: organizationSecrets(o)})
}

// Delete sends DELETE /organization/delete {"organization_ids": [id]}.
func (s *OrganizationsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: organizationDelete.String(), Message: "empty organization id"}
	}
	return s.c.do(ctx, request{ep: &organizationDelete, body: map[string][]string{"organization_ids": {id}}})
}

// AddMembers sends POST /organization/member_add {organization_id, member:
// [...]}. LiteLLM adds the members one after the other: when one fails, the
// ones before it are members already. It ignores max_budget_in_organization
// here, so it is never sent: budgets go through UpdateMember.
func (s *OrganizationsService) AddMembers(ctx context.Context, orgID string, members []OrganizationMember) error {
	if orgID == "" || len(members) == 0 {
		return &Error{Kind: KindInvalid, Op: organizationMemberAdd.String(), Message: "empty organization id or no member"}
	}
	for _, m := range members {
		if m.UserID == "" || m.Role == "" {
			return &Error{Kind: KindInvalid, Op: organizationMemberAdd.String(), Message: "a member without user id or role"}
		}
	}
	body := map[string]any{"organization_id": orgID, "member": members}
	return s.c.do(ctx, request{ep: &organizationMemberAdd, body: body})
}

// UpdateMember sends PATCH /organization/member_update: the role and the
// member's budget in the organization, each only when given (nil: leave
// it; LiteLLM ignores a null).
func (s *OrganizationsService) UpdateMember(ctx context.Context, orgID, userID string, role *string, maxBudget *float64) error {
	if orgID == "" || userID == "" {
		return &Error{Kind: KindInvalid, Op: organizationMemberUpdate.String(), Message: "empty organization or user id"}
	}
	body := map[string]any{"organization_id": orgID, "user_id": userID}
	if role != nil {
		body["role"] = *role
	}
	if maxBudget != nil {
		body["max_budget_in_organization"] = *maxBudget
	}
	return s.c.do(ctx, request{ep: &organizationMemberUpdate, body: body})
}

// DeleteMember sends DELETE /organization/member_delete {organization_id,
// user_id}. A user who is not a member is not an error.
func (s *OrganizationsService) DeleteMember(ctx context.Context, orgID, userID string) error {
	if orgID == "" || userID == "" {
		return &Error{Kind: KindInvalid, Op: organizationMemberDelete.String(), Message: "empty organization or user id"}
	}
	return s.c.do(ctx, request{ep: &organizationMemberDelete, body: map[string]string{"organization_id": orgID, "user_id": userID}})
}

// Members returns the organization's memberships as /organization/info
// lists them (user_id, user_role, budget_id...), rows without a user_id
// skipped.
func (o Organization) Members() []map[string]any {
	raw, _ := o["members"].([]any)
	var out []map[string]any
	for _, m := range raw {
		if mm, ok := m.(map[string]any); ok {
			if id, ok := mm["user_id"].(string); ok && id != "" {
				out = append(out, mm)
			}
		}
	}
	return out
}
