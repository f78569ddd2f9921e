package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// FallbacksService: model fallbacks (fallback_management_endpoints.py,
// docs/litellm/fallbacks.md): per model and fallback type, the ordered
// models the router tries when a call fails. They are kept in the
// router_settings row of LiteLLM_Config and served from each worker's
// router, which loads that row when it reloads: the read is one worker's
// memory (not authoritative right after a write); the delete reads the
// stored row.
type FallbacksService struct{ c *Client }

var (
	// An upsert. The model and each fallback model must be model names the
	// answering worker's router serves: 404 "Model 'X' not found in router",
	// 400 "Invalid fallback models: [...]" (KindInvalid; a model created
	// moments ago on another worker is not served here yet).
	fallbackCreate = endpoint{http.MethodPost, "/fallback", nil}
	// A miss is 404 "No <type> fallbacks configured for model 'X'".
	fallbackGet = endpoint{http.MethodGet, "/fallback/{model}", []rule{
		{404, []string{"fallbacks configured"}, KindNotFound, ""},
	}}
	// A miss (or a repeat) is the same 404, read from the stored settings.
	fallbackDelete = endpoint{http.MethodDelete, "/fallback/{model}", []rule{
		{404, []string{"fallbacks configured"}, KindNotFound, ""},
	}}
)

// Fallback is one model's fallbacks of one type: model, fallback_models
// (in order), fallback_type ("general", "context_window", "content_policy").
type Fallback struct {
	Model          string   `json:"model"`
	FallbackModels []string `json:"fallback_models"`
	FallbackType   string   `json:"fallback_type"`
}

// Set sends POST /fallback (create or replace).
func (s *FallbacksService) Set(ctx context.Context, f Fallback) error {
	if f.Model == "" {
		return &Error{Kind: KindInvalid, Op: fallbackCreate.String(), Message: "empty model"}
	}
	return s.c.do(ctx, request{ep: &fallbackCreate, body: f})
}

// Get reads GET /fallback/{model}?fallback_type=.
func (s *FallbacksService) Get(ctx context.Context, model, fallbackType string) (Fallback, error) {
	if model == "" {
		return Fallback{}, &Error{Kind: KindInvalid, Op: fallbackGet.String(), Message: "empty model"}
	}
	var out Fallback
	err := s.c.do(ctx, request{ep: &fallbackGet, args: []string{model}, query: url.Values{"fallback_type": {fallbackType}}, out: &out})
	if err != nil {
		return Fallback{}, err
	}
	if out.Model != model || len(out.FallbackModels) == 0 {
		return Fallback{}, &Error{Kind: KindNotFound, Op: fallbackGet.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no %s fallbacks for model %q in the answer", fallbackType, model)}
	}
	if out.FallbackType == "" {
		out.FallbackType = fallbackType
	}
	return out, nil
}

// Delete sends DELETE /fallback/{model}?fallback_type=.
func (s *FallbacksService) Delete(ctx context.Context, model, fallbackType string) error {
	if model == "" {
		return &Error{Kind: KindInvalid, Op: fallbackDelete.String(), Message: "empty model"}
	}
	return s.c.do(ctx, request{ep: &fallbackDelete, args: []string{model}, query: url.Values{"fallback_type": {fallbackType}}})
}
