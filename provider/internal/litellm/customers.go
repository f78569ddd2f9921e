package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// CustomersService: customers, LiteLLM's end users (the `user` a client
// sends with a request), rows of LiteLLM_EndUserTable addressed by user_id
// (docs/litellm/customers.md). Customer reads come from the database (the
// primary, or a read replica when the proxy has one).
type CustomersService struct{ c *Client }

// defaultModelHint: /customer/new checks default_model against the model
// names of the answering worker's router.
const defaultModelHint = "defaultModel must be the name of a model the proxy serves; a model created moments ago " +
	"may not be loaded yet by the worker that answered"

// unknownBudget: a budget_id that names no budget fails the write on the
// foreign key (Prisma's P2003 "Foreign key constraint failed on the field:
// …", a 500): not a fault to retry.
var unknownBudget = rule{500, []string{"foreign key constraint failed"}, KindInvalid,
	"budgetId names no budget on the proxy: create it first (e.g. a litellm:index:Budget) or fix the ID"}

var (
	// A user_id that exists: 400 "Customer already exists, passed
	// user_id=X. Please pass a new user_id.". A default_model the
	// answering worker does not serve: 422 "Default Model not on proxy…"
	// (a worker that serves no model at all: 422 "No models configured on
	// proxy").
	customerNew = endpoint{http.MethodPost, "/customer/new", []rule{
		{400, []string{"customer already exists"}, KindConflict, ""},
		{422, []string{"default model not on proxy", "no models configured on proxy"}, KindInvalid, defaultModelHint},
		unknownBudget,
	}}
	// A miss: newer proxies 404 "End User Id=X does not exist in db",
	// older ones the same message with 400.
	customerInfo = endpoint{http.MethodGet, "/customer/info", []rule{
		{404, nil, KindNotFound, ""},
		{400, []string{"does not exist in db"}, KindNotFound, ""},
	}}
	// Only the fields sent that are not null, [], {}, 0 or false are
	// written. A miss: newer 404 "End User Id=X does not exist in db";
	// older 500 "… User ID does not exist passed user_id=X" (Prisma's
	// update found no row).
	customerUpdate = endpoint{http.MethodPost, "/customer/update", []rule{
		{404, []string{"does not exist"}, KindNotFound, ""},
		{500, []string{"user id does not exist"}, KindNotFound, ""},
		unknownBudget,
	}}
	// A miss (or a repeat): newer 404 "End User Id(s)=X do not exist in db";
	// older 500 "Failed deleting all customer data. User ID does not exist…".
	customerDelete = endpoint{http.MethodPost, "/customer/delete", []rule{
		{404, []string{"do not exist"}, KindNotFound, ""},
		{500, []string{"user id does not exist"}, KindNotFound, ""},
	}}
)

// Customer is a customer row as LiteLLM reads and writes it: user_id,
// alias, blocked, allowed_model_region, default_model, budget_id, spend and
// litellm_budget_table (the budget the customer points to).
type Customer map[string]any

// Create sends POST /customer/new. The answer is discarded: state is built
// from the inputs and a read.
func (s *CustomersService) Create(ctx context.Context, cu Customer) error {
	if cu["user_id"] == nil || cu["user_id"] == "" {
		return &Error{Kind: KindInvalid, Op: customerNew.String(), Message: "empty customer user id"}
	}
	return s.c.do(ctx, request{ep: &customerNew, body: cu})
}

// Get reads GET /customer/info?end_user_id=. An answer that is not that
// customer is a miss.
func (s *CustomersService) Get(ctx context.Context, id string) (Customer, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: customerInfo.String(), Message: "empty customer user id"}
	}
	var out Customer
	if err := s.c.do(ctx, request{ep: &customerInfo, query: url.Values{"end_user_id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	if out == nil || fmt.Sprint(out["user_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: customerInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no customer with user id %q in the answer", id)}
	}
	return out, nil
}

// Update sends POST /customer/update with user_id and the fields to write.
func (s *CustomersService) Update(ctx context.Context, id string, cu Customer) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: customerUpdate.String(), Message: "empty customer user id"}
	}
	body := Customer{"user_id": id}
	for k, v := range cu {
		if k != "user_id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &customerUpdate, body: body})
}

// Delete sends POST /customer/delete {"user_ids": [id]}.
func (s *CustomersService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: customerDelete.String(), Message: "empty customer user id"}
	}
	return s.c.do(ctx, request{ep: &customerDelete, body: map[string][]string{"user_ids": {id}}})
}
