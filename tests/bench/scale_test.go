package main

import (
	"path/filepath"
	"testing"

	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

// The scale part runs end to end at a tiny N for both providers: every
// command succeeds (runScale fails the test otherwise, and checks that the
// proxy holds N models after up and none after destroy). Timings are printed,
// never asserted.
func TestScaleSmoke(t *testing.T) {
	_, bin := clitest.Dirs(t)
	noopDir := filepath.Join(t.TempDir(), "noop")
	if err := buildNoop(clitest.RepoRoot(t), noopDir); err != nil {
		t.Fatal(err)
	}
	r := runScale(t, 3, scaleProvider{"ours", bin}, scaleProvider{"noop", noopDir}, ScaleOptions{Reps: 1, Repeat: 1})
	for _, l := range formatScale(r) {
		t.Log(l)
	}
	for _, c := range scaleCmds {
		if len(r.Ours[c.name]) != 1 || len(r.Noop[c.name]) != 1 {
			t.Fatalf("%s: %d/%d samples, want 1/1", c.name, len(r.Ours[c.name]), len(r.Noop[c.name]))
		}
	}
	if n := r.Requests["up"]["POST /model/new"]; n != 3 {
		t.Fatalf("ours made %d creates, want 3", n)
	}
}
