package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// PassThroughEndpointsService: pass-through endpoints, the entries of one
// list kept in the proxy's general_settings (`pass_through_endpoints`, one
// row of LiteLLM_Config), each identified by its `id`
// (docs/litellm/pass-through-endpoints.md). Every write of LiteLLM reads the
// whole list, changes one entry and writes the whole list back, with no
// lock: two writers at once can lose each other's entries. The list is read
// from the database's writer, not from a worker's memory.
type PassThroughEndpointsService struct{ c *Client }

var (
	// Appends the entry (with the id sent, or a fresh uuid4), without any
	// duplicate check: an id that exists is appended a second time.
	passThroughCreate = endpoint{http.MethodPost, "/config/pass_through_endpoint", nil}
	// Every entry (the config file's too, is_from_config true), or with
	// ?endpoint_id= the database entry with that id: a miss is 200
	// {"endpoints": []}.
	passThroughList = endpoint{http.MethodGet, "/config/pass_through_endpoint", nil}
	// Merges the fields sent that are not null into the stored entry
	// (exclude_unset, exclude_none). A miss: 404 "Endpoint with ID 'X' not
	// found", or 404 "No pass-through endpoints found" when the list is
	// empty.
	passThroughUpdate = endpoint{http.MethodPost, "/config/pass_through_endpoint/{endpoint_id}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// ?endpoint_id=. A miss (or a repeat): 400 "Endpoint with ID 'X' was not
	// found in pass-through endpoint list.", or 400 "There are no
	// pass-through endpoints setup." when the list is empty.
	passThroughDelete = endpoint{http.MethodDelete, "/config/pass_through_endpoint", []rule{
		{400, []string{"was not found in pass-through endpoint list", "no pass-through endpoints setup"}, KindNotFound, ""},
	}}
)

// PassThroughEndpoint is one entry as LiteLLM reads and writes it: id,
// path, target, headers, default_query_params, include_subpath,
// cost_per_request, timeout, auth, guardrails, methods, is_from_config.
type PassThroughEndpoint map[string]any

// passThroughSecrets are the header values of an entry: they hold the
// tokens the proxy forwards.
func passThroughSecrets(p PassThroughEndpoint) []string {
	var out []string
	if h, ok := p["headers"].(map[string]any); ok {
		for _, v := range h {
			if s, ok := v.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// List reads GET /config/pass_through_endpoint: every entry, the ones of
// the proxy's config file included (is_from_config true).
func (s *PassThroughEndpointsService) List(ctx context.Context) ([]PassThroughEndpoint, error) {
	var out struct {
		Endpoints []PassThroughEndpoint `json:"endpoints"`
	}
	if err := s.c.do(ctx, request{ep: &passThroughList, out: &out}); err != nil {
		return nil, err
	}
	rows := []PassThroughEndpoint{}
	for _, r := range out.Endpoints {
		if r != nil {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// Get reads GET /config/pass_through_endpoint?endpoint_id= (database
// entries only). An answer without the entry is a miss.
func (s *PassThroughEndpointsService) Get(ctx context.Context, id string) (PassThroughEndpoint, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: passThroughList.String(), Message: "empty pass-through endpoint id"}
	}
	var out struct {
		Endpoints []PassThroughEndpoint `json:"endpoints"`
	}
	if err := s.c.do(ctx, request{ep: &passThroughList, query: url.Values{"endpoint_id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	for _, r := range out.Endpoints {
		if got, ok := r["id"].(string); ok && got == id {
			return r, nil
		}
	}
	return nil, &Error{Kind: KindNotFound, Op: passThroughList.String(), Status: http.StatusOK,
		Message: fmt.Sprintf("no pass-through endpoint with id %q in the answer", id)}
}

// Create sends POST /config/pass_through_endpoint with the entry, whose id
// must be set (LiteLLM would otherwise choose one).
func (s *PassThroughEndpointsService) Create(ctx context.Context, p PassThroughEndpoint) error {
	if id, _ := p["id"].(string); id == "" {
		return &Error{Kind: KindInvalid, Op: passThroughCreate.String(), Message: "empty pass-through endpoint id"}
	}
	return s.c.do(ctx, request{ep: &passThroughCreate, body: p, secrets: passThroughSecrets(p)})
}

// Update sends POST /config/pass_through_endpoint/{id} with the entry
// (path and target are required by the body's type).
func (s *PassThroughEndpointsService) Update(ctx context.Context, id string, p PassThroughEndpoint) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: passThroughUpdate.String(), Message: "empty pass-through endpoint id"}
	}
	body := PassThroughEndpoint{"id": id}
	for k, v := range p {
		if k != "id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &passThroughUpdate, args: []string{id}, body: body, secrets: passThroughSecrets(p)})
}

// Delete sends DELETE /config/pass_through_endpoint?endpoint_id=.
func (s *PassThroughEndpointsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: passThroughDelete.String(), Message: "empty pass-through endpoint id"}
	}
	return s.c.do(ctx, request{ep: &passThroughDelete, query: url.Values{"endpoint_id": {id}}})
}
