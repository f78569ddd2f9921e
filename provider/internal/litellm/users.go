package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// UsersService: internal users (docs/litellm/users.md). User reads come from
// the database (the primary, or a read replica when the proxy has one), not
// from a worker's memory.
type UsersService struct{ c *Client }

// emailTakenHint: /user/new refuses a second user with the same e-mail
// (case-insensitive on newer proxies); the create cannot succeed under any ID.
const emailTakenHint = "a user with this e-mail already exists on the proxy: import it (pulumi import " +
	"litellm:index:User <name> <its user id>), set adoptByEmail: true to take it over, or choose another userEmail"

var (
	// Newer proxies check the user_id first: 409 "User with id X already
	// exists" (BerriAI/litellm PR #17559); older ones have no such check and
	// answer 200 without writing (the insert is an upsert that changes
	// nothing), which Users' callers must confirm by reading. An e-mail in use
	// is 409 "User with email X already exists" (older: 400).
	userNew = endpoint{http.MethodPost, "/user/new", []rule{
		{409, []string{"user with id"}, KindConflict, ""},
		{409, []string{"user with email"}, KindInvalid, emailTakenHint},
		{400, []string{"user with email"}, KindInvalid, emailTakenHint},
	}}
	// A miss is a 404 ("User X not found") on newer proxies; older ones
	// answer 200 with a user_info that is not the user (Get).
	userInfo = endpoint{http.MethodGet, "/user/info", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Fields left out stay as they are; null, [] and {} are ignored except a
	// null max_budget on newer proxies. An unknown user_id is not an error:
	// LiteLLM upserts, creating a user with the fields sent.
	userUpdate = endpoint{http.MethodPost, "/user/update", nil}
	// Deletes the user's keys, invitation links and memberships too. A miss
	// (or a repeat) is a 404 ("User not found, passed user_id=X").
	userDelete = endpoint{http.MethodPost, "/user/delete", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Paginated; newer proxies filter user_email by a case-insensitive
	// substring, older ones ignore the parameter.
	userList = endpoint{http.MethodGet, "/user/list", nil}
)

// User is a user row as LiteLLM reads and writes it (user_info of
// /user/info): user_id, user_email, user_alias, user_role, models, metadata,
// budgets, limits, teams...
type User map[string]any

// Create sends POST /user/new with auto_create_key and send_invite_email
// false (LiteLLM otherwise mints a key and returns it in the answer) and
// without teams (memberships are not the user's to set). The answer is
// discarded: state is built from the inputs and a read.
func (s *UsersService) Create(ctx context.Context, u User) error {
	if u["user_id"] == nil || u["user_id"] == "" {
		return &Error{Kind: KindInvalid, Op: userNew.String(), Message: "empty user id"}
	}
	body := User{}
	for k, v := range u {
		if k != "teams" {
			body[k] = v
		}
	}
	body["auto_create_key"] = false
	body["send_invite_email"] = false
	return s.c.do(ctx, request{ep: &userNew, body: body})
}

// Get reads GET /user/info?user_id= and returns its user_info. An answer
// whose user_info is not that user (null, or {"spend": 0} on older proxies)
// is a miss.
func (s *UsersService) Get(ctx context.Context, id string) (User, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: userInfo.String(), Message: "empty user id"}
	}
	var out struct {
		UserID   any  `json:"user_id"`
		UserInfo User `json:"user_info"`
	}
	if err := s.c.do(ctx, request{ep: &userInfo, query: url.Values{"user_id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	if out.UserInfo == nil || fmt.Sprint(out.UserInfo["user_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: userInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no user with id %q in the answer", id)}
	}
	return out.UserInfo, nil
}

// Update sends POST /user/update with user_id and the fields to write
// (never teams).
func (s *UsersService) Update(ctx context.Context, id string, u User) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: userUpdate.String(), Message: "empty user id"}
	}
	body := User{"user_id": id}
	for k, v := range u {
		if k != "user_id" && k != "teams" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &userUpdate, body: body})
}

// Delete sends POST /user/delete {"user_ids": [id]}.
func (s *UsersService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: userDelete.String(), Message: "empty user id"}
	}
	return s.c.do(ctx, request{ep: &userDelete, body: map[string][]string{"user_ids": {id}}})
}

// maxListPages bounds FindByEmail's walk through /user/list (100 users a
// page).
const maxListPages = 1000

// FindByEmail returns the users whose user_email is email (compared as
// LiteLLM's duplicate check does: trimmed, case-insensitive), walking every
// page of GET /user/list?user_email= (the filter is a substring match on
// newer proxies and ignored by older ones).
func (s *UsersService) FindByEmail(ctx context.Context, email string) ([]User, error) {
	want := strings.TrimSpace(email)
	if want == "" {
		return nil, &Error{Kind: KindInvalid, Op: userList.String(), Message: "empty e-mail"}
	}
	var found []User
	for page := 1; page <= maxListPages; page++ {
		var out struct {
			Users      []User `json:"users"`
			TotalPages int    `json:"total_pages"`
		}
		q := url.Values{"user_email": {want}, "page": {strconv.Itoa(page)}, "page_size": {"100"}}
		if err := s.c.do(ctx, request{ep: &userList, query: q, out: &out}); err != nil {
			return nil, err
		}
		for _, u := range out.Users {
			if got, ok := u["user_email"].(string); ok && strings.EqualFold(strings.TrimSpace(got), want) {
				if id, ok := u["user_id"].(string); ok && id != "" {
					found = append(found, u)
				}
			}
		}
		if len(out.Users) == 0 || page >= out.TotalPages {
			break
		}
	}
	return found, nil
}
