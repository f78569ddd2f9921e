package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// TeamsService: teams (docs/litellm/teams.md). Team reads come from the
// database (the primary, or a read replica when the proxy has one), not
// from a worker's memory.
type TeamsService struct{ c *Client }

var (
	// A caller-chosen team_id that exists is a 400 ("Team id = X already
	// exists. Please use a different team id.").
	teamNew = endpoint{http.MethodPost, "/team/new", []rule{
		{400, []string{"already exists"}, KindConflict, ""},
		{500, []string{"unique constraint failed"}, KindConflict, ""}, // older proxies
	}}
	// A miss is a 404 ("Team not found, passed team id: X.").
	teamInfo = endpoint{http.MethodGet, "/team/info", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Fields left out of the body stay as they are; a field sent as null is
	// written as null (exclude_unset). A miss is a 404.
	teamUpdate = endpoint{http.MethodPost, "/team/update", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Deletes the team's keys and memberships too. A miss (or a repeat) is
	// a 404, answered from the database.
	teamDelete = endpoint{http.MethodPost, "/team/delete", []rule{
		{404, nil, KindNotFound, ""},
	}}
	teamList = endpoint{http.MethodGet, "/team/list", nil}
)

// Team is a team row as LiteLLM reads and writes it (team_info of
// /team/info): team_id, team_alias, models, metadata, budgets, limits...
type Team map[string]any

// Create sends POST /team/new. The answer (the new row) is discarded: state
// is built from the inputs and a read.
func (s *TeamsService) Create(ctx context.Context, t Team) error {
	if t["team_id"] == nil || t["team_id"] == "" {
		return &Error{Kind: KindInvalid, Op: teamNew.String(), Message: "empty team id"}
	}
	return s.c.do(ctx, request{ep: &teamNew, body: t})
}

// Get reads GET /team/info?team_id= and returns its team_info, with
// team_member_budget_table (the team's default member budget) when the
// proxy has one.
func (s *TeamsService) Get(ctx context.Context, id string) (Team, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: teamInfo.String(), Message: "empty team id"}
	}
	var out struct {
		TeamID   string `json:"team_id"`
		TeamInfo Team   `json:"team_info"`
	}
	if err := s.c.do(ctx, request{ep: &teamInfo, query: url.Values{"team_id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	if out.TeamInfo == nil || fmt.Sprint(out.TeamInfo["team_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: teamInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no team with id %q in the answer", id)}
	}
	return out.TeamInfo, nil
}

// Update sends POST /team/update with team_id and the fields to write.
func (s *TeamsService) Update(ctx context.Context, id string, t Team) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: teamUpdate.String(), Message: "empty team id"}
	}
	body := Team{"team_id": id}
	for k, v := range t {
		if k != "team_id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &teamUpdate, body: body})
}

// Delete sends POST /team/delete {"team_ids": [id]}.
func (s *TeamsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: teamDelete.String(), Message: "empty team id"}
	}
	return s.c.do(ctx, request{ep: &teamDelete, body: map[string][]string{"team_ids": {id}}})
}

// List reads GET /team/list (every team, for a proxy admin). Rows without a
// team_id are skipped.
func (s *TeamsService) List(ctx context.Context) ([]Team, error) {
	var out []Team
	if err := s.c.do(ctx, request{ep: &teamList, out: &out}); err != nil {
		return nil, err
	}
	rows := out[:0]
	for _, t := range out {
		if id, ok := t["team_id"].(string); ok && id != "" {
			rows = append(rows, t)
		}
	}
	return rows, nil
}
