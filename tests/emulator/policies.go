package emulator

import (
	"fmt"
	"net/http"
	"slices"
)

// Guardrail policies (LiteLLM 1.110.2 wheel,
// litellm/proxy/policy_engine/policy_endpoints.py and policy_registry.py;
// the request and response types in
// litellm/types/proxy/policy_engine/resolver_types.py, policy_types.py and
// pipeline_types.py; LiteLLM_PolicyTable in schema.prisma). Every version
// is a row (unique per policy_name and version_number), read from the
// database on every request; the workers' in-memory registries (what the
// proxy enforces) are not emulated. Every handler runs with e.mu held.

// policyState is the table: rows by policy_id, in creation order.
type policyState struct {
	rows  map[string]map[string]any
	order []string
}

// Policies returns every stored version, in creation order.
func (e *Emulator) Policies() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range e.policies.order {
		out = append(out, cloneMap(e.policies.rows[id]))
	}
	return out
}

// UpdatePolicyVersion changes a stored version out of band (any status).
func (e *Emulator) UpdatePolicyVersion(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.policies.rows[id]
	if row == nil {
		return false
	}
	for k, v := range fields {
		row[k] = cloneValue(v)
	}
	return true
}

// DeletePolicy deletes every version of a policy out of band.
func (e *Emulator) DeletePolicy(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.policyDeleteName(name)
}

func (e *Emulator) policyDeleteName(name string) int {
	n := 0
	for _, id := range slices.Clone(e.policies.order) {
		if e.policies.rows[id]["policy_name"] == name {
			e.policyDeleteRow(id)
			n++
		}
	}
	return n
}

func (e *Emulator) policyDeleteRow(id string) {
	delete(e.policies.rows, id)
	if i := slices.Index(e.policies.order, id); i >= 0 {
		e.policies.order = slices.Delete(e.policies.order, i, i+1)
	}
}

// policyVersionsOf lists the versions of name, version_number descending.
func (e *Emulator) policyVersionsOf(name any) []map[string]any {
	var out []map[string]any
	for _, id := range e.policies.order {
		if r := e.policies.rows[id]; r["policy_name"] == name {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return int(policyNum(b["version_number"]) - policyNum(a["version_number"]))
	})
	return out
}

func policyNum(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return 0
}

// policyView is PolicyDBResponse.
func policyView(r map[string]any) map[string]any {
	out := cloneMap(r)
	out["definition_location"] = "db"
	return out
}

// policyFieldsCheck validates the optional fields shared by the create and
// the update (422 as pydantic reports it): lists of strings, a condition
// {model: str} (other keys ignored), a pipeline {mode: pre_call |
// post_call, steps: [{guardrail, on_fail?, on_pass?, on_error?, pass_data?,
// modify_response_message?}, ...] (at least one)}.
func policyFieldsCheck(body map[string]any) *response {
	var errs []verr
	fieldCheck(&errs, body, "inherit", "str", false)
	fieldCheck(&errs, body, "description", "str", false)
	fieldCheck(&errs, body, "condition", "dict", false)
	fieldCheck(&errs, body, "pipeline", "dict", false)
	for _, k := range []string{"guardrails_add", "guardrails_remove"} {
		if v, ok := body[k]; ok && v != nil {
			l, isList := v.([]any)
			if !isList {
				errs = append(errs, verr{typ: "list_type", loc: loc(k), msg: "Input should be a valid list", input: v})
			}
			for i, x := range l {
				if _, ok := x.(string); !ok {
					errs = append(errs, verr{typ: "string_type", loc: loc(k, i), msg: "Input should be a valid string", input: x})
				}
			}
		}
	}
	if c, ok := body["condition"].(map[string]any); ok {
		fieldCheck(&errs, c, "model", "str", false, "condition")
	}
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	if p, ok := body["pipeline"].(map[string]any); ok {
		if r := pipelineCheck(p); r != nil {
			return r
		}
	}
	return nil
}

// pipelineCheck is GuardrailPipeline.model_validate inside the registry:
// its ValidationError becomes the handler's 500.
func pipelineCheck(p map[string]any) *response {
	fail := func(msg string) *response {
		r := reply(http.StatusInternalServerError, map[string]any{"detail": "Error adding policy to DB: 1 validation error for GuardrailPipeline\n" + msg})
		return &r
	}
	if m, _ := p["mode"].(string); m != "pre_call" && m != "post_call" {
		return fail(fmt.Sprintf("mode\n  Value error, Invalid mode '%v'. Must be one of: ['post_call', 'pre_call']", p["mode"]))
	}
	steps, _ := p["steps"].([]any)
	if len(steps) == 0 {
		return fail("steps\n  List should have at least 1 item after validation, not 0")
	}
	for _, s := range steps {
		step, _ := s.(map[string]any)
		if g, _ := step["guardrail"].(string); g == "" {
			return fail("steps.0.guardrail\n  Field required")
		}
	}
	return nil
}

// policyPipeline is the pipeline as GuardrailPipeline.model_dump() stores
// it: every step with its defaults.
func policyPipeline(p map[string]any) map[string]any {
	out := map[string]any{"mode": p["mode"]}
	var steps []any
	for _, s := range p["steps"].([]any) {
		step := map[string]any{"on_fail": "block", "on_pass": "allow", "on_error": nil, "pass_data": false, "modify_response_message": nil}
		for k, v := range s.(map[string]any) {
			step[k] = cloneValue(v)
		}
		steps = append(steps, step)
	}
	out["steps"] = steps
	return out
}

func policyStrings(v any) []any {
	if l, ok := v.([]any); ok {
		return cloneValue(l).([]any)
	}
	return []any{}
}

// policyCreate: POST /policies makes version 1, in production.
func policyCreate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "policy_name", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	if r := policyFieldsCheck(body); r != nil {
		return *r
	}
	name := body["policy_name"]
	for _, v := range e.policyVersionsOf(name) {
		if policyNum(v["version_number"]) == 1 {
			return reply(http.StatusBadRequest, map[string]any{"detail": fmt.Sprintf("Policy with name '%v' already exists", name)})
		}
	}
	now := e.timestamp(e.now())
	condition := any(map[string]any{})
	if c, ok := body["condition"].(map[string]any); ok {
		condition = map[string]any{"model": c["model"]}
	}
	var pipeline any
	if p, ok := body["pipeline"].(map[string]any); ok {
		pipeline = policyPipeline(p)
	}
	id := e.uuid4()
	row := map[string]any{
		"policy_id": id, "policy_name": name, "version_number": 1.0, "version_status": "production",
		"parent_version_id": nil, "is_latest": true, "published_at": nil, "production_at": now,
		"inherit": body["inherit"], "description": body["description"],
		"guardrails_add": policyStrings(body["guardrails_add"]), "guardrails_remove": policyStrings(body["guardrails_remove"]),
		"condition": condition, "pipeline": pipeline, "created_at": now, "updated_at": now,
		"created_by": "default_user_id", "updated_by": "default_user_id",
	}
	if e.policies.rows == nil {
		e.policies.rows = map[string]map[string]any{}
	}
	e.policies.rows[id] = row
	e.policies.order = append(e.policies.order, id)
	return reply(http.StatusOK, policyView(row))
}

// policyVersions: GET /policies/name/{policy_name}/versions.
func policyVersions(e *Emulator, _ *worker, rq *request) response {
	name := rq.params[0]
	out := []any{}
	for _, v := range e.policyVersionsOf(name) {
		out = append(out, policyView(v))
	}
	return reply(http.StatusOK, map[string]any{"policy_name": name, "versions": out, "total_count": len(out)})
}

// policyNewVersion: POST /policies/name/{policy_name}/versions copies the
// source (the production version by default) into a new draft.
func policyNewVersion(e *Emulator, _ *worker, rq *request) response {
	name := rq.params[0]
	body, _ := rq.body.(map[string]any)
	versions := e.policyVersionsOf(name)
	var source map[string]any
	if sid, _ := body["source_policy_id"].(string); sid != "" {
		source = e.policies.rows[sid]
		if source == nil {
			return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Error creating new version: Source policy %s not found", sid)})
		}
		if source["policy_name"] != name {
			return reply(http.StatusInternalServerError, map[string]any{"detail": fmt.Sprintf(
				"Error creating new version: Source policy name '%v' does not match '%s'", source["policy_name"], name)})
		}
	} else {
		for _, v := range versions {
			if v["version_status"] == "production" {
				source = v
				break
			}
		}
		if source == nil {
			return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Error creating new version: No production version found for policy '%s'", name)})
		}
	}
	next := 1.0
	if len(versions) > 0 {
		next = policyNum(versions[0]["version_number"]) + 1
	}
	for _, v := range versions {
		v["is_latest"] = false
	}
	now := e.timestamp(e.now())
	id := e.uuid4()
	row := cloneMap(source)
	for k, v := range map[string]any{"policy_id": id, "version_number": next, "version_status": "draft", "parent_version_id": source["policy_id"],
		"is_latest": true, "published_at": nil, "production_at": nil, "created_at": now, "updated_at": now,
		"created_by": "default_user_id", "updated_by": "default_user_id"} {
		row[k] = v
	}
	e.policies.rows[id] = row
	e.policies.order = append(e.policies.order, id)
	return reply(http.StatusOK, policyView(row))
}

// policyUpdate: PUT /policies/{policy_id} writes the fields sent that are
// not null into a draft.
func policyUpdate(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if r := policyFieldsCheck(body); r != nil {
		return *r
	}
	row := e.policies.rows[id]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Policy with ID %s not found", id)})
	}
	if row["version_status"] != "draft" {
		return reply(http.StatusBadRequest, map[string]any{"detail": "Only draft versions can be updated. Publish or create a new version to change published/production."})
	}
	for _, k := range []string{"policy_name", "inherit", "description", "guardrails_add", "guardrails_remove"} {
		if v, ok := body[k]; ok && v != nil {
			row[k] = cloneValue(v)
		}
	}
	if c, ok := body["condition"].(map[string]any); ok {
		row["condition"] = map[string]any{"model": c["model"]}
	}
	if p, ok := body["pipeline"].(map[string]any); ok {
		row["pipeline"] = policyPipeline(p)
	}
	row["updated_at"] = e.timestamp(e.now())
	return reply(http.StatusOK, policyView(row))
}

// policyStatus: PUT /policies/{policy_id}/status, draft → published →
// production (the current production demoted to published).
func policyStatus(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "version_status", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	status := body["version_status"]
	fail := func(code int, msg string) response {
		return reply(code, map[string]any{"detail": "Error updating version status: " + msg})
	}
	if status != "published" && status != "production" {
		return fail(http.StatusBadRequest, fmt.Sprintf("Invalid status '%v'. Use 'published' or 'production'.", status))
	}
	row := e.policies.rows[id]
	if row == nil {
		return fail(http.StatusNotFound, fmt.Sprintf("Policy with ID %s not found", id))
	}
	current := row["version_status"]
	now := e.timestamp(e.now())
	if status == "published" {
		if current != "draft" {
			return fail(http.StatusBadRequest, fmt.Sprintf("Only draft versions can be published. Current status: '%v'.", current))
		}
		row["version_status"], row["published_at"], row["updated_at"] = "published", now, now
		return reply(http.StatusOK, policyView(row))
	}
	switch current {
	case "draft":
		return fail(http.StatusBadRequest, "Cannot promote draft directly to production. Publish the version first.")
	case "published":
	default:
		return fail(http.StatusBadRequest, fmt.Sprintf("Only draft or published versions can be promoted to production. Current: '%v'.", current))
	}
	for _, v := range e.policyVersionsOf(row["policy_name"]) {
		if v["version_status"] == "production" {
			v["version_status"], v["updated_at"] = "published", now
		}
	}
	row["version_status"], row["production_at"], row["updated_at"] = "production", now, now
	return reply(http.StatusOK, policyView(row))
}

// policyDeleteAll: DELETE /policies/name/{policy_name}/all-versions (a
// name without versions is a 200 too).
func policyDeleteAll(e *Emulator, _ *worker, rq *request) response {
	name := rq.params[0]
	e.policyDeleteName(name)
	return reply(http.StatusOK, map[string]any{"message": fmt.Sprintf("All versions of policy '%s' deleted successfully", name)})
}

// policyGet: GET /policies/{policy_id}.
func policyGet(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	row := e.policies.rows[id]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Policy with ID %s not found", id)})
	}
	return reply(http.StatusOK, policyView(row))
}

// policyDeleteOne: DELETE /policies/{policy_id}.
func policyDeleteOne(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	row := e.policies.rows[id]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Policy with ID %s not found", id)})
	}
	e.policyDeleteRow(id)
	out := map[string]any{"message": fmt.Sprintf("Policy %s deleted successfully", id)}
	if row["version_status"] == "production" {
		out["warning"] = "Production version was deleted. No other version was promoted. Promote another version to production if this policy should remain active."
	}
	return reply(http.StatusOK, out)
}

// policyList: GET /policies/list[?version_status=], newest first.
func policyList(e *Emulator, _ *worker, rq *request) response {
	status := rq.queryValue("version_status")
	out := []any{}
	for i := len(e.policies.order) - 1; i >= 0; i-- {
		r := e.policies.rows[e.policies.order[i]]
		if status == "" || r["version_status"] == status {
			out = append(out, policyView(r))
		}
	}
	return reply(http.StatusOK, map[string]any{"policies": out, "total_count": len(out)})
}
