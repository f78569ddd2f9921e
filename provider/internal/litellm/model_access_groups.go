package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// ModelAccessGroupsService: legacy model access groups
// (model_access_group_management_endpoints.py, docs/litellm/model-access-groups.md).
// A group is not a row of its own: it is a name in the model_info.access_groups
// list of the deployments that belong to it, so it exists exactly while at
// least one deployment carries it. Reads come from the database. Writes
// rewrite the deployments' model_info, then reload the answering worker's
// router, and answer 500 "Access group 'X' was saved to the database, but
// model id(s) … are no longer live after the reload it triggered" when that
// reload stopped serving a model: the write is committed (KindNotLive).
//
// A group's shared budget (newest LiteLLM) is a row of
// LiteLLM_ModelAccessGroupBudgetTable linking the name to a budget.
type ModelAccessGroupsService struct{ c *Client }

var (
	// 409 when some deployment already carries the name; 400 when a model
	// name is not served by the answering worker's router (after a
	// read-through of the database on newest proxies) or a model ID is not
	// in the database.
	modelAccessGroupNew = endpoint{http.MethodPost, "/access_group/new", []rule{
		{409, []string{"already exists"}, KindConflict, ""},
		savedNotLive,
	}}
	// A miss is a 404 ("Access group 'X' not found").
	modelAccessGroupInfo = endpoint{http.MethodGet, "/access_group/{access_group}/info", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Replaces the membership: the selected deployments get the group, every
	// other deployment loses it. A group no deployment carries is a 404; a
	// concurrent edit holding the rows for 30 s is a 409 (try again).
	modelAccessGroupUpdate = endpoint{http.MethodPut, "/access_group/{access_group}/update", []rule{
		{404, nil, KindNotFound, ""},
		{409, []string{"another edit holds"}, KindTransient, ""},
		savedNotLive,
	}}
	// Removes the group from every deployment and drops its budget link; a
	// miss (or a repeat) is a 404.
	modelAccessGroupDelete = endpoint{http.MethodDelete, "/access_group/{access_group}/delete", []rule{
		{404, nil, KindNotFound, ""},
		savedNotLive,
	}}
	modelAccessGroupList = endpoint{http.MethodGet, "/access_group/list", nil}
	// The budget sub-routes: a group no deployment carries is a 404.
	modelAccessGroupBudgetGet = endpoint{http.MethodGet, "/access_group/{access_group}/budget", []rule{
		{404, nil, KindNotFound, ""},
	}}
	modelAccessGroupBudgetSet = endpoint{http.MethodPut, "/access_group/{access_group}/budget", []rule{
		{404, nil, KindNotFound, ""},
	}}
	modelAccessGroupBudgetDelete = endpoint{http.MethodDelete, "/access_group/{access_group}/budget", []rule{
		{404, nil, KindNotFound, ""},
	}}
)

// ModelAccessGroup is a group as LiteLLM reads it (AccessGroupInfo):
// access_group, model_names (sorted, unique), deployment_count, spend and
// budget ({budget_id, max_budget, soft_budget, budget_duration,
// budget_reset_at} or null). Writes take access_group and model_names or
// model_ids.
type ModelAccessGroup map[string]any

// ModelAccessGroupBudget is a group's budget as the budget routes read it
// (AccessGroupBudgetResponse): access_group, spend, budget (null: none).
type ModelAccessGroupBudget map[string]any

// Create sends POST /access_group/new.
func (s *ModelAccessGroupsService) Create(ctx context.Context, g ModelAccessGroup) error {
	if g["access_group"] == nil || g["access_group"] == "" {
		return &Error{Kind: KindInvalid, Op: modelAccessGroupNew.String(), Message: "empty access group name"}
	}
	return s.c.do(ctx, request{ep: &modelAccessGroupNew, body: g})
}

// Get reads GET /access_group/{name}/info.
func (s *ModelAccessGroupsService) Get(ctx context.Context, name string) (ModelAccessGroup, error) {
	if name == "" {
		return nil, &Error{Kind: KindInvalid, Op: modelAccessGroupInfo.String(), Message: "empty access group name"}
	}
	var out ModelAccessGroup
	if err := s.c.do(ctx, request{ep: &modelAccessGroupInfo, args: []string{name}, out: &out}); err != nil {
		return nil, err
	}
	if fmt.Sprint(out["access_group"]) != name {
		return nil, &Error{Kind: KindNotFound, Op: modelAccessGroupInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no access group %q in the answer", name)}
	}
	return out, nil
}

// Update sends PUT /access_group/{name}/update with model_names or
// model_ids (the name in the body, if any, is dropped: the path names it).
func (s *ModelAccessGroupsService) Update(ctx context.Context, name string, g ModelAccessGroup) error {
	if name == "" {
		return &Error{Kind: KindInvalid, Op: modelAccessGroupUpdate.String(), Message: "empty access group name"}
	}
	body := ModelAccessGroup{}
	for k, v := range g {
		if k != "access_group" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &modelAccessGroupUpdate, args: []string{name}, body: body})
}

// Delete sends DELETE /access_group/{name}/delete.
func (s *ModelAccessGroupsService) Delete(ctx context.Context, name string) error {
	if name == "" {
		return &Error{Kind: KindInvalid, Op: modelAccessGroupDelete.String(), Message: "empty access group name"}
	}
	return s.c.do(ctx, request{ep: &modelAccessGroupDelete, args: []string{name}})
}

// List reads GET /access_group/list ({"access_groups": [...]}).
func (s *ModelAccessGroupsService) List(ctx context.Context) ([]ModelAccessGroup, error) {
	var out struct {
		AccessGroups []ModelAccessGroup `json:"access_groups"`
	}
	if err := s.c.do(ctx, request{ep: &modelAccessGroupList, out: &out}); err != nil {
		return nil, err
	}
	rows := out.AccessGroups[:0]
	for _, g := range out.AccessGroups {
		if n, ok := g["access_group"].(string); ok && n != "" {
			rows = append(rows, g)
		}
	}
	return rows, nil
}

// GetBudget reads GET /access_group/{name}/budget.
func (s *ModelAccessGroupsService) GetBudget(ctx context.Context, name string) (ModelAccessGroupBudget, error) {
	if name == "" {
		return nil, &Error{Kind: KindInvalid, Op: modelAccessGroupBudgetGet.String(), Message: "empty access group name"}
	}
	var out ModelAccessGroupBudget
	if err := s.c.do(ctx, request{ep: &modelAccessGroupBudgetGet, args: []string{name}, out: &out}); err != nil {
		return nil, err
	}
	return out, nil
}

// SetBudget sends PUT /access_group/{name}/budget {max_budget?,
// soft_budget?, budget_duration?, budget_id?} (an upsert) and returns the
// stored budget.
func (s *ModelAccessGroupsService) SetBudget(ctx context.Context, name string, b map[string]any) (ModelAccessGroupBudget, error) {
	if name == "" {
		return nil, &Error{Kind: KindInvalid, Op: modelAccessGroupBudgetSet.String(), Message: "empty access group name"}
	}
	var out ModelAccessGroupBudget
	if err := s.c.do(ctx, request{ep: &modelAccessGroupBudgetSet, args: []string{name}, body: b, out: &out}); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteBudget sends DELETE /access_group/{name}/budget. It answers 200
// with budget_deleted false when the group had no budget: that is a miss.
func (s *ModelAccessGroupsService) DeleteBudget(ctx context.Context, name string) error {
	if name == "" {
		return &Error{Kind: KindInvalid, Op: modelAccessGroupBudgetDelete.String(), Message: "empty access group name"}
	}
	var out struct {
		BudgetDeleted *bool `json:"budget_deleted"`
	}
	if err := s.c.do(ctx, request{ep: &modelAccessGroupBudgetDelete, args: []string{name}, out: &out}); err != nil {
		return err
	}
	if out.BudgetDeleted != nil && !*out.BudgetDeleted {
		return &Error{Kind: KindNotFound, Op: modelAccessGroupBudgetDelete.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("access group %q has no budget to delete", name)}
	}
	return nil
}
