// Package emulator is an in-memory LiteLLM proxy (admin API only) for tests
// and `make demo`. It reproduces the paths, bodies, status codes and error
// shapes of the model and credential endpoints the provider calls, and
// LiteLLM's consistency mechanism: several workers, each answering from its
// own router and credential list, reloaded from the shared store on its own
// tick (and, with PubSub, on a Redis config-change message). By default it
// answers like the newest LiteLLM; Options.Version = VersionLegacy gives the
// older generation where the two differ. README.md beside this file lists
// every behaviour with its source: a LiteLLM file, a PR or issue, or a
// measurement on a real LiteLLM 1.108.7.
//
// It shares no code with the provider's client, so that a misunderstanding of
// LiteLLM cannot hide in both at once. Standard library only.
package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMasterKey is the master key when Options.MasterKey is empty.
const DefaultMasterKey = "sk-emulator-master-key"

// Options.Version values.
const (
	VersionNewest = "newest" // the newest LiteLLM (also the meaning of "")
	VersionLegacy = "legacy" // the older generation, where it answers differently
)

// Options.Routing values: how requests are spread over the workers.
const (
	// RoutePerConnection (also the meaning of ""): a TCP connection is
	// answered by one worker for its whole life, the workers taken
	// round-robin as connections arrive — as uvicorn workers and Kubernetes
	// Services balance connections, not requests. Needs ConnContext on the
	// http.Server (NewServer and Serve install it); without it, per request.
	RoutePerConnection = "connection"
	// RoutePerRequest: every request takes the next worker (an L7 balancer).
	RoutePerRequest = "request"
)

// Options configures an emulator. New panics on an unknown Version or Routing.
type Options struct {
	MasterKey      string        // default "sk-emulator-master-key"
	Workers        int           // default 1
	ReloadInterval time.Duration // default 30s; worker i reloads every interval, phase-shifted by a hash of its identity
	ReplicaLag     time.Duration // a write reaches the /v2 DB fallback only after this lag (0 = at once)
	V2RouterOnly   bool          // older proxies: /v2/model/info consults only the answering worker's router
	Faults         Faults
	Seed           int64                            // seed for faults, nonces, generated ids and pub/sub jitter; 0 = time-based
	Logf           func(format string, args ...any) // optional request log (method, path, status; never bodies)
	Version        string                           // VersionNewest ("") or VersionLegacy
	Routing        string                           // RoutePerConnection ("") or RoutePerRequest
	PubSub         bool                             // Redis config-sync: a model/credential write makes every worker resync 1–6 s later
	// NoLicense: the proxy has no LiteLLM Enterprise licence (no LITELLM_LICENSE): project writes answer 403
	// "Project management is an enterprise feature. …" and per-model budgets (model_max_budget) of /budget/* 400.
	// Default false: licensed.
	NoLicense bool
}

// Faults injects failures. Each applies to every request, or, when Paths is
// non-empty, only to requests whose "METHOD /path" (path without query) is
// listed. The deterministic counters are consumed first (FailNext, then
// ThrottleNext, then DropNext, then SavedNotLiveNext), then the rates are
// drawn in the same order. Drops apply to writes only, SavedNotLive to
// POST /model/new and PATCH /model/{id}/update (and the legacy access group
// writes) only; a counter is consumed by
// the request it picks even if that request then fails on its own.
type Faults struct {
	ErrorRate    float64       // answered 503 "Service Unavailable" before anything else happens
	ThrottleRate float64       // answered 429 with Retry-After
	RetryAfter   time.Duration // Retry-After of the 429s, whole seconds rounded up, at least 1
	Latency      time.Duration // added before every matching answer
	// AnswerDelay holds every matching answer back after the request was
	// handled (a write is committed, the answer not yet sent): a client
	// killed meanwhile leaves an object it never heard about.
	AnswerDelay         time.Duration
	DropAfterCommitRate float64 // writes (POST/PATCH/PUT/DELETE): handled, then the connection is closed without an answer
	Paths               []string
	FailNext            int // the next N matching requests get the 503
	ThrottleNext        int // the next N matching requests get the 429
	DropNext            int // the next N matching writes are handled and dropped
	// SavedNotLive: POST /model/new and PATCH /model/{id}/update commit the
	// write, but the model is not live in the answering worker's router
	// afterwards, and the answer is LiteLLM's 500 "Model <create|update> was
	// saved to the database, but …" (PR #34861).
	SavedNotLiveNext int
	SavedNotLiveRate float64
	// Gateway answers like a reverse proxy (nginx, an ingress) whose
	// upstream is down: 502 with an HTML page, before the proxy sees the
	// request, so nothing is written. GatewayEcho puts the request body into
	// the page, as some gateways and WAFs do.
	GatewayNext int
	GatewayRate float64
	GatewayEcho bool
	// Hang accepts matching requests and never answers them (until the
	// client gives up); nothing is handled.
	Hang bool
}

// Model is a stored model deployment, in plaintext.
type Model struct {
	ID            string
	ModelName     string
	LitellmParams map[string]any
	ModelInfo     map[string]any
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Credential is a stored credential, in plaintext.
type Credential struct {
	Name        string
	Values      map[string]any
	Info        map[string]any
	DisplayName string // newest LiteLLM's display_name; "" = none (null)
}

// version is one state of a stored object (v == nil: deleted), kept so
// that a lagging read replica can serve the state it had ReplicaLag ago.
type version[T any] struct {
	at time.Time
	v  *T
}

// latest is the primary's view of an object's history (nil: deleted or absent).
func latest[T any](vs []version[T]) *T {
	if len(vs) == 0 {
		return nil
	}
	return vs[len(vs)-1].v
}

// asOf is the newest version not after cutoff (the replica's view).
func asOf[T any](vs []version[T], cutoff time.Time) *T {
	for i := len(vs) - 1; i >= 0; i-- {
		if !vs[i].at.After(cutoff) {
			return vs[i].v
		}
	}
	return nil
}

// record adds a new version of hist[id] (nil deletes it) and prunes the
// versions no reader can see any more.
func record[T any](hist map[string][]version[T], id string, v *T, now time.Time, lag time.Duration) {
	vs := append(hist[id], version[T]{at: now, v: v})
	cutoff := now.Add(-lag)
	for i := len(vs) - 1; i >= 0; i-- {
		if !vs[i].at.After(cutoff) {
			vs = vs[i:]
			break
		}
	}
	if len(vs) == 1 && vs[0].v == nil {
		delete(hist, id)
		return
	}
	hist[id] = vs
}

// worker is one proxy worker: its router (model id → deployment) and its
// credential list, both rebuilt from the store on its reload ticks.
type worker struct {
	index      int
	router     map[string]*Model
	creds      map[string]*Credential
	nextReload time.Time
	syncAt     time.Time // PubSub: when its subscriber resyncs next (zero: no message pending)
	lastSync   time.Time // PubSub: its last resync (zero: none yet)
	// settings: its router's settings (fallbacks), loaded from the router_settings row on reload (fallbacks.go)
	settings map[string]any
}

// Emulator is an http.Handler answering like a LiteLLM proxy.
type Emulator struct {
	mu      sync.Mutex
	opts    Options
	faults  Faults
	rng     *rand.Rand
	now     func() time.Time
	legacy  bool
	rr      int                         // next worker for a request without a connection worker
	connRR  int                         // next worker for a new connection
	models  map[string][]version[Model] // the DB table, with history for the replica
	creds   map[string]*Credential
	row     map[string]*rowExtra // per model: what the DB row holds beyond the plaintext (newest write answers)
	teams   map[string][]version[map[string]any]
	users   map[string][]version[map[string]any] // by user_id
	budgets map[string]map[string]any            // LiteLLM_BudgetTable rows by budget_id
	keys    map[string][]version[map[string]any] // by token
	orgs    map[string][]version[map[string]any] // by organization_id: the row, its budget and its memberships
	workers []*worker
	stats   map[string]int

	customers map[string][]version[map[string]any] // LiteLLM_EndUserTable rows by user_id
	projects  map[string][]version[map[string]any] // LiteLLM_ProjectTable rows by project_id

	tags               map[string]map[string]any // LiteLLM_TagTable rows by tag_name (tags.go)
	accessGroupBudgets map[string]map[string]any // LiteLLM_ModelAccessGroupBudgetTable rows by access_group_name (model_access_groups.go)
	routerSettings     map[string]any            // the router_settings row of LiteLLM_Config (fallbacks.go)

	passThrough passThroughState // general_settings.pass_through_endpoints (pass_through_endpoints.go)
	searchTools searchToolState  // LiteLLM_SearchToolsTable (search_tools.go)
	policies    policyState      // LiteLLM_PolicyTable (policies.go)
	tools       toolState        // LiteLLM_ToolTable (tools.go)
	attachments attachmentState  // LiteLLM_PolicyAttachmentTable (policy_attachments.go)

	// h3 kinds: unified access groups, MCP toolsets, agents, JWT key mappings.
	accessGroups map[string]map[string]any // LiteLLM_AccessGroupTable rows by access_group_id (access_groups.go)
	mcpToolsets  map[string]map[string]any // LiteLLM_MCPToolsetTable rows by toolset_id (mcp_toolsets.go)
	agents       map[string]map[string]any // LiteLLM_AgentsTable rows by agent_id (agents.go)
	agentWorkers map[int]*agentRegistry    // each worker's in-memory agent registry (agents.go)
	jwtMappings  map[string]map[string]any // LiteLLM_JWTKeyMapping rows by id (jwt_key_mappings.go)

	// h2 kinds: MCP servers, vector stores, guardrails, prompts.
	mcpServers            map[string]map[string]any         // LiteLLM_MCPServerTable rows by server_id (mcp_servers.go)
	mcpRegistries         map[int]map[string]map[string]any // each worker's MCP server registry (mcp_servers.go)
	vectorStores          map[string]map[string]any         // LiteLLM_ManagedVectorStoresTable rows by vector_store_id (vector_stores.go)
	vectorStoreRegistries map[int]map[string]map[string]any // each worker's vector store registry (vector_stores.go)
	guardrails            map[string]map[string]any         // LiteLLM_GuardrailsTable rows by guardrail_id (guardrails.go)
	prompts               []*promptRow                      // LiteLLM_PromptTable rows, one per version (prompts.go)
	promptRegistries      map[int]map[string]*promptRow     // each worker's prompt registry (prompts.go)
}

// rowExtra is what a newest LiteLLM's DB row holds that the plaintext Model
// does not: the ciphertext of each litellm_params string (kept until that key
// is written again) and the id inside the model_info JSON (a PATCH carrying
// model_info overwrites it with a fresh default id; the model_id column, and
// so every read, keeps the real one).
type rowExtra struct {
	cipher map[string]string
	infoID string
}

// New builds an emulator.
func New(opts Options) *Emulator { return newEmulator(opts, time.Now) }

// newEmulator is New with a clock (tests).
func newEmulator(opts Options, now func() time.Time) *Emulator {
	if opts.MasterKey == "" {
		opts.MasterKey = DefaultMasterKey
	}
	if opts.Workers < 1 {
		opts.Workers = 1
	}
	if opts.ReloadInterval <= 0 {
		opts.ReloadInterval = 30 * time.Second
	}
	if opts.ReplicaLag < 0 {
		opts.ReplicaLag = 0
	}
	switch opts.Version {
	case "":
		opts.Version = VersionNewest
	case VersionNewest, VersionLegacy:
	default:
		panic(fmt.Sprintf("emulator: unknown Options.Version %q (want %q or %q)", opts.Version, VersionNewest, VersionLegacy))
	}
	switch opts.Routing {
	case "":
		opts.Routing = RoutePerConnection
	case RoutePerConnection, RoutePerRequest:
	default:
		panic(fmt.Sprintf("emulator: unknown Options.Routing %q (want %q or %q)", opts.Routing, RoutePerConnection, RoutePerRequest))
	}
	seed := uint64(opts.Seed)
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	e := &Emulator{
		opts:    opts,
		faults:  opts.Faults,
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		now:     now,
		legacy:  opts.Version == VersionLegacy,
		models:  map[string][]version[Model]{},
		creds:   map[string]*Credential{},
		row:     map[string]*rowExtra{},
		teams:   map[string][]version[map[string]any]{},
		users:   map[string][]version[map[string]any]{},
		budgets: map[string]map[string]any{},
		keys:    map[string][]version[map[string]any]{},
		orgs:    map[string][]version[map[string]any]{},
		stats:   map[string]int{},

		customers: map[string][]version[map[string]any]{},
		projects:  map[string][]version[map[string]any]{},

		accessGroups: map[string]map[string]any{},
		mcpToolsets:  map[string]map[string]any{},
		agents:       map[string]map[string]any{},
		agentWorkers: map[int]*agentRegistry{},
		jwtMappings:  map[string]map[string]any{},

		mcpServers:            map[string]map[string]any{},
		mcpRegistries:         map[int]map[string]map[string]any{},
		vectorStores:          map[string]map[string]any{},
		vectorStoreRegistries: map[int]map[string]map[string]any{},
		guardrails:            map[string]map[string]any{},
		promptRegistries:      map[int]map[string]*promptRow{},

		tags:               map[string]map[string]any{},
		accessGroupBudgets: map[string]map[string]any{},
		routerSettings:     map[string]any{},
	}
	start := now()
	for i := range opts.Workers {
		// APScheduler fires an interval job first one interval after it is
		// added; LiteLLM's stagger shifts every fire by the worker's offset.
		e.workers = append(e.workers, &worker{
			index:      i,
			router:     map[string]*Model{},
			creds:      map[string]*Credential{},
			nextReload: start.Add(staggerOffset(i, opts.ReloadInterval) + opts.ReloadInterval),
		})
	}
	return e
}

// staggerWindow is LiteLLM's DEFAULT_STAGGER_WINDOW_SECONDS (litellm/constants.py).
const staggerWindow = 300 * time.Second

// staggerOffset is the phase of worker i's reload job, as LiteLLM's
// scheduled_job_stagger.offset_seconds computes it: sha256 of the job id
// ("add_deployment_job"), a NUL and the process identity ("host:pid" there,
// "litellm-emulator:worker-<i>" here), first 8 bytes big-endian, modulo
// min(window, interval). LiteLLM counts whole seconds; the emulator counts
// nanoseconds so that test intervals under a second still get distinct phases.
func staggerOffset(i int, interval time.Duration) time.Duration {
	sum := sha256.Sum256([]byte("add_deployment_job\x00litellm-emulator:worker-" + strconv.Itoa(i)))
	return time.Duration(binary.BigEndian.Uint64(sum[:8]) % uint64(min(staggerWindow, interval)))
}

// NewServer starts an emulator on a loopback httptest server, with ConnContext
// installed; close the server when done.
func NewServer(opts Options) (*Emulator, *httptest.Server) {
	e := New(opts)
	ts := httptest.NewUnstartedServer(e)
	ts.Config.ConnContext = e.ConnContext
	ts.Start()
	return e, ts
}

// Serve answers on l until the listener fails, with ConnContext installed.
func Serve(l net.Listener, e *Emulator) error {
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second, ConnContext: e.ConnContext}
	return srv.Serve(l)
}

type connWorkerKey struct{}

// ConnContext assigns the next worker (round-robin) to a new TCP connection;
// with RoutePerConnection every request on it is answered by that worker. Set
// it as http.Server.ConnContext (ts.Config.ConnContext = emu.ConnContext on an
// httptest.NewUnstartedServer before Start). A request whose context has no
// connection worker is routed per request.
func (e *Emulator) ConnContext(ctx context.Context, _ net.Conn) context.Context {
	e.mu.Lock()
	i := e.connRR % len(e.workers)
	e.connRR++
	e.mu.Unlock()
	return context.WithValue(ctx, connWorkerKey{}, i)
}

// SetFaults replaces the fault configuration (thread-safe).
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f.Paths = slices.Clone(f.Paths)
	e.faults = f
}

// ReloadAll makes every worker reload its router and credential list from the
// store now. Their reload ticks are unchanged.
func (e *Emulator) ReloadAll() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, w := range e.workers {
		e.reload(w)
	}
}

// Models returns the stored models (the primary, not the replica), sorted by ID.
func (e *Emulator) Models() []Model {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Model
	for _, id := range sortedKeys(e.models) {
		if m := e.current(id); m != nil {
			out = append(out, cloneModel(m))
		}
	}
	return out
}

// Credentials returns the stored credentials, sorted by name.
func (e *Emulator) Credentials() []Credential {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Credential
	for _, n := range sortedKeys(e.creds) {
		out = append(out, cloneCredential(e.creds[n]))
	}
	return out
}

// Stats returns the number of requests per "METHOD /path" (path without
// query), faulted requests included.
func (e *Emulator) Stats() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.stats))
	for k, v := range e.stats {
		out[k] = v
	}
	return out
}

// ResetStats clears the request counts.
func (e *Emulator) ResetStats() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats = map[string]int{}
}

// ---- store ----

// current is the primary's view of a model (nil if deleted or absent).
func (e *Emulator) current(id string) *Model { return latest(e.models[id]) }

// replica is the read replica's view: the newest version at least ReplicaLag old.
func (e *Emulator) replica(id string) *Model {
	return asOf(e.models[id], e.now().Add(-e.opts.ReplicaLag))
}

// put records a new version of a model (nil deletes it).
func (e *Emulator) put(id string, m *Model) { record(e.models, id, m, e.now(), e.opts.ReplicaLag) }

// reload rebuilds a worker's router and credential list from the store
// (LiteLLM's add_deployment job and get_credentials_job).
func (e *Emulator) reload(w *worker) {
	w.router = map[string]*Model{}
	for id := range e.models {
		if m := e.current(id); m != nil {
			c := cloneModel(m)
			w.router[id] = &c
		}
	}
	w.settings = cloneMap(e.routerSettings) // _add_router_settings_from_db_config, at the end of add_deployment
	w.creds = map[string]*Credential{}
	for n, c := range e.creds {
		cc := cloneCredential(c)
		w.creds[n] = &cc
	}
	e.reloadMcpRegistry(w)
	e.reloadVectorStoreRegistry(w)
	e.reloadPromptRegistry(w)
	e.reloadAgents(w) // _init_agents_in_db, in the same add_deployment job (agents.go)
}

// catchUp applies every worker's reload that has fallen due (its reload tick,
// or with PubSub its resync) since the previous request. It runs before each
// authenticated request touches the store, and the store changes only in
// requests, so a reload sees the store exactly as it was at its due time.
func (e *Emulator) catchUp() {
	now := e.now()
	for _, w := range e.workers {
		due := false
		if !now.Before(w.nextReload) {
			due = true
			k := now.Sub(w.nextReload)/e.opts.ReloadInterval + 1
			w.nextReload = w.nextReload.Add(k * e.opts.ReloadInterval)
		}
		if !w.syncAt.IsZero() && !now.Before(w.syncAt) {
			due = true
			w.lastSync, w.syncAt = w.syncAt, time.Time{}
		}
		if due {
			e.reload(w)
		}
	}
}

// Redis config-sync timing (litellm/proxy/common_utils/config_sync_pubsub.py):
// CONFIG_SYNC_DEBOUNCE_SECONDS, CONFIG_SYNC_JITTER_MAX_SECONDS and
// CONFIG_SYNC_MIN_RESYNC_INTERVAL_SECONDS.
const (
	pubSubDebounce  = time.Second
	pubSubJitterMax = 5 * time.Second
	pubSubMinResync = 10 * time.Second
)

// publish is the Redis publish that follows every committed write to the model
// or credential table (PubSub only). Every worker's subscriber, the writer's
// own included, receives it, sleeps 1 s + uniform(0, 5 s), waits until 10 s
// after its previous resync, drains whatever else arrived meanwhile and
// resyncs. A worker that already has a resync pending is covered by it.
func (e *Emulator) publish() {
	if !e.opts.PubSub {
		return
	}
	now := e.now()
	for _, w := range e.workers {
		if !w.syncAt.IsZero() {
			continue
		}
		at := now.Add(pubSubDebounce + time.Duration(e.rng.Float64()*float64(pubSubJitterMax)))
		if !w.lastSync.IsZero() && at.Before(w.lastSync.Add(pubSubMinResync)) {
			at = w.lastSync.Add(pubSubMinResync)
		}
		w.syncAt = at
	}
}

// pickWorker applies the due reloads and chooses the answering worker: the
// connection's (RoutePerConnection, when ConnContext assigned one), else the
// next one round-robin.
func (e *Emulator) pickWorker(ctx context.Context) *worker {
	e.catchUp()
	if e.opts.Routing == RoutePerConnection {
		if i, ok := ctx.Value(connWorkerKey{}).(int); ok {
			return e.workers[i]
		}
	}
	w := e.workers[e.rr%len(e.workers)]
	e.rr++
	return w
}

// ---- HTTP ----

type response struct {
	status int
	body   any
	header http.Header
}

func reply(status int, body any) response { return response{status: status, body: body} }

// request is what a handler sees: the body is decoded JSON (nil when absent).
type request struct {
	method       string
	params       []string
	query        map[string][]string
	body         any
	hasBody      bool
	savedNotLive bool // Faults.SavedNotLive picked this write
}

func (rq *request) queryValue(k string) string {
	if v := rq.query[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

type handler func(e *Emulator, w *worker, rq *request) response

type route struct {
	method  string
	pattern string // segments; "{x}" is one segment, "{x:path}" the rest
	body    bool   // the endpoint takes a JSON body
	public  bool   // no authentication
	handle  handler
}

var routes = []route{
	{method: http.MethodGet, pattern: "/health/liveliness", public: true, handle: liveliness},
	{method: http.MethodGet, pattern: "/health/liveness", public: true, handle: liveliness},
	{method: http.MethodPost, pattern: "/model/new", body: true, handle: modelNew},
	{method: http.MethodGet, pattern: "/model/info", handle: modelInfo},
	{method: http.MethodGet, pattern: "/v1/model/info", handle: modelInfo},
	{method: http.MethodGet, pattern: "/v2/model/info", handle: modelInfoV2},
	{method: http.MethodPatch, pattern: "/model/{model_id}/update", body: true, handle: modelPatch},
	{method: http.MethodPost, pattern: "/model/delete", body: true, handle: modelDelete},
	{method: http.MethodPost, pattern: "/credentials", body: true, handle: credentialCreate},
	{method: http.MethodGet, pattern: "/credentials", handle: credentialList},
	{method: http.MethodGet, pattern: "/credentials/by_name/{credential_name:path}", handle: credentialGet},
	{method: http.MethodGet, pattern: "/credentials/by_model/{model_id}", handle: credentialByModel},
	{method: http.MethodPatch, pattern: "/credentials/{credential_name:path}", body: true, handle: credentialPatch},
	{method: http.MethodDelete, pattern: "/credentials/{credential_name:path}", handle: credentialDelete},
	{method: http.MethodPost, pattern: "/team/new", body: true, handle: teamNew},
	{method: http.MethodGet, pattern: "/team/info", handle: teamInfoGet},
	{method: http.MethodPost, pattern: "/team/update", body: true, handle: teamUpdate},
	{method: http.MethodPost, pattern: "/team/delete", body: true, handle: teamDelete},
	{method: http.MethodGet, pattern: "/team/list", handle: teamList},
	{method: http.MethodPost, pattern: "/team/member_add", body: true, handle: teamMemberAdd},
	{method: http.MethodPost, pattern: "/team/member_update", body: true, handle: teamMemberUpdate},
	{method: http.MethodPost, pattern: "/team/member_delete", body: true, handle: teamMemberDelete},
	{method: http.MethodPost, pattern: "/team/block", body: true, handle: blockTeam(true)},
	{method: http.MethodPost, pattern: "/team/unblock", body: true, handle: blockTeam(false)},
	{method: http.MethodPost, pattern: "/user/new", body: true, handle: userNew},
	{method: http.MethodGet, pattern: "/user/info", handle: userInfoGet},
	{method: http.MethodPost, pattern: "/user/update", body: true, handle: userUpdate},
	{method: http.MethodPost, pattern: "/user/delete", body: true, handle: userDelete},
	{method: http.MethodGet, pattern: "/user/list", handle: userList},
	{method: http.MethodPost, pattern: "/organization/new", body: true, handle: organizationNew},
	{method: http.MethodGet, pattern: "/organization/info", handle: organizationInfoGet},
	{method: http.MethodGet, pattern: "/organization/list", handle: organizationList},
	{method: http.MethodPatch, pattern: "/organization/update", body: true, handle: organizationUpdate},
	{method: http.MethodDelete, pattern: "/organization/delete", body: true, handle: organizationDelete},
	{method: http.MethodPost, pattern: "/organization/member_add", body: true, handle: organizationMemberAdd},
	{method: http.MethodPatch, pattern: "/organization/member_update", body: true, handle: organizationMemberUpdate},
	{method: http.MethodDelete, pattern: "/organization/member_delete", body: true, handle: organizationMemberDelete},
	{method: http.MethodPost, pattern: "/key/generate", body: true, handle: keyGenerate},
	{method: http.MethodGet, pattern: "/key/info", handle: keyInfoGet},
	{method: http.MethodPost, pattern: "/key/update", body: true, handle: keyUpdate},
	{method: http.MethodPost, pattern: "/key/delete", body: true, handle: keyDelete},
	{method: http.MethodPost, pattern: "/key/{key}/regenerate", body: true, handle: keyRegenerate},
	{method: http.MethodPost, pattern: "/key/block", body: true, handle: blockKey(true)},
	{method: http.MethodPost, pattern: "/key/unblock", body: true, handle: blockKey(false)},
	{method: http.MethodGet, pattern: "/key/list", handle: keyList},
	{method: http.MethodPost, pattern: "/budget/new", body: true, handle: budgetNew},
	{method: http.MethodPost, pattern: "/budget/info", body: true, handle: budgetInfo},
	{method: http.MethodPost, pattern: "/budget/update", body: true, handle: budgetUpdate},
	{method: http.MethodPost, pattern: "/budget/delete", body: true, handle: budgetDelete},
	{method: http.MethodGet, pattern: "/budget/list", handle: budgetList},
	{method: http.MethodPost, pattern: "/customer/new", body: true, handle: customerNew},
	{method: http.MethodGet, pattern: "/customer/info", handle: customerInfoGet},
	{method: http.MethodPost, pattern: "/customer/update", body: true, handle: customerUpdate},
	{method: http.MethodPost, pattern: "/customer/delete", body: true, handle: customerDelete},
	{method: http.MethodGet, pattern: "/customer/list", handle: customerList},
	{method: http.MethodPost, pattern: "/project/new", body: true, handle: projectNew},
	{method: http.MethodGet, pattern: "/project/info", handle: projectInfoGet},
	{method: http.MethodPost, pattern: "/project/update", body: true, handle: projectUpdate},
	{method: http.MethodDelete, pattern: "/project/delete", body: true, handle: projectDelete},
	{method: http.MethodGet, pattern: "/project/list", handle: projectList},
	{method: http.MethodPost, pattern: "/tag/new", body: true, handle: tagNew},
	{method: http.MethodPost, pattern: "/tag/info", body: true, handle: tagInfo},
	{method: http.MethodPost, pattern: "/tag/update", body: true, handle: tagUpdate},
	{method: http.MethodPost, pattern: "/tag/delete", body: true, handle: tagDelete},
	{method: http.MethodGet, pattern: "/tag/list", handle: tagList},
	{method: http.MethodPost, pattern: "/access_group/new", body: true, handle: modelAccessGroupNew},
	{method: http.MethodGet, pattern: "/access_group/list", handle: modelAccessGroupList},
	{method: http.MethodGet, pattern: "/access_group/{access_group}/info", handle: modelAccessGroupInfoGet},
	{method: http.MethodPut, pattern: "/access_group/{access_group}/update", body: true, handle: modelAccessGroupUpdate},
	{method: http.MethodDelete, pattern: "/access_group/{access_group}/delete", handle: modelAccessGroupDelete},
	{method: http.MethodGet, pattern: "/access_group/{access_group}/budget", handle: modelAccessGroupBudgetGet},
	{method: http.MethodPut, pattern: "/access_group/{access_group}/budget", body: true, handle: modelAccessGroupBudgetPut},
	{method: http.MethodDelete, pattern: "/access_group/{access_group}/budget", handle: modelAccessGroupBudgetDelete},
	{method: http.MethodPost, pattern: "/fallback", body: true, handle: fallbackCreate},
	{method: http.MethodGet, pattern: "/fallback/{model}", handle: fallbackGet},
	{method: http.MethodDelete, pattern: "/fallback/{model}", handle: fallbackDelete},
	{method: http.MethodGet, pattern: "/config/pass_through_endpoint", handle: passThroughGet},
	{method: http.MethodPost, pattern: "/config/pass_through_endpoint", body: true, handle: passThroughCreate},
	{method: http.MethodPost, pattern: "/config/pass_through_endpoint/{endpoint_id}", body: true, handle: passThroughUpdate},
	{method: http.MethodDelete, pattern: "/config/pass_through_endpoint", handle: passThroughDelete},
	{method: http.MethodGet, pattern: "/search_tools/list", handle: searchToolList},
	{method: http.MethodPost, pattern: "/search_tools", body: true, handle: searchToolCreate},
	{method: http.MethodGet, pattern: "/search_tools/{search_tool_id}", handle: searchToolGet},
	{method: http.MethodPut, pattern: "/search_tools/{search_tool_id}", body: true, handle: searchToolUpdate},
	{method: http.MethodDelete, pattern: "/search_tools/{search_tool_id}", handle: searchToolDelete},
	{method: http.MethodGet, pattern: "/policies/list", handle: policyList},
	{method: http.MethodGet, pattern: "/policies/attachments/list", handle: attachmentList},
	{method: http.MethodPost, pattern: "/policies/attachments", body: true, handle: attachmentCreate},
	{method: http.MethodGet, pattern: "/policies/attachments/{attachment_id}", handle: attachmentGet},
	{method: http.MethodDelete, pattern: "/policies/attachments/{attachment_id}", handle: attachmentDelete},
	{method: http.MethodPost, pattern: "/policies", body: true, handle: policyCreate},
	{method: http.MethodGet, pattern: "/policies/name/{policy_name}/versions", handle: policyVersions},
	{method: http.MethodPost, pattern: "/policies/name/{policy_name}/versions", body: true, handle: policyNewVersion},
	{method: http.MethodDelete, pattern: "/policies/name/{policy_name}/all-versions", handle: policyDeleteAll},
	{method: http.MethodPut, pattern: "/policies/{policy_id}/status", body: true, handle: policyStatus},
	{method: http.MethodGet, pattern: "/policies/{policy_id}", handle: policyGet},
	{method: http.MethodPut, pattern: "/policies/{policy_id}", body: true, handle: policyUpdate},
	{method: http.MethodDelete, pattern: "/policies/{policy_id}", handle: policyDeleteOne},
	{method: http.MethodPost, pattern: "/v1/tool/policy", body: true, handle: toolPolicySet},
	{method: http.MethodGet, pattern: "/v1/tool/list", handle: toolList},
	{method: http.MethodGet, pattern: "/v1/tool/{tool_name:path}", handle: toolGet},
	{method: http.MethodPost, pattern: "/v1/access_group", body: true, handle: accessGroupCreate},
	{method: http.MethodGet, pattern: "/v1/access_group", handle: accessGroupList},
	{method: http.MethodGet, pattern: "/v1/access_group/{access_group_id}", handle: accessGroupGet},
	{method: http.MethodPut, pattern: "/v1/access_group/{access_group_id}", body: true, handle: accessGroupUpdate},
	{method: http.MethodDelete, pattern: "/v1/access_group/{access_group_id}", handle: accessGroupDelete},
	{method: http.MethodPost, pattern: "/v1/unified_access_group", body: true, handle: accessGroupCreate},
	{method: http.MethodGet, pattern: "/v1/unified_access_group", handle: accessGroupList},
	{method: http.MethodGet, pattern: "/v1/unified_access_group/{access_group_id}", handle: accessGroupGet},
	{method: http.MethodPut, pattern: "/v1/unified_access_group/{access_group_id}", body: true, handle: accessGroupUpdate},
	{method: http.MethodDelete, pattern: "/v1/unified_access_group/{access_group_id}", handle: accessGroupDelete},
	{method: http.MethodPost, pattern: "/v1/mcp/toolset", body: true, handle: mcpToolsetCreate},
	{method: http.MethodGet, pattern: "/v1/mcp/toolset", handle: mcpToolsetList},
	{method: http.MethodGet, pattern: "/v1/mcp/toolset/{toolset_id}", handle: mcpToolsetGet},
	{method: http.MethodPut, pattern: "/v1/mcp/toolset", body: true, handle: mcpToolsetUpdate},
	{method: http.MethodDelete, pattern: "/v1/mcp/toolset/{toolset_id}", handle: mcpToolsetDelete},
	{method: http.MethodPost, pattern: "/v1/agents", body: true, handle: agentCreate},
	{method: http.MethodGet, pattern: "/v1/agents", handle: agentList},
	{method: http.MethodGet, pattern: "/v1/agents/{agent_id}", handle: agentGet},
	{method: http.MethodPatch, pattern: "/v1/agents/{agent_id}", body: true, handle: agentPatch},
	{method: http.MethodDelete, pattern: "/v1/agents/{agent_id}", handle: agentDelete},
	{method: http.MethodPost, pattern: "/jwt/key/mapping/new", body: true, handle: jwtMappingCreate},
	{method: http.MethodPost, pattern: "/jwt/key/mapping/update", body: true, handle: jwtMappingUpdate},
	{method: http.MethodPost, pattern: "/jwt/key/mapping/delete", body: true, handle: jwtMappingDelete},
	{method: http.MethodGet, pattern: "/jwt/key/mapping/info", handle: jwtMappingInfo},
	{method: http.MethodGet, pattern: "/jwt/key/mapping/list", handle: jwtMappingList},
	{method: http.MethodPost, pattern: "/v1/mcp/server", body: true, handle: mcpServerCreate},
	{method: http.MethodGet, pattern: "/v1/mcp/server", handle: mcpServerList},
	{method: http.MethodPut, pattern: "/v1/mcp/server", body: true, handle: mcpServerUpdate},
	{method: http.MethodGet, pattern: "/v1/mcp/server/{server_id}", handle: mcpServerGet},
	{method: http.MethodDelete, pattern: "/v1/mcp/server/{server_id}", handle: mcpServerDelete},
	{method: http.MethodPost, pattern: "/vector_store/new", body: true, handle: vectorStoreNew},
	{method: http.MethodPost, pattern: "/vector_store/info", body: true, handle: vectorStoreInfo},
	{method: http.MethodPost, pattern: "/vector_store/update", body: true, handle: vectorStoreUpdate},
	{method: http.MethodPost, pattern: "/vector_store/delete", body: true, handle: vectorStoreDelete},
	{method: http.MethodGet, pattern: "/vector_store/list", handle: vectorStoreList},
	{method: http.MethodGet, pattern: "/v1/vector_store/list", handle: vectorStoreList},
	{method: http.MethodPost, pattern: "/guardrails", body: true, handle: guardrailCreate},
	{method: http.MethodGet, pattern: "/v2/guardrails/list", handle: guardrailList},
	{method: http.MethodGet, pattern: "/guardrails/{guardrail_id}/info", handle: guardrailInfo},
	{method: http.MethodGet, pattern: "/guardrails/{guardrail_id}", handle: guardrailInfo},
	{method: http.MethodPut, pattern: "/guardrails/{guardrail_id}", body: true, handle: guardrailUpdate},
	{method: http.MethodDelete, pattern: "/guardrails/{guardrail_id}", handle: guardrailDelete},
	{method: http.MethodGet, pattern: "/prompts/list", handle: promptList},
	{method: http.MethodPost, pattern: "/prompts", body: true, handle: promptCreate},
	{method: http.MethodGet, pattern: "/prompts/{prompt_id}/info", handle: promptGet},
	{method: http.MethodGet, pattern: "/prompts/{prompt_id}", handle: promptGet},
	{method: http.MethodPut, pattern: "/prompts/{prompt_id}", body: true, handle: promptUpdate},
	{method: http.MethodDelete, pattern: "/prompts/{prompt_id}", handle: promptDelete},
}

// matchPath matches a percent-decoded path against a pattern, like
// Starlette's router (which matches the decoded path: "%2F" is a "/").
func matchPath(pattern, path string) ([]string, bool) {
	ps := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	rest := strings.TrimPrefix(path, "/")
	if !strings.HasPrefix(path, "/") {
		return nil, false
	}
	var params []string
	for i, p := range ps {
		if strings.HasSuffix(p, ":path}") && strings.HasPrefix(p, "{") {
			params = append(params, rest)
			return params, true
		}
		seg, tail, more := strings.Cut(rest, "/")
		last := i == len(ps)-1
		if last == more { // a segment too many or too few
			return nil, false
		}
		if strings.HasPrefix(p, "{") {
			if seg == "" {
				return nil, false
			}
			params = append(params, seg)
		} else if p != seg {
			return nil, false
		}
		rest = tail
	}
	return params, true
}

// ServeHTTP answers one request: injected faults, then routing (404/405),
// JSON decoding (422), authentication (401), the answering worker and the
// endpoint.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := r.Method + " " + r.URL.Path
	e.mu.Lock()
	e.stats[op]++
	f := e.pickFault(op, r.Method, r.URL.Path)
	e.mu.Unlock()

	if f.latency > 0 {
		t := time.NewTimer(f.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch f.kind {
	case faultHang:
		// Read the body first: only then does net/http notice the client
		// going away (and end r.Context()).
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
		return
	case faultGateway:
		page := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
		if f.echo {
			body, _ := io.ReadAll(r.Body)
			page += "<p>upstream request: " + html.EscapeString(string(body)) + "</p>\r\n"
		}
		page += "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, page)
		e.logf("emulator: %s %s -> 502 (gateway fault)", r.Method, r.URL.Path)
		return
	case fault503:
		e.send(w, r, reply(http.StatusServiceUnavailable, proxyError("Service Unavailable", "internal_server_error", "None", 503)), "fault")
		return
	case fault429:
		resp := reply(http.StatusTooManyRequests, proxyError("Rate limit exceeded. Retry after "+strconv.Itoa(f.retryAfter)+" seconds.", "throttling_error", "None", 429))
		resp.header = http.Header{"Retry-After": {strconv.Itoa(f.retryAfter)}}
		e.send(w, r, resp, "fault")
		return
	}
	resp, wk := e.handle(r, f.kind == faultSavedNotLive)
	if f.kind == faultDrop {
		// The request was handled (and any write committed); the answer never arrives.
		e.logf("emulator: %s %s -> %d, connection dropped (worker %d)", r.Method, r.URL.Path, resp.status, wk)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f.answerDelay > 0 {
		t := time.NewTimer(f.answerDelay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	note := "no worker"
	if wk >= 0 {
		note = "worker " + strconv.Itoa(wk)
	}
	e.send(w, r, resp, note)
}

func (e *Emulator) send(w http.ResponseWriter, r *http.Request, resp response, note string) {
	for k, vs := range resp.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	if resp.body == nil && (resp.status == http.StatusNoContent || resp.status == http.StatusAccepted) {
		// FastAPI's Response(status_code=202|204): no body at all.
		e.logf("emulator: %s %s -> %d (%s)", r.Method, r.URL.Path, resp.status, note)
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // Python's json.dumps does not escape <, > and &
	_ = enc.Encode(resp.body)
	e.logf("emulator: %s %s -> %d (%s)", r.Method, r.URL.Path, resp.status, note)
}

func (e *Emulator) logf(format string, args ...any) {
	if e.opts.Logf != nil {
		e.opts.Logf(format, args...)
	}
}

// handle routes, decodes, authenticates and runs the endpoint on the
// answering worker. It returns the answer and the worker's index (-1: none).
func (e *Emulator) handle(r *http.Request, savedNotLive bool) (response, int) {
	var rt *route
	var params []string
	var allow []string
	for i := range routes {
		p, ok := matchPath(routes[i].pattern, r.URL.Path)
		if !ok {
			continue
		}
		if routes[i].method == r.Method {
			rt, params = &routes[i], p
			break
		}
		if !slices.Contains(allow, routes[i].method) {
			allow = append(allow, routes[i].method)
		}
	}
	if rt == nil {
		if len(allow) > 0 {
			resp := reply(http.StatusMethodNotAllowed, map[string]any{"detail": "Method Not Allowed"})
			resp.header = http.Header{"Allow": {strings.Join(allow, ", ")}}
			return resp, -1
		}
		return reply(http.StatusNotFound, map[string]any{"detail": "Not Found"}), -1
	}
	rq := &request{method: r.Method, params: params, query: r.URL.Query(), savedNotLive: savedNotLive}
	if rt.body {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 16<<20))
		if len(bytes.TrimSpace(raw)) > 0 {
			body, err := decodeJSON(raw)
			if err != nil {
				return unprocessable(verr{typ: "json_invalid", loc: []any{"body", 0}, msg: "JSON decode error", input: map[string]any{},
					ctx: map[string]any{"error": "Expecting value"}}), -1
			}
			rq.body, rq.hasBody = body, true
		}
	}
	if rt.public {
		return rt.handle(e, nil, rq), -1
	}
	if resp, ok := e.authenticate(r); !ok {
		return resp, -1
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	wk := e.pickWorker(r.Context())
	return rt.handle(e, wk, rq), wk.index
}

func decodeJSON(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, io.ErrUnexpectedEOF // trailing data
	}
	return v, nil
}

func liveliness(*Emulator, *worker, *request) response { return reply(http.StatusOK, "I'm alive!") }

// authenticate checks the master key as LiteLLM's user_api_key_auth does
// (litellm/proxy/auth/user_api_key_auth.py; the header names of
// get_api_key_from_request / _get_bearer_token).
func (e *Emulator) authenticate(r *http.Request) (response, bool) {
	key := ""
	if h := r.Header.Get("Authorization"); h != "" {
		if !strings.HasPrefix(h, "Bearer ") {
			return reply(http.StatusUnauthorized, proxyError("Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix. Passed in: "+abbreviate(h), "auth_error", "None", 401)), false
		}
		key = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	} else {
		for _, name := range []string{"x-litellm-api-key", "x-api-key", "API-Key"} {
			if v := r.Header.Get(name); v != "" {
				key = strings.TrimSpace(v)
				break
			}
		}
	}
	if key == "" {
		return reply(http.StatusUnauthorized, proxyError("Authentication Error, No api key passed in.", "auth_error", "None", 401)), false
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(e.opts.MasterKey)) != 1 {
		if !e.legacy { // as measured on 1.108.7
			return reply(http.StatusUnauthorized, proxyError("Authentication Error, Invalid API key provided.", "token_not_found_in_db", "key", 401)), false
		}
		sum := sha256.Sum256([]byte(key))
		msg := "Authentication Error, Invalid proxy server token passed. Received API Key = " + abbreviate(key) +
			", Key Hash (Token) =" + hex.EncodeToString(sum[:]) + ". Unable to find token in cache or `LiteLLM_VerificationTokenTable`"
		return reply(http.StatusUnauthorized, proxyError(msg, "token_not_found_in_db", "key", 401)), false
	}
	return response{}, true
}

// abbreviate is LiteLLM's abbreviate_api_key ("sk-...wxyz"); short values are hidden entirely.
func abbreviate(key string) string {
	if len(key) <= 8 {
		return "sk-..."
	}
	return "sk-..." + key[len(key)-4:]
}

// ---- faults ----

type faultKind int

const (
	faultNone faultKind = iota
	fault503
	fault429
	faultDrop
	faultSavedNotLive
	faultGateway
	faultHang
)

type fault struct {
	kind        faultKind
	retryAfter  int
	latency     time.Duration
	answerDelay time.Duration
	echo        bool // Faults.GatewayEcho
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// modelWrite: the two endpoints raise_if_reload_degraded_serving guards that the emulator serves.
func modelWrite(method, path string) bool {
	if method == http.MethodPost && path == "/model/new" {
		return true
	}
	_, ok := matchPath("/model/{model_id}/update", path)
	if ok && method == http.MethodPatch {
		return true
	}
	// The legacy access group writes (_raise_http_if_reload_degraded_serving, model_access_groups.go).
	_, upd := matchPath("/access_group/{access_group}/update", path)
	_, del := matchPath("/access_group/{access_group}/delete", path)
	return (method == http.MethodPost && path == "/access_group/new") || (upd && method == http.MethodPut) || (del && method == http.MethodDelete)
}

// pickFault decides the fault for one request (e.mu held).
func (e *Emulator) pickFault(op, method, path string) fault {
	f := &e.faults
	if len(f.Paths) > 0 && !slices.Contains(f.Paths, op) {
		return fault{}
	}
	secs := int((f.RetryAfter + time.Second - 1) / time.Second)
	out := fault{latency: f.Latency, answerDelay: f.AnswerDelay, retryAfter: max(1, secs), echo: f.GatewayEcho}
	write := isWrite(method)
	saved := modelWrite(method, path)
	switch {
	case f.Hang:
		out.kind = faultHang
	case f.GatewayNext > 0:
		f.GatewayNext--
		out.kind = faultGateway
	case f.FailNext > 0:
		f.FailNext--
		out.kind = fault503
	case f.ThrottleNext > 0:
		f.ThrottleNext--
		out.kind = fault429
	case write && f.DropNext > 0:
		f.DropNext--
		out.kind = faultDrop
	case saved && f.SavedNotLiveNext > 0:
		f.SavedNotLiveNext--
		out.kind = faultSavedNotLive
	case f.GatewayRate > 0 && e.rng.Float64() < f.GatewayRate:
		out.kind = faultGateway
	case f.ErrorRate > 0 && e.rng.Float64() < f.ErrorRate:
		out.kind = fault503
	case f.ThrottleRate > 0 && e.rng.Float64() < f.ThrottleRate:
		out.kind = fault429
	case write && f.DropAfterCommitRate > 0 && e.rng.Float64() < f.DropAfterCommitRate:
		out.kind = faultDrop
	case saved && f.SavedNotLiveRate > 0 && e.rng.Float64() < f.SavedNotLiveRate:
		out.kind = faultSavedNotLive
	}
	return out
}

// ---- error shapes (litellm/proxy/_types.py ProxyException; FastAPI) ----

// proxyError is the body of LiteLLM's ProxyException: {"error": {message, type, param, code}}, code the status as a string.
func proxyError(msg, typ string, param any, code int) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": param, "code": strconv.Itoa(code)}}
}

// detailError is a FastAPI HTTPException whose detail is {"error": msg}, raised outside a ProxyException wrapper.
func detailError(msg string) map[string]any {
	return map[string]any{"detail": map[string]any{"error": msg}}
}

// verr is one pydantic validation error, as FastAPI reports it in a 422 {"detail": [...]}.
type verr struct {
	typ   string
	loc   []any
	msg   string
	input any
	ctx   map[string]any
}

func unprocessable(errs ...verr) response {
	var detail []any
	for _, v := range errs {
		d := map[string]any{"type": v.typ, "loc": v.loc, "msg": v.msg, "input": v.input}
		if v.ctx != nil {
			d["ctx"] = v.ctx
		}
		detail = append(detail, d)
	}
	return reply(http.StatusUnprocessableEntity, map[string]any{"detail": detail})
}

// ---- body validation (pydantic, as FastAPI reports it) ----

func loc(parts ...any) []any { return append([]any{"body"}, parts...) }

// bodyObject returns the body as an object, or the 422 FastAPI gives when it is
// missing or not an object.
func bodyObject(rq *request) (map[string]any, *response) {
	if !rq.hasBody {
		r := unprocessable(verr{typ: "missing", loc: []any{"body"}, msg: "Field required", input: nil})
		return nil, &r
	}
	m, ok := rq.body.(map[string]any)
	if !ok {
		r := unprocessable(verr{typ: "model_attributes_type", loc: []any{"body"}, msg: "Input should be a valid dictionary or object to extract fields from", input: rq.body})
		return nil, &r
	}
	return m, nil
}

// fieldCheck validates one field of obj; kind is "str", "dict" or "bool".
func fieldCheck(errs *[]verr, obj map[string]any, name, kind string, required bool, at ...any) {
	v, present := obj[name]
	l := append(loc(at...), name)
	if !present {
		if required {
			*errs = append(*errs, verr{typ: "missing", loc: l, msg: "Field required", input: obj})
		}
		return
	}
	if v == nil && !required {
		return
	}
	switch kind {
	case "str":
		if _, ok := v.(string); !ok {
			*errs = append(*errs, verr{typ: "string_type", loc: l, msg: "Input should be a valid string", input: v})
		}
	case "dict":
		if _, ok := v.(map[string]any); !ok {
			*errs = append(*errs, verr{typ: "dict_type", loc: l, msg: "Input should be a valid dictionary", input: v})
		}
	case "bool":
		if _, ok := v.(bool); !ok {
			*errs = append(*errs, verr{typ: "bool_type", loc: l, msg: "Input should be a valid boolean", input: v})
		}
	}
}

// ---- helpers ----

func cloneModel(m *Model) Model {
	return Model{ID: m.ID, ModelName: m.ModelName, LitellmParams: cloneMap(m.LitellmParams), ModelInfo: cloneMap(m.ModelInfo),
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func cloneCredential(c *Credential) Credential {
	return Credential{Name: c.Name, Values: cloneMap(c.Values), Info: cloneMap(c.Info), DisplayName: c.DisplayName}
}

// cloneMap deep-copies a decoded JSON object (nil becomes empty).
func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return cloneMap(x)
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = cloneValue(y)
		}
		return out
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// timestamp is a row's datetime in a write answer. Newest, as measured on
// 1.108.7: millisecond precision (Postgres via Prisma), "Z". Legacy: FastAPI's
// isoformat of a UTC datetime, microseconds and "+00:00".
func (e *Emulator) timestamp(t time.Time) string {
	if !e.legacy {
		return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000000Z")
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000") + "+00:00"
}
