package emulator

import (
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// Budget endpoints (LiteLLM litellm/proxy/management_endpoints/
// budget_management_endpoints.py; BudgetNewRequest in litellm/proxy/_types.py).
// Budgets are rows of LiteLLM_BudgetTable, the same store the team code
// keeps its member budgets in (e.budgets), so /budget/info sees those too.
// The store has no version history: budget reads are not replica-lagged
// here. Every handler runs with e.mu held.

// budgetColumns are the user-settable fields of BudgetNewRequest.
var budgetColumns = []string{"max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit",
	"budget_duration", "model_max_budget"}

// notPremiumUser is CommonProxyErrors.not_premium_user (newest wording).
const notPremiumUser = "You must be a LiteLLM Enterprise user to use this feature. If you have a license please set " +
	"`LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. \n" +
	"Pricing: https://www.litellm.ai/#pricing"

// Budgets returns the stored budget rows (team member budgets included),
// sorted by budget_id.
func (e *Emulator) Budgets() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.budgets) {
		out = append(out, budgetView(e.budgets[id]))
	}
	return out
}

// UpdateBudget changes a stored budget out of band (as the admin UI would).
func (e *Emulator) UpdateBudget(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.budgets[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteBudget deletes a stored budget out of band.
func (e *Emulator) DeleteBudget(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.budgets[id] == nil {
		return false
	}
	e.deleteBudgetRow(id)
	return true
}

// deleteBudgetRow deletes a budget; customers and projects that point to
// it lose the link (optional relations without onDelete in LiteLLM's
// schema.prisma: Prisma's default, SET NULL).
func (e *Emulator) deleteBudgetRow(id string) {
	delete(e.budgets, id)
	for _, uid := range sortedKeys(e.customers) {
		if row := e.customerCurrent(uid); row != nil && row["budget_id"] == id {
			row = cloneMap(row)
			row["budget_id"] = nil
			e.customerPut(uid, row)
		}
	}
	for _, pid := range sortedKeys(e.projects) {
		if row := e.projectCurrent(pid); row != nil && row["budget_id"] == id {
			row = cloneMap(row)
			row["budget_id"] = nil
			e.projectPut(pid, row)
		}
	}
}

// budgetView is a budget row as Prisma returns it: every column, null when
// unset.
func budgetView(row map[string]any) map[string]any {
	out := cloneMap(row)
	for _, k := range append([]string{"budget_id", "budget_reset_at", "created_at", "created_by", "updated_at", "updated_by"}, budgetColumns...) {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	return out
}

// pyFloat is Python's str() of a float ("5.0", "0.5", "1e-07").
func pyFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// pyQuote is Python's repr() of a string: single quotes unless the string
// holds one and no double quote.
func pyQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "\n", `\n`)
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}

// wrappedDetail is the message of an HTTPException({"error": msg}) that
// handle_exception_on_proxy turned into a ProxyException: str() of the dict.
func wrappedDetail(msg string, status int) response {
	return reply(status, proxyError("{'error': "+pyQuote(msg)+"}", "internal_server_error", "None", status))
}

// validateBudgetValues is the newest create and update's checks: budgets
// non-negative and finite, per-model budgets only with a licence.
func (e *Emulator) validateBudgetValues(body map[string]any) *response {
	for _, k := range []string{"max_budget", "soft_budget"} {
		if f, ok := body[k].(float64); ok && f < 0 {
			r := reply(http.StatusBadRequest, detailError(fmt.Sprintf("%s must be a non-negative finite number. Received: %s", k, pyFloat(f))))
			return &r
		}
	}
	if m, _ := body["model_max_budget"].(map[string]any); len(m) > 0 && e.opts.NoLicense {
		r := reply(http.StatusBadRequest, detailError("Invalid model_max_budget: You must have an enterprise license to set model_max_budget. "+
			notPremiumUser+". Example of valid model_max_budget: https://docs.litellm.ai/docs/proxy/users"))
		return &r
	}
	return nil
}

// budgetBodyCheck is BudgetNewRequest's field validation (422).
func budgetBodyCheck(body map[string]any) *response {
	var errs []verr
	fieldCheck(&errs, body, "budget_id", "str", false)
	fieldCheck(&errs, body, "budget_duration", "str", false)
	fieldCheck(&errs, body, "model_max_budget", "dict", false)
	if len(errs) > 0 {
		r := unprocessable(errs...)
		return &r
	}
	return nil
}

// POST /budget/new.
func budgetNew(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := budgetBodyCheck(body); bad != nil {
		return *bad
	}
	if !e.legacy {
		if bad := e.validateBudgetValues(body); bad != nil {
			return *bad
		}
	}
	id, _ := body["budget_id"].(string)
	if id == "" {
		id = e.uuid4()
	} else if e.budgets[id] != nil {
		if e.legacy {
			// The unique violation escapes the handler: Starlette's bare 500.
			return reply(http.StatusInternalServerError, "Internal Server Error")
		}
		return reply(http.StatusBadRequest, detailError(fmt.Sprintf("Budget with id '%s' already exists.", id)))
	}
	now := e.timestamp(e.now())
	row := map[string]any{"budget_id": id, "created_at": now, "updated_at": now, "created_by": "default_user_id",
		"updated_by": "default_user_id", "budget_reset_at": nil}
	for _, k := range budgetColumns {
		row[k] = cloneValue(body[k])
	}
	if !e.legacy && row["budget_duration"] != nil {
		at, bad := e.resetAt(row["budget_duration"])
		if bad != nil {
			return *bad
		}
		row["budget_reset_at"] = at
	}
	e.budgets[id] = row
	return reply(http.StatusOK, budgetView(row))
}

// POST /budget/info {"budgets": [...]}: the rows found (none: []).
func budgetInfo(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	raw, ok := body["budgets"].([]any)
	if !ok {
		return unprocessable(verr{typ: "missing", loc: loc("budgets"), msg: "Field required", input: body})
	}
	if len(raw) == 0 {
		return reply(http.StatusBadRequest, detailError("Specify list of budget id's to query. Passed in=[]"))
	}
	out := []any{}
	for _, id := range sortedKeys(e.budgets) {
		for _, v := range raw {
			if v == id {
				out = append(out, budgetView(e.budgets[id]))
			}
		}
	}
	return reply(http.StatusOK, out)
}

// POST /budget/update: newest writes every field sent (exclude_unset, null
// included); legacy drops nulls (exclude_none). An unknown ID: 200 null.
func budgetUpdate(e *Emulator, _ *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	if bad := budgetBodyCheck(body); bad != nil {
		return *bad
	}
	id, _ := body["budget_id"].(string)
	if id == "" {
		return reply(http.StatusBadRequest, detailError("budget_id is required"))
	}
	if !e.legacy {
		if bad := e.validateBudgetValues(body); bad != nil {
			return *bad
		}
	}
	row := e.budgets[id]
	if row == nil {
		return reply(http.StatusOK, nil)
	}
	for _, k := range budgetColumns {
		v, sent := body[k]
		if !sent || (e.legacy && v == nil) {
			continue
		}
		row[k] = cloneValue(v)
	}
	row["updated_at"] = e.timestamp(e.now())
	return reply(http.StatusOK, budgetView(row))
}

// POST /budget/delete {"id"}: the deleted row; an unknown ID (or a repeat):
// 200 null.
func budgetDelete(e *Emulator, _ *worker, rq *request) response {
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
	row := e.budgets[id]
	if row == nil {
		return reply(http.StatusOK, nil)
	}
	e.deleteBudgetRow(id)
	return reply(http.StatusOK, budgetView(row))
}

// GET /budget/list: every budget row (find_many), team member budgets
// included.
func budgetList(e *Emulator, _ *worker, _ *request) response {
	out := []any{}
	for _, id := range sortedKeys(e.budgets) {
		out = append(out, budgetView(e.budgets[id]))
	}
	return reply(http.StatusOK, out)
}
