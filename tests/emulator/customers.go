package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Customer (end user) endpoints (LiteLLM litellm/proxy/management_endpoints/
// customer_endpoints.py; NewCustomerRequest, UpdateCustomerRequest and
// LiteLLM_EndUserTable in litellm/proxy/_types.py). Customers live in the
// DB only; reads (the existence checks of update and delete included) go
// to the read replica when ReplicaLag is set, writes to the primary. A
// customer's budget is a row of the shared budget store. Every handler runs
// with e.mu held.

// customerColumns are the request fields stored as columns of
// LiteLLM_EndUserTable.
var customerColumns = []string{"alias", "blocked", "allowed_model_region", "default_model", "budget_id", "spend"}

func (e *Emulator) customerCurrent(id string) map[string]any { return deref(latest(e.customers[id])) }

func (e *Emulator) customerRead(id string) map[string]any {
	return deref(asOf(e.customers[id], e.now().Add(-e.opts.ReplicaLag)))
}

func (e *Emulator) customerPut(id string, row map[string]any) {
	var v *map[string]any
	if row != nil {
		v = &row
	}
	record(e.customers, id, v, e.now(), e.opts.ReplicaLag)
}

// Customers returns the stored customer rows (the primary), sorted by
// user_id, each with litellm_budget_table.
func (e *Emulator) Customers() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.customers) {
		if row := e.customerCurrent(id); row != nil {
			out = append(out, e.customerView(row, false))
		}
	}
	return out
}

// UpdateCustomer changes a stored customer out of band (as the UI would).
func (e *Emulator) UpdateCustomer(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.customerCurrent(id)
	if row == nil {
		return false
	}
	row = cloneMap(row)
	maps.Copy(row, cloneMap(fields))
	e.customerPut(id, row)
	return true
}

// DeleteCustomer deletes a stored customer out of band.
func (e *Emulator) DeleteCustomer(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.customerCurrent(id) == nil {
		return false
	}
	e.customerPut(id, nil)
	return true
}

// customerView is a customer with its budget (litellm_budget_table);
// exclude_none drops null fields, as /customer/info does.
func (e *Emulator) customerView(row map[string]any, excludeNone bool) map[string]any {
	out := cloneMap(row)
	out["litellm_budget_table"] = nil
	if id, _ := row["budget_id"].(string); id != "" && e.budgets[id] != nil {
		out["litellm_budget_table"] = budgetView(e.budgets[id])
	}
	if excludeNone {
		out = withoutNullFields(out)
	}
	return out
}

func withoutNullFields(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch x := v.(type) {
		case nil:
		case map[string]any:
			out[k] = withoutNullFields(x)
		default:
			out[k] = v
		}
	}
	return out
}

// pyStrSet is Python's str() of a set of strings ("set()" when empty).
func pyStrSet(items []string) string {
	if len(items) == 0 {
		return "set()"
	}
	var q []string
	for _, s := range items {
		q = append(q, pyQuote(s))
	}
	return "{" + strings.Join(q, ", ") + "}"
}

// pyStrList is Python's str() of a list of strings.
func pyStrList(items []string) string {
	var q []string
	for _, s := range items {
		q = append(q, pyQuote(s))
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// routerModelNames are the model names the worker's router serves
// (llm_router.get_model_names()).
func routerModelNames(wk *worker) []string {
	var names []string
	for _, m := range wk.router {
		if !slices.Contains(names, m.ModelName) {
			names = append(names, m.ModelName)
		}
	}
	slices.Sort(names)
	return names
}

// POST /customer/new.
func customerNew(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "user_id", "str", true)
	for _, f := range []string{"alias", "default_model", "budget_id", "budget_duration"} {
		fieldCheck(&errs, body, f, "str", false)
	}
	fieldCheck(&errs, body, "blocked", "bool", false)
	if r, ok := body["allowed_model_region"]; ok && r != nil && r != "eu" && r != "us" {
		errs = append(errs, verr{typ: "literal_error", loc: loc("allowed_model_region"), msg: "Input should be 'eu' or 'us'",
			input: r, ctx: map[string]any{"expected": "'eu' or 'us'"}})
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	if body["max_budget"] != nil && body["budget_id"] != nil {
		return unprocessable(verr{typ: "value_error", loc: []any{"body"}, msg: "Value error, Set either 'max_budget' or 'budget_id', not both.",
			input: body, ctx: map[string]any{"error": map[string]any{}}})
	}
	id := body["user_id"].(string)
	if dm, _ := body["default_model"].(string); dm != "" {
		names := routerModelNames(wk)
		if len(names) == 0 {
			return wrappedDetail("No models configured on proxy", http.StatusUnprocessableEntity)
		}
		if !slices.Contains(names, dm) {
			return wrappedDetail(fmt.Sprintf("Default Model not on proxy. Configure via `/model/new` or config.yaml. Default_model=%s, proxy_model_names=%s",
				dm, pyStrSet(names)), http.StatusUnprocessableEntity)
		}
	}
	row := map[string]any{"user_id": id, "alias": nil, "spend": 0.0, "allowed_model_region": nil, "default_model": nil,
		"budget_id": nil, "blocked": false, "object_permission_id": nil}
	// new_budget_request: any budget field makes a budget of the customer's own.
	budget := map[string]any{}
	for _, k := range budgetColumns {
		if v := body[k]; v != nil {
			budget[k] = cloneValue(v)
		}
	}
	if len(budget) > 0 {
		bid := e.uuid4()
		now := e.timestamp(e.now())
		b := map[string]any{"budget_id": bid, "created_at": now, "updated_at": now, "created_by": "default_user_id",
			"updated_by": "default_user_id", "budget_reset_at": nil}
		for _, k := range budgetColumns {
			b[k] = budget[k]
		}
		if b["budget_duration"] != nil {
			at, bad := e.resetAt(b["budget_duration"])
			if bad != nil {
				return *bad
			}
			b["budget_reset_at"] = at
		}
		e.budgets[bid] = b // created before the customer: it stays if the insert fails
		row["budget_id"] = bid
	} else if bid, _ := body["budget_id"].(string); bid != "" {
		if e.budgets[bid] == nil {
			return reply(http.StatusInternalServerError, proxyError(
				"Foreign key constraint failed on the field: `LiteLLM_EndUserTable_budget_id_fkey (index)`", "internal_server_error", "None", 500))
		}
		row["budget_id"] = bid
	}
	for _, k := range customerColumns {
		if v, ok := body[k]; ok && v != nil && k != "budget_id" {
			row[k] = cloneValue(v)
		}
	}
	if e.customerCurrent(id) != nil { // the primary key's unique constraint
		return reply(http.StatusBadRequest, proxyError(fmt.Sprintf("Customer already exists, passed user_id=%s. Please pass a new user_id.", id),
			"bad_request", "user_id", 400))
	}
	e.customerPut(id, row)
	return reply(http.StatusOK, e.customerView(row, false))
}

// GET /customer/info?end_user_id=.
func customerInfoGet(e *Emulator, _ *worker, rq *request) response {
	if _, ok := rq.query["end_user_id"]; !ok {
		return unprocessable(verr{typ: "missing", loc: []any{"query", "end_user_id"}, msg: "Field required", input: nil})
	}
	id := rq.queryValue("end_user_id")
	row := e.customerRead(id)
	if row == nil {
		msg := fmt.Sprintf("End User Id=%s does not exist in db", id)
		if e.legacy {
			return reply(http.StatusBadRequest, detailError(msg))
		}
		return reply(http.StatusNotFound, proxyError(msg, "not_found", "end_user_id", 404))
	}
	return reply(http.StatusOK, e.customerView(row, true))
}

// nonDefault is /customer/update's filter: a value is written unless it is
// null, [], {} or equal to 0 (Python's `v not in ([], {}, 0)`, under which
// false and 0.0 are 0 too).
func nonDefault(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	}
	return !emptyValue(v)
}

// POST /customer/update: the fields of UpdateCustomerRequest that pass
// nonDefault. max_budget goes to the customer's budget (created when it has
// none); budget_id links another budget.
func customerUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "user_id", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id := body["user_id"].(string)
	existing := e.customerRead(id)
	if existing == nil && !e.legacy {
		return reply(http.StatusNotFound, proxyError(fmt.Sprintf("End User Id=%s does not exist in db", id), "not_found", "user_id", 404))
	}
	if e.customerCurrent(id) == nil {
		// Prisma's update finds no row (older proxies do not read first; a
		// newer one whose read saw a lagging replica gets here too).
		msg := "Failed updating customer data. User ID does not exist passed user_id=" + id
		if e.legacy {
			return reply(http.StatusInternalServerError, proxyError("Internal Server Error, "+msg, "internal_error", "None", 500))
		}
		return reply(http.StatusInternalServerError, proxyError(msg, "internal_server_error", "None", 500))
	}
	if existing == nil {
		existing = e.customerCurrent(id)
	}
	row := cloneMap(e.customerCurrent(id))
	for _, k := range []string{"alias", "blocked", "allowed_model_region", "default_model", "budget_id"} {
		if v := body[k]; nonDefault(v) {
			row[k] = cloneValue(v)
		}
	}
	if mb := body["max_budget"]; nonDefault(mb) {
		bid, _ := existing["budget_id"].(string)
		if b := e.budgets[bid]; b != nil {
			b["max_budget"] = mb
			b["updated_at"] = e.timestamp(e.now())
		} else {
			bid = e.uuid4()
			now := e.timestamp(e.now())
			e.budgets[bid] = map[string]any{"budget_id": bid, "max_budget": mb, "soft_budget": nil, "max_parallel_requests": nil,
				"tpm_limit": nil, "rpm_limit": nil, "budget_duration": nil, "model_max_budget": nil, "budget_reset_at": nil,
				"created_at": now, "updated_at": now, "created_by": "default_user_id", "updated_by": "default_user_id"}
			row["budget_id"] = bid
		}
	}
	e.customerPut(id, row)
	return reply(http.StatusOK, e.customerView(row, false))
}

// POST /customer/delete {"user_ids": [...]}: newest checks that every
// customer exists (a DB read) before deleting; legacy deletes what it finds
// and fails on a count mismatch.
func customerDelete(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, ok := body["user_ids"].([]any)
	if !ok {
		return unprocessable(verr{typ: "missing", loc: loc("user_ids"), msg: "Field required", input: body})
	}
	var ids []string
	for _, v := range raw {
		s, _ := v.(string)
		ids = append(ids, s)
	}
	if len(ids) == 0 {
		return reply(http.StatusInternalServerError, proxyError("user_id is required, passed user_id = []", "internal_server_error", "None", 500))
	}
	if !e.legacy {
		var missing []string
		for _, id := range ids {
			if e.customerRead(id) == nil {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			return reply(http.StatusNotFound, proxyError(fmt.Sprintf("End User Id(s)=%s do not exist in db", strings.Join(missing, ", ")),
				"not_found", "user_ids", 404))
		}
	}
	n := 0
	for _, id := range ids {
		if e.customerCurrent(id) != nil {
			e.customerPut(id, nil)
			n++
		}
	}
	if e.legacy && n != len(ids) {
		return reply(http.StatusInternalServerError, proxyError(fmt.Sprintf(
			"Internal Server Error, Failed deleting all customer data. User ID does not exist passed user_id=%s. Deleted %d customers, passed %d customers",
			pyStrList(ids), n, len(ids)), "internal_error", "None", 500))
	}
	return reply(http.StatusOK, map[string]any{"deleted_customers": n, "message": "Successfully deleted customers with ids: " + pyStrList(ids)})
}

// GET /customer/list: every customer (as DB reads see them) with its
// budget (litellm_budget_table).
func customerList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range sortedKeys(e.customers) {
		if row := e.customerRead(id); row != nil {
			out = append(out, e.customerView(row, false))
		}
	}
	return reply(http.StatusOK, out)
}
