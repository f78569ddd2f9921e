package litellm

import (
	"context"
	"net/url"
	"strconv"
)

// Listings for the provider's listX functions: every page, until done.

// List returns every user (GET /user/list, page by page).
func (s *UsersService) List(ctx context.Context) ([]User, error) {
	var all []User
	for page := 1; page <= maxListPages; page++ {
		var out struct {
			Users      []User `json:"users"`
			TotalPages int    `json:"total_pages"`
		}
		q := url.Values{"page": {strconv.Itoa(page)}, "page_size": {"100"}}
		if err := s.c.do(ctx, request{ep: &userList, query: q, out: &out}); err != nil {
			return nil, err
		}
		for _, u := range out.Users {
			if id, ok := u["user_id"].(string); ok && id != "" {
				all = append(all, u)
			}
		}
		if len(out.Users) == 0 || page >= out.TotalPages {
			break
		}
	}
	return all, nil
}

// keyList is GET /key/list: with return_full_object the rows, each with its
// token; filters by team and user.
var keyList = endpoint{"GET", "/key/list", nil}

// List returns every key (GET /key/list?return_full_object=true, page by
// page), optionally of one team or user. Each row has its `token`.
func (s *KeysService) List(ctx context.Context, teamID, userID string) ([]Key, error) {
	var all []Key
	for page := 1; page <= maxListPages; page++ {
		var out struct {
			Keys       []any `json:"keys"`
			TotalPages int   `json:"total_pages"`
		}
		q := url.Values{"page": {strconv.Itoa(page)}, "size": {"100"}, "return_full_object": {"true"}}
		if teamID != "" {
			q.Set("team_id", teamID)
		}
		if userID != "" {
			q.Set("user_id", userID)
		}
		if err := s.c.do(ctx, request{ep: &keyList, query: q, out: &out}); err != nil {
			return nil, err
		}
		for _, raw := range out.Keys {
			row, ok := raw.(map[string]any)
			if !ok {
				continue // a bare token: older proxies without return_full_object
			}
			if t, ok := row["token"].(string); ok && IsToken(t) {
				all = append(all, Key(row))
			}
		}
		if len(out.Keys) == 0 || page >= out.TotalPages {
			break
		}
	}
	return all, nil
}

// The bare listings: each answers a JSON list of rows (every row, for a
// proxy admin), read from the database.
var (
	// organizationList is GET /organization/list: the rows with their
	// members and teams.
	organizationList = endpoint{"GET", "/organization/list", nil}
	// budgetList is GET /budget/list: every row of LiteLLM_BudgetTable.
	budgetList = endpoint{"GET", "/budget/list", nil}
	// projectList is GET /project/list: the rows with litellm_budget_table.
	projectList = endpoint{"GET", "/project/list", nil}
	// customerList is GET /customer/list: the rows (newer proxies with
	// litellm_budget_table).
	customerList = endpoint{"GET", "/customer/list", nil}
)

// listRows reads a bare listing and keeps the rows that have an ID under
// idKey.
func listRows[T ~map[string]any](ctx context.Context, c *Client, ep *endpoint, idKey string) ([]T, error) {
	var out []T
	if err := c.do(ctx, request{ep: ep, out: &out}); err != nil {
		return nil, err
	}
	rows := []T{}
	for _, r := range out {
		if id, ok := r[idKey].(string); ok && id != "" {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// List reads GET /organization/list.
func (s *OrganizationsService) List(ctx context.Context) ([]Organization, error) {
	return listRows[Organization](ctx, s.c, &organizationList, "organization_id")
}

// List reads GET /budget/list.
func (s *BudgetsService) List(ctx context.Context) ([]Budget, error) {
	return listRows[Budget](ctx, s.c, &budgetList, "budget_id")
}

// List reads GET /project/list.
func (s *ProjectsService) List(ctx context.Context) ([]Project, error) {
	return listRows[Project](ctx, s.c, &projectList, "project_id")
}

// List reads GET /customer/list.
func (s *CustomersService) List(ctx context.Context) ([]Customer, error) {
	return listRows[Customer](ctx, s.c, &customerList, "user_id")
}
