package litellm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"golang.org/x/sync/errgroup"
)

// ModelsService: model deployments (docs/litellm/models.md).
type ModelsService struct{ c *Client }

// savedNotLive is the 500 LiteLLM answers when a model write was committed
// but the reload it triggered left the model unserved by the answering pod
// (PR #34861, BerriAI/litellm#38556): the write happened.
var savedNotLive = rule{500, []string{"was saved to the database"}, KindNotLive, ""}

var (
	modelNew = endpoint{http.MethodPost, "/model/new", []rule{
		savedNotLive,
		// Older proxies refuse an id that a live deployment already has.
		{400, []string{"already belongs to an existing deployment"}, KindConflict, ""},
		// Newest proxies answer a duplicate id with this 500 (the unique
		// constraint is swallowed), and so they answer any other store
		// error: the caller reads the id to decide (Ambiguous is set for
		// 5xx on writes).
		{500, []string{"failed to add model to db"}, KindTransient, ""},
	}}
	// Router-only read: a miss is a 400, an empty router (older) a 500.
	modelInfoRouter = endpoint{http.MethodGet, "/model/info", []rule{
		{400, []string{"not found on litellm proxy"}, KindNotFound, ""},
		{500, []string{"model list not loaded", "router is not loaded"}, KindNotFound, ""},
	}}
	modelInfoV2 = endpoint{http.MethodGet, "/v2/model/info", nil}
	modelPatch  = endpoint{http.MethodPatch, "/model/{id}/update", []rule{
		savedNotLive,
		{404, nil, KindNotFound, ""},
	}}
	// A miss is answered from the database: "gone" is authoritative.
	modelDelete = endpoint{http.MethodPost, "/model/delete", []rule{
		{400, []string{"not found in db"}, KindNotFound, ""},
		{404, []string{"not found"}, KindNotFound, ""},
	}}
)

// Deployment is a model as LiteLLM reads and writes it.
type Deployment struct {
	ModelName     string         `json:"model_name"`
	LitellmParams map[string]any `json:"litellm_params"`
	ModelInfo     map[string]any `json:"model_info"`
}

// ModelUpdate is the body of PATCH /model/{id}/update, merged into the stored
// model. A key with a nil value is sent as JSON null, which LiteLLM uses to
// clear the keys it can clear.
type ModelUpdate struct {
	ModelName     *string        `json:"model_name,omitempty"`
	LitellmParams map[string]any `json:"litellm_params,omitempty"`
	ModelInfo     map[string]any `json:"model_info,omitempty"`
}

type modelList struct {
	Data       []Deployment `json:"data"`
	TotalPages int          `json:"total_pages"`
}

// listPageSize is the page size asked of /v2/model/info listings.
const listPageSize = 100

// List reads every model the answering worker serves, through the pages of
// GET /v2/model/info (newest proxies list the worker's router only, so a
// model missing from the list may still exist: only a model in it is
// known to exist). The first page tells how many there are; the others are
// read a few at a time. Rows without an ID are skipped.
func (s *ModelsService) List(ctx context.Context) ([]Deployment, error) {
	page := func(ctx context.Context, n int) (modelList, error) {
		var out modelList
		q := url.Values{"page": {strconv.Itoa(n)}, "size": {strconv.Itoa(listPageSize)}}
		err := s.c.do(ctx, request{ep: &modelInfoV2, query: q, out: &out})
		return out, err
	}
	first, err := page(ctx, 1)
	if err != nil {
		return nil, err
	}
	pages := make([]modelList, max(first.TotalPages, 1))
	pages[0] = first
	var g errgroup.Group
	g.SetLimit(listParallelism)
	for n := 2; n <= first.TotalPages; n++ {
		g.Go(func() error {
			var err error
			pages[n-1], err = page(ctx, n)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []Deployment
	for _, p := range pages {
		for _, d := range p.Data {
			if d.ModelInfo["id"] != nil {
				if d.LitellmParams == nil {
					d.LitellmParams = map[string]any{}
				}
				all = append(all, d)
			}
		}
	}
	return all, nil
}

// listParallelism bounds the pages of a listing read at once.
const listParallelism = 4

// modelSecrets: the request's secret values, for redaction.
func modelSecrets(params map[string]any) []string { return secretStrings(params, isSecretKey) }

// Create sends POST /model/new. The answer (the DB row with every parameter
// encrypted) is discarded on purpose: state is built from inputs and a read.
func (s *ModelsService) Create(ctx context.Context, d Deployment) error {
	if d.LitellmParams == nil {
		d.LitellmParams = map[string]any{}
	}
	if d.ModelInfo == nil {
		d.ModelInfo = map[string]any{}
	}
	return s.c.do(ctx, request{ep: &modelNew, body: d, secrets: modelSecrets(d.LitellmParams)})
}

// Get reads a model by ID from GET /v2/model/info?modelId=, which newer
// proxies answer from the router and then the database; an empty list is
// KindNotFound. On proxies without that endpoint (or whose version ignores
// the modelId filter) it falls back to GetFromRouter, and remembers that for
// later calls.
func (s *ModelsService) Get(ctx context.Context, id string) (*Deployment, error) {
	op := modelInfoV2.String()
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: op, Message: "empty model id"}
	}
	if s.c.noV2ModelInfo.Load() {
		return s.GetFromRouter(ctx, id)
	}
	var out modelList
	err := s.c.do(ctx, request{ep: &modelInfoV2, query: url.Values{"modelId": {id}}, out: &out})
	var e *Error
	if errors.As(err, &e) && e.routeMissing {
		s.c.noV2ModelInfo.Store(true)
		s.c.log("litellm: %s is missing on this proxy: reading models from /model/info from now on", op)
		return s.GetFromRouter(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if d := pick(out.Data, id); d != nil {
		return d, nil
	}
	if len(out.Data) > 0 {
		// Rows, but not ours: this proxy ignores modelId and lists models.
		s.c.noV2ModelInfo.Store(true)
		s.c.log("litellm: %s ignores modelId on this proxy: reading models from /model/info from now on", op)
		return s.GetFromRouter(ctx, id)
	}
	return nil, &Error{Kind: KindNotFound, Op: op, Status: http.StatusOK, Message: fmt.Sprintf("no model with id %q", id)}
}

// GetFromRouter reads GET /model/info?litellm_model_id=, served only from the
// answering worker's in-memory router: a miss (400 "not found on litellm
// proxy") means "not on this worker yet" as much as "does not exist".
func (s *ModelsService) GetFromRouter(ctx context.Context, id string) (*Deployment, error) {
	op := modelInfoRouter.String()
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: op, Message: "empty model id"}
	}
	var out modelList
	if err := s.c.do(ctx, request{ep: &modelInfoRouter, query: url.Values{"litellm_model_id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	if d := pick(out.Data, id); d != nil {
		return d, nil
	}
	return nil, &Error{Kind: KindNotFound, Op: op, Status: http.StatusOK, Message: fmt.Sprintf("no model with id %q", id)}
}

// pick returns the row whose model_info.id is id, with non-nil maps.
func pick(data []Deployment, id string) *Deployment {
	for i := range data {
		if rowID := data[i].ModelInfo["id"]; rowID != nil && fmt.Sprint(rowID) == id {
			d := data[i]
			if d.LitellmParams == nil {
				d.LitellmParams = map[string]any{}
			}
			return &d
		}
	}
	return nil
}

// Update sends PATCH /model/{id}/update (a merge into the stored model).
func (s *ModelsService) Update(ctx context.Context, id string, u ModelUpdate) error {
	return s.c.do(ctx, request{ep: &modelPatch, args: []string{id}, body: u, secrets: modelSecrets(u.LitellmParams)})
}

// Delete sends POST /model/delete {"id": id}.
func (s *ModelsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: modelDelete.String(), Message: "empty model id"}
	}
	return s.c.do(ctx, request{ep: &modelDelete, body: map[string]string{"id": id}})
}
