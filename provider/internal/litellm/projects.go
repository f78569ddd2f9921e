package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// ProjectsService: projects, which sit between a team and its keys
// (docs/litellm/projects.md). Project management is an Enterprise feature
// of LiteLLM: without a licence every write is refused with a 403. Project
// reads come from the database (the primary, or a read replica).
type ProjectsService struct{ c *Client }

// projectLicence: the 403 of every project write on a proxy without an
// Enterprise licence ("Project management is an enterprise feature. You
// must be a LiteLLM Enterprise user…"). Waiting cannot help.
var projectLicence = rule{403, []string{"enterprise feature", "enterprise user", "not_premium_user"}, KindForbidden,
	"projects are a LiteLLM Enterprise feature: the proxy needs an Enterprise licence (set LITELLM_LICENSE in the " +
		"proxy's environment and restart it)"}

// projectTeamMissing: the team a create or update names does not exist
// (404 "Team not found, team_id=X"): not the project's miss.
var projectTeamMissing = rule{404, []string{"team not found"}, KindInvalid,
	"the project's teamId names no team on the proxy"}

// projectKeysAttached: LiteLLM refuses to delete a project while keys
// belong to it.
const projectKeysAttachedHint = "delete the project's keys first, or detach them from the project (LiteLLM's " +
	"/key/update with project_id: null), then delete the project again"

var (
	// A project_id that exists: 400 "Project id = X already exists. Please
	// use a different project id.".
	projectNew = endpoint{http.MethodPost, "/project/new", []rule{
		projectLicence,
		projectTeamMissing,
		unknownBudget,
		{400, []string{"already exists"}, KindConflict, ""},
	}}
	// No licence check on reads. A miss: 404 "Project not found,
	// project_id=X".
	projectInfo = endpoint{http.MethodGet, "/project/info", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Only the fields sent that are not null are written (exclude_none).
	projectUpdate = endpoint{http.MethodPost, "/project/update", []rule{
		projectLicence,
		projectTeamMissing,
		unknownBudget,
		{404, []string{"project not found"}, KindNotFound, ""},
	}}
	// DELETE with a JSON body. A miss (or a repeat): 404 "Project not
	// found, project_id=X". Keys attached: 400 "Cannot delete project X. N
	// key(s) are associated with it. Please delete or reassign the keys
	// first.".
	projectDelete = endpoint{http.MethodDelete, "/project/delete", []rule{
		projectLicence,
		{404, []string{"project not found"}, KindNotFound, ""},
		{400, []string{"associated with it", "key(s)"}, KindInvalid, projectKeysAttachedHint},
	}}
)

// Project is a project row as LiteLLM reads and writes it: project_id,
// project_alias, description, team_id, models, metadata, blocked,
// budget_id, litellm_budget_table (the project's budget), spend, ...
type Project map[string]any

// Create sends POST /project/new. The answer is discarded: state is built
// from the inputs and a read.
func (s *ProjectsService) Create(ctx context.Context, pr Project) error {
	if pr["project_id"] == nil || pr["project_id"] == "" || pr["team_id"] == nil || pr["team_id"] == "" {
		return &Error{Kind: KindInvalid, Op: projectNew.String(), Message: "a project id and a team id are needed"}
	}
	return s.c.do(ctx, request{ep: &projectNew, body: pr})
}

// Get reads GET /project/info?project_id=. An answer that is not that
// project is a miss.
func (s *ProjectsService) Get(ctx context.Context, id string) (Project, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: projectInfo.String(), Message: "empty project id"}
	}
	var out Project
	if err := s.c.do(ctx, request{ep: &projectInfo, query: url.Values{"project_id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	if out == nil || fmt.Sprint(out["project_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: projectInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no project with id %q in the answer", id)}
	}
	return out, nil
}

// Update sends POST /project/update with project_id and the fields to
// write.
func (s *ProjectsService) Update(ctx context.Context, id string, pr Project) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: projectUpdate.String(), Message: "empty project id"}
	}
	body := Project{"project_id": id}
	for k, v := range pr {
		if k != "project_id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &projectUpdate, body: body})
}

// Delete sends DELETE /project/delete {"project_ids": [id]}.
func (s *ProjectsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: projectDelete.String(), Message: "empty project id"}
	}
	return s.c.do(ctx, request{ep: &projectDelete, body: map[string][]string{"project_ids": {id}}})
}
