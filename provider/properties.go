package provider

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// This file maps Pulumi property maps to the `pulumi`-tagged input and
// state structs and back, for the calls the middleware answers itself
// (typedCheck, typedDiff, typedRead in provider.go). It does what the SDK's
// mapper does for infer (the same tags, the same treatment of secrets,
// unknowns, nulls and numbers), with each struct's fields looked up once:
// infer's per-call reflection was most of the provider's cost in a
// no-change `pulumi up` and a refresh of many resources. jsonmap.go is the
// other mapping, between these structs and LiteLLM's JSON.

// typedSecrets marks secret every value of a field tagged
// provider:"secret", at any depth.
func typedSecrets(t reflect.Type, v property.Value) property.Value {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct && v.IsMap():
		m := v.AsMap()
		for name, idx := range propertyFields(t) {
			x, ok := m.GetOk(name)
			if !ok {
				continue
			}
			f := t.FieldByIndex(idx)
			x = typedSecrets(f.Type, x)
			if strings.Contains(f.Tag.Get("provider"), "secret") && !x.IsNull() {
				x = x.WithSecret(true)
			}
			m = m.Set(name, x)
		}
		return property.New(m).WithSecret(v.Secret())
	case t.Kind() == reflect.Map && v.IsMap():
		m := v.AsMap()
		for k, x := range m.All {
			m = m.Set(k, typedSecrets(t.Elem(), x))
		}
		return property.New(m).WithSecret(v.Secret())
	case t.Kind() == reflect.Slice && v.IsArray():
		a := v.AsArray().AsSlice()
		for i := range a {
			a[i] = typedSecrets(t.Elem(), a[i])
		}
		return property.New(property.NewArray(a)).WithSecret(v.Secret())
	}
	return v
}

// decodeInputs decodes a kind's inputs for its Check: like decodeProperties,
// but a property the kind does not have, or a value of the wrong type (a
// fraction for an integer), is a failure naming the property and the value.
func decodeInputs[I any](m property.Map) (I, []p.CheckFailure) {
	var in I
	var failures []p.CheckFailure
	checkShape(reflect.TypeFor[I](), property.New(m), "", &failures)
	if len(failures) > 0 {
		return in, failures
	}
	if err := decodeProperties(m, &in); err != nil {
		failures = append(failures, p.CheckFailure{Reason: err.Error()})
	}
	return in, failures
}

// checkShape reports the properties of v that do not fit the type t.
func checkShape(t reflect.Type, v property.Value, path string, failures *[]p.CheckFailure) {
	if v.IsNull() || v.IsComputed() {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fail := func(format string, args ...any) {
		*failures = append(*failures, p.CheckFailure{Property: path, Reason: fmt.Sprintf(format, args...)})
	}
	at := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch t.Kind() {
	case reflect.Struct:
		if !v.IsMap() {
			fail("must be an object, got %s", shownValue(v))
			return
		}
		fields := propertyFields(t)
		for k, x := range v.AsMap().All {
			idx, ok := fields[k]
			if !ok {
				if k == "version" || strings.HasPrefix(k, "__") {
					continue
				}
				*failures = append(*failures, p.CheckFailure{Property: at(k), Reason: "is not a property of this resource"})
				continue
			}
			checkShape(t.FieldByIndex(idx).Type, x, at(k), failures)
		}
	case reflect.Map:
		if !v.IsMap() {
			fail("must be an object, got %s", shownValue(v))
			return
		}
		for k, x := range v.AsMap().All {
			checkShape(t.Elem(), x, at(k), failures)
		}
	case reflect.Slice:
		if !v.IsArray() {
			fail("must be a list, got %s", shownValue(v))
			return
		}
		for i, x := range v.AsArray().All {
			checkShape(t.Elem(), x, fmt.Sprintf("%s[%d]", path, i), failures)
		}
	case reflect.String:
		if !v.IsString() {
			fail("must be a string, got %s", shownValue(v))
		}
	case reflect.Bool:
		if !v.IsBool() {
			fail("must be true or false, got %s", shownValue(v))
		}
	case reflect.Float32, reflect.Float64:
		if !v.IsNumber() {
			fail("must be a number, got %s", shownValue(v))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !v.IsNumber() {
			fail("must be a whole number, got %s", shownValue(v))
		} else if n := v.AsNumber(); n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			fail("must be a whole number, got %v", n)
		}
	}
}

// shownValue renders a property value for a Check message (never a secret).
func shownValue(v property.Value) string {
	if v.Secret() {
		return "a secret value"
	}
	raw, err := json.Marshal(plainValue(v))
	if err != nil || len(raw) > 80 {
		return fmt.Sprintf("a value of type %T", plainValue(v))
	}
	return string(raw)
}

// encodeProperties encodes a `pulumi`-tagged struct as a property map the
// way the SDK's mapper does for infer: nil pointers, maps and slices
// omitted, numbers as float64, embedded structs flattened.
func encodeProperties(v any) property.Map {
	m, _ := encodeValue(reflect.ValueOf(v))
	if !m.IsMap() {
		return property.Map{}
	}
	return m.AsMap()
}

func encodeValue(v reflect.Value) (property.Value, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return property.Value{}, false
		}
		if v.Kind() == reflect.Interface {
			return plainToProperty(v.Interface()), true
		}
		return encodeValue(v.Elem())
	case reflect.Struct:
		out := map[string]property.Value{}
		for name, idx := range propertyFields(v.Type()) {
			if x, ok := encodeValue(v.FieldByIndex(idx)); ok {
				out[name] = x
			}
		}
		return property.New(property.NewMap(out)), true
	case reflect.Map:
		if v.IsNil() {
			return property.Value{}, false
		}
		out := make(map[string]property.Value, v.Len())
		for it := v.MapRange(); it.Next(); {
			x, ok := encodeValue(it.Value())
			if !ok {
				x = property.Value{}
			}
			out[it.Key().String()] = x
		}
		return property.New(property.NewMap(out)), true
	case reflect.Slice:
		if v.IsNil() {
			return property.Value{}, false
		}
		out := make([]property.Value, v.Len())
		for i := range out {
			x, ok := encodeValue(v.Index(i))
			if !ok {
				x = property.Value{}
			}
			out[i] = x
		}
		return property.New(property.NewArray(out)), true
	case reflect.String:
		return property.New(v.String()), true
	case reflect.Bool:
		return property.New(v.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return property.New(float64(v.Int())), true
	case reflect.Float32, reflect.Float64:
		return property.New(v.Float()), true
	}
	return property.Value{}, false
}

// plainToProperty turns a decoded JSON value (a free-form map's entry) into
// a property value.
func plainToProperty(v any) property.Value {
	switch x := v.(type) {
	case nil:
		return property.Value{}
	case string:
		return property.New(x)
	case bool:
		return property.New(x)
	case float64:
		return property.New(x)
	case int:
		return property.New(float64(x))
	case []any:
		out := make([]property.Value, len(x))
		for i, y := range x {
			out[i] = plainToProperty(y)
		}
		return property.New(property.NewArray(out))
	case map[string]any:
		out := make(map[string]property.Value, len(x))
		for k, y := range x {
			out[k] = plainToProperty(y)
		}
		return property.New(property.NewMap(out))
	}
	return property.New(fmt.Sprint(v))
}

// keepSecrets marks every value of news secret whose path was secret in
// olds (as infer's encoder restores the secrets it saw when decoding).
func keepSecrets(olds, news property.Map) property.Map {
	return keepSecretsIn(property.New(olds), property.New(news)).AsMap()
}

func keepSecretsIn(old, v property.Value) property.Value {
	switch {
	case old.IsMap() && v.IsMap():
		om := old.AsMap()
		m := v.AsMap()
		for k, x := range m.All {
			if ox, ok := om.GetOk(k); ok {
				m = m.Set(k, keepSecretsIn(ox, x))
			}
		}
		v = property.New(m).WithSecret(v.Secret())
	case old.IsArray() && v.IsArray():
		oa, a := old.AsArray().AsSlice(), v.AsArray().AsSlice()
		for i := range a {
			if i < len(oa) {
				a[i] = keepSecretsIn(oa[i], a[i])
			}
		}
		v = property.New(property.NewArray(a)).WithSecret(v.Secret())
	}
	if old.Secret() && !v.IsNull() {
		v = v.WithSecret(true)
	}
	return v
}

// decodeProperties decodes a property map into a `pulumi`-tagged struct:
// secrets unwrapped, unknown values (preview) and nulls left as zero values,
// numbers into integer or float fields, objects into structs or maps, keys
// without a field ignored. It is what the SDK's mapper does for infer, with
// each struct's fields looked up once instead of on every call.
func decodeProperties(m property.Map, dst any) error {
	return decodeValue(property.New(m), reflect.ValueOf(dst).Elem())
}

func decodeValue(v property.Value, dst reflect.Value) error {
	if v.IsNull() || v.IsComputed() {
		return nil
	}
	t := dst.Type()
	switch t.Kind() {
	case reflect.Pointer:
		elem := reflect.New(t.Elem())
		if err := decodeValue(v, elem.Elem()); err != nil {
			return err
		}
		dst.Set(elem)
		return nil
	case reflect.Interface:
		if pv := plainValue(v); pv != nil {
			dst.Set(reflect.ValueOf(pv))
		}
		return nil
	case reflect.Struct:
		if !v.IsMap() {
			return fmt.Errorf("expected an object for %s, got %s", t, v.GoString())
		}
		fields := propertyFields(t)
		for k, x := range v.AsMap().All {
			if idx, ok := fields[k]; ok {
				if err := decodeValue(x, dst.FieldByIndex(idx)); err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
			}
		}
		return nil
	case reflect.Map:
		if !v.IsMap() {
			return fmt.Errorf("expected an object, got %s", v.GoString())
		}
		out := reflect.MakeMap(t)
		for k, x := range v.AsMap().All {
			elem := reflect.New(t.Elem()).Elem()
			if err := decodeValue(x, elem); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			out.SetMapIndex(reflect.ValueOf(k), elem)
		}
		dst.Set(out)
		return nil
	case reflect.Slice:
		if !v.IsArray() {
			return fmt.Errorf("expected a list, got %s", v.GoString())
		}
		arr := v.AsArray()
		out := reflect.MakeSlice(t, arr.Len(), arr.Len())
		for i, x := range arr.All {
			if err := decodeValue(x, out.Index(i)); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		dst.Set(out)
		return nil
	case reflect.String:
		if v.IsString() {
			dst.SetString(v.AsString())
			return nil
		}
	case reflect.Bool:
		if v.IsBool() {
			dst.SetBool(v.AsBool())
			return nil
		}
	case reflect.Float32, reflect.Float64:
		if v.IsNumber() {
			dst.SetFloat(v.AsNumber())
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.IsNumber() {
			dst.SetInt(int64(v.AsNumber()))
			return nil
		}
	}
	return fmt.Errorf("cannot decode %s into %s", v.GoString(), t)
}

var propertyFieldCache sync.Map // reflect.Type -> map[string][]int

// propertyFields maps the Pulumi property names of a struct type (embedded
// structs flattened) to field index paths.
func propertyFields(t reflect.Type) map[string][]int {
	if f, ok := propertyFieldCache.Load(t); ok {
		return f.(map[string][]int)
	}
	out := map[string][]int{}
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous || !f.IsExported() {
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("pulumi"), ","); name != "" {
			out[name] = f.Index
		}
	}
	propertyFieldCache.Store(t, out)
	return out
}

// plainValue turns a property value into plain Go values: secrets
// unwrapped, unknowns (and assets, archives, references) as nil.
func plainValue(v property.Value) any {
	switch {
	case v.IsString():
		return v.AsString()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsBool():
		return v.AsBool()
	case v.IsArray():
		var out []any
		for _, x := range v.AsArray().All {
			out = append(out, plainValue(x))
		}
		return out
	case v.IsMap():
		out := map[string]any{}
		for k, x := range v.AsMap().All {
			if pv := plainValue(x); pv != nil {
				out[k] = pv
			}
		}
		return out
	}
	return nil
}

// secretStrings appends to out every string inside v that is secret, or
// that sits inside a secret value.
func secretStrings(v property.Value, inSecret bool, out []string) []string {
	inSecret = inSecret || v.Secret()
	switch {
	case v.IsString() && inSecret:
		out = append(out, v.AsString())
	case v.IsMap():
		for _, x := range v.AsMap().All {
			out = secretStrings(x, inSecret, out)
		}
	case v.IsArray():
		for _, x := range v.AsArray().All {
			out = secretStrings(x, inSecret, out)
		}
	}
	return out
}
