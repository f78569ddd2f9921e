package provider

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// FuzzCheck runs each kind's Check on any program input (a JSON object, as
// a program's values arrive at Check): it never panics or errs, and every
// failure it reports names its property and shows values as the program
// wrote them (never Go's %v forms such as <nil>, map[...] or %!d), and never
// a value the program marked secret.
func FuzzCheck(f *testing.F) {
	seeds := []string{
		`{"modelName":"m","litellmParams":{"model":"openai/gpt-4o","rpm":3,"apiBase":"https://api.example.com/v1"}}`,
		`{"modelName":"m","litellmParams":{"model":"openai/gpt-4o","rpm":1.5,"tpm":-1}}`,
		`{"modelName":"m","litellmParams":{"model":"x","apiBase":"http://user:pw@h:99999/p?q=1#f"}}`,
		`{"modelName":"m","litellmParams":{"model":"x","apiBase":"os.environ/"}}`,
		`{"modelName":"m","litellmParams":{"model":"x","extra":{"a":null,"b":[null,1,{"x":1}]}},"modelInfo":{"id":"","mode":"nope","maxTokens":1e300}}`,
		`{"modelName":"m","litellmParams":{"model":"x"},"modelInfo":{"extra":{"id":"x","pulumi":{}}}}`,
		`{"modelName":7,"litellmParams":[],"modelInfo":"s","unknownProperty":true}`,
		`{"credentialName":"c","credentialValues":{"api_key":"v"},"credentialInfo":{"pulumi":1}}`,
		`{"credentialName":"","credentialValues":{"":"v","k":3}}`,
		`{"credentialName":["c"],"credentialValues":"v","modelId":false}`,
		`{"modelName":"m","litellmParams":{"model":"x","rpm":{"a":null},"tpm":[null,1,{"x":1}]}}`,
		`{"modelName":"m","litellmParams":{"model":"x","rpm":"a-long-string-value"}}`,
		`{}`,
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i%2), "secret-value-of-the-program")
	}
	f.Fuzz(func(t *testing.T, raw []byte, which uint8, secret string) {
		var obj map[string]any
		if json.Unmarshal(raw, &obj) != nil || obj == nil {
			return
		}
		inputs := presource.FromResourcePropertyMap(presource.NewPropertyMapFromMap(obj))
		// The secret sits wherever the program could put one, marked secret.
		secretShown := len(secret) >= 8 && !strings.Contains(string(raw), secret)
		if secretShown {
			inputs = markSecretEverywhere(inputs, secret)
		}
		req := infer.CheckRequest{NewInputs: inputs}
		var failures []p.CheckFailure
		var err error
		if which%2 == 0 {
			var r infer.CheckResponse[ModelArgs]
			r, err = Model{}.Check(context.Background(), req)
			failures = r.Failures
		} else {
			var r infer.CheckResponse[CredentialArgs]
			r, err = Credential{}.Check(context.Background(), req)
			failures = r.Failures
		}
		if err != nil {
			t.Fatalf("Check erred instead of reporting failures: %v", err)
		}
		for _, fl := range failures {
			if strings.TrimSpace(fl.Reason) == "" {
				t.Fatalf("a failure without a reason: %+v", fl)
			}
			text := fl.Property + " " + fl.Reason
			for _, goForm := range []string{"<nil>", "map[", "%!", "{<"} {
				// (unless the program's own value has it)
				if strings.Contains(text, goForm) && !strings.Contains(string(raw), goForm) && !strings.Contains(secret, goForm) {
					t.Fatalf("failure shows a Go value form %q: %q", goForm, text)
				}
			}
			if secretShown && (strings.Contains(text, secret) || strings.Contains(text, strconv.Quote(secret))) {
				t.Fatalf("failure shows a secret: %q", text)
			}
		}
	})
}

// markSecretEverywhere replaces every string value of m that is at least
// eight bytes long by the secret, marked secret.
func markSecretEverywhere(m property.Map, secret string) property.Map {
	var walk func(v property.Value) property.Value
	walk = func(v property.Value) property.Value {
		switch {
		case v.IsString() && len(v.AsString()) >= 8:
			return property.New(secret).WithSecret(true)
		case v.IsMap():
			out := map[string]property.Value{}
			for k, x := range v.AsMap().All {
				out[k] = walk(x)
			}
			return property.New(property.NewMap(out)).WithSecret(v.Secret())
		case v.IsArray():
			var out []property.Value
			for _, x := range v.AsArray().All {
				out = append(out, walk(x))
			}
			return property.New(property.NewArray(out)).WithSecret(v.Secret())
		}
		return v
	}
	return walk(property.New(m)).AsMap()
}
