package litellm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets: whatever a proxy or a gateway in front of it answers, the
// client must not panic, must classify the answer into a defined Kind, and
// must never show a secret. The seeds are LiteLLM's real answers (the ones
// of classify_test.go and client_test.go, docs/litellm/errors.md).
//
// Secrets reach a fuzzed body through placeholders ($KEY, $SECRET, ...; see
// placeSecrets), so that the fuzzer can copy them to any position of a seed.

const (
	// Not sk-shaped: only the exact-key redaction can hide it.
	fuzzKey = "fuzz-master-key-0123456789abcdef"
	// A secret of the request (an upstream api_key, a credential value).
	fuzzSecret = "upstream-secret-value-9876543210"
	// A secret that JSON escapes: echoed raw by a Python f-string, escaped
	// inside a JSON string.
	fuzzQuoted = `pa"ss\word-fuzz-4242`
	// An extra header's value (a gateway's client secret).
	fuzzGateway = "gateway-client-secret-55aa"
	// A value the caller marked secret (WithRedactions).
	fuzzCallerSecret = "https://hooks.example.com/T000/caller-private"
)

// fuzzKeyHash is the SHA-256 LiteLLM's 401 names ("Key Hash (Token) =…").
var fuzzKeyHash = func() string {
	sum := sha256.Sum256([]byte(fuzzKey))
	return hex.EncodeToString(sum[:])
}()

// fuzzQuotedInJSON is fuzzQuoted as it appears inside a JSON string.
var fuzzQuotedInJSON = func() string {
	raw, _ := json.Marshal(fuzzQuoted)
	return string(raw[1 : len(raw)-1])
}()

// forbidden lists every form of a secret that must never be shown.
var forbidden = []string{fuzzKey, fuzzKeyHash, fuzzSecret, fuzzQuoted, fuzzQuotedInJSON, fuzzGateway, fuzzCallerSecret}

var secretPlaceholders = strings.NewReplacer(
	"$KEY", fuzzKey,
	"$HASH", fuzzKeyHash,
	"$SECRET", fuzzSecret,
	"$QUOTED", fuzzQuotedInJSON, // keeps a JSON string valid; decoded, it is fuzzQuoted
	"$RAWQUOTED", fuzzQuoted,
	"$GW", fuzzGateway,
	"$CALLER", fuzzCallerSecret,
)

// placeSecrets replaces the placeholders of a fuzzed body by the secrets.
func placeSecrets(body []byte) []byte {
	if !bytes.Contains(body, []byte("$")) {
		return body
	}
	return []byte(secretPlaceholders.Replace(string(body)))
}

func fuzzConfig() Config {
	return Config{
		BaseURL: "http://litellm.fuzz.invalid/litellm",
		APIKey:  fuzzKey,
		Headers: map[string]string{"CF-Access-Client-Secret": fuzzGateway},
		Timeout: 5 * time.Second,
	}
}

// jsonObject reports whether raw is one JSON object: the only kind of body
// LiteLLM answers (anything else comes from a gateway).
func jsonObject(raw []byte) bool {
	t := bytes.TrimLeft(raw, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(raw)
}

// maxShown bounds a redacted message: maxMessage bytes and the ellipsis.
const maxShown = maxMessage + len("…")

// errorSeeds are LiteLLM's (and gateways') error bodies, with the status
// and endpoint they were seen with.
var errorSeeds = []struct {
	status int
	ep     *endpoint
	body   string
}{
	// Shape 1, ProxyException.
	{404, &modelPatch, shape1("Model m1 not found on proxy.", "not_found_error", "404")},
	{400, &modelDelete, `{"error":{"message":"{'error': 'Model with id=m1 not found in db'}","type":"auth_error","param":"None","code":"400"}}`},
	{500, &modelInfoRouter, shape1("LLM Model List not loaded in. Make sure you passed models in your config.yaml or on the LiteLLM Admin UI. - https://docs.litellm.ai/docs/proxy/configs", "None", "500")},
	{400, &modelNew, shape1("model_info.id=m1 already belongs to an existing deployment; omit model_info.id to auto-generate one.", "bad_request_error", "400")},
	{500, &modelNew, `{"error":{"message":"{'error': 'Failed to add model to db. Check your server logs for more details.'}","type":"auth_error","param":"None","code":"500"}}`},
	{500, &modelNew, shape1("Model create was saved to the database, but m1 are not live in this pod's router after the reload and are not being served by this pod. Other pods reload on their own interval.", "internal_server_error", "500")},
	{500, &modelPatch, shape1("Model update was saved to the database, but m1 are not live in this pod's router after the reload", "internal_server_error", "500")},
	{500, &credentialCreate, shape1("Unique constraint failed on the fields: (`credential_name`)", "None", "500")},
	{409, &credentialCreate, `{"error":{"message":"Credential 'c1' already exists. Update it with PATCH /credentials/c1, or delete it first.","type":"internal_server_error","param":null,"code":"409"}}`},
	{404, &credentialPatch, `{"error":{"message":"Credential not found in DB.","type":"internal_server_error","param":null,"code":"404"}}`},
	{400, &credentialPatch, `{"error":{"message":"credential_name cannot be changed; set display_name to relabel a credential","type":"validation_error","param":"credential_name","code":"400"}}`},
	{404, &credentialGet, shape1("Credential not found. Got credential name: c1", "internal_server_error", "404")},
	{401, &modelInfoV2, shape1("Authentication Error, No api key passed in.", "auth_error", "401")},
	{401, &modelNew, shape1("Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=/model/new. Your role=internal_user. Your user_id=u", "auth_error", "401")},
	{401, &modelInfoV2, `{"error":{"message":"Authentication Error, Invalid API key provided.","type":"token_not_found_in_db","param":"key","code":"401"}}`},
	{500, &modelNew, shape1("No DB Connected. Here's how to do it - https://docs.litellm.ai/docs/proxy/virtual_keys", "None", "500")},
	{500, &modelNew, shape1("Set `'STORE_MODEL_IN_DB='True'` in your env to enable this feature.", "None", "500")},
	{400, &modelPatch, shape1("Model updates only supported for DB-stored models", "validation_error", "400")},
	{400, &modelPatch, shape1("Cannot edit config-based model. Store model in DB via /model/new first.", "validation_error", "400")},
	{400, &modelNew, shape1("api_base host 10.0.0.1 is not allowed; add it to general_settings.user_url_allowed_hosts", "bad_request_error", "400")},
	{429, &modelNew, shape1("Rate limited", "throttling_error", "429")},
	{503, &modelNew, shape1("Service Unavailable", "None", "503")},
	{500, &credentialPatch, `{"error":"plain string error"}`},
	{400, &modelNew, `{"error":{"message":null,"type":{"nested":["a",1,true]},"code":400.5}}`},
	// Shape 2, HTTPException.
	{404, &modelPatch, `{"detail":"Not Found"}`},
	{404, &credentialGet, `{"detail":"Not Found","extra":1}`},
	{405, &modelPatch, `{"detail":"Method Not Allowed"}`},
	{400, &modelInfoRouter, `{"detail":{"error":"Model id = m1 not found on litellm proxy"}}`},
	{500, &modelInfoRouter, `{"detail":"LLM Router is not loaded in. Make sure you passed models in your config.yaml"}`},
	{500, &modelNew, `{"detail":"Failed to add model to db. Check your server logs for more details."}`},
	{409, &credentialCreate, `{"detail":"Credential with name 'c1' already exists."}`},
	{403, &credentialDelete, `{"detail":{"error":"Only the proxy admin can manage logging credentials"}}`},
	{403, &modelNew, `{"detail":{"error":"not_premium_user"}}`},
	{400, &modelNew, `{"detail":{"error":"You must be a LiteLLM Enterprise user to use this feature. If you have a license please set LITELLM_LICENSE in your env."}}`},
	{500, &credentialCreate, `{"detail":{"error":"DB not connected. This endpoint needs a database; set DATABASE_URL to a PostgreSQL connection string (postgresql://...) to enable it. See https://docs.litellm.ai/docs/proxy/virtual_keys"}}`},
	{400, &modelNew, `{"detail":{"message":"bad thing"}}`},
	{400, &modelNew, `{"detail":{"other":{"x":[1,2,3]}}}`},
	{500, &credentialDelete, `{"detail":"Record to delete does not exist."}`},
	// Shape 3, 422 validation.
	{422, &modelNew, `{"detail":[{"type":"missing","loc":["body","model_name"],"msg":"Field required","input":{}},{"type":"value_error","loc":["body","litellm_params"],"msg":"Value error, bad","input":{}}]}`},
	{422, &credentialCreate, `{"detail":[{"loc":[0,"x",null,{"a":1}],"msg":null},"not an object",7,{"msg":"only msg"}]}`},
	// Shape 4, problem+json.
	{409, &modelNew, `{"type":"urn:litellm:error:conflict","title":"Conflict","status":409,"detail":"model exists"}`},
	{404, &modelDelete, `{"type":"urn:litellm:error:not_found","title":"Not Found","status":404,"detail":"Model m1 not found"}`},
	// Gateways: HTML pages, text, nothing.
	{404, &modelPatch, "<html><body><h1>404 Not Found</h1>nginx</body></html>"},
	{502, &modelDelete, "<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center></body></html>"},
	{503, &credentialCreate, "<html>\r\n<body>\t503   Service Temporarily Unavailable <br/> upstream rejected $SECRET</body></html>"},
	{504, &credentialDelete, ``},
	{408, &modelInfoV2, ``},
	{307, &modelNew, ``},
	{301, &credentialGet, `<a href="https://elsewhere.example.com/x?token=$SECRET">Moved</a>`},
	{500, &modelNew, "upstream connect error or disconnect/reset before headers. reset reason: connection termination"},
	{502, &modelNew, "\xff\xfe<html>\x00 not utf-8 \xc3</html>"},
	// Not objects, and edge cases of JSON.
	{400, &modelNew, `null`},
	{400, &modelNew, `[]`},
	{500, &modelNew, `[{"detail":"Not Found"}]`},
	{400, &modelNew, `"a JSON string"`},
	{400, &modelNew, `42`},
	{400, &modelNew, `true`},
	{400, &modelNew, `{"detail":"x"} trailing`},
	{400, &modelNew, `{"error":{"message":"\ud800 lone surrogate \u0000 nul"}}`},
	{400, &modelNew, "{\"error\":{\"message\":\"invalid \xff utf-8\"}}"},
	{400, &modelNew, `{"detail":` + strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200) + `}`},
	{400, &modelNew, strings.Repeat("[", 10001) + strings.Repeat("]", 10001)},
	{500, &modelNew, `{"error":{"message":"` + strings.Repeat("é", 400) + `"}}`},
	// Echoed secrets, in every shape.
	{400, &modelNew, `{"error":{"message":"bad request {\"api_key\":\"$SECRET\",\"p\":\"$QUOTED\"}; key=$KEY; raw=$RAWQUOTED; gw=$GW","type":"echo $KEY","code":"400"}}`},
	{401, &modelInfoV2, `{"error":{"message":"Authentication Error, Invalid proxy server token passed. Received API Key = sk-...cdef, Key Hash (Token) =$HASH. Unable to find token","type":"token_not_found_in_db","param":"key","code":"401"}}`},
	{400, &credentialCreate, `{"detail":{"values":{"api_key":"$SECRET","quoted":"$QUOTED"},"caller":"$CALLER"}}`},
	{422, &modelNew, `{"detail":[{"loc":["body","$SECRET"],"msg":"$KEY","input":{"api_key":"$SECRET"}}]}`},
	{409, &modelNew, `{"type":"$KEY","title":"$SECRET","detail":"$CALLER"}`},
	{502, &modelNew, `<html><body>502 Bad Gateway: upstream rejected {"webhook":"$CALLER","key":"$KEY"}</body></html>`},
	{500, &modelNew, `{"error":{"message":"` + strings.Repeat("x", 490) + `$SECRET` + strings.Repeat("y", 100) + `"}}`},
	// Errors returned with HTTP 200 (older proxies, credential endpoints).
	{200, &credentialPatch, `{"message":"Credential not found in DB.","type":"not_found","param":null,"code":"404"}`},
	{200, &credentialDelete, `{"message":"Internal Server Error, An operation failed because it depends on one or more records that were required but not found. Record to delete does not exist.","type":"internal_server_error","code":"500"}`},
	{200, &credentialPatch, `{"message":"Internal Server Error, boom","type":"internal_server_error","code":500}`},
	{200, &credentialPatch, `{"message":"Unique constraint failed on the fields: (credential_name)","code":"500"}`},
	{200, &credentialDelete, `{"weird":true}`},
	{200, &credentialCreate, `{"success":false,"message":"nope $SECRET"}`},
	{200, &credentialCreate, ``},
	{200, &credentialGet, `{"message":"Credential not found. Got credential name: c1","type":"internal_server_error","code":"404"}`},
}

// FuzzParseErrorBody: any body parses, and what the parse says about it
// holds: a body that is not one JSON object is a gateway's (notJSON, and a
// missing route if it came with a 404), shown as one line of text without
// markup.
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range errorSeeds {
		f.Add([]byte(s.body))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		b := parseErrorBody(raw)
		object := jsonObject(raw)
		if b.notJSON == object {
			t.Fatalf("notJSON = %v for a body that is %sa JSON object", b.notJSON, map[bool]string{true: "", false: "not "}[object])
		}
		if !object {
			if !b.bareNotFound || b.Type != "" || b.Code != "" {
				t.Fatalf("non-JSON body: bareNotFound=%v type=%q code=%q", b.bareNotFound, b.Type, b.Code)
			}
			// plainText: tags and runs of white space become one space.
			if strings.ContainsAny(b.Message, "\t\n\r\f") || strings.Contains(b.Message, "  ") ||
				htmlTag.MatchString(b.Message) || b.Message != strings.TrimSpace(b.Message) {
				t.Fatalf("non-JSON body not flattened to one line of text: %q", b.Message)
			}
			if len(b.Message) > len(raw) {
				t.Fatalf("message %d bytes from a body of %d", len(b.Message), len(raw))
			}
			return
		}
		var generic map[string]any
		if err := json.Unmarshal(raw, &generic); err != nil {
			t.Fatalf("a JSON object does not decode: %v", err)
		}
		detail, isString := generic["detail"].(string)
		if want := isString && detail == "Not Found" && len(generic) == 1; b.bareNotFound != want {
			t.Fatalf("bareNotFound = %v for %v", b.bareNotFound, generic)
		}
		if _, list := generic["detail"].([]any); list && b.Type == "" {
			t.Fatal("a 422 validation list without a type")
		}
		// encoding/json decodes strings to valid UTF-8.
		for _, s := range []string{b.Message, b.Type, b.Code} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 from a JSON body: %q", s)
			}
		}
	})
}

// pathArgs fills each {...} segment of ep's path.
func pathArgs(ep *endpoint) []string {
	n := len(placeholder.FindAllString(ep.path, -1))
	return slices.Repeat([]string{"x1"}, n)
}

// returnsErrors reports the endpoints whose calls classify an error object
// that came with a 2xx answer (CredentialsService.Get and write).
func returnsErrors(ep *endpoint) bool {
	return ep == &credentialGet || ep == &credentialCreate || ep == &credentialPatch || ep == &credentialDelete
}

// explainedKinds are the kinds that classifyHTTP can give an answer with
// this status on ep: the status's own, or one that a rule gives.
func explainedKinds(ep *endpoint, status int) []Kind {
	ks := []Kind{classifyStatus(status).kind, KindConfig}
	if status == http.StatusNotFound {
		ks = append(ks, KindInvalid) // a missing route
	}
	if status >= 400 && status < 500 {
		ks = append(ks, KindForbidden) // an Enterprise-only feature
	}
	for _, r := range ep.rules {
		if r.status == status {
			ks = append(ks, r.kind)
		}
	}
	return ks
}

// checkError asserts what holds for every *Error the client builds.
func checkError(t *testing.T, e *Error, op string) {
	t.Helper()
	if e == nil {
		t.Fatal("nil *Error")
	}
	if e.Kind < KindUnknown || e.Kind > KindNotLive {
		t.Fatalf("undefined Kind %d: %v", e.Kind, e)
	}
	if e.Retryable() != (e.Kind == KindTransient) {
		t.Fatalf("Retryable() = %v for %v", e.Retryable(), e.Kind)
	}
	if e.Op != op || !strings.HasPrefix(e.Error(), "litellm: "+op+": ") {
		t.Fatalf("Op %q, Error() %q; want op %q", e.Op, e.Error(), op)
	}
	if len(e.Message) > maxShown {
		t.Fatalf("message of %d bytes: %q", len(e.Message), e.Message)
	}
	for _, s := range forbidden {
		for what, text := range map[string]string{"Error()": e.Error(), "Message": e.Message, "Type": e.Type, "Signature()": e.Signature()} {
			if strings.Contains(text, s) {
				t.Fatalf("%s shows the secret %q: %q", what, s, text)
			}
		}
	}
}

// FuzzClassify classifies any answer (status, body, Retry-After and
// Location headers) of any endpoint, as the client does: httpError for a
// non-2xx answer, returnedError for the error object a credential call
// finds in a 2xx answer. Secrets of every kind are placed in the body.
func FuzzClassify(f *testing.F) {
	for _, s := range errorSeeds {
		retryAfter, location := "", ""
		switch s.status {
		case 429, 503:
			retryAfter = "7"
		case 301, 307:
			location = "https://elsewhere.example.com/model/new?token=$SECRET"
		}
		f.Add(s.status, []byte(s.body), uint8(slices.Index(allEndpoints, s.ep)), retryAfter, location)
	}
	f.Add(429, []byte(`{}`), uint8(0), "Fri, 31 Dec 9999 23:59:59 GMT", "")
	f.Add(503, []byte(`{}`), uint8(0), "86401", "")
	f.Add(308, []byte(``), uint8(3), "", "//$KEY@elsewhere.example.com/$SECRET")
	f.Add(-1, []byte(`{"detail":"x"}`), uint8(9), "", "")
	f.Add(999, []byte(`{"detail":"x"}`), uint8(7), "", "")
	c, err := New(fuzzConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, epIndex uint8, retryAfter, location string) {
		ep := allEndpoints[int(epIndex)%len(allEndpoints)]
		raw := placeSecrets(body)
		r := request{ep: ep, args: pathArgs(ep), secrets: []string{fuzzSecret, fuzzQuoted, fuzzCallerSecret}}
		op := opOf(r)
		if status >= 200 && status <= 299 {
			if !returnsErrors(ep) {
				return // a 2xx answer of this endpoint is never classified
			}
			e := c.returnedError(context.Background(), r, raw)
			checkError(t, e, op)
			if e.Status != http.StatusOK || e.Message == "" {
				t.Fatalf("returned error: status %d, message %q", e.Status, e.Message)
			}
			code, err := strconv.Atoi(parseErrorBody(raw).Code)
			if err != nil || code < 400 || code > 599 {
				if e.Kind != KindUnknown {
					t.Fatalf("error object without a 4xx/5xx code classified as %v", e.Kind)
				}
			} else if !slices.Contains(explainedKinds(ep, code), e.Kind) {
				t.Fatalf("code %d on %s: Kind %v is no rule's", code, ep, e.Kind)
			}
			if e.Ambiguous && !(ep.write() && e.Kind == KindTransient) {
				t.Fatalf("ambiguous %v on %s", e.Kind, ep)
			}
			return
		}

		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		if retryAfter != "" {
			resp.Header.Set("Retry-After", string(placeSecrets([]byte(retryAfter))))
		}
		if location != "" {
			resp.Header.Set("Location", string(placeSecrets([]byte(location))))
		}
		e := c.httpError(ep, op, resp, raw, r.secrets)
		checkError(t, e, op)
		if e.Status != status || e.Err != nil || e.Unreachable() {
			t.Fatalf("status %d, err %v, unreachable %v", e.Status, e.Err, e.Unreachable())
		}
		if status >= 300 && e.Kind == KindUnknown {
			t.Fatalf("error answer %d left unclassified", status)
		}
		if !slices.Contains(explainedKinds(ep, status), e.Kind) {
			t.Fatalf("%d on %s: Kind %v is no rule's (%v)", status, ep, e.Kind, e)
		}
		// Throttling and server errors are retried, unless the proxy's set-up
		// or one of the endpoint's own rules says what they mean.
		if status == 408 || status == 429 || status >= 500 {
			if e.Kind != KindTransient && e.Kind != KindConfig && !slices.ContainsFunc(ep.rules, func(r rule) bool {
				return r.status == status && r.kind == e.Kind
			}) {
				t.Fatalf("%d on %s is %v, not transient", status, ep, e.Kind)
			}
		}
		if e.Ambiguous && !(ep.write() && status >= 500 && e.Kind == KindTransient) {
			t.Fatalf("ambiguous %d %v on %s", status, e.Kind, ep)
		}
		// A transient 5xx of a write may have been applied, unless a
		// gateway's own 502/503 page says its upstream never took it.
		gatewayRefused := !jsonObject(raw) && (status == 502 || status == 503)
		if ep.write() && status >= 500 && e.Kind == KindTransient && !gatewayRefused && !e.Ambiguous {
			t.Fatalf("%d on the write %s is not ambiguous", status, ep)
		}
		if e.routeMissing && (status != http.StatusNotFound || e.Kind != KindInvalid) {
			t.Fatalf("route missing on %d %v", status, e.Kind)
		}
		// Throttling is paced by Retry-After; every other answer is told
		// apart by status and message.
		if (e.Signature() == "") != (status == http.StatusTooManyRequests) {
			t.Fatalf("status %d, signature %q", status, e.Signature())
		}
		if e.RetryAfter < 0 {
			t.Fatalf("negative Retry-After %v", e.RetryAfter)
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("Retry-After")), 10, 64); err == nil && (e.RetryAfter > 24*time.Hour || n > 0 && n <= 24*3600 && e.RetryAfter != time.Duration(n)*time.Second) {
			t.Fatalf("Retry-After %q read as %v", resp.Header.Get("Retry-After"), e.RetryAfter)
		}
		// Valid text stays valid: truncation never splits a character.
		if (status < 300 || status >= 400) && (utf8.Valid(raw) || jsonObject(raw)) && !utf8.ValidString(e.Error()) {
			t.Fatalf("invalid UTF-8 in %q", e.Error())
		}
	})
}

// answerFunc answers every request of a client, with no network.
type answerFunc func(*http.Request) *http.Response

func (f answerFunc) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return f(r), nil
}

// answerSeeds are the 2xx answers LiteLLM gives to the client's calls (and
// some that a broken proxy or a gateway could give).
var answerSeeds = []struct {
	status int
	body   string
}{
	{200, `{"data":[{"model_name":"a","litellm_params":{"model":"openai/a"},"model_info":{"id":"other"}},{"model_name":"b","model_info":{"id":"m1","db_model":true}}],"total_count":2}`},
	{200, `{"data":[{"model_name":"a","litellm_params":{"model":"openai/a","api_key":"sk-a****wxyz"},"model_info":{"id":"m1","pulumi":{"urn":"u"}}}],"total_count":1,"current_page":1,"total_pages":1,"size":100}`},
	{200, `{"data":[],"total_count":0,"current_page":1,"total_pages":0,"size":50}`},
	{200, `{"data":[{"model_name":"a","litellm_params":{},"model_info":{"id":"m1"}}],"total_pages":3}`},
	{200, `{"data":[{"model_info":{"id":1}},{"model_info":{"id":null}},{"model_info":{}},{},null],"total_pages":-1}`},
	{200, `{"data":null}`},
	{200, `{"data":{"model_name":"a"}}`},
	{200, `{"data":[{"model_name":7,"model_info":{"id":"m1"}}]}`},
	{200, `{"data":[],"total_pages":1.5}`},
	{200, `{"data":[],"total_pages":"2"}`},
	{200, `{"data":[],"total_pages":100000000000000000000}`},
	{200, `{"model_id":"m1","model_name":"x","litellm_params":"<encrypted>","model_info":{"id":"m1"},"created_by":"admin"}`},
	{200, `{"credential_name":"c1","credential_values":{"api_key":"sk-a****wxyz"},"credential_info":{"custom_llm_provider":"openai"}}`},
	{200, `{"credential_name":null,"credential_values":{}}`},
	{200, `{"credential_values":"masked"}`},
	{200, `{"credentials":[{"credential_name":"c1","credential_values":{},"credential_info":{}}]}`},
	{200, `{"credentials":{"c1":{}}}`},
	{200, `{"success":true,"message":"ok"}`},
	{200, `{"success":false,"message":"nope"}`},
	{200, `{"success":"true"}`},
	{200, `{"message":"Credential not found. Got credential name: c1","type":"internal_server_error","code":"404"}`},
	{200, `{"message":"Credential not found in DB.","type":"not_found","param":null,"code":"404"}`},
	{200, `{"message":"Internal Server Error, boom","type":"internal_server_error","code":500}`},
	{200, `{"message":"key $KEY, value $SECRET, caller $CALLER","type":"echo $QUOTED","code":"400"}`},
	{201, `{}`},
	{204, ``},
	{200, ` `},
	{200, `null`},
	{200, `[]`},
	{200, `<html>LiteLLM UI</html>`},
	{200, `{"data":[` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `]}`},
	// Error answers, end to end: the caller's secrets are redacted too.
	{400, `{"error":{"message":"echo $CALLER $SECRET $KEY","type":"bad_request_error","code":"400"}}`},
	{404, `{"detail":"Not Found"}`},
	{502, `<html><body>502 Bad Gateway: $CALLER</body></html>`},
}

// maxFuzzPages bounds the listings FuzzDecodeAnswer reads: List reads
// every page the first one announces.
const maxFuzzPages = 8

// FuzzDecodeAnswer answers every call of the client with the same fuzzed
// answer, through do's own decoding: whatever the proxy sends, a call
// either succeeds with a well-formed result or fails with an *Error that
// shows no secret.
func FuzzDecodeAnswer(f *testing.F) {
	for _, s := range answerSeeds {
		f.Add(uint16(s.status), []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, code uint16, body []byte) {
		status := int(code)
		if status < 100 || status > 599 {
			status = 100 + status%500
		}
		raw := placeSecrets(body)
		cfg := fuzzConfig()
		cfg.HTTPClient = &http.Client{
			Transport: answerFunc(func(r *http.Request) *http.Response {
				return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(bytes.NewReader(raw)), ContentLength: int64(len(raw)), Request: r}
			}),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		// A new client each time: Models.Get remembers a proxy without a usable v2 read.
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx := WithRedactions(context.Background(), []string{fuzzCallerSecret})
		trimmed := bytes.TrimSpace(raw)
		notJSON := len(trimmed) > 0 && !json.Valid(trimmed)
		// A call's own secrets, besides the key, the gateway header and the
		// caller's, are those it sends: a read knows of no others.
		checkErr := func(name string, err error, sent ...string) {
			t.Helper()
			if err == nil {
				if status < 200 || status > 299 {
					t.Fatalf("%s: no error for a %d answer", name, status)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("%s: %T is not an *Error: %v", name, err, err)
			}
			if e.Kind < KindUnknown || e.Kind > KindNotLive {
				t.Fatalf("%s: undefined Kind %d", name, e.Kind)
			}
			if e.Status != status && e.Status != http.StatusOK {
				t.Fatalf("%s: Status %d for a %d answer", name, e.Status, status)
			}
			if status >= 200 && status <= 299 && notJSON && e.Kind != KindInvalid {
				t.Fatalf("%s: a 2xx answer that is not JSON is %v", name, e.Kind)
			}
			for _, s := range append([]string{fuzzKey, fuzzKeyHash, fuzzGateway, fuzzCallerSecret}, sent...) {
				if strings.Contains(e.Error(), s) || strings.Contains(e.Type, s) {
					t.Fatalf("%s: the secret %q is shown: %q", name, s, e.Error())
				}
			}
		}

		d, err := c.Models.Get(ctx, "m1")
		checkErr("Models.Get", err)
		if err == nil && (d == nil || fmt.Sprint(d.ModelInfo["id"]) != "m1" || d.LitellmParams == nil) {
			t.Fatalf("Models.Get: %+v", d)
		}
		d, err = c.Models.GetFromRouter(ctx, "m1")
		checkErr("Models.GetFromRouter", err)
		if err == nil && (d == nil || fmt.Sprint(d.ModelInfo["id"]) != "m1" || d.LitellmParams == nil) {
			t.Fatalf("Models.GetFromRouter: %+v", d)
		}
		var first modelList
		if json.Unmarshal(trimmed, &first) != nil || first.TotalPages <= maxFuzzPages {
			all, err := c.Models.List(ctx)
			checkErr("Models.List", err)
			for _, d := range all {
				if d.ModelInfo["id"] == nil || d.LitellmParams == nil {
					t.Fatalf("Models.List: row %+v", d)
				}
			}
		}
		cr, err := c.Credentials.Get(ctx, "c1")
		checkErr("Credentials.Get", err)
		if err == nil && (cr == nil || cr.CredentialName == "") {
			t.Fatalf("Credentials.Get: %+v", cr)
		}
		_, err = c.Credentials.List(ctx)
		checkErr("Credentials.List", err)

		var ok struct {
			Success *bool `json:"success"`
		}
		succeeded := json.Unmarshal(trimmed, &ok) == nil && ok.Success != nil && *ok.Success
		values := map[string]any{"api_key": fuzzSecret, "nested": map[string]any{"password": fuzzQuoted}}
		sent := []string{fuzzSecret, fuzzQuoted, fuzzQuotedInJSON}
		for _, w := range []struct {
			name  string
			write func() error
			sent  []string
		}{
			{"Credentials.Create", func() error {
				return c.Credentials.Create(ctx, Credential{CredentialName: "c1", CredentialValues: values})
			}, sent},
			{"Credentials.Update", func() error {
				return c.Credentials.Update(ctx, "c1", Credential{CredentialValues: values})
			}, sent},
			{"Credentials.Delete", func() error { return c.Credentials.Delete(ctx, "c1") }, nil},
		} {
			err := w.write()
			checkErr(w.name, err, w.sent...)
			if (err == nil) != (succeeded && status >= 200 && status <= 299) {
				t.Fatalf(`%s: error %v, but {"success": true} is %v`, w.name, err, succeeded)
			}
		}
		checkErr("Models.Create", c.Models.Create(ctx, Deployment{ModelName: "m", LitellmParams: map[string]any{"model": "openai/x", "api_key": fuzzSecret}}),
			fuzzSecret)
		checkErr("Models.Update", c.Models.Update(ctx, "m1", ModelUpdate{LitellmParams: map[string]any{"aws_secret_access_key": fuzzQuoted}}),
			fuzzQuoted, fuzzQuotedInJSON)
		checkErr("Models.Delete", c.Models.Delete(ctx, "m1"))
	})
}

// The fuzz helpers' own premise: every placeholder becomes its secret.
func TestPlaceSecrets(t *testing.T) {
	got := string(placeSecrets([]byte(`$KEY $HASH $SECRET $QUOTED $RAWQUOTED $GW $CALLER`)))
	want := strings.Join([]string{fuzzKey, fuzzKeyHash, fuzzSecret, fuzzQuotedInJSON, fuzzQuoted, fuzzGateway, fuzzCallerSecret}, " ")
	if got != want {
		t.Fatalf("placeSecrets: %q, want %q", got, want)
	}
	var decoded string
	if err := json.Unmarshal([]byte(`"`+fuzzQuotedInJSON+`"`), &decoded); err != nil || decoded != fuzzQuoted {
		t.Fatalf("$QUOTED does not decode to the secret: %q %v", decoded, err)
	}
}
