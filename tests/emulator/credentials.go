package emulator

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// Credential endpoints (LiteLLM litellm/proxy/credential_endpoints/endpoints.py,
// litellm/models/credentials.py). The store is the DB; every worker serves
// reads from its own credential list (litellm.credential_list), refreshed on
// its reload tick. Every handler runs with e.mu held, on the answering worker
// wk.
//
// Newest (LiteLLM's integration test tests/integration/management/
// test_credential_display_name.py @ f3f411a8, and a LiteLLM 1.108.7 measured
// on 2026-12-01): display_name, "source": "db" on reads, 409 with advice on a
// duplicate, PATCH with a partial body and no renames, real 404s for PATCH and
// DELETE of an unknown name, param null in the error bodies. Legacy (endpoints.py
// @ 00d01bad): PATCH needs the whole CredentialItem and may rename, PATCH and
// DELETE *return* their errors as HTTP 200.

// credError is a credential endpoint's ProxyException (handle_exception_on_proxy):
// type internal_server_error; param null on the newest proxies, "None" on legacy.
func (e *Emulator) credError(msg string, code int) response {
	var param any = "None"
	if !e.legacy {
		param = nil
	}
	return reply(code, proxyError(msg, "internal_server_error", param, code))
}

// displayName validates and trims a display_name from a create or PATCH body:
// blank after trimming, or longer than 255 characters, is a 400. (LiteLLM's
// test asserts the 400s; the wording is the emulator's.)
func displayName(v string) (string, *response) {
	t := strings.TrimSpace(v)
	if t == "" || utf8.RuneCountInString(t) > 255 {
		r := reply(http.StatusBadRequest, proxyError("display_name must be 1 to 255 characters after trimming surrounding whitespace.",
			"bad_request_error", "display_name", 400))
		return "", &r
	}
	return t, nil
}

// POST /credentials {credential_name, credential_info, credential_values | model_id, display_name?}.
func credentialCreate(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	// CreateCredentialItem's model_validator(mode="before") runs first.
	values, _ := body["credential_values"].(map[string]any)
	modelID, _ := body["model_id"].(string)
	if pyFalsy(body["credential_values"]) && pyFalsy(body["model_id"]) {
		return unprocessable(verr{typ: "value_error", loc: []any{"body"}, msg: "Value error, Either credential_values or model_id must be set",
			input: body, ctx: map[string]any{"error": map[string]any{}}})
	}
	var errs []verr
	fieldCheck(&errs, body, "credential_name", "str", true)
	fieldCheck(&errs, body, "credential_info", "dict", true)
	fieldCheck(&errs, body, "credential_values", "dict", false)
	fieldCheck(&errs, body, "model_id", "str", false)
	if !e.legacy {
		fieldCheck(&errs, body, "display_name", "str", false)
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	name := body["credential_name"].(string)
	info := body["credential_info"].(map[string]any)
	dn := ""
	if s, ok := body["display_name"].(string); ok && !e.legacy {
		var bad *response
		if dn, bad = displayName(s); bad != nil {
			return *bad
		}
	}
	if modelID != "" {
		// Copies the deployment's credentials from the answering worker's router.
		m := wk.router[modelID]
		if m == nil {
			return e.credError("Model not found", http.StatusNotFound)
		}
		values = deploymentCredentials(m)
	}
	if _, exists := e.creds[name]; exists {
		if e.legacy {
			return e.credError("Credential with name '"+name+"' already exists.", http.StatusConflict)
		}
		return e.credError("Credential '"+name+"' already exists. Update it with PATCH /credentials/"+name+", or delete it first.", http.StatusConflict)
	}
	c := &Credential{Name: name, Values: cloneMap(values), Info: cloneMap(info), DisplayName: dn}
	e.creds[name] = c
	e.publish()
	cc := cloneCredential(c)
	wk.creds[name] = &cc // CredentialAccessor.upsert_credentials on this worker only
	return reply(http.StatusOK, map[string]any{"success": true, "message": "Credential created successfully"})
}

// pyFalsy is Python's "not v" for a decoded JSON value.
func pyFalsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// credentialParamKeys: the litellm_params a deployment's credentials consist of
// (Router.get_deployment_credentials).
var credentialParamKeys = []string{"api_key", "api_base", "api_version", "base_url", "organization",
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name",
	"vertex_credentials", "vertex_project", "vertex_location", "azure_ad_token", "tenant_id", "client_id", "client_secret"}

func deploymentCredentials(m *Model) map[string]any {
	out := map[string]any{}
	for _, k := range credentialParamKeys {
		if v, ok := m.LitellmParams[k]; ok {
			out[k] = cloneValue(v)
		}
	}
	return out
}

// credentialView is a credential as reads return it: values masked; newest
// reads add display_name (null when unset) and "source": "db".
func (e *Emulator) credentialView(c *Credential) map[string]any {
	v := map[string]any{"credential_name": c.Name, "credential_values": maskedValues(c.Values), "credential_info": cloneMap(c.Info)}
	if !e.legacy {
		v["display_name"] = nil
		if c.DisplayName != "" {
			v["display_name"] = c.DisplayName
		}
		v["source"] = "db"
	}
	return v
}

// credentialKeywords: _get_masked_values masks a key containing one of these.
var credentialKeywords = []string{"authorization", "token", "key", "secret", "vertex_credentials", "credentials", "password", "passwd"}

// maskedValues is litellm_logging._get_masked_values(values, unmasked_length=4,
// number_of_asterisks=4): a string under a sensitive key keeps its first 2 and
// last 2 characters around exactly "****" ("*****" when 4 characters or
// fewer); objects under a sensitive key are walked; other values unchanged.
func maskedValues(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !sensitiveCredentialKey(k) {
			out[k] = cloneValue(v)
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			out[k] = maskedValues(x)
		case string:
			r := []rune(x)
			if len(r) <= 4 {
				out[k] = "*****"
			} else {
				out[k] = string(r[:2]) + "****" + string(r[len(r)-2:])
			}
		default:
			out[k] = cloneValue(v)
		}
	}
	return out
}

func sensitiveCredentialKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range credentialKeywords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// GET /credentials/by_name/{name}: the answering worker's list.
func credentialGet(e *Emulator, wk *worker, rq *request) response {
	name := rq.params[0]
	c, ok := wk.creds[name]
	if !ok {
		return e.credError("Credential not found. Got credential name: "+name, http.StatusNotFound)
	}
	return reply(http.StatusOK, e.credentialView(c))
}

// GET /credentials/by_model/{model_id}: the deployment's credentials from the
// answering worker's router.
func credentialByModel(e *Emulator, wk *worker, rq *request) response {
	m := wk.router[rq.params[0]]
	if m == nil {
		return e.credError("Model not found", http.StatusNotFound)
	}
	return reply(http.StatusOK, map[string]any{"credential_name": m.ModelName + "-credential-" + m.ID,
		"credential_values": maskedValues(deploymentCredentials(m)), "credential_info": map[string]any{}})
}

// GET /credentials: the answering worker's list.
func credentialList(e *Emulator, wk *worker, _ *request) response {
	out := []any{}
	for _, n := range sortedKeys(wk.creds) {
		out = append(out, e.credentialView(wk.creds[n]))
	}
	return reply(http.StatusOK, map[string]any{"success": true, "credentials": out})
}

// returnedError: legacy credential PATCH and DELETE return (not raise) the
// ProxyException of handle_exception_on_proxy, which FastAPI serialises as
// HTTP 200 (endpoints.py @ 00d01bad: "except Exception as e: return
// handle_exception_on_proxy(e)").
func returnedError(msg string, code string) response {
	return reply(http.StatusOK, map[string]any{"message": msg, "type": "internal_server_error", "param": "None", "code": code})
}

// PATCH /credentials/{name}. Newest: any subset of credential_name,
// credential_values, credential_info and display_name; merges values and
// info, sets, trims or (null) clears display_name; a credential_name other
// than the path's is refused (400), an unknown name is a 404. Legacy: body
// CredentialItem (name, values and info all required); a different
// credential_name renames.
func credentialPatch(e *Emulator, wk *worker, rq *request) response {
	name := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	required := e.legacy
	fieldCheck(&errs, body, "credential_name", "str", required)
	fieldCheck(&errs, body, "credential_info", "dict", required)
	fieldCheck(&errs, body, "credential_values", "dict", required)
	if !e.legacy {
		fieldCheck(&errs, body, "display_name", "str", false)
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	newName, _ := body["credential_name"].(string)
	if newName == "" {
		newName = name
	}
	dnSet, dn := false, ""
	if !e.legacy {
		if newName != name {
			return reply(http.StatusBadRequest, proxyError("Credentials cannot be renamed: credential_name '"+newName+"' differs from '"+name+
				"' in the path. Set display_name to relabel a credential.", "bad_request_error", "credential_name", 400))
		}
		if v, present := body["display_name"]; present {
			dnSet = true
			if s, ok := v.(string); ok {
				var bad *response
				if dn, bad = displayName(s); bad != nil {
					return *bad
				}
			}
		}
	}
	c, exists := e.creds[name]
	if !exists {
		if e.legacy {
			return returnedError("Credential not found in DB.", "404")
		}
		return e.credError("Credential not found in DB.", http.StatusNotFound)
	}
	if _, taken := e.creds[newName]; taken && newName != name {
		return returnedError("Unique constraint failed on the fields: (`credential_name`)", "500")
	}
	values, _ := body["credential_values"].(map[string]any)
	info, _ := body["credential_info"].(map[string]any)
	apply := func(cr *Credential) {
		cr.Name = newName
		for k, v := range values {
			cr.Values[k] = cloneValue(v)
		}
		for k, v := range info {
			cr.Info[k] = cloneValue(v)
		}
		if dnSet {
			cr.DisplayName = dn
		}
	}
	merged := cloneCredential(c)
	apply(&merged)
	delete(e.creds, name)
	e.creds[newName] = &merged
	e.publish()
	// The answering worker updates its own list, if it holds the credential.
	if mine, ok := wk.creds[name]; ok {
		upd := cloneCredential(mine)
		apply(&upd)
		delete(wk.creds, name)
		wk.creds[newName] = &upd
	}
	return reply(http.StatusOK, map[string]any{"success": true, "message": "Credential updated successfully"})
}

// DELETE /credentials/{name}. Newest: the admin gate looks the name up in the
// worker's list, then the DB (_credential_for_admin_gate); found in neither →
// 404 "Credential not found. Got credential name: <n>" (as measured on
// 1.108.7 for a repeated DELETE). Legacy: an unknown name is an HTTP 200 error
// object.
func credentialDelete(e *Emulator, wk *worker, rq *request) response {
	name := rq.params[0]
	_, inDB := e.creds[name]
	_, inList := wk.creds[name]
	switch {
	case e.legacy && !inDB:
		return returnedError("Credential not found in DB.", "404")
	case !e.legacy && !inDB && !inList:
		return e.credError("Credential not found. Got credential name: "+name, http.StatusNotFound)
	}
	if inDB {
		delete(e.creds, name)
		e.publish()
	}
	delete(wk.creds, name)
	return reply(http.StatusOK, map[string]any{"success": true, "message": "Credential deleted successfully"})
}
