package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const key = "sk-test-emulator-key-0123456789"

// clock is a settable time source for the worker reload ticks and the replica lag.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type client struct {
	t   *testing.T
	url string
	hc  *http.Client // nil: http.DefaultClient
}

// conn is a client with a transport of its own, so that its requests share one
// TCP connection that no other client uses (a worker, with RoutePerConnection).
func (c client) conn() client {
	tr := &http.Transport{}
	c.t.Cleanup(tr.CloseIdleConnections)
	c.hc = &http.Client{Transport: tr}
	return c
}

// start serves an emulator on a fake clock, with the emulator's ConnContext
// installed as NewServer does.
func start(t *testing.T, o Options) (*Emulator, client, *clock) {
	t.Helper()
	if o.MasterKey == "" {
		o.MasterKey = key
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	clk := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	e := newEmulator(o, clk.now)
	ts := httptest.NewUnstartedServer(e)
	ts.Config.ConnContext = e.ConnContext
	ts.Start()
	t.Cleanup(ts.Close)
	return e, client{t: t, url: ts.URL}, clk
}

type answer struct {
	code   int
	body   map[string]any
	header http.Header
	raw    string
}

// do sends a request; body is JSON-encoded unless it is a string. headers are
// name/value pairs; an empty value removes the header.
func (c client) do(method, path string, body any, headers ...string) answer {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = strings.NewReader(string(raw))
	}
	req, _ := http.NewRequest(method, c.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	hc := c.hc
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return answer{resp.StatusCode, out, resp.Header, string(raw)}
}

func (a answer) errMessage() string {
	if e, ok := a.body["error"].(map[string]any); ok {
		s, _ := e["message"].(string)
		return s
	}
	return ""
}

func (a answer) data() []any {
	d, _ := a.body["data"].([]any)
	return d
}

func obj(v any, path ...string) map[string]any {
	m, _ := v.(map[string]any)
	for _, p := range path {
		m, _ = m[p].(map[string]any)
	}
	return m
}

func newModel(id string) map[string]any {
	return map[string]any{
		"model_name": "gpt",
		"litellm_params": map[string]any{
			"model": "openai/gpt-4o", "api_key": "sk-upstream-1234567890", "api_base": "https://a.example",
			"aws_session_token": "tok-abcdefghijkl", "input_cost_per_token": 1e-6, "rpm": 10,
		},
		"model_info": map[string]any{"id": id},
	}
}

func TestLegacyRouterMissesOnOtherWorkersUntilReloadWhileV2FindsIt(t *testing.T) {
	e, c, _ := start(t, Options{Version: VersionLegacy, Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	if a := c.do("POST", "/model/new", newModel("m1")); a.code != 200 { // worker 0
		t.Fatal(a.code, a.raw)
	}
	a := c.do("GET", "/model/info?litellm_model_id=m1", nil) // worker 1: not reloaded yet
	if a.code != 400 || obj(a.body, "detail")["error"] != "Model id = m1 not found on litellm proxy" {
		t.Fatalf("stale worker: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 || len(a.data()) != 1 { // worker 0
		t.Fatalf("creating worker: %d %s", a.code, a.raw)
	}
	a = c.do("GET", "/v2/model/info?modelId=m1", nil) // worker 1: DB fallback
	if a.code != 200 || len(a.data()) != 1 || a.body["total_count"] != 1.0 || a.body["total_pages"] != 1.0 || a.body["size"] != 50.0 {
		t.Fatalf("v2: %d %s", a.code, a.raw)
	}
	a = c.do("GET", "/v2/model/info", nil) // worker 0: router, plus nothing new from the DB
	if a.code != 200 || len(a.data()) != 1 {
		t.Fatalf("v2 list: %s", a.raw)
	}
	e.ReloadAll()
	for range 2 {
		if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 {
			t.Fatal("after ReloadAll every worker serves it")
		}
	}
	a = c.do("GET", "/v2/model/info?modelId=nope", nil)
	if a.code != 200 || len(a.data()) != 0 || a.body["total_count"] != 0.0 || a.body["total_pages"] != 0.0 {
		t.Fatalf("v2 miss: %d %s", a.code, a.raw)
	}
}

func TestV2NewestEmptyRouterShortCircuitsAndListsTheRouterOnly(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	c.do("POST", "/model/new", newModel("m1")) // worker 0
	// Worker 1 holds no deployment at all: /v2 answers empty without the DB,
	// as measured on 1.108 right after a create.
	a := c.do("GET", "/v2/model/info?modelId=m1&page=2&size=7", nil) // worker 1
	want := map[string]any{"data": []any{}, "total_count": 0.0, "current_page": 2.0, "total_pages": 0.0, "size": 7.0}
	if a.code != 200 || !reflect.DeepEqual(a.body, want) {
		t.Fatalf("empty router with modelId: %d %s", a.code, a.raw)
	}
	c.do("GET", "/credentials", nil)       // worker 0
	a = c.do("GET", "/v2/model/info", nil) // worker 1
	if a.code != 200 || len(a.data()) != 0 || a.body["current_page"] != 1.0 || a.body["size"] != 50.0 {
		t.Fatalf("empty router listing: %d %s", a.code, a.raw)
	}
	// With any deployment in its router, a miss falls back to the DB.
	e.ReloadAll()
	c.do("GET", "/credentials", nil)                  // worker 0
	c.do("POST", "/model/new", newModel("m2"))        // worker 1
	c.do("POST", "/model/new", newModel("m3"))        // worker 0
	a = c.do("GET", "/v2/model/info?modelId=m3", nil) // worker 1: m1, m2 in its router, m3 from the DB
	if a.code != 200 || len(a.data()) != 1 || obj(a.data()[0], "model_info")["id"] != "m3" || a.body["total_count"] != 1.0 {
		t.Fatalf("DB fallback: %d %s", a.code, a.raw)
	}
	c.do("GET", "/credentials", nil)       // worker 0
	a = c.do("GET", "/v2/model/info", nil) // worker 1: its router only, no DB union
	if a.code != 200 || len(a.data()) != 2 || a.body["total_count"] != 2.0 {
		t.Fatalf("listing is the router only: %s", a.raw)
	}
	a = c.do("GET", "/v2/model/info?size=1&page=2", nil) // worker 0: m1, m2, m3 (creating m3 reconciled it)
	if len(a.data()) != 1 || obj(a.data()[0], "model_info")["id"] != "m2" || a.body["total_pages"] != 3.0 || a.body["current_page"] != 2.0 {
		t.Fatalf("pagination: %s", a.raw)
	}
}

// wantOffset is LiteLLM's stagger formula (scheduled_job_stagger.py
// offset_seconds), over nanoseconds: sha256(job id, NUL, identity), first 8
// bytes big-endian, modulo min(300 s, interval).
func wantOffset(i int, interval time.Duration) time.Duration {
	sum := sha256.Sum256([]byte("add_deployment_job\x00litellm-emulator:worker-" + strconv.Itoa(i)))
	return time.Duration(binary.BigEndian.Uint64(sum[:8]) % uint64(min(300*time.Second, interval)))
}

func TestReloadPhasesAreHashedPerWorker(t *testing.T) {
	const interval = 10 * time.Second
	e, c, clk := start(t, Options{Workers: 3, ReloadInterval: interval, Routing: RoutePerRequest})
	t0 := clk.now()
	offs := map[time.Duration]bool{}
	for i, w := range e.workers {
		want := t0.Add(wantOffset(i, interval) + interval) // APScheduler: first fire one interval after start
		if !w.nextReload.Equal(want) {
			t.Fatalf("worker %d: first reload at %v, want %v", i, w.nextReload.Sub(t0), want.Sub(t0))
		}
		offs[wantOffset(i, interval)] = true
	}
	if len(offs) != 3 {
		t.Fatalf("offsets must differ between workers: %v", offs)
	}
	if e2 := newEmulator(Options{Workers: 3, ReloadInterval: interval}, clk.now); !e2.workers[2].nextReload.Equal(e.workers[2].nextReload) {
		t.Fatal("offsets are deterministic per worker index")
	}
	// Worker 1 reloads at its own tick, not before.
	c.do("POST", "/model/new", newModel("m1")) // worker 0
	tick1 := e.workers[1].nextReload
	clk.advance(tick1.Sub(clk.now()) - time.Millisecond)
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 400 { // worker 1, just before its tick
		t.Fatalf("worker 1 before its tick: %d", a.code)
	}
	c.do("GET", "/health/liveliness", nil) // public: takes no worker
	c.do("GET", "/credentials", nil)       // worker 2
	c.do("GET", "/credentials", nil)       // worker 0
	clk.advance(time.Millisecond)
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 { // worker 1 at its tick
		t.Fatalf("worker 1 at its tick: %d", a.code)
	}
	if !e.workers[1].nextReload.Equal(tick1.Add(interval)) {
		t.Fatal("the next tick is one interval later")
	}
}

func TestADueReloadSeesTheStoreAsAtItsTick(t *testing.T) {
	// A worker's reload tick that passed while it answered nothing is applied
	// before the next request (to any worker) changes the store: worker 1 must
	// not see a model written after its tick.
	const interval = 10 * time.Second
	e, c, clk := start(t, Options{Workers: 2, ReloadInterval: interval, Routing: RoutePerRequest})
	c.do("POST", "/model/new", newModel("m1"))                          // worker 0
	c.do("GET", "/credentials", nil)                                    // worker 1
	clk.advance(e.workers[1].nextReload.Sub(clk.now()))                 // worker 1's tick
	if a := c.do("POST", "/model/new", newModel("m2")); a.code != 200 { // worker 0, after worker 1's tick
		t.Fatal(a.raw)
	}
	if a := c.do("GET", "/model/info?litellm_model_id=m2", nil); a.code != 400 { // worker 1
		t.Fatalf("worker 1 reloaded at its tick, before m2 existed: %d", a.code)
	}
	c.do("GET", "/credentials", nil)                                             // worker 0
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 { // worker 1
		t.Fatalf("worker 1 has m1 from its tick: %d", a.code)
	}
}

func TestRoutingPerConnection(t *testing.T) {
	_, c, _ := start(t, Options{Workers: 2, ReloadInterval: time.Hour})
	a, b, d := c.conn(), c.conn(), c.conn()
	if r := a.do("POST", "/model/new", newModel("m1")); r.code != 200 { // connection 1: worker 0
		t.Fatal(r.raw)
	}
	for range 3 {
		if r := a.do("GET", "/model/info?litellm_model_id=m1", nil); r.code != 200 {
			t.Fatalf("every request on a connection is answered by its worker: %d", r.code)
		}
	}
	for range 2 {
		if r := b.do("GET", "/model/info?litellm_model_id=m1", nil); r.code != 400 { // connection 2: worker 1
			t.Fatalf("the second connection has the other worker: %d", r.code)
		}
	}
	if r := d.do("GET", "/model/info?litellm_model_id=m1", nil); r.code != 200 { // connection 3: worker 0 again
		t.Fatalf("connections take the workers round-robin: %d", r.code)
	}
}

func TestRoutingWithoutConnContextIsPerRequest(t *testing.T) {
	e := newEmulator(Options{MasterKey: key, Seed: 1, Workers: 2, ReloadInterval: time.Hour}, time.Now)
	ts := httptest.NewServer(e) // no ConnContext: every request takes the next worker
	t.Cleanup(ts.Close)
	c := client{t: t, url: ts.URL}.conn()
	c.do("POST", "/model/new", newModel("m1"))
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 400 {
		t.Fatalf("same connection, next worker: %d", a.code)
	}
}

func TestRoutePerRequestIgnoresConnections(t *testing.T) {
	_, c, _ := start(t, Options{Workers: 2, ReloadInterval: time.Hour, Routing: RoutePerRequest})
	c = c.conn()
	c.do("POST", "/model/new", newModel("m1"))
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 400 {
		t.Fatalf("per request, one connection still alternates workers: %d", a.code)
	}
}

func TestNewServerRoutesPerConnection(t *testing.T) {
	_, ts := NewServer(Options{MasterKey: key, Workers: 2, ReloadInterval: time.Hour})
	t.Cleanup(ts.Close)
	c := client{t: t, url: ts.URL}.conn()
	c.do("POST", "/model/new", newModel("m1"))
	for range 3 {
		if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 {
			t.Fatalf("NewServer installs ConnContext: %d", a.code)
		}
	}
}

func TestReloadOnRealClock(t *testing.T) {
	e := New(Options{MasterKey: key, Workers: 2, ReloadInterval: 60 * time.Millisecond})
	ts := httptest.NewServer(e)
	defer ts.Close()
	c := client{t: t, url: ts.URL}
	c.do("POST", "/model/new", newModel("m1"))
	time.Sleep(200 * time.Millisecond) // each first tick is at most 2 intervals after start
	for range 2 {
		if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 {
			t.Fatal("a worker did not reload on its tick")
		}
	}
}

func TestReplicaLag(t *testing.T) {
	// Worker 0 (even requests) takes the writes; worker 1 (odd requests) holds
	// only m0, so its /v2 reads of m1 come from the lagging replica.
	e, c, clk := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour, ReplicaLag: 300 * time.Millisecond})
	c.do("POST", "/model/new", newModel("m0"))
	clk.advance(time.Second)
	e.ReloadAll()
	c.do("GET", "/credentials", nil)
	c.do("POST", "/model/new", newModel("m1")) // t=0
	if a := c.do("GET", "/v2/model/info?modelId=m1", nil); a.code != 200 || len(a.data()) != 0 {
		t.Fatalf("the lagging replica must not show a fresh row: %s", a.raw)
	}
	clk.advance(300 * time.Millisecond)
	c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"rpm": 20}}) // t=300ms
	a := c.do("GET", "/v2/model/info?modelId=m1", nil)
	if len(a.data()) != 1 || obj(a.data()[0], "litellm_params")["rpm"] != 10.0 {
		t.Fatalf("after the lag the row shows, in the version before the update: %s", a.raw)
	}
	clk.advance(300 * time.Millisecond)
	c.do("POST", "/model/delete", map[string]any{"id": "m1"}) // t=600ms
	a = c.do("GET", "/v2/model/info?modelId=m1", nil)
	if len(a.data()) != 1 || obj(a.data()[0], "litellm_params")["rpm"] != 20.0 {
		t.Fatalf("during the delete's lag the replica shows the updated row: %s", a.raw)
	}
	clk.advance(300 * time.Millisecond)
	c.do("GET", "/credentials", nil)
	if a := c.do("GET", "/v2/model/info?modelId=m1", nil); len(a.data()) != 0 {
		t.Fatalf("after the lag the delete shows: %s", a.raw)
	}
}

func TestV2RouterOnly(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour, V2RouterOnly: true})
	c.do("POST", "/model/new", newModel("m0"))
	e.ReloadAll()
	c.do("GET", "/credentials", nil)
	c.do("POST", "/model/new", newModel("m1"))
	if a := c.do("GET", "/v2/model/info?modelId=m1", nil); a.code != 200 || len(a.data()) != 0 {
		t.Fatal("router-only v2 must miss on a stale worker")
	}
	if a := c.do("GET", "/v2/model/info?modelId=m1", nil); len(a.data()) != 1 {
		t.Fatal("router-only v2 must hit on the creating worker")
	}
}

func TestLegacyWritesAnswerV3EncryptedRows(t *testing.T) {
	e, c, _ := start(t, Options{Version: VersionLegacy})
	a := c.do("POST", "/model/new", newModel("m1"))
	if a.code != 200 || a.body["model_id"] != "m1" || a.body["created_by"] != "default_user_id" || a.body["blocked"] != false {
		t.Fatalf("create: %s", a.raw)
	}
	p1 := obj(a.body, "litellm_params")
	for k, v := range p1 {
		if s, ok := v.(string); ok && !strings.HasPrefix(s, "v3:gcm:") {
			t.Fatalf("write answer leaks %s=%q", k, s)
		}
	}
	if p1["rpm"] != 10.0 || p1["input_cost_per_token"] != 1e-6 {
		t.Fatalf("non-strings are stored as sent: %v", p1)
	}
	a = c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"rpm": 5}})
	p2 := obj(a.body, "litellm_params")
	if p2["model"] == p1["model"] || p2["api_key"] == p1["api_key"] || !strings.HasPrefix(p2["model"].(string), "v3:gcm:") {
		t.Fatal("ciphertext must change with every write (fresh nonce)")
	}
	if m := e.Models()[0]; m.LitellmParams["api_key"] != "sk-upstream-1234567890" || m.LitellmParams["rpm"] != 5.0 {
		t.Fatalf("the store keeps plaintext: %v", m.LitellmParams)
	}
	// Generated ids are uuid4.
	a = c.do("POST", "/model/new", map[string]any{"model_name": "x", "litellm_params": map[string]any{"model": "openai/gpt-4o-mini"}})
	if id, _ := a.body["model_id"].(string); len(id) != 36 || id[14] != '4' || obj(a.body, "model_info")["id"] != id {
		t.Fatalf("generated id: %s", a.raw)
	}
}

// newestCipher: bare URL-safe base64 (padded) of nonce (24) + ciphertext + tag (16), as measured on 1.108.
func newestCipher(t *testing.T, v any, plain string) {
	t.Helper()
	s, _ := v.(string)
	raw, err := base64.URLEncoding.DecodeString(s)
	if err != nil || strings.HasPrefix(s, "v3:") || len(raw) != len(plain)+40 {
		t.Fatalf("%q is not the ciphertext of %q (%v)", s, plain, err)
	}
}

func TestNewestWriteAnswersAsMeasuredOn1108(t *testing.T) {
	e, c, _ := start(t, Options{})
	a := c.do("POST", "/model/new", newModel("m1"))
	if a.code != 200 || a.body["model_id"] != "m1" || a.body["created_by"] != "default_user_id" || a.body["blocked"] != false {
		t.Fatalf("create: %s", a.raw)
	}
	p1, i1 := obj(a.body, "litellm_params"), obj(a.body, "model_info")
	newestCipher(t, p1["model"], "openai/gpt-4o")
	newestCipher(t, p1["api_key"], "sk-upstream-1234567890")
	for _, k := range []string{"use_xai_oauth", "use_litellm_proxy", "use_in_pass_through", "allow_client_keepalive_override", "merge_reasoning_content_in_choices"} {
		if v, ok := p1[k]; !ok || v != false {
			t.Fatalf("server-injected %s: %v", k, p1)
		}
	}
	if p1["rpm"] != 10.0 || i1["id"] != "m1" || i1["db_model"] != false || i1["member_auto_router"] != false {
		t.Fatalf("create answer: %s", a.raw)
	}
	if ts, _ := a.body["created_at"].(string); !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}000Z$`).MatchString(ts) {
		t.Fatalf("created_at %q", ts)
	}
	a = c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"model": "openai/gpt-4o", "rpm": 5}, "model_info": map[string]any{"tier": "x"}})
	p2, i2 := obj(a.body, "litellm_params"), obj(a.body, "model_info")
	if a.code != 200 || a.body["model_id"] != "m1" || p2["rpm"] != 5.0 || i2["tier"] != "x" || i2["db_model"] != false {
		t.Fatalf("patch: %s", a.raw)
	}
	if id, _ := i2["id"].(string); id == "m1" || len(id) != 36 || id[14] != '4' {
		t.Fatalf("a PATCH carrying model_info answers a fresh default id in model_info: %v", i2["id"])
	}
	if p2["model"] == p1["model"] || p2["api_key"] != p1["api_key"] || p2["api_base"] != p1["api_base"] {
		t.Fatal("patched keys are encrypted afresh, the others keep the stored ciphertext")
	}
	a = c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"rpm": 6}})
	if obj(a.body, "model_info")["id"] != i2["id"] {
		t.Fatal("without model_info the row's model_info is left as it was")
	}
	if m := e.Models()[0]; m.ID != "m1" || m.ModelInfo["id"] != "m1" || m.LitellmParams["api_key"] != "sk-upstream-1234567890" {
		t.Fatalf("the store keeps the real id and plaintext: %+v", m)
	}
	if r := c.do("GET", "/v2/model/info?modelId=m1", nil); obj(r.data()[0], "model_info")["id"] != "m1" {
		t.Fatalf("reads keep the real id: %s", r.raw)
	}
	// model_info.id other than the path is not refused by the newest PATCH: the
	// row's model_info takes it, the model_id column (and every read) does not.
	a = c.do("PATCH", "/model/m1/update", map[string]any{"model_info": map[string]any{"id": "other"}})
	if a.code != 200 || a.body["model_id"] != "m1" || obj(a.body, "model_info")["id"] != "other" {
		t.Fatalf("model_info.id in the body: %d %s", a.code, a.raw)
	}
	if r := c.do("GET", "/model/info?litellm_model_id=m1", nil); obj(r.data()[0], "model_info")["id"] != "m1" {
		t.Fatalf("reads keep the real id: %s", r.raw)
	}
}

func TestReadsMaskPopResolveAndEnrich(t *testing.T) {
	for _, v := range []string{VersionNewest, VersionLegacy} {
		t.Run(v, func(t *testing.T) { testReads(t, v) })
	}
}

func testReads(t *testing.T, version string) {
	t.Setenv("EMULATOR_TEST_BASE", "https://env.example")
	_, c, _ := start(t, Options{Version: version})
	c.do("POST", "/credentials", map[string]any{"credential_name": "cred", "credential_values": map[string]any{"api_key": "x"}, "credential_info": map[string]any{}})
	m := map[string]any{
		"model_name": "gpt",
		"litellm_params": map[string]any{
			"model": "openai/gpt-4o", "api_key": "sk-upstream-1234567890", "client_secret": "cs-123456789",
			"aws_secret_access_key": "secret-1234567890", "vertex_credentials": "{}", "aws_access_key_id": "AKIA1234567890",
			"aws_session_token": "tok-abcdefghijkl", "azure_ad_token": "short", "api_base": "os.environ/EMULATOR_TEST_BASE",
			"api_version": "2024-01-01", "aws_role_name": "role", "input_cost_per_token": 1e-6, "litellm_credential_name": "cred",
			"rpm": 7, "extra_headers": map[string]any{"x-api-key": "hdr-secret-value", "x-trace": "on"},
			"auth_flag": true,
		},
		"model_info": map[string]any{"id": "m1", "mode": "completion", "custom": "kept"},
	}
	if a := c.do("POST", "/model/new", m); a.code != 200 {
		t.Fatal(a.raw)
	}
	for _, path := range []string{"/model/info?litellm_model_id=m1", "/v1/model/info?litellm_model_id=m1", "/v2/model/info?modelId=m1", "/model/info"} {
		a := c.do("GET", path, nil)
		if a.code != 200 || len(a.data()) != 1 {
			t.Fatalf("%s: %d %s", path, a.code, a.raw)
		}
		d := obj(a.data()[0])
		lp, mi := obj(d, "litellm_params"), obj(d, "model_info")
		for _, k := range []string{"api_key", "client_secret", "aws_secret_access_key", "vertex_credentials", "aws_access_key_id"} {
			if _, ok := lp[k]; ok {
				t.Fatalf("%s: %s must be popped", path, k)
			}
		}
		want := map[string]any{
			"aws_session_token": "tok-********ijkl", "azure_ad_token": "*****", "api_base": "https://env.example",
			"api_version": "2024-01-01", "aws_role_name": "role", "input_cost_per_token": 1e-6, "litellm_credential_name": "cred",
			"rpm": 7.0, "model": "openai/gpt-4o", "merge_reasoning_content_in_choices": false, "auth_flag": "****",
		}
		for k, v := range want {
			if lp[k] != v {
				t.Fatalf("%s: %s = %v, want %v", path, k, lp[k], v)
			}
		}
		if h := obj(lp, "extra_headers"); h["x-api-key"] != "hdr-********alue" || h["x-trace"] != "on" {
			t.Fatalf("%s: nested objects are masked key by key: %v", path, h)
		}
		if mi["id"] != "m1" || mi["db_model"] != true || mi["blocked"] != false ||
			mi["mode"] != "completion" || mi["custom"] != "kept" || mi["max_input_tokens"] != 128000.0 || mi["input_cost_per_token"] != 2.5e-06 {
			t.Fatalf("%s: model_info enrichment fills only unset keys: %v", path, mi)
		}
		v2 := strings.HasPrefix(path, "/v2/")
		if _, ok := mi["direct_access"]; ok != (version == VersionLegacy || !v2) || (ok && mi["direct_access"] != true) {
			t.Fatalf("%s: direct_access (newest: /model/info only, as measured): %v", path, mi)
		}
		if version == VersionLegacy {
			for _, k := range []string{"use_xai_oauth", "member_auto_router", "pricing_overrides", "input_cost_per_token_flex"} {
				if _, ok := lp[k]; ok {
					t.Fatalf("%s: legacy has no %s", path, k)
				}
				if _, ok := mi[k]; ok {
					t.Fatalf("%s: legacy has no %s", path, k)
				}
			}
			continue
		}
		for _, k := range []string{"use_xai_oauth", "use_litellm_proxy", "use_in_pass_through", "allow_client_keepalive_override"} {
			if v, ok := lp[k]; !ok || v != false {
				t.Fatalf("%s: server-injected %s: %v", path, k, lp)
			}
		}
		if mi["member_auto_router"] != false || !reflect.DeepEqual(mi["pricing_overrides"], []any{}) {
			t.Fatalf("%s: newest model_info additions: %v", path, mi)
		}
		for _, k := range []string{"input_cost_per_token_flex", "supports_audio_input"} {
			if v, ok := mi[k]; !ok || v != nil {
				t.Fatalf("%s: cost-map key %s must be present and null: %v", path, k, mi)
			}
		}
	}
}

func TestPatchMergeNullsAndCredentialWipe(t *testing.T) {
	for _, v := range []string{VersionNewest, VersionLegacy} {
		t.Run(v, func(t *testing.T) { testPatch(t, v) })
	}
}

func testPatch(t *testing.T, version string) {
	legacy := version == VersionLegacy
	e, c, _ := start(t, Options{Version: version})
	model := newModel("m1")
	obj(model, "model_info")["input_cost_per_token"] = 1e-6
	obj(model, "litellm_params")["cache_control_injection_points"] = []any{map[string]any{"location": "message"}}
	c.do("POST", "/model/new", model)
	a := c.do("PATCH", "/model/m1/update", map[string]any{
		"model_name":     "gpt-renamed",
		"litellm_params": map[string]any{"input_cost_per_token": nil, "api_version": "v1", "aws_session_token": nil, "cache_control_injection_points": nil},
		"model_info":     map[string]any{"tier": "paid", "mode": nil},
	})
	if a.code != 200 {
		t.Fatal(a.raw)
	}
	m := e.Models()[0]
	if _, ok := m.LitellmParams["input_cost_per_token"]; ok {
		t.Fatal("null must clear a pricing field")
	}
	if _, ok := m.ModelInfo["input_cost_per_token"]; ok {
		t.Fatal("a cleared price goes from model_info too")
	}
	if _, ok := m.LitellmParams["cache_control_injection_points"]; ok {
		t.Fatal("null clears cache_control_injection_points")
	}
	if m.LitellmParams["aws_session_token"] != "tok-abcdefghijkl" || m.LitellmParams["api_version"] != "v1" || m.LitellmParams["api_key"] != "sk-upstream-1234567890" {
		t.Fatalf("null must not clear other keys; merge keeps the rest: %v", m.LitellmParams)
	}
	if m.ModelName != "gpt-renamed" || m.ModelInfo["tier"] != "paid" || m.ModelInfo["id"] != "m1" {
		t.Fatalf("merge: %+v", m)
	}

	// Same api_base: no wipe. New api_base without a credential: wipe (legacy
	// only; the newest update_db_model has no such step).
	c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"api_base": "https://a.example"}})
	if _, ok := e.Models()[0].LitellmParams["api_key"]; !ok {
		t.Fatal("an unchanged destination keeps the credentials")
	}
	c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"api_base": "https://b.example"}})
	m = e.Models()[0]
	for _, k := range []string{"api_key", "aws_session_token"} {
		if _, ok := m.LitellmParams[k]; ok == legacy {
			t.Fatalf("%s: a destination change without credentials (wipe %v) %s: %v", version, legacy, k, m.LitellmParams)
		}
	}
	c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"custom_llm_provider": "azure", "api_key": "sk-new-0000000000"}})
	if e.Models()[0].LitellmParams["api_key"] != "sk-new-0000000000" {
		t.Fatal("a credential sent with the change stays")
	}

	// Errors.
	a = c.do("PATCH", "/model/nope/update", map[string]any{})
	if a.code != 404 || obj(a.body, "error")["type"] != "not_found_error" || a.errMessage() != "Model nope not found on proxy." ||
		obj(a.body, "error")["param"] != nil || obj(a.body, "error")["code"] != "404" {
		t.Fatalf("patch miss: %d %s", a.code, a.raw)
	}
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"model_info": map[string]any{"id": "other"}}); (a.code == 400) != legacy {
		t.Fatalf("%s: model_info.id change: %d", version, a.code)
	}
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"model_info": map[string]any{"id": 7}}); a.code != 422 {
		t.Fatalf("model_info.id must be a string: %d", a.code)
	}
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"model_info": map[string]any{"id": "m1"}}); a.code != 200 {
		t.Fatalf("model_info.id equal to the path: %d", a.code)
	}
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"litellm_credential_name": "missing"}}); a.code != 400 ||
		!strings.Contains(a.errMessage(), "Credential 'missing' not found") {
		t.Fatalf("unknown credential: %d %s", a.code, a.raw)
	}
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"litellm_credential_name": ""}}); a.code != 400 {
		t.Fatalf("empty credential name: %d", a.code)
	}
	c.do("POST", "/credentials", map[string]any{"credential_name": "real", "credential_values": map[string]any{"api_key": "k"}, "credential_info": map[string]any{}})
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"litellm_credential_name": "real"}}); a.code != 200 {
		t.Fatalf("existing credential: %d %s", a.code, a.raw)
	}
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"litellm_credential_name": nil}}); a.code != 200 {
		t.Fatal(a.raw)
	}
	if _, ok := e.Models()[0].LitellmParams["litellm_credential_name"]; ok {
		t.Fatal("null detaches the credential")
	}
	if a := c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": "x"}); a.code != 422 {
		t.Fatalf("litellm_params must be an object: %d", a.code)
	}
}

func TestPatchRebuildsOnlyTheAnsweringWorker(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	c.do("POST", "/model/new", newModel("m1")) // worker 0
	e.ReloadAll()
	c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"rpm": 99}})                   // worker 1
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); obj(a.data()[0], "litellm_params")["rpm"] != 10.0 { // worker 0
		t.Fatalf("worker 0 serves the old version until its reload: %s", a.raw)
	}
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); obj(a.data()[0], "litellm_params")["rpm"] != 99.0 { // worker 1
		t.Fatalf("worker 1 serves the new version: %s", a.raw)
	}
}

func TestCreateDuplicateIDNewestIs500AsMeasured(t *testing.T) {
	e, c, _ := start(t, Options{PubSub: true})
	c.do("POST", "/model/new", newModel("m1"))
	e.workers[0].syncAt = time.Time{}
	dup := newModel("m1")
	obj(dup, "litellm_params")["rpm"] = 99
	a := c.do("POST", "/model/new", dup)
	var want map[string]any
	_ = json.Unmarshal([]byte(`{"error":{"message":"{'error': 'Failed to add model to db. Check your server logs for more details.'}","type":"auth_error","param":"None","code":"500"}}`), &want)
	if a.code != 500 || !reflect.DeepEqual(a.body, want) {
		t.Fatalf("duplicate id: %d %s", a.code, a.raw)
	}
	if ms := e.Models(); len(ms) != 1 || ms[0].LitellmParams["rpm"] != 10.0 || !e.workers[0].syncAt.IsZero() {
		t.Fatalf("nothing stored, nothing published: %+v", ms)
	}
}

func TestCreateConflictAndValidation(t *testing.T) {
	_, c, _ := start(t, Options{Version: VersionLegacy})
	c.do("POST", "/model/new", newModel("m1"))
	a := c.do("POST", "/model/new", newModel("m1"))
	if a.code != 400 || a.errMessage() != "model_info.id=m1 already belongs to an existing deployment; omit model_info.id to auto-generate one." {
		t.Fatalf("legacy conflict: %d %s", a.code, a.raw)
	}
	for _, tc := range []struct {
		body any
		loc  string
	}{
		{map[string]any{"litellm_params": map[string]any{"model": "x"}}, `["body","model_name"]`},
		{map[string]any{"model_name": "x", "litellm_params": map[string]any{}}, `["body","litellm_params","model"]`},
		{map[string]any{"model_name": "x"}, `["body","litellm_params"]`},
		{map[string]any{"model_name": 3, "litellm_params": map[string]any{"model": "x"}}, `["body","model_name"]`},
		{`{"model_name": "x", `, `["body",0]`},
		{`[1]`, `["body"]`},
		{nil, `["body"]`},
	} {
		a := c.do("POST", "/model/new", tc.body)
		d, _ := a.body["detail"].([]any)
		if a.code != 422 || len(d) == 0 {
			t.Fatalf("%v: %d %s", tc.body, a.code, a.raw)
		}
		if l, _ := json.Marshal(obj(d[0])["loc"]); string(l) != tc.loc {
			t.Fatalf("%v: loc %s, want %s", tc.body, l, tc.loc)
		}
	}
}

func TestDelete(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	c.do("POST", "/model/new", newModel("m1")) // worker 0
	e.ReloadAll()
	if a := c.do("POST", "/model/delete", map[string]any{"id": "m1"}); a.code != 200 || a.body["message"] != "Model: m1 deleted successfully" { // worker 1
		t.Fatalf("delete: %d %s", a.code, a.raw)
	}
	if len(e.Models()) != 0 {
		t.Fatal("store not empty")
	}
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 { // worker 0 still serves it
		t.Fatalf("other worker until its reload: %d", a.code)
	}
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 400 { // worker 1 dropped it
		t.Fatalf("answering worker: %d", a.code)
	}
	a := c.do("POST", "/model/delete", map[string]any{"id": "m1"})
	want := `{"error":{"code":"400","message":"{'error': 'Model with id=m1 not found in db'}","param":"None","type":"auth_error"}}`
	if a.code != 400 || strings.TrimSpace(a.raw) != want {
		t.Fatalf("second delete: %d %s", a.code, a.raw)
	}
	if a := c.do("POST", "/model/delete", map[string]any{}); a.code != 422 {
		t.Fatalf("missing id: %d", a.code)
	}
	// An empty router answers the list with {"data": []} (newest).
	e.ReloadAll()
	if a := c.do("GET", "/model/info", nil); a.code != 200 || strings.TrimSpace(a.raw) != `{"data":[]}` {
		t.Fatalf("empty router: %d %s", a.code, a.raw)
	}
}

func TestLegacyModelInfoOnAnEmptyRouterIs500(t *testing.T) {
	_, c, _ := start(t, Options{Version: VersionLegacy})
	if a := c.do("GET", "/model/info", nil); a.code != 500 || !strings.Contains(obj(a.body, "detail")["error"].(string), "LLM Model List not loaded in") {
		t.Fatalf("empty router: %d %s", a.code, a.raw)
	}
}

func credBody(name string) map[string]any {
	return map[string]any{
		"credential_name":   name,
		"credential_values": map[string]any{"api_key": "sk-cred-1234567890", "api_base": "https://x", "token": "abc", "nested_secret": map[string]any{"password": "hunter22", "user": "u"}},
		"credential_info":   map[string]any{"custom_llm_provider": "openai"},
	}
}

func TestLegacyCredentials(t *testing.T) {
	e, c, _ := start(t, Options{Version: VersionLegacy, Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	if a := c.do("POST", "/credentials", credBody("a/b c")); a.code != 200 || a.body["success"] != true || a.body["message"] != "Credential created successfully" { // worker 0
		t.Fatalf("create: %d %s", a.code, a.raw)
	}
	if a := c.do("POST", "/credentials", credBody("a/b c")); a.code != 409 || !strings.Contains(a.errMessage(), "already exists") { // worker 1
		t.Fatalf("duplicate: %d %s", a.code, a.raw)
	}
	a := c.do("GET", "/credentials/by_name/a%2Fb%20c", nil) // worker 0 (created it)
	if a.code != 200 || a.body["credential_name"] != "a/b c" {
		t.Fatalf("creating worker: %d %s", a.code, a.raw)
	}
	v := obj(a.body, "credential_values")
	if v["api_key"] != "sk****90" || v["api_base"] != "https://x" || v["token"] != "*****" || obj(v, "nested_secret")["password"] != "hu****22" || obj(v, "nested_secret")["user"] != "u" {
		t.Fatalf("masked values: %v", v)
	}
	if obj(a.body, "credential_info")["custom_llm_provider"] != "openai" {
		t.Fatalf("info: %s", a.raw)
	}
	a = c.do("GET", "/credentials/by_name/a%2Fb%20c", nil) // worker 1: stale
	if a.code != 404 || a.errMessage() != "Credential not found. Got credential name: a/b c" || obj(a.body, "error")["type"] != "internal_server_error" ||
		obj(a.body, "error")["code"] != "404" || obj(a.body, "error")["param"] != "None" {
		t.Fatalf("stale worker: %d %s", a.code, a.raw)
	}
	e.ReloadAll()
	a = c.do("GET", "/credentials", nil)
	if creds, _ := a.body["credentials"].([]any); a.body["success"] != true || len(creds) != 1 || obj(creds[0], "credential_values")["api_key"] != "sk****90" {
		t.Fatalf("list: %s", a.raw)
	}

	// PATCH: merge and rename; the answering worker updates its own list.
	a = c.do("PATCH", "/credentials/a%2Fb%20c", map[string]any{"credential_name": "renamed", "credential_values": map[string]any{"api_key": "sk-rotated-000000"}, "credential_info": map[string]any{"tier": "x"}})
	if a.code != 200 || a.body["success"] != true || a.body["message"] != "Credential updated successfully" {
		t.Fatalf("patch: %d %s", a.code, a.raw)
	}
	cs := e.Credentials()
	if len(cs) != 1 || cs[0].Name != "renamed" || cs[0].Values["api_key"] != "sk-rotated-000000" || cs[0].Values["api_base"] != "https://x" ||
		cs[0].Info["custom_llm_provider"] != "openai" || cs[0].Info["tier"] != "x" {
		t.Fatalf("after patch: %+v", cs)
	}
	if a := c.do("PATCH", "/credentials/renamed", map[string]any{"credential_name": "renamed"}); a.code != 422 {
		t.Fatalf("CredentialItem needs values and info: %d", a.code)
	}
	a = c.do("PATCH", "/credentials/nope", map[string]any{"credential_name": "nope", "credential_values": map[string]any{}, "credential_info": map[string]any{}})
	if a.code != 200 || a.body["code"] != "404" || a.body["message"] != "Credential not found in DB." || a.body["success"] != nil {
		t.Fatalf("patch miss must be a 200 with an error body: %d %s", a.code, a.raw)
	}
	a = c.do("DELETE", "/credentials/nope", nil)
	if a.code != 200 || a.body["code"] != "404" || a.body["success"] != nil {
		t.Fatalf("delete miss: %d %s", a.code, a.raw)
	}
	if a := c.do("DELETE", "/credentials/renamed", nil); a.code != 200 || a.body["success"] != true || a.body["message"] != "Credential deleted successfully" || len(e.Credentials()) != 0 {
		t.Fatalf("delete: %d %s", a.code, a.raw)
	}

	// Validation of the create body (CreateCredentialItem).
	for _, b := range []map[string]any{
		{"credential_values": map[string]any{"k": "v"}, "credential_info": map[string]any{}},
		{"credential_name": "n", "credential_values": map[string]any{"k": "v"}},
		{"credential_name": "n", "credential_values": map[string]any{}, "credential_info": map[string]any{}},
	} {
		if a := c.do("POST", "/credentials", b); a.code != 422 {
			t.Fatalf("%v: %d %s", b, a.code, a.raw)
		}
	}
}

// jsonEq compares an answer with the JSON text of the expected body.
func jsonEq(t *testing.T, a answer, code int, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	var got any
	_ = json.Unmarshal([]byte(a.raw), &got)
	if a.code != code || !reflect.DeepEqual(got, w) {
		t.Fatalf("got %d %s, want %d %s", a.code, a.raw, code, want)
	}
}

func TestCredentialsNewest(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour})
	body := credBody("a/b c")
	body["display_name"] = "  Prod OpenAI  "
	if a := c.do("POST", "/credentials", body); a.code != 200 { // worker 0
		t.Fatalf("create: %d %s", a.code, a.raw)
	}
	// As measured on 1.108.7.
	jsonEq(t, c.do("POST", "/credentials", credBody("a/b c")), 409, // worker 1
		`{"error":{"message":"Credential 'a/b c' already exists. Update it with PATCH /credentials/a/b c, or delete it first.","type":"internal_server_error","param":null,"code":"409"}}`)
	jsonEq(t, c.do("GET", "/credentials/by_name/a%2Fb%20c", nil), 200, // worker 0
		`{"credential_name":"a/b c","display_name":"Prod OpenAI","credential_info":{"custom_llm_provider":"openai"},
		  "credential_values":{"api_key":"sk****90","api_base":"https://x","token":"*****","nested_secret":{"password":"hu****22","user":"u"}},"source":"db"}`)
	jsonEq(t, c.do("GET", "/credentials/by_name/a%2Fb%20c", nil), 404, // worker 1: stale
		`{"error":{"message":"Credential not found. Got credential name: a/b c","type":"internal_server_error","param":null,"code":"404"}}`)
	if cs := e.Credentials(); len(cs) != 1 || cs[0].DisplayName != "Prod OpenAI" {
		t.Fatalf("display_name is stored trimmed: %+v", cs)
	}
	e.ReloadAll()
	a := c.do("GET", "/credentials", nil)
	if cs, _ := a.body["credentials"].([]any); len(cs) != 1 || obj(cs[0])["display_name"] != "Prod OpenAI" {
		t.Fatalf("list: %s", a.raw)
	}

	// display_name validation on create.
	for _, dn := range []any{"", "   ", strings.Repeat("x", 256)} {
		b := credBody("n")
		b["display_name"] = dn
		if a := c.do("POST", "/credentials", b); a.code != 400 || !strings.Contains(a.errMessage(), "display_name") {
			t.Fatalf("display_name %q: %d %s", dn, a.code, a.raw)
		}
	}
	b := credBody("n")
	b["display_name"] = 5
	if a := c.do("POST", "/credentials", b); a.code != 422 {
		t.Fatalf("display_name must be a string: %d", a.code)
	}
	b["display_name"] = strings.Repeat("é", 255)
	if a := c.do("POST", "/credentials", b); a.code != 200 {
		t.Fatalf("255 characters are fine: %d %s", a.code, a.raw)
	}

	// PATCH: a partial body; display_name kept, trimmed, refused blank, cleared by null.
	dn := func() any {
		e.ReloadAll() // every worker now holds the stored state
		return c.do("GET", "/credentials/by_name/a%2Fb%20c", nil).body["display_name"]
	}
	for _, tc := range []struct {
		body map[string]any
		code int
		want any
	}{
		{map[string]any{"credential_info": map[string]any{"description": "d"}}, 200, "Prod OpenAI"},
		{map[string]any{}, 200, "Prod OpenAI"},
		{map[string]any{"display_name": "  Staging OpenAI ", "credential_info": map[string]any{}}, 200, "Staging OpenAI"},
		{map[string]any{"display_name": "  "}, 400, "Staging OpenAI"},
		{map[string]any{"display_name": strings.Repeat("x", 256)}, 400, "Staging OpenAI"},
		{map[string]any{"credential_name": "a/b c", "credential_values": map[string]any{"api_key": "sk-rotated-000000"}}, 200, "Staging OpenAI"},
		{map[string]any{"display_name": nil}, 200, nil},
	} {
		a := c.do("PATCH", "/credentials/a%2Fb%20c", tc.body)
		if a.code != tc.code || (a.code == 400 && !strings.Contains(a.errMessage(), "display_name")) {
			t.Fatalf("%v: %d %s", tc.body, a.code, a.raw)
		}
		if got := dn(); got != tc.want {
			t.Fatalf("%v: display_name %v, want %v", tc.body, got, tc.want)
		}
	}
	if c0 := e.Credentials()[0]; c0.Name != "a/b c" || c0.Values["api_key"] != "sk-rotated-000000" || c0.Values["api_base"] != "https://x" ||
		c0.Info["description"] != "d" || c0.Info["custom_llm_provider"] != "openai" {
		t.Fatalf("merge: %+v", c0)
	}
	// A rename is refused; a display name is the way to relabel.
	a = c.do("PATCH", "/credentials/a%2Fb%20c", map[string]any{"credential_name": "other", "credential_info": map[string]any{}})
	if a.code != 400 || !strings.Contains(a.errMessage(), "display_name") || len(e.Credentials()) != 2 || e.Credentials()[0].Name != "a/b c" {
		t.Fatalf("rename: %d %s", a.code, a.raw)
	}
	if a := c.do("PATCH", "/credentials/a%2Fb%20c", map[string]any{"credential_values": "x"}); a.code != 422 {
		t.Fatalf("mistyped values: %d", a.code)
	}
	jsonEq(t, c.do("PATCH", "/credentials/nope", map[string]any{"credential_info": map[string]any{}}), 404,
		`{"error":{"message":"Credential not found in DB.","type":"internal_server_error","param":null,"code":"404"}}`)

	// DELETE: known to the worker's list or the DB → deleted; neither → 404 as measured.
	e.ReloadAll()
	c.do("GET", "/credentials", nil)                                                            // align: next is worker 1
	if a := c.do("DELETE", "/credentials/n", nil); a.code != 200 || a.body["success"] != true { // worker 1
		t.Fatalf("delete: %d %s", a.code, a.raw)
	}
	if a := c.do("DELETE", "/credentials/n", nil); a.code != 200 { // worker 0: stale list, row gone
		t.Fatalf("a worker that still lists it deletes it from its list: %d %s", a.code, a.raw)
	}
	jsonEq(t, c.do("DELETE", "/credentials/n", nil), 404, // worker 1
		`{"error":{"message":"Credential not found. Got credential name: n","type":"internal_server_error","param":null,"code":"404"}}`)
	c.do("POST", "/credentials", credBody("fresh"))                                                 // worker 0
	if a := c.do("DELETE", "/credentials/fresh", nil); a.code != 200 || len(e.Credentials()) != 1 { // worker 1: only in the DB
		t.Fatalf("delete of a credential only in the DB: %d %s", a.code, a.raw)
	}
}

func TestCredentialFromModel(t *testing.T) {
	e, c, _ := start(t, Options{})
	c.do("POST", "/model/new", newModel("m1"))
	if a := c.do("POST", "/credentials", map[string]any{"credential_name": "copied", "model_id": "m1", "credential_info": map[string]any{}}); a.code != 200 {
		t.Fatal(a.raw)
	}
	if v := e.Credentials()[0].Values; v["api_key"] != "sk-upstream-1234567890" || v["api_base"] != "https://a.example" || v["model"] != nil {
		t.Fatalf("copied values: %v", v)
	}
	if a := c.do("POST", "/credentials", map[string]any{"credential_name": "x", "model_id": "nope", "credential_info": map[string]any{}}); a.code != 404 {
		t.Fatalf("unknown model: %d", a.code)
	}
	if a := c.do("GET", "/credentials/by_model/m1", nil); a.code != 200 || obj(a.body, "credential_values")["api_key"] != "sk****90" {
		t.Fatalf("by_model: %s", a.raw)
	}
}

func TestAuthAndRouting(t *testing.T) {
	_, c, _ := start(t, Options{})
	a := c.do("GET", "/v2/model/info", nil, "Authorization", "")
	want := `{"error":{"code":"401","message":"Authentication Error, No api key passed in.","param":"None","type":"auth_error"}}`
	if a.code != 401 || strings.TrimSpace(a.raw) != want {
		t.Fatalf("no key: %d %s", a.code, a.raw)
	}
	a = c.do("GET", "/v2/model/info", nil, "Authorization", "sk-wrong-12345678")
	if a.code != 401 || !strings.Contains(a.errMessage(), "Malformed API Key") || strings.Contains(a.raw, "sk-wrong-12345678") {
		t.Fatalf("malformed: %d %s", a.code, a.raw)
	}
	jsonEq(t, c.do("GET", "/v2/model/info", nil, "Authorization", "Bearer sk-wrong-12345678"), 401, // as measured on 1.108.7
		`{"error":{"message":"Authentication Error, Invalid API key provided.","type":"token_not_found_in_db","param":"key","code":"401"}}`)
	_, lc, _ := start(t, Options{Version: VersionLegacy})
	a = lc.do("GET", "/v2/model/info", nil, "Authorization", "Bearer sk-wrong-12345678")
	if a.code != 401 || !strings.Contains(a.errMessage(), "Invalid proxy server token passed. Received API Key = sk-...5678") || strings.Contains(a.raw, "sk-wrong-12345678") {
		t.Fatalf("legacy wrong key: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/v2/model/info", nil, "Authorization", "", "x-api-key", key); a.code != 200 {
		t.Fatalf("x-api-key: %d", a.code)
	}
	if a := c.do("GET", "/health/liveliness", nil, "Authorization", ""); a.code != 200 || strings.TrimSpace(a.raw) != `"I'm alive!"` {
		t.Fatalf("liveliness: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/nope", nil, "Authorization", ""); a.code != 404 || a.body["detail"] != "Not Found" {
		t.Fatalf("unknown route (routing precedes auth): %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/model/new", nil); a.code != 405 || a.body["detail"] != "Method Not Allowed" || a.header.Get("Allow") != "POST" {
		t.Fatalf("wrong method: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/model/a%2Fb/update", nil); a.code != 404 {
		t.Fatalf("a decoded '/' in a model id does not match the route: %d", a.code)
	}
	if a := c.do("POST", "/model/new", `{"x":`, "Authorization", ""); a.code != 422 {
		t.Fatalf("malformed JSON is rejected before auth: %d", a.code)
	}
}

func TestFaults(t *testing.T) {
	e, c, _ := start(t, Options{Faults: Faults{FailNext: 1, ThrottleNext: 2, RetryAfter: 2500 * time.Millisecond, Paths: []string{"POST /model/new"}}})
	if a := c.do("GET", "/v2/model/info", nil); a.code != 200 {
		t.Fatal("faults must only hit the listed paths")
	}
	if a := c.do("POST", "/model/new", newModel("m1")); a.code != 503 || a.errMessage() != "Service Unavailable" {
		t.Fatalf("FailNext: %d %s", a.code, a.raw)
	}
	a := c.do("POST", "/model/new", newModel("m1"))
	if a.code != 429 || a.header.Get("Retry-After") != "3" || obj(a.body, "error")["type"] != "throttling_error" {
		t.Fatalf("ThrottleNext: %d %q %s", a.code, a.header.Get("Retry-After"), a.raw)
	}
	e.SetFaults(Faults{ThrottleNext: 1})
	if a := c.do("GET", "/v2/model/info", nil); a.code != 429 || a.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After is at least 1: %q", a.header.Get("Retry-After"))
	}
	if len(e.Models()) != 0 {
		t.Fatal("faulted requests must not write")
	}

	e.SetFaults(Faults{DropNext: 1, Paths: []string{"POST /model/new"}})
	raw, _ := json.Marshal(newModel("m1"))
	req, _ := http.NewRequest("POST", c.url+"/model/new", strings.NewReader(string(raw)))
	req.Header.Set("Authorization", "Bearer "+key)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("DropNext: want a dropped connection")
	}
	if len(e.Models()) != 1 {
		t.Fatal("DropNext: the write must be committed")
	}
	if a := c.do("POST", "/model/new", newModel("m1")); a.code != 500 || !strings.Contains(a.errMessage(), "Failed to add model to db") {
		t.Fatalf("the retry meets the committed write: %d", a.code)
	}
	st := e.Stats()
	if st["POST /model/new"] != 4 || st["GET /v2/model/info"] != 2 {
		t.Fatalf("stats: %v", st)
	}
	e.ResetStats()
	if len(e.Stats()) != 0 {
		t.Fatal("ResetStats")
	}

	// Rates (seeded) and latency.
	e.SetFaults(Faults{ErrorRate: 1})
	if a := c.do("GET", "/credentials", nil); a.code != 503 {
		t.Fatalf("ErrorRate 1: %d", a.code)
	}
	e.SetFaults(Faults{DropAfterCommitRate: 1})
	if a := c.do("GET", "/credentials", nil); a.code != 200 {
		t.Fatal("drops apply to writes only")
	}
	e.SetFaults(Faults{Latency: 50 * time.Millisecond})
	t0 := time.Now()
	c.do("GET", "/credentials", nil)
	if time.Since(t0) < 50*time.Millisecond {
		t.Fatal("latency")
	}
}

func TestConcurrentRequests(t *testing.T) {
	e := New(Options{MasterKey: key, Workers: 3, ReloadInterval: 20 * time.Millisecond, Faults: Faults{ErrorRate: 0.1}})
	ts := httptest.NewServer(e)
	defer ts.Close()
	c := client{t: t, url: ts.URL}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			id := "m" + string(rune('a'+i))
			for {
				if a := c.do("POST", "/model/new", newModel(id)); a.code != 503 {
					break
				}
			}
			for range 10 {
				c.do("GET", "/v2/model/info?modelId="+id, nil)
				c.do("PATCH", "/model/"+id+"/update", map[string]any{"litellm_params": map[string]any{"rpm": i}})
			}
		})
	}
	wg.Wait()
	if len(e.Models()) != 8 {
		t.Fatalf("models: %d", len(e.Models()))
	}
}

func TestPubSubResyncsEveryWorkerAfterDebounceAndJitter(t *testing.T) {
	e, c, clk := start(t, Options{Workers: 3, ReloadInterval: time.Hour, PubSub: true, Routing: RoutePerRequest})
	t0 := clk.now()
	c.do("POST", "/model/new", newModel("m1")) // worker 0
	for i, w := range e.workers {
		// config_sync_pubsub.py: sleep(1 s + uniform(0, 5 s)) after the message;
		// every worker's subscriber gets it, the writer's own included.
		if d := w.syncAt.Sub(t0); d < time.Second || d > 6*time.Second {
			t.Fatalf("worker %d resyncs %v after the write, want 1–6 s", i, d)
		}
	}
	if e.workers[1].syncAt.Equal(e.workers[2].syncAt) {
		t.Fatal("each worker draws its own jitter")
	}
	// A second write before the resync is covered by it (drained, not rescheduled).
	at1 := e.workers[1].syncAt
	c.do("POST", "/credentials", credBody("c1")) // worker 1, before its resync
	if !e.workers[1].syncAt.Equal(at1) {
		t.Fatal("a pending resync absorbs later messages")
	}
	clk.advance(at1.Sub(clk.now()) - time.Millisecond)
	c.do("GET", "/credentials", nil)                                             // worker 2
	c.do("GET", "/credentials", nil)                                             // worker 0
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 400 { // worker 1 just before its resync
		t.Fatalf("worker 1 before its resync: %d", a.code)
	}
	clk.advance(time.Millisecond)
	c.do("GET", "/credentials", nil)                                             // worker 2
	c.do("GET", "/credentials", nil)                                             // worker 0
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 { // worker 1 at its resync
		t.Fatalf("worker 1 at its resync: %d", a.code)
	}
	if !e.workers[1].lastSync.Equal(at1) || !e.workers[1].syncAt.IsZero() {
		t.Fatal("the resync is recorded at its due time")
	}
	// At most one resync per 10 s: a write now waits for last + 10 s.
	c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"rpm": 1}}) // worker 2
	if want := at1.Add(10 * time.Second); !e.workers[1].syncAt.Equal(want) {
		t.Fatalf("throttled resync at %v, want %v", e.workers[1].syncAt.Sub(t0), want.Sub(t0))
	}
	clk.advance(t0.Add(7 * time.Second).Sub(clk.now()))
	c.do("GET", "/credentials", nil)                                     // worker 0
	c.do("GET", "/credentials", nil)                                     // worker 1
	if a := c.do("GET", "/credentials/by_name/c1", nil); a.code != 200 { // worker 2
		t.Fatalf("worker 2 resynced credentials too: %d %s", a.code, a.raw)
	}
	// A failed write publishes nothing.
	clk.advance(time.Minute)
	c.do("GET", "/credentials", nil) // everything due is applied
	c.do("PATCH", "/model/nope/update", map[string]any{})
	for i, w := range e.workers {
		if !w.syncAt.IsZero() {
			t.Fatalf("worker %d: a failed write must not schedule a resync", i)
		}
	}
}

func TestWithoutPubSubNoResync(t *testing.T) {
	e, c, _ := start(t, Options{Workers: 2, ReloadInterval: time.Hour})
	c.do("POST", "/model/new", newModel("m1"))
	for _, w := range e.workers {
		if !w.syncAt.IsZero() {
			t.Fatal("no pub/sub without Options.PubSub")
		}
	}
}

func TestSavedNotLiveFault(t *testing.T) {
	e, c, _ := start(t, Options{Routing: RoutePerRequest, Workers: 2, ReloadInterval: time.Hour,
		Faults: Faults{SavedNotLiveNext: 1}})
	if a := c.do("POST", "/credentials", credBody("c")); a.code != 200 { // worker 0: not a model write, counter kept
		t.Fatalf("credentials are not affected: %d %s", a.code, a.raw)
	}
	// raise_if_reload_degraded_serving's message (model_management_endpoints.py @ 00c8ea69).
	jsonEq(t, c.do("POST", "/model/new", newModel("m1")), 500, `{"error":{"message":"Model create was saved to the database, but the model id(s) ['m1'] are not live in this pod's router after the reload and are not being served by this pod. Other pods reload on their own interval. Check server logs for 'Error upserting deployment' or 'Error creating deployment' for the cause.","type":"internal_server_error","param":null,"code":"500"}}`) // worker 1
	if ms := e.Models(); len(ms) != 1 || ms[0].ID != "m1" {
		t.Fatalf("the write is committed: %+v", ms)
	}
	c.do("GET", "/credentials", nil)                                             // worker 0
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 400 { // worker 1: not live on the answering pod
		t.Fatalf("not live on the worker that saved it: %d", a.code)
	}
	if a := c.do("POST", "/model/new", newModel("m2")); a.code != 200 { // worker 0: the fault is spent
		t.Fatalf("next create: %d %s", a.code, a.raw)
	}
	if a := c.do("GET", "/model/info?litellm_model_id=m2", nil); a.code != 400 { // worker 1
		t.Fatal(a.raw)
	}
	// PATCH, limited by Paths.
	e.SetFaults(Faults{SavedNotLiveNext: 1, Paths: []string{"PATCH /model/m2/update"}})
	c.do("PATCH", "/model/m1/update", map[string]any{"litellm_params": map[string]any{"rpm": 1}})      // worker 0: not listed
	a := c.do("PATCH", "/model/m2/update", map[string]any{"litellm_params": map[string]any{"rpm": 2}}) // worker 1
	if a.code != 500 || !strings.HasPrefix(a.errMessage(), "Model update was saved to the database, but the model id(s) ['m2'] are not live") ||
		obj(a.body, "error")["type"] != "internal_server_error" || obj(a.body, "error")["code"] != "500" {
		t.Fatalf("patch: %d %s", a.code, a.raw)
	}
	if e.Models()[1].LitellmParams["rpm"] != 2.0 {
		t.Fatal("the PATCH is committed")
	}
	c.do("GET", "/credentials", nil)                                             // worker 0
	if a := c.do("GET", "/model/info?litellm_model_id=m2", nil); a.code != 400 { // worker 1
		t.Fatalf("the patched model is not live on its worker: %d", a.code)
	}
	if a := c.do("GET", "/model/info?litellm_model_id=m1", nil); a.code != 200 { // worker 0
		t.Fatalf("the other models stay live: %d", a.code)
	}
	// The rate; a write that fails on its own answers its own error.
	e.SetFaults(Faults{SavedNotLiveRate: 1})
	if a := c.do("POST", "/model/new", newModel("m1")); a.code != 500 || !strings.Contains(a.errMessage(), "Failed to add model to db") {
		t.Fatalf("duplicate under the fault: %d %s", a.code, a.raw)
	}
	if a := c.do("PATCH", "/model/nope/update", map[string]any{}); a.code != 404 {
		t.Fatalf("unknown id under the fault: %d", a.code)
	}
	if a := c.do("POST", "/model/new", newModel("m3")); a.code != 500 || !strings.Contains(a.errMessage(), "['m3']") {
		t.Fatalf("rate 1: %d %s", a.code, a.raw)
	}
	if a := c.do("POST", "/model/delete", map[string]any{"id": "m3"}); a.code != 200 {
		t.Fatalf("deletes are not affected: %d", a.code)
	}
}

// AnswerDelay commits a write before holding its answer back, so a client
// that gives up meanwhile leaves the object behind (the interruption tests
// rely on it).
func TestAnswerDelayCommitsBeforeAnswering(t *testing.T) {
	emu, ts := NewServer(Options{Faults: Faults{AnswerDelay: 2 * time.Second}})
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/model/new",
		strings.NewReader(`{"model_name":"m","litellm_params":{"model":"openai/gpt-4o"},"model_info":{"id":"late"}}`))
	req.Header.Set("Authorization", "Bearer "+DefaultMasterKey)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("the answer arrived before the delay")
	}
	if ms := emu.Models(); len(ms) != 1 || ms[0].ID != "late" {
		t.Fatalf("the write was not committed before the answer: %+v", ms)
	}
}
