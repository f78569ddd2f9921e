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
