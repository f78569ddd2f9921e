package emulator

import (
	"net/http"
	"strings"
)

// Credential endpoints (§3.6, §4.2, §4.3, §5.2; LiteLLM
// litellm/proxy/credential_endpoints/endpoints.py). The store is the DB; every
// worker serves reads from its own credential list (litellm.credential_list),
// refreshed on its reload tick (get_credentials_job). Every handler runs with
// e.mu held, on the answering worker wk.

// POST /credentials {credential_name, credential_info, credential_values | model_id}.
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
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	name := body["credential_name"].(string)
	info := body["credential_info"].(map[string]any)
	if modelID != "" {
		// Copies the deployment's credentials from the answering worker's router.
		m := wk.router[modelID]
		if m == nil {
			return reply(http.StatusNotFound, proxyError("Model not found", "internal_server_error", "None", 404))
		}
		values = deploymentCredentials(m)
	}
	if _, exists := e.creds[name]; exists {
		return reply(http.StatusConflict, proxyError("Credential with name '"+name+"' already exists.", "internal_server_error", "None", 409))
	}
	c := &Credential{Name: name, Values: cloneMap(values), Info: cloneMap(info)}
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

// credentialView is a credential as reads return it: values masked.
func credentialView(c *Credential) map[string]any {
	return map[string]any{"credential_name": c.Name, "credential_values": maskedValues(c.Values), "credential_info": cloneMap(c.Info)}
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
		return reply(http.StatusNotFound, proxyError("Credential not found. Got credential name: "+name, "internal_server_error", "None", 404))
	}
	return reply(http.StatusOK, credentialView(c))
}

// GET /credentials/by_model/{model_id}: the deployment's credentials from the
// answering worker's router.
func credentialByModel(e *Emulator, wk *worker, rq *request) response {
	m := wk.router[rq.params[0]]
	if m == nil {
		return reply(http.StatusNotFound, proxyError("Model not found", "internal_server_error", "None", 404))
	}
	return reply(http.StatusOK, map[string]any{"credential_name": m.ModelName + "-credential-" + m.ID,
		"credential_values": maskedValues(deploymentCredentials(m)), "credential_info": map[string]any{}})
}

// GET /credentials: the answering worker's list.
func credentialList(e *Emulator, wk *worker, _ *request) response {
	out := []any{}
	for _, n := range sortedKeys(wk.creds) {
		out = append(out, credentialView(wk.creds[n]))
	}
	return reply(http.StatusOK, map[string]any{"success": true, "credentials": out})
}

// returnedError: credential PATCH and DELETE return (not raise) the
// ProxyException of handle_exception_on_proxy, which FastAPI serialises as
// HTTP 200 (§3.6).
func returnedError(msg string, code string) response {
	return reply(http.StatusOK, map[string]any{"message": msg, "type": "internal_server_error", "param": "None", "code": code})
}

// PATCH /credentials/{name} (body CredentialItem: name, values and info all
// required): merges values and info; a different credential_name renames.
func credentialPatch(e *Emulator, wk *worker, rq *request) response {
	name := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "credential_name", "str", true)
	fieldCheck(&errs, body, "credential_info", "dict", true)
	fieldCheck(&errs, body, "credential_values", "dict", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	c, exists := e.creds[name]
	if !exists {
		return returnedError("Credential not found in DB.", "404")
	}
	newName := body["credential_name"].(string)
	if newName == "" {
		newName = name
	}
	if _, taken := e.creds[newName]; taken && newName != name {
		return returnedError("Unique constraint failed on the fields: (`credential_name`)", "500")
	}
	values := body["credential_values"].(map[string]any)
	info := body["credential_info"].(map[string]any)
	merged := cloneCredential(c)
	merged.Name = newName
	for k, v := range values {
		merged.Values[k] = cloneValue(v)
	}
	for k, v := range info {
		merged.Info[k] = cloneValue(v)
	}
	delete(e.creds, name)
	e.creds[newName] = &merged
	e.publish()
	// The answering worker updates its own list, if it holds the credential.
	if mine, ok := wk.creds[name]; ok {
		upd := cloneCredential(mine)
		upd.Name = newName
		for k, v := range values {
			upd.Values[k] = cloneValue(v)
		}
		for k, v := range info {
			upd.Info[k] = cloneValue(v)
		}
		delete(wk.creds, name)
		wk.creds[newName] = &upd
	}
	return reply(http.StatusOK, map[string]any{"success": true, "message": "Credential updated successfully"})
}

// DELETE /credentials/{name}.
func credentialDelete(e *Emulator, wk *worker, rq *request) response {
	name := rq.params[0]
	if _, exists := e.creds[name]; !exists {
		return returnedError("Credential not found in DB.", "404")
	}
	delete(e.creds, name)
	e.publish()
	delete(wk.creds, name)
	return reply(http.StatusOK, map[string]any{"success": true, "message": "Credential deleted successfully"})
}
