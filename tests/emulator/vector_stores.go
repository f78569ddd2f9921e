package emulator

import (
	"maps"
	"net/http"
	"strings"
)

// Vector store endpoints (LiteLLM litellm/proxy/vector_store_endpoints/
// management_endpoints.py; LiteLLM_ManagedVectorStore,
// VectorStoreUpdateRequest, VectorStoreInfoRequest in
// litellm/types/vector_stores.py; 1.110.2 wheel). The rows live in the DB
// (e.vectorStores); every worker keeps its own registry
// (e.vectorStoreRegistries): its reload tick (and a pub/sub resync) only
// adds the stores it lacks; its own writes change it, and its listings
// bring it up to date with the DB. /info answers from the answering
// worker's registry when it holds the store (so a worker keeps serving an
// updated or deleted store as it first loaded it), else from the DB. Every
// handler runs with e.mu held.

// VectorStores returns the stored vector store rows (the DB, plaintext),
// sorted by vector_store_id.
func (e *Emulator) VectorStores() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedKeys(e.vectorStores) {
		out = append(out, cloneMap(e.vectorStores[id]))
	}
	return out
}

// UpdateVectorStore changes a stored vector store out of band, in the DB
// only (workers holding it in their registry never see it, until a listing
// on that worker).
func (e *Emulator) UpdateVectorStore(id string, fields map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	row := e.vectorStores[id]
	if row == nil {
		return false
	}
	maps.Copy(row, cloneMap(fields))
	return true
}

// DeleteVectorStore deletes a stored vector store out of band, in the DB
// only (workers' registries keep it until a listing on that worker).
func (e *Emulator) DeleteVectorStore(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.vectorStores[id] == nil {
		return false
	}
	delete(e.vectorStores, id)
	return true
}

// reloadVectorStoreRegistry is a worker's periodic sync
// (_init_vector_stores_in_db through add_vector_store_to_registry): it adds
// the DB's stores the registry lacks, and neither updates nor removes the
// ones it holds.
func (e *Emulator) reloadVectorStoreRegistry(w *worker) {
	reg := e.vectorStoreRegistry(w)
	for id, row := range e.vectorStores {
		if reg[id] == nil {
			reg[id] = cloneMap(row)
		}
	}
}

func (e *Emulator) vectorStoreRegistry(w *worker) map[string]map[string]any {
	if e.vectorStoreRegistries[w.index] == nil {
		e.vectorStoreRegistries[w.index] = map[string]map[string]any{}
	}
	return e.vectorStoreRegistries[w.index]
}

// sensitiveVectorStoreParam is the masker of _redact_sensitive_litellm_params:
// SensitiveDataMasker's patterns plus "connection".
func sensitiveVectorStoreParam(k string) bool {
	if sensitiveParam(k) {
		return true
	}
	for _, s := range strings.Split(strings.ReplaceAll(strings.ToLower(k), "-", "_"), "_") {
		if s == "connection" {
			return true
		}
	}
	return false
}

// redactVectorStoreParams replaces every sensitive value with
// "REDACTED_BY_LITELM", walking nested objects.
func redactVectorStoreParams(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range m {
		switch x := v.(type) {
		case map[string]any:
			if sensitiveVectorStoreParam(k) {
				out[k] = "REDACTED_BY_LITELM"
			} else {
				out[k] = redactVectorStoreParams(x)
			}
		default:
			if sensitiveVectorStoreParam(k) {
				out[k] = "REDACTED_BY_LITELM"
			} else {
				out[k] = cloneValue(v)
			}
		}
	}
	return out
}

// vectorStoreView is a row as the endpoints answer it: every column (null
// when unset), litellm_params redacted, is_config false.
func vectorStoreView(row map[string]any) map[string]any {
	out := cloneMap(row)
	for _, k := range []string{"vector_store_name", "vector_store_description", "vector_store_metadata", "litellm_credential_name",
		"team_id", "user_id", "created_at", "updated_at"} {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	out["litellm_params"] = redactVectorStoreParams(asMap(row["litellm_params"]))
	out["is_config"] = false
	return out
}

// POST /vector_store/new → {"status":"success","message":…,"vector_store":row}.
func vectorStoreNew(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	for _, k := range []string{"vector_store_id", "custom_llm_provider", "vector_store_name", "vector_store_description", "litellm_credential_name"} {
		fieldCheck(&errs, body, k, "str", false)
	}
	fieldCheck(&errs, body, "litellm_params", "dict", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id, _ := body["vector_store_id"].(string)
	provider, _ := body["custom_llm_provider"].(string)
	if id == "" || provider == "" {
		return reply(http.StatusBadRequest, map[string]any{"detail": "vector_store_id and custom_llm_provider are required"})
	}
	if e.vectorStores[id] != nil {
		return reply(http.StatusBadRequest, map[string]any{"detail": "Vector store with ID " + id + " already exists"})
	}
	now := e.timestamp(e.now())
	row := map[string]any{"vector_store_id": id, "custom_llm_provider": provider, "created_at": now, "updated_at": now,
		"team_id": nil, "user_id": "default_user_id"}
	for _, k := range []string{"vector_store_name", "vector_store_description", "litellm_credential_name"} {
		if v, ok := body[k]; ok && v != nil {
			row[k] = v
		}
	}
	if m, ok := body["vector_store_metadata"].(map[string]any); ok {
		row["vector_store_metadata"] = cloneMap(m) // anything else than an object is dropped
	}
	row["litellm_params"] = withoutNulls(asMap(body["litellm_params"]))
	e.vectorStores[id] = row
	e.vectorStoreRegistry(wk)[id] = cloneMap(row)
	e.publish()
	return reply(http.StatusOK, map[string]any{"status": "success", "message": "Vector store " + id + " created successfully",
		"vector_store": vectorStoreView(row)})
}

// POST /vector_store/info {"vector_store_id"}: the answering worker's
// registry first, then the DB; a miss is a 404.
func vectorStoreInfo(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "vector_store_id", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id := body["vector_store_id"].(string)
	row := e.vectorStoreRegistry(wk)[id]
	if row == nil {
		row = e.vectorStores[id]
	}
	if row == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": "Vector store with ID " + id + " not found"})
	}
	return reply(http.StatusOK, map[string]any{"vector_store": vectorStoreView(row)})
}

// POST /vector_store/update: the fields of VectorStoreUpdateRequest that are
// sent (exclude_unset: null clears); litellm_params and
// litellm_credential_name are not in the model and are ignored; a miss in
// the DB is a 404; the answering worker's registry takes the new row.
func vectorStoreUpdate(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "vector_store_id", "str", true)
	fieldCheck(&errs, body, "vector_store_metadata", "dict", false)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id := body["vector_store_id"].(string)
	old := e.vectorStores[id]
	if old == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": "Vector store with ID " + id + " not found"})
	}
	row := cloneMap(old)
	for _, k := range []string{"custom_llm_provider", "vector_store_name", "vector_store_description", "vector_store_metadata"} {
		if v, sent := body[k]; sent {
			row[k] = cloneValue(v)
		}
	}
	row["updated_at"] = e.timestamp(e.now())
	e.vectorStores[id] = row
	e.vectorStoreRegistry(wk)[id] = cloneMap(row)
	e.publish()
	return reply(http.StatusOK, map[string]any{"status": "success", "message": "Vector store " + id + " updated successfully",
		"vector_store": vectorStoreView(row)})
}

// POST /vector_store/delete {"vector_store_id"}: from the DB and the
// answering worker's registry; in neither → 404.
func vectorStoreDelete(e *Emulator, wk *worker, rq *request) response {
	body, bad := bodyObject(rq)
	if bad != nil {
		return *bad
	}
	var errs []verr
	fieldCheck(&errs, body, "vector_store_id", "str", true)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	id := body["vector_store_id"].(string)
	reg := e.vectorStoreRegistry(wk)
	if e.vectorStores[id] == nil && reg[id] == nil {
		return reply(http.StatusNotFound, map[string]any{"detail": "Vector store with ID " + id + " not found"})
	}
	delete(e.vectorStores, id)
	delete(reg, id)
	e.publish()
	return reply(http.StatusOK, map[string]any{"status": "success", "message": "Vector store " + id + " deleted successfully"})
}

// GET /vector_store/list (and /v1/vector_store/list): the DB rows; the
// answering worker's registry is synchronised with them (deleted ones
// dropped, the others replaced). Every store on every page; total_pages
// counted from page_size (< 1 → 400).
func vectorStoreList(e *Emulator, wk *worker, rq *request) response {
	size := positiveInt(rq.queryValue("page_size"), 100)
	if v := rq.queryValue("page_size"); v != "" && (v == "0" || strings.HasPrefix(v, "-")) {
		return reply(http.StatusBadRequest, map[string]any{"detail": "page_size must be >= 1, got page_size=" + v})
	}
	page := positiveInt(rq.queryValue("page"), 1)
	reg := map[string]map[string]any{}
	data := []any{}
	for _, id := range sortedKeys(e.vectorStores) {
		reg[id] = cloneMap(e.vectorStores[id])
		data = append(data, vectorStoreView(e.vectorStores[id]))
	}
	e.vectorStoreRegistries[wk.index] = reg
	return reply(http.StatusOK, map[string]any{"object": "list", "data": data, "total_count": len(data), "current_page": page,
		"total_pages": (len(data) + size - 1) / size})
}
