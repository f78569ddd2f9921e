// Command bench compares pulumi-litellm's confirmation policy with the
// reference schedule (see README, "Benchmark"), and, with -scale, the real
// provider with a no-op provider of the same schema at N models through the
// real Pulumi CLI (scale.go). `make bench` runs every part.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
)

func main() {
	draws := flag.Int("draws", 1000, "lag draws per non-zero lag")
	sweep := flag.Bool("sweep", false, "also print candidate policies (how the default was chosen)")
	e2e := flag.Bool("e2e", false, "also run the end-to-end comparison (50 parallel creates against the emulator)")
	models := flag.Int("models", 50, "models in the end-to-end comparison")
	policy := flag.Bool("policy", true, "run the policy table (default on, off when -scale is given without -policy)")
	scale := flag.Bool("scale", false, "run the scale part: real CLI, N models, ours vs a no-op provider (needs `make tools build`)")
	scaleN := flag.String("scale-n", "200,1000", "comma-separated model counts of the scale part")
	scaleReps := flag.Int("scale-reps", 0, "scale: create/destroy cycles per provider and N (0: 2 up to 200 models, else 1)")
	scaleRepeat := flag.Int("scale-repeat", 4, "scale: runs of the no-change up and of refresh per cycle")
	skipCkpt := flag.Bool("scale-skip-checkpoints", false, "scale: PULUMI_SKIP_CHECKPOINTS=true for both providers (diagnostic)")
	verbose := flag.Bool("scale-v", false, "log every CLI command of the scale part on stderr")
	flag.Parse()
	explicit := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	if *scale && !explicit["policy"] {
		*policy = false // -scale alone runs the scale part alone
	}
	ok := true

	if *policy {
		fmt.Println("# policy: overhead = confirmed - visible (virtual clock, jitter on)")
		rows := runPolicy(consistency.Default(), *draws, 1)
		for _, r := range rows {
			fmt.Println(formatPolicyRow(r))
		}
		gm, missed := PolicyVerdict(rows)
		fmt.Printf("policy geomean_ours_over_seed=%.2f targets=%s\n", gm, verdict(missed))
		ok = ok && len(missed) == 0
	}

	if *sweep {
		fmt.Println("# candidate policies (fibonacci unless named): first/cap -> geomean, reads at 30 s, overhead at 0.1 s")
		for _, c := range candidates() {
			rs := runPolicy(c.p, *draws, 1)
			g, m := PolicyVerdict(rs)
			fmt.Printf("candidate %-28s geomean=%.2f reads_30s=%.1f p50_0.1s_ms=%.0f p50_30s_ms=%.0f targets=%s\n",
				c.name, g, rs[len(rs)-1].OursReads, rs[1].OursP50ms, rs[len(rs)-1].OursP50ms, verdict(m))
		}
	}
	if *e2e {
		fmt.Println("# end to end: parallel creates, emulator with 4 workers reloading every 2 s")
		r, err := runE2E(*models)
		if err != nil {
			fmt.Println("e2e error:", err)
			os.Exit(1)
		}
		fmt.Println(formatE2E(r))
		missed := E2EVerdict(r)
		fmt.Printf("e2e targets=%s\n", verdict(missed))
		ok = ok && len(missed) == 0
	}
	if *scale {
		ns, err := parseInts(*scaleN)
		if err != nil {
			fmt.Println("scale error: -scale-n:", err)
			os.Exit(2)
		}
		opts := ScaleOptions{Reps: *scaleReps, Repeat: *scaleRepeat, SkipCheckpoints: *skipCkpt, Verbose: *verbose}
		fmt.Println(scaleHeader(opts))
		start := time.Now()
		rs, err := runScaleMain(ns, opts)
		if err != nil {
			fmt.Println("scale error:", err)
			os.Exit(1)
		}
		missed := ScaleVerdict(rs)
		fmt.Printf("scale total_s=%.0f targets=%s\n", time.Since(start).Seconds(), verdict(missed))
		ok = ok && len(missed) == 0
	}
	if !ok {
		os.Exit(1)
	}
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func verdict(missed []string) string {
	if len(missed) == 0 {
		return "met"
	}
	return fmt.Sprintf("MISSED %q", missed)
}

type candidate struct {
	name string
	p    consistency.Policy
}

func candidates() []candidate {
	mk := func(kind consistency.BackoffKind, first, capd time.Duration) candidate {
		p := consistency.Default()
		p.Backoff, p.First, p.Cap = kind, first, capd
		return candidate{fmt.Sprintf("%s %v/%v", kind, first, capd), p}
	}
	return []candidate{
		mk(consistency.Fibonacci, 10*time.Millisecond, 2*time.Second),
		mk(consistency.Fibonacci, 20*time.Millisecond, 3*time.Second),
		mk(consistency.Fibonacci, 15*time.Millisecond, 4*time.Second),
		mk(consistency.Fibonacci, 20*time.Millisecond, 4*time.Second),
		mk(consistency.Fibonacci, 25*time.Millisecond, 4*time.Second),
		mk(consistency.Fibonacci, 20*time.Millisecond, 5*time.Second),
		mk(consistency.Fibonacci, 50*time.Millisecond, 5*time.Second),
		mk(consistency.Fibonacci, 100*time.Millisecond, 5*time.Second),
		mk(consistency.Exponential, 20*time.Millisecond, 5*time.Second),
		mk(consistency.Exponential, 50*time.Millisecond, 5*time.Second),
	}
}
