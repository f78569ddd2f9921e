package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// VectorStoresService: LiteLLM-managed vector stores (docs/litellm/vector-stores.md).
// /vector_store/info answers from the answering worker's registry when it
// holds the store, and a worker's periodic sync only adds stores it lacks:
// a worker keeps serving an updated or deleted store as it first loaded it.
// /vector_store/list answers from the database (and brings the answering
// worker's registry up to date), so reads by ID go through it.
type VectorStoresService struct{ c *Client }

var (
	// An ID that exists is a 400 {"detail": "Vector store with ID X already
	// exists"}.
	vectorStoreNew = endpoint{http.MethodPost, "/vector_store/new", []rule{
		{400, []string{"already exists"}, KindConflict, ""},
	}}
	// Writes the fields sent (exclude_unset, null clears) of
	// custom_llm_provider, vector_store_name, vector_store_description and
	// vector_store_metadata; never litellm_params. A miss is a 404.
	vectorStoreUpdate = endpoint{http.MethodPost, "/vector_store/update", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// A miss (in the database and the answering worker's registry) is a 404.
	vectorStoreDelete = endpoint{http.MethodPost, "/vector_store/delete", []rule{
		{404, nil, KindNotFound, ""},
	}}
	vectorStoreList = endpoint{http.MethodGet, "/vector_store/list", nil}
)

// VectorStore is a vector store row as LiteLLM reads and writes it
// (LiteLLM_ManagedVectorStore): vector_store_id, custom_llm_provider,
// vector_store_name, vector_store_description, vector_store_metadata,
// litellm_credential_name, litellm_params (secret keys redacted on read), ...
type VectorStore map[string]any

// Create sends POST /vector_store/new. The answer is discarded: state is
// built from the inputs and a read. secrets are the request's secret values.
func (s *VectorStoresService) Create(ctx context.Context, v VectorStore, secrets []string) error {
	if v["vector_store_id"] == nil || v["vector_store_id"] == "" {
		return &Error{Kind: KindInvalid, Op: vectorStoreNew.String(), Message: "empty vector store id"}
	}
	return s.c.do(ctx, request{ep: &vectorStoreNew, body: v, secrets: secrets})
}

// Get finds the store with this ID in GET /vector_store/list (the
// database's rows; see VectorStoresService for why not /vector_store/info).
func (s *VectorStoresService) Get(ctx context.Context, id string) (VectorStore, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: vectorStoreList.String(), Message: "empty vector store id"}
	}
	rows, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range rows {
		if v["vector_store_id"] == id {
			return v, nil
		}
	}
	return nil, &Error{Kind: KindNotFound, Op: vectorStoreList.String(), Status: http.StatusOK,
		Message: fmt.Sprintf("no vector store with id %q in the listing", id)}
}

// Update sends POST /vector_store/update with vector_store_id and the
// fields to write.
func (s *VectorStoresService) Update(ctx context.Context, id string, v VectorStore) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: vectorStoreUpdate.String(), Message: "empty vector store id"}
	}
	body := VectorStore{"vector_store_id": id}
	for k, x := range v {
		if k != "vector_store_id" {
			body[k] = x
		}
	}
	return s.c.do(ctx, request{ep: &vectorStoreUpdate, body: body})
}

// Delete sends POST /vector_store/delete {"vector_store_id": id}.
func (s *VectorStoresService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: vectorStoreDelete.String(), Message: "empty vector store id"}
	}
	return s.c.do(ctx, request{ep: &vectorStoreDelete, body: map[string]string{"vector_store_id": id}})
}

// List reads GET /vector_store/list page by page: the database's stores and
// the answering worker's (config-defined ones included). LiteLLM 1.110.2
// counts pages but answers every store on each of them, so a page that
// brings nothing new ends the listing.
func (s *VectorStoresService) List(ctx context.Context) ([]VectorStore, error) {
	var all []VectorStore
	seen := map[string]bool{}
	for page := 1; page <= maxListPages; page++ {
		var out struct {
			Data       []VectorStore `json:"data"`
			TotalPages int           `json:"total_pages"`
		}
		q := url.Values{"page": {strconv.Itoa(page)}, "page_size": {"100"}}
		if err := s.c.do(ctx, request{ep: &vectorStoreList, query: q, out: &out}); err != nil {
			return nil, err
		}
		fresh := false
		for _, v := range out.Data {
			if id, ok := v["vector_store_id"].(string); ok && id != "" && !seen[id] {
				seen[id], fresh = true, true
				all = append(all, v)
			}
		}
		if !fresh || page >= out.TotalPages {
			break
		}
	}
	return all, nil
}
