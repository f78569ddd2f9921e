package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
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
	reason := fmt.Sprintf(format, args...)
	for _, s := range secretStrings(property.New(v.inputs), false, nil) {
		if len(s) < 4 {
			continue
		}
		// The value itself, and as %q and JSON show it (escaped).
		quoted, _ := json.Marshal(s)
		for _, form := range []string{s, strconv.Quote(s), string(quoted), strings.Trim(strconv.Quote(s), `"`), strings.Trim(string(quoted), `"`)} {
			reason = strings.ReplaceAll(reason, form, "[secret]")
		}
	}
	v.failures = append(v.failures, p.CheckFailure{Property: prop, Reason: reason})
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

// durationPattern is LiteLLM's budget and key duration format
// (_duration_in_seconds): a whole number and s, m, h, d, w or mo.
var durationPattern = regexp.MustCompile(`^[0-9]+(s|m|h|d|w|mo)$`)

func (v *checker) duration(prop, s string) {
	if !durationPattern.MatchString(s) {
		v.fail(prop, "must be a whole number followed by s, m, h, d, w or mo (e.g. 30d, 1mo), got %q", s)
	}
}

// modelBudgets checks per-model budgets ({model: {budgetLimit, timePeriod}}).
func (v *checker) modelBudgets(prop string, budgets map[string]KeyModelBudget) {
	for m, b := range budgets {
		v.nonNegative(prop+"."+m+".budgetLimit", b.BudgetLimit)
		if b.TimePeriod != nil {
			v.duration(prop+"."+m+".timePeriod", *b.TimePeriod)
		}
	}
}

// modelLimits checks per-model rate limits (modelRpmLimit, modelTpmLimit).
func (v *checker) modelLimits(limits map[string]map[string]int) {
	for prop, byModel := range limits {
		for m, n := range byModel {
			if n < 0 {
				v.fail(prop+"."+m, "must be zero or more, got %d", n)
			}
		}
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

// envVarName: what LiteLLM's os.environ/ references name.
var envVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// httpURL checks an http(s) URL the proxy will call (or an os.environ/VAR
// reference to one, when envRef).
func (v *checker) httpURL(prop, s string, envRef bool) {
	if envRef && strings.HasPrefix(s, "os.environ/") {
		if name := strings.TrimPrefix(s, "os.environ/"); !envVarName.MatchString(name) {
			v.fail(prop, "os.environ/ must be followed by an environment variable name (letters, digits, _), got %q", s)
		}
		return
	}
	if problem := urlProblem(s); problem != "" {
		v.fail(prop, "%s", problem)
	}
}

// urlProblem says what is wrong with an http(s) URL, showing it without
// any password; "" when it is fine. It refuses user:password@ (it would be
// stored in plaintext), a port that is not 1 to 65535, an empty host, a
// query and a fragment.
func urlProblem(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		why := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) {
			why = ue.Err.Error() // without the URL, which may hold a password
		}
		return fmt.Sprintf("must be an absolute http(s) URL such as https://api.example.com/v1, got %s (%s)", redactedURL(s), why)
	}
	shown := u.Redacted()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("must be an absolute http(s) URL such as https://api.example.com/v1, got %q", shown)
	case u.User != nil:
		return fmt.Sprintf("must not contain user:password@ (it would be stored in plaintext in the state; "+
			"pass credentials as secrets instead), got %q", shown)
	case u.Hostname() == "":
		return fmt.Sprintf("must name a host, got %q", shown)
	case u.Port() != "" && !validPort(u.Port()):
		return fmt.Sprintf("must have a port from 1 to 65535, got %q", shown)
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Sprintf("must not contain a query (?…), got %q", shown)
	case u.Fragment != "":
		return fmt.Sprintf("must not contain a fragment (#…), got %q", shown)
	}
	return ""
}

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535
}

// redactedURL shows an unparsable URL with anything between "://" and "@"
// hidden.
func redactedURL(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.LastIndex(s, "@"); j > i {
			return s[:i+3] + "xxxxx" + s[j:]
		}
	}
	return fmt.Sprintf("%q", s)
}
