package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// PromptsService: versioned prompts (docs/litellm/prompts.md). A prompt is
// a base ID with versions 1, 2, ... per environment. A read with an
// environment comes from the database; a read without one, the listing and
// the delete's existence check come from the answering worker's registry.
type PromptsService struct{ c *Client }

var (
	// Stores version max+1 of the prompt_id in the environment: it never
	// refuses an ID that exists (see Create). The answer is the new
	// version's spec, prompt_id "<id>.v<N>".
	promptCreate = endpoint{http.MethodPost, "/prompts", nil}
	// A miss is a 400 "Prompt X not found in environment E".
	promptInfo = endpoint{http.MethodGet, "/prompts/{prompt_id}", []rule{
		{400, []string{"not found"}, KindNotFound, ""},
	}}
	// Stores a new version (max+1 in the environment); a base ID with no
	// version in any environment is a 404.
	promptUpdate = endpoint{http.MethodPut, "/prompts/{prompt_id}", []rule{
		{404, nil, KindNotFound, ""},
		{400, []string{"cannot update config prompts"}, KindInvalid, "the prompt comes from the proxy's config file: it cannot be managed through the API"},
	}}
	// Deletes every version of the base ID in the environment. A prompt the
	// answering worker's registry does not hold is a 404 (see Delete).
	promptDelete = endpoint{http.MethodDelete, "/prompts/{prompt_id}", []rule{
		{404, nil, KindNotFound, ""},
		{400, []string{"cannot delete config prompts"}, KindInvalid, "the prompt comes from the proxy's config file: it cannot be managed through the API"},
	}}
	// {"prompts": [...]}: the latest version of each prompt in the
	// answering worker's registry.
	promptList = endpoint{http.MethodGet, "/prompts/list", nil}
)

// Prompt is a prompt spec as LiteLLM reads and writes it: prompt_id (the
// base ID in reads), litellm_params, prompt_info (prompt_type, environment
// and free-form keys), version, environment, created_at, updated_at, ...
type Prompt map[string]any

// BasePromptID strips a version suffix (".v3") from a prompt ID.
func BasePromptID(id string) string {
	if i := strings.LastIndex(id, ".v"); i > 0 {
		if _, err := strconv.Atoi(id[i+2:]); err == nil {
			return id[:i]
		}
	}
	return id
}

// promptVersion reads the version of a write's answer: its "version", or
// the suffix of its prompt_id.
func promptVersion(out Prompt) int {
	if v, ok := out["version"].(float64); ok {
		return int(v)
	}
	id, _ := out["prompt_id"].(string)
	if i := strings.LastIndex(id, ".v"); i > 0 {
		n, _ := strconv.Atoi(id[i+2:])
		return n
	}
	return 0
}

// Create sends POST /prompts and returns the version it stored. LiteLLM
// does not refuse a prompt_id that exists (it stores one more version), so
// callers check first (a Get) and treat a prompt found as a conflict.
func (s *PromptsService) Create(ctx context.Context, p Prompt, secrets []string) (int, error) {
	if p["prompt_id"] == nil || p["prompt_id"] == "" {
		return 0, &Error{Kind: KindInvalid, Op: promptCreate.String(), Message: "empty prompt id"}
	}
	var out Prompt
	if err := s.c.do(ctx, request{ep: &promptCreate, body: p, out: &out, secrets: secrets}); err != nil {
		return 0, err
	}
	return promptVersion(out), nil
}

// Get reads GET /prompts/{id}?environment=: the latest version of the
// prompt in the environment, from the database. The answer's prompt_spec
// carries the base ID and the version.
func (s *PromptsService) Get(ctx context.Context, id, environment string) (Prompt, error) {
	if id == "" || environment == "" {
		return nil, &Error{Kind: KindInvalid, Op: promptInfo.String(), Message: "empty prompt id or environment"}
	}
	var out struct {
		PromptSpec Prompt `json:"prompt_spec"`
	}
	q := url.Values{"environment": {environment}}
	if err := s.c.do(ctx, request{ep: &promptInfo, args: []string{id}, query: q, out: &out}); err != nil {
		return nil, err
	}
	if out.PromptSpec == nil || BasePromptID(fmt.Sprint(out.PromptSpec["prompt_id"])) != id {
		return nil, &Error{Kind: KindNotFound, Op: promptInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no prompt with id %q in the answer", id)}
	}
	return out.PromptSpec, nil
}

// Update sends PUT /prompts/{id}, which stores a new version, and returns
// its number.
func (s *PromptsService) Update(ctx context.Context, id string, p Prompt, secrets []string) (int, error) {
	if id == "" {
		return 0, &Error{Kind: KindInvalid, Op: promptUpdate.String(), Message: "empty prompt id"}
	}
	var out Prompt
	if err := s.c.do(ctx, request{ep: &promptUpdate, args: []string{id}, body: p, out: &out, secrets: secrets}); err != nil {
		return 0, err
	}
	return promptVersion(out), nil
}

// Delete sends DELETE /prompts/{id}?environment=: every version of the
// prompt in the environment. LiteLLM checks existence in the answering
// worker's registry, so a 404 may come from a worker that has not loaded a
// prompt created moments ago: callers confirm a miss with a Get.
func (s *PromptsService) Delete(ctx context.Context, id, environment string) error {
	if id == "" || environment == "" {
		return &Error{Kind: KindInvalid, Op: promptDelete.String(), Message: "empty prompt id or environment"}
	}
	return s.c.do(ctx, request{ep: &promptDelete, args: []string{id}, query: url.Values{"environment": {environment}}})
}

// List reads GET /prompts/list?environment= (every environment when
// environment is ""): the answering worker's registry, the latest version
// of each prompt, base IDs.
func (s *PromptsService) List(ctx context.Context, environment string) ([]Prompt, error) {
	var out struct {
		Prompts []Prompt `json:"prompts"`
	}
	var q url.Values
	if environment != "" {
		q = url.Values{"environment": {environment}}
	}
	if err := s.c.do(ctx, request{ep: &promptList, query: q, out: &out}); err != nil {
		return nil, err
	}
	rows := []Prompt{}
	for _, p := range out.Prompts {
		if id, ok := p["prompt_id"].(string); ok && id != "" {
			rows = append(rows, p)
		}
	}
	return rows, nil
}
