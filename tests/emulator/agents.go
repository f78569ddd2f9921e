package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// Agent endpoints (LiteLLM 1.110.2 wheel, litellm/proxy/agent_endpoints/
// endpoints.py: create_agent, get_agents, get_agent_by_id, update_agent,
// patch_agent, delete_agent; agent_registry.py: AgentRegistry,
// add_agent_to_db, patch_agent_in_db, update_agent_in_db,
// redact_sensitive_agent_litellm_params, _restore_redacted_litellm_params;
// litellm/proxy/a2a/agent_card.py: merge_agent_card; the agent reload in
// proxy_server.py's _init_agents_in_db, run by the same add_deployment job
// as the model reload). Rows live in the database (e.agents); each worker
// serves them from its own registry (e.agentWorkers), rebuilt on its reload
// ticks, and changed only by the writes it answers itself. Every handler
// runs with e.mu held.

// agentRegistry is one worker's in-memory agent registry.
type agentRegistry struct {
	agents map[string]map[string]any // by agent_id
}

// emulatedProxyBase is the proxy's public base URL in merged agent cards.
const emulatedProxyBase = "http://litellm-emulator"

// redactedByLiteLLM is REDACTED_BY_LITELM_STRING (litellm/constants.py).
const redactedByLiteLLM = "REDACTED_BY_LITELM"

// Agents returns the stored agent rows (plaintext), sorted by name.
func (e *Emulator) Agents() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.agents) {
		out = append(out, cloneMap(e.agents[id]))
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(a["agent_name"]), fmt.Sprint(b["agent_name"]))
	})
	return out
}

// UpdateAgent changes a stored agent out of band (workers see it at their
// next reload).
func (e *Emulator) UpdateAgent(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.agents[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteAgent deletes a stored agent out of band (workers drop it at their
// next reload).
func (e *Emulator) DeleteAgent(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.agents[id] == nil {
		return false
	}
	delete(e.agents, id)
	return true
}

// registryOf is worker w's agent registry.
func (e *Emulator) registryOf(w *worker) *agentRegistry {
	r := e.agentWorkers[w.index]
	if r == nil {
		r = &agentRegistry{agents: map[string]map[string]any{}}
		e.agentWorkers[w.index] = r
	}
	return r
}

// reloadAgents rebuilds a worker's registry from the database (called by reload).
func (e *Emulator) reloadAgents(w *worker) {
	r := e.registryOf(w)
	r.agents = map[string]map[string]any{}
	for id, row := range e.agents {
		r.agents[id] = cloneMap(row)
	}
}

func (r *agentRegistry) byName(name any) map[string]any {
	for _, id := range sortedKeys(r.agents) {
		if r.agents[id]["agent_name"] == name {
			return r.agents[id]
		}
	}
	return nil
}

// sensitiveSegments is SensitiveDataMasker's default pattern set, matched
// against a key's segments (split on _ and -), unless a segment is "cost".
var sensitiveSegments = []string{"password", "secret", "key", "token", "auth", "authorization", "cookie", "credential",
	"credentials", "access", "private", "certificate", "fingerprint", "tenancy"}

func sensitiveKey(k string) bool {
	segs := strings.Split(strings.ReplaceAll(strings.ToLower(k), "-", "_"), "_")
	if slices.Contains(segs, "cost") {
		return false
	}
	for _, s := range segs {
		if slices.Contains(sensitiveSegments, s) {
			return true
		}
	}
	return false
}

// redactParams is redact_sensitive_agent_litellm_params: every value under
// a sensitive key, at any depth, becomes REDACTED_BY_LITELM.
func redactParams(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, y := range x {
			if sensitiveKey(k) {
				out[k] = redactedByLiteLLM
			} else {
				out[k] = redactParams(y)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = redactParams(y)
		}
		return out
	}
	return v
}

// restoreParams is _restore_redacted_litellm_params (top level): a sensitive
// key sent as the marker, or left out, keeps the stored value; other keys
// take the incoming value.
func restoreParams(incoming, existing map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range incoming {
		if sensitiveKey(k) && v == redactedByLiteLLM {
			if ev, ok := existing[k]; ok {
				out[k] = ev
			}
			continue
		}
		out[k] = cloneValue(v)
	}
	for k, v := range existing {
		if _, sent := incoming[k]; !sent && sensitiveKey(k) {
			out[k] = v
		}
	}
	return out
}

// agentView is AgentResponse as an admin sees it: litellm_params redacted.
func agentView(row map[string]any) map[string]any {
	out := cloneMap(row)
	if p, ok := out["litellm_params"].(map[string]any); ok {
		out["litellm_params"] = redactParams(p)
	}
	return out
}

var protocolVersionPattern = regexp.MustCompile(`^(\d+\.\d+)(?:\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?$`)

// mergeAgentCard is merge_agent_card (with the protocol check of
// _validate_protocol_version): the stored card.
func mergeAgentCard(card map[string]any, agentID string, agentName any) (map[string]any, *response) {
	base := cloneMap(card)
	served := "1.0"
	if v, ok := card["protocolVersion"]; ok && v != nil {
		s, _ := v.(string)
		m := protocolVersionPattern.FindStringSubmatch(s)
		if m == nil || (m[1] != "0.3" && m[1] != "1.0") {
			r := reply(http.StatusBadRequest, map[string]any{"detail": fmt.Sprintf("Unsupported protocolVersion '%v'. Supported versions: 0.3, 1.0.", v)})
			return nil, &r
		}
		served = m[1]
	}
	base["protocolVersion"] = served
	if name, _ := card["name"].(string); name != "" {
		base["name"] = name
	} else if agentName != nil && agentName != "" {
		base["name"] = agentName
	}
	if v, _ := base["version"].(string); v == "" {
		base["version"] = "1.0.0"
	}
	caps := map[string]any{}
	if c, ok := base["capabilities"].(map[string]any); ok && c["streaming"] == true {
		caps["streaming"] = true
	}
	base["capabilities"] = caps
	if l, _ := base["skills"].([]any); len(l) == 0 {
		base["skills"] = []any{map[string]any{"id": "chat", "name": "Chat", "description": "Conversational interaction with the agent.", "tags": []any{"chat"}}}
	}
	for _, k := range []string{"defaultInputModes", "defaultOutputModes"} {
		if l, _ := base[k].([]any); len(l) == 0 {
			base[k] = []any{"text"}
		}
	}
	if p, _ := base["provider"].(map[string]any); len(p) == 0 {
		base["provider"] = map[string]any{"organization": "LiteLLM Proxy", "url": emulatedProxyBase}
	}
	base["supportedInterfaces"] = []any{map[string]any{"url": emulatedProxyBase + "/a2a/" + agentID, "protocolBinding": "JSONRPC", "protocolVersion": served}}
	base["securitySchemes"] = map[string]any{"LiteLLMKey": map[string]any{"type": "http", "scheme": "bearer", "description": "LiteLLM virtual key"}}
	base["security"] = []any{map[string]any{"LiteLLMKey": []any{}}}
	allowed := []string{"protocolVersion", "name", "description", "version", "capabilities", "defaultInputModes",
		"defaultOutputModes", "skills", "preferredTransport", "supportedInterfaces", "iconUrl", "provider",
		"documentationUrl", "securitySchemes", "security", "supportsAuthenticatedExtendedCard", "signatures", "url"}
	for k := range base {
		if !slices.Contains(allowed, k) {
			delete(base, k)
		}
	}
	return base, nil
}

// agentBodyCheck is AgentConfig / PatchAgentRequest's validation (422).
func agentBodyCheck(body map[string]any, create bool) *response {
	var errs []verr
	fieldCheck(&errs, body, "agent_name", "str", create)
	for _, k := range []string{"agent_card_params", "litellm_params", "object_permission", "static_headers"} {
		fieldCheck(&errs, body, k, "dict", false)
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	return nil
}

var agentRateFields = []string{"tpm_limit", "rpm_limit", "session_tpm_limit", "session_rpm_limit"}

// POST /v1/agents: 200 with the agent. A name in the answering worker's
// registry: 400; a name only in the database: 409 (the unique constraint).
func agentCreate(e *Emulator, w *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := agentBodyCheck(body, true); bad != nil {
		return *bad
	}
	name := body["agent_name"]
	reg := e.registryOf(w)
	if reg.byName(name) != nil {
		return reply(http.StatusBadRequest, map[string]any{"detail": fmt.Sprintf("Agent with name %v already exists", name)})
	}
	id := e.uuid4()
	card := map[string]any{}
	if c, ok := body["agent_card_params"].(map[string]any); ok {
		merged, bad := mergeAgentCard(c, id, name)
		if bad != nil {
			return *bad
		}
		card = merged
	}
	for _, row := range e.agents {
		if row["agent_name"] == name {
			return reply(http.StatusConflict, map[string]any{"detail": "Agent name or Entra application is already registered"})
		}
	}
	now := e.timestamp(e.now())
	params, _ := body["litellm_params"].(map[string]any)
	row := map[string]any{"agent_id": id, "agent_name": name, "litellm_params": restoreParams(params, nil),
		"agent_card_params": card, "object_permission": cloneValue(body["object_permission"]),
		"static_headers": map[string]any{}, "extra_headers": listOrEmpty(body["extra_headers"]),
		"access_group_ids": listOrEmpty(body["access_group_ids"]), "spend": 0.0, "enabled": true,
		"execution_mode": "autonomous", "identity_managed": false, "created_at": now, "updated_at": now,
		"created_by": "default_user_id", "updated_by": "default_user_id"}
	if h, ok := body["static_headers"].(map[string]any); ok && len(h) > 0 {
		row["static_headers"] = cloneMap(h)
	}
	for _, k := range agentRateFields {
		row[k] = body[k]
	}
	e.agents[id] = row
	reg.agents[id] = cloneMap(row)
	return reply(http.StatusOK, agentView(row))
}

// GET /v1/agents: the answering worker's registry. Each agent's
// litellm_params gets is_public (false: no public agent groups), written
// into the registry's own copy as LiteLLM does.
func agentList(e *Emulator, w *worker, _ *request) response {
	reg := e.registryOf(w)
	out := []any{}
	for _, id := range sortedKeys(reg.agents) {
		a := reg.agents[id]
		params, _ := a["litellm_params"].(map[string]any)
		if params == nil {
			params = map[string]any{}
			a["litellm_params"] = params
		}
		params["is_public"] = false
		v := agentView(a)
		if row := e.agents[id]; row != nil {
			v["spend"] = row["spend"]
		}
		out = append(out, v)
	}
	return reply(http.StatusOK, out)
}

// GET /v1/agents/{id}: the answering worker's registry, else the database;
// neither: 404.
func agentGet(e *Emulator, w *worker, rq *request) response {
	id := rq.params[0]
	if a := e.registryOf(w).agents[id]; a != nil {
		return reply(http.StatusOK, agentView(a))
	}
	if row := e.agents[id]; row != nil {
		return reply(http.StatusOK, agentView(row))
	}
	return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Agent with ID %s not found", id)})
}

// PATCH /v1/agents/{id}: a partial update checked against the database;
// the answering worker re-registers the agent, the others keep their copy
// until their next reload.
func agentPatch(e *Emulator, w *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := agentBodyCheck(body, false); bad != nil {
		return *bad
	}
	id := rq.params[0]
	row := e.agents[id]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Agent with ID %s not found", id)})
	}
	next := cloneMap(row)
	if name, ok := body["agent_name"]; ok && name != nil && name != "" {
		for oid, other := range e.agents {
			if oid != id && other["agent_name"] == name {
				return reply(http.StatusConflict, map[string]any{"detail": "Agent name or Entra application is already registered"})
			}
		}
		next["agent_name"] = name
	}
	if c, ok := body["agent_card_params"].(map[string]any); ok && len(c) > 0 {
		merged, bad := mergeAgentCard(c, id, next["agent_name"])
		if bad != nil {
			return *bad
		}
		next["agent_card_params"] = merged
	}
	if p, ok := body["litellm_params"]; ok {
		in, _ := p.(map[string]any)
		old, _ := row["litellm_params"].(map[string]any)
		next["litellm_params"] = restoreParams(in, old)
	}
	for _, k := range agentRateFields {
		if v, ok := body[k]; ok {
			next[k] = v
		}
	}
	if v, ok := body["static_headers"]; ok {
		h, _ := v.(map[string]any)
		next["static_headers"] = cloneMap(h)
	}
	for _, k := range []string{"extra_headers", "access_group_ids"} {
		if v, ok := body[k]; ok {
			next[k] = listOrEmpty(v)
		}
	}
	if v, ok := body["object_permission"]; ok && v != nil {
		next["object_permission"] = cloneValue(v)
	}
	next["updated_at"], next["updated_by"] = e.timestamp(e.now()), "default_user_id"
	e.agents[id] = next
	reg := e.registryOf(w)
	if old := reg.byName(row["agent_name"]); old != nil {
		delete(reg.agents, fmt.Sprint(old["agent_id"]))
	}
	reg.agents[id] = cloneMap(next)
	return reply(http.StatusOK, agentView(next))
}

// DELETE /v1/agents/{id}: checked against the database (miss: 404 "…not
// found in DB."); the answering worker deregisters it, the others serve it
// until their next reload.
func agentDelete(e *Emulator, w *worker, rq *request) response {
	id := rq.params[0]
	row := e.agents[id]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Agent with ID %s not found in DB.", id)})
	}
	delete(e.agents, id)
	reg := e.registryOf(w)
	for rid, a := range reg.agents {
		if a["agent_name"] == row["agent_name"] {
			delete(reg.agents, rid)
		}
	}
	return reply(http.StatusOK, map[string]any{"message": fmt.Sprintf("Agent %s deleted successfully", id)})
}
