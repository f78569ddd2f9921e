package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Policy attachments (LiteLLM 1.110.2 wheel,
// litellm/proxy/policy_engine/policy_endpoints.py: create, get, delete and
// list; attachment_registry.py; PolicyValidator.find_invalid_scope_entries
// in policy_validator.py; PolicyAttachmentCreateRequest and
// PolicyAttachmentDBResponse in
// litellm/types/proxy/policy_engine/resolver_types.py;
// LiteLLM_PolicyAttachmentTable in schema.prisma). Rows read from the
// database; no update route. Every handler runs with e.mu held.

// attachmentState is the table: rows by attachment_id, in creation order.
type attachmentState struct {
	rows  map[string]map[string]any
	order []string
}

// PolicyAttachments returns the stored rows, in creation order.
func (e *Emulator) PolicyAttachments() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range e.attachments.order {
		out = append(out, cloneMap(e.attachments.rows[id]))
	}
	return out
}

// UpdatePolicyAttachment changes a stored row out of band (LiteLLM has no
// update route; the admin UI deletes and re-creates).
func (e *Emulator) UpdatePolicyAttachment(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.attachments.rows[id]
	if row == nil {
		return false
	}
	for k, v := range fields {
		row[k] = cloneValue(v)
	}
	return true
}

// DeletePolicyAttachment deletes a stored row out of band.
func (e *Emulator) DeletePolicyAttachment(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.attachments.rows[id] == nil {
		return false
	}
	e.attachmentDeleteRow(id)
	return true
}

func (e *Emulator) attachmentDeleteRow(id string) {
	delete(e.attachments.rows, id)
	if i := slices.Index(e.attachments.order, id); i >= 0 {
		e.attachments.order = slices.Delete(e.attachments.order, i, i+1)
	}
}

// attachmentView is PolicyAttachmentDBResponse (is_default as default).
func attachmentView(r map[string]any) map[string]any {
	out := cloneMap(r)
	out["default"] = out["is_default"]
	delete(out, "is_default")
	out["definition_location"] = "db"
	return out
}

// attachmentScopeErrors is find_invalid_scope_entries: every concrete
// (not ending in '*') team alias, key alias or model that does not exist;
// models are looked up in the answering worker's router.
func (e *Emulator) attachmentScopeErrors(w *worker, body map[string]any) []string {
	var errs []string
	concrete := func(k string) []string {
		var out []string
		for _, v := range policyStrings(body[k]) {
			if s, _ := v.(string); !strings.HasSuffix(s, "*") {
				out = append(out, s)
			}
		}
		return out
	}
	msg := func(label, v string) string {
		return fmt.Sprintf("%s '%s' does not exist. Reference an existing %s or use a wildcard pattern (e.g. '%s*') to match by prefix.",
			strings.ToUpper(label[:1])+label[1:], v, label, v)
	}
	for _, t := range concrete("teams") {
		found := false
		for id := range e.teams {
			if row := e.teamCurrent(id); row != nil && row["team_alias"] == t {
				found = true
			}
		}
		if !found {
			errs = append(errs, msg("team", t))
		}
	}
	for _, k := range concrete("keys") {
		found := false
		for tok := range e.keys {
			if row := e.keyCurrent(tok); row != nil && row["key_alias"] == k {
				found = true
			}
		}
		if !found {
			errs = append(errs, msg("key", k))
		}
	}
	for _, m := range concrete("models") {
		found := false
		for _, d := range w.router {
			if d.ModelName == m {
				found = true
			}
		}
		if !found {
			errs = append(errs, msg("model", m))
		}
	}
	return errs
}

// attachmentCreate: POST /policies/attachments.
func attachmentCreate(e *Emulator, w *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "policy_name", "str", true)
	fieldCheck(&errs, body, "scope", "str", false)
	fieldCheck(&errs, body, "default", "bool", false)
	for _, k := range []string{"teams", "keys", "models", "tags"} {
		if v, ok := body[k]; ok && v != nil {
			if _, isList := v.([]any); !isList {
				errs = append(errs, verr{typ: "list_type", loc: loc(k), msg: "Input should be a valid list", input: v})
			}
		}
	}
	if v, ok := body["priority"]; ok && v != nil {
		if f, isNum := v.(float64); !isNum || f != float64(int64(f)) {
			errs = append(errs, verr{typ: "int_type", loc: loc("priority"), msg: "Input should be a valid integer", input: v})
		}
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	name := body["policy_name"]
	production := false
	for _, v := range e.policyVersionsOf(name) {
		if v["version_status"] == "production" {
			production = true
		}
	}
	if !production {
		return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Policy '%v' not found. Create the policy first.", name)})
	}
	if scopeErrs := e.attachmentScopeErrors(w, body); len(scopeErrs) > 0 {
		return reply(http.StatusBadRequest, map[string]any{"detail": strings.Join(scopeErrs, " | ")})
	}
	if e.attachments.rows == nil {
		e.attachments.rows = map[string]map[string]any{}
	}
	id := e.uuid4()
	now := e.timestamp(e.now())
	isDefault, _ := body["default"].(bool)
	row := map[string]any{"attachment_id": id, "policy_name": name, "scope": body["scope"],
		"teams": policyStrings(body["teams"]), "keys": policyStrings(body["keys"]), "models": policyStrings(body["models"]),
		"tags": policyStrings(body["tags"]), "priority": body["priority"], "is_default": isDefault,
		"created_at": now, "updated_at": now, "created_by": "default_user_id", "updated_by": "default_user_id"}
	e.attachments.rows[id] = row
	e.attachments.order = append(e.attachments.order, id)
	return reply(http.StatusOK, attachmentView(row))
}

func attachmentMiss(id string) response {
	return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Attachment with ID %s not found", id)})
}

// attachmentGet: GET /policies/attachments/{attachment_id}.
func attachmentGet(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	row := e.attachments.rows[id]
	if row == nil {
		return attachmentMiss(id)
	}
	return reply(http.StatusOK, attachmentView(row))
}

// attachmentDelete: DELETE /policies/attachments/{attachment_id}.
func attachmentDelete(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	if e.attachments.rows[id] == nil {
		return attachmentMiss(id)
	}
	e.attachmentDeleteRow(id)
	return reply(http.StatusOK, map[string]any{"message": fmt.Sprintf("Attachment %s deleted successfully", id)})
}

// attachmentList: GET /policies/attachments/list (the database's rows; no
// config-file attachments here).
func attachmentList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range e.attachments.order {
		out = append(out, attachmentView(e.attachments.rows[id]))
	}
	return reply(http.StatusOK, map[string]any{"attachments": out, "total_count": len(out)})
}
