// Command litellm-emulator serves the LiteLLM admin-API emulator of
// tests/emulator on a local port (make demo, manual tests, scripts).
//
//	litellm-emulator -addr 127.0.0.1:0 -port-file /tmp/emu.url -workers 4 -reload-interval 2s
//
// It answers like the newest LiteLLM unless -version legacy, balances
// connections over the workers unless -routing request, and prints
// "listening on http://ADDR" once it accepts connections. It exits cleanly on
// SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	var ue usageError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.As(err, &ue):
		os.Exit(2) // the flag package has printed the error and the usage
	default:
		log.Fatal(err)
	}
}

// usageError is a command-line error the flag package has already reported.
type usageError struct{ error }

// run parses args, serves until ctx is done, then shuts down.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o emulator.Options
	fs := flag.NewFlagSet("litellm-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:4000", "listen address (port 0 picks a free one)")
	portFile := fs.String("port-file", "", "write the base URL (http://HOST:PORT) to this file once listening")
	verbose := fs.Bool("v", false, "log every request to stderr (method, path, status; never bodies)")
	fs.StringVar(&o.MasterKey, "master-key", emulator.DefaultMasterKey, "master key")
	fs.IntVar(&o.Workers, "workers", 1, "workers, each with its own router and credential list")
	fs.DurationVar(&o.ReloadInterval, "reload-interval", 30*time.Second, "router reload interval of every worker")
	fs.DurationVar(&o.ReplicaLag, "replica-lag", 0, "delay before a write reaches the /v2/model/info DB fallback")
	fs.BoolVar(&o.V2RouterOnly, "v2-router-only", false, "emulate proxies whose /v2/model/info has no DB fallback")
	fs.StringVar(&o.Version, "version", emulator.VersionNewest, "LiteLLM generation to answer like: newest or legacy")
	fs.StringVar(&o.Routing, "routing", emulator.RoutePerConnection, "worker per TCP connection (connection) or per request (request)")
	fs.BoolVar(&o.PubSub, "pubsub", false, "Redis config-sync: a model/credential write makes every worker resync 1-6 s later")
	fs.Float64Var(&o.Faults.ErrorRate, "error-rate", 0, "fraction of requests answered 503")
	fs.Float64Var(&o.Faults.ThrottleRate, "throttle-rate", 0, "fraction of requests answered 429")
	fs.DurationVar(&o.Faults.RetryAfter, "retry-after", time.Second, "Retry-After of the 429 answers")
	fs.DurationVar(&o.Faults.Latency, "latency", 0, "latency added to every answer")
	fs.Float64Var(&o.Faults.DropAfterCommitRate, "drop-after-commit-rate", 0, "fraction of writes applied and then answered by a closed connection")
	fs.Float64Var(&o.Faults.SavedNotLiveRate, "saved-not-live-rate", 0, "fraction of model creates/PATCHes saved but not live on the answering worker (500)")
	fs.Int64Var(&o.Seed, "seed", 0, "random seed (0: time-based)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if o.Version != emulator.VersionNewest && o.Version != emulator.VersionLegacy {
		return fmt.Errorf("-version must be %s or %s, not %q", emulator.VersionNewest, emulator.VersionLegacy, o.Version)
	}
	if o.Routing != emulator.RoutePerConnection && o.Routing != emulator.RoutePerRequest {
		return fmt.Errorf("-routing must be %s or %s, not %q", emulator.RoutePerConnection, emulator.RoutePerRequest, o.Routing)
	}
	if *verbose {
		o.Logf = log.New(stderr, "", log.LstdFlags).Printf
	}

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + l.Addr().String()
	if *portFile != "" {
		// Written atomically, so a script polling for the file never reads half a URL.
		tmp := filepath.Join(filepath.Dir(*portFile), "."+filepath.Base(*portFile)+".tmp")
		if err := os.WriteFile(tmp, []byte(url), 0o644); err != nil {
			_ = l.Close()
			return err
		}
		if err := os.Rename(tmp, *portFile); err != nil {
			_ = l.Close()
			return err
		}
		defer os.Remove(*portFile)
	}
	emu := emulator.New(o)
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second, ConnContext: emu.ConnContext}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	fmt.Fprintln(stdout, "listening on", url)

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Print(err)
	}
	return nil
}
