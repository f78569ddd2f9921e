package integration

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

// These tests give the provider a long maxWait: a broken proxy must fail
// long before it.
const longWait = "10m"

// reasons is an error's text, with the reasons of a partial create (which
// the engine shows the user).
func reasons(err error) string {
	if err == nil {
		return ""
	}
	var init infer.ResourceInitFailedError
	if errors.As(err, &init) {
		return err.Error() + ": " + strings.Join(init.Reasons, "; ")
	}
	return err.Error()
}

func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// A proxy that refuses connections fails a create, a refresh and a delete
// within seconds, naming the address, and records nothing (nothing can
// have landed).
func TestUnreachableProxyFailsInSeconds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulatorOptions(), map[string]any{"maxWait": longWait})
	base := "http://" + closedAddr(t)
	s, _ := h.server(map[string]any{"baseUrl": base}, h.providerState)
	u := urn("Model", "down")

	start := time.Now()
	resp, err := h.createOn(s, u, modelInputs("down"), 0)
	if err == nil || !strings.Contains(err.Error(), "cannot reach the proxy at "+base) {
		t.Fatalf("create: %v", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Fatalf("create failed after %v, want seconds", el)
	}
	if resp.ID != "" || resp.PartialState != nil {
		t.Fatalf("a create that never reached the proxy was recorded: %+v", resp)
	}

	created := h.mustCreate(u, modelInputs("down"))
	start = time.Now()
	if _, err := s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err == nil ||
		!strings.Contains(err.Error(), "cannot reach the proxy") {
		t.Fatalf("refresh: %v", err)
	}
	if err := s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err == nil ||
		!strings.Contains(err.Error(), "cannot reach the proxy") {
		t.Fatalf("delete: %v", err)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Fatalf("refresh and delete failed after %v, want seconds", el)
	}
}

// A gateway whose upstream is down answers 502 pages: the create stops
// well before maxWait with the gateway's status, records nothing (its
// upstream never took the request), and even when the page echoes the
// request, no value the program marked secret is in the error, whatever
// its key.
func TestGatewayErrorsStopEarlyAndNeverShowSecrets(t *testing.T) {
	t.Parallel()
	const hook = "https://hooks.example.com/services/T0/B0/private-webhook-token"
	const note = "rotated by ops, escrow code 8812-4471"
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{GatewayRate: 1, GatewayEcho: true}}, map[string]any{"maxWait": longWait})
	in := modelInputs("gw")
	in["litellmParams"].(map[string]any)["extra"] = map[string]any{"webhook_url": secret{hook}}
	cin := credInputs("gw-cred")
	cin["credentialInfo"] = map[string]any{"note": secret{note}}

	type result struct {
		resp p.CreateResponse
		err  error
	}
	done := make(chan result, 1)
	go func() {
		r, err := h.create(urn("Credential", "gw"), cin, 0)
		done <- result{r, err}
	}()
	start := time.Now()
	resp, err := h.create(urn("Model", "gw"), in, 0)
	el := time.Since(start)
	cred := <-done
	for _, r := range []result{{resp, err}, cred} {
		if r.err == nil || !strings.Contains(r.err.Error(), "502") {
			t.Fatalf("create through a broken gateway: %v", r.err)
		}
		for _, s := range []string{hook, "private-webhook-token", note, "8812-4471", upstreamKey, credSecret} {
			if strings.Contains(r.err.Error(), s) {
				t.Fatalf("secret %q in the error: %v", s, r.err)
			}
		}
		if r.resp.ID != "" || r.resp.PartialState != nil {
			t.Fatalf("a create the gateway refused was recorded: %+v", r.resp)
		}
	}
	if el > 60*time.Second {
		t.Fatalf("create failed after %v, want well before maxWait", el)
	}
	if len(h.emu.Models()) != 0 || len(h.emu.Credentials()) != 0 {
		t.Fatal("the emulator holds objects although the gateway refused every request")
	}
}

// A proxy that accepts requests and never answers is bounded by
// requestTimeout and a count of retries, not by maxWait. The create may
// have landed, so it is recorded for the next run to settle.
func TestHangingProxyIsBoundedByRequestTimeout(t *testing.T) {
	t.Parallel()
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{Hang: true}}, map[string]any{"maxWait": longWait, "requestTimeout": "1s"})
	start := time.Now()
	resp, err := h.create(urn("Model", "hang"), modelInputs("hang"), 0)
	if err == nil || !strings.Contains(reasons(err), "requestTimeout") {
		t.Fatalf("create: %v", reasons(err))
	}
	if el := time.Since(start); el > 60*time.Second {
		t.Fatalf("create failed after %v, want about 20 s", el)
	}
	if resp.ID == "" || resp.PartialState == nil {
		t.Fatalf("a create that may have landed was not recorded: %+v", resp)
	}
}
