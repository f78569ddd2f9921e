package litellm

import (
	"context"
	"fmt"
	"net/http"
)

// GuardrailsService: guardrails stored in the proxy's database
// (docs/litellm/guardrails.md). Reads by ID and the v2 listing come from
// the database; the proxy chooses the ID (a create ignores a guardrail_id).
type GuardrailsService struct{ c *Client }

var (
	// 200 with the request's guardrail and the guardrail_id the database
	// chose. guardrail_name is unique: a duplicate fails the insert, and
	// the handler answers 500 "Error adding guardrail to DB: Unique
	// constraint failed on the fields: (`guardrail_name`)". A configuration
	// the proxy cannot initialise is a 400 (the row is rolled back).
	guardrailCreate = endpoint{http.MethodPost, "/guardrails", []rule{
		{500, []string{"unique constraint failed"}, KindConflict, ""},
		{400, []string{"guardrail configuration error"}, KindInvalid,
			"the proxy cannot initialise this guardrail: check litellmParams (the integration's required parameters)"},
	}}
	// A miss is a 404 {"detail": "Guardrail with ID X not found"}.
	guardrailInfo = endpoint{http.MethodGet, "/guardrails/{guardrail_id}/info", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Replaces guardrail_name, litellm_params and guardrail_info with the
	// body's. A miss is a 404; a configuration the proxy rejects a 422 (the
	// previous one is restored); a name another guardrail holds a 500 with
	// the unique violation.
	guardrailUpdate = endpoint{http.MethodPut, "/guardrails/{guardrail_id}", []rule{
		{404, nil, KindNotFound, ""},
		{500, []string{"unique constraint failed"}, KindInvalid,
			"another guardrail already has this guardrailName (LiteLLM keeps names unique): choose another"},
	}}
	// A miss (or a repeat) is a 404.
	guardrailDelete = endpoint{http.MethodDelete, "/guardrails/{guardrail_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// {"guardrails": [...]}: the database's guardrails, then the config
	// file's.
	guardrailList = endpoint{http.MethodGet, "/v2/guardrails/list", nil}
)

// Guardrail is a guardrail as LiteLLM reads and writes it: guardrail_id,
// guardrail_name, litellm_params (secret values masked on read),
// guardrail_info, guardrail_definition_location, created_at, updated_at.
type Guardrail map[string]any

// Create sends POST /guardrails {"guardrail": g} and returns the ID the
// proxy chose. secrets are the request's secret values.
func (s *GuardrailsService) Create(ctx context.Context, g Guardrail, secrets []string) (string, error) {
	if g["guardrail_name"] == nil || g["guardrail_name"] == "" {
		return "", &Error{Kind: KindInvalid, Op: guardrailCreate.String(), Message: "empty guardrail name"}
	}
	var out Guardrail
	if err := s.c.do(ctx, request{ep: &guardrailCreate, body: map[string]any{"guardrail": g}, out: &out, secrets: secrets}); err != nil {
		return "", err
	}
	id, _ := out["guardrail_id"].(string)
	return id, nil
}

// Get reads GET /guardrails/{id}/info.
func (s *GuardrailsService) Get(ctx context.Context, id string) (Guardrail, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: guardrailInfo.String(), Message: "empty guardrail id"}
	}
	var out Guardrail
	if err := s.c.do(ctx, request{ep: &guardrailInfo, args: []string{id}, out: &out}); err != nil {
		return nil, err
	}
	if out == nil || fmt.Sprint(out["guardrail_id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: guardrailInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no guardrail with id %q in the answer", id)}
	}
	return out, nil
}

// Update sends PUT /guardrails/{id} {"guardrail": g}: the whole guardrail.
func (s *GuardrailsService) Update(ctx context.Context, id string, g Guardrail, secrets []string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: guardrailUpdate.String(), Message: "empty guardrail id"}
	}
	return s.c.do(ctx, request{ep: &guardrailUpdate, args: []string{id}, body: map[string]any{"guardrail": g}, secrets: secrets})
}

// Delete sends DELETE /guardrails/{id}.
func (s *GuardrailsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: guardrailDelete.String(), Message: "empty guardrail id"}
	}
	return s.c.do(ctx, request{ep: &guardrailDelete, args: []string{id}})
}

// List reads GET /v2/guardrails/list. Rows without a guardrail_id (config
// guardrails of older proxies) are skipped.
func (s *GuardrailsService) List(ctx context.Context) ([]Guardrail, error) {
	var out struct {
		Guardrails []Guardrail `json:"guardrails"`
	}
	if err := s.c.do(ctx, request{ep: &guardrailList, out: &out}); err != nil {
		return nil, err
	}
	rows := []Guardrail{}
	for _, g := range out.Guardrails {
		if id, ok := g["guardrail_id"].(string); ok && id != "" {
			rows = append(rows, g)
		}
	}
	return rows, nil
}
