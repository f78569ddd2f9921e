package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serve runs the command with args on a free port and returns its base URL.
func serve(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pf := filepath.Join(t.TempDir(), "url")
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-port-file", pf, "-master-key", "sk-cmd-test-key", "-seed", "1"}, args...), io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(pf); !os.IsNotExist(err) {
			t.Error("the port file must be removed on shutdown")
		}
	})
	for range 200 {
		if b, err := os.ReadFile(pf); err == nil {
			return string(b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no port file")
	return ""
}

func call(t *testing.T, hc *http.Client, method, url, body, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const cred = `{"credential_name":"c","credential_values":{"api_key":"k"},"credential_info":{}}`

func TestFlagsLegacyPerRequestSavedNotLive(t *testing.T) {
	url := serve(t, "-version", "legacy", "-routing", "request", "-workers", "2", "-reload-interval", "1h", "-saved-not-live-rate", "1")
	hc := &http.Client{Transport: &http.Transport{}}
	if code, body := call(t, hc, "GET", url+"/v2/model/info", "", "sk-wrong-key-000000"); code != 401 || !strings.Contains(body, "Invalid proxy server token passed") {
		t.Fatalf("-version legacy: %d %s", code, body)
	}
	if code, body := call(t, hc, "POST", url+"/model/new", `{"model_name":"m","litellm_params":{"model":"openai/gpt-4o"}}`, "sk-cmd-test-key"); code != 500 ||
		!strings.Contains(body, "Model create was saved to the database, but") {
		t.Fatalf("-saved-not-live-rate 1: %d %s", code, body)
	}
	call(t, hc, "POST", url+"/credentials", cred, "sk-cmd-test-key") // worker 1
	c1, _ := call(t, hc, "GET", url+"/credentials/by_name/c", "", "sk-cmd-test-key")
	c2, _ := call(t, hc, "GET", url+"/credentials/by_name/c", "", "sk-cmd-test-key")
	if c1 != 404 || c2 != 200 {
		t.Fatalf("-routing request: one connection alternates workers: %d %d", c1, c2)
	}
}

func TestFlagsDefaultsNewestPerConnection(t *testing.T) {
	url := serve(t, "-workers", "2", "-reload-interval", "1h", "-pubsub")
	hc := &http.Client{Transport: &http.Transport{}}
	if code, body := call(t, hc, "GET", url+"/v2/model/info", "", "sk-wrong-key-000000"); code != 401 || !strings.Contains(body, "Invalid API key provided") {
		t.Fatalf("newest by default: %d %s", code, body)
	}
	call(t, hc, "POST", url+"/credentials", cred, "sk-cmd-test-key")
	for range 3 {
		if code, body := call(t, hc, "GET", url+"/credentials/by_name/c", "", "sk-cmd-test-key"); code != 200 {
			t.Fatalf("per connection by default: %d %s", code, body)
		}
	}
}

func TestFlagsRejectUnknownValues(t *testing.T) {
	for _, args := range [][]string{{"-version", "1.0"}, {"-routing", "random"}, {"extra"}} {
		if err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, io.Discard); err == nil {
			t.Fatalf("%v: want an error", args)
		}
	}
}
