package provider

import (
	"maps"
	"slices"
)

// LiteLLM's management objects (teams, keys, users, organisations) keep
// some typed fields inside their free-form `metadata`
// (LiteLLM_ManagementEndpoint_MetadataFields and the premium list in
// litellm/proxy/_types.py, docs/litellm/teams.md): create and update move
// them there, reads return them there. These functions are the one place
// that maps such an object between LiteLLM's JSON and a kind's inputs.

// managedMetadataFields are the typed fields LiteLLM keeps in metadata.
var managedMetadataFields = []string{"model_rpm_limit", "model_tpm_limit", "tags", "guardrails", "enforced_params",
	"temp_budget_increase", "temp_budget_expiry", "team_member_key_duration"}

func isManagedMetadataField(k string) bool { return slices.Contains(managedMetadataFields, k) }

// metadataServerFilled: metadata keys the provider or the proxy sets by
// itself (the mark, a team's member budget ID, enterprise bookkeeping).
func metadataServerFilled(k string) bool {
	switch k {
	case markKey, "team_member_budget_id", "soft_budget_alerting_emails":
		return true
	}
	return false
}

// liftMetadata is an object row as a kind's inputs see it: the keys keep
// says are readable, the metadata-kept fields lifted to the top level, and
// the metadata without the mark and the proxy's own keys.
func liftMetadata(row map[string]any, keep func(string) bool) object {
	obj := object{}
	for k, v := range row {
		if k != "metadata" && keep(k) {
			obj[k] = v
		}
	}
	meta := object{}
	for k, v := range asObject(row["metadata"]) {
		switch {
		case isManagedMetadataField(k):
			obj[k] = v
		case !metadataServerFilled(k):
			meta[k] = v
		}
	}
	obj["metadata"] = meta
	return obj
}

// patchBody is the update body of an object whose update writes every
// field it is sent (null included) and replaces the whole metadata when a
// metadata-kept field comes without it (LiteLLM's teams and keys): every
// configured field; removed ones cleared (null where clearable says LiteLLM
// can, [] for lists); and the whole metadata: the proxy's current keys that
// the old inputs did not set, the configured ones, and our mark. Removed
// metadata-kept fields are left out of the metadata (sent as null they
// would reach the database as unknown columns).
func patchBody(current map[string]any, oldObj, newObj object, clearable func(string) bool, m mark) map[string]any {
	body := maps.Clone(newObj)
	for _, k := range removedKeys(oldObj, newObj) {
		switch {
		case isManagedMetadataField(k):
		case clearable(k):
			body[k] = nil
		}
		if _, list := oldObj[k].([]any); list && !isManagedMetadataField(k) {
			body[k] = []any{}
		}
	}
	body["metadata"] = wholeMetadata(current, oldObj, newObj, m)
	return body
}

// wholeMetadata is the metadata an update sends when LiteLLM replaces the
// stored one with it: the proxy's current keys that the old inputs did not
// set (directly, or as a metadata-kept field), the configured ones, and
// our mark.
func wholeMetadata(current map[string]any, oldObj, newObj object, m mark) map[string]any {
	meta := asObject(current["metadata"])
	for k := range asObject(oldObj["metadata"]) {
		delete(meta, k)
	}
	for _, k := range managedMetadataFields {
		if _, owned := oldObj[k]; owned {
			delete(meta, k)
		}
	}
	maps.Copy(meta, asObject(newObj["metadata"]))
	meta[markKey] = m.object()
	return meta
}

// createBody is a create body: every configured field, and our mark in the
// metadata.
func createBody(obj object, m mark) map[string]any {
	body := maps.Clone(obj)
	meta := asObject(body["metadata"])
	meta[markKey] = m.object()
	body["metadata"] = meta
	return body
}

// withoutEmptyDefaults drops the empty lists and objects that LiteLLM fills
// in for unset fields (`models: []`, `metadata: {}`): an import leaves them out.
func withoutEmptyDefaults(obj object) object {
	for k, v := range obj {
		if l, ok := v.([]any); ok && len(l) == 0 {
			delete(obj, k)
		}
		if m, ok := v.(map[string]any); ok && len(m) == 0 {
			delete(obj, k)
		}
	}
	return obj
}
