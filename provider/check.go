package provider

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// checker collects Check failures. Values that are unknown during preview
// (outputs of other resources) decode as empty; they are checked when known.
type checker struct {
	inputs   property.Map
	failures []p.CheckFailure
}

func (v *checker) fail(prop, format string, args ...any) {
	if unknown(v.inputs, prop) {
		return
	}
	v.failures = append(v.failures, p.CheckFailure{Property: prop, Reason: fmt.Sprintf(format, args...)})
}

// unknown reports whether the value at a dotted property path, or one of the
// objects holding it, is not known yet.
func unknown(m property.Map, path string) bool {
	cur := property.New(m)
	for _, seg := range strings.Split(path, ".") {
		if cur.IsComputed() {
			return true
		}
		if !cur.IsMap() {
			return false
		}
		cur = cur.AsMap().Get(seg)
	}
	return cur.IsComputed()
}

func (v *checker) require(prop, value string) {
	if strings.TrimSpace(value) == "" {
		v.fail(prop, "must not be empty")
	}
}

func (v *checker) nonNegativeInt(prop string, n *int) {
	if n != nil && *n < 0 {
		v.fail(prop, "must be zero or more, got %d", *n)
	}
}

func (v *checker) nonNegative(prop string, f *float64) {
	if f != nil && *f < 0 {
		v.fail(prop, "must be zero or more, got %g", *f)
	}
}

func (v *checker) oneOf(prop string, s *string, allowed []string) {
	if s != nil && !slices.Contains(allowed, *s) {
		v.fail(prop, "must be one of %s; got %q", strings.Join(allowed, ", "), *s)
	}
}

// id checks an object ID that travels in URL paths.
func (v *checker) id(prop, id string) {
	if id == "" || len(id) > 255 || strings.ContainsAny(id, "/ \t\r\n?#%") {
		v.fail(prop, "must be 1 to 255 characters without spaces, '/', '?', '#' or '%%', got %q", id)
	}
}

// extraKeys rejects free-form keys that a typed property of t covers, and
// reserved keys.
func (v *checker) extraKeys(prop string, extra map[string]any, t reflect.Type, reserved map[string]string) {
	fs := fieldsOf(t)
	for k := range extra {
		if k == "" {
			v.fail(prop, "keys must not be empty")
		} else if f, ok := fs.byKey[k]; ok {
			v.fail(prop, "key %q is a typed property: set %s instead", k, strings.TrimSuffix(prop, "extra")+f.prop)
		} else if alt, ok := reserved[k]; ok {
			v.fail(prop, "key %q is reserved: set %s instead", k, alt)
		}
	}
}
