package litellm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// JwtKeyMappingsService: JWT key mappings (LiteLLM_JWTKeyMapping,
// docs/litellm/jwt-key-mappings.md): a JWT claim (issuer, claim name,
// claim value) that authenticates as a virtual key. The ID is a uuid the
// database chooses; (jwt_issuer, jwt_claim_name, jwt_claim_value) is
// unique. Every read comes from the database; no answer shows the key.
type JwtKeyMappingsService struct{ c *Client }

var (
	// The mapping. A claim triple that exists is a 409 ("A mapping for
	// claim 'X' = 'Y' already exists for issuer 'Z'."); a token of no key a
	// 400.
	jwtMappingCreate = endpoint{http.MethodPost, "/jwt/key/mapping/new", []rule{
		{409, []string{"already exists"}, KindConflict, ""},
		{400, []string{"does not match an existing virtual key"}, KindInvalid,
			"the key must exist on the proxy: create the Key first (or point token at an existing key's token)"},
	}}
	// A miss is a 404 ("Mapping not found").
	jwtMappingInfo = endpoint{http.MethodGet, "/jwt/key/mapping/info", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// id in the body; fields left out stay. A miss is a 404.
	jwtMappingUpdate = endpoint{http.MethodPost, "/jwt/key/mapping/update", []rule{
		{404, nil, KindNotFound, ""},
		{409, []string{"already exists"}, KindConflict, ""},
	}}
	// {"status": "success"}. A miss (or a repeat) is a 404.
	jwtMappingDelete = endpoint{http.MethodPost, "/jwt/key/mapping/delete", []rule{
		{404, nil, KindNotFound, ""},
	}}
	// Paginated: {mappings, total_count, current_page, total_pages}, size at most 100.
	jwtMappingList = endpoint{http.MethodGet, "/jwt/key/mapping/list", nil}
)

// JwtKeyMapping is a mapping as LiteLLM returns it (JWTKeyMappingResponse):
// id, jwt_issuer (null for every issuer), jwt_claim_name, jwt_claim_value,
// description, is_active, created_at, updated_at, created_by, updated_by.
type JwtKeyMapping map[string]any

// Create sends POST /jwt/key/mapping/new and returns the ID the proxy
// chose.
func (s *JwtKeyMappingsService) Create(ctx context.Context, m JwtKeyMapping) (string, error) {
	if m["jwt_claim_name"] == nil || m["jwt_claim_value"] == nil {
		return "", &Error{Kind: KindInvalid, Op: jwtMappingCreate.String(), Message: "empty claim"}
	}
	var out JwtKeyMapping
	if err := s.c.do(ctx, request{ep: &jwtMappingCreate, body: m, out: &out}); err != nil {
		return "", err
	}
	id, _ := out["id"].(string)
	return id, nil
}

// Get reads GET /jwt/key/mapping/info?id=.
func (s *JwtKeyMappingsService) Get(ctx context.Context, id string) (JwtKeyMapping, error) {
	if id == "" {
		return nil, &Error{Kind: KindInvalid, Op: jwtMappingInfo.String(), Message: "empty mapping id"}
	}
	var out JwtKeyMapping
	if err := s.c.do(ctx, request{ep: &jwtMappingInfo, query: url.Values{"id": {id}}, out: &out}); err != nil {
		return nil, err
	}
	if fmt.Sprint(out["id"]) != id {
		return nil, &Error{Kind: KindNotFound, Op: jwtMappingInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no JWT key mapping with id %q in the answer", id)}
	}
	return out, nil
}

// Update sends POST /jwt/key/mapping/update with id and the fields to write.
func (s *JwtKeyMappingsService) Update(ctx context.Context, id string, m JwtKeyMapping) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: jwtMappingUpdate.String(), Message: "empty mapping id"}
	}
	body := JwtKeyMapping{"id": id}
	for k, v := range m {
		if k != "id" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &jwtMappingUpdate, body: body})
}

// Delete sends POST /jwt/key/mapping/delete {"id": id}.
func (s *JwtKeyMappingsService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return &Error{Kind: KindInvalid, Op: jwtMappingDelete.String(), Message: "empty mapping id"}
	}
	return s.c.do(ctx, request{ep: &jwtMappingDelete, body: map[string]string{"id": id}})
}

// List returns every mapping (GET /jwt/key/mapping/list, page by page).
func (s *JwtKeyMappingsService) List(ctx context.Context) ([]JwtKeyMapping, error) {
	var all []JwtKeyMapping
	for page := 1; page <= maxListPages; page++ {
		var out struct {
			Mappings   []JwtKeyMapping `json:"mappings"`
			TotalPages int             `json:"total_pages"`
		}
		q := url.Values{"page": {strconv.Itoa(page)}, "size": {"100"}}
		if err := s.c.do(ctx, request{ep: &jwtMappingList, query: q, out: &out}); err != nil {
			return nil, err
		}
		for _, m := range out.Mappings {
			if id, ok := m["id"].(string); ok && id != "" {
				all = append(all, m)
			}
		}
		if len(out.Mappings) == 0 || page >= out.TotalPages {
			break
		}
	}
	return all, nil
}
