package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetVectorStore reads one vector store by ID (litellm:index:getVectorStore).
type GetVectorStore struct{}

// GetVectorStoreArgs are getVectorStore's inputs.
type GetVectorStoreArgs struct {
	VectorStoreID string `pulumi:"vectorStoreId"`
}

// VectorStoreResult is a vector store as the functions return it: the
// readable fields (litellm_params without the keys that look secret) and the
// proxy's runtime fields.
type VectorStoreResult struct {
	VectorStoreID          string         `pulumi:"vectorStoreId" litellm:"vector_store_id"`
	VectorStoreName        *string        `pulumi:"vectorStoreName,optional" litellm:"vector_store_name,omitzero"`
	CustomLlmProvider      *string        `pulumi:"customLlmProvider,optional" litellm:"custom_llm_provider,omitzero"`
	VectorStoreDescription *string        `pulumi:"vectorStoreDescription,optional" litellm:"vector_store_description,omitzero"`
	VectorStoreMetadata    map[string]any `pulumi:"vectorStoreMetadata,optional" litellm:"-"`
	LitellmCredentialName  *string        `pulumi:"litellmCredentialName,optional" litellm:"litellm_credential_name,omitzero"`
	LitellmParams          map[string]any `pulumi:"litellmParams,optional" litellm:"-"`
	TeamID                 *string        `pulumi:"teamId,optional" litellm:"team_id,omitzero"`
	UserID                 *string        `pulumi:"userId,optional" litellm:"user_id,omitzero"`
	IsConfig               *bool          `pulumi:"isConfig,optional" litellm:"is_config,omitzero"`
	CreatedAt              *string        `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt              *string        `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	ManagedBy              *string        `pulumi:"managedBy,optional" litellm:"-"`
}

// ListVectorStores lists the vector stores (litellm:index:listVectorStores).
type ListVectorStores struct{}

// ListVectorStoresArgs filter listVectorStores.
type ListVectorStoresArgs struct {
	CustomLlmProvider *string `pulumi:"customLlmProvider,optional"`
}

// ListVectorStoresResult is listVectorStores' output.
type ListVectorStoresResult struct {
	VectorStores []VectorStoreResult `pulumi:"vectorStores"`
}

func (r VectorStoreResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *VectorStoreResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetVectorStore) Annotate(a infer.Annotator) {
	a.SetToken("index", "getVectorStore")
	if documenting() {
		a.Describe(f, "Reads a vector store by ID, from the proxy's listing (its database: `/vector_store/info` answers "+
			"from a worker's registry, which may hold a store as it was before an update or a delete): a miss fails "+
			"at once. Parameters that look secret are left out.")
	}
}

func (a *GetVectorStoreArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.VectorStoreID, "The vector store's ID, e.g. a VectorStore resource's `vectorStoreId`.")
	}
}

func (a *ListVectorStoresArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.CustomLlmProvider, "Only the stores of this provider (e.g. `openai`).")
	}
}

func (r *VectorStoreResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.VectorStoreID, "The vector store's ID.")
	a.Describe(&r.VectorStoreName, "Display name.")
	a.Describe(&r.CustomLlmProvider, "The provider that holds the store.")
	a.Describe(&r.VectorStoreDescription, "Description.")
	a.Describe(&r.VectorStoreMetadata, "Free-form metadata (the ownership mark and keys that look secret left out).")
	a.Describe(&r.LitellmCredentialName, "The LiteLLM credential the proxy uses for the store.")
	a.Describe(&r.LitellmParams, "Provider parameters, without the keys that look secret.")
	a.Describe(&r.TeamID, "The team of the key that registered the store.")
	a.Describe(&r.UserID, "The user of the key that registered the store.")
	a.Describe(&r.IsConfig, "Whether the store comes from the proxy's config file (read-only through the API).")
	a.Describe(&r.CreatedAt, "When the store was registered.")
	a.Describe(&r.UpdatedAt, "When it was last changed.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the store, if one does.")
}

func (f *ListVectorStores) Annotate(a infer.Annotator) {
	a.SetToken("index", "listVectorStores")
	if documenting() {
		a.Describe(f, "Lists the vector stores of the proxy: its database's and those of the answering worker's "+
			"config file.")
	}
}

func (r *ListVectorStoresResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.VectorStores, "The vector stores, by ID.")
	}
}

// Invoke reads the vector store.
func (GetVectorStore) Invoke(ctx context.Context, req infer.FunctionRequest[GetVectorStoreArgs]) (infer.FunctionResponse[VectorStoreResult], error) {
	e := getEnv(ctx)
	vs, err := runGet(ctx, e, vectorStoreTarget(e, req.Input.VectorStoreID), true)
	if err != nil {
		return infer.FunctionResponse[VectorStoreResult]{}, err
	}
	r, err := vectorStoreResult(vs)
	return infer.FunctionResponse[VectorStoreResult]{Output: r}, err
}

// Invoke lists the vector stores.
func (ListVectorStores) Invoke(ctx context.Context, req infer.FunctionRequest[ListVectorStoresArgs]) (infer.FunctionResponse[ListVectorStoresResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "vector stores", e.client.VectorStores.List, vectorStoreResult,
		func(r VectorStoreResult) string { return r.VectorStoreID })
	rows = keepIf(rows, req.Input.CustomLlmProvider, func(r VectorStoreResult) string { return deref(r.CustomLlmProvider) })
	return infer.FunctionResponse[ListVectorStoresResult]{Output: ListVectorStoresResult{VectorStores: rows}}, err
}

// vectorStoreResult maps a row: the readable fields without secrets, and
// the runtime fields the resource leaves out.
func vectorStoreResult(vs litellm.VectorStore) (VectorStoreResult, error) {
	obj := object{}
	for _, k := range []string{"vector_store_id", "vector_store_name", "custom_llm_provider", "vector_store_description",
		"litellm_credential_name", "team_id", "user_id", "is_config", "created_at", "updated_at"} {
		if v, ok := vs[k]; ok {
			obj[k] = v
		}
	}
	var r VectorStoreResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("vector store %v: unexpected answer: %w", vs["vector_store_id"], err)
	}
	meta := vectorStoreMetadataOf(vs)
	if m := publicMetadata(meta); len(m) > 0 {
		r.VectorStoreMetadata = m
	}
	params := object{}
	for k, v := range asObject(vs["litellm_params"]) {
		if !litellm.SecretLooking(k) && !masked(k, v) {
			params[k] = v
		}
	}
	if len(params) > 0 {
		r.LitellmParams = params
	}
	r.ManagedBy = managedBy(meta)
	return r, nil
}
