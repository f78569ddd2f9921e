package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"time"
)

// Pass-through endpoints (LiteLLM 1.110.2 wheel,
// litellm/proxy/pass_through_endpoints/pass_through_endpoints.py;
// PassThroughGenericEndpoint in litellm/proxy/_types.py). The entries are
// one list in general_settings (a row of LiteLLM_Config), read from the
// database's writer on every GET. Every write reads the list, changes it
// and writes the whole list back, without a lock or a version check: a
// write that reads the list before another write lands and writes after
// it loses that write. SetPassThroughWriteRace makes that window explicit:
// each write reads the list when it arrives and writes it back that long
// after (its answer follows the write). Every handler runs with e.mu held
// (released while a write waits).

// passThroughState is the stored list.
type passThroughState struct {
	set    bool // the field exists in general_settings (an empty list is still "set")
	list   []map[string]any
	race   time.Duration
	config []map[string]any // entries of the proxy's config file (read-only)
}

// passThroughDefaults are PassThroughGenericEndpoint's defaults, as every
// stored entry (model_dump) carries them.
func passThroughDefaults() map[string]any {
	return map[string]any{"headers": map[string]any{}, "default_query_params": map[string]any{}, "include_subpath": false,
		"cost_per_request": 0.0, "timeout": nil, "auth": true, "guardrails": nil, "methods": nil}
}

// SetPassThroughWriteRace sets how long a pass-through write takes between
// its read of the list and its write of it (0, the default: no time):
// writes that overlap lose each other's changes, as two LiteLLM writes that
// overlap do.
func (e *Emulator) SetPassThroughWriteRace(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.passThrough.race = d
}

// SetConfigPassThroughEndpoints sets the entries of the proxy's config file
// (is_from_config true in the answers; never written).
func (e *Emulator) SetConfigPassThroughEndpoints(entries []map[string]any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.passThrough.config = nil
	for _, x := range entries {
		row := passThroughDefaults()
		maps.Copy(row, cloneMap(x))
		e.passThrough.config = append(e.passThrough.config, row)
	}
}

// PassThroughEndpoints returns the stored entries (database only), in
// list order.
func (e *Emulator) PassThroughEndpoints() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, x := range e.passThroughCurrent() {
		out = append(out, cloneMap(x))
	}
	return out
}

// UpdatePassThroughEndpoint changes a stored entry out of band.
func (e *Emulator) UpdatePassThroughEndpoint(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	list := e.passThroughCopy(e.passThroughCurrent())
	for _, x := range list {
		if x["id"] == id {
			maps.Copy(x, cloneMap(fields))
			e.passThroughPut(list)
			return true
		}
	}
	return false
}

// DeletePassThroughEndpoint deletes a stored entry out of band.
func (e *Emulator) DeletePassThroughEndpoint(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	list := e.passThroughCopy(e.passThroughCurrent())
	for i, x := range list {
		if x["id"] == id {
			e.passThroughPut(append(list[:i], list[i+1:]...))
			return true
		}
	}
	return false
}

func (e *Emulator) passThroughCurrent() []map[string]any { return e.passThrough.list }

// passThroughBase is the list a write starts from: read when the write
// arrives. With a write race, the write then waits (e.mu released, so
// that other requests run) before it writes the list back.
func (e *Emulator) passThroughBase() []map[string]any {
	base := e.passThroughCopy(e.passThroughCurrent())
	if d := e.passThrough.race; d > 0 {
		e.mu.Unlock()
		time.Sleep(d)
		e.mu.Lock()
	}
	return base
}

func (e *Emulator) passThroughCopy(list []map[string]any) []map[string]any {
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		out = append(out, cloneMap(x))
	}
	return out
}

// passThroughPut writes the whole list (update_config_general_settings).
func (e *Emulator) passThroughPut(list []map[string]any) {
	e.passThrough.set = true
	e.passThrough.list = list
}

// passThroughView is an entry as the answers show it.
func passThroughView(x map[string]any, fromConfig bool) map[string]any {
	out := passThroughDefaults()
	maps.Copy(out, cloneMap(x))
	out["is_from_config"] = fromConfig
	if _, ok := out["id"]; !ok {
		out["id"] = nil
	}
	return out
}

// passThroughBodyCheck is PassThroughGenericEndpoint's validation (422).
func passThroughBodyCheck(body map[string]any) *response {
	var errs []verr
	fieldCheck(&errs, body, "path", "str", true)
	fieldCheck(&errs, body, "target", "str", true)
	fieldCheck(&errs, body, "id", "str", false)
	fieldCheck(&errs, body, "headers", "dict", false)
	fieldCheck(&errs, body, "default_query_params", "dict", false)
	fieldCheck(&errs, body, "include_subpath", "bool", false)
	fieldCheck(&errs, body, "auth", "bool", false)
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	return nil
}

// passThroughGet: GET /config/pass_through_endpoint[?endpoint_id=]. With
// an id, the database entry with that id (config entries have none);
// without, the config entries whose path no database entry has, then the
// database entries.
func passThroughGet(e *Emulator, _ *worker, rq *request) response {
	id := rq.queryValue("endpoint_id")
	out := []any{}
	db := e.passThroughCurrent()
	if id != "" {
		for _, x := range db {
			if x["id"] == id {
				out = append(out, passThroughView(x, false))
			}
		}
		return reply(http.StatusOK, map[string]any{"endpoints": out})
	}
	paths := map[any]bool{}
	for _, x := range db {
		paths[x["path"]] = true
	}
	for _, x := range e.passThrough.config {
		if !paths[x["path"]] {
			out = append(out, passThroughView(x, true))
		}
	}
	for _, x := range db {
		out = append(out, passThroughView(x, false))
	}
	return reply(http.StatusOK, map[string]any{"endpoints": out})
}

// passThroughCreate: POST /config/pass_through_endpoint appends the entry
// (the id sent, or a fresh uuid4) with no duplicate check.
func passThroughCreate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if r := passThroughBodyCheck(body); r != nil {
		return *r
	}
	entry := passThroughDefaults()
	maps.Copy(entry, cloneMap(body))
	delete(entry, "is_from_config")
	if id, _ := entry["id"].(string); id == "" {
		entry["id"] = e.uuid4()
	}
	list := append(e.passThroughBase(), entry)
	e.passThroughPut(list)
	return reply(http.StatusOK, map[string]any{"endpoints": []any{passThroughView(entry, false)}})
}

// passThroughUpdate: POST /config/pass_through_endpoint/{endpoint_id}
// merges the fields sent that are not null into the entry.
func passThroughUpdate(e *Emulator, _ *worker, rq *request) response {
	id := rq.params[0]
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if r := passThroughBodyCheck(body); r != nil {
		return *r
	}
	base := e.passThroughBase()
	if !e.passThrough.set {
		return reply(http.StatusNotFound, detailError("No pass-through endpoints found"))
	}
	for i, x := range base {
		if x["id"] != id {
			continue
		}
		for k, v := range body {
			if v != nil && k != "is_from_config" {
				x[k] = cloneValue(v)
			}
		}
		if _, sent := body["id"]; !sent || body["id"] == nil {
			x["id"] = id
		}
		base[i] = x
		e.passThroughPut(base)
		return reply(http.StatusOK, map[string]any{"endpoints": []any{passThroughView(x, false)}})
	}
	return reply(http.StatusNotFound, detailError(fmt.Sprintf("Endpoint with ID '%s' not found", id)))
}

// passThroughDelete: DELETE /config/pass_through_endpoint?endpoint_id=.
func passThroughDelete(e *Emulator, _ *worker, rq *request) response {
	id := rq.queryValue("endpoint_id")
	if _, ok := rq.query["endpoint_id"]; !ok {
		return unprocessable(verr{typ: "missing", loc: []any{"query", "endpoint_id"}, msg: "Field required", input: nil})
	}
	base := e.passThroughBase()
	if !e.passThrough.set {
		return reply(http.StatusBadRequest, detailError("There are no pass-through endpoints setup."))
	}
	for i, x := range base {
		if x["id"] == id {
			e.passThroughPut(append(base[:i], base[i+1:]...))
			return reply(http.StatusOK, map[string]any{"endpoints": []any{passThroughView(x, false)}})
		}
	}
	return reply(http.StatusBadRequest, detailError(fmt.Sprintf("Endpoint with ID '%s' was not found in pass-through endpoint list.", id)))
}
