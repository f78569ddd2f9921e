// Package integration runs the provider in process (pulumi-go-provider's
// integration server: the same gRPC surface the engine calls) against the
// LiteLLM emulator configured with several workers and a reload interval.
package integration

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/provtest"
)

const masterKey = "sk-test-master-key-0123456789"

func emulatorOptions() emulator.Options {
	return emulator.Options{Workers: 2, ReloadInterval: time.Second}
}

type harness struct {
	t             *testing.T
	s             integration.Server
	emu           *emulator.Emulator
	url           string
	cfg           map[string]any
	providerState property.Map // what the engine stores for the provider (its ownerId)
}

// newHarness starts an emulator and a configured provider server.
func newHarness(t *testing.T, opts emulator.Options, config map[string]any) *harness {
	t.Helper()
	opts.MasterKey = masterKey
	if opts.Version == "" {
		// `make test` runs this package against both LiteLLM generations.
		opts.Version = os.Getenv("LITELLM_EMULATOR_VERSION")
	}
	emu := emulator.New(opts)
	ts := httptest.NewUnstartedServer(emu)
	if opts.Routing == emulator.RoutePerConnection {
		// Each TCP connection keeps one worker, as uvicorn workers and
		// Kubernetes Services balance connections. Without this the
		// emulator spreads requests over workers one by one, which makes the
		// tests' worker sequences deterministic.
		ts.Config.ConnContext = emu.ConnContext
	}
	ts.Start()
	t.Cleanup(ts.Close)
	reload := opts.ReloadInterval
	if reload == 0 {
		reload = 30 * time.Second // the emulator's and LiteLLM's default
	}
	cfg := map[string]any{"baseUrl": ts.URL, "apiKey": masterKey, "maxWait": "20s", "reloadInterval": reload.String()}
	for k, v := range config {
		cfg[k] = v
	}
	h := &harness{t: t, emu: emu, url: ts.URL, cfg: cfg}
	h.s, h.providerState = h.server(nil, property.Map{})
	return h
}

// server starts another provider against the same emulator, as another
// `pulumi` run would: config overrides the harness's settings, and olds is
// the provider state an earlier run stored (its ownerId).
func (h *harness) server(config map[string]any, olds property.Map) (integration.Server, property.Map) {
	h.t.Helper()
	cfg := map[string]any{}
	for k, v := range h.cfg {
		cfg[k] = v
	}
	for k, v := range config {
		cfg[k] = v
	}
	s, state, err := provtest.ConfiguredAs(pm(cfg), olds)
	if err != nil {
		h.t.Fatal(err)
	}
	return s, state
}

// rerun is a new provider process of the same stack (same owner).
func (h *harness) rerun() integration.Server {
	s, _ := h.server(nil, h.providerState)
	return s
}

// otherStack is a provider of another stack (another owner).
func (h *harness) otherStack() integration.Server {
	s, _ := h.server(nil, property.Map{})
	return s
}

// aged is a recorded state whose last write is long past: every worker has
// reloaded since, so any answer is authoritative.
func aged(state property.Map) property.Map {
	return state.Set("writtenAt", property.New("2001-01-01T00:00:00Z"))
}

func urn(kind, name string) presource.URN {
	return presource.URN("urn:pulumi:test::proj::litellm:index:" + kind + "::" + name)
}

// check runs Check and fails on validation failures.
func (h *harness) check(u presource.URN, olds, news property.Map) property.Map {
	h.t.Helper()
	resp, err := h.s.Check(p.CheckRequest{Urn: u, State: olds, Inputs: news})
	if err != nil {
		h.t.Fatalf("check: %v", err)
	}
	if len(resp.Failures) > 0 {
		h.t.Fatalf("check failures: %+v", resp.Failures)
	}
	return resp.Inputs
}

func (h *harness) create(u presource.URN, inputs map[string]any, timeout float64) (p.CreateResponse, error) {
	h.t.Helper()
	return h.createOn(h.s, u, inputs, timeout)
}

// createOn runs Check (no old inputs: a resource not in the stack's state)
// and Create on the given provider.
func (h *harness) createOn(s integration.Server, u presource.URN, inputs map[string]any, timeout float64) (p.CreateResponse, error) {
	h.t.Helper()
	resp, err := s.Check(p.CheckRequest{Urn: u, Inputs: pm(inputs)})
	if err != nil || len(resp.Failures) > 0 {
		h.t.Fatalf("check: %v %+v", err, resp.Failures)
	}
	return s.Create(p.CreateRequest{Urn: u, Properties: resp.Inputs, Timeout: timeout})
}

func (h *harness) mustCreate(u presource.URN, inputs map[string]any) p.CreateResponse {
	h.t.Helper()
	resp, err := h.create(u, inputs, 0)
	if err != nil {
		h.t.Fatalf("create: %v", err)
	}
	return resp
}

// api calls the emulator directly, as an operator would out of band.
func (h *harness) api(method, path string, body any) (int, map[string]any) {
	h.t.Helper()
	var rd *strings.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = strings.NewReader(string(raw))
	} else {
		rd = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+masterKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (h *harness) model(id string) (emulator.Model, bool) {
	for _, m := range h.emu.Models() {
		if m.ID == id {
			return m, true
		}
	}
	return emulator.Model{}, false
}

// pm converts plain Go values into a property map.
func pm(m map[string]any) property.Map {
	out := map[string]property.Value{}
	for k, v := range m {
		out[k] = pv(v)
	}
	return property.NewMap(out)
}

type secret struct{ v any }

func pv(v any) property.Value {
	switch x := v.(type) {
	case nil:
		return property.Value{}
	case secret:
		return pv(x.v).WithSecret(true)
	case string:
		return property.New(x)
	case bool:
		return property.New(x)
	case int:
		return property.New(float64(x))
	case float64:
		return property.New(x)
	case []string:
		vs := make([]property.Value, len(x))
		for i, s := range x {
			vs[i] = property.New(s)
		}
		return property.New(property.NewArray(vs))
	case []any:
		vs := make([]property.Value, len(x))
		for i, s := range x {
			vs[i] = pv(s)
		}
		return property.New(property.NewArray(vs))
	case map[string]any:
		return property.New(pm(x))
	}
	panic("unsupported test value")
}

// goValue converts a property value back to plain Go (secrets unwrapped).
func goValue(v property.Value) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsString():
		return v.AsString()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsBool():
		return v.AsBool()
	case v.IsArray():
		var out []any
		for _, x := range v.AsArray().AsSlice() {
			out = append(out, goValue(x))
		}
		return out
	case v.IsMap():
		out := map[string]any{}
		for k, x := range v.AsMap().AsMap() {
			out[k] = goValue(x)
		}
		return out
	}
	return v.GoString()
}

// get walks a dotted path through a property map.
func get(m property.Map, path string) any {
	var cur any = goValue(property.New(m))
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}
