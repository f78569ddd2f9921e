package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/pulumi/pulumi-go-provider/infer"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/mapper"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

func sampleModelInputs() property.Map {
	s := func(v string) property.Value { return property.New(v) }
	return property.NewMap(map[string]property.Value{
		"modelName": s("m"),
		"litellmParams": property.New(property.NewMap(map[string]property.Value{
			"model": s("openai/gpt-4o"), "apiKey": s("sk-x").WithSecret(true), "rpm": property.New(3.0),
			"inputCostPerToken": property.New(2.5e-6),
			"extra": property.New(property.NewMap(map[string]property.Value{
				"timeout": property.New(30.0), "tags": property.New(property.NewArray([]property.Value{s("a"), s("b")})),
				"nested": property.New(property.NewMap(map[string]property.Value{"x": property.New(true)})),
			})),
		})),
		"modelInfo": property.New(property.NewMap(map[string]property.Value{
			"id": s("pinned"), "accessGroups": property.New(property.NewArray([]property.Value{s("g")})),
			"maxTokens": property.New(4096.0),
		})),
		"waitUntilServed": property.New(true),
	})
}

// decodeProperties decodes exactly what infer's own decoding does.
func TestDecodePropertiesMatchesInfer(t *testing.T) {
	m := sampleModelInputs()
	want, failures, err := infer.DefaultCheck[ModelArgs](context.Background(), m)
	if err != nil || len(failures) > 0 {
		t.Fatal(err, failures)
	}
	var got ModelArgs
	if err := decodeProperties(m, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	// Unknowns decode as zero values, as infer's do.
	var withUnknown ModelArgs
	if err := decodeProperties(m.Set("modelInfo", property.New(property.Computed)), &withUnknown); err != nil || withUnknown.ModelInfo != nil {
		t.Fatalf("%+v %v", withUnknown.ModelInfo, err)
	}
}

// encodeProperties encodes exactly what the SDK's mapper does for infer.
func TestEncodePropertiesMatchesTheMapper(t *testing.T) {
	var in ModelState
	if err := decodeProperties(sampleModelInputs().Set("modelId", property.New("pinned")), &in); err != nil {
		t.Fatal(err)
	}
	raw, err := mapper.New(&mapper.Opts{IgnoreMissing: true}).Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	want := presource.FromResourcePropertyValue(presource.NewPropertyValue(raw)).AsMap()
	if got := encodeProperties(in); !got.Equals(want) {
		t.Fatalf("got  %v\nwant %v", got.GoString(), want.GoString())
	}
}

// Secrets: the typed ones are marked by Check, the request's are kept by
// Read at the same paths.
func TestSecretsAreKept(t *testing.T) {
	plain := sampleModelInputs()
	lp := plain.Get("litellmParams").AsMap()
	plain = plain.Set("litellmParams", property.New(lp.Set("apiKey", property.New("sk-x"))))
	marked := typedSecrets(reflect.TypeFor[ModelArgs](), property.New(plain)).AsMap()
	if !marked.Get("litellmParams").AsMap().Get("apiKey").Secret() || marked.Get("modelName").Secret() {
		t.Fatalf("typed secrets: %v", marked.GoString())
	}
	old := sampleModelInputs()
	lp = old.Get("litellmParams").AsMap()
	ex := lp.Get("extra").AsMap().Set("timeout", property.New(30.0).WithSecret(true))
	old = old.Set("litellmParams", property.New(lp.Set("extra", property.New(ex))))
	kept := keepSecrets(old, plain)
	if !kept.Get("litellmParams").AsMap().Get("extra").AsMap().Get("timeout").Secret() ||
		!kept.Get("litellmParams").AsMap().Get("apiKey").Secret() {
		t.Fatalf("kept: %v", kept.GoString())
	}
}
