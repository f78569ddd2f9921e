package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Fallback endpoints (LiteLLM litellm/proxy/management_endpoints/
// fallback_management_endpoints.py; FallbackCreateRequest in
// litellm/types/management_endpoints/router_settings_endpoints.py;
// get_all_fallbacks in litellm/proxy/auth/model_checks.py; the router
// settings reload in proxy_server.py's add_deployment; 1.110.2 wheel).
// Fallbacks are lists of {model: [fallback models]} under "fallbacks",
// "context_window_fallbacks" and "content_policy_fallbacks" of the stored
// router_settings row (e.routerSettings); each worker's router holds its
// own copy (worker.settings), loaded from the row when it reloads. Every
// handler runs with e.mu held.

// fallbackKey is the router setting of a fallback type ("" for an unknown
// type).
func fallbackKey(fallbackType string) string {
	switch fallbackType {
	case "", "general":
		return "fallbacks"
	case "context_window":
		return "context_window_fallbacks"
	case "content_policy":
		return "content_policy_fallbacks"
	}
	return ""
}

// StoredFallbacks returns the stored fallbacks of a type ("general",
// "context_window", "content_policy") by model.
func (e *Emulator) StoredFallbacks(fallbackType string) map[string][]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string][]string{}
	rules, _ := e.routerSettings[fallbackKey(fallbackType)].([]any)
	for _, r := range rules {
		for model, v := range fallbackObject(r) {
			list, _ := v.([]any)
			var names []string
			for _, x := range list {
				s, _ := x.(string)
				names = append(names, s)
			}
			out[model] = names
		}
	}
	return out
}

func fallbackObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// fallbackRules is a copy of the rules under key of a settings map.
func fallbackRules(settings map[string]any, key string) []any {
	rules, _ := settings[key].([]any)
	return cloneValue(append([]any{}, rules...)).([]any)
}

// routerModelNames are the model group names the worker's router serves.
func fallbackRouterNames(wk *worker) []string {
	var out []string
	for _, m := range wk.router {
		if !slices.Contains(out, m.ModelName) {
			out = append(out, m.ModelName)
		}
	}
	slices.Sort(out)
	return out
}

func pyList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = pyQuote(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

func fallbackTypeCheck(errs *[]verr, v any, at []any) string {
	if v == nil {
		return "general"
	}
	s, _ := v.(string)
	if fallbackKey(s) == "" || s == "" {
		*errs = append(*errs, verr{typ: "literal_error", loc: at, msg: "Input should be 'general', 'context_window' or 'content_policy'", input: v,
			ctx: map[string]any{"expected": "'general', 'context_window' or 'content_policy'"}})
	}
	return s
}

// writeFallbackRules persists the rules under key and applies them to the
// answering worker's router (_write_rules).
func (e *Emulator) writeFallbackRules(wk *worker, key string, rules []any) {
	e.routerSettings[key] = cloneValue(rules)
	if wk.settings == nil {
		wk.settings = map[string]any{}
	}
	wk.settings[key] = cloneValue(rules)
}

// POST /fallback {model, fallback_models, fallback_type?}: an upsert,
// checked against the answering worker's router.
func fallbackCreate(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "model", "str", true)
	var fallbacks []string
	switch v := body["fallback_models"].(type) {
	case nil:
		errs = append(errs, verr{typ: "missing", loc: loc("fallback_models"), msg: "Field required", input: body})
	case []any:
		if len(v) == 0 {
			errs = append(errs, verr{typ: "too_short", loc: loc("fallback_models"), msg: "List should have at least 1 item after validation, not 0",
				input: v, ctx: map[string]any{"field_type": "List", "min_length": 1, "actual_length": 0}})
		}
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				errs = append(errs, verr{typ: "string_type", loc: loc("fallback_models", i), msg: "Input should be a valid string", input: x})
			}
			fallbacks = append(fallbacks, s)
		}
	default:
		errs = append(errs, verr{typ: "list_type", loc: loc("fallback_models"), msg: "Input should be a valid list", input: v})
	}
	fallbackType := fallbackTypeCheck(&errs, body["fallback_type"], loc("fallback_type"))
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	model := body["model"].(string)
	known := fallbackRouterNames(wk)
	available := []any{}
	for _, n := range known {
		available = append(available, n)
	}
	if !slices.Contains(known, model) {
		return reply(http.StatusNotFound, map[string]any{"detail": map[string]any{"error": fmt.Sprintf("Model '%s' not found in router", model),
			"available_models": available}})
	}
	var invalid []string
	for _, f := range fallbacks {
		if !slices.Contains(known, f) {
			invalid = append(invalid, f)
		}
	}
	if len(invalid) > 0 {
		return reply(http.StatusBadRequest, map[string]any{"detail": map[string]any{"error": "Invalid fallback models: " + pyList(invalid),
			"available_models": available}})
	}
	if slices.Contains(fallbacks, model) {
		return reply(http.StatusBadRequest, detailError(fmt.Sprintf("Model '%s' cannot be its own fallback", model)))
	}
	key := fallbackKey(fallbackType)
	rules := fallbackRules(e.routerSettings, key)
	list := []any{}
	for _, f := range fallbacks {
		list = append(list, f)
	}
	updated := false
	for i, r := range rules {
		if _, ok := fallbackObject(r)[model]; ok {
			rules[i] = map[string]any{model: list}
			updated = true
			break
		}
	}
	if !updated {
		rules = append(rules, map[string]any{model: list})
	}
	e.writeFallbackRules(wk, key, rules)
	verb := "created"
	if updated {
		verb = "updated"
	}
	return reply(http.StatusOK, map[string]any{"model": model, "fallback_models": list, "fallback_type": fallbackType,
		"message": "Fallback configuration " + verb + " successfully"})
}

// GET /fallback/{model}?fallback_type=: the answering worker's router.
func fallbackGet(e *Emulator, wk *worker, rq *request) response {
	model := rq.params[0]
	var errs []verr
	fallbackType := "general"
	if v, ok := rq.query["fallback_type"]; ok && len(v) > 0 {
		fallbackType = fallbackTypeCheck(&errs, v[0], []any{"query", "fallback_type"})
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	for _, r := range fallbackRules(wk.settings, fallbackKey(fallbackType)) {
		if list, ok := fallbackObject(r)[model].([]any); ok && len(list) > 0 {
			return reply(http.StatusOK, map[string]any{"model": model, "fallback_models": list, "fallback_type": fallbackType})
		}
	}
	return reply(http.StatusNotFound, detailError(fmt.Sprintf("No %s fallbacks configured for model '%s'", fallbackType, model)))
}

// DELETE /fallback/{model}?fallback_type=: from the stored settings.
func fallbackDelete(e *Emulator, wk *worker, rq *request) response {
	model := rq.params[0]
	var errs []verr
	fallbackType := "general"
	if v, ok := rq.query["fallback_type"]; ok && len(v) > 0 {
		fallbackType = fallbackTypeCheck(&errs, v[0], []any{"query", "fallback_type"})
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	key := fallbackKey(fallbackType)
	rules := fallbackRules(e.routerSettings, key)
	kept := []any{}
	for _, r := range rules {
		if _, ok := fallbackObject(r)[model]; !ok {
			kept = append(kept, r)
		}
	}
	if len(kept) == len(rules) {
		return reply(http.StatusNotFound, detailError(fmt.Sprintf("No %s fallbacks configured for model '%s'", fallbackType, model)))
	}
	e.writeFallbackRules(wk, key, kept)
	return reply(http.StatusOK, map[string]any{"model": model, "fallback_type": fallbackType,
		"message": "Fallback configuration deleted successfully"})
}
