package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	p "github.com/pulumi/pulumi-go-provider"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// This file is the one mapping between the typed inputs Pulumi users see
// and the JSON objects LiteLLM speaks. encoding/json builds every request
// body and decodes every read.
//
// Each input struct field carries, next to its `pulumi` tag, a `litellm`
// tag written exactly like a `json` tag (`litellm:"api_base,omitzero"`;
// `litellm:"-"` for inputs that never reach the proxy). They cannot be
// `json` tags: the Pulumi SDK's mapper, which infer uses to turn property
// maps into these structs, reads `json` tags as property names too. Each
// mapped struct type implements MarshalJSON/UnmarshalJSON with
// marshalWire/unmarshalWire, which hand encoding/json a view of the value
// whose tags are the `litellm` ones (the same struct with other tags, so a
// plain conversion) and merge the free-form keys of its `Extra` field
// (`litellm:"-"`). Nested objects, lists of objects, named string types and
// every integer width are then encoding/json's business; reflection only
// learns each field's key, Pulumi name and secrecy (fieldsOf).
//
// The rules every kind shares are small pure functions over JSON objects:
// refresh takes only the fields the user owns (ownedFields), masked values
// never count (masked), a removed key is found by removedKeys (the kind's
// predicate decides between null and a replacement, differ.merged), and an
// import adopts every readable field except the server-filled ones
// (adoptFields). Each kind's exceptions are predicates in its own file.

// object is a decoded JSON object.
type object = map[string]any

// objectOf encodes v (a struct, a pointer to one, or nil) as a JSON object.
// A nil pointer gives an empty object.
func objectOf(v any) object {
	out := object{}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
		return out
	}
	raw, err := json.Marshal(v)
	if err != nil {
		// The input types only hold JSON values (Check rejects the rest).
		panic(fmt.Sprintf("jsonmap: cannot encode %T: %v", v, err))
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(fmt.Sprintf("jsonmap: %T is not a JSON object: %v", v, err))
	}
	return out
}

// asObject returns a copy of v if it is a JSON object, else an empty object.
func asObject(v any) object {
	m, _ := v.(map[string]any)
	out := make(object, len(m))
	for k, x := range m {
		out[k] = x
	}
	return out
}

// decodeObject decodes a JSON object into dst (a pointer to a struct) with
// encoding/json: a value of the wrong type (a string for an integer, a
// fraction or 1e300 for an integer, an object in a list of strings) is an
// error naming the field by its Pulumi property name.
func decodeObject(obj object, dst any) error {
	raw, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("%s: expected %s, got %s %s", propPath(reflect.TypeOf(dst), te.Field), describeKind(te.Type), te.Value, shown(obj, te.Field))
		}
		return err
	}
	return nil
}

// shown renders the offending value at a dotted JSON path, for errors.
func shown(obj object, path string) string {
	var cur any = obj
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			break
		}
		cur = m[k]
	}
	raw, err := json.Marshal(cur)
	if err != nil || len(raw) > 80 {
		return ""
	}
	return string(raw)
}

func describeKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(describeKind(t.Elem()), "an "), "a ") + "s"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}

// propPath turns a dotted JSON path below the struct type t into the
// Pulumi property path ("litellm_params.rpm" of ModelArgs → "litellmParams.rpm").
func propPath(t reflect.Type, jsonPath string) string {
	var out []string
	for _, seg := range strings.Split(jsonPath, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map) {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct {
			out = append(out, seg)
			t = nil
			continue
		}
		f, ok := fieldsOf(t).byKey[seg]
		if !ok {
			if ex := fieldsOf(t).extra; ex != "" {
				out = append(out, ex+"."+seg)
			} else {
				out = append(out, seg)
			}
			t = nil
			continue
		}
		out = append(out, f.prop)
		t = f.typ
	}
	return strings.Join(out, ".")
}

// field is what the mapping knows about one struct field.
type field struct {
	key    string // JSON key
	prop   string // Pulumi property name
	secret bool   // provider:"secret": write-only, LiteLLM never returns it
	typ    reflect.Type
}

type fieldSet struct {
	byKey map[string]field
	extra string // Pulumi name of the free-form field, "" if none
}

var fieldCache sync.Map // reflect.Type -> fieldSet

// fieldsOf lists the fields of a mapped struct type by JSON key.
func fieldsOf(t reflect.Type) fieldSet {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(fieldSet)
	}
	fs := fieldSet{byKey: map[string]field{}}
	for i := range t.NumField() {
		f := t.Field(i)
		prop, _, _ := strings.Cut(f.Tag.Get("pulumi"), ",")
		key, _, _ := strings.Cut(f.Tag.Get("litellm"), ",")
		switch {
		case key == "-" && f.Name == "Extra":
			fs.extra = prop
		case key != "-" && key != "":
			fs.byKey[key] = field{key: key, prop: prop, secret: strings.Contains(f.Tag.Get("provider"), "secret"), typ: f.Type}
		}
	}
	fieldCache.Store(t, fs)
	return fs
}

// secretKeys returns a predicate for the write-only keys of a struct type.
func secretKeys(t reflect.Type) func(string) bool {
	fs := fieldsOf(t)
	return func(k string) bool { return fs.byKey[k].secret }
}

var wireCache sync.Map // reflect.Type -> reflect.Type

var marshalerType = reflect.TypeFor[json.Marshaler]()

// wireType is t with each field's `litellm` tag as its `json` tag. A field
// without a `litellm` tag is a mistake (it would silently never reach the
// proxy), and so is a nested struct type that does not map itself.
func wireType(t reflect.Type) reflect.Type {
	if w, ok := wireCache.Load(t); ok {
		return w.(reflect.Type)
	}
	fields := make([]reflect.StructField, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("litellm")
		if !ok {
			panic(fmt.Sprintf("jsonmap: field %s.%s has no litellm tag: give it the LiteLLM key, or litellm:\"-\"", t.Name(), f.Name))
		}
		if inner := structIn(f.Type); inner != nil && tag != "-" && !inner.Implements(marshalerType) {
			panic(fmt.Sprintf("jsonmap: %s.%s holds %s, which does not implement MarshalJSON with marshalWire", t.Name(), f.Name, inner.Name()))
		}
		f.Tag = reflect.StructTag(`json:"` + tag + `"`)
		fields[i] = f
	}
	w := reflect.StructOf(fields)
	wireCache.Store(t, w)
	return w
}

// structIn returns the struct type a field type holds (through pointers,
// slices and maps), or nil.
func structIn(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		return t
	}
	return nil
}

// marshalWire encodes v (a mapped struct value) under its `litellm` tags
// and merges the free-form keys; typed fields win over an extra key of the
// same name (Check rejects such keys).
func marshalWire(v any, extra map[string]any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	raw, err := json.Marshal(rv.Convert(wireType(rv.Type())).Interface())
	if err != nil || len(extra) == 0 {
		return raw, err
	}
	var obj object
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	merged := maps.Clone(extra)
	maps.Copy(merged, obj)
	return json.Marshal(merged)
}

// unmarshalWire decodes data into dst (a pointer to a mapped struct) under
// its `litellm` tags and, when extra is not nil, puts every key that is not
// one of dst's fields into *extra (nil when there is none).
func unmarshalWire(data []byte, dst any, extra *map[string]any) error {
	t := reflect.TypeOf(dst).Elem()
	w := reflect.New(wireType(t))
	if err := json.Unmarshal(data, w.Interface()); err != nil {
		return err
	}
	reflect.ValueOf(dst).Elem().Set(w.Elem().Convert(t))
	if extra == nil {
		return nil
	}
	var all object
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	known := fieldsOf(t).byKey
	var rest map[string]any
	for k, v := range all {
		if _, ok := known[k]; ok {
			continue
		}
		if rest == nil {
			rest = map[string]any{}
		}
		rest[k] = v
	}
	*extra = rest
	return nil
}

// ---- the rules ----

// modelMask matches LiteLLM's SensitiveDataMasker output for model params:
// the first and last up to four characters around a run of '*', or all '*'.
var modelMask = regexp.MustCompile(`^[^*]{0,4}\*+[^*]{0,4}$`)

// masked reports a value that LiteLLM does not return as stored, under the
// key k: encrypted values ("v3:gcm:…", "v2:gcm:…"), redaction markers
// ("REDACTED_BY_LITELM") and credential masks ("sk****et") anywhere, and,
// under a key that looks secret, the model-param mask ("sk-a*******wxyz",
// "********"; a plain '*' elsewhere is a wildcard, not a mask). Such a value
// is never adopted, never compared and never sent back. A list or object is
// masked when a value inside it is.
func masked(k string, v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, "****") || strings.HasPrefix(x, "v3:gcm:") || strings.HasPrefix(x, "v2:gcm:") ||
			strings.Contains(x, "REDACTED_BY_LITELM") || (litellm.SecretLooking(k) && modelMask.MatchString(x))
	case []any:
		return slices.ContainsFunc(x, func(y any) bool { return masked(k, y) })
	case map[string]any:
		for kk, y := range x {
			if masked(kk, y) {
				return true
			}
		}
	}
	return false
}

// ownedFields is what a refresh keeps of the server's object: exactly the
// keys of prior (the fields the user owns), each with the server's value,
// except that a write-only key, a key the server does not return (LiteLLM
// omits some parameters it stores), a null and a masked value keep the
// prior value. Objects are compared key by key the same way.
func ownedFields(server, prior object, writeOnly func(string) bool) object {
	out := make(object, len(prior))
	for k, pv := range prior {
		sv, ok := server[k]
		switch {
		case writeOnly != nil && writeOnly(k), !ok, sv == nil, masked(k, sv):
			out[k] = pv
		default:
			pm, pIsObj := pv.(map[string]any)
			sm, sIsObj := sv.(map[string]any)
			if pIsObj && sIsObj {
				out[k] = ownedFields(sm, pm, nil)
			} else {
				out[k] = sv
			}
		}
	}
	return out
}

// adoptFields is what an import takes of the server's object: every key
// except nulls, server-filled keys and write-only keys. Masked values are
// left out too, and returned in left so that the import can name them.
func adoptFields(server object, serverFilled func(string) bool) (adopted object, left []string) {
	adopted = object{}
	for _, k := range slices.Sorted(maps.Keys(server)) {
		v := server[k]
		switch {
		case v == nil, serverFilled != nil && serverFilled(k):
		case masked(k, v):
			left = append(left, k)
		default:
			adopted[k] = v
		}
	}
	return adopted, left
}

// removedKeys lists, sorted, the keys of old that new no longer has.
func removedKeys(old, new object) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(old)) {
		if _, ok := new[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// changedKeys lists, sorted, the keys present in new whose value differs
// from old's (added keys included).
func changedKeys(old, new object) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(new)) {
		if ov, ok := old[k]; !ok || !sameJSON(ov, new[k]) {
			out = append(out, k)
		}
	}
	return out
}

// shows reports whether the server's object shows every key of want with
// want's value; write-only keys, keys the server does not return and masked
// values are not held against it.
func shows(server, want object, writeOnly func(string) bool) bool {
	for k, wv := range want {
		sv, ok := server[k]
		if (writeOnly != nil && writeOnly(k)) || !ok || masked(k, sv) {
			continue
		}
		if wm, ok := wv.(map[string]any); ok {
			if sm, ok := sv.(map[string]any); ok {
				if !shows(sm, wm, nil) {
					return false
				}
				continue
			}
		}
		if !sameJSON(sv, wv) {
			return false
		}
	}
	return true
}

// sameJSON compares two decoded JSON values, with a relative tolerance for
// numbers (LiteLLM reformats floats, e.g. 1.75e-07).
func sameJSON(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y)))
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, sameJSON)
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && maps.EqualFunc(x, y, sameJSON)
	}
	return reflect.DeepEqual(a, b)
}

// normalized returns v as encoding/json decodes it (numbers as float64,
// structs as objects), for comparing Go values with decoded ones.
func normalized(v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(raw, &out) != nil {
		return v
	}
	return out
}

// differ collects the property diffs of one Diff.
type differ struct {
	diff    map[string]p.PropertyDiff
	replace bool
}

func newDiffer() *differ { return &differ{diff: map[string]p.PropertyDiff{}} }

func (d *differ) add(path string, kind p.DiffKind) {
	d.diff[path] = p.PropertyDiff{Kind: kind, InputDiff: true}
	switch kind {
	case p.AddReplace, p.UpdateReplace, p.DeleteReplace:
		d.replace = true
	}
}

// local records a change of an input that never reaches the proxy.
func (d *differ) local(path string, changed bool) {
	if changed {
		d.add(path, p.Update)
	}
}

// merged diffs an object that LiteLLM's update merges into the stored one:
// a changed or added key is an update; a removed key is cleared with null
// where clearable says LiteLLM can, and otherwise replaces the object (the
// merge cannot delete it). Paths use the Pulumi names of t's fields.
func (d *differ) merged(prop string, t reflect.Type, old, new object, clearable func(string) bool) {
	at := func(k string) string {
		if prop == "" {
			return propPath(t, k)
		}
		return prop + "." + propPath(t, k)
	}
	for _, k := range changedKeys(old, new) {
		d.add(at(k), p.Update)
	}
	for _, k := range removedKeys(old, new) {
		kind := p.DeleteReplace
		if clearable != nil && clearable(k) {
			kind = p.Delete
		}
		d.add(at(k), kind)
	}
}

// response is the Diff's answer; deleteFirst applies when it replaces.
func (d *differ) response(deleteFirst bool) p.DiffResponse {
	return p.DiffResponse{HasChanges: len(d.diff) > 0, DetailedDiff: d.diff, DeleteBeforeReplace: d.replace && deleteFirst}
}

// Masked reports a value the proxy does not return as stored (see masked),
// for the converter's summary of what an import cannot read.
func Masked(k string, v any) bool { return masked(k, v) }
