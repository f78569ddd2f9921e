package litellm

import (
	"context"
	"net/http"
)

// Blocking teams and keys (docs/litellm/team-members.md#blocks). A block is
// the `blocked` column of the team or key row, written by these calls
// (idempotent: blocking a blocked team changes nothing) and read back by
// /team/info (team_info.blocked) and /key/info (info.blocked).

var (
	// A missing team: 404 {"detail": {"error": "Team not found, passed team_id=X"}}.
	teamBlock   = endpoint{http.MethodPost, "/team/block", []rule{{404, nil, KindNotFound, ""}}}
	teamUnblock = endpoint{http.MethodPost, "/team/unblock", []rule{{404, nil, KindNotFound, ""}}}
	// A missing key: the row update finds nothing and the key lookup that
	// follows fails with 401 "Authentication Error, Invalid proxy server
	// token passed. key=<token>, not found in db. Create key via
	// `/key/generate` call." (type token_not_found_in_db); with audit logs
	// on, 404 "Key X not found". Only that message is a miss: a wrong admin
	// key is a 401 of the same type with another message.
	keyBlock = endpoint{http.MethodPost, "/key/block", []rule{
		{401, []string{"not found in db. create key via"}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
	keyUnblock = endpoint{http.MethodPost, "/key/unblock", []rule{
		{401, []string{"not found in db. create key via"}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
)

// Block sends POST /team/block {team_id}.
func (s *TeamsService) Block(ctx context.Context, teamID string) error {
	return s.block(ctx, &teamBlock, teamID)
}

// Unblock sends POST /team/unblock {team_id}.
func (s *TeamsService) Unblock(ctx context.Context, teamID string) error {
	return s.block(ctx, &teamUnblock, teamID)
}

func (s *TeamsService) block(ctx context.Context, ep *endpoint, teamID string) error {
	if teamID == "" {
		return &Error{Kind: KindInvalid, Op: ep.String(), Message: "empty team id"}
	}
	return s.c.do(ctx, request{ep: ep, body: map[string]string{"team_id": teamID}})
}

// Block sends POST /key/block {key: <token>} (LiteLLM hashes an sk- value
// and takes anything else as a token: the value itself is never sent).
func (s *KeysService) Block(ctx context.Context, token string) error {
	return s.block(ctx, &keyBlock, token)
}

// Unblock sends POST /key/unblock {key: <token>}.
func (s *KeysService) Unblock(ctx context.Context, token string) error {
	return s.block(ctx, &keyUnblock, token)
}

func (s *KeysService) block(ctx context.Context, ep *endpoint, token string) error {
	if !IsToken(token) {
		return &Error{Kind: KindInvalid, Op: ep.String(), Message: "a key token (64 hex digits) is needed"}
	}
	return s.c.do(ctx, request{ep: ep, body: map[string]string{"key": token}, secrets: []string{token}})
}
