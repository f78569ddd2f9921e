package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"strings"
)

// Virtual key endpoints (LiteLLM litellm/proxy/management_endpoints/
// key_management_endpoints.py). Keys live in the store only, addressed by
// their token (sha256 hex of the value); reads see the replica like teams.
// Every handler runs with e.mu held.

// tokenOf is LiteLLM's hash_token; a value without "sk" is taken as a token
// already (as regenerate_key_fn does).
func tokenOf(key string) string {
	if !strings.Contains(key, "sk") {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// keyColumns are the request fields stored as columns of
// LiteLLM_VerificationToken (the rest of the request is ignored).
var keyColumns = []string{"key_alias", "team_id", "user_id", "models", "max_budget", "soft_budget", "budget_duration",
	"tpm_limit", "rpm_limit", "max_parallel_requests", "model_max_budget", "metadata", "blocked", "aliases", "config",
	"permissions", "allowed_cache_controls", "allowed_routes"}

func (e *Emulator) keyCurrent(token string) map[string]any { return deref(latest(e.keys[token])) }

func (e *Emulator) keyRead(token string) map[string]any {
	return deref(asOf(e.keys[token], e.now().Add(-e.opts.ReplicaLag)))
}

func (e *Emulator) keyPut(token string, row map[string]any) {
	var v *map[string]any
	if row != nil {
		v = &row
	}
	record(e.keys, token, v, e.now(), e.opts.ReplicaLag)
}

// Keys returns the stored key rows (the primary), each with its `token`,
// sorted by token.
func (e *Emulator) Keys() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, t := range sortedKeys(e.keys) {
		if row := e.keyCurrent(t); row != nil {
			out = append(out, cloneMap(row))
		}
	}
	return out
}

// DeleteKey deletes a stored key out of band.
func (e *Emulator) DeleteKey(token string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.keyCurrent(token) == nil {
		return false
	}
	e.keyPut(token, nil)
	return true
}

// aliasTaken reports another key with this alias (_enforce_unique_key_alias).
func (e *Emulator) aliasTaken(alias any, except string) bool {
	if alias == nil || alias == "" {
		return false
	}
	for t := range e.keys {
		if row := e.keyCurrent(t); row != nil && t != except && row["key_alias"] == alias {
			return true
		}
	}
	return false
}

// keyFields applies a request's fields to a key row: metadata-kept fields
// into the metadata, duration into expires, budget_duration into
// budget_reset_at (prepare_key_update_data, prepare_metadata_fields).
func (e *Emulator) keyFields(row, kv map[string]any) *response {
	if _, ok := kv["metadata"]; !ok || kv["metadata"] == nil {
		old, _ := row["metadata"].(map[string]any)
		kv["metadata"] = cloneMap(old)
		if kv["metadata"] == nil {
			kv["metadata"] = map[string]any{}
		}
	}
	meta := kv["metadata"].(map[string]any)
	for _, f := range teamMetadataFields {
		if v, ok := kv[f]; ok {
			delete(kv, f)
			if v != nil {
				meta[f] = v
			}
		}
	}
	if d, ok := kv["duration"]; ok {
		delete(kv, "duration")
		switch {
		case d == "-1" || d == nil:
			row["expires"] = nil
		default:
			at, bad := e.resetAt(d)
			if bad != nil {
				return bad
			}
			row["expires"] = at
		}
	}
	if d, ok := kv["budget_duration"]; ok && d != nil {
		at, bad := e.resetAt(d)
		if bad != nil {
			return bad
		}
		row["budget_reset_at"] = at
	}
	for _, k := range keyColumns {
		if v, ok := kv[k]; ok {
			row[k] = v
		}
	}
	return nil
}

// keyAnswer is a generate or regenerate answer: the row, the value and its token.
func keyAnswer(row map[string]any, value string) map[string]any {
	out := cloneMap(row)
	out["key"] = value
	out["token_id"] = row["token"]
	out["key_name"] = "sk-..." + value[max(0, len(value)-4):]
	return out
}

// POST /key/generate.
func keyGenerate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	value, _ := body["key"].(string)
	if value == "" {
		value = "sk-" + e.uuid4()
	}
	if !strings.HasPrefix(value, "sk-") {
		return reply(http.StatusBadRequest, detailError("Invalid key format. LiteLLM Virtual Key must start with 'sk-'."))
	}
	token := tokenOf(value)
	if existing := e.keyCurrent(token); existing != nil {
		if e.legacy {
			return reply(http.StatusInternalServerError, proxyError("Unique constraint failed on the fields: (`token`)", "internal_server_error", "None", 500))
		}
		return reply(http.StatusOK, keyAnswer(existing, value)) // a repeated value answers the existing key
	}
	if e.aliasTaken(body["key_alias"], "") {
		return reply(http.StatusBadRequest, proxyError(fmt.Sprintf("Unique key aliases across all keys are required. Key alias %v already exists.", body["key_alias"]),
			"bad_request_error", "key_alias", 400))
	}
	now := e.timestamp(e.now())
	row := map[string]any{
		"token": token, "key_name": "sk-..." + value[max(0, len(value)-4):], "key_alias": nil, "team_id": nil,
		"user_id": "default_user_id", "models": []any{}, "max_budget": nil, "soft_budget": nil, "budget_duration": nil,
		"budget_reset_at": nil, "tpm_limit": nil, "rpm_limit": nil, "max_parallel_requests": nil, "model_max_budget": map[string]any{},
		"metadata": map[string]any{}, "spend": 0.0, "expires": nil, "blocked": nil, "aliases": map[string]any{},
		"config": map[string]any{}, "permissions": map[string]any{}, "allowed_cache_controls": []any{}, "model_spend": map[string]any{},
		"created_at": now, "updated_at": now, "created_by": "default_user_id", "updated_by": "default_user_id",
	}
	kv := cloneMap(body)
	delete(kv, "key")
	if bad := e.keyFields(row, kv); bad != nil {
		return *bad
	}
	e.keyPut(token, row)
	return reply(http.StatusOK, keyAnswer(row, value))
}

// GET /key/info?key=<value or token>.
func keyInfoGet(e *Emulator, _ *worker, rq *request) response {
	k := rq.queryValue("key")
	row := e.keyRead(tokenOf(k))
	if k == "" || row == nil {
		return reply(http.StatusNotFound, proxyError("{'error': 'Key not found in database.'}", "not_found_error", "None", 404))
	}
	info := cloneMap(row)
	delete(info, "token")
	return reply(http.StatusOK, map[string]any{"key": k, "info": info})
}

// POST /key/update {"key", ...}: every field sent is written, null included.
func keyUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	k, _ := body["key"].(string)
	token := tokenOf(k)
	if e.keyRead(token) == nil || e.keyCurrent(token) == nil {
		return reply(http.StatusNotFound, detailError(fmt.Sprintf("Team not found, passed team_id=%v", body["team_id"])))
	}
	if t, ok := body["team_id"]; ok && (t == "" || (t != nil && e.teamCurrent(fmt.Sprint(t)) == nil)) {
		return reply(http.StatusInternalServerError, detailError("Team object not found for team change validation"))
	}
	if e.aliasTaken(body["key_alias"], token) {
		return reply(http.StatusBadRequest, proxyError(fmt.Sprintf("Unique key aliases across all keys are required. Key alias %v already exists.", body["key_alias"]),
			"bad_request_error", "key_alias", 400))
	}
	row := cloneMap(e.keyCurrent(token))
	kv := cloneMap(body)
	delete(kv, "key")
	if bad := e.keyFields(row, kv); bad != nil {
		return *bad
	}
	row["updated_at"] = e.timestamp(e.now())
	e.keyPut(token, row)
	out := cloneMap(row)
	delete(out, "token")
	return reply(http.StatusOK, out)
}

// POST /key/delete {"keys": [...]}: the keys found are deleted; none → 404.
func keyDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, _ := body["keys"].([]any)
	var deleted []any
	for _, v := range raw {
		t := tokenOf(fmt.Sprint(v))
		if e.keyCurrent(t) != nil {
			deleted = append(deleted, t)
		}
	}
	if len(deleted) == 0 {
		return reply(http.StatusNotFound, proxyError("{'error': 'No keys found'}", "auth_error", "None", 404))
	}
	for _, t := range deleted {
		e.keyPut(t.(string), nil)
	}
	return reply(http.StatusOK, map[string]any{"deleted_keys": deleted})
}

// POST /key/{key:path}/regenerate {"new_key"?}: the row gets a new token.
func keyRegenerate(e *Emulator, _ *worker, rq *request) response {
	k := rq.params[0]
	body, _ := rq.body.(map[string]any)
	token := tokenOf(k)
	row := e.keyCurrent(token)
	if row == nil {
		return reply(http.StatusNotFound, proxyError(fmt.Sprintf("{'error': 'Key %s not found.'}", k), "auth_error", "None", 404))
	}
	value, _ := body["new_key"].(string)
	if value == "" {
		value = "sk-" + e.uuid4()
	}
	if !strings.HasPrefix(value, "sk-") {
		return reply(http.StatusBadRequest, detailError("New key must start with 'sk-'. This is to distinguish a key hash (used by litellm for logging / internal logic) from the actual key."))
	}
	next := maps.Clone(row)
	next["token"] = tokenOf(value)
	next["key_name"] = "sk-..." + value[max(0, len(value)-4):]
	next["updated_at"] = e.timestamp(e.now())
	e.keyPut(token, nil)
	e.keyPut(tokenOf(value), next)
	return reply(http.StatusOK, keyAnswer(next, value))
}

// deleteTeamKeys is the team delete's cascade: the team's keys go with it.
func (e *Emulator) deleteTeamKeys(teamID string) {
	for t := range e.keys {
		if row := e.keyCurrent(t); row != nil && row["team_id"] == teamID {
			e.keyPut(t, nil)
		}
	}
}

// GET /key/list?page=&size=&team_id=&user_id=&return_full_object=: the
// keys' tokens, or with return_full_object the rows (with their token).
func keyList(e *Emulator, _ *worker, rq *request) response {
	page, size := intQuery(rq, "page", 1), intQuery(rq, "size", 10)
	var rows []map[string]any
	for _, t := range sortedKeys(e.keys) {
		row := e.keyRead(t)
		if row == nil {
			continue
		}
		if v := rq.queryValue("team_id"); v != "" && row["team_id"] != v {
			continue
		}
		if v := rq.queryValue("user_id"); v != "" && row["user_id"] != v {
			continue
		}
		rows = append(rows, row)
	}
	total := (len(rows) + size - 1) / size
	out := []any{}
	for i := (page - 1) * size; i < min(len(rows), page*size) && i >= 0; i++ {
		if rq.queryValue("return_full_object") == "true" {
			out = append(out, cloneMap(rows[i]))
		} else {
			out = append(out, rows[i]["token"])
		}
	}
	return reply(http.StatusOK, map[string]any{"keys": out, "total_count": len(rows), "current_page": page, "total_pages": total})
}

func intQuery(rq *request, k string, def int) int {
	var n int
	if _, err := fmt.Sscan(rq.queryValue(k), &n); err != nil || n < 1 {
		return def
	}
	return n
}
