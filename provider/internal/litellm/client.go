// Package litellm is the one HTTP client of pulumi-litellm for LiteLLM's
// admin API. It knows nothing about Pulumi. It never retries and never
// sleeps (the consistency package does); instead it classifies every
// failure exactly once into an *Error whose Kind tells the caller what to do.
package litellm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Config configures a Client.
type Config struct {
	BaseURL            string            // https://host or https://host/prefix, trailing slash optional
	APIKey             string            // master key or proxy-admin key
	Headers            map[string]string // extra headers (gateways); cannot replace the auth headers
	InsecureSkipVerify bool
	CABundlePEM        string        // extra trusted CA certificates (PEM)
	Timeout            time.Duration // per request; default 60s
	ChangedBy          string        // litellm-changed-by header (audit log)
	UserAgent          string        // default "pulumi-litellm"
	// KeySource names where APIKey came from, for the hint of a 401 (e.g.
	// "the stack config litellm:apiKey"); default "the configuration".
	KeySource  string
	HTTPClient *http.Client // optional override (tests); TLS options are then ignored
	Logf       func(format string, args ...any)
}

// DefaultTimeout bounds one request when Config.Timeout is not set.
const DefaultTimeout = 60 * time.Second

// maxBody bounds what is read of one answer.
const maxBody = 32 << 20

// Client talks to one LiteLLM proxy. Services group the calls per object
// kind. A Client is safe for concurrent use.
type Client struct {
	Models      *ModelsService
	Credentials *CredentialsService
	Teams       *TeamsService
	Users       *UsersService
	Budgets     *BudgetsService
	Customers   *CustomersService
	Projects    *ProjectsService
	Keys        *KeysService
	Tags        *TagsService // tags (/tag/*)
	// ModelAccessGroups: legacy model access groups (/access_group/*)
	ModelAccessGroups *ModelAccessGroupsService
	Fallbacks         *FallbacksService // router fallbacks (/fallback)

	Organizations *OrganizationsService // organizations and their members
	McpServers    *McpServersService
	VectorStores  *VectorStoresService
	Guardrails    *GuardrailsService
	Prompts       *PromptsService

	PassThroughEndpoints *PassThroughEndpointsService // general_settings.pass_through_endpoints
	SearchTools          *SearchToolsService          // search tools (/search_tools)
	Policies             *PoliciesService             // guardrail policies and their versions (/policies)
	ToolPolicies         *ToolPoliciesService         // the tool registry's policies (/v1/tool)
	PolicyAttachments    *PolicyAttachmentsService    // where policies apply (/policies/attachments)
	AccessGroups         *AccessGroupsService         // unified access groups (/v1/access_group)
	McpToolsets          *McpToolsetsService          // MCP toolsets (/v1/mcp/toolset)
	Agents               *AgentsService               // A2A agents (/v1/agents)
	JwtKeyMappings       *JwtKeyMappingsService       // JWT key mappings (/jwt/key/mapping/*)

	base      url.URL // scheme and host only
	prefix    string  // escaped path prefix without trailing slash ("" or "/litellm")
	key       string
	headers   map[string]string
	agent     string
	changedBy string
	timeout   time.Duration
	http      *http.Client
	logf      func(string, ...any)
	static    []string // secrets known up front: extra header values
	keySource string

	noV2ModelInfo atomic.Bool // the proxy lacks a usable GET /v2/model/info?modelId=
}

// New validates the configuration and builds a client. Its errors name the
// problem, never the key or a password in the URL.
func New(cfg Config) (*Client, error) {
	raw := strings.TrimSpace(cfg.BaseURL)
	if raw == "" {
		return nil, errors.New("base URL is empty: set it to the LiteLLM proxy's address, e.g. https://litellm.example.com")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := "an unparsable URL"
		if err == nil {
			shown = fmt.Sprintf("%q", u.Redacted())
		}
		return nil, fmt.Errorf("base URL must be an absolute http(s) URL such as https://litellm.example.com, got %s", shown)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("base URL must not contain a query or fragment, got %q", u.Redacted())
	}
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, errors.New("API key is empty: set it to the proxy's master key or a proxy-admin key")
	}
	if strings.ContainsAny(cfg.APIKey, "\r\n\x00") {
		return nil, errors.New("API key contains a line break or NUL character")
	}
	c := &Client{
		base:      url.URL{Scheme: u.Scheme, Host: u.Host}, // user:password@ is never used: Authorization carries the key
		prefix:    strings.TrimRight(u.EscapedPath(), "/"),
		key:       cfg.APIKey,
		headers:   map[string]string{},
		agent:     cfg.UserAgent,
		changedBy: cfg.ChangedBy,
		timeout:   cfg.Timeout,
		logf:      cfg.Logf,
		keySource: cfg.KeySource,
	}
	if c.keySource == "" {
		c.keySource = "the configuration"
	}
	if c.agent == "" {
		c.agent = "pulumi-litellm"
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	for k, v := range cfg.Headers {
		if strings.TrimSpace(k) == "" {
			continue
		}
		if strings.ContainsAny(k+v, "\r\n\x00") {
			return nil, fmt.Errorf("header %q: name or value contains a line break or NUL character", k)
		}
		c.headers[k] = v
		c.static = append(c.static, v)
	}
	if p, ok := u.User.Password(); ok {
		c.static = append(c.static, p)
	}
	// LiteLLM's 401 names the presented key's SHA-256 ("Key Hash (Token)
	// =…"); for a short key that is as good as the key.
	sum := sha256.Sum256([]byte(cfg.APIKey))
	c.static = append(c.static, hex.EncodeToString(sum[:]))
	c.http = cfg.HTTPClient
	if c.http == nil {
		c.http, err = newHTTPClient(cfg)
		if err != nil {
			return nil, err
		}
	}
	c.Models = &ModelsService{c: c}
	c.Credentials = &CredentialsService{c: c}
	c.Teams = &TeamsService{c: c}
	c.Users = &UsersService{c: c}
	c.Budgets = &BudgetsService{c: c}
	c.Customers = &CustomersService{c: c}
	c.Projects = &ProjectsService{c: c}
	c.Organizations = &OrganizationsService{c: c}
	c.Keys = &KeysService{c: c}
	c.Tags = &TagsService{c: c}
	c.ModelAccessGroups = &ModelAccessGroupsService{c: c}
	c.Fallbacks = &FallbacksService{c: c}
	c.McpServers = &McpServersService{c: c}
	c.VectorStores = &VectorStoresService{c: c}
	c.Guardrails = &GuardrailsService{c: c}
	c.Prompts = &PromptsService{c: c}
	c.PassThroughEndpoints = &PassThroughEndpointsService{c: c}
	c.SearchTools = &SearchToolsService{c: c}
	c.Policies = &PoliciesService{c: c}
	c.ToolPolicies = &ToolPoliciesService{c: c}
	c.PolicyAttachments = &PolicyAttachmentsService{c: c}
	c.AccessGroups = &AccessGroupsService{c: c}
	c.McpToolsets = &McpToolsetsService{c: c}
	c.Agents = &AgentsService{c: c}
	c.JwtKeyMappings = &JwtKeyMappingsService{c: c}
	return c, nil
}

func newHTTPClient(cfg Config) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	// The engine runs many operations at once (--parallel): keep as many
	// connections alive, instead of net/http's default of two per host, so
	// that parallel calls do not open a new connection each.
	tr.MaxIdleConnsPerHost = 64
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // opt-in, documented as testing only
	if strings.TrimSpace(cfg.CABundlePEM) != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CABundlePEM)) {
			return nil, errors.New("CA bundle holds no PEM-encoded certificate")
		}
		tlsCfg.RootCAs = pool
	}
	tr.TLSClientConfig = tlsCfg
	return &http.Client{
		Transport: tr,
		// The timeout is applied per request through the context (do), so
		// that it can be told apart from the caller's own deadline.
		// Redirects are not followed: net/http would forward x-api-key to
		// another host, and turn a POST into a GET.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

var placeholder = regexp.MustCompile(`\{[^{}/]+\}`)

// expand fills the {...} segments of an endpoint template with the
// arguments, each percent-encoded as exactly one path segment.
func expand(tmpl string, args []string) (string, error) {
	if n := len(placeholder.FindAllString(tmpl, -1)); n != len(args) {
		return "", fmt.Errorf("endpoint %s takes %d path parameters, got %d", tmpl, n, len(args))
	}
	i := 0
	var bad error
	p := placeholder.ReplaceAllStringFunc(tmpl, func(string) string {
		a := args[i]
		i++
		switch a {
		case "":
			bad = errors.New("empty path parameter")
		case ".", "..": // would be collapsed as dot segments on the way
			return strings.Repeat("%2E", len(a))
		}
		return url.PathEscape(a)
	})
	return p, bad
}

// urlFor joins the base URL, its path prefix, an escaped path and a query.
func (c *Client) urlFor(escapedPath string, query url.Values) string {
	u := c.base
	u.RawPath = c.prefix + escapedPath
	u.Path, _ = url.PathUnescape(u.RawPath)
	u.RawQuery = query.Encode()
	return u.String()
}

// request is one call of an endpoint.
type request struct {
	ep      *endpoint
	args    []string   // fill the {...} segments of ep.path, in order
	query   url.Values // optional
	body    any        // JSON-encoded when non-nil
	out     any        // decoded from a 2xx JSON answer when non-nil; a *json.RawMessage receives the raw body
	secrets []string   // strings of the request that must never appear in an error
}

type redactionsKey struct{}

// WithRedactions returns a context whose calls never show any of values in
// an error (values the caller knows to be secret, whatever their key).
func WithRedactions(ctx context.Context, values []string) context.Context {
	if len(values) == 0 {
		return ctx
	}
	return context.WithValue(ctx, redactionsKey{}, append(redactionsFrom(ctx), values...))
}

func redactionsFrom(ctx context.Context) []string {
	v, _ := ctx.Value(redactionsKey{}).([]string)
	return v
}

// do sends one request and decodes a 2xx JSON answer into r.out. Every
// failure is returned as an *Error, classified once (classify.go) by the
// endpoint's own rules and then the generic ones.
func (c *Client) do(ctx context.Context, r request) error {
	r.secrets = append(r.secrets, redactionsFrom(ctx)...)
	path, err := expand(r.ep.path, r.args)
	op := c.redact(r.ep.method+" "+path, r.secrets) // a path may hold a key's token
	if err != nil {
		return &Error{Kind: KindInvalid, Op: r.ep.String(), Message: err.Error()}
	}
	write := r.ep.write()

	var reqBody io.Reader
	if r.body != nil {
		raw, err := json.Marshal(r.body)
		if err != nil {
			return &Error{Kind: KindInvalid, Op: op, Message: "cannot encode the request: " + c.redact(err.Error(), r.secrets)}
		}
		reqBody = bytes.NewReader(raw)
	}
	reqCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(reqCtx, r.ep.method, c.urlFor(path, r.query), reqBody)
	if err != nil {
		return &Error{Kind: KindInvalid, Op: op, Message: c.redact(err.Error(), r.secrets)}
	}
	c.setHeaders(req, r.body != nil)

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, reqCtx, op, write, err, r.secrets, start)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		e := c.transportError(ctx, reqCtx, op, write, err, r.secrets, start)
		e.Ambiguous = write // the proxy answered: the request did arrive
		e.Status = resp.StatusCode
		return e
	}
	c.log("litellm: %s -> %d in %s", op, resp.StatusCode, time.Since(start).Round(time.Millisecond))

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.httpError(r.ep, op, resp, raw, r.secrets)
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && !json.Valid(trimmed) {
		return &Error{Kind: KindInvalid, Op: op, Status: resp.StatusCode, Message: "the answer is not JSON",
			hint: "is the base URL the LiteLLM proxy's API address (including any path prefix)?"}
	}
	if r.out != nil && len(trimmed) > 0 {
		if err := json.Unmarshal(trimmed, r.out); err != nil {
			return &Error{Kind: KindInvalid, Op: op, Status: resp.StatusCode, Message: "unexpected answer: " + err.Error()}
		}
	}
	return nil
}

func (c *Client) setHeaders(req *http.Request, hasBody bool) {
	req.Header.Set("Accept-Language", "en") // the classification matches English messages
	for k, v := range c.headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	// Set last: extra headers never replace these.
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("x-api-key", c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Header.Del("Content-Type")
	}
	if c.changedBy != "" {
		req.Header.Set("litellm-changed-by", c.changedBy)
	} else {
		req.Header.Del("litellm-changed-by")
	}
}

// httpError builds the *Error of a non-2xx answer of ep.
func (c *Client) httpError(ep *endpoint, op string, resp *http.Response, raw []byte, secrets []string) *Error {
	b := parseErrorBody(raw)
	v := c.classifyHTTP(ep, resp.StatusCode, b)
	msg := b.Message
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc, err := url.Parse(resp.Header.Get("Location")); err == nil && loc.Host != "" {
			msg = fmt.Sprintf("redirected to %s://%s%s", loc.Scheme, loc.Host, loc.EscapedPath())
		}
	}
	// A gateway's own 502 or 503 page (not LiteLLM's JSON) means its
	// upstream never took the request; a 504, or LiteLLM's own 5xx, may
	// follow a write that landed.
	gatewayRefused := b.notJSON && (resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusServiceUnavailable)
	e := &Error{
		Kind:         v.kind,
		Op:           op,
		Status:       resp.StatusCode,
		Message:      c.redact(msg, secrets),
		Type:         c.redact(b.Type, secrets),
		RetryAfter:   parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Ambiguous:    ep.write() && resp.StatusCode >= 500 && v.kind == KindTransient && !gatewayRefused,
		hint:         v.hint,
		routeMissing: v.routeMissing,
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		e.signature = strconv.Itoa(resp.StatusCode) + " " + e.Message
	}
	return e
}

// shownBase is the base URL as errors show it: scheme, host and prefix,
// never user:password@.
func (c *Client) shownBase() string {
	u := c.base
	return u.String() + c.prefix
}

func (c *Client) transportError(parent, reqCtx context.Context, op string, write bool, err error, secrets []string, start time.Time) *Error {
	v := classifyTransport(parent, reqCtx, err, c.timeout)
	c.log("litellm: %s -> no answer (%s) after %s", op, v.kind, time.Since(start).Round(time.Millisecond))
	e := &Error{
		Kind:      v.kind,
		Op:        op,
		Message:   c.redact(v.message, secrets),
		Ambiguous: write && v.reached,
		Err:       v.cause,
		hint:      v.hint,
	}
	switch {
	case v.cancelled:
	case v.timedOut:
		e.signature = "timeout"
	case !v.reached && v.kind == KindTransient:
		e.unreachable, e.signature = true, "unreachable"
		e.Message = "cannot reach the proxy at " + c.shownBase() + ": " + e.Message
	default:
		e.signature = e.Message
	}
	return e
}

func (c *Client) log(format string, args ...any) {
	if c.logf != nil {
		c.logf(format, args...)
	}
}

// Redaction.

const (
	maxMessage   = 500
	minSecretLen = 4 // shorter values are not redacted (they would garble every message)
	keyMask      = "sk-...REDACTED"
	secretMask   = "[REDACTED]"
)

// skPattern: anything that looks like a LiteLLM key ("sk-" and at least 8
// more characters, not preceded by a letter or digit).
var skPattern = regexp.MustCompile("(^|[^A-Za-z0-9])sk-[^\\s'\"`,;)}\\]]{8,}")

// redact removes from msg the API key, every secret of the request, the
// extra header values and anything that looks like a LiteLLM key, and bounds
// its length.
func (c *Client) redact(msg string, secrets []string) string {
	if msg == "" {
		return ""
	}
	type repl struct{ s, with string }
	var rs []repl
	add := func(s, with string) {
		if len(s) < minSecretLen {
			return
		}
		rs = append(rs, repl{s, with})
		if q, err := json.Marshal(s); err == nil { // as echoed inside a JSON string
			if inner := string(q[1 : len(q)-1]); inner != s {
				rs = append(rs, repl{inner, with})
			}
		}
	}
	add(c.key, keyMask)
	for _, s := range c.static {
		add(s, secretMask)
	}
	for _, s := range secrets {
		add(s, secretMask)
	}
	// Longest first, so that a secret containing another is removed whole.
	slices.SortStableFunc(rs, func(a, b repl) int { return len(b.s) - len(a.s) })
	for _, r := range rs {
		msg = strings.ReplaceAll(msg, r.s, r.with)
	}
	msg = skPattern.ReplaceAllString(msg, "${1}"+keyMask)
	return truncate(msg, maxMessage)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Secret collection for redaction.

// modelSecretKeys are litellm_params keys whose values are secrets.
var modelSecretKeys = map[string]bool{
	"api_key": true, "aws_secret_access_key": true, "aws_access_key_id": true, "aws_session_token": true,
	"vertex_credentials": true, "client_secret": true,
}

// secretKeyFragments: LiteLLM's own masking rule, roughly.
var secretKeyFragments = []string{"key", "secret", "token", "password", "passwd", "credential", "auth", "private"}

// SecretLooking reports whether a field name of a free-form LiteLLM object
// (litellm_params, credential values, metadata) looks like it holds a
// secret. The provider keeps such values as Pulumi secrets; the client
// redacts them from errors. litellm_credential_name is a reference, not a
// secret (LiteLLM does not mask it either).
func SecretLooking(k string) bool { return isSecretKey(k) }

func isSecretKey(k string) bool {
	lk := strings.ToLower(k)
	if lk == "litellm_credential_name" {
		return false
	}
	return modelSecretKeys[lk] || containsAny(lk, secretKeyFragments)
}

// secretStrings returns the strings found in v below a key for which
// isSecret reports true, at any depth; with isSecret nil, every string in v.
func secretStrings(v any, isSecret func(string) bool) []string {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var norm any
	if json.Unmarshal(raw, &norm) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				walk(vv, secret || isSecret == nil || isSecret(k))
			}
		case []any:
			for _, vv := range x {
				walk(vv, secret)
			}
		case string:
			if secret || isSecret == nil {
				out = append(out, x)
				// A JSON document in a string (vertex_credentials): its
				// values too, as they may be echoed one by one.
				var inner any
				if strings.HasPrefix(strings.TrimSpace(x), "{") && json.Unmarshal([]byte(x), &inner) == nil {
					walk(inner, true)
				}
			}
		}
	}
	walk(norm, false)
	return out
}
