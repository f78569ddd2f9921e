package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Config is the provider configuration (stack keys `litellm:<name>`).
//
// The environment variables (LITELLM_API_BASE, LITELLM_API_KEY,
// LITELLM_INSECURE_SKIP_VERIFY) are read by Configure each time the
// provider runs and never stored in the stack's state; stack config wins
// when set. Changing any setting is an in-place update of the provider, never
// a replacement of its resources (diffConfig).
type Config struct {
	BaseURL            *string           `pulumi:"baseUrl,optional"`
	APIKey             *string           `pulumi:"apiKey,optional" provider:"secret"`
	InsecureSkipVerify *bool             `pulumi:"insecureSkipVerify,optional"`
	CABundle           *string           `pulumi:"caBundle,optional"`
	Headers            map[string]string `pulumi:"headers,optional" provider:"secret"`
	RequestTimeout     *string           `pulumi:"requestTimeout,optional"`
	ChangedBy          *string           `pulumi:"changedBy,optional"`
	MaxWait            *string           `pulumi:"maxWait,optional"`
	Backoff            *string           `pulumi:"backoff,optional"`
	ReloadInterval     *string           `pulumi:"reloadInterval,optional"`
	OwnerID            *string           `pulumi:"ownerId,optional"`

	client *litellm.Client
	policy consistency.Policy
}

// Environment variables read at run time when the stack config is unset.
const (
	envBaseURL  = "LITELLM_API_BASE"
	envAPIKey   = "LITELLM_API_KEY"
	envInsecure = "LITELLM_INSECURE_SKIP_VERIFY"
)

// defaultReloadInterval is LiteLLM's proxy_config_reload_interval_seconds
// default (docs/litellm/consistency.md).
const defaultReloadInterval = 30 * time.Second

// defaultRequestTimeout bounds one HTTP request: LiteLLM's admin calls are
// database writes and in-memory reads that answer within seconds.
const defaultRequestTimeout = 30 * time.Second

// Annotate documents the configuration.
func (c *Config) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&c.BaseURL, "Base URL of the LiteLLM proxy, e.g. `https://litellm.example.com` (a path prefix such as "+
		"`https://gw.example.com/litellm` is kept). When unset, the provider reads the `LITELLM_API_BASE` environment "+
		"variable each time it runs (the value is not stored in the stack). Changing it points the stack's resources at "+
		"the new address in place: it is read as the same proxy under another name, never as a reason to re-create "+
		"every object.")
	a.Describe(&c.APIKey, "Master key (or an admin virtual key) of the LiteLLM proxy, sent as `Authorization: Bearer` "+
		"and `x-api-key`. When unset, the provider reads the `LITELLM_API_KEY` environment variable each time it runs "+
		"(the value is not stored in the stack).")
	a.Describe(&c.InsecureSkipVerify, "Skip TLS certificate verification (testing only). When unset, the "+
		"`LITELLM_INSECURE_SKIP_VERIFY` environment variable is read; default false.")
	a.Describe(&c.CABundle, "PEM-encoded CA certificates to trust in addition to the system roots.")
	a.Describe(&c.Headers, "Extra HTTP headers sent with every request, e.g. for an access gateway in front of the "+
		"proxy. They cannot replace the authentication headers.")
	a.Describe(&c.RequestTimeout, "Timeout of a single HTTP request as a Go duration (`30s`, `2m`). Default `30s`. "+
		"Three timeouts in a row end an operation (a proxy that accepts requests but never answers).")
	a.Describe(&c.ChangedBy, "Name recorded in LiteLLM's audit log for every change (`litellm-changed-by` header).")
	a.Describe(&c.MaxWait, "Longest wait for the proxy when a resource sets no customTimeouts, as a Go duration. "+
		"Default `5m`.")
	a.Describe(&c.Backoff, "Growth of the waits between reads while waiting for the proxy: `fibonacci` (default) "+
		"or `exponential`.")
	a.Describe(&c.ReloadInterval, "How often the proxy's workers reload models and credentials from the database "+
		"(LiteLLM's `proxy_config_reload_interval_seconds`), as a Go duration. Default `30s`, LiteLLM's default. "+
		"For twice this long after a write, an answer served from one worker's memory may predate the write, so a "+
		"refresh in that window reads again until it sees the write rather than drop the object or report drift.")
	a.Describe(&c.OwnerID, "Identifies this stack's objects on the proxy: it is written, with the resource's URN, "+
		"into every object the provider creates, so that the provider never takes over an object it did not create "+
		"and finds its own after an interruption. Generated on first use and kept in the stack's state; set it only "+
		"to let a new stack take over the objects of an old one (use the old value).")
}

var (
	_ infer.CustomConfigure      = (*Config)(nil)
	_ infer.CustomCheck[*Config] = (*Config)(nil)
)

// Check keeps the owner ID across runs: the stored one when there is one,
// else a new one. Nothing from the environment is added.
func (c *Config) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[*Config], error) {
	news := req.NewInputs
	for k := range news.All {
		if k == "version" || strings.HasPrefix(k, "__") { // the SDKs' plugin version, the engine's own keys
			news = news.Delete(k)
		}
	}
	in, failures, err := infer.DefaultCheck[*Config](ctx, news)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[*Config]{Inputs: in, Failures: failures}, err
	}
	if in.BaseURL != nil {
		// Refused at preview: a password in it would be stored in plaintext.
		v := &checker{inputs: news}
		v.httpURL("baseUrl", *in.BaseURL, false)
		if len(v.failures) > 0 {
			return infer.CheckResponse[*Config]{Inputs: in, Failures: v.failures}, nil
		}
	}
	if deref(in.OwnerID) == "" {
		owner := ""
		if old := req.OldInputs.Get("ownerId"); old.IsString() {
			owner = old.AsString()
		}
		if owner == "" {
			owner = uuid.NewString()
		}
		in.OwnerID = &owner
	}
	return infer.CheckResponse[*Config]{Inputs: in}, nil
}

// Configure builds the one HTTP client and the waiting policy.
func (c *Config) Configure(ctx context.Context) error {
	base, baseSource := setting(c.BaseURL, envBaseURL, "litellm:baseUrl")
	if base == "" {
		return errors.New("missing LiteLLM base URL: set the stack config `litellm:baseUrl` " +
			"(pulumi config set litellm:baseUrl https://...) or the LITELLM_API_BASE environment variable")
	}
	if err := validateBaseURL(base); err != nil {
		return fmt.Errorf("%s: %w", baseSource, err)
	}
	for name := range c.Headers {
		if isAuthHeader(name) {
			return fmt.Errorf("litellm:headers: header %q would replace the authentication headers; set litellm:apiKey instead", name)
		}
	}
	key, keySource := setting(c.APIKey, envAPIKey, "litellm:apiKey")
	if key == "" {
		return errors.New("missing LiteLLM API key: set the secret stack config `litellm:apiKey` " +
			"(pulumi config set --secret litellm:apiKey sk-...) or the LITELLM_API_KEY environment variable")
	}
	insecure := deref(c.InsecureSkipVerify)
	if c.InsecureSkipVerify == nil {
		if v, err := strconv.ParseBool(os.Getenv(envInsecure)); err == nil {
			insecure = v
		}
	}
	timeout := defaultRequestTimeout
	if c.RequestTimeout != nil {
		d, err := parsePositiveDuration(*c.RequestTimeout)
		if err != nil {
			return fmt.Errorf("litellm:requestTimeout: %w", err)
		}
		timeout = d
	}
	client, err := litellm.New(litellm.Config{
		BaseURL:            base,
		APIKey:             key,
		KeySource:          keySource,
		Headers:            c.Headers,
		InsecureSkipVerify: insecure,
		CABundlePEM:        deref(c.CABundle),
		Timeout:            timeout,
		ChangedBy:          deref(c.ChangedBy),
		UserAgent:          "pulumi-litellm/" + Version,
		Logf: func(format string, args ...any) {
			p.GetLogger(ctx).Debugf(format, args...)
		},
	})
	if err != nil {
		return err
	}
	policy := consistency.Default()
	if c.MaxWait != nil {
		d, err := parsePositiveDuration(*c.MaxWait)
		if err != nil {
			return fmt.Errorf("litellm:maxWait: %w", err)
		}
		policy.MaxWait = d
	}
	if c.Backoff != nil {
		policy.Backoff = consistency.BackoffKind(*c.Backoff)
		if err := policy.Validate(); err != nil {
			return fmt.Errorf("litellm:backoff: %w", err)
		}
	}
	reload := defaultReloadInterval
	if c.ReloadInterval != nil {
		d, err := parsePositiveDuration(*c.ReloadInterval)
		if err != nil {
			return fmt.Errorf("litellm:reloadInterval: %w", err)
		}
		reload = d
	}
	// Every worker reloads once per interval (at its own phase); twice the
	// interval leaves room for a slow or skipped reload.
	policy.Settle = 2 * reload
	if deref(c.OwnerID) == "" {
		// Configure without CheckConfig (tests): objects of this run can be
		// adopted by this run only.
		owner := uuid.NewString()
		c.OwnerID = &owner
	}
	c.client = client
	c.policy = policy
	return nil
}

// setting returns a string setting from the stack config, else from the
// environment, and names where it came from.
func setting(v *string, env, key string) (string, string) {
	if s := strings.TrimSpace(deref(v)); s != "" {
		return s, "the stack config " + key
	}
	if s := strings.TrimSpace(os.Getenv(env)); s != "" {
		return s, "the " + env + " environment variable"
	}
	return "", ""
}

func validateBaseURL(s string) error {
	if problem := urlProblem(s); problem != "" {
		return errors.New(problem)
	}
	return nil
}

func parsePositiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("must be a positive Go duration such as 30s or 5m, got %q", s)
	}
	return d, nil
}

func isAuthHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "x-api-key":
		return true
	}
	return false
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

// diffConfig decides what a change of the provider configuration means:
// always an in-place update, never a replacement of the provider (which
// would replace every resource). A base URL that only differs in a
// trailing slash, the case of its scheme or host, or a default port is no
// change at all; any other new base URL is the same proxy under another
// name (README, "Configuration").
func diffConfig(_ context.Context, req p.DiffRequest) (p.DiffResponse, error) {
	diff := map[string]p.PropertyDiff{}
	keys := slices.Concat(slices.Collect(maps.Keys(req.OldInputs.AsMap())), slices.Collect(maps.Keys(req.Inputs.AsMap())))
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if k == "version" || strings.HasPrefix(k, "__") {
			continue
		}
		o, n := req.OldInputs.Get(k), req.Inputs.Get(k)
		if k == "baseUrl" && o.IsString() && n.IsString() && sameBaseURL(o.AsString(), n.AsString()) {
			continue
		}
		if k == "ownerId" && n.IsNull() {
			continue // Check carries the stored one over
		}
		if !o.Equals(n) {
			kind := p.Update
			switch {
			case o.IsNull():
				kind = p.Add
			case n.IsNull():
				kind = p.Delete
			}
			diff[k] = p.PropertyDiff{Kind: kind, InputDiff: true}
		}
	}
	return p.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

// sameBaseURL reports two spellings of one base URL.
func sameBaseURL(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			return s
		}
		u.Scheme = strings.ToLower(u.Scheme)
		host := strings.ToLower(u.Hostname())
		port := u.Port()
		if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
			port = ""
		}
		u.Host = host
		if port != "" {
			u.Host += ":" + port
		}
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
		return u.String()
	}
	return norm(a) == norm(b)
}

// env is what every resource method needs: the client, the waiting policy
// and the identity of the resource being worked on.
type env struct {
	client *litellm.Client
	policy consistency.Policy
	owner  string
	ctx    context.Context
}

func getEnv(ctx context.Context) env {
	cfg := callOf(ctx).config
	if cfg == nil {
		cfg = infer.GetConfig[*Config](ctx)
	}
	return env{client: cfg.client, policy: cfg.policy, owner: deref(cfg.OwnerID), ctx: ctx}
}

// identity is who the provider acts for in this call.
func (e env) identity() identity { return identity{owner: e.owner, urn: callOf(e.ctx).urn} }

func (e env) now() time.Time { return time.Now() }

// settled reports whether the settle time has passed since a write at t.
func (e env) settled(t time.Time) bool { return e.policy.Settled(t, e.now()) }

// replicaLag bounds how long after a write a database read may still miss
// it when the proxy reads through a lagging replica
// (DATABASE_URL_READ_REPLICA, docs/litellm/consistency.md): a write's "not
// found" within it is tried again.
const replicaLag = 10 * time.Second

func (e env) pastReplicaLag(t time.Time) bool {
	return t.IsZero() || e.now().Sub(t) >= min(replicaLag, e.policy.Settle)
}

// progress reports waits as status messages on the resource's line in
// `pulumi up` ("waiting for model gpt-4o to read back: attempt 4, 1.3 s").
func (e env) progress() consistency.Option {
	return consistency.WithProgress(func(pr consistency.Progress) {
		p.GetLogger(e.ctx).InfoStatus(pr.String())
	})
}
