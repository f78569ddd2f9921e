// Package clitest drives the real Pulumi CLI (built by `make tools`) and the
// real provider binary (built by `make build`) from Go tests, fully offline:
// a private PULUMI_HOME, a file:// backend, a passphrase, no update check and
// no plugin downloads.
package clitest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// RepoRoot finds the directory holding go.mod above the working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Dirs returns the toolchain folder (pulumi, pulumi-language-yaml) and the
// folder holding pulumi-resource-litellm. Missing binaries fail the test
// with the make target that builds them: these tests never skip.
func Dirs(t testing.TB) (tools, bin string) {
	t.Helper()
	root := RepoRoot(t)
	tools = envOr("PULUMI_LITELLM_TOOLS", filepath.Join(root, ".tools", "bin"))
	bin = envOr("PULUMI_LITELLM_BIN", filepath.Join(root, "bin"))
	for _, f := range []string{filepath.Join(tools, "pulumi"), filepath.Join(tools, "pulumi-language-yaml")} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%s is missing: run `make tools` (or `make test`, which builds it)", f)
		}
	}
	if _, err := os.Stat(filepath.Join(bin, "pulumi-resource-litellm")); err != nil {
		t.Fatalf("%s/pulumi-resource-litellm is missing: run `make build`", bin)
	}
	return tools, bin
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// Project is one Pulumi project in a temporary directory with its own
// backend and home.
type Project struct {
	t        testing.TB
	Dir      string
	Stack    string
	StateDir string // the file backend's folder
	env      []string
	cli      string
}

// RestoreCheckpointBackup puts the file backend's backup of the stack's
// checkpoint back in place, as a user does when a CLI killed mid-write left
// the checkpoint unreadable. It reports whether there was a backup.
func (p *Project) RestoreCheckpointBackup() bool {
	p.t.Helper()
	restored := false
	_ = filepath.WalkDir(filepath.Join(p.StateDir, ".pulumi", "stacks"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".bak") {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err == nil && os.WriteFile(strings.TrimSuffix(path, ".bak"), raw, 0o644) == nil {
			restored = true
		}
		return nil
	})
	return restored
}

// NewYAML writes a YAML project whose `resources:` and `outputs:` sections are
// body (the provider's plugin path is filled in) and selects a new stack.
func NewYAML(t testing.TB, name, body string) *Project {
	t.Helper()
	_, bin := Dirs(t)
	return NewYAMLWithPlugin(t, name, body, bin)
}

// NewYAMLWithPlugin is NewYAML with the provider taken from pluginDir, or,
// when pluginDir is empty, from the plugins installed in the project's
// PULUMI_HOME (pulumi plugin install).
func NewYAMLWithPlugin(t testing.TB, name, body, pluginDir string) *Project {
	t.Helper()
	tools, _ := Dirs(t)
	base := t.TempDir()
	dir := filepath.Join(base, "project")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	plugins := ""
	if pluginDir != "" {
		plugins = fmt.Sprintf("plugins:\n  providers:\n    - name: litellm\n      path: %s\n", pluginDir)
	}
	yaml := fmt.Sprintf("name: %s\nruntime: yaml\n%s%s", name, plugins, body)
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return newProject(t, base, dir, filepath.Join(tools, "pulumi"), tools)
}

// NewExample copies examples/<name> of the repository to
// <tmp>/examples/<name>, next to links <tmp>/bin and <tmp>/sdk to the
// repository's, so that the example's own relative paths (../../bin for the
// provider, ../../sdk/... for the SDK) resolve unchanged. The CLI runs from a
// private tools folder that also holds the test language hosts
// (bin/langhost, built by `make build`) for nodejs, python and go programs.
func NewExample(t testing.TB, name string) *Project {
	t.Helper()
	tools, bin := Dirs(t)
	root := RepoRoot(t)
	base := t.TempDir()
	for _, l := range []string{"bin", "sdk"} {
		target := bin
		if l == "sdk" {
			target = filepath.Join(root, "sdk")
		}
		if err := os.Symlink(target, filepath.Join(base, l)); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(base, "examples", name)
	if err := copyTree(filepath.Join(root, "examples", name), dir); err != nil {
		t.Fatal(err)
	}
	// The language hosts are found next to the pulumi binary.
	hostDir := filepath.Join(base, "tools")
	if err := os.MkdirAll(hostDir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"pulumi":               filepath.Join(tools, "pulumi"),
		"pulumi-language-yaml": filepath.Join(tools, "pulumi-language-yaml"),
	}
	for _, rt := range []string{"nodejs", "python", "go"} {
		f := "pulumi-language-" + rt
		files[f] = filepath.Join(bin, "langhost", f)
	}
	for dst, src := range files {
		if _, err := os.Stat(src); err != nil {
			t.Fatalf("%s is missing: run `make build`", src)
		}
		if err := linkOrCopy(src, filepath.Join(hostDir, dst)); err != nil {
			t.Fatal(err)
		}
	}
	p := newProject(t, base, dir, filepath.Join(hostDir, "pulumi"), hostDir)
	p.env = append(p.env, "PULUMI_PYTHON_EXEC="+pythonExec(t))
	return p
}

func newProject(t testing.TB, base, dir, cli, pathDir string) *Project {
	p := &Project{t: t, Dir: dir, Stack: "test", cli: cli, StateDir: filepath.Join(base, "state")}
	p.env = append(os.Environ(),
		"PATH="+pathDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PULUMI_HOME="+filepath.Join(base, "home"),
		"PULUMI_BACKEND_URL=file://"+filepath.Join(base, "state"),
		"PULUMI_CONFIG_PASSPHRASE=test-passphrase",
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
		"PULUMI_IGNORE_AMBIENT_PLUGINS=true",
		"LITELLM_API_BASE=", "LITELLM_API_KEY=",
	)
	if err := os.MkdirAll(filepath.Join(base, "state"), 0o755); err != nil {
		t.Fatal(err)
	}
	p.Run("stack", "init", p.Stack)
	return p
}

// At is another project in dir (a program `pulumi convert` wrote, say) with
// this project's CLI, home, backend and environment, and a new stack.
func (p *Project) At(dir string) *Project {
	p.t.Helper()
	q := &Project{t: p.t, Dir: dir, Stack: p.Stack, StateDir: p.StateDir, env: slices.Clone(p.env), cli: p.cli}
	q.Run("stack", "init", q.Stack+"-"+filepath.Base(dir))
	return q
}

// Setenv sets an environment variable for every later command of the project.
func (p *Project) Setenv(key, value string) {
	p.env = append(p.env, key+"="+value)
}

// Command runs any command in the project directory with the project's
// environment (npm, pip, ...), failing the test on error.
func (p *Project) Command(name string, args ...string) string {
	p.t.Helper()
	out, err := p.run(name, args...)
	if err != nil {
		p.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// Edit replaces old by new in a file of the project (exactly once).
func (p *Project) Edit(file, old, new string) {
	p.t.Helper()
	path := filepath.Join(p.Dir, file)
	raw, err := os.ReadFile(path)
	if err != nil {
		p.t.Fatal(err)
	}
	if strings.Count(string(raw), old) != 1 {
		p.t.Fatalf("%s: %q occurs %d times, want once", file, old, strings.Count(string(raw), old))
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(raw), old, new, 1)), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// Append adds text to the end of a file of the project.
func (p *Project) Append(file, text string) {
	p.t.Helper()
	f, err := os.OpenFile(filepath.Join(p.Dir, file), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		p.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		p.t.Fatal(err)
	}
}

func pythonExec(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "github.com", "pulumi", "pulumi", "sdk", "v3@v3.274.1", "python", "cmd", "pulumi-language-python-exec")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s: %v (it ships in the github.com/pulumi/pulumi/sdk/v3 module: run `go mod download`)", path, err)
	}
	return path
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "venv" || d.Name() == "bin" || d.Name() == "__pycache__") {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasPrefix(d.Name(), "Pulumi.") && d.Name() != "Pulumi.yaml" {
			return nil // stack files of earlier local runs
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, raw, 0o644)
	})
}

func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, raw, 0o755)
}

// WriteProgram replaces the project's resources/outputs (keeps the header).
func (p *Project) WriteProgram(name, body string) {
	p.t.Helper()
	_, bin := Dirs(p.t)
	yaml := fmt.Sprintf("name: %s\nruntime: yaml\nplugins:\n  providers:\n    - name: litellm\n      path: %s\n%s", name, bin, body)
	if err := os.WriteFile(filepath.Join(p.Dir, "Pulumi.yaml"), []byte(yaml), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// Exec runs the CLI and returns its combined output and error.
func (p *Project) Exec(args ...string) (string, error) {
	p.t.Helper()
	return p.run(p.cli, nonInteractive(args)...)
}

// nonInteractive adds --non-interactive to the CLI's own flags (before a
// "--" that starts a plugin's arguments).
func nonInteractive(args []string) []string {
	if i := slices.Index(args, "--"); i >= 0 {
		return slices.Concat(args[:i], []string{"--non-interactive"}, args[i:])
	}
	return append(args, "--non-interactive")
}

// ExecIn runs the CLI in another directory (one that is not a project, such
// as the source of `pulumi convert`) with the project's environment.
func (p *Project) ExecIn(dir string, args ...string) (string, error) {
	p.t.Helper()
	return p.runIn(dir, p.cli, nonInteractive(args)...)
}

// RunIn is ExecIn, failing the test on error.
func (p *Project) RunIn(dir string, args ...string) string {
	p.t.Helper()
	out, err := p.ExecIn(dir, args...)
	if err != nil {
		p.t.Fatalf("pulumi %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return out
}

// run runs a command in the project directory with the project's environment.
func (p *Project) run(name string, args ...string) (string, error) {
	p.t.Helper()
	return p.runIn(p.Dir, name, args...)
}

func (p *Project) runIn(dir, name string, args ...string) (string, error) {
	p.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = p.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	p.t.Logf("%s %s (%.1fs)", filepath.Base(name), strings.Join(args, " "), time.Since(start).Seconds())
	return out.String(), err
}

// Run runs the CLI and fails the test on error.
func (p *Project) Run(args ...string) string {
	p.t.Helper()
	out, err := p.Exec(args...)
	if err != nil {
		p.t.Fatalf("pulumi %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// Running is a CLI command started in the background (Start).
type Running struct {
	t    testing.TB
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Start runs the CLI in the background; the test ends it with Kill or Wait.
func (p *Project) Start(args ...string) *Running {
	p.t.Helper()
	cmd := exec.Command(p.cli, append(args, "--non-interactive")...)
	cmd.Dir = p.Dir
	cmd.Env = p.env
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	r := &Running{t: p.t, cmd: cmd, out: out, done: make(chan error, 1)}
	go func() { r.done <- cmd.Wait() }()
	p.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-r.done
	})
	return r
}

// Output is what the command printed so far.
func (r *Running) Output() string { return r.out.String() }

// Signal sends a signal to the CLI process.
func (r *Running) Signal(sig os.Signal) {
	r.t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		r.t.Fatalf("signal %v: %v\n%s", sig, err, r.Output())
	}
}

// Wait waits for the command to end, at most d.
func (r *Running) Wait(d time.Duration) error {
	r.t.Helper()
	select {
	case err := <-r.done:
		r.done <- err
		return err
	case <-time.After(d):
		r.t.Fatalf("the command did not end within %v:\n%s", d, r.Output())
	}
	return nil
}

// Children returns the PIDs of the CLI's child processes whose command
// line contains name (e.g. "pulumi-resource-litellm").
func (r *Running) Children(name string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(r.cmd.Process.Pid) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if strings.Contains(string(cmdline), name) {
			pids = append(pids, pid)
		}
	}
	return pids
}
