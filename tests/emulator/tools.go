package emulator

import (
	"fmt"
	"net/http"
	"slices"
)

// The tool registry's policies (LiteLLM 1.110.2 wheel,
// litellm/proxy/management_endpoints/tool_management_endpoints.py,
// litellm/proxy/db/tool_registry_writer.py, litellm/types/tool_management.py,
// LiteLLM_ToolTable in schema.prisma). Rows by tool_name, read from the
// database; the proxy adds one for every tool it sees called
// (DiscoverTool here). Team and key overrides are not emulated. Every
// handler runs with e.mu held.

// toolState is the registry: rows by tool_name, in creation order.
type toolState struct {
	rows  map[string]map[string]any
	order []string
}

// Tools returns the stored rows, in creation order.
func (e *Emulator) Tools() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, n := range e.tools.order {
		out = append(out, cloneMap(e.tools.rows[n]))
	}
	return out
}

// DiscoverTool adds a tool as the proxy does when it first sees it called
// (origin, the default policies); an existing tool only counts the call.
func (e *Emulator) DiscoverTool(name, origin string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if row := e.tools.rows[name]; row != nil {
		row["call_count"] = policyNum(row["call_count"]) + 1
		return
	}
	row := e.toolRow(name, "untrusted", "untrusted", "system")
	row["origin"], row["call_count"] = origin, 1.0
}

// SetToolPolicy changes a tool's policies out of band (as the admin UI).
func (e *Emulator) SetToolPolicy(name string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.tools.rows[name]
	if row == nil {
		return false
	}
	for k, v := range fields {
		row[k] = v
	}
	return true
}

// DeleteTool removes a tool row out of band (LiteLLM has no route for it).
func (e *Emulator) DeleteTool(name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tools.rows[name] == nil {
		return false
	}
	delete(e.tools.rows, name)
	if i := slices.Index(e.tools.order, name); i >= 0 {
		e.tools.order = slices.Delete(e.tools.order, i, i+1)
	}
	return true
}

func (e *Emulator) toolRow(name, in, out, by string) map[string]any {
	if e.tools.rows == nil {
		e.tools.rows = map[string]map[string]any{}
	}
	now := e.timestamp(e.now())
	row := map[string]any{"tool_id": e.uuid4(), "tool_name": name, "origin": nil, "input_policy": in, "output_policy": out,
		"call_count": 0.0, "assignments": map[string]any{}, "key_hash": nil, "team_id": nil, "key_alias": nil,
		"user_agent": nil, "user": nil, "last_used_at": nil, "created_at": now, "updated_at": now, "created_by": by, "updated_by": by}
	e.tools.rows[name] = row
	e.tools.order = append(e.tools.order, name)
	return row
}

var (
	toolInputPolicies  = []string{"trusted", "untrusted", "blocked"}
	toolOutputPolicies = []string{"trusted", "untrusted"}
)

// toolPolicySet: POST /v1/tool/policy, an upsert of the global policies.
func toolPolicySet(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "tool_name", "str", true)
	for k, allowed := range map[string][]string{"input_policy": toolInputPolicies, "output_policy": toolOutputPolicies} {
		if v, ok := body[k]; ok && v != nil {
			if s, _ := v.(string); !slices.Contains(allowed, s) {
				errs = append(errs, verr{typ: "literal_error", loc: loc(k), msg: "Input should be " + toolQuotedOr(allowed), input: v})
			}
		}
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	if body["team_id"] != nil || body["key_hash"] != nil {
		return reply(http.StatusNotImplemented, map[string]any{"detail": "emulator: team and key overrides are not emulated"})
	}
	in, _ := body["input_policy"].(string)
	out, _ := body["output_policy"].(string)
	if in == "" && out == "" {
		return reply(http.StatusBadRequest, map[string]any{"detail": "At least one of input_policy or output_policy must be provided"})
	}
	name := body["tool_name"].(string)
	row := e.tools.rows[name]
	if row == nil {
		row = e.toolRow(name, toolOr(in, "untrusted"), toolOr(out, "untrusted"), "default_user_id")
	} else {
		if in != "" {
			row["input_policy"] = in
		}
		if out != "" {
			row["output_policy"] = out
		}
		row["updated_at"], row["updated_by"] = e.timestamp(e.now()), "default_user_id"
	}
	return reply(http.StatusOK, map[string]any{"tool_name": name, "input_policy": row["input_policy"], "output_policy": row["output_policy"],
		"updated": true, "team_id": nil, "key_hash": nil})
}

func toolOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func toolQuotedOr(vals []string) string {
	out := ""
	for i, v := range vals {
		switch {
		case i == len(vals)-1 && i > 0:
			out += " or "
		case i > 0:
			out += ", "
		}
		out += "'" + v + "'"
	}
	return out
}

// toolGet: GET /v1/tool/{tool_name:path}.
func toolGet(e *Emulator, _ *worker, rq *request) response {
	name := rq.params[0]
	row := e.tools.rows[name]
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Tool '%s' not found", name)})
	}
	return reply(http.StatusOK, cloneMap(row))
}

// toolList: GET /v1/tool/list[?input_policy=], newest first.
func toolList(e *Emulator, _ *worker, rq *request) response {
	filter := rq.queryValue("input_policy")
	out := []any{}
	for i := len(e.tools.order) - 1; i >= 0; i-- {
		row := e.tools.rows[e.tools.order[i]]
		if filter == "" || row["input_policy"] == filter {
			out = append(out, cloneMap(row))
		}
	}
	return reply(http.StatusOK, map[string]any{"tools": out, "total": len(out)})
}
