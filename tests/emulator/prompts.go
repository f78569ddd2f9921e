package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Prompt endpoints (LiteLLM litellm/proxy/prompts/prompt_endpoints.py;
// PromptSpec, PromptLiteLLMParams, PromptInfo in
// litellm/types/prompts/init_prompts.py; ProxyConfig._init_prompts_in_db in
// litellm/proxy/proxy_server.py; 1.110.2 wheel). The DB holds one row per
// version (e.prompts); every worker keeps a registry of versions
// (e.promptRegistries), rebuilt from the DB on its reload tick (a full sync:
// deleted rows leave it) and changed by its own writes. Every handler runs
// with e.mu held.

// promptRow is one stored version.
type promptRow struct {
	promptID    string
	version     int
	environment string
	params      map[string]any
	info        map[string]any
	createdAt   string
}

// promptParamDefaults are PromptLiteLLMParams' fields as model_dump_json
// stores them when unset.
var promptParamDefaults = map[string]any{"prompt_id": nil, "api_base": nil, "api_key": nil, "provider_specific_query_params": nil,
	"ignore_prompt_manager_model": false, "ignore_prompt_manager_optional_params": false, "dotprompt_content": nil}

// Prompts returns every stored prompt version as {prompt_id, version,
// environment, litellm_params, prompt_info}, by ID, environment, version.
func (e *Emulator) Prompts() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, r := range e.sortedPrompts() {
		out = append(out, map[string]any{"prompt_id": r.promptID, "version": float64(r.version), "environment": r.environment,
			"litellm_params": cloneMap(r.params), "prompt_info": cloneMap(r.info)})
	}
	return out
}

// AddPromptVersion stores a new version of a prompt out of band (as the
// admin UI's edit would), with the given litellm_params; prompt_info is
// the latest version's.
func (e *Emulator) AddPromptVersion(id, environment string, params map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	latest := e.latestPrompt(id, environment)
	if latest == nil {
		return false
	}
	e.storePrompt(id, environment, params, latest.info)
	return true
}

// DeletePrompt deletes every version of a prompt in an environment out of
// band (the workers' registries drop it on their next reload).
func (e *Emulator) DeletePrompt(id, environment string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := len(e.prompts)
	e.prompts = slices.DeleteFunc(e.prompts, func(r *promptRow) bool { return r.promptID == id && r.environment == environment })
	return len(e.prompts) != n
}

func (e *Emulator) sortedPrompts() []*promptRow {
	rows := slices.Clone(e.prompts)
	slices.SortFunc(rows, func(a, b *promptRow) int {
		if c := strings.Compare(a.promptID, b.promptID); c != 0 {
			return c
		}
		if c := strings.Compare(a.environment, b.environment); c != 0 {
			return c
		}
		return a.version - b.version
	})
	return rows
}

func (e *Emulator) latestPrompt(id, environment string) *promptRow {
	var best *promptRow
	for _, r := range e.prompts {
		if r.promptID == id && r.environment == environment && (best == nil || r.version > best.version) {
			best = r
		}
	}
	return best
}

// storePrompt inserts version max+1 of id in environment and returns it.
func (e *Emulator) storePrompt(id, environment string, params, info map[string]any) *promptRow {
	version := 1
	if l := e.latestPrompt(id, environment); l != nil {
		version = l.version + 1
	}
	stored := map[string]any{}
	for k, v := range promptParamDefaults {
		stored[k] = v
	}
	for k, v := range params {
		stored[k] = cloneValue(v)
	}
	r := &promptRow{promptID: id, version: version, environment: environment, params: stored, info: cloneMap(info),
		createdAt: e.timestamp(e.now())}
	e.prompts = append(e.prompts, r)
	return r
}

// reloadPromptRegistry is a worker's full sync from the DB.
func (e *Emulator) reloadPromptRegistry(w *worker) {
	reg := map[string]*promptRow{}
	for _, r := range e.prompts {
		reg[promptKey(r)] = r
	}
	e.promptRegistries[w.index] = reg
}

func (e *Emulator) promptRegistry(w *worker) map[string]*promptRow {
	if e.promptRegistries[w.index] == nil {
		e.promptRegistries[w.index] = map[string]*promptRow{}
	}
	return e.promptRegistries[w.index]
}

func promptKey(r *promptRow) string {
	return r.promptID + ".v" + strconv.Itoa(r.version) + "\x00" + r.environment
}

// resolvePrompt is the registry's resolve_prompt_spec: the latest version
// of the base ID (in environment, when given).
func resolvePrompt(reg map[string]*promptRow, id, environment string) *promptRow {
	var best *promptRow
	for _, r := range reg {
		if r.promptID == id && (environment == "" || r.environment == environment) && (best == nil || r.version > best.version) {
			best = r
		}
	}
	return best
}

// promptSpec is a PromptSpec: versioned is the write answers' "<id>.vN"
// form, else the base ID (reads).
func promptSpec(r *promptRow, versioned bool) map[string]any {
	id := r.promptID
	if versioned {
		id += ".v" + strconv.Itoa(r.version)
	}
	return map[string]any{"prompt_id": id, "litellm_params": cloneMap(r.params), "prompt_info": cloneMap(r.info),
		"created_at": r.createdAt, "updated_at": r.createdAt, "version": float64(r.version), "environment": r.environment,
		"created_by": "default_user_id"}
}

// basePromptID strips ".vN".
func basePromptID(id string) string {
	if i := strings.LastIndex(id, ".v"); i > 0 {
		if _, err := strconv.Atoi(id[i+2:]); err == nil {
			return id[:i]
		}
	}
	return id
}

// promptRequest validates the Prompt model: prompt_id, litellm_params with
// prompt_integration; prompt_info, when sent, with prompt_type.
func promptRequest(rq *request) (id string, params, info map[string]any, environment string, bad *response) {
	body, bad := bodyObject(rq)
	if bad != nil {
		return "", nil, nil, "", bad
	}
	var errs []verr
	fieldCheck(&errs, body, "prompt_id", "str", true)
	fieldCheck(&errs, body, "litellm_params", "dict", true)
	fieldCheck(&errs, body, "prompt_info", "dict", false)
	if p, ok := body["litellm_params"].(map[string]any); ok {
		fieldCheck(&errs, p, "prompt_integration", "str", true, "litellm_params")
	}
	if i, ok := body["prompt_info"].(map[string]any); ok {
		if t, _ := i["prompt_type"].(string); t != "config" && t != "db" {
			errs = append(errs, verr{typ: "literal_error", loc: loc("prompt_info", "prompt_type"), msg: "Input should be 'config' or 'db'", input: i["prompt_type"]})
		}
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return "", nil, nil, "", &r
	}
	info = map[string]any{"prompt_type": "db", "environment": "development"}
	if i, ok := body["prompt_info"].(map[string]any); ok {
		info = cloneMap(i)
		if info["environment"] == nil {
			info["environment"] = "development"
		}
	}
	environment, _ = info["environment"].(string)
	return body["prompt_id"].(string), body["litellm_params"].(map[string]any), info, environment, nil
}

// POST /prompts: version max+1 of the prompt_id in the environment (an ID
// that exists is not refused); the answer is the spec, "<id>.vN".
func promptCreate(e *Emulator, wk *worker, rq *request) response {
	id, params, info, env, bad := promptRequest(rq)
	if bad != nil {
		return *bad
	}
	r := e.storePrompt(id, env, params, info)
	e.promptRegistry(wk)[promptKey(r)] = r
	return reply(http.StatusOK, promptSpec(r, true))
}

// GET /prompts/{id} (and /info) ?environment=: with an environment, the DB's
// latest version there (or the ".vN" asked for), else the answering
// worker's registry; a miss is a 400.
func promptGet(e *Emulator, wk *worker, rq *request) response {
	asked := rq.params[0]
	id := basePromptID(asked)
	env := rq.queryValue("environment")
	version := 0
	if id != asked {
		version, _ = strconv.Atoi(asked[len(id)+2:])
	}
	var found *promptRow
	if env != "" {
		for _, r := range e.prompts {
			if r.promptID == id && r.environment == env && (version == 0 || r.version == version) && (found == nil || r.version > found.version) {
				found = r
			}
		}
	}
	if found == nil {
		found = resolvePrompt(e.promptRegistry(wk), id, env)
		if found != nil && version != 0 && found.version != version {
			found = nil
		}
	}
	if found == nil {
		msg := "Prompt " + asked + " not found"
		if env != "" {
			msg += " in environment " + env
		}
		return reply(http.StatusBadRequest, map[string]any{"detail": msg})
	}
	envs := []any{}
	seen := map[string]bool{}
	for _, r := range e.sortedPrompts() {
		if r.promptID == id && !seen[r.environment] {
			seen[r.environment] = true
			envs = append(envs, r.environment)
		}
	}
	return reply(http.StatusOK, map[string]any{"prompt_spec": promptSpec(found, false), "raw_prompt_template": nil, "environments": envs})
}

// PUT /prompts/{id}: a base ID with no version in any environment → 404;
// else version max+1 in the body's environment.
func promptUpdate(e *Emulator, wk *worker, rq *request) response {
	id := basePromptID(rq.params[0])
	_, params, info, env, bad := promptRequest(rq)
	if bad != nil {
		return *bad
	}
	if !slices.ContainsFunc(e.prompts, func(r *promptRow) bool { return r.promptID == id }) {
		return reply(http.StatusNotFound, map[string]any{"detail": "Prompt with ID " + id + " not found"})
	}
	r := e.storePrompt(id, env, params, info)
	e.promptRegistry(wk)[promptKey(r)] = r
	return reply(http.StatusOK, promptSpec(r, true))
}

// DELETE /prompts/{id}?environment=: the prompt must be in the answering
// worker's registry (else 404, even if the DB holds it); every version of
// the base ID (in the environment, when given) is deleted.
func promptDelete(e *Emulator, wk *worker, rq *request) response {
	asked := rq.params[0]
	id := basePromptID(asked)
	env := rq.queryValue("environment")
	reg := e.promptRegistry(wk)
	if resolvePrompt(reg, id, env) == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": "Prompt with ID " + asked + " not found"})
	}
	match := func(r *promptRow) bool { return r.promptID == id && (env == "" || r.environment == env) }
	e.prompts = slices.DeleteFunc(e.prompts, match)
	for k, r := range reg {
		if match(r) {
			delete(reg, k)
		}
	}
	msg := "Prompt " + id + " deleted successfully"
	if env != "" {
		msg += " from " + env
	}
	return reply(http.StatusOK, map[string]any{"message": msg})
}

// GET /prompts/list?environment=: the latest version of each (base ID,
// environment) in the answering worker's registry, base IDs.
func promptList(e *Emulator, wk *worker, rq *request) response {
	env := rq.queryValue("environment")
	latest := map[string]*promptRow{}
	for _, r := range e.promptRegistry(wk) {
		k := r.promptID + "\x00" + r.environment
		if l := latest[k]; l == nil || r.version > l.version {
			latest[k] = r
		}
	}
	out := []any{}
	for _, k := range sortedKeys(latest) {
		if r := latest[k]; env == "" || r.environment == env {
			out = append(out, promptSpec(r, false))
		}
	}
	return reply(http.StatusOK, map[string]any{"prompts": out})
}
