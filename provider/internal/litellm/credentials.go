package litellm

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
)

// CredentialsService: named credentials (docs/litellm/credentials.md).
type CredentialsService struct{ c *Client }

// The credential endpoints. Older proxies return (rather than raise) the
// errors of PATCH and DELETE, as HTTP 200 with {"message", "type", "code"}:
// these rules apply to that code too (returnedError).
var (
	credentialList   = endpoint{http.MethodGet, "/credentials", nil}
	credentialCreate = endpoint{http.MethodPost, "/credentials", []rule{
		{409, nil, KindConflict, ""},
		{500, []string{"unique constraint failed"}, KindConflict, ""}, // older proxies
		{400, []string{"already exists"}, KindConflict, ""},
		// model_id names a model the answering worker's router does not serve.
		{404, []string{"model not found"}, KindNotFound, ""},
	}}
	// Served from the answering worker's in-memory list: a miss may be a
	// worker that has not reloaded yet.
	credentialGet = endpoint{http.MethodGet, "/credentials/by_name/{name}", []rule{
		{404, nil, KindNotFound, ""},
	}}
	credentialPatch = endpoint{http.MethodPatch, "/credentials/{name}", []rule{
		{404, nil, KindNotFound, ""},
		{500, []string{"unique constraint failed"}, KindConflict, ""}, // a rename onto an existing name (older)
		{400, []string{"display_name"}, KindInvalid, "this proxy refuses to rename credentials; a new name replaces the credential"},
	}}
	// Newest proxies look the name up in memory and then in the database, so
	// a miss is authoritative; older ones answer 200 with an error object.
	credentialDelete = endpoint{http.MethodDelete, "/credentials/{name}", []rule{
		{404, nil, KindNotFound, ""},
		{500, []string{"record to delete does not exist"}, KindNotFound, ""}, // Prisma P2025, older proxies
	}}
)

// Credential is a named credential. Reads return the values masked.
type Credential struct {
	CredentialName   string         `json:"credential_name"`
	CredentialValues map[string]any `json:"credential_values,omitempty"`
	CredentialInfo   map[string]any `json:"credential_info,omitempty"`
	// ModelID (create only) copies the credentials of an existing model
	// deployment instead of sending CredentialValues.
	ModelID string `json:"model_id,omitempty"`
}

// credentialBody is what is sent: LiteLLM requires credential_info (a dict)
// on every write, and credential_values on PATCH for proxies before the
// optional-values update model, so empty maps are sent as {}.
type credentialBody struct {
	CredentialName   string         `json:"credential_name"`
	CredentialValues map[string]any `json:"credential_values,omitempty"`
	CredentialInfo   map[string]any `json:"credential_info"`
	ModelID          string         `json:"model_id,omitempty"`
}

func (c Credential) body() credentialBody {
	b := credentialBody(c)
	if b.CredentialInfo == nil {
		b.CredentialInfo = map[string]any{}
	}
	return b
}

// credentialSecrets: every value of credential_values is a secret.
func credentialSecrets(c Credential) []string { return secretStrings(c.CredentialValues, nil) }

// Create sends POST /credentials and requires {"success": true}.
func (s *CredentialsService) Create(ctx context.Context, c Credential) error {
	if c.CredentialName == "" {
		return &Error{Kind: KindInvalid, Op: credentialCreate.String(), Message: "empty credential name"}
	}
	return s.write(ctx, request{ep: &credentialCreate, body: c.body(), secrets: credentialSecrets(c)})
}

// List reads GET /credentials: the answering worker's credential list,
// values masked (a credential missing from it may still exist).
func (s *CredentialsService) List(ctx context.Context) ([]Credential, error) {
	var out struct {
		Credentials []Credential `json:"credentials"`
	}
	if err := s.c.do(ctx, request{ep: &credentialList, out: &out}); err != nil {
		return nil, err
	}
	return out.Credentials, nil
}

// Get reads GET /credentials/by_name/{name} (served from the answering
// worker's credential list, values masked). A miss is KindNotFound.
func (s *CredentialsService) Get(ctx context.Context, name string) (*Credential, error) {
	var raw json.RawMessage
	r := request{ep: &credentialGet, args: []string{name}, out: &raw}
	if err := s.c.do(ctx, r); err != nil {
		return nil, err
	}
	var shape map[string]json.RawMessage
	_ = json.Unmarshal(raw, &shape)
	_, hasName := shape["credential_name"]
	_, hasValues := shape["credential_values"]
	if !hasName && !hasValues {
		// Some proxies return (rather than raise) their error object.
		return nil, s.c.returnedError(ctx, r, raw)
	}
	var out Credential
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, &Error{Kind: KindInvalid, Op: opOf(r), Status: http.StatusOK, Message: "unexpected answer: " + err.Error()}
	}
	if out.CredentialName == "" {
		out.CredentialName = name
	}
	return &out, nil
}

// Update sends PATCH /credentials/{name}, which merges values and info into
// the stored credential (a different c.CredentialName renames it; empty
// means name). It requires {"success": true}.
func (s *CredentialsService) Update(ctx context.Context, name string, c Credential) error {
	if c.CredentialName == "" {
		c.CredentialName = name
	}
	b := c.body()
	body := map[string]any{ // no model_id: create only
		"credential_name":   b.CredentialName,
		"credential_info":   b.CredentialInfo,
		"credential_values": b.CredentialValues,
	}
	if b.CredentialValues == nil {
		body["credential_values"] = map[string]any{} // required by older proxies; empty changes nothing
	}
	return s.write(ctx, request{ep: &credentialPatch, args: []string{name}, body: body, secrets: credentialSecrets(c)})
}

// Delete sends DELETE /credentials/{name} and requires {"success": true}.
func (s *CredentialsService) Delete(ctx context.Context, name string) error {
	return s.write(ctx, request{ep: &credentialDelete, args: []string{name}})
}

// write sends a credential write and requires {"success": true}: older
// proxies return (rather than raise) the errors of credential PATCH and
// DELETE, as HTTP 200 with {"message", "type", "code": "404"}.
func (s *CredentialsService) write(ctx context.Context, r request) error {
	var raw json.RawMessage
	r.out = &raw
	if err := s.c.do(ctx, r); err != nil {
		return err
	}
	var ok struct {
		Success *bool `json:"success"`
	}
	if json.Unmarshal(raw, &ok) == nil && ok.Success != nil && *ok.Success {
		return nil
	}
	return s.c.returnedError(ctx, r, raw)
}

// returnedError classifies an error object that came with HTTP 200, by its
// "code" and the endpoint's rules; without a code it is KindUnknown.
func (c *Client) returnedError(ctx context.Context, r request, raw []byte) *Error {
	r.secrets = append(r.secrets, redactionsFrom(ctx)...)
	b := parseErrorBody(raw)
	e := &Error{Kind: KindUnknown, Op: opOf(r), Status: http.StatusOK, Type: c.redact(b.Type, r.secrets), code: b.Code}
	if code, err := strconv.Atoi(b.Code); err == nil && code >= 400 && code <= 599 {
		v := c.classifyHTTP(r.ep, code, b)
		e.Kind, e.hint = v.kind, v.hint
		e.Ambiguous = r.ep.write() && code >= 500 && v.kind == KindTransient
	}
	msg := b.Message
	if msg == "" && !r.ep.write() {
		msg = "unexpected answer without credential_name"
	} else if msg == "" {
		msg = `the proxy answered 200 without "success": true`
	}
	e.Message = c.redact(msg, r.secrets)
	return e
}

// opOf is the Op of an *Error: method and escaped path.
func opOf(r request) string {
	p, err := expand(r.ep.path, r.args)
	if err != nil {
		return r.ep.String()
	}
	return r.ep.method + " " + p
}
