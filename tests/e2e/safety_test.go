package e2e

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
	"github.com/pulumi-litellm/pulumi-litellm/tests/internal/clitest"
)

// The probes of "Never take over, never lose, never replace by accident",
// through the real CLI, engine, YAML host and provider binary.

const pinnedProgram = `resources:
  openai:
    type: litellm:index:Credential
    properties:
      credentialName: openai-safety
      credentialValues:
        api_key: sk-safety-upstream-0123456789
  pinned:
    type: litellm:index:Model
    properties:
      modelName: pinned
      litellmParams:
        model: openai/gpt-4o
        litellmCredentialName: ${openai.credentialName}
      modelInfo:
        id: pinned-1
  free:
    type: litellm:index:Model
    properties:
      modelName: free
      litellmParams:
        model: openai/gpt-4o-mini
        litellmCredentialName: ${openai.credentialName}
outputs:
  freeId: ${free.modelId}
`

func safetyProject(t *testing.T, emu *emulator.Emulator, url, body string) *clitest.Project {
	t.Helper()
	pr := clitest.NewYAML(t, "litellm-safety", body)
	pr.Run("config", "set", "litellm:baseUrl", url)
	pr.Run("config", "set", "--secret", "litellm:apiKey", masterKey)
	pr.Run("config", "set", "litellm:reloadInterval", "1s")
	return pr
}

func modelIDs(emu *emulator.Emulator) map[string]string {
	out := map[string]string{}
	for _, m := range emu.Models() {
		out[m.ModelName] = m.ID
	}
	return out
}

// Changing any provider setting plans an in-place update of the provider and
// changes no resource; a base URL with a trailing slash is no change at all.
func TestProviderConfigChangeReplacesNothing(t *testing.T) {
	emu, ts := emulator.NewServer(emulator.Options{MasterKey: masterKey, Workers: 2, ReloadInterval: time.Second})
	defer ts.Close()
	pr := safetyProject(t, emu, ts.URL, pinnedProgram)
	pr.Run("up", "--yes", "--skip-preview")
	before := modelIDs(emu)

	pr.Run("config", "set", "litellm:maxWait", "6m")
	pr.Run("config", "set", "litellm:requestTimeout", "30s")
	pr.Run("config", "set", "litellm:changedBy", "ci")
	out := pr.Run("preview", "--diff")
	if strings.Contains(out, "replace") || !strings.Contains(out, "4 unchanged") {
		t.Fatalf("a provider setting must update the provider in place, replacing nothing:\n%s", out)
	}
	pr.Run("up", "--yes", "--skip-preview")
	pr.Run("up", "--yes", "--expect-no-changes")
	if after := modelIDs(emu); fmt.Sprint(after) != fmt.Sprint(before) || len(emu.Credentials()) != 1 {
		t.Fatalf("models changed: %v -> %v", before, after)
	}

	pr.Run("config", "rm", "litellm:maxWait")
	pr.Run("up", "--yes", "--skip-preview")
	pr.Run("config", "set", "litellm:baseUrl", ts.URL+"/")
	pr.Run("preview", "--expect-no-changes")
	if after := modelIDs(emu); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("models changed: %v -> %v", before, after)
	}
}

// Values from LITELLM_API_BASE/LITELLM_API_KEY are read when the provider
// runs and never stored: a wrong key in the environment fails the next
// refresh, and says that the environment's key was rejected.
func TestEnvironmentConfigIsNotStored(t *testing.T) {
	emu, ts := emulator.NewServer(emulator.Options{MasterKey: masterKey})
	defer ts.Close()
	pr := clitest.NewYAML(t, "litellm-env", pinnedProgram)
	pr.Run("config", "set", "litellm:reloadInterval", "1s")
	pr.Setenv("LITELLM_API_BASE", ts.URL)
	pr.Setenv("LITELLM_API_KEY", masterKey)
	pr.Run("up", "--yes", "--skip-preview")
	if len(emu.Models()) != 2 {
		t.Fatal("models")
	}
	raw, _ := stackExport(t, pr)
	for _, s := range []string{ts.URL, strings.TrimPrefix(ts.URL, "http://"), masterKey} {
		if strings.Contains(raw, s) {
			t.Fatalf("the state holds %q from the environment", s)
		}
	}
	pr.Setenv("LITELLM_API_KEY", "sk-wrong-environment-key-0000")
	out, err := pr.Exec("refresh", "--yes")
	if err == nil || !strings.Contains(out, "LITELLM_API_KEY environment variable") || strings.Contains(out, "sk-wrong-environment-key-0000") {
		t.Fatalf("refresh with a wrong environment key: %v\n%s", err, out)
	}
}

// `pulumi up --replace` of a model that pins its ID replaces it in place
// (the engine creates before it deletes, which a kept ID cannot do): one
// model under the ID afterwards, never none and never the old one adopted
// and then deleted. With the deleteBeforeReplace option the engine deletes
// first, and the result is the same.
func TestReplaceOfAPinnedModel(t *testing.T) {
	for _, gen := range []string{emulator.VersionNewest, emulator.VersionLegacy} {
		t.Run(gen, func(t *testing.T) {
			emu, ts := emulator.NewServer(emulator.Options{MasterKey: masterKey, Version: gen})
			defer ts.Close()
			pr := safetyProject(t, emu, ts.URL, pinnedProgram)
			pr.Run("up", "--yes", "--skip-preview")
			_, st := stackExport(t, pr)
			var urn string
			for _, r := range st.Deployment.Resources {
				if strings.HasSuffix(r.URN, "::pinned") {
					urn = r.URN
				}
			}
			before := emu.Models()
			pr.Run("up", "--yes", "--skip-preview", "--replace", urn)
			check := func(when string) {
				t.Helper()
				var pinned []emulator.Model
				for _, m := range emu.Models() {
					if m.ID == "pinned-1" {
						pinned = append(pinned, m)
					}
				}
				if len(pinned) != 1 || len(emu.Models()) != 2 {
					t.Fatalf("%s: models %+v", when, emu.Models())
				}
				for _, m := range before {
					if m.ID == "pinned-1" && !pinned[0].CreatedAt.After(m.CreatedAt) {
						t.Fatalf("%s: the model was not replaced", when)
					}
				}
			}
			check("after --replace")
			pr.Run("up", "--yes", "--expect-no-changes")
			before = emu.Models()
			pr.WriteProgram("litellm-safety", strings.Replace(pinnedProgram, "        id: pinned-1\n", "        id: pinned-1\n    options:\n      deleteBeforeReplace: true\n", 1))
			pr.Run("up", "--yes", "--skip-preview", "--replace", urn)
			check("after --replace with deleteBeforeReplace")
		})
	}
}

// Importing an ID the proxy does not have fails and records nothing.
func TestImportOfAMissingModelFails(t *testing.T) {
	emu, ts := emulator.NewServer(emulator.Options{MasterKey: masterKey})
	defer ts.Close()
	pr := safetyProject(t, emu, ts.URL, "resources: {}\n")
	out, err := pr.Exec("import", "litellm:index:Model", "ghost", "does-not-exist", "--yes", "--generate-code=false")
	if err == nil || !strings.Contains(out, "cannot import") {
		t.Fatalf("import of a missing ID: %v\n%s", err, out)
	}
	raw, _ := stackExport(t, pr)
	if strings.Contains(raw, "ghost") {
		t.Fatalf("the failed import was recorded:\n%s", raw)
	}
}

// interruptedProgram declares n models (the last two with a pinned ID) and a
// credential.
func interruptedProgram(n int) string {
	var b strings.Builder
	b.WriteString("resources:\n  cred:\n    type: litellm:index:Credential\n    properties:\n      credentialName: interrupted\n" +
		"      credentialValues:\n        api_key: sk-interrupted-upstream-000\n")
	for i := range n {
		fmt.Fprintf(&b, "  m%02d:\n    type: litellm:index:Model\n    properties:\n      modelName: model-%02d\n      litellmParams:\n        model: openai/gpt-4o\n", i, i)
		if i >= n-2 {
			fmt.Fprintf(&b, "      modelInfo:\n        id: pinned-%02d\n", i)
		}
	}
	return b.String()
}

// A hard interruption mid-`up` (a kill -9 of the provider, a kill -9 of the
// CLI, a second Ctrl-C) leaves objects on the proxy that the stack does not
// know. The next `pulumi up` converges to exactly the declared objects: no
// duplicate, no orphan; destroy then leaves the proxy empty. The emulator
// has four workers balanced per connection, and holds every create's answer
// back after committing it, so the interruption always finds creates that
// landed but were never recorded.
func TestInterruptedUpConverges(t *testing.T) {
	const n = 16
	for _, tc := range []struct {
		name      string
		interrupt func(t *testing.T, run *clitest.Running)
	}{
		{"kill -9 of the provider", func(t *testing.T, run *clitest.Running) {
			pids := run.Children("pulumi-resource-litellm")
			if len(pids) == 0 {
				t.Fatalf("no provider process:\n%s", run.Output())
			}
			for _, pid := range pids {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			_ = run.Wait(2 * time.Minute)
		}},
		{"kill -9 of the CLI", func(t *testing.T, run *clitest.Running) {
			pids := run.Children("pulumi-resource-litellm")
			if len(pids) == 0 {
				t.Fatalf("no provider process:\n%s", run.Output())
			}
			run.Signal(syscall.SIGKILL)
			_ = run.Wait(time.Minute)
			// The provider notices that its CLI is gone and stops by itself.
			start := time.Now()
			for _, pid := range pids {
				for syscall.Kill(pid, 0) == nil {
					if time.Since(start) > 15*time.Second {
						t.Fatalf("the provider (pid %d) still runs %v after its CLI was killed", pid, time.Since(start))
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			t.Logf("the provider stopped %v after its CLI was killed", time.Since(start).Round(100*time.Millisecond))
		}},
		{"a Ctrl-C", func(t *testing.T, run *clitest.Running) {
			// The engine cancels: no new operation starts, and the provider
			// abandons its waits; the up ends with an error.
			run.Signal(syscall.SIGINT)
			if err := run.Wait(2 * time.Minute); err == nil {
				t.Fatalf("the cancelled up succeeded:\n%s", run.Output())
			}
			if out := run.Output(); strings.Contains(out, "customTimeouts") || strings.Contains(out, "maxWait") ||
				!strings.Contains(out, "cancelled before it finished") {
				t.Fatalf("a cancellation must say so, not blame the timeouts:\n%s", out)
			}
		}},
		{"a second Ctrl-C", func(t *testing.T, run *clitest.Running) {
			// The first asks the engine to cancel; the second, before it could,
			// terminates the CLI at once.
			pids := run.Children("pulumi-resource-litellm")
			run.Signal(syscall.SIGINT)
			time.Sleep(10 * time.Millisecond) // two signals at once would arrive as one
			run.Signal(syscall.SIGINT)
			_ = run.Wait(time.Minute)
			if !strings.Contains(run.Output(), "terminat") {
				t.Logf("the CLI did not report an immediate termination:\n%s", run.Output())
			}
			time.Sleep(time.Second)
			for _, pid := range pids {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, ts := emulator.NewServer(emulator.Options{MasterKey: masterKey, Workers: 4, ReloadInterval: time.Second,
				Faults: emulator.Faults{AnswerDelay: 800 * time.Millisecond, Paths: []string{"POST /model/new", "POST /credentials"}}})
			defer ts.Close()
			pr := safetyProject(t, emu, ts.URL, interruptedProgram(n))
			run := pr.Start("up", "--yes", "--skip-preview", "--parallel", "4")
			deadline := time.Now().Add(time.Minute)
			for len(emu.Models()) < 5 {
				if time.Now().After(deadline) {
					t.Fatalf("the up made no progress:\n%s", run.Output())
				}
				time.Sleep(20 * time.Millisecond)
			}
			tc.interrupt(t, run)
			t.Logf("the interrupted up printed:\n%s", run.Output())
			if tc.name == "kill -9 of the CLI" {
				// As the CLI's error says: the dead process's lock stays.
				if out, err := pr.Exec("cancel", "--yes"); err != nil {
					// Killed while writing its checkpoint: the user restores
					// the backend's backup, then cancels.
					if !strings.Contains(out, "failed to load checkpoint") || !pr.RestoreCheckpointBackup() {
						t.Fatalf("pulumi cancel: %v\n%s", err, out)
					}
					t.Log("the checkpoint was unreadable after the kill; restored the backend's backup")
					pr.Run("cancel", "--yes")
				}
			}
			_, st := stackExport(t, pr)
			recorded, pending := map[string]bool{}, map[string]bool{}
			for _, r := range st.Deployment.Resources {
				recorded[r.ID] = true
				if r.Outputs["createPending"] == true {
					pending[r.ID] = true
				}
			}
			// In-flight creates are either unknown to the stack (a hard
			// interruption) or recorded as pending (the engine could still
			// cancel them); either way the next up must settle them.
			orphans, unsettled := 0, 0
			for _, m := range emu.Models() {
				if !recorded[m.ID] && !strings.HasPrefix(m.ID, "pinned-") {
					orphans++
				}
				if pending[m.ID] {
					unsettled++
				}
			}
			if orphans+unsettled == 0 && tc.name != "a Ctrl-C" { // a cancel may let every started create finish
				t.Fatalf("no create left to settle after the interruption: the test proves nothing\n%s", run.Output())
			}
			t.Logf("after the interruption: %d models on the proxy, %d unknown to the stack, %d recorded as pending", len(emu.Models()), orphans, unsettled)

			emu.SetFaults(emulator.Faults{})
			pr.Run("up", "--yes", "--skip-preview")
			models := emu.Models()
			names := map[string]bool{}
			for _, m := range models {
				names[m.ModelName] = true
			}
			if len(models) != n || len(names) != n || len(emu.Credentials()) != 1 {
				t.Fatalf("after the next up: %d models (%d names), %d credentials; want %d, %d, 1", len(models), len(names), len(emu.Credentials()), n, n)
			}
			_, st = stackExport(t, pr)
			ids := map[string]bool{}
			for _, r := range st.Deployment.Resources {
				ids[r.ID] = true
			}
			for _, m := range models {
				if !ids[m.ID] {
					t.Fatalf("model %s (%s) is on the proxy but not in the stack", m.ID, m.ModelName)
				}
			}
			pr.Run("up", "--yes", "--expect-no-changes")
			pr.Run("destroy", "--yes", "--skip-preview")
			if len(emu.Models()) != 0 || len(emu.Credentials()) != 0 {
				t.Fatalf("after destroy: %d models, %d credentials", len(emu.Models()), len(emu.Credentials()))
			}
		})
	}
}
