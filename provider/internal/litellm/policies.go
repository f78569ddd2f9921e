package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// PoliciesService: guardrail policies, rows of LiteLLM_PolicyTable
// (docs/litellm/policies.md). A policy is a name with numbered versions
// (unique per name and version_number), each draft, published or
// production; the production version is the one the proxy enforces. Reads
// come from the database.
type PoliciesService struct{ c *Client }

var (
	// Makes version 1, in production. A name that exists: 400 {"detail":
	// "Policy with name 'X' already exists"} (the unique name + version).
	policyCreate = endpoint{http.MethodPost, "/policies", []rule{
		{400, []string{"already exists"}, KindConflict, ""},
	}}
	// {"policy_name", "versions": [...] (version_number descending),
	// "total_count"}; an unknown name has no versions (200).
	policyVersions = endpoint{http.MethodGet, "/policies/name/{policy_name}/versions", nil}
	// A new draft version, a copy of the source (the production version
	// when no source_policy_id is sent). No production version: 404
	// "Error creating new version: No production version found for policy
	// 'X'".
	policyNewVersion = endpoint{http.MethodPost, "/policies/name/{policy_name}/versions", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Writes the fields sent that are not null into a draft; any other
	// status: 400 "Only draft versions can be updated. …". A miss: 404.
	policyUpdate = endpoint{http.MethodPut, "/policies/{policy_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// draft → published → production (the current production is demoted
	// to published). A wrong transition: 400; a miss: 404.
	policyStatus = endpoint{http.MethodPut, "/policies/{policy_id}/status", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Deletes every version of the name; an unknown name is a 200 too.
	policyDeleteAll = endpoint{http.MethodDelete, "/policies/name/{policy_name}/all-versions", nil}
	// One version by ID; a miss: 404 "Policy with ID X not found".
	policyGet = endpoint{http.MethodGet, "/policies/{policy_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Every version of every policy (?version_status= filters), and the
	// config file's policies (definition_location "config").
	policyList = endpoint{http.MethodGet, "/policies/list", nil}
)

// Policy is one policy version as LiteLLM reads and writes it.
type Policy map[string]any

// Create sends POST /policies (version 1, production).
func (s *PoliciesService) Create(ctx context.Context, p Policy) error {
	if name, _ := p["policy_name"].(string); name == "" {
		return &Error{Kind: KindInvalid, Op: policyCreate.String(), Message: "empty policy name"}
	}
	return s.c.do(ctx, request{ep: &policyCreate, body: p})
}

// Versions reads GET /policies/name/{name}/versions: every version,
// newest first.
func (s *PoliciesService) Versions(ctx context.Context, name string) ([]Policy, error) {
	if name == "" {
		return nil, &Error{Kind: KindInvalid, Op: policyVersions.String(), Message: "empty policy name"}
	}
	var out struct {
		Versions []Policy `json:"versions"`
	}
	if err := s.c.do(ctx, request{ep: &policyVersions, args: []string{name}, out: &out}); err != nil {
		return nil, err
	}
	rows := []Policy{}
	for _, v := range out.Versions {
		if v["policy_name"] == name {
			rows = append(rows, v)
		}
	}
	return rows, nil
}

// Production reads the versions of name and returns the production one.
// A name without versions, or without a production version (every
// version demoted or a draft), is a miss.
func (s *PoliciesService) Production(ctx context.Context, name string) (Policy, error) {
	versions, err := s.Versions(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		if v["version_status"] == "production" {
			return v, nil
		}
	}
	msg := fmt.Sprintf("policy %q has no versions", name)
	if len(versions) > 0 {
		msg = fmt.Sprintf("policy %q has no production version (%d other versions)", name, len(versions))
	}
	return nil, &Error{Kind: KindNotFound, Op: policyVersions.String(), Status: http.StatusOK, Message: msg}
}

// NewVersion sends POST /policies/name/{name}/versions and returns the new
// draft.
func (s *PoliciesService) NewVersion(ctx context.Context, name, sourceID string) (Policy, error) {
	body := map[string]any{}
	if sourceID != "" {
		body["source_policy_id"] = sourceID
	}
	var out Policy
	if err := s.c.do(ctx, request{ep: &policyNewVersion, args: []string{name}, body: body, out: &out}); err != nil {
		return nil, err
	}
	return out, nil
}

// Update sends PUT /policies/{id} (a draft only).
func (s *PoliciesService) Update(ctx context.Context, id string, p Policy) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: policyUpdate.String(), Message: "empty policy id"}
	}
	return s.c.do(ctx, request{ep: &policyUpdate, args: []string{id}, body: p})
}

// SetStatus sends PUT /policies/{id}/status {"version_status": status}.
func (s *PoliciesService) SetStatus(ctx context.Context, id, status string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: policyStatus.String(), Message: "empty policy id"}
	}
	return s.c.do(ctx, request{ep: &policyStatus, args: []string{id}, body: map[string]string{"version_status": status}})
}

// DeleteAll sends DELETE /policies/name/{name}/all-versions.
func (s *PoliciesService) DeleteAll(ctx context.Context, name string) error {
	if name == "" {
		return &Error{Kind: KindInvalid, Op: policyDeleteAll.String(), Message: "empty policy name"}
	}
	return s.c.do(ctx, request{ep: &policyDeleteAll, args: []string{name}})
}

// Get reads GET /policies/{id}: one version.
func (s *PoliciesService) Get(ctx context.Context, id string) (Policy, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: policyGet.String(), Message: "empty policy id"}
	}
	var out Policy
	if err := s.c.do(ctx, request{ep: &policyGet, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	return out, nil
}

// List reads GET /policies/list (every version, and the config file's
// policies).
func (s *PoliciesService) List(ctx context.Context) ([]Policy, error) {
	var out struct {
		Policies []Policy `json:"policies"`
	}
	if err := s.c.do(ctx, request{ep: &policyList, out: &out}); err != nil {
		return nil, err
	}
	rows := []Policy{}
	for _, p := range out.Policies {
		if name, ok := p["policy_name"].(string); ok && name != "" {
			rows = append(rows, p)
		}
	}
	return rows, nil
}
