package litellm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// This file decides, once, what every answer of the proxy means. LiteLLM
// signals "not found" with 404, 400, 500 or even 200 depending on the
// endpoint (docs/litellm/errors.md), so the rules are per endpoint: status
// plus a message fragment, never one global "contains 'not found'". The
// endpoint rules are declared with their endpoints (models.go,
// credentials.go); this file holds the order and the generic rules.
//
// Order of the checks (classifyHTTP):
//  1. a bare FastAPI 404 {"detail":"Not Found"} (or a non-JSON 404 from a
//     gateway): the route does not exist on this proxy (too old, or a wrong
//     base URL) → KindInvalid, marked so that Models.Get can fall back;
//  2. proxy set-up problems (no DB, STORE_MODEL_IN_DB off, config-file model)
//     → KindConfig, whatever the endpoint;
//  3. the endpoint's own rules (endpoint.rules);
//  4. Enterprise-only features → KindForbidden;
//  5. the status alone (classifyStatus).

// configRule marks a proxy that is not set up for the call. Retrying cannot
// help; the hint says what the operator must change.
type configRule struct {
	match []string
	hint  string
}

var configRules = []configRule{
	{[]string{"db not connected", "no db connected", "database not connected"},
		"the proxy has no database: set DATABASE_URL (PostgreSQL) on the LiteLLM proxy; managing models and credentials needs a DB-backed proxy"},
	{[]string{"store_model_in_db", "model updates only supported for db-stored models"},
		"set STORE_MODEL_IN_DB=True in the LiteLLM proxy's environment (or general_settings.store_model_in_db: true) and restart it"},
	{[]string{"cannot edit config-based model"},
		"this model comes from the proxy's config file, not its database: remove it from config.yaml and create it through the API instead"},
}

// enterpriseFragments mark features that need a LiteLLM Enterprise licence.
var enterpriseFragments = []string{"not_premium_user", "litellm enterprise user", "only available for litellm enterprise"}

const enterpriseHint = "this feature needs a LiteLLM Enterprise licence (LITELLM_LICENSE on the proxy)"

// verdict is the outcome of classifying one error answer.
type verdict struct {
	kind         Kind
	hint         string
	routeMissing bool
}

// classifyHTTP classifies an error answer (status >= 300, or the code of an
// error object returned with 200) of the endpoint ep.
func (c *Client) classifyHTTP(ep *endpoint, status int, b errorBody) verdict {
	if status == http.StatusNotFound && b.bareNotFound {
		return verdict{kind: KindInvalid, routeMissing: true,
			hint: "the proxy has no such endpoint: check the base URL (including any path prefix), or the LiteLLM proxy may be too old for this call"}
	}
	text := strings.ToLower(b.Message + " " + b.Type)
	for _, r := range configRules {
		if containsAny(text, r.match) {
			return verdict{kind: KindConfig, hint: r.hint}
		}
	}
	for _, r := range ep.rules {
		if r.status == status && (len(r.match) == 0 || containsAny(text, r.match)) {
			return verdict{kind: r.kind, hint: r.hint}
		}
	}
	if status >= 400 && status < 500 && containsAny(text, enterpriseFragments) {
		return verdict{kind: KindForbidden, hint: enterpriseHint}
	}
	v := classifyStatus(status)
	if v.kind == KindUnauthorized {
		v.hint = "the proxy rejected the API key from " + c.keySource + ": it must be the proxy's master key or a proxy-admin key"
	}
	return v
}

func classifyStatus(status int) verdict {
	switch {
	case status == http.StatusUnauthorized:
		return verdict{kind: KindUnauthorized}
	case status == http.StatusForbidden:
		return verdict{kind: KindForbidden, hint: "the API key is not allowed to do this: use the master key or a proxy-admin key"}
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests:
		return verdict{kind: KindTransient}
	case status >= 500:
		return verdict{kind: KindTransient}
	case status == http.StatusMethodNotAllowed:
		return verdict{kind: KindInvalid, hint: "the LiteLLM proxy may be too old or too new for this call"}
	case status >= 400:
		return verdict{kind: KindInvalid}
	case status >= 300:
		return verdict{kind: KindInvalid, hint: "the proxy answered with a redirect: set the base URL to the final address (redirects are not followed, so that the API key is never sent elsewhere)"}
	}
	return verdict{kind: KindUnknown}
}

func containsAny(s string, frags []string) bool {
	for _, f := range frags {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// errorBody holds what LiteLLM's error shapes have in common.
type errorBody struct {
	Message      string
	Type         string
	Code         string
	bareNotFound bool // an unknown route: FastAPI's {"detail":"Not Found"}, or a non-JSON answer
	notJSON      bool // not LiteLLM's answer (which is always JSON): a gateway's page
}

// parseErrorBody reads any of LiteLLM's error shapes (docs/litellm/errors.md#shapes):
//
//  1. {"error": {"message", "type", "param", "code"}}          (ProxyException)
//  2. {"detail": str | {"error": str} | {"message": str}}      (HTTPException)
//  3. {"detail": [{"type", "loc", "msg", "input"}]}            (422 validation)
//  4. {"type": "urn:litellm:error:…", "title", "status", "detail"} (problem+json)
//
// plus the error object that credential PATCH/DELETE return with HTTP 200
// ({"message", "type", "code"}), and non-JSON bodies from gateways.
func parseErrorBody(raw []byte) errorBody {
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil || generic == nil {
		// Not LiteLLM (which always answers JSON): a gateway's page. A 404
		// from it means a wrong URL, never a missing object.
		return errorBody{Message: plainText(raw), bareNotFound: true, notJSON: true}
	}
	var b errorBody
	switch e := generic["error"].(type) {
	case map[string]any: // shape 1
		b.Message, b.Type, b.Code = str(e["message"]), str(e["type"]), str(e["code"])
	case string:
		b.Message = e
	}
	switch d := generic["detail"].(type) {
	case string: // shape 2 (or 4)
		if b.Message == "" {
			b.Message = d
		}
		b.bareNotFound = d == "Not Found" && len(generic) == 1
	case map[string]any: // shape 2 with a dict
		if m := str(d["error"]); m != "" {
			b.Message = m
		} else if m := str(d["message"]); m != "" {
			b.Message = m
		} else if b.Message == "" {
			raw, _ := json.Marshal(d)
			b.Message = string(raw)
		}
	case []any: // shape 3
		var parts []string
		for _, item := range d {
			m, ok := item.(map[string]any)
			if !ok {
				continue
			}
			var loc []string
			if l, ok := m["loc"].([]any); ok {
				for _, s := range l {
					loc = append(loc, str(s))
				}
			}
			p := str(m["msg"])
			if len(loc) > 0 {
				p = strings.Join(loc, ".") + ": " + p
			}
			parts = append(parts, p)
		}
		b.Message = strings.Join(parts, "; ")
		if b.Type == "" {
			b.Type = "validation_error"
		}
	}
	if b.Message == "" {
		b.Message = str(generic["message"])
	}
	if title := str(generic["title"]); title != "" { // shape 4: "Title: detail"
		if b.Message == "" {
			b.Message = title
		} else if !strings.Contains(b.Message, title) {
			b.Message = title + ": " + b.Message
		}
	}
	if b.Type == "" {
		b.Type = str(generic["type"])
	}
	if b.Code == "" {
		b.Code = str(generic["code"])
	}
	b.Message = unwrapPythonDict(b.Message)
	return b
}

// pyDict matches the Python str() of a one-entry dict that LiteLLM puts into
// ProxyException messages: "{'error': 'Model with id=X not found in db'}".
var pyDict = regexp.MustCompile(`^\{'(?:error|message|detail)': ['"](.*)['"]\}$`)

func unwrapPythonDict(s string) string {
	if m := pyDict.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		return m[1]
	}
	return s
}

var (
	htmlTag    = regexp.MustCompile(`<[^>]*>`)
	whitespace = regexp.MustCompile(`\s+`)
)

// plainText turns a non-JSON body (an HTML page from a gateway) into one line.
func plainText(raw []byte) string {
	s := htmlTag.ReplaceAllString(string(raw), " ")
	return strings.TrimSpace(whitespace.ReplaceAllString(s, " "))
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x == "None" { // Python's None, stringified by LiteLLM
			return ""
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(raw)
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil {
		if s <= 0 || s > 24*3600 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportVerdict classifies a failure to get an answer at all.
type transportVerdict struct {
	kind      Kind
	message   string
	hint      string
	reached   bool  // the request may have reached the proxy
	cause     error // what Unwrap returns
	cancelled bool
	timedOut  bool // the client's own request timeout
}

// classifyTransport classifies an error of http.Client.Do or of reading the
// answer. parent is the caller's context, reqCtx the per-request one (with
// the client's timeout).
func classifyTransport(parent, reqCtx context.Context, err error, timeout time.Duration) transportVerdict {
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err // drop `Post "https://…":`, the Op already names the call
	}
	switch {
	case parent.Err() != nil:
		// The caller gave up: keep ctx.Err() reachable for errors.Is.
		return transportVerdict{kind: KindTransient, message: "request abandoned: " + parent.Err().Error(),
			reached: true, cause: parent.Err(), cancelled: true}
	case reqCtx.Err() != nil:
		return transportVerdict{kind: KindTransient, message: fmt.Sprintf("no answer within %s (litellm:requestTimeout)", timeout),
			reached: true, timedOut: true, cause: fmt.Errorf("request timeout of %s exceeded", timeout)}
	}
	var (
		certErr      *tls.CertificateVerificationError
		unknownAuth  x509.UnknownAuthorityError
		hostErr      x509.HostnameError
		invalidCert  x509.CertificateInvalidError
		recordHeader tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &hostErr):
		// Trusted, but for other names: a CA bundle cannot help.
		return transportVerdict{kind: KindConfig, message: inner.Error(), cause: err,
			hint: fmt.Sprintf("the proxy's TLS certificate is for %s, not %s: use one of those names in the base URL, "+
				"or give the proxy a certificate for %s", certNames(hostErr.Certificate), hostErr.Host, hostErr.Host)}
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &invalidCert):
		return transportVerdict{kind: KindConfig, message: inner.Error(), cause: err,
			hint: "the proxy's TLS certificate is not trusted: set litellm:caBundle to its CA certificate (PEM), or litellm:insecureSkipVerify for testing only"}
	case errors.As(err, &recordHeader), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return transportVerdict{kind: KindConfig, message: inner.Error(), cause: err,
			hint: "the proxy does not speak TLS on this port: use http:// in the base URL, or the proxy's TLS port"}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return transportVerdict{kind: KindTransient, message: "request timed out: " + inner.Error(), reached: !isDialError(err), cause: err}
	}
	// Connection refused, unknown host, proxy unreachable: nothing was sent.
	// Anything else (reset, EOF, a broken answer) may have followed a request
	// that the proxy received and applied.
	return transportVerdict{kind: KindTransient, message: inner.Error(), reached: !isDialError(err), cause: err}
}

// certNames lists the names a certificate is valid for.
func certNames(c *x509.Certificate) string {
	if c == nil {
		return "other names"
	}
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	if len(names) == 0 {
		return "no host name"
	}
	return strings.Join(names, ", ")
}

// isDialError reports a failure before any byte of the request was sent.
func isDialError(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Op == "dial" || opErr.Op == "proxyconnect"
	}
	return false
}
