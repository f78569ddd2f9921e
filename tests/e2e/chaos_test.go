package e2e

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

// The fault campaign: N creates, updates and deletes of every resource kind
// through the real CLI, against an emulator with 4 workers reloading every
// 30 s (LiteLLM's default) that fails 10 % of requests with a 503, throttles
// 5 % with a 429 and Retry-After, drops 1 % of writes after committing them,
// answers 2 % of model writes with "saved to the database, but not live",
// and adds latency. Afterwards the proxy must hold exactly the declared
// objects and a second run must find nothing to change. It prints
//
//	chaos n=<N> failures=<n> duplicates=<n> orphans=<n> second_up_changes=<n>
//
// CHAOS_N sets N (default 40, the short form in `make test`; `make chaos`
// uses 500), CHAOS_SEED the faults' seed.
func TestChaosCampaign(t *testing.T) {
	n := envInt(t, "CHAOS_N", 40)
	seed := envInt(t, "CHAOS_SEED", 1)
	var faults faultCount
	emu := emulator.New(emulator.Options{MasterKey: masterKey, Workers: 4, ReloadInterval: 30 * time.Second, Seed: int64(seed), Logf: faults.logf,
		Faults: emulator.Faults{ErrorRate: 0.10, ThrottleRate: 0.05, RetryAfter: time.Second, DropAfterCommitRate: 0.01,
			SavedNotLiveRate: 0.02, Latency: 5 * time.Millisecond}})
	ts := httptest.NewUnstartedServer(emu)
	ts.Config.ConnContext = emu.ConnContext // a connection keeps its worker, as uvicorn workers do
	ts.Start()
	defer ts.Close()

	creds, teams := max(1, n/5), max(1, n/10)
	models := n - creds - teams
	pr := clitest.NewYAML(t, "litellm-chaos", chaosProgram(models, creds, teams, 1, false))
	pr.Run("config", "set", "litellm:baseUrl", ts.URL)
	pr.Run("config", "set", "--secret", "litellm:apiKey", masterKey)
	pr.Run("config", "set", "litellm:reloadInterval", "30s")
	pr.Run("config", "set", "--secret", "upstreamKey", upstreamKey)

	failures := 0
	up := func(phase string) {
		t.Helper()
		start := time.Now()
		out, err := pr.Exec("up", "--yes", "--skip-preview", "--parallel", "32")
		if err != nil {
			failures++
			t.Logf("%s: pulumi up failed:\n%s", phase, tail(out, 40))
			// Converge anyway, so that the counts below still mean something.
			if out, err := pr.Exec("up", "--yes", "--skip-preview", "--parallel", "32"); err != nil {
				t.Fatalf("%s: a second pulumi up failed too:\n%s", phase, tail(out, 40))
			}
		}
		t.Logf("%s: %.0f s", phase, time.Since(start).Seconds())
	}
	up("create")
	pr.WriteProgram("litellm-chaos", chaosProgram(models, creds, teams, 2, false))
	up("update")
	pr.WriteProgram("litellm-chaos", chaosProgram(models, creds, teams, 2, true))
	up("delete")

	want := map[string]bool{}
	for i := 0; i < models; i += 2 {
		want[fmt.Sprintf("chaos-m%d", i)] = true
	}
	for i := 0; i < creds; i += 2 {
		want[fmt.Sprintf("chaos-c%d", i)] = true
	}
	for i := 0; i < teams; i += 2 {
		want[fmt.Sprintf("chaos-t%d", i)] = true
	}
	seen := map[string]int{}
	for _, m := range emu.Models() {
		seen[m.ModelName]++
		if want[m.ModelName] && m.LitellmParams["rpm"] != float64(2000+modelIndex(m.ModelName)) {
			t.Errorf("model %s has rpm %v, not the updated value", m.ModelName, m.LitellmParams["rpm"])
		}
	}
	for _, c := range emu.Credentials() {
		seen[c.Name]++
		if want[c.Name] && c.Info["description"] != "v2" {
			t.Errorf("credential %s has description %v, not the updated value", c.Name, c.Info["description"])
		}
	}
	for _, tm := range emu.Teams() {
		alias, _ := tm["team_alias"].(string)
		seen[alias]++
		i, _ := strconv.Atoi(strings.TrimPrefix(alias, "chaos-t"))
		if want[alias] && tm["max_budget"] != float64(200+i) {
			t.Errorf("team %s has max_budget %v, not the updated value", alias, tm["max_budget"])
		}
	}
	duplicates, orphans := 0, 0
	for name, k := range seen {
		if !want[name] {
			orphans += k
			continue
		}
		duplicates += k - 1
	}
	for name := range want {
		if seen[name] == 0 {
			t.Errorf("declared %s is missing on the proxy", name)
		}
	}

	// A second run finds nothing to change (faults still on).
	out := pr.Run("preview", "--json")
	changes := previewChanges(t, out)

	t.Logf("faults injected: %s", faults.String())
	if faults.total() == 0 {
		t.Fatal("no fault was injected: the campaign tested nothing")
	}
	line := fmt.Sprintf("chaos n=%d failures=%d duplicates=%d orphans=%d second_up_changes=%d", n, failures, duplicates, orphans, changes)
	fmt.Println(line)
	t.Log(line)
	if failures+duplicates+orphans+changes != 0 {
		t.Fatalf("the campaign must end with zeros: %s", line)
	}
}

// chaosProgram declares models, credentials and teams; version 2 changes a
// field of every one; halved keeps only the even-numbered ones.
func chaosProgram(models, creds, teams, version int, halved bool) string {
	var b strings.Builder
	b.WriteString("config:\n  upstreamKey:\n    type: string\nresources:\n")
	for i := 0; i < creds; i++ {
		if halved && i%2 == 1 {
			continue
		}
		fmt.Fprintf(&b, `  c%d:
    type: litellm:index:Credential
    properties:
      credentialName: chaos-c%d
      credentialValues:
        api_key: ${upstreamKey}
      credentialInfo:
        custom_llm_provider: openai
        description: v%d
`, i, i, version)
	}
	for i := 0; i < teams; i++ {
		if halved && i%2 == 1 {
			continue
		}
		fmt.Fprintf(&b, `  t%d:
    type: litellm:index:Team
    properties:
      teamAlias: chaos-t%d
      maxBudget: %d
      metadata:
        version: v%d
`, i, i, version*100+i, version)
	}
	for i := 0; i < models; i++ {
		if halved && i%2 == 1 {
			continue
		}
		fmt.Fprintf(&b, `  m%d:
    type: litellm:index:Model
    properties:
      modelName: chaos-m%d
      litellmParams:
        model: openai/gpt-4o-mini
        apiKey: ${upstreamKey}
        rpm: %d
      modelInfo:
        mode: chat
`, i, i, version*1000+i)
	}
	return b.String()
}

func modelIndex(name string) int {
	i, _ := strconv.Atoi(strings.TrimPrefix(name, "chaos-m"))
	return i
}

// previewChanges counts the steps of `pulumi preview --json` that are not "same".
func previewChanges(t *testing.T, out string) int {
	t.Helper()
	var p struct {
		ChangeSummary map[string]int `json:"changeSummary"`
	}
	start := strings.Index(out, "{")
	if start < 0 || json.Unmarshal([]byte(out[start:]), &p) != nil {
		t.Fatalf("preview --json: cannot read\n%s", tail(out, 40))
	}
	changes := 0
	for op, k := range p.ChangeSummary {
		if op != "same" {
			changes += k
		}
	}
	return changes
}

// faultCount counts the emulator's injected faults from its request log.
type faultCount struct {
	mu                           sync.Mutex
	errors, throttles, drops, nl int
}

func (f *faultCount) logf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case strings.Contains(line, "-> 503 (fault)"):
		f.errors++
	case strings.Contains(line, "-> 429 (fault)"):
		f.throttles++
	case strings.Contains(line, "connection dropped"):
		f.drops++
	case strings.Contains(line, "/model") && strings.Contains(line, "-> 500 (worker"): // "saved to the database, but not live"
		f.nl++
	}
}

func (f *faultCount) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.errors + f.throttles + f.drops + f.nl
}

func (f *faultCount) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprintf("503=%d 429=%d dropped=%d saved_not_live=%d", f.errors, f.throttles, f.drops, f.nl)
}

func envInt(t *testing.T, key string, def int) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", key, v)
	}
	return n
}

func tail(s string, lines int) string {
	parts := strings.Split(s, "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}
