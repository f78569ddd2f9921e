package main

// The scale part (-scale): what does the provider itself cost when a stack
// holds hundreds of models?
//
// Measured: the wall time of the real Pulumi CLI (built by `make tools`,
// driven offline exactly as the CLI tests drive it: tests/internal/clitest,
// a private PULUMI_HOME, a file:// backend, a passphrase) running a YAML
// program of N litellm:index:Model resources (distinct modelName,
// litellmParams.model openai/gpt-4o) through four commands, as a user would
// type them:
//
//	up       pulumi up --yes                       (preview, then N creates)
//	noop_up  pulumi up --yes --expect-no-changes   (preview, then nothing to do)
//	refresh  pulumi refresh --yes                  (preview, then N reads)
//	destroy  pulumi destroy --yes                  (preview, then N deletes)
//
// once with the real provider (bin/pulumi-resource-litellm) and once with a
// no-op provider with the same schema (tests/bench/noop: provider.New() with
// the resource operations replaced by ones that do no work), each against a
// fresh in-process emulator (4 workers reloading every 30 s, LiteLLM's
// default, default routing; it runs in the bench's process and shares the
// CPUs with the CLI, as a local proxy would). Everything else — CLI, YAML language host,
// engine, gRPC, the file backend's checkpoint after every step, the default
// parallelism (4 x CPUs) — is the same on both sides, so each ratio
// ours/no-op is what the provider's own work (HTTP calls, waiting for the
// proxy's eventual consistency, validation) adds on top of Pulumi. Target:
// every ratio <= 1.2.
//
// Note that the fixed cost of Pulumi is in the denominator: a slow engine or
// backend makes the ratios look better, not worse. scale_raw prints the
// seconds so that both can be read; at large N the file backend rewriting
// the whole checkpoint after every step grows quadratically and dominates
// creates and deletes on both sides.
//
// Noise: ours and no-op are interleaved command by command (who goes first
// alternates from one command to the next) so that drifts of the machine hit
// both; the cheap commands (noop_up, refresh) run -scale-repeat (4) times per
// create/destroy cycle, and there are -scale-reps cycles per provider (by
// default 2 up to 200 models, 1 above: at 1000 models one cycle takes about
// 8 minutes on 2 CPUs, mostly checkpoint writes); the medians are compared.
// The samples are printed (scale_samples) so that the spread can be judged.
//
// -scale-skip-checkpoints sets PULUMI_SKIP_CHECKPOINTS=true for both sides
// (only the final state is written): a diagnostic that takes the backend out
// of the denominator, not what users get by default.

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

const scaleKey = "sk-bench-scale-master-key-0000"

// scaleTarget is the largest acceptable ours/no-op wall-time ratio.
const scaleTarget = 1.2

// scaleCmd is one timed CLI command.
type scaleCmd struct {
	name string
	args []string
}

var scaleCmds = []scaleCmd{
	{"up", []string{"up", "--yes"}},
	{"noop_up", []string{"up", "--yes", "--expect-no-changes"}},
	{"refresh", []string{"refresh", "--yes"}},
	{"destroy", []string{"destroy", "--yes"}},
}

// repeatable: commands that leave the stack as they found it, run
// -scale-repeat times per cycle.
func repeatable(cmd string) bool { return cmd == "noop_up" || cmd == "refresh" }

// ScaleOptions configures the scale part.
type ScaleOptions struct {
	Reps            int  // create/destroy cycles per provider and N; 0: 2 up to 200 models, else 1
	Repeat          int  // runs of noop_up and refresh per cycle
	SkipCheckpoints bool // PULUMI_SKIP_CHECKPOINTS=true for both providers
	Verbose         bool // log every CLI command on stderr
}

// reps is the number of create/destroy cycles at n models.
func (o ScaleOptions) reps(n int) int {
	switch {
	case o.Reps > 0:
		return o.Reps
	case n <= 200:
		return 2
	}
	return 1
}

// ScaleResult holds the samples (seconds) of one N.
type ScaleResult struct {
	N        int
	Ours     map[string][]float64
	Noop     map[string][]float64
	Requests map[string]map[string]int // ours: command -> "METHOD /path" -> requests, summed over its runs
	Wall     time.Duration
}

func (r ScaleResult) ratio(cmd string) float64 {
	return median(r.Ours[cmd]) / median(r.Noop[cmd])
}

// scaleProvider is one side of the comparison.
type scaleProvider struct {
	name      string // "ours" or "noop"
	pluginDir string // holds pulumi-resource-litellm
}

// scaleStack is one provider's project with its own emulator.
type scaleStack struct {
	prov scaleProvider
	emu  *emulator.Emulator
	ts   *httptest.Server
	pr   *clitest.Project
}

// scaleProgram is the YAML program with n models.
func scaleProgram(n int) string {
	var b strings.Builder
	b.WriteString("resources:\n")
	for i := range n {
		fmt.Fprintf(&b, "  m%d:\n    type: litellm:index:Model\n    properties:\n      modelName: scale-%d\n      litellmParams:\n        model: openai/gpt-4o\n", i, i)
	}
	return b.String()
}

func newScaleStack(tb testing.TB, prov scaleProvider, n int) *scaleStack {
	tb.Helper()
	emu := emulator.New(emulator.Options{MasterKey: scaleKey, Workers: 4, ReloadInterval: 30 * time.Second})
	ts := httptest.NewServer(emu)
	tb.Cleanup(ts.Close)
	pr := clitest.NewYAMLWithPlugin(tb, "bench-scale", scaleProgram(n), prov.pluginDir)
	pr.Run("config", "set", "litellm:baseUrl", ts.URL)
	pr.Run("config", "set", "--secret", "litellm:apiKey", scaleKey)
	return &scaleStack{prov: prov, emu: emu, ts: ts, pr: pr}
}

// run times one command; the emulator's request counts are those of the command.
func (s *scaleStack) run(tb testing.TB, c scaleCmd) (float64, map[string]int) {
	tb.Helper()
	s.emu.ResetStats()
	start := time.Now()
	out, err := s.pr.Exec(c.args...)
	d := time.Since(start).Seconds()
	if err != nil {
		tb.Fatalf("%s: pulumi %s: %v\n%s", s.prov.name, strings.Join(c.args, " "), err, tail(out, 4000))
	}
	return d, s.emu.Stats()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// runScale measures one N: opts.Reps cycles, each with a fresh stack and
// emulator per provider, commands interleaved between the providers.
func runScale(tb testing.TB, n int, ours, noop scaleProvider, opts ScaleOptions) ScaleResult {
	tb.Helper()
	res := ScaleResult{N: n, Ours: map[string][]float64{}, Noop: map[string][]float64{}, Requests: map[string]map[string]int{}}
	start := time.Now()
	for rep := range opts.reps(n) {
		stacks := []*scaleStack{newScaleStack(tb, ours, n), newScaleStack(tb, noop, n)}
		turn := rep // alternates who goes first
		for _, c := range scaleCmds {
			times := 1
			if repeatable(c.name) {
				times = max(opts.Repeat, 1)
			}
			for range times {
				order := stacks
				if turn%2 == 1 {
					order = []*scaleStack{stacks[1], stacks[0]}
				}
				turn++
				for _, s := range order {
					d, stats := s.run(tb, c)
					if s.prov.name == "ours" {
						res.Ours[c.name] = append(res.Ours[c.name], d)
						if res.Requests[c.name] == nil {
							res.Requests[c.name] = map[string]int{}
						}
						for k, v := range stats {
							res.Requests[c.name][k] += v
						}
					} else {
						res.Noop[c.name] = append(res.Noop[c.name], d)
					}
				}
			}
			if c.name == "up" {
				if got := len(stacks[0].emu.Models()); got != n {
					tb.Fatalf("ours: the proxy holds %d models after up, want %d", got, n)
				}
			}
		}
		for _, s := range stacks {
			if got := len(s.emu.Models()); got != 0 {
				tb.Fatalf("%s: the proxy holds %d models after destroy, want 0", s.prov.name, got)
			}
		}
	}
	res.Wall = time.Since(start)
	return res
}

// buildNoop builds the no-op provider into dir/pulumi-resource-litellm.
func buildNoop(root, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "pulumi-resource-litellm"), "./tests/bench/noop")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./tests/bench/noop: %v\n%s", err, out)
	}
	return nil
}

// ScaleVerdict lists the ratios above the target.
func ScaleVerdict(rs []ScaleResult) []string {
	var missed []string
	for _, r := range rs {
		for _, c := range scaleCmds {
			if x := r.ratio(c.name); !(x <= scaleTarget) {
				missed = append(missed, fmt.Sprintf("n=%d %s_ratio %.2f > %.1f", r.N, c.name, x, scaleTarget))
			}
		}
	}
	return missed
}

func formatScale(r ScaleResult) []string {
	var ratios, raw []string
	for _, c := range scaleCmds {
		ratios = append(ratios, fmt.Sprintf("%s_ratio=%.2f", c.name, r.ratio(c.name)))
		raw = append(raw, fmt.Sprintf("ours_%s_s=%.2f noop_%s_s=%.2f", c.name, median(r.Ours[c.name]), c.name, median(r.Noop[c.name])))
	}
	lines := []string{
		fmt.Sprintf("scale n=%d %s", r.N, strings.Join(ratios, " ")),
		fmt.Sprintf("scale_raw n=%d %s", r.N, strings.Join(raw, " ")),
	}
	for _, c := range scaleCmds {
		lines = append(lines, fmt.Sprintf("scale_samples n=%d cmd=%s ours_s=%s noop_s=%s", r.N, c.name, samples(r.Ours[c.name]), samples(r.Noop[c.name])))
	}
	for _, c := range scaleCmds {
		runs := len(r.Ours[c.name])
		reqs := r.Requests[c.name]
		total := 0
		var parts []string
		for _, k := range sortedKeys(reqs) {
			total += reqs[k]
			parts = append(parts, fmt.Sprintf("%s=%d", strings.Replace(k, " ", ":", 1), perRun(reqs[k], runs)))
		}
		lines = append(lines, fmt.Sprintf("scale_requests n=%d provider=ours cmd=%s per_run_total=%d %s", r.N, c.name, perRun(total, runs), strings.Join(parts, " ")))
	}
	lines = append(lines, fmt.Sprintf("scale_time n=%d wall_s=%.0f", r.N, r.Wall.Seconds()))
	return lines
}

func perRun(total, runs int) int {
	if runs == 0 {
		return 0
	}
	return (total + runs/2) / runs
}

func samples(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.2f", x)
	}
	return "[" + strings.Join(s, ",") + "]"
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// scaleHeader describes the setup in the output.
func scaleHeader(opts ScaleOptions) string {
	cycles := "2 up to 200 models, else 1"
	if opts.Reps > 0 {
		cycles = fmt.Sprint(opts.Reps)
	}
	backend := "file backend, checkpoint after every step"
	if opts.SkipCheckpoints {
		backend = "file backend, PULUMI_SKIP_CHECKPOINTS=true"
	}
	return fmt.Sprintf("# scale: real Pulumi CLI, YAML program of N models, ours vs a no-op provider with the same schema; "+
		"emulator 4 workers reloading every 30 s; %s; parallel %d (4 x %d CPUs); "+
		"create/destroy cycles per provider: %s; noop_up and refresh %d times per cycle; medians; "+
		"ratio = ours/no-op wall time; noop_up = second up, no changes",
		backend, 4*runtime.GOMAXPROCS(0), runtime.GOMAXPROCS(0), cycles, max(opts.Repeat, 1))
}

// ---- running outside `go test` ----

// benchTB satisfies testing.TB for tests/internal/clitest outside a test:
// Fatal panics with a benchFatal (recovered by runScaleMain), TempDir and
// Cleanup are backed by a list run by cleanup. Methods clitest does not use
// panic (the embedded nil interface).
type benchTB struct {
	testing.TB
	verbose  bool
	cleanups []func()
}

type benchFatal struct{ msg string }

func (b *benchTB) Helper() {}
func (b *benchTB) Logf(format string, args ...any) {
	if b.verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}
func (b *benchTB) Log(args ...any)                   { b.Logf("%s", fmt.Sprint(args...)) }
func (b *benchTB) Fatal(args ...any)                 { panic(benchFatal{fmt.Sprint(args...)}) }
func (b *benchTB) Fatalf(format string, args ...any) { panic(benchFatal{fmt.Sprintf(format, args...)}) }
func (b *benchTB) Error(args ...any)                 { b.Fatal(args...) }
func (b *benchTB) Errorf(format string, args ...any) { b.Fatalf(format, args...) }
func (b *benchTB) FailNow()                          { b.Fatal("FailNow") }
func (b *benchTB) Name() string                      { return "bench-scale" }
func (b *benchTB) Cleanup(f func())                  { b.cleanups = append(b.cleanups, f) }
func (b *benchTB) TempDir() string {
	dir, err := os.MkdirTemp("", "bench-scale-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func (b *benchTB) cleanup() {
	for i := len(b.cleanups) - 1; i >= 0; i-- {
		b.cleanups[i]()
	}
	b.cleanups = nil
}

// runScaleMain builds the no-op provider into <bin>/bench-noop and measures
// every N.
func runScaleMain(ns []int, opts ScaleOptions) (rs []ScaleResult, err error) {
	if opts.SkipCheckpoints {
		// clitest passes the bench's environment on to the CLI.
		os.Setenv("PULUMI_SKIP_CHECKPOINTS", "true")
		defer os.Unsetenv("PULUMI_SKIP_CHECKPOINTS")
	}
	tb := &benchTB{verbose: opts.Verbose}
	defer tb.cleanup()
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(benchFatal)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("%s", f.msg)
		}
	}()
	_, bin := clitest.Dirs(tb)
	noopDir := filepath.Join(bin, "bench-noop")
	if err := buildNoop(clitest.RepoRoot(tb), noopDir); err != nil {
		return nil, err
	}
	ours := scaleProvider{"ours", bin}
	noop := scaleProvider{"noop", noopDir}
	for _, n := range ns {
		r := runScale(tb, n, ours, noop, opts)
		for _, l := range formatScale(r) {
			fmt.Println(l)
		}
		rs = append(rs, r)
		tb.cleanup()
	}
	return rs, nil
}
