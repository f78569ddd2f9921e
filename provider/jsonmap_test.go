package provider

import (
	"reflect"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
)

func ptr[T any](v T) *T { return &v }

func TestObjectOfSendsOnlySetFields(t *testing.T) {
	got := objectOf(&ModelParams{
		Model:             "openai/gpt-4o",
		APIKey:            ptr("sk-x"),
		Rpm:               ptr(0), // zero is a value the user set: sent
		InputCostPerToken: ptr(1.5e-7),
		Extra:             map[string]any{"timeout": 30.0},
	})
	want := map[string]any{"model": "openai/gpt-4o", "api_key": "sk-x", "rpm": 0.0, "input_cost_per_token": 1.5e-7, "timeout": 30.0}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if len(objectOf((*ModelInfo)(nil))) != 0 {
		t.Fatal("nil struct must give an empty object")
	}
}

// The shapes the next kinds need (Key, Team, MCP servers, guardrails):
// nested objects under their JSON names, named string types, lists of
// objects, *int64 and free-form keys at any depth, all through
// encoding/json.
type tier string

type nestedBudget struct {
	BudgetLimit *float64 `pulumi:"budgetLimit,optional" litellm:"budget_limit,omitzero"`
	TimePeriod  *string  `pulumi:"timePeriod,optional" litellm:"time_period,omitzero"`
}

func (b nestedBudget) MarshalJSON() ([]byte, error) { return marshalWire(b, nil) }

func (b *nestedBudget) UnmarshalJSON(data []byte) error { return unmarshalWire(data, b, nil) }

type nestedMember struct {
	UserID string         `pulumi:"userId" litellm:"user_id"`
	Role   tier           `pulumi:"role" litellm:"role"`
	Extra  map[string]any `pulumi:"extra,optional" litellm:"-"`
}

func (m nestedMember) MarshalJSON() ([]byte, error) {
	return marshalWire(m, m.Extra)
}

func (m *nestedMember) UnmarshalJSON(b []byte) error {
	return unmarshalWire(b, m, &m.Extra)
}

type nestedArgs struct {
	Tier      *tier                   `pulumi:"tier,optional" litellm:"tier,omitzero"`
	MaxTokens *int64                  `pulumi:"maxTokens,optional" litellm:"max_tokens,omitzero"`
	Budgets   map[string]nestedBudget `pulumi:"budgets,optional" litellm:"model_max_budget,omitzero"`
	Members   []nestedMember          `pulumi:"members,optional" litellm:"members_with_roles,omitzero"`
}

func (a nestedArgs) MarshalJSON() ([]byte, error) { return marshalWire(a, nil) }

func (a *nestedArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, a, nil) }

// A field without a litellm tag, or a nested type that does not map itself,
// is refused loudly instead of being dropped or sent under its Go name.
type untagged struct {
	Name string `pulumi:"name"`
}

type unmapped struct {
	Inner nestedBudgetPlain `pulumi:"inner" litellm:"inner"`
}

type nestedBudgetPlain struct {
	Limit int `pulumi:"limit" litellm:"limit"`
}

func TestMappingMistakesAreLoud(t *testing.T) {
	for _, v := range []any{untagged{Name: "x"}, unmapped{}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatalf("%T: no panic", v)
				}
			}()
			_, _ = marshalWire(v, nil)
		}()
	}
}

// Every mapped struct of every kind is fully tagged.
func TestEveryKindIsMapped(t *testing.T) {
	for _, v := range []any{ModelParams{}, ModelInfo{}, CredentialArgs{}} {
		if _, err := marshalWire(v, nil); err != nil {
			t.Fatalf("%T: %v", v, err)
		}
	}
}

func TestNestedShapesRoundTrip(t *testing.T) {
	in := nestedArgs{
		Tier:      ptr(tier("paid")),
		MaxTokens: ptr(int64(9007199254740993)),
		Budgets:   map[string]nestedBudget{"gpt-4o": {BudgetLimit: ptr(10.5), TimePeriod: ptr("1d")}},
		Members:   []nestedMember{{UserID: "u1", Role: "admin", Extra: map[string]any{"user_email": "a@b.c"}}},
	}
	obj := objectOf(in)
	want := map[string]any{
		"tier": "paid", "max_tokens": 9007199254740992.0, // as any JSON reader decodes it
		"model_max_budget":   map[string]any{"gpt-4o": map[string]any{"budget_limit": 10.5, "time_period": "1d"}},
		"members_with_roles": []any{map[string]any{"user_id": "u1", "role": "admin", "user_email": "a@b.c"}},
	}
	if !reflect.DeepEqual(obj, want) {
		t.Fatalf("got %v\nwant %v", obj, want)
	}
	var back nestedArgs
	if err := decodeObject(map[string]any{"tier": "paid", "max_tokens": 7.0, "model_max_budget": want["model_max_budget"],
		"members_with_roles": want["members_with_roles"]}, &back); err != nil {
		t.Fatal(err)
	}
	if deref(back.Tier) != "paid" || deref(back.MaxTokens) != 7 || deref(back.Budgets["gpt-4o"].TimePeriod) != "1d" ||
		back.Members[0].Role != "admin" || back.Members[0].Extra["user_email"] != "a@b.c" {
		t.Fatalf("decoded %+v", back)
	}
}

func TestDecodeIsExactAndNamesTheProperty(t *testing.T) {
	var out ModelParams
	for _, tc := range []struct {
		obj  map[string]any
		want string
	}{
		{map[string]any{"rpm": "many"}, `rpm: expected an integer, got string "many"`},
		{map[string]any{"rpm": 1.5}, "rpm: expected an integer, got number 1.5"},
		{map[string]any{"rpm": 1e300}, "rpm: expected an integer, got number 1e+300"},
	} {
		err := decodeObject(tc.obj, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("%v: got %v, want %q", tc.obj, err, tc.want)
		}
	}
	var info ModelInfo
	if err := decodeObject(map[string]any{"access_groups": []any{nil, 1.0, map[string]any{"x": 1.0}}}, &info); err == nil ||
		!strings.Contains(err.Error(), "accessGroups") {
		t.Fatalf("a list of mixed values must not become strings: %v (%v)", err, info.AccessGroups)
	}
}

func TestOwnedFieldsTakesOnlyTheUsersFields(t *testing.T) {
	prior := objectOf(&ModelParams{Model: "openai/gpt-4o", APIKey: ptr("sk-secret"), Rpm: ptr(100),
		Extra: map[string]any{"timeout": 30.0, "tags": []any{"a"}, "azure_ad_token": "tok-abcdefghijkl"}})
	server := map[string]any{
		"model":                              "openai/gpt-4o",
		"api_key":                            "sk-s****cret", // masked: never drift
		"rpm":                                float64(999),   // drift
		"tpm":                                float64(5),     // not the user's: ignored
		"timeout":                            float64(60),    // drift in extra
		"azure_ad_token":                     "tok-********ijkl",
		"merge_reasoning_content_in_choices": false, // injected: ignored
	}
	var out ModelParams
	if err := decodeObject(ownedFields(server, prior, modelParamsWriteOnly), &out); err != nil {
		t.Fatal(err)
	}
	if deref(out.APIKey) != "sk-secret" || deref(out.Rpm) != 999 || out.Tpm != nil {
		t.Fatalf("typed fields: %+v", out)
	}
	// tags are not echoed by LiteLLM: the configured value stays; a masked
	// token is not drift.
	if !reflect.DeepEqual(out.Extra, map[string]any{"timeout": float64(60), "tags": []any{"a"}, "azure_ad_token": "tok-abcdefghijkl"}) {
		t.Fatalf("extra: %v", out.Extra)
	}
}

func TestAdoptFieldsOnImport(t *testing.T) {
	server := map[string]any{"base_model": "gpt-4o", "mode": "chat", "max_tokens": float64(4096), "db_model": true,
		"supports_vision": true, "input_cost_per_token": 2.5e-6, "description": "mine", "access_groups": []any{"beta"},
		"cache_read_input_token_cost": 7.5e-8, "member_auto_router": false, "pulumi": map[string]any{"owner": "o", "urn": "u"}}
	obj, left := adoptFields(server, modelInfoServerFilled)
	var out ModelInfo
	if err := decodeObject(obj, &out); err != nil {
		t.Fatal(err)
	}
	if deref(out.BaseModel) != "gpt-4o" || out.Mode != nil || out.MaxTokens != nil || len(left) != 0 {
		t.Fatalf("typed: %+v, left %v", out, left)
	}
	if !reflect.DeepEqual(out.AccessGroups, []string{"beta"}) || !reflect.DeepEqual(out.Extra, map[string]any{"description": "mine"}) {
		t.Fatalf("adopted %+v", out)
	}
	params, left := adoptFields(map[string]any{"model": "azure/gpt", "azure_ad_token": "supe**********3456", "api_version": "v1",
		"client_secret_ref": "v3:gcm:abcd", "headers": map[string]any{"x-auth": "REDACTED_BY_LITELM"}}, modelParamServerFilled)
	if !reflect.DeepEqual(left, []string{"azure_ad_token", "client_secret_ref", "headers"}) || len(params) != 2 {
		t.Fatalf("masked values must be left out and named: %v %v", params, left)
	}
}

func TestMasked(t *testing.T) {
	for _, tc := range []struct {
		key  string
		v    any
		want bool
	}{
		{"api_key", "sk-a**********wxyz", true}, {"aws_session_token", "********", true}, {"api_key", "sk****et", true},
		{"anything", "v3:gcm:Zm9v", true}, {"anything", "REDACTED_BY_LITELM", true},
		{"model", "openai/*", false}, {"model", "gpt-*", false}, {"description", "a * b", false},
		{"api_key", "sk-plain", false}, {"headers", map[string]any{"authorization": "Bear****abcd"}, true},
	} {
		if got := masked(tc.key, tc.v); got != tc.want {
			t.Errorf("masked(%q, %v) = %v, want %v", tc.key, tc.v, got, tc.want)
		}
	}
}

func TestSameJSONToleratesFloatFormatting(t *testing.T) {
	if !sameJSON(1.75e-07, 0.000000175) || !sameJSON(normalized(map[string]any{"a": 1}), map[string]any{"a": 1.0}) {
		t.Fatal("equal values reported different")
	}
	if sameJSON(1.75e-07, 1.76e-07) || sameJSON([]any{"a", "b"}, []any{"b", "a"}) {
		t.Fatal("different values reported equal")
	}
}

func TestMergedDiffClassifiesRemovals(t *testing.T) {
	old := objectOf(&ModelParams{Model: "m", InputCostPerToken: ptr(1e-6), APIBase: ptr("https://a"), Extra: map[string]any{"timeout": 1.0, "input_cost_per_pixel": 1.0}})
	news := objectOf(&ModelParams{Model: "m", Extra: map[string]any{"timeout": 2.0}})
	d := newDiffer()
	d.merged("litellmParams", modelParamsType, old, news, modelParamClearable)
	want := map[string]p.DiffKind{
		"litellmParams.inputCostPerToken":          p.Delete,        // pricing: cleared with null
		"litellmParams.apiBase":                    p.DeleteReplace, // the merge cannot remove it
		"litellmParams.extra.input_cost_per_pixel": p.Delete,
		"litellmParams.extra.timeout":              p.Update,
	}
	if len(d.diff) != len(want) {
		t.Fatalf("changes: %v", d.diff)
	}
	for path, kind := range want {
		if d.diff[path].Kind != kind {
			t.Fatalf("%s: %v, want %v (%v)", path, d.diff[path].Kind, kind, d.diff)
		}
	}
	if !d.response(false).HasChanges || d.response(true).DeleteBeforeReplace != true {
		t.Fatal("response")
	}
}

func TestRemovedKeyBecomesNullOnlyWhereClearable(t *testing.T) {
	olds := ModelArgs{ModelName: "m", LitellmParams: ModelParams{Model: "x", InputCostPerToken: ptr(1e-6), LitellmCredentialName: ptr("c"), Rpm: ptr(1)}}
	news := ModelArgs{ModelName: "m", LitellmParams: ModelParams{Model: "x"}}
	patch := modelPatch(olds, news, mark{Owner: "o", URN: "u"})
	if v, ok := patch.LitellmParams["input_cost_per_token"]; !ok || v != nil {
		t.Fatalf("pricing: %v", patch.LitellmParams)
	}
	if v, ok := patch.LitellmParams["litellm_credential_name"]; !ok || v != nil {
		t.Fatalf("credential name: %v", patch.LitellmParams)
	}
	if _, ok := patch.LitellmParams["rpm"]; ok {
		t.Fatalf("rpm cannot be cleared with null: %v", patch.LitellmParams)
	}
	if m, ok := markIn(patch.ModelInfo); !ok || m.Owner != "o" || m.URN != "u" {
		t.Fatalf("the mark travels with every write: %v", patch.ModelInfo)
	}
}
