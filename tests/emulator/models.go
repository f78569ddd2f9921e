package emulator

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Model endpoints (LiteLLM litellm/proxy/management_endpoints/
// model_management_endpoints.py and proxy_server.py). Every handler runs with
// e.mu held, on the answering worker wk.

// POST /model/new: insert, reconcile only the answering worker's router, answer
// the DB row with every litellm_params string encrypted.
func modelNew(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "model_name", "str", true)
	params, isObj := body["litellm_params"].(map[string]any)
	switch {
	case body["litellm_params"] == nil:
		if _, present := body["litellm_params"]; !present {
			errs = append(errs, verr{typ: "missing", loc: loc("litellm_params"), msg: "Field required", input: body})
		} else {
			errs = append(errs, modelTypeError(loc("litellm_params"), "LiteLLM_Params", nil))
		}
	case !isObj:
		errs = append(errs, modelTypeError(loc("litellm_params"), "LiteLLM_Params", body["litellm_params"]))
	default:
		fieldCheck(&errs, params, "model", "str", true, "litellm_params")
	}
	info, infoObj := body["model_info"].(map[string]any)
	if v, present := body["model_info"]; present && v != nil && !infoObj {
		errs = append(errs, modelTypeError(loc("model_info"), "ModelInfo", v))
	}
	if infoObj {
		fieldCheck(&errs, info, "id", "str", false, "model_info")
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}

	// LiteLLM stores the dumps with exclude_none: nulls are dropped.
	params = withoutNulls(params)
	info = withoutNulls(info)
	id, _ := info["id"].(string)
	if id == "" {
		id = e.uuid4()
	}
	if e.current(id) != nil {
		if e.legacy {
			return reply(http.StatusBadRequest, proxyError("model_info.id="+id+" already belongs to an existing deployment; omit model_info.id to auto-generate one.",
				"bad_request_error", "None", 400))
		}
		// Newest: no pre-check; the insert hits the unique constraint, which
		// add_new_model only logs, so model_response stays None and it raises
		// this HTTPException, re-wrapped as a ProxyException of type auth_error.
		return reply(http.StatusInternalServerError, proxyError("{'error': 'Failed to add model to db. Check your server logs for more details.'}",
			"auth_error", "None", 500))
	}
	info["id"] = id
	now := e.now()
	m := &Model{ID: id, ModelName: body["model_name"].(string), LitellmParams: params, ModelInfo: info, CreatedAt: now, UpdatedAt: now}
	e.put(id, m)
	x := &rowExtra{cipher: map[string]string{}, infoID: id}
	for k, v := range params {
		if s, ok := v.(string); ok {
			x.cipher[k] = e.encrypt(s)
		}
	}
	e.row[id] = x
	e.publish()
	e.reload(wk) // add_deployment: the answering worker reconciles from the whole table
	if rq.savedNotLive {
		delete(wk.router, id)
		return savedNotLive("create", id)
	}
	return reply(http.StatusOK, e.dbRow(m))
}

// savedNotLive is raise_if_reload_degraded_serving's answer (PR #34861): the
// write is durable, but the model is not live in the handling pod's router.
func savedNotLive(action, id string) response {
	return reply(http.StatusInternalServerError, proxyError("Model "+action+" was saved to the database, but the model id(s) ['"+id+
		"'] are not live in this pod's router after the reload and are not being served by this pod. Other pods reload on their own interval. "+
		"Check server logs for 'Error upserting deployment' or 'Error creating deployment' for the cause.", "internal_server_error", nil, 500))
}

func modelTypeError(l []any, class string, input any) verr {
	return verr{typ: "model_type", loc: l, msg: "Input should be a valid dictionary or instance of " + class, input: input,
		ctx: map[string]any{"class_name": class}}
}

func withoutNulls(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if v != nil {
			out[k] = cloneValue(v)
		}
	}
	return out
}

// injectedParams are the litellm_params booleans a newest LiteLLM adds to every
// deployment (LiteLLM_Params defaults, dumped into the row and the router), as
// measured on 1.108.7; all false unless set.
var injectedParams = []string{"use_xai_oauth", "use_litellm_proxy", "use_in_pass_through", "allow_client_keepalive_override", "merge_reasoning_content_in_choices"}

// dbRow is the LiteLLM_ProxyModelTable row a write answers with: every string
// in litellm_params is ciphertext (encrypt_value_helper encrypts strings only).
// Legacy: fresh v3:gcm ciphertext for every string on every write. Newest (as
// measured on 1.108.7): bare base64 ciphertext, kept from the write that last
// set the key; the injected booleans; model_info with db_model and
// member_auto_router false and the row's own model_info id.
func (e *Emulator) dbRow(m *Model) map[string]any {
	enc := map[string]any{}
	info := cloneMap(m.ModelInfo)
	x := e.row[m.ID]
	for k, v := range m.LitellmParams {
		s, ok := v.(string)
		switch {
		case !ok:
			enc[k] = cloneValue(v)
		case e.legacy || x == nil || x.cipher[k] == "":
			enc[k] = e.encrypt(s)
		default:
			enc[k] = x.cipher[k]
		}
	}
	if !e.legacy {
		for _, k := range injectedParams {
			if _, ok := enc[k]; !ok {
				enc[k] = false
			}
		}
		for _, k := range []string{"db_model", "member_auto_router"} {
			if _, ok := info[k]; !ok {
				info[k] = false
			}
		}
		if x != nil {
			info["id"] = x.infoID
		}
	}
	return map[string]any{
		"model_id":       m.ID,
		"model_name":     m.ModelName,
		"litellm_params": enc,
		"model_info":     info,
		"blocked":        false,
		"created_at":     e.timestamp(m.CreatedAt),
		"created_by":     "default_user_id",
		"updated_at":     e.timestamp(m.UpdatedAt),
		"updated_by":     "default_user_id",
	}
}

// GET /model/info?litellm_model_id= (alias /v1/model/info): the answering
// worker's router only.
func modelInfo(e *Emulator, wk *worker, rq *request) response {
	id := rq.queryValue("litellm_model_id")
	if id == "" {
		if len(wk.router) == 0 && e.legacy {
			return reply(http.StatusInternalServerError, detailError("LLM Model List not loaded in. Make sure you passed models in your config.yaml or on the LiteLLM Admin UI. - https://docs.litellm.ai/docs/proxy/configs"))
		}
		data := []any{}
		for _, mid := range sortedKeys(wk.router) {
			data = append(data, e.readView(wk.router[mid], false))
		}
		return reply(http.StatusOK, map[string]any{"data": data})
	}
	m, ok := wk.router[id]
	if !ok {
		return reply(http.StatusBadRequest, detailError("Model id = "+id+" not found on litellm proxy"))
	}
	return reply(http.StatusOK, map[string]any{"data": []any{e.readView(m, false)}})
}

// GET /v2/model/info?modelId=, paginated with page and size. By id: the
// answering worker's router first, then the DB through a replica that may lag
// (unless V2RouterOnly); a miss is 200 with data: []. Newest: a worker whose
// router holds no deployment at all answers empty at once, without the DB, and
// the listing is its router only. Legacy: the listing is router ∪ replica.
func modelInfoV2(e *Emulator, wk *worker, rq *request) response {
	id := rq.queryValue("modelId")
	page := positiveInt(rq.queryValue("page"), 1)
	size := positiveInt(rq.queryValue("size"), 50)
	if !e.legacy && len(wk.router) == 0 {
		return reply(http.StatusOK, map[string]any{"data": []any{}, "total_count": 0, "current_page": page, "total_pages": 0, "size": size})
	}
	data := []any{}
	if id != "" {
		m := wk.router[id]
		if m == nil && !e.opts.V2RouterOnly {
			m = e.replica(id)
		}
		if m != nil {
			data = append(data, e.readView(m, true))
		}
	} else {
		seen := map[string]bool{}
		for _, mid := range sortedKeys(wk.router) {
			data = append(data, e.readView(wk.router[mid], true))
			seen[mid] = true
		}
		if e.legacy && !e.opts.V2RouterOnly {
			for _, mid := range sortedKeys(e.models) {
				if m := e.replica(mid); m != nil && !seen[mid] {
					data = append(data, e.readView(m, true))
				}
			}
		}
	}
	total := len(data)
	lo := min((page-1)*size, total)
	hi := min(lo+size, total)
	return reply(http.StatusOK, map[string]any{
		"data":         data[lo:hi],
		"total_count":  total,
		"current_page": page,
		"total_pages":  (total + size - 1) / size,
		"size":         size,
	})
}

func positiveInt(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil && n >= 1 {
		return n
	}
	return def
}

// nullClearable: the only litellm_params keys an explicit null clears on
// PATCH (NULL_CLEARABLE_LITELLM_PARAMS: the pricing fields of
// SPECIAL_MODEL_INFO_PARAMS plus cache_control_injection_points and
// litellm_credential_name).
func nullClearable(k string) bool {
	return isPricing(k) || k == "litellm_credential_name" || k == "cache_control_injection_points"
}

// isPricing: the per-token/character and cache read/write costs.
func isPricing(k string) bool {
	return strings.Contains(k, "_cost_per_") || strings.HasPrefix(k, "cost_per_") || strings.HasSuffix(k, "_token_cost")
}

// destinationKeys: changing one drops the stored credentials unless the PATCH
// carries one of credentialKeys (legacy only: _strip_credentials_on_destination_change
// of the older model_management_endpoints.py; gone from the newest update_db_model).
var (
	destinationKeys = []string{"api_base", "base_url", "aws_bedrock_runtime_endpoint", "aws_sts_endpoint", "custom_llm_provider"}
	credentialKeys  = []string{"api_key", "litellm_credential_name", "aws_secret_access_key", "aws_session_token", "vertex_credentials"}
)

// PATCH /model/{id}/update: merge into the stored row, rebuild only the
// answering worker's router, answer the DB row.
func modelPatch(e *Emulator, wk *worker, rq *request) response {
	id := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "model_name", "str", false)
	fieldCheck(&errs, body, "blocked", "bool", false)
	for _, k := range []string{"litellm_params", "model_info"} {
		if v, present := body[k]; present && v != nil {
			if _, ok := v.(map[string]any); !ok {
				errs = append(errs, modelTypeError(loc(k), map[string]string{"litellm_params": "updateLiteLLMParams", "model_info": "ModelInfo"}[k], v))
			}
		}
	}
	if mi, ok := body["model_info"].(map[string]any); ok {
		fieldCheck(&errs, mi, "id", "str", false, "model_info")
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	cur := e.current(id)
	if cur == nil {
		return reply(http.StatusNotFound, proxyError("Model "+id+" not found on proxy.", "not_found_error", nil, 404))
	}
	params, _ := body["litellm_params"].(map[string]any)
	info, infoObj := body["model_info"].(map[string]any)
	if v, ok := info["id"]; ok && v != nil && v != id && e.legacy {
		return reply(http.StatusBadRequest, proxyError(fmt.Sprintf("model_info.id is immutable: the body says %v, the path says %s.", v, id),
			"bad_request_error", "model_info.id", 400))
	}
	if v, ok := params["litellm_credential_name"]; ok && v != nil {
		name, _ := v.(string)
		if name == "" {
			return reply(http.StatusBadRequest, proxyError("litellm_credential_name cannot be an empty string. Send null to detach the stored credential or omit the field to leave it unchanged.",
				"validation_error", "litellm_credential_name", 400))
		}
		_, inMemory := wk.creds[name]
		_, inDB := e.creds[name]
		if name != cur.LitellmParams["litellm_credential_name"] && !inMemory && !inDB {
			return reply(http.StatusBadRequest, proxyError("Credential '"+name+"' not found. Create it via /credentials before attaching it to a model.",
				"validation_error", "litellm_credential_name", 400))
		}
	}

	m := cloneModel(cur)
	if n, ok := body["model_name"].(string); ok && n != "" {
		m.ModelName = n
	}
	if params != nil {
		changed, carries := false, false
		for _, k := range destinationKeys {
			if v, ok := params[k]; ok && v != nil && fmt.Sprint(v) != fmt.Sprint(m.LitellmParams[k]) {
				changed = true
			}
		}
		for _, k := range credentialKeys {
			if v, ok := params[k]; ok && v != nil {
				carries = true
			}
		}
		if changed && !carries && e.legacy {
			for _, k := range credentialKeys {
				delete(m.LitellmParams, k)
			}
		}
		for k, v := range params {
			if v != nil {
				m.LitellmParams[k] = cloneValue(v)
			}
		}
	}
	for k, v := range info {
		if v != nil && k != "id" {
			m.ModelInfo[k] = cloneValue(v)
		}
	}
	// Explicit nulls are honoured last, and only for the clearable keys; a
	// cleared price goes from both blobs.
	for k, v := range params {
		if v == nil && nullClearable(k) {
			delete(m.LitellmParams, k)
			delete(m.ModelInfo, k)
		}
	}
	for k, v := range info {
		if v == nil && isPricing(k) {
			delete(m.ModelInfo, k)
			delete(m.LitellmParams, k)
		}
	}
	m.ModelInfo["id"] = id
	m.UpdatedAt = e.now()
	e.put(id, &m)
	// The row: patched strings get fresh ciphertext, the rest keep theirs; a
	// model_info in the body replaces the row's model_info id with its own id,
	// or, absent, with ModelInfo's fresh default uuid.
	x := e.row[id]
	if x == nil {
		x = &rowExtra{cipher: map[string]string{}, infoID: id}
		e.row[id] = x
	}
	for k, v := range params {
		if s, ok := v.(string); ok {
			x.cipher[k] = e.encrypt(s)
		}
	}
	for k := range x.cipher {
		if _, ok := m.LitellmParams[k].(string); !ok {
			delete(x.cipher, k)
		}
	}
	if infoObj {
		if s, _ := info["id"].(string); s != "" {
			x.infoID = s
		} else {
			x.infoID = e.uuid4()
		}
	}
	e.publish()
	e.reload(wk) // clear_cache: the answering worker reconciles; the others wait for their tick
	if rq.savedNotLive {
		delete(wk.router, id)
		return savedNotLive("update", id)
	}
	return reply(http.StatusOK, e.dbRow(&m))
}

// POST /model/delete {"id"}.
func modelDelete(e *Emulator, wk *worker, rq *request) response {
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
	if e.current(id) == nil {
		return reply(http.StatusBadRequest, proxyError("{'error': 'Model with id="+id+" not found in db'}", "auth_error", "None", 400))
	}
	e.put(id, nil)
	delete(e.row, id)
	e.publish()
	delete(wk.router, id)
	return reply(http.StatusOK, map[string]any{"message": "Model: " + id + " deleted successfully"})
}

// poppedParams never come back on reads (remove_sensitive_info_from_deployment).
var poppedParams = []string{"api_key", "client_secret", "vertex_credentials", "vertex_ai_credentials", "aws_access_key_id", "aws_secret_access_key"}

// unmaskedParams are exempt from masking although their names look sensitive.
var unmaskedParams = map[string]bool{"litellm_credential_name": true, "default_api_key_tpm_limit": true, "default_api_key_rpm_limit": true}

// readView is a deployment as /model/info (v2 false) and /v2/model/info (v2
// true) return it: plaintext, secrets popped or masked, os.environ/ references
// resolved, model_info enriched, server-injected params. Newest (as measured
// on 1.108.7): the five injected booleans, member_auto_router and
// pricing_overrides, cost-map keys with null values, and direct_access /
// access_via_team_ids on /model/info only. Legacy: one injected param, and
// direct_access / access_via_team_ids on both.
func (e *Emulator) readView(m *Model, v2 bool) map[string]any {
	params := map[string]any{}
	for k, v := range m.LitellmParams {
		if s, ok := v.(string); ok && strings.HasPrefix(s, "os.environ/") {
			v = os.Getenv(strings.TrimPrefix(s, "os.environ/"))
		}
		params[k] = cloneValue(v)
	}
	for _, k := range poppedParams {
		delete(params, k)
	}
	params = maskDict(params, 0)
	injected := injectedParams
	if e.legacy {
		injected = []string{"merge_reasoning_content_in_choices"}
	}
	for _, k := range injected {
		if _, ok := params[k]; !ok {
			params[k] = false
		}
	}
	info := cloneMap(m.ModelInfo)
	info["id"] = m.ID
	info["db_model"] = true
	info["blocked"] = false
	if e.legacy || !v2 {
		info["direct_access"] = true
		info["access_via_team_ids"] = []any{}
	}
	setDefault := func(k string, v any) {
		if _, set := info[k]; !set {
			info[k] = v
		}
	}
	if !e.legacy {
		setDefault("member_auto_router", false)
		setDefault("pricing_overrides", []any{})
	}
	base, _ := info["base_model"].(string)
	if base == "" {
		model, _ := m.LitellmParams["model"].(string)
		base = model[strings.LastIndex(model, "/")+1:]
	}
	if entry, ok := costMap[base]; ok {
		setDefault("key", base)
		for k, v := range entry {
			setDefault(k, v)
		}
		if !e.legacy {
			for k, v := range costMapNewest[base] {
				setDefault(k, v)
			}
			for _, k := range costMapNulls {
				setDefault(k, nil)
			}
		}
	}
	return map[string]any{"model_name": m.ModelName, "litellm_params": params, "model_info": info}
}

// costMap is a sliver of LiteLLM's model_prices_and_context_window.json.
var costMap = map[string]map[string]any{
	"gpt-4o": {"mode": "chat", "max_tokens": 16384, "max_input_tokens": 128000, "max_output_tokens": 16384,
		"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "supports_vision": true, "litellm_provider": "openai"},
	"gpt-4o-mini": {"mode": "chat", "max_tokens": 16384, "max_input_tokens": 128000, "max_output_tokens": 16384,
		"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07, "supports_vision": true, "litellm_provider": "openai"},
	"text-embedding-3-small": {"mode": "embedding", "max_tokens": 8191, "max_input_tokens": 8191,
		"input_cost_per_token": 2e-08, "output_cost_per_token": 0.0, "litellm_provider": "openai"},
	"claude-3-5-sonnet-20241022": {"mode": "chat", "max_tokens": 8192, "max_input_tokens": 200000, "max_output_tokens": 8192,
		"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05, "supports_vision": true, "litellm_provider": "anthropic"},
}

// costMapNewest: more of the gpt-4o-mini entry, as a 1.108.7 read returned it.
var costMapNewest = map[string]map[string]any{
	"gpt-4o-mini": {"input_cost_per_token_priority": 2.5e-07, "output_cost_per_token_priority": 1e-06,
		"input_cost_per_token_batches": 7.5e-08, "output_cost_per_token_batches": 3e-07, "cache_read_input_token_cost": 7.5e-08,
		"supports_function_calling": true, "supports_prompt_caching": true, "supports_pdf_input": true,
		"search_context_cost_per_query": map[string]any{"search_context_size_high": 0.025, "search_context_size_low": 0.025, "search_context_size_medium": 0.025}},
}

// costMapNulls: a handful of the ~200 model_info keys a 1.108.7 read carries
// with a null value for a model found in the cost map (clients must ignore
// such keys rather than take them for drift).
var costMapNulls = []string{"input_cost_per_token_flex", "output_cost_per_token_flex", "cache_creation_input_token_cost",
	"input_cost_per_character", "output_cost_per_reasoning_token", "tiered_pricing", "supports_audio_input",
	"supports_reasoning", "supports_web_search", "supported_endpoints"}

// sensitivePatterns: SensitiveDataMasker's default patterns, matched against
// whole "_"/"-" separated segments of a key.
var sensitivePatterns = map[string]bool{
	"password": true, "secret": true, "key": true, "token": true, "auth": true, "authorization": true,
	"credential": true, "credentials": true, "secrets": true, "passwords": true, "access": true,
	"private": true, "certificate": true, "certificates": true, "fingerprint": true, "tenancy": true,
}

// sensitiveParam is SensitiveDataMasker.is_sensitive_key: a segment "cost"
// overrides, litellm_credential_name and the key-rate-limit fields are excluded.
func sensitiveParam(k string) bool {
	if unmaskedParams[k] {
		return false
	}
	segs := strings.Split(strings.ReplaceAll(strings.ToLower(k), "-", "_"), "_")
	for _, s := range segs {
		if s == "cost" {
			return false
		}
	}
	for _, s := range segs {
		if sensitivePatterns[s] {
			return true
		}
	}
	return false
}

// maskDict is SensitiveDataMasker.mask_dict: nested objects are walked key by
// key; a sensitive scalar is stringified the Python way and masked; lists
// under a sensitive key have their strings masked.
func maskDict(m map[string]any, depth int) map[string]any {
	if depth >= 10 {
		return m
	}
	out := map[string]any{}
	for k, v := range m {
		sensitive := sensitiveParam(k)
		switch x := v.(type) {
		case map[string]any:
			out[k] = maskDict(x, depth+1)
		case []any:
			out[k] = maskList(x, sensitive, depth+1)
		default:
			if sensitive {
				out[k] = maskSecret(pyStr(v))
			} else if v == nil {
				out[k] = "None"
			} else {
				out[k] = v
			}
		}
	}
	return out
}

func maskList(l []any, sensitive bool, depth int) []any {
	if depth >= 10 {
		return l
	}
	out := make([]any, len(l))
	for i, v := range l {
		switch x := v.(type) {
		case map[string]any:
			out[i] = maskDict(x, depth+1)
		case []any:
			out[i] = maskList(x, sensitive, depth+1)
		case string:
			if sensitive {
				out[i] = maskSecret(x)
			} else {
				out[i] = x
			}
		case nil:
			out[i] = "None"
		default:
			out[i] = v
		}
	}
	return out
}

// maskSecret is SensitiveDataMasker._mask_value: first 4 and last 4
// characters kept, one "*" per hidden character; up to 8 characters all "*".
func maskSecret(s string) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return s
	}
	if n <= 8 {
		return strings.Repeat("*", n)
	}
	r := []rune(s)
	return string(r[:4]) + strings.Repeat("*", n-8) + string(r[n-4:])
}

// pyStr is Python's str() of a decoded JSON scalar (None is "" for the masker).
func pyStr(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e16 {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// encrypt makes ciphertext-shaped bytes from the seeded generator, so every
// write has a fresh nonce. Newest, as measured on 1.108.7: bare padded URL-safe
// base64 of a 24-byte nonce, the body and a 16-byte tag (NaCl secretbox).
// Legacy: "v3:gcm:" + unpadded base64 of a 12-byte nonce, body and tag.
func (e *Emulator) encrypt(s string) string {
	nonce, prefix, enc := 24, "", base64.URLEncoding
	if e.legacy {
		nonce, prefix, enc = 12, "v3:gcm:", base64.RawURLEncoding
	}
	b := make([]byte, nonce+len(s)+16)
	for i := range b {
		b[i] = byte(e.rng.Uint32())
	}
	return prefix + enc.EncodeToString(b)
}

// uuid4 is a random (version 4) UUID from the seeded generator.
func (e *Emulator) uuid4() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(e.rng.Uint32())
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
