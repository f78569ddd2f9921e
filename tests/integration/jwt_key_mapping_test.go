package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func (h *harness) jwtMapping(id string) (map[string]any, bool) {
	return rowWith(h.emu.JwtKeyMappings(), "id", id)
}

// newKey makes a key out of band and returns its value and token.
func (h *harness) newKey(alias string) (string, string) {
	h.t.Helper()
	out := h.mustAPI("POST", "/key/generate", map[string]any{"key_alias": alias})
	value := out["key"].(string)
	sum := sha256.Sum256([]byte(value))
	return value, hex.EncodeToString(sum[:])
}

func TestJwtKeyMappingLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second}, nil)
	_, token := h.newKey("jwt-a")
	value2, token2 := h.newKey("jwt-b")
	u := urn("JwtKeyMapping", "m")
	in := map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "svc-billing", "token": secret{token}, "description": "billing service"}
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "mappingId") != id {
		t.Fatalf("ID %q, mappingId output %v", id, get(created.Properties, "mappingId"))
	}
	row, ok := h.jwtMapping(id)
	if !ok || row["token"] != token || row["jwt_claim_name"] != "sub" || row["jwt_issuer"] != "" || row["is_active"] != true ||
		row["description"] != "billing service" {
		t.Fatalf("mapping on the proxy: %v", row)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.UpdateJwtKeyMapping(id, map[string]any{"is_active": false})
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || get(read.Inputs, "isActive") != false {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: another key (given as the key itself: only its hash
	// is sent), an issuer, the description removed, active again.
	in2 := map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "svc-billing", "key": secret{value2}, "jwtIssuer": "https://idp.example.com"}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the mapping: %+v", path, diff.DetailedDiff)
		}
	}
	h.emu.ResetStats()
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.jwtMapping(id)
	if row["token"] != token2 || row["jwt_issuer"] != "https://idp.example.com" || row["is_active"] != true ||
		(row["description"] != "" && row["description"] != nil) || len(h.emu.JwtKeyMappings()) != 1 {
		t.Fatalf("after update: %v", row)
	}
	if strings.Contains(updated.Properties.GoString(), token2) && !updated.Properties.Get("key").Secret() {
		t.Fatalf("the key is not secret: %v", updated.Properties.GoString())
	}

	// A new claim value replaces the mapping.
	in3 := map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "svc-other", "key": secret{value2}, "jwtIssuer": "https://idp.example.com"}
	diff, err = h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: h.check(u, news, pm(in3))})
	if err != nil || diff.DetailedDiff["jwtClaimValue"].Kind != p.UpdateReplace {
		t.Fatalf("claim value change: %+v %v", diff.DetailedDiff, err)
	}

	// Import rebuilds the readable inputs (no key: the proxy never shows it).
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("JwtKeyMapping", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "jwtClaimName") != "sub" || get(imp.Inputs, "jwtClaimValue") != "svc-billing" ||
		get(imp.Inputs, "jwtIssuer") != "https://idp.example.com" || get(imp.Inputs, "token") != nil || get(imp.Inputs, "key") != nil ||
		get(imp.Inputs, "isActive") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}

	// Delete; a second delete of a mapping already gone is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.jwtMapping(id); ok {
		t.Fatal("mapping still on the proxy")
	}
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("delete of a mapping already gone: %v", err)
	}
}

// isActive: false is written right after the create (a create is always active).
func TestJwtKeyMappingInactive(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	_, token := h.newKey("jwt-i")
	created := h.mustCreate(urn("JwtKeyMapping", "m"), map[string]any{"jwtClaimName": "email", "jwtClaimValue": "a@example.com",
		"token": token, "isActive": false})
	if row, _ := h.jwtMapping(created.ID); row["is_active"] != false {
		t.Fatalf("mapping: %v", row)
	}
}

// Deleted out of band (or with its key): gone after one read; an update
// creates it again under a new ID.
func TestJwtKeyMappingDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	_, token := h.newKey("jwt-o")
	u := urn("JwtKeyMapping", "m")
	in := map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "oob", "token": token}
	created := h.mustCreate(u, in)
	h.emu.DeleteJwtKeyMapping(created.ID)
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" || h.emu.Stats()["GET /jwt/key/mapping/info"] != 1 {
		t.Fatalf("read: %q %v %v", read.ID, err, h.emu.Stats())
	}
	in["description"] = "back"
	news := h.check(u, inputs, pm(in))
	resp, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	rows := h.emu.JwtKeyMappings()
	if len(rows) != 1 || rows[0]["description"] != "back" || rows[0]["id"] == created.ID || get(resp.Properties, "mappingId") != rows[0]["id"] {
		t.Fatalf("recreated mapping: %v", rows)
	}
	// The key's delete takes its mappings (a foreign key that cascades).
	h.mustAPI("POST", "/key/delete", map[string]any{"keys": []any{token}})
	read, err = h.s.Read(p.ReadRequest{ID: rows[0]["id"].(string), Urn: u, Properties: aged(resp.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after the key's delete: %q %v", read.ID, err)
	}
}

// A dropped create answer makes no second mapping; an interrupted create
// is adopted by the next run (and written over with this program's key).
func TestJwtKeyMappingAmbiguousAndInterruptedCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /jwt/key/mapping/new"}}}, nil)
	_, token := h.newKey("jwt-amb")
	u := urn("JwtKeyMapping", "m")
	in := map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "amb", "token": token, "description": "d"}
	created, err := h.create(u, in, 0)
	if err != nil || len(h.emu.JwtKeyMappings()) != 1 || h.emu.Stats()["POST /jwt/key/mapping/new"] != 1 {
		t.Fatalf("create: %v %v %v", err, h.emu.JwtKeyMappings(), h.emu.Stats())
	}
	again, err := h.createOn(h.rerun(), u, in, 0)
	if err != nil || again.ID != created.ID || len(h.emu.JwtKeyMappings()) != 1 || h.emu.Stats()["POST /jwt/key/mapping/new"] != 1 {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, created.ID)
	}
}

// A mapping someone else made for the same claim is not taken over.
func TestJwtKeyMappingConflictAndAdoption(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	_, theirToken := h.newKey("theirs")
	_, ourToken := h.newKey("ours")
	theirs := h.mustAPI("POST", "/jwt/key/mapping/new", map[string]any{"jwt_claim_name": "sub", "jwt_claim_value": "shared", "token": theirToken, "description": "theirs"})
	in := map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "shared", "token": ourToken}
	_, err := h.create(urn("JwtKeyMapping", "m"), in, 0)
	if err == nil || !strings.Contains(err.Error(), `claim sub="shared"`) || !strings.Contains(err.Error(), theirs["id"].(string)) {
		t.Fatalf("create over someone else's mapping: %v", err)
	}
	if rows := h.emu.JwtKeyMappings(); rows[0]["token"] != theirToken {
		t.Fatalf("their mapping was changed: %v", rows)
	}
	in["adoptExisting"] = true
	if created, err := h.create(urn("JwtKeyMapping", "m"), in, 0); err != nil || created.ID != theirs["id"] {
		t.Fatalf("adoptExisting: %v", err)
	}
	if rows := h.emu.JwtKeyMappings(); len(rows) != 1 || rows[0]["token"] != ourToken {
		t.Fatalf("adopted mapping: %v", rows)
	}
}

func TestJwtKeyMappingCheckNamesTheProperty(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	tok := strings.Repeat("ab", 32)
	for _, c := range []struct {
		in   map[string]any
		prop string
	}{
		{map[string]any{"jwtClaimName": "", "jwtClaimValue": "v", "token": tok}, "jwtClaimName"},
		{map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "v"}, "token"},
		{map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "v", "token": tok, "key": secret{"sk-1234567890"}}, "token"},
		{map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "v", "token": "sk-1234567890abcdef"}, "token"},
		{map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "v", "token": tok, "jwtIssuer": ""}, "jwtIssuer"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("JwtKeyMapping", "m"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || strings.Contains(resp.Failures[0].Reason, "sk-1234567890") {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

func TestJwtKeyMappingFunctions(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, Routing: emulator.RoutePerRequest}, nil)
	_, token := h.newKey("jwt-f")
	m := h.mustCreate(urn("JwtKeyMapping", "m"), map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "fn", "token": token})
	for _, args := range []map[string]any{{"mappingId": m.ID}, {"jwtClaimName": "sub", "jwtClaimValue": "fn"}} {
		got, err := h.invoke("getJwtKeyMapping", args)
		if err != nil || get(got, "mappingId") != m.ID || get(got, "isActive") != true || strings.Contains(got.GoString(), token) {
			t.Fatalf("getJwtKeyMapping %v: %v %v", args, got.GoString(), err)
		}
	}
	list, err := h.invoke("listJwtKeyMappings", map[string]any{"jwtClaimName": "sub"})
	if err != nil || len(get(list, "mappings").([]any)) != 1 {
		t.Fatalf("listJwtKeyMappings: %v %v", list.GoString(), err)
	}
	if _, err := h.invoke("getJwtKeyMapping", map[string]any{"jwtClaimName": "sub", "jwtClaimValue": "nope"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("getJwtKeyMapping of a missing mapping: %v", err)
	}
}
