package litellm

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A key's value and its token never show in an error, even when a gateway
// echoes the request (its body, or its path for a regenerate).
func TestKeyValueAndTokenAreRedacted(t *testing.T) {
	const value, next = "sk-the-key-value-0123456789abcdef", "sk-the-next-value-0123456789abcdef"
	c := stub(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"detail":"bad request to `+r.URL.Path+`: `+strings.ReplaceAll(string(body), `"`, `'`)+`"}`)
	})
	ctx := context.Background()
	token := Token(value)
	for name, err := range map[string]error{
		"generate": func() error { _, err := c.Keys.Generate(ctx, value, Key{"key_alias": "a"}); return err }(),
		"info":     func() error { _, err := c.Keys.Get(ctx, token); return err }(),
		"update":   c.Keys.Update(ctx, token, Key{"max_budget": 1}),
		"delete":   c.Keys.Delete(ctx, token),
		"rotate":   c.Keys.Regenerate(ctx, token, next),
	} {
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		for _, s := range []string{value, token, next, Token(next)} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%s: the error shows %.8s…: %v", name, s, err)
			}
		}
	}
	// LiteLLM's hash_token is SHA-256 hex.
	if Token("sk-1234") != "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b" || !IsToken(token) || IsToken(value) {
		t.Fatal("Token / IsToken")
	}
}
