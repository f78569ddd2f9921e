package litellm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// KeysService: virtual keys (docs/litellm/keys.md). A key is addressed by its
// token, the SHA-256 hex of the key value; the value itself is sent only to
// create or rotate a key, never to read, update or delete one.
type KeysService struct{ c *Client }

// enterpriseOnly: LiteLLM raises a ValueError for an Enterprise feature used
// without a licence, which its error handler may answer as a 500: it is a
// refusal, not a fault to retry.
var enterpriseOnly = rule{500, []string{"enterprise feature", "not_premium_user", "enterprise user"}, KindForbidden,
	"this needs a LiteLLM Enterprise licence on the proxy (LITELLM_LICENSE)"}

var (
	keyGenerate = endpoint{http.MethodPost, "/key/generate", []rule{
		enterpriseOnly,
		// Another key has this alias (_enforce_unique_key_alias): not ours,
		// and no read by our token finds it.
		{400, []string{"unique key aliases", "key_alias"}, KindInvalid, "key aliases are unique on the proxy: choose another keyAlias"},
		{400, []string{"unique constraint"}, KindConflict, ""},
		{500, []string{"unique constraint"}, KindConflict, ""},
	}}
	// A miss is a 404.
	keyInfo   = endpoint{http.MethodGet, "/key/info", []rule{{404, nil, KindNotFound, ""}}}
	keyUpdate = endpoint{http.MethodPost, "/key/update", []rule{
		enterpriseOnly,
		{404, nil, KindNotFound, ""},
		{400, []string{"unique key aliases", "key_alias"}, KindInvalid, "key aliases are unique on the proxy: choose another keyAlias"},
	}}
	// A miss is a 404 {"error": "No keys found"}, from the database.
	keyDelete     = endpoint{http.MethodPost, "/key/delete", []rule{{404, nil, KindNotFound, ""}}}
	keyRegenerate = endpoint{http.MethodPost, "/key/{key}/regenerate", []rule{
		enterpriseOnly,
		{400, []string{"enterprise"}, KindForbidden, "key rotation needs a LiteLLM Enterprise licence on the proxy (LITELLM_LICENSE)"},
		{404, nil, KindNotFound, ""},
	}}
)

// Key is a key row as LiteLLM reads and writes it (`info` of /key/info,
// the body of /key/generate and /key/update).
type Key map[string]any

// Token is the SHA-256 hex of a key value: LiteLLM's token, by which a key
// is read, updated and deleted.
func Token(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

// IsToken reports whether s looks like a token (64 lower-case hex digits).
func IsToken(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// Generate sends POST /key/generate with the key value chosen by the
// caller (value), and returns the answer's row (its metadata shows whose
// key the proxy created or returned).
func (s *KeysService) Generate(ctx context.Context, value string, k Key) (Key, error) {
	if value == "" {
		return nil, &Error{Kind: KindInvalid, Op: keyGenerate.String(), Message: "empty key value"}
	}
	body := Key{"key": value}
	for f, v := range k {
		if f != "key" {
			body[f] = v
		}
	}
	var out Key
	err := s.c.do(ctx, request{ep: &keyGenerate, body: body, out: &out, secrets: []string{value, Token(value)}})
	return out, err
}

// Get reads GET /key/info?key=<token> and returns its info, with
// `token` set to the token it was read by.
func (s *KeysService) Get(ctx context.Context, token string) (Key, error) {
	if token == "" {
		return nil, &Error{Kind: KindInvalid, Op: keyInfo.String(), Message: "empty key token"}
	}
	var out struct {
		Info Key `json:"info"`
	}
	if err := s.c.do(ctx, request{ep: &keyInfo, query: url.Values{"key": {token}}, out: &out, secrets: []string{token}}); err != nil {
		return nil, err
	}
	if out.Info == nil {
		return nil, &Error{Kind: KindNotFound, Op: keyInfo.String(), Status: http.StatusOK, Message: "no key info in the answer"}
	}
	out.Info["token"] = token
	return out.Info, nil
}

// Update sends POST /key/update {"key": token, ...}.
func (s *KeysService) Update(ctx context.Context, token string, k Key) error {
	body := Key{"key": token}
	for f, v := range k {
		if f != "key" && f != "token" {
			body[f] = v
		}
	}
	return s.c.do(ctx, request{ep: &keyUpdate, body: body, secrets: []string{token}})
}

// Delete sends POST /key/delete {"keys": [token]}.
func (s *KeysService) Delete(ctx context.Context, token string) error {
	if token == "" {
		return &Error{Kind: KindInvalid, Op: keyDelete.String(), Message: "empty key token"}
	}
	return s.c.do(ctx, request{ep: &keyDelete, body: map[string][]string{"keys": {token}}, secrets: []string{token}})
}

// Regenerate sends POST /key/{token}/regenerate {"new_key": value}: the key
// keeps its settings and gets the value chosen by the caller (its token
// changes with it). The old value stops working at once.
func (s *KeysService) Regenerate(ctx context.Context, token, value string) error {
	if token == "" || !strings.HasPrefix(value, "sk-") {
		return &Error{Kind: KindInvalid, Op: keyRegenerate.String(), Message: "a token and a new sk- value are needed"}
	}
	return s.c.do(ctx, request{ep: &keyRegenerate, args: []string{token}, body: map[string]string{"new_key": value},
		secrets: []string{token, value, Token(value)}})
}

// String never shows a key's values.
func (k Key) String() string { return fmt.Sprintf("key (%d fields)", len(k)) }
