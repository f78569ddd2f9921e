package litellm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// closedPort returns an address on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestTransportErrors(t *testing.T) {
	ctx := context.Background()

	t.Run("connection refused: transient, never ambiguous (nothing was sent)", func(t *testing.T) {
		c, err := New(Config{BaseURL: "http://" + closedPort(t), APIKey: testKey})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []call{createModel, getModel, deleteCred} {
			err := f(ctx, c)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindTransient || e.Ambiguous || e.Status != 0 || e.Err == nil {
				t.Fatalf("refused: %#v", err)
			}
			if !strings.Contains(err.Error(), "connection refused") {
				t.Fatalf("refused: %v", err)
			}
		}
	})

	t.Run("connection dropped after the request was read: ambiguous for writes", func(t *testing.T) {
		drop := func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}
		c := stub(t, drop)
		for _, f := range []call{createModel, updateModel, deleteModel, createCred, updateCred, deleteCred} {
			err := f(ctx, c)
			if !IsTransient(err) || !IsAmbiguous(err) {
				t.Fatalf("dropped write: %v", err)
			}
		}
		err := getModel(ctx, c)
		if !IsTransient(err) || IsAmbiguous(err) {
			t.Fatalf("dropped read: %v", err)
		}
	})

	t.Run("request timeout: transient, ambiguous for writes, not the caller's deadline", func(t *testing.T) {
		release := make(chan struct{})
		c := stub(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond })
		t.Cleanup(func() { close(release) })
		start := time.Now()
		err := createModel(ctx, c)
		if !IsTransient(err) || !IsAmbiguous(err) || !strings.Contains(err.Error(), "no answer within 100ms") {
			t.Fatalf("timeout: %v", err)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatal("a request timeout must not look like the caller's deadline")
		}
		if time.Since(start) > time.Second {
			t.Fatalf("timeout took %v", time.Since(start))
		}
		if err := getModel(ctx, c); !IsTransient(err) || IsAmbiguous(err) {
			t.Fatalf("read timeout: %v", err)
		}
	})

	t.Run("caller's cancellation and deadline stay visible to errors.Is", func(t *testing.T) {
		release := make(chan struct{})
		c := stub(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		t.Cleanup(func() { close(release) })
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := getModel(cctx, c); !errors.Is(err, context.Canceled) || !IsTransient(err) {
			t.Fatalf("cancel: %v", err)
		}
		dctx, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel2()
		err := createModel(dctx, c)
		if !errors.Is(err, context.DeadlineExceeded) || !IsAmbiguous(err) {
			t.Fatalf("deadline: %v", err)
		}
	})
}

func TestTLS(t *testing.T) {
	ts := httptest.NewUnstartedServer(answer(200, `{"data":[{"model_name":"a","litellm_params":{},"model_info":{"id":"m1"}}]}`))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is expected
	ts.StartTLS()
	defer ts.Close()
	ctx := context.Background()

	c, err := New(Config{BaseURL: ts.URL, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	err = getModel(ctx, c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindConfig || !strings.Contains(err.Error(), "caBundle") {
		t.Fatalf("untrusted certificate: %v", err)
	}

	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}))
	c, err = New(Config{BaseURL: ts.URL, APIKey: testKey, CABundlePEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	if err := getModel(ctx, c); err != nil {
		t.Fatalf("with CA bundle: %v", err)
	}
	c, _ = New(Config{BaseURL: ts.URL, APIKey: testKey, InsecureSkipVerify: true})
	if err := getModel(ctx, c); err != nil {
		t.Fatalf("insecure: %v", err)
	}
	if _, err := New(Config{BaseURL: ts.URL, APIKey: testKey, CABundlePEM: "not a certificate"}); err == nil {
		t.Fatal("bad CA bundle accepted")
	}

	// https:// against a plain-HTTP port.
	plain := httptest.NewServer(answer(200, `{}`))
	defer plain.Close()
	c, _ = New(Config{BaseURL: strings.Replace(plain.URL, "http://", "https://", 1), APIKey: testKey})
	if err := getModel(ctx, c); KindOf(err) != KindConfig || !strings.Contains(err.Error(), "http://") {
		t.Fatalf("TLS to a plain port: %v", err)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	c := stub(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/model/new?token=x", http.StatusTemporaryRedirect)
	})
	err := createModel(context.Background(), c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInvalid || e.Status != 307 || !strings.Contains(err.Error(), "redirected to "+other.URL+"/model/new") {
		t.Fatalf("redirect: %v", err)
	}
	if strings.Contains(err.Error(), "token=x") {
		t.Fatalf("redirect query echoed: %v", err)
	}
	if elsewhere.Load() != 0 {
		t.Fatal("the key was sent to the redirect target")
	}
}

func TestBaseURLJoiningAndEscaping(t *testing.T) {
	var mu sync.Mutex
	var got string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Method + " " + r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			got += "?" + r.URL.RawQuery
		}
		mu.Unlock()
		switch {
		case strings.Contains(r.URL.Path, "/credentials/by_name/"):
			answer(200, `{"credential_name":"x","credential_values":{},"credential_info":{}}`)(w, r)
		case strings.HasPrefix(r.URL.Path, "/credentials/") || strings.HasSuffix(r.URL.Path, "/credentials/a/b?c#d e"):
			answer(200, `{"success":true}`)(w, r)
		default:
			answer(200, `{"data":[{"model_name":"a","litellm_params":{},"model_info":{"id":"id with/slash"}}]}`)(w, r)
		}
	}))
	defer ts.Close()
	last := func() string { mu.Lock(); defer mu.Unlock(); return got }
	ctx := context.Background()
	const name = "a/b?c#d e"
	const esc = "a%2Fb%3Fc%23d%20e"
	for _, base := range []string{ts.URL, ts.URL + "/", ts.URL + "/litellm", ts.URL + "/litellm/", ts.URL + "/lite%20llm/"} {
		c, err := New(Config{BaseURL: base, APIKey: testKey})
		if err != nil {
			t.Fatal(err)
		}
		prefix := strings.TrimSuffix(strings.TrimPrefix(base, ts.URL), "/")
		check := func(want string) {
			t.Helper()
			if g := last(); g != want {
				t.Fatalf("base %q: %q, want %q", base, g, want)
			}
		}
		if _, err := c.Credentials.Get(ctx, name); err != nil {
			t.Fatal(err)
		}
		check("GET " + prefix + "/credentials/by_name/" + esc)
		_ = c.Credentials.Update(ctx, name, Credential{})
		check("PATCH " + prefix + "/credentials/" + esc)
		_ = c.Credentials.Delete(ctx, name)
		check("DELETE " + prefix + "/credentials/" + esc)
		_ = c.Models.Update(ctx, "id with/slash", ModelUpdate{})
		check("PATCH " + prefix + "/model/id%20with%2Fslash/update")
		_, _ = c.Models.GetFromRouter(ctx, "id with/slash")
		check("GET " + prefix + "/model/info?litellm_model_id=id+with%2Fslash")
		_, _ = c.Models.Get(ctx, "id with/slash")
		check("GET " + prefix + "/v2/model/info?modelId=id+with%2Fslash")
		_ = c.Models.Delete(ctx, "m")
		check("POST " + prefix + "/model/delete")
		_ = c.Models.Update(ctx, "..", ModelUpdate{})
		check("PATCH " + prefix + "/model/%2E%2E/update")
	}

	c, _ := New(Config{BaseURL: ts.URL, APIKey: testKey})
	for _, f := range []func() error{
		func() error { _, err := c.Models.Get(ctx, ""); return err },
		func() error { _, err := c.Models.GetFromRouter(ctx, ""); return err },
		func() error { return c.Models.Update(ctx, "", ModelUpdate{}) },
		func() error { return c.Models.Delete(ctx, "") },
		func() error { _, err := c.Credentials.Get(ctx, ""); return err },
		func() error { return c.Credentials.Create(ctx, Credential{}) },
		func() error { return c.Credentials.Delete(ctx, "") },
	} {
		if err := f(); KindOf(err) != KindInvalid {
			t.Fatalf("empty id: %v", err)
		}
	}
}

func TestNewValidation(t *testing.T) {
	for _, bad := range []string{"", "  ", "litellm.example.com", "ftp://x", "http://", "http://host/?q=1", "http://host/#frag", "://x"} {
		if _, err := New(Config{BaseURL: bad, APIKey: testKey}); err == nil {
			t.Errorf("base URL %q accepted", bad)
		}
	}
	_, err := New(Config{BaseURL: "ftp://admin:hunter2secret@proxy", APIKey: testKey})
	if err == nil || strings.Contains(err.Error(), "hunter2secret") {
		t.Fatalf("password echoed or URL accepted: %v", err)
	}
	for _, key := range []string{"", "   "} {
		if _, err := New(Config{BaseURL: "http://x", APIKey: key}); err == nil {
			t.Fatalf("key %q accepted", key)
		}
	}
	_, err = New(Config{BaseURL: "http://x", APIKey: "sk-secret\nInjected: 1"})
	if err == nil || strings.Contains(err.Error(), "sk-secret") {
		t.Fatalf("bad key accepted or echoed: %v", err)
	}
	if _, err := New(Config{BaseURL: "http://x", APIKey: testKey, Headers: map[string]string{"X": "a\r\nb"}}); err == nil {
		t.Fatal("header injection accepted")
	}
}

func TestHeaders(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	var hosts []string
	c := stub(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		hosts = append(hosts, r.Host)
		mu.Unlock()
		if r.Method == http.MethodGet {
			answer(200, `{"data":[{"model_name":"a","litellm_params":{},"model_info":{"id":"m1"}}]}`)(w, r)
			return
		}
		answer(200, `{"success":true}`)(w, r)
	}, func(cfg *Config) {
		cfg.ChangedBy = "ci-bot"
		cfg.UserAgent = "pulumi-litellm/9.9.9"
		cfg.Headers = map[string]string{
			"CF-Access-Client-Id": "gw-id", "authorization": "Bearer other", "X-API-KEY": "other",
			"Host": "litellm.internal", "Content-Type": "text/plain",
		}
	})
	ctx := context.Background()
	if err := getModel(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := createCred(ctx, c); err != nil {
		t.Fatal(err)
	}
	get, post := seen[0], seen[1]
	for _, h := range seen {
		if vs := h.Values("Authorization"); len(vs) != 1 || vs[0] != "Bearer "+testKey {
			t.Fatalf("Authorization: %q", vs)
		}
		if vs := h.Values("X-Api-Key"); len(vs) != 1 || vs[0] != testKey {
			t.Fatalf("x-api-key: %q", vs)
		}
		if h.Get("Accept") != "application/json" || h.Get("User-Agent") != "pulumi-litellm/9.9.9" ||
			h.Get("Litellm-Changed-By") != "ci-bot" || h.Get("CF-Access-Client-Id") != "gw-id" {
			t.Fatalf("headers: %v", h)
		}
	}
	if get.Get("Content-Type") != "" || post.Get("Content-Type") != "application/json" {
		t.Fatalf("Content-Type: GET %q, POST %q", get.Get("Content-Type"), post.Get("Content-Type"))
	}
	if hosts[0] != "litellm.internal" {
		t.Fatalf("Host: %q", hosts[0])
	}

	// Defaults: no changed-by header, User-Agent pulumi-litellm.
	var h http.Header
	c = stub(t, func(w http.ResponseWriter, r *http.Request) { h = r.Header.Clone(); answer(200, `{}`)(w, r) })
	_ = deleteModel(ctx, c)
	if h.Get("User-Agent") != "pulumi-litellm" || h.Values("Litellm-Changed-By") != nil {
		t.Fatalf("defaults: %v", h)
	}
}

func TestSecretsNeverInErrorsOrLogs(t *testing.T) {
	const (
		upstream   = "sk-upstream-secret-000111222"
		awsSecret  = "AKIASECRETVALUE1234"
		nested     = "Bearer nested-header-secret"
		privateKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n"
		quoted     = `pa"ss\word-with-quotes`
		credValue  = "very-secret-credential-value"
		gwSecret   = "gateway-secret-header-value"
		otherKey   = "sk-abcdefghijklmnop"
	)
	vertex, _ := json.Marshal(map[string]string{"type": "service_account", "private_key": privateKey})
	var logs []string
	var mu sync.Mutex
	c := stub(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// A proxy that echoes everything: the request body (as JSON text
		// inside a JSON string), the key, another key, the gateway header.
		msg := fmt.Sprintf("bad request %s; key=%s; other=%s; gw=%s", body, testKey, otherKey, r.Header.Get("CF-Access-Client-Secret"))
		if strings.Contains(string(body), "db_password") {
			msg += "; raw=" + quoted // unescaped, as a Python f-string would
		}
		enc, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": "echo " + testKey, "code": "400"}})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		_, _ = w.Write(enc)
	}, func(cfg *Config) {
		cfg.Headers = map[string]string{"CF-Access-Client-Secret": gwSecret}
		cfg.Logf = func(format string, args ...any) {
			mu.Lock()
			logs = append(logs, fmt.Sprintf(format, args...))
			mu.Unlock()
		}
	})
	ctx := context.Background()
	errs := []error{
		c.Models.Create(ctx, Deployment{ModelName: "m", LitellmParams: map[string]any{
			"model": "openai/x", "api_key": upstream, "aws_secret_access_key": awsSecret,
			"vertex_credentials": string(vertex), "extra_headers": map[string]any{"Authorization": nested},
			"db_password": quoted, "litellm_credential_name": "shared-openai",
		}}),
		c.Models.Update(ctx, "m1", ModelUpdate{LitellmParams: map[string]any{"api_key": upstream}}),
		c.Credentials.Create(ctx, Credential{CredentialName: "c", CredentialValues: map[string]any{"whatever": credValue, "nested": map[string]any{"x": awsSecret}}}),
		c.Credentials.Update(ctx, "c", Credential{CredentialValues: map[string]any{"whatever": credValue}}),
	}
	secrets := []string{upstream, testKey, awsSecret, "nested-header-secret", "MIIEvQ", quoted, `pa\"ss\\word`, credValue, gwSecret, otherKey}
	for i, err := range errs {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("call %d: want an *Error, got %v", i, err)
		}
		for _, s := range secrets {
			if strings.Contains(e.Error(), s) || strings.Contains(e.Message, s) || strings.Contains(e.Type, s) {
				t.Fatalf("call %d: secret %q leaked: %v", i, s, e)
			}
		}
		if !strings.Contains(e.Message, "sk-...REDACTED") || !strings.Contains(e.Message, "[REDACTED]") {
			t.Fatalf("call %d: no redaction marks: %v", i, e)
		}
		if len(e.Message) > 510 {
			t.Fatalf("call %d: message not bounded: %d bytes", i, len(e.Message))
		}
	}
	// A credential reference is not a secret: it stays readable.
	if !strings.Contains(errs[0].Error(), "shared-openai") && len(errs[0].(*Error).Message) < 500 {
		t.Fatalf("litellm_credential_name redacted: %v", errs[0])
	}
	if len(logs) == 0 {
		t.Fatal("no debug log")
	}
	for _, l := range logs {
		for _, s := range append(secrets, "Bearer", "bad request") {
			if strings.Contains(l, s) {
				t.Fatalf("log line %q contains %q", l, s)
			}
		}
	}
	if !strings.Contains(logs[0], "POST /model/new -> 400") {
		t.Fatalf("log line: %q", logs[0])
	}
}

func TestRedactUnit(t *testing.T) {
	c, _ := New(Config{BaseURL: "http://x", APIKey: "my-custom-key-1234"})
	for in, want := range map[string]string{
		"key my-custom-key-1234 here":             "key sk-...REDACTED here",
		"Received API Key = sk-1234567890abcdef,": "Received API Key = sk-...REDACTED,",
		"'sk-1234567890abcdef'":                   "'sk-...REDACTED'",
		"task-manager-12345678 disk-12345678":     "task-manager-12345678 disk-12345678",
		"sk-short":                                "sk-short",
		"x_sk-1234567890abcdef":                   "x_sk-...REDACTED",
	} {
		if got := c.redact(in, nil); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"secret abcd and abc":          "secret [REDACTED] and abc",
		"a longer-secret and longer":   "a [REDACTED] and [REDACTED]",
		`json "quo"te" and raw quo"te`: `json "[REDACTED]" and raw [REDACTED]`,
	} {
		if got := c.redact(in, []string{"abcd", "abc", "longer", "longer-secret", `quo"te`}); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 400)
	if got := c.redact(long, nil); len(got) > 504 || !strings.HasSuffix(got, "…") || !json.Valid([]byte(`"`+got+`"`)) {
		t.Fatalf("truncation: %d bytes", len(got))
	}
}

// Values the caller marks secret never appear in an error, whatever their
// key, even when a gateway echoes the request; nor does the API key's
// SHA-256, which LiteLLM's 401 names.
func TestCallerSecretsAndTheKeyHashAreRedacted(t *testing.T) {
	const secret = "https://hooks.example.com/T000/B000/very-private-webhook"
	echo := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = fmt.Fprintf(w, "<html><body>502 Bad Gateway: upstream rejected %s</body></html>", body)
	}
	c := stub(t, echo)
	ctx := WithRedactions(context.Background(), []string{secret})
	err := c.Models.Create(ctx, Deployment{ModelName: "m", LitellmParams: map[string]any{"model": "openai/x", "webhook_url": secret}})
	if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "very-private") {
		t.Fatalf("the caller's secret is in the error: %v", err)
	}
	sum := sha256.Sum256([]byte(testKey))
	hash := hex.EncodeToString(sum[:])
	c2 := stub(t, answer(401, shape1("Authentication Error, Invalid proxy server token passed. Received API Key = sk-...0001, Key Hash (Token) ="+hash+". Unable to find token", "token_not_found_in_db", "401")))
	if err := getModel(context.Background(), c2); err == nil || strings.Contains(err.Error(), hash) {
		t.Fatalf("the key's hash is in the error: %v", err)
	}
}

// A proxy that cannot be reached is named by its address, and the error
// says nothing answered (the consistency package stops such waits early).
func TestUnreachableNamesTheProxy(t *testing.T) {
	addr := closedPort(t)
	c, err := New(Config{BaseURL: "http://user:pw@" + addr + "/litellm", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	err = getModel(context.Background(), c)
	var e *Error
	if !errors.As(err, &e) || !e.Unreachable() || e.Signature() == "" {
		t.Fatalf("refused: %#v", err)
	}
	if want := "cannot reach the proxy at http://" + addr + "/litellm"; !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "pw") {
		t.Fatalf("refused: %v, want %q", err, want)
	}
	c, _ = New(Config{BaseURL: "http://no-such-host.invalid", APIKey: testKey})
	if err := getModel(context.Background(), c); !strings.Contains(err.Error(), "cannot reach the proxy at http://no-such-host.invalid") {
		t.Fatalf("dns: %v", err)
	}
}

// A gateway's own 502/503 page (not LiteLLM's JSON) means the proxy never
// saw the request: a write is not ambiguous. A 504 and LiteLLM's own 5xx
// may follow a write that landed. Identical failures have equal signatures.
func TestGatewayAnswersAreNotAmbiguous(t *testing.T) {
	page := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = fmt.Fprintf(w, "<html><body><h1>%d %s</h1><hr>nginx</body></html>", status, http.StatusText(status))
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		status    int
		ambiguous bool
	}{{502, false}, {503, false}, {504, true}} {
		c := stub(t, page(tc.status))
		err := createModel(ctx, c)
		var e *Error
		if !errors.As(err, &e) || !IsTransient(err) || IsAmbiguous(err) != tc.ambiguous {
			t.Fatalf("gateway %d: ambiguous=%v, want %v: %v", tc.status, IsAmbiguous(err), tc.ambiguous, err)
		}
		if !strings.Contains(err.Error(), strconv.Itoa(tc.status)) {
			t.Fatalf("gateway %d: %v", tc.status, err)
		}
		var e2 *Error
		_ = errors.As(createModel(ctx, c), &e2)
		if e.Signature() == "" || e.Signature() != e2.Signature() {
			t.Fatalf("gateway %d: signatures %q and %q", tc.status, e.Signature(), e2.Signature())
		}
	}
	c := stub(t, answer(500, shape1("Internal Server Error", "internal_server_error", "500")))
	if err := createModel(ctx, c); !IsAmbiguous(err) {
		t.Fatalf("LiteLLM's own 500 on a write must stay ambiguous: %v", err)
	}
}

// A certificate for other names says which names, not "set caBundle".
func TestTLSHostnameMismatchNamesTheHost(t *testing.T) {
	ts := httptest.NewUnstartedServer(answer(200, `{}`))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	defer ts.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}))
	// httptest's certificate names example.com and 127.0.0.1, not localhost.
	url := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	c, err := New(Config{BaseURL: url, APIKey: testKey, CABundlePEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	err = getModel(context.Background(), c)
	if KindOf(err) != KindConfig || strings.Contains(err.Error(), "caBundle") || !strings.Contains(err.Error(), "localhost") ||
		!strings.Contains(err.Error(), "example.com") {
		t.Fatalf("hostname mismatch: %v", err)
	}
}
