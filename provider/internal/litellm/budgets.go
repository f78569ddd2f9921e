package litellm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// BudgetsService: budgets, the rows of LiteLLM_BudgetTable that teams,
// keys, customers, projects and team members point to by budget_id
// (docs/litellm/budgets.md). Budget reads come from the database (the
// primary, or a read replica when the proxy has one).
type BudgetsService struct{ c *Client }

var (
	// Newer proxies answer a budget_id that exists with 400 {"detail":
	// {"error": "Budget with id 'X' already exists."}}; older ones let the
	// unique violation escape as a bare 500 (transient and ambiguous: the
	// caller reads the ID to decide).
	budgetNew = endpoint{http.MethodPost, "/budget/new", []rule{
		{400, []string{"already exists"}, KindConflict, ""},
	}}
	// A POST that reads: {"budgets": [id]} → a list of rows; an unknown ID
	// is simply absent (200 []).
	budgetInfo = endpoint{http.MethodPost, "/budget/info", nil}
	// A miss is 200 with null (Prisma's update of no row): see Update.
	budgetUpdate = endpoint{http.MethodPost, "/budget/update", nil}
	// A miss (or a repeat) is 200 with null: see Delete.
	budgetDelete = endpoint{http.MethodPost, "/budget/delete", nil}
)

// Budget is a budget row as LiteLLM reads and writes it: budget_id,
// max_budget, soft_budget, max_parallel_requests, tpm_limit, rpm_limit,
// budget_duration, model_max_budget, budget_reset_at, created_at, ...
type Budget map[string]any

// Create sends POST /budget/new. The answer (the new row) is discarded:
// state is built from the inputs and a read.
func (s *BudgetsService) Create(ctx context.Context, b Budget) error {
	if b["budget_id"] == nil || b["budget_id"] == "" {
		return &Error{Kind: KindInvalid, Op: budgetNew.String(), Message: "empty budget id"}
	}
	return s.c.do(ctx, request{ep: &budgetNew, body: b})
}

// Get reads POST /budget/info {"budgets": [id]} and returns the row with
// that budget_id. An answer without it ([] or null) is a miss. The call
// only reads, so its failures are never ambiguous although it is a POST.
func (s *BudgetsService) Get(ctx context.Context, id string) (Budget, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: budgetInfo.String(), Message: "empty budget id"}
	}
	var rows []Budget
	err := s.c.do(ctx, request{ep: &budgetInfo, body: map[string][]string{"budgets": {id}}, out: &rows})
	var e *Error
	if errors.As(err, &e) {
		e.Ambiguous = false
	}
	if err != nil {
		return nil, err
	}
	for _, b := range rows {
		if got, ok := b["budget_id"].(string); ok && got == id {
			return b, nil
		}
	}
	return nil, &Error{Kind: KindNotFound, Op: budgetInfo.String(), Status: http.StatusOK,
		Message: fmt.Sprintf("no budget with id %q in the answer", id)}
}

// Update sends POST /budget/update with budget_id and the fields to write.
// LiteLLM answers an unknown ID with 200 and null (its update found no
// row): that is a miss.
func (s *BudgetsService) Update(ctx context.Context, id string, b Budget) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: budgetUpdate.String(), Message: "empty budget id"}
	}
	body := Budget{"budget_id": id}
	for k, v := range b {
		if k != "budget_id" {
			body[k] = v
		}
	}
	var out json.RawMessage
	if err := s.c.do(ctx, request{ep: &budgetUpdate, body: body, out: &out}); err != nil {
		return err
	}
	return nullIsMiss(&budgetUpdate, out, "budget", id)
}

// Delete sends POST /budget/delete {"id": id}. An unknown ID (or a repeat)
// is answered with 200 and null: a miss.
func (s *BudgetsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: budgetDelete.String(), Message: "empty budget id"}
	}
	var out json.RawMessage
	if err := s.c.do(ctx, request{ep: &budgetDelete, body: map[string]string{"id": id}, out: &out}); err != nil {
		return err
	}
	return nullIsMiss(&budgetDelete, out, "budget", id)
}

// nullIsMiss turns a 200 whose body is null (or empty) into KindNotFound:
// LiteLLM returns Prisma's answer as is, and Prisma's update or delete of
// a row that does not exist answers None.
func nullIsMiss(ep *endpoint, out json.RawMessage, what, id string) error {
	if t := bytes.TrimSpace(out); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return &Error{Kind: KindNotFound, Op: ep.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no %s with id %q (the proxy answered null)", what, id)}
	}
	return nil
}
