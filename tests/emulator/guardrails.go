package emulator

import (
	"maps"
	"net/http"
	"strings"
)

// Guardrail endpoints (LiteLLM litellm/proxy/guardrails/guardrail_endpoints.py
// and guardrail_registry.py; Guardrail, LitellmParams, BaseLitellmParams,
// GuardrailInfoResponse in litellm/types/guardrails.py;
// LiteLLM_GuardrailsTable in litellm/proxy/schema.prisma; 1.110.2 wheel).
// Rows live in the DB (e.guardrails); reads by ID and the v2 listing come
// from it (the in-memory guardrails that serve traffic are not emulated).
// Every handler runs with e.mu held.

// guardrailBaseParams are fields of BaseLitellmParams that an answer's
// litellm_params carries as null when unset (a sample of the model's many).
var guardrailBaseParams = []string{"api_key", "api_base", "default_on", "mask_request_content", "mask_response_content",
	"mcp_block_behavior", "guard_name", "detect_secrets_config", "category_thresholds"}

// guardrailSensitive is has_sensitive_keyword (litellm_logging.py): a
// substring match.
func guardrailSensitive(k string) bool {
	lk := strings.ToLower(k)
	for _, w := range []string{"authorization", "token", "key", "secret", "vertex_credentials", "credentials", "password", "passwd"} {
		if strings.Contains(lk, w) {
			return true
		}
	}
	return false
}

// guardrailMask is get_masked_values(unmasked_length=4,
// number_of_asterisks=4): under a sensitive key, a string becomes its first
// 2 characters, "****" and its last 2 ("*****" when 4 or shorter); objects
// are walked.
func guardrailMask(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch x := v.(type) {
		case map[string]any:
			out[k] = guardrailMask(x)
		case string:
			switch {
			case !guardrailSensitive(k):
				out[k] = x
			case len(x) <= 4:
				out[k] = "*****"
			default:
				out[k] = x[:2] + "****" + x[len(x)-2:]
			}
		default:
			out[k] = cloneValue(v)
		}
	}
	return out
}

// Guardrails returns the stored guardrail rows (plaintext), sorted by ID.
func (e *Emulator) Guardrails() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.guardrails) {
		out = append(out, cloneMap(e.guardrails[id]))
	}
	return out
}

// UpdateGuardrail changes a stored guardrail out of band.
func (e *Emulator) UpdateGuardrail(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.guardrails[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteGuardrail deletes a stored guardrail out of band.
func (e *Emulator) DeleteGuardrail(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.guardrails[id] == nil {
		return false
	}
	delete(e.guardrails, id)
	return true
}

// guardrailView is GuardrailInfoResponse: litellm_params masked, with the
// base model's unset fields as null, guardrail_definition_location "db".
func guardrailView(row map[string]any) map[string]any {
	params := guardrailMask(asMap(row["litellm_params"]))
	for _, k := range guardrailBaseParams {
		if _, ok := params[k]; !ok {
			params[k] = nil
		}
	}
	info := cloneMap(asMap(row["guardrail_info"]))
	return map[string]any{"guardrail_id": row["guardrail_id"], "guardrail_name": row["guardrail_name"], "litellm_params": params,
		"guardrail_info": info, "created_at": row["created_at"], "updated_at": row["updated_at"], "guardrail_definition_location": "db"}
}

// guardrailRequest validates {"guardrail": {guardrail_name, litellm_params:
// {guardrail, mode, ...}, guardrail_info?}} (422) and rejects encrypted
// values (400).
func guardrailRequest(rq *request) (map[string]any, *response) {
	body, bad := bodyObject(rq)
	if bad != nil {
		return nil, bad
	}
	var errs []verr
	fieldCheck(&errs, body, "guardrail", "dict", true)
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return nil, &r
	}
	g := body["guardrail"].(map[string]any)
	fieldCheck(&errs, g, "guardrail_name", "str", true, "guardrail")
	fieldCheck(&errs, g, "litellm_params", "dict", true, "guardrail")
	fieldCheck(&errs, g, "guardrail_info", "dict", false, "guardrail")
	if p, ok := g["litellm_params"].(map[string]any); ok {
		fieldCheck(&errs, p, "guardrail", "str", true, "guardrail", "litellm_params")
		if _, ok := p["mode"]; !ok {
			errs = append(errs, verr{typ: "missing", loc: loc("guardrail", "litellm_params", "mode"), msg: "Field required", input: p})
		}
		for _, v := range p {
			if s, ok := v.(string); ok && strings.HasPrefix(s, "litellm_enc::") {
				r := reply(http.StatusBadRequest, map[string]any{"detail": "litellm_params values must not start with 'litellm_enc::'"})
				return nil, &r
			}
		}
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return nil, &r
	}
	return g, nil
}

// guardrailNameTaken is the unique index on guardrail_name.
func (e *Emulator) guardrailNameTaken(name, self string) bool {
	for id, row := range e.guardrails {
		if id != self && row["guardrail_name"] == name {
			return true
		}
	}
	return false
}

// POST /guardrails: a guardrail_id in the body is ignored (the DB makes a
// uuid); the answer is the request's guardrail with the new guardrail_id.
func guardrailCreate(e *Emulator, _ *worker, rq *request) response {
	g, bad := guardrailRequest(rq)
	if bad != nil {
		return *bad
	}
	name := g["guardrail_name"].(string)
	if e.guardrailNameTaken(name, "") {
		return reply(http.StatusInternalServerError, map[string]any{"detail": "Error adding guardrail to DB: Unique constraint failed on the fields: (`guardrail_name`)"})
	}
	id := e.uuid4()
	now := e.timestamp(e.now())
	e.guardrails[id] = map[string]any{"guardrail_id": id, "guardrail_name": name, "litellm_params": cloneMap(asMap(g["litellm_params"])),
		"guardrail_info": cloneMap(asMap(g["guardrail_info"])), "created_at": now, "updated_at": now, "team_id": nil, "status": "active"}
	out := cloneMap(g)
	out["guardrail_id"] = id
	return reply(http.StatusOK, out)
}

// GET /guardrails/{id} and /guardrails/{id}/info: the DB row; a miss is a 404.
func guardrailInfo(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	row := e.guardrails[id]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": "Guardrail with ID " + id + " not found"})
	}
	return reply(http.StatusOK, guardrailView(row))
}

// PUT /guardrails/{id}: guardrail_name, litellm_params and guardrail_info
// replaced by the body's (guardrail_info absent: {}); a miss is a 404.
func guardrailUpdate(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	g, bad := guardrailRequest(rq)
	if bad != nil {
		return *bad
	}
	row := e.guardrails[id]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": "Guardrail with ID " + id + " not found"})
	}
	name := g["guardrail_name"].(string)
	if e.guardrailNameTaken(name, id) {
		return reply(http.StatusInternalServerError, map[string]any{"detail": "Error updating guardrail in DB: Unique constraint failed on the fields: (`guardrail_name`)"})
	}
	row = cloneMap(row)
	row["guardrail_name"] = name
	row["litellm_params"] = cloneMap(asMap(g["litellm_params"]))
	row["guardrail_info"] = cloneMap(asMap(g["guardrail_info"]))
	row["updated_at"] = e.timestamp(e.now())
	e.guardrails[id] = row
	out := cloneMap(g)
	out["guardrail_id"] = id
	return reply(http.StatusOK, out)
}

// DELETE /guardrails/{id} → {"message": "Guardrail X deleted successfully"};
// a miss (or a repeat) is a 404.
func guardrailDelete(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	if e.guardrails[id] == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": "Guardrail with ID " + id + " not found"})
	}
	delete(e.guardrails, id)
	return reply(http.StatusOK, map[string]any{"message": "Guardrail " + id + " deleted successfully"})
}

// GET /v2/guardrails/list → {"guardrails": [...]}: the DB rows, as /info
// shows them.
func guardrailList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range sortedKeys(e.guardrails) {
		out = append(out, guardrailView(e.guardrails[id]))
	}
	return reply(http.StatusOK, map[string]any{"guardrails": out})
}
