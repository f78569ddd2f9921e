package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// Team and key blocks (LiteLLM team_endpoints.py block_team, unblock_team;
// key_management_endpoints.py block_key, unblock_key). A block is the
// `blocked` column of the row, written on the primary (a Prisma update by
// primary key), and read back by /team/info and /key/info. Every handler
// runs with e.mu held.

// blockTeam answers POST /team/block and /team/unblock {team_id}.
func blockTeam(blocked bool) handler {
	return func(e *Emulator, _ *worker, rq *request) response {
		body, bad := bodyObject(rq)
		if bad != nil {
			return *bad
		}
		var errs []verr
		fieldCheck(&errs, body, "team_id", "str", true)
		if len(errs) > 0 {
			return unprocessable(errs...)
		}
		id := body["team_id"].(string)
		row := e.teamCurrent(id)
		if row == nil {
			// The update finds no row (Prisma answers None).
			return reply(http.StatusNotFound, detailError(fmt.Sprintf("Team not found, passed team_id=%s", id)))
		}
		row = cloneMap(row)
		row["blocked"] = blocked
		row["updated_at"] = e.timestamp(e.now())
		e.teamPut(id, row)
		return reply(http.StatusOK, visibleTeam(row))
	}
}

// blockKey answers POST /key/block and /key/unblock {key}: an sk- value is
// hashed, anything else is taken as a token.
func blockKey(blocked bool) handler {
	return func(e *Emulator, _ *worker, rq *request) response {
		body, bad := bodyObject(rq)
		if bad != nil {
			return *bad
		}
		var errs []verr
		fieldCheck(&errs, body, "key", "str", true)
		if len(errs) > 0 {
			return unprocessable(errs...)
		}
		key := body["key"].(string)
		token := key
		if strings.HasPrefix(key, "sk-") {
			sum := sha256.Sum256([]byte(key))
			token = hex.EncodeToString(sum[:])
		}
		row := e.keyCurrent(token)
		if row == nil {
			// The update finds no row; the key-object lookup that follows fails.
			return reply(http.StatusUnauthorized, proxyError(fmt.Sprintf("Authentication Error, Invalid proxy server token passed. key=%s, "+
				"not found in db. Create key via `/key/generate` call.", token), "token_not_found_in_db", "key", 401))
		}
		row = cloneMap(row)
		row["blocked"] = blocked
		row["updated_at"] = e.timestamp(e.now())
		e.keyPut(token, row)
		return reply(http.StatusOK, cloneMap(row))
	}
}
