package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// JWT key mapping endpoints (LiteLLM 1.110.2 wheel,
// litellm/proxy/management_endpoints/jwt_key_mapping_endpoints.py:
// create_jwt_key_mapping, update_jwt_key_mapping, delete_jwt_key_mapping,
// list_jwt_key_mappings, info_jwt_key_mapping; CreateJWTKeyMappingRequest,
// UpdateJWTKeyMappingRequest, JWTKeyMappingResponse in
// litellm/proxy/_types.py; LiteLLM_JWTKeyMapping in
// litellm/proxy/schema.prisma). Rows live in the database (e.jwtMappings),
// each with the token of an existing key (a foreign key that cascades on
// the key's delete). Every handler runs with e.mu held.

// JwtKeyMappings returns the stored mappings (the token included), sorted
// by claim name and value.
func (e *Emulator) JwtKeyMappings() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pruneMappings()
	var out []map[string]any
	for _, id := range sortedKeys(e.jwtMappings) {
		out = append(out, cloneMap(e.jwtMappings[id]))
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(a["jwt_claim_name"], a["jwt_claim_value"]), fmt.Sprint(b["jwt_claim_name"], b["jwt_claim_value"]))
	})
	return out
}

// UpdateJwtKeyMapping changes a stored mapping out of band.
func (e *Emulator) UpdateJwtKeyMapping(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.jwtMappings[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteJwtKeyMapping deletes a stored mapping out of band.
func (e *Emulator) DeleteJwtKeyMapping(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.jwtMappings[id] == nil {
		return false
	}
	delete(e.jwtMappings, id)
	return true
}

// pruneMappings drops the mappings whose key is gone: the foreign key
// cascades on the key's delete (onDelete: Cascade), which the emulator
// applies when the mappings are next touched.
func (e *Emulator) pruneMappings() {
	for id, row := range e.jwtMappings {
		if e.keyCurrent(fmt.Sprint(row["token"])) == nil {
			delete(e.jwtMappings, id)
		}
	}
}

var tokenHashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

const (
	exactlyOneIdentifier = "Provide exactly one of `key` (the plaintext virtual key) or `token` (its SHA-256 hash)."
	atMostOneIdentifier  = "Provide at most one of `key` (the plaintext virtual key) or `token` (its SHA-256 hash)."
)

func badRequest(msg string) response {
	return reply(http.StatusBadRequest, map[string]any{"detail": msg})
}

// mappingToken is _token_hash_for_create / _for_update: the token, or the
// hash of the key; "" with required false: none given.
func mappingToken(body map[string]any, required bool) (string, *response) {
	key, hasKey := body["key"].(string)
	token, hasToken := body["token"].(string)
	switch {
	case hasKey && hasToken:
		msg := atMostOneIdentifier
		if required {
			msg = exactlyOneIdentifier
		}
		r := badRequest(msg)
		return "", &r
	case hasToken:
		if !tokenHashPattern.MatchString(token) {
			r := badRequest("`token` must be the SHA-256 hash of a virtual key (64 lowercase hex characters). Pass the plaintext as `key` instead.")
			return "", &r
		}
		return token, nil
	case hasKey:
		return tokenOf(key), nil
	case required:
		r := badRequest(exactlyOneIdentifier)
		return "", &r
	}
	return "", nil
}

// mappingView is JWTKeyMappingResponse: no token; jwt_issuer "" as null.
func mappingView(row map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"id", "jwt_issuer", "jwt_claim_name", "jwt_claim_value", "description", "is_active",
		"created_at", "updated_at", "created_by", "updated_by"} {
		out[k] = row[k]
	}
	if out["jwt_issuer"] == "" {
		out["jwt_issuer"] = nil
	}
	return out
}

func mappingMissing() response {
	return reply(http.StatusNotFound, map[string]any{"detail": "Mapping not found"})
}

func (e *Emulator) claimTaken(issuer, name, value any, except string) bool {
	for id, row := range e.jwtMappings {
		if id != except && row["jwt_issuer"] == issuer && row["jwt_claim_name"] == name && row["jwt_claim_value"] == value {
			return true
		}
	}
	return false
}

// POST /jwt/key/mapping/new: 200 with the mapping (always active).
func jwtMappingCreate(e *Emulator, _ *worker, rq *request) response {
	e.pruneMappings()
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "jwt_claim_name", "str", true)
	fieldCheck(&errs, body, "jwt_claim_value", "str", true)
	for _, k := range []string{"key", "token", "jwt_issuer", "description"} {
		fieldCheck(&errs, body, k, "str", false)
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	token, bad := mappingToken(body, true)
	if bad != nil {
		return *bad
	}
	issuer, _ := body["jwt_issuer"].(string)
	if e.claimTaken(issuer, body["jwt_claim_name"], body["jwt_claim_value"], "") {
		shown := "None"
		if body["jwt_issuer"] != nil {
			shown = issuer
		}
		return reply(http.StatusConflict, map[string]any{"detail": fmt.Sprintf("A mapping for claim '%v' = '%v' already exists for issuer '%s'.",
			body["jwt_claim_name"], body["jwt_claim_value"], shown)})
	}
	if e.keyCurrent(token) == nil {
		return badRequest("The provided key does not match an existing virtual key.")
	}
	now := e.timestamp(e.now())
	id := e.uuid4()
	row := map[string]any{"id": id, "jwt_issuer": issuer, "jwt_claim_name": body["jwt_claim_name"],
		"jwt_claim_value": body["jwt_claim_value"], "token": token, "description": body["description"], "is_active": true,
		"created_at": now, "updated_at": now, "created_by": "default_user_id", "updated_by": "default_user_id"}
	e.jwtMappings[id] = row
	return reply(http.StatusOK, mappingView(row))
}

// POST /jwt/key/mapping/update {id, ...}: the fields sent are written
// (exclude_unset), but a null is dropped by the database client (so a null
// description does not clear it); jwt_issuer null is "" (every issuer).
func jwtMappingUpdate(e *Emulator, _ *worker, rq *request) response {
	e.pruneMappings()
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "id", "str", true)
	for _, k := range []string{"key", "token", "jwt_issuer", "description"} {
		fieldCheck(&errs, body, k, "str", false)
	}
	fieldCheck(&errs, body, "is_active", "bool", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	token, bad := mappingToken(body, false)
	if bad != nil {
		return *bad
	}
	id := body["id"].(string)
	row := e.jwtMappings[id]
	if row == nil {
		return mappingMissing()
	}
	next := cloneMap(row)
	if v, ok := body["jwt_issuer"]; ok {
		s, _ := v.(string)
		next["jwt_issuer"] = s
	}
	for _, k := range []string{"description", "is_active"} {
		if v, ok := body[k]; ok && v != nil {
			next[k] = v
		}
	}
	if token != "" {
		if e.keyCurrent(token) == nil {
			return badRequest("The provided key does not match an existing virtual key.")
		}
		next["token"] = token
	}
	if e.claimTaken(next["jwt_issuer"], next["jwt_claim_name"], next["jwt_claim_value"], id) {
		return reply(http.StatusConflict, map[string]any{"detail": "A mapping with those claim values already exists."})
	}
	next["updated_at"], next["updated_by"] = e.timestamp(e.now()), "default_user_id"
	e.jwtMappings[id] = next
	return reply(http.StatusOK, mappingView(next))
}

// POST /jwt/key/mapping/delete {id}: {"status": "success"}; a miss (or a
// repeat) is a 404.
func jwtMappingDelete(e *Emulator, _ *worker, rq *request) response {
	e.pruneMappings()
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "id", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id := body["id"].(string)
	if e.jwtMappings[id] == nil {
		return mappingMissing()
	}
	delete(e.jwtMappings, id)
	return reply(http.StatusOK, map[string]any{"status": "success"})
}

// GET /jwt/key/mapping/info?id=: a miss is a 404.
func jwtMappingInfo(e *Emulator, _ *worker, rq *request) response {
	e.pruneMappings()
	id := rq.queryValue("id")
	if id == "" {
		return reply(http.StatusUnprocessableEntity, map[string]any{"detail": []any{map[string]any{"type": "missing",
			"loc": []any{"query", "id"}, "msg": "Field required", "input": nil}}})
	}
	row := e.jwtMappings[id]
	if row == nil {
		return mappingMissing()
	}
	return reply(http.StatusOK, mappingView(row))
}

// GET /jwt/key/mapping/list?page=&size=: newest first, size at most 100.
func jwtMappingList(e *Emulator, _ *worker, rq *request) response {
	e.pruneMappings()
	page, size := 1, 50
	if v := rq.queryValue("page"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	if v := rq.queryValue("size"); v != "" {
		size, _ = strconv.Atoi(v)
	}
	if page < 1 || size < 1 || size > 100 {
		return reply(http.StatusUnprocessableEntity, map[string]any{"detail": []any{map[string]any{"type": "value_error",
			"loc": []any{"query", "size"}, "msg": "page must be ≥ 1 and size from 1 to 100", "input": rq.queryValue("size")}}})
	}
	ids := sortedKeys(e.jwtMappings)
	slices.SortStableFunc(ids, func(a, b string) int {
		return strings.Compare(fmt.Sprint(e.jwtMappings[b]["created_at"]), fmt.Sprint(e.jwtMappings[a]["created_at"]))
	})
	out := []any{}
	for i := (page - 1) * size; i < len(ids) && i < page*size; i++ {
		out = append(out, mappingView(e.jwtMappings[ids[i]]))
	}
	total := len(ids)
	return reply(http.StatusOK, map[string]any{"mappings": out, "total_count": total, "current_page": page,
		"total_pages": (total + size - 1) / size})
}
