package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// VectorStore is a LiteLLM-managed vector store (`/vector_store/new`),
// token litellm:index:VectorStore.
type VectorStore struct{}

// VectorStoreArgs are the inputs of a VectorStore.
type VectorStoreArgs struct {
	VectorStoreID          *string        `pulumi:"vectorStoreId,optional" litellm:"-"`
	VectorStoreName        string         `pulumi:"vectorStoreName" litellm:"vector_store_name,omitzero"`
	CustomLlmProvider      string         `pulumi:"customLlmProvider" litellm:"custom_llm_provider,omitzero"`
	VectorStoreDescription *string        `pulumi:"vectorStoreDescription,optional" litellm:"vector_store_description,omitzero"`
	VectorStoreMetadata    map[string]any `pulumi:"vectorStoreMetadata,optional" litellm:"vector_store_metadata,omitzero"`
	LitellmCredentialName  *string        `pulumi:"litellmCredentialName,optional" litellm:"litellm_credential_name,omitzero"`
	LitellmParams          map[string]any `pulumi:"litellmParams,optional" provider:"secret" litellm:"litellm_params,omitzero"`
	AdoptExisting          *bool          `pulumi:"adoptExisting,optional" litellm:"-"`
}

// VectorStoreState is the recorded state of a VectorStore.
type VectorStoreState struct {
	VectorStoreArgs
	// VectorStoreID shadows the input: as an output it is always set.
	VectorStoreID string `pulumi:"vectorStoreId"`
	Writes
}

var (
	_ infer.CustomResource[VectorStoreArgs, VectorStoreState] = (*VectorStore)(nil)
	_ infer.CustomCheck[VectorStoreArgs]                      = (*VectorStore)(nil)
	_ infer.CustomDiff[VectorStoreArgs, VectorStoreState]     = (*VectorStore)(nil)
	_ infer.CustomRead[VectorStoreArgs, VectorStoreState]     = (*VectorStore)(nil)
	_ infer.CustomUpdate[VectorStoreArgs, VectorStoreState]   = (*VectorStore)(nil)
	_ infer.CustomDelete[VectorStoreState]                    = (*VectorStore)(nil)
	_ infer.Annotated                                         = (*VectorStore)(nil)
)

func vectorStoreKind() kind {
	return kind{
		token:    "litellm:index:VectorStore",
		resource: infer.Resource(&VectorStore{}),
		check:    typedCheck(VectorStore{}.Check),
		diff:     typedDiff(VectorStore{}.Diff),
		read:     typedRead(VectorStore{}.Read),
		freeForm: []string{"vectorStoreMetadata", "litellmParams"},
		state:    reflect.TypeFor[VectorStoreState](),
	}
}

// Annotate documents the resource.
func (v *VectorStore) Annotate(a infer.Annotator) {
	a.SetToken("index", "VectorStore")
	if !documenting() {
		return
	}
	a.Describe(v, "A vector store managed by a LiteLLM proxy (`POST /vector_store/new`): an existing store of a "+
		"provider (OpenAI, Bedrock knowledge bases, Vertex RAG, pgvector, ...) that keys and teams search through the "+
		"proxy. The vector store ID is chosen by the provider (derived from the stack and the resource, so that an "+
		"interrupted create is found again) unless `vectorStoreId` pins it (usually the provider's own ID of the "+
		"store). Every store carries an ownership mark (`vectorStoreMetadata.pulumi`): one made by someone else is "+
		"never taken over without `adoptExisting`.\n\n"+
		"`/vector_store/update` changes the name, description, metadata and provider in place; it cannot change "+
		"`litellmParams` or `litellmCredentialName`, so a change there replaces the store (its row on the proxy, not "+
		"the provider's data).\n\n"+
		"Import with `pulumi import litellm:index:VectorStore <name> <vector store id>`.")
}

// Annotate documents the inputs.
func (v *VectorStoreArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&v.VectorStoreID, "The vector store's ID, as the proxy's callers name it (for most providers the "+
		"provider's own store ID, e.g. `vs_abc123`). Leave it unset to let the provider choose one. Changing it "+
		"replaces the store.")
	a.Describe(&v.VectorStoreName, "Display name of the store.")
	a.Describe(&v.CustomLlmProvider, "The provider that holds the store, e.g. `openai`, `bedrock`, `vertex_ai`, `azure`.")
	a.Describe(&v.VectorStoreDescription, "Description of the store.")
	a.Describe(&v.VectorStoreMetadata, "Free-form metadata; values may be any JSON. The key `pulumi` is the "+
		"provider's ownership mark and is rejected here.")
	a.Describe(&v.LitellmCredentialName, "Name of a LiteLLM credential the proxy uses to reach the provider "+
		"(e.g. a Credential resource's `credentialName`). Changing it replaces the store.")
	a.Describe(&v.LitellmParams, "Provider parameters, e.g. `{api_key: ..., api_base: ..., vertex_project: ...}` "+
		"(secret: they carry the provider's credentials; the proxy never returns the secret ones). Changing them "+
		"replaces the store.")
	a.Describe(&v.AdoptExisting, "If a vector store with this ID already exists and was not created by this resource, "+
		"take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (v *VectorStoreState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &v.Writes)
}

// ---- the kind's rules ----

var vectorStoreArgsType = reflect.TypeFor[VectorStoreArgs]()

// vectorStoreFixed: fields /vector_store/update cannot write (a change
// replaces the store).
func vectorStoreFixed(k string) bool { return k == "litellm_params" || k == "litellm_credential_name" }

// vectorStoreClearable: fields the update clears when sent as null
// (exclude_unset over Optional fields).
func vectorStoreClearable(k string) bool {
	return k == "vector_store_description" || k == "vector_store_metadata"
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's vector store object (jsonmap.go).
func (v VectorStoreArgs) MarshalJSON() ([]byte, error) { return marshalWire(v, nil) }

func (v *VectorStoreArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (VectorStore) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[VectorStoreArgs], error) {
	in, failures := decodeInputs[VectorStoreArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[VectorStoreArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.VectorStoreID != nil {
		v.id("vectorStoreId", *in.VectorStoreID)
	}
	v.require("vectorStoreName", in.VectorStoreName)
	v.require("customLlmProvider", in.CustomLlmProvider)
	if in.LitellmCredentialName != nil {
		v.require("litellmCredentialName", *in.LitellmCredentialName)
	}
	if _, ok := in.VectorStoreMetadata[markKey]; ok {
		v.fail("vectorStoreMetadata", "key %q is reserved for the provider's ownership mark", markKey)
	}
	if s, ok := in.LitellmParams["api_base"].(string); ok {
		v.httpURL("litellmParams.api_base", s, true)
	}
	return infer.CheckResponse[VectorStoreArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: name, description, metadata and provider are updated in place;
// litellmParams, litellmCredentialName and a new pinned ID replace.
func (VectorStore) Diff(_ context.Context, req infer.DiffRequest[VectorStoreArgs, VectorStoreState]) (infer.DiffResponse, error) {
	olds, news := req.State.VectorStoreArgs, req.Inputs
	d := newDiffer()
	d.merged("", vectorStoreArgsType, vectorStoreUpdatable(olds), vectorStoreUpdatable(news), vectorStoreClearable)
	if !sameJSON(normalized(olds.LitellmParams), normalized(news.LitellmParams)) && (len(olds.LitellmParams) > 0 || len(news.LitellmParams) > 0) {
		d.add("litellmParams", p.UpdateReplace)
	}
	if deref(olds.LitellmCredentialName) != deref(news.LitellmCredentialName) {
		d.add("litellmCredentialName", p.UpdateReplace)
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.VectorStoreID)
	if pinned != "" && pinned != req.ID {
		d.add("vectorStoreId", p.UpdateReplace)
	} else if deref(olds.VectorStoreID) != pinned && !(olds.VectorStoreID != nil && deref(olds.VectorStoreID) == req.ID && pinned == "") {
		d.add("vectorStoreId", p.Update) // pinning the ID the store already has, or un-pinning it, changes nothing on the proxy
	}
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create stores the vector store under its ID (pinned, or chosen by objectIDFor).
func (VectorStore) Create(ctx context.Context, req infer.CreateRequest[VectorStoreArgs]) (infer.CreateResponse[VectorStoreState], error) {
	in := req.Inputs
	pinned := deref(in.VectorStoreID)
	if req.DryRun {
		return infer.CreateResponse[VectorStoreState]{ID: pinned, Output: VectorStoreState{VectorStoreArgs: in, VectorStoreID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, vectorStoreCreateOp(e, id, in, false))
	return created(id, vectorStoreState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the vector store (or imports it) from the proxy's
// listing, which is the database's; see runRead for when a miss or an
// older version is believed.
func (VectorStore) Read(ctx context.Context, req infer.ReadRequest[VectorStoreArgs, VectorStoreState]) (infer.ReadResponse[VectorStoreArgs, VectorStoreState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.VectorStoreArgs, func(a VectorStoreArgs) bool {
		return len(objectOf(a)) == 0 && a.VectorStoreID == nil
	})
	if !importing && req.Inputs.VectorStoreID == nil {
		prior.VectorStoreID = nil // the ID in the state is the output, not a pinned input
	}
	vs, found, err := runRead(ctx, e, readOp[litellm.VectorStore]{
		target:    vectorStoreTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(vs litellm.VectorStore) bool { return vectorStoreMatches(vs, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[VectorStoreArgs, VectorStoreState]{}, err
	}
	in, left, err := vectorStoreArgsFromServer(vs, prior, importing)
	if err != nil {
		return infer.ReadResponse[VectorStoreArgs, VectorStoreState]{}, fmt.Errorf("vector store %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		reportImport(ctx, e, "vector store "+req.ID, left, vectorStoreMetadataOf(vs))
	}
	return infer.ReadResponse[VectorStoreArgs, VectorStoreState]{ID: req.ID, Inputs: in, State: vectorStoreState(req.ID, in, req.State.Writes)}, nil
}

// Update writes the changed fields in place (creating the store again under
// the same ID if it is gone).
func (VectorStore) Update(ctx context.Context, req infer.UpdateRequest[VectorStoreArgs, VectorStoreState]) (infer.UpdateResponse[VectorStoreState], error) {
	in, id := req.Inputs, req.ID
	state := vectorStoreState(id, in, req.State.Writes)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(vectorStoreObject(req.State.VectorStoreArgs), vectorStoreObject(in))) {
		return infer.UpdateResponse[VectorStoreState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	out, err := runUpdate(ctx, e, updateOp[litellm.VectorStore]{
		patch: func(ctx context.Context) error {
			return e.client.VectorStores.Update(ctx, id, vectorStorePatch(req.State.VectorStoreArgs, in, me.mark()))
		},
		resume:      vectorStoreCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the vector store's row on the proxy (the provider's data
// stays); one that is already gone is fine.
func (VectorStore) Delete(ctx context.Context, req infer.DeleteRequest[VectorStoreState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.VectorStore]{
		target:    vectorStoreTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.VectorStores.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func vectorStoreTarget(e env, id string) target[litellm.VectorStore] {
	return target[litellm.VectorStore]{
		kind:     "vector store",
		objectID: id,
		what:     "vector store " + id,
		// The listing is the database's (see litellm.VectorStoresService):
		// one listing answers a whole refresh.
		list: func(ctx context.Context) (map[string]litellm.VectorStore, error) {
			rows, err := e.client.VectorStores.List(ctx)
			out := map[string]litellm.VectorStore{}
			for _, r := range rows {
				out[fmt.Sprint(r["vector_store_id"])] = r
			}
			return out, err
		},
		get:    func(ctx context.Context) (litellm.VectorStore, error) { return e.client.VectorStores.Get(ctx, id) },
		markOf: func(vs litellm.VectorStore) (mark, bool) { return markIn(vectorStoreMetadataOf(vs)) },
	}
}

func vectorStoreCreateOp(e env, id string, in VectorStoreArgs, resume bool) createOp[litellm.VectorStore] {
	me := e.identity().attempting()
	body := vectorStoreBody(id, in, me.mark())
	secrets := litellmSecretStrings(in.LitellmParams)
	return createOp[litellm.VectorStore]{
		target: vectorStoreTarget(e, id),
		id:     me,
		create: func(ctx context.Context) error { return e.client.VectorStores.Create(ctx, body, secrets) },
		del:    func(ctx context.Context) error { return e.client.VectorStores.Delete(ctx, id) },
		adopt: func(ctx context.Context) error {
			return e.client.VectorStores.Update(ctx, id, vectorStorePatch(VectorStoreArgs{}, in, me.mark()))
		},
		// An adopted store keeps its litellm_params (the update cannot write
		// them): it matches only when they already show what is configured.
		matches:       func(vs litellm.VectorStore) bool { return vectorStoreMatches(vs, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:VectorStore <name> %s), choose another "+
			"vectorStoreId, or set adoptExisting: true", id),
	}
}

func vectorStoreState(id string, in VectorStoreArgs, w Writes) VectorStoreState {
	in.VectorStoreID = &id
	return VectorStoreState{VectorStoreArgs: in, VectorStoreID: id, Writes: w}
}

// vectorStoreObject is the store as configured, in LiteLLM's JSON (without the ID).
func vectorStoreObject(in VectorStoreArgs) object { return objectOf(in) }

// vectorStoreUpdatable is the part of the configuration the update writes.
func vectorStoreUpdatable(in VectorStoreArgs) object {
	obj := vectorStoreObject(in)
	for k := range obj {
		if vectorStoreFixed(k) {
			delete(obj, k)
		}
	}
	return obj
}

func vectorStoreWithMark(obj object, m mark) object {
	meta := asObject(obj["vector_store_metadata"])
	meta[markKey] = m.object()
	obj["vector_store_metadata"] = meta
	return obj
}

// vectorStoreBody is the create body: every configured field (litellm_params
// always, {} when none), the ID, and our mark in the metadata.
func vectorStoreBody(id string, in VectorStoreArgs, m mark) litellm.VectorStore {
	body := vectorStoreWithMark(vectorStoreObject(in), m)
	body["vector_store_id"] = id
	if _, ok := body["litellm_params"]; !ok {
		body["litellm_params"] = map[string]any{}
	}
	return body
}

// vectorStorePatch is the update body: the updatable fields, null for the
// removed clearable ones, and the whole metadata with our mark.
func vectorStorePatch(olds, news VectorStoreArgs, m mark) litellm.VectorStore {
	body := vectorStoreWithMark(vectorStoreUpdatable(news), m)
	for _, k := range removedKeys(vectorStoreUpdatable(olds), body) {
		if vectorStoreClearable(k) {
			body[k] = nil
		}
	}
	return body
}

// vectorStoreMetadataOf is the store's metadata (LiteLLM may return it as a
// JSON string).
func vectorStoreMetadataOf(vs litellm.VectorStore) map[string]any {
	if s, ok := vs["vector_store_metadata"].(string); ok {
		var m map[string]any
		if json.Unmarshal([]byte(s), &m) == nil {
			return m
		}
	}
	return asObject(vs["vector_store_metadata"])
}

// vectorStoreFromServer is the row as the inputs see it: the input fields,
// the metadata without the mark.
func vectorStoreFromServer(vs litellm.VectorStore) object {
	fs := fieldsOf(vectorStoreArgsType)
	obj := object{}
	for k, v := range vs {
		if _, ok := fs.byKey[k]; ok {
			obj[k] = v
		}
	}
	meta := vectorStoreMetadataOf(vs)
	delete(meta, markKey)
	obj["vector_store_metadata"] = meta
	return obj
}

// vectorStoreMatches: the server shows every configured field (redacted
// values not held against it).
func vectorStoreMatches(vs litellm.VectorStore, in VectorStoreArgs) bool {
	server := vectorStoreFromServer(vs)
	want := vectorStoreObject(in)
	params, _ := want["litellm_params"].(map[string]any)
	delete(want, "litellm_params")
	return shows(server, want, nil) && shows(asObject(server["litellm_params"]), params, nil)
}

// vectorStoreArgsFromServer rebuilds inputs: on refresh the fields the user
// owns (litellm_params key by key, redacted ones kept as configured), on
// import every readable field (left names the redacted keys).
func vectorStoreArgsFromServer(vs litellm.VectorStore, prior VectorStoreArgs, importing bool) (VectorStoreArgs, []string, error) {
	server := vectorStoreFromServer(vs)
	serverParams := asObject(server["litellm_params"])
	delete(server, "litellm_params")
	var obj, params object
	var left []string
	if importing {
		obj, _ = adoptFields(server, nil)
		obj = withoutEmptyDefaults(obj)
		var l []string
		params, l = adoptFields(serverParams, nil)
		for _, k := range l {
			left = append(left, "litellmParams."+k)
		}
	} else {
		priorObj := vectorStoreObject(prior)
		delete(priorObj, "litellm_params")
		obj = ownedFields(server, priorObj, nil)
		params = ownedFields(serverParams, asObject(normalized(prior.LitellmParams)), nil)
	}
	var out VectorStoreArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, nil, err
	}
	if len(params) > 0 || prior.LitellmParams != nil {
		out.LitellmParams = maps.Clone(params)
	}
	out.VectorStoreID, out.AdoptExisting = prior.VectorStoreID, prior.AdoptExisting
	slices.Sort(left)
	return out, left, nil
}

// litellmSecretStrings are the string values of a free-form parameter map,
// kept out of errors.
func litellmSecretStrings(params map[string]any) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(normalized(params))
	return out
}
