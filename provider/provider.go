// Package provider is the Pulumi face of pulumi-litellm: the provider
// configuration and one file per resource. HTTP lives in internal/litellm,
// waiting in consistency.
package provider

import (
	"context"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/mapper"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Name is the Pulumi package name.
const Name = "litellm"

// Version is set at build time with -ldflags "-X .../provider.Version=x.y.z".
var Version = "0.1.0"

// kind is what the provider-level middleware needs of a resource kind,
// declared in the kind's own file.
type kind struct {
	token    tokens.Type
	resource infer.InferredResource
	// diff is the kind's typed Diff, called without infer's per-call schema
	// build (typedDiff).
	diff func(context.Context, p.DiffRequest) (p.DiffResponse, error)
	// freeForm lists the property paths of free-form maps whose values are
	// kept secret when their key looks secret (api_token, webhook_secret...).
	freeForm []string
}

func kinds() []kind { return []kind{modelKind(), credentialKind()} }

// New builds the provider.
func New() (p.Provider, error) {
	ks := kinds()
	resources := make([]infer.InferredResource, len(ks))
	byToken := map[tokens.Type]kind{}
	for i, k := range ks {
		resources[i] = k.resource
		byToken[k.token] = k
	}
	prov, err := infer.NewProviderBuilder().
		WithDisplayName("LiteLLM").
		WithDescription("Manage a LiteLLM proxy (models, credentials, ...) as code, with reads that wait for the proxy's eventual consistency.").
		WithKeywords("litellm", "llm", "ai", "gateway", "category/utility", "kind/native").
		WithHomepage("https://github.com/pulumi-litellm/pulumi-litellm").
		WithRepository("https://github.com/pulumi-litellm/pulumi-litellm").
		WithPublisher("pulumi-litellm").
		WithLicense("Apache-2.0").
		WithNamespace("pulumi-litellm").
		WithPluginDownloadURL("github://api.github.com/pulumi-litellm/pulumi-litellm").
		WithConfig(infer.Config(&Config{})).
		WithResources(resources...).
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"provider": "index"}).
		WithLanguageMap(map[string]any{
			"nodejs": map[string]any{
				"packageName":          "@pulumi-litellm/litellm",
				"packageDescription":   "Pulumi provider for the LiteLLM proxy: models, credentials and more as code.",
				"respectSchemaVersion": true,
				"typescriptVersion":    "^5",
			},
			"python": map[string]any{
				"packageName":          "pulumi_litellm",
				"respectSchemaVersion": true,
				"pyproject":            map[string]any{"enabled": true},
			},
			"go": map[string]any{
				"importBasePath":                 "github.com/pulumi-litellm/pulumi-litellm/sdk/go/litellm",
				"generateResourceContainerTypes": true,
				"respectSchemaVersion":           true,
			},
		}).
		Build()
	if err != nil {
		return prov, err
	}
	return withMiddleware(prov, byToken), nil
}

// withMiddleware wraps infer's resource methods with what every kind
// shares: the call's URN and the run's journal in the context
// (ownership.go), a Diff without infer's per-call schema build, secret
// marking of free-form values, and a configuration diff that never
// replaces.
func withMiddleware(prov p.Provider, byToken map[tokens.Type]kind) p.Provider {
	j := newJournal()
	inner := prov
	in := func(ctx context.Context, urn presource.URN) context.Context {
		return withCall(ctx, call{urn: urn, journal: j})
	}
	prov.DiffConfig = diffConfig
	prov.Check = func(ctx context.Context, req p.CheckRequest) (p.CheckResponse, error) {
		resp, err := inner.Check(in(ctx, req.Urn), req)
		resp.Inputs = markSecrets(byToken[req.Urn.Type()], resp.Inputs)
		return resp, err
	}
	prov.Diff = func(ctx context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		k, ok := byToken[req.Urn.Type()]
		diff := inner.Diff
		if ok {
			diff = k.diff
		}
		resp, err := diff(in(ctx, req.Urn), req)
		if err != nil {
			return resp, err
		}
		resp = unknownsAreUpdates(req.Inputs, resp)
		if replaces(resp) {
			j.replacing(req.Urn, req.ID)
		}
		return resp, nil
	}
	prov.Create = func(ctx context.Context, req p.CreateRequest) (p.CreateResponse, error) {
		resp, err := inner.Create(in(ctx, req.Urn), req)
		resp.Properties = markSecrets(byToken[req.Urn.Type()], resp.Properties)
		return resp, err
	}
	prov.Read = func(ctx context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		resp, err := inner.Read(in(ctx, req.Urn), req)
		resp.Properties = markSecrets(byToken[req.Urn.Type()], resp.Properties)
		resp.Inputs = markSecrets(byToken[req.Urn.Type()], resp.Inputs)
		return resp, err
	}
	prov.Update = func(ctx context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
		resp, err := inner.Update(in(ctx, req.Urn), req)
		resp.Properties = markSecrets(byToken[req.Urn.Type()], resp.Properties)
		return resp, err
	}
	prov.Delete = func(ctx context.Context, req p.DeleteRequest) error {
		return inner.Delete(in(ctx, req.Urn), req)
	}
	return prov
}

func replaces(resp p.DiffResponse) bool {
	for _, d := range resp.DetailedDiff {
		switch d.Kind {
		case p.AddReplace, p.UpdateReplace, p.DeleteReplace:
			return true
		}
	}
	return false
}

// typedDiff calls a kind's typed Diff directly. infer's own Diff builds the
// resource's whole schema on every call (pulumi-go-provider v1.5.0,
// derivedResourceController.Diff calls GetSchema to find replaceOnChanges,
// which a custom Diff never uses), which made a no-change `pulumi up` of
// many resources slow. The decoding is infer's: property maps through the
// SDK's mapper into the `pulumi`-tagged structs; secrets are unwrapped and
// unknown values (preview) decode as zero values, as infer does, and
// unknownsAreUpdates corrects what that implies. Ignored changes and the
// engine's internal keys are handled as infer does.
func typedDiff[I, O any](diff func(context.Context, infer.DiffRequest[I, O]) (infer.DiffResponse, error)) func(context.Context, p.DiffRequest) (p.DiffResponse, error) {
	return func(ctx context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		inputs := req.Inputs
		for _, path := range req.IgnoreChanges {
			if v, ok := req.State.GetOk(path); ok {
				inputs = inputs.Set(path, v)
			}
		}
		for k := range inputs.All {
			if k == "version" || strings.HasPrefix(k, "__") {
				inputs = inputs.Delete(k)
			}
		}
		var olds O
		var news I
		if err := decodeProperties(req.State, &olds); err != nil {
			return p.DiffResponse{}, err
		}
		if err := decodeProperties(inputs, &news); err != nil {
			return p.DiffResponse{}, err
		}
		return diff(ctx, infer.DiffRequest[I, O]{ID: req.ID, State: olds, Inputs: news})
	}
}

// decodeProperties decodes a property map into a `pulumi`-tagged struct.
func decodeProperties(m property.Map, dst any) error {
	plain, _ := plainValue(property.New(m)).(map[string]any)
	return mapper.New(&mapper.Opts{IgnoreUnrecognized: true, IgnoreMissing: true}).Decode(plain, dst)
}

// plainValue turns a property value into plain Go values: secrets
// unwrapped, unknowns (and assets, archives, references) as nil.
func plainValue(v property.Value) any {
	switch {
	case v.IsString():
		return v.AsString()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsBool():
		return v.AsBool()
	case v.IsArray():
		var out []any
		for _, x := range v.AsArray().All {
			out = append(out, plainValue(x))
		}
		return out
	case v.IsMap():
		out := map[string]any{}
		for k, x := range v.AsMap().All {
			if pv := plainValue(x); pv != nil {
				out[k] = pv
			}
		}
		return out
	}
	return nil
}

// unknownsAreUpdates corrects a diff computed during preview: inputs that
// are not known yet (outputs of other resources) decode as zero values,
// which look like removed keys and would plan a replacement. A key whose new
// value is unknown is an update; it is diffed for real once known.
func unknownsAreUpdates(inputs property.Map, resp p.DiffResponse) p.DiffResponse {
	replace := false
	for path, d := range resp.DetailedDiff {
		if (d.Kind == p.Delete || d.Kind == p.DeleteReplace) && unknown(inputs, path) {
			d.Kind = p.Update
			resp.DetailedDiff[path] = d
		}
		switch d.Kind {
		case p.AddReplace, p.UpdateReplace, p.DeleteReplace:
			replace = true
		}
	}
	if !replace {
		resp.DeleteBeforeReplace = false
	}
	return resp
}

// markSecrets keeps the values of a kind's free-form maps secret when their
// key looks secret (litellm.SecretLooking), whoever wrote them: the
// program, an import or a refresh.
func markSecrets(k kind, m property.Map) property.Map {
	for _, path := range k.freeForm {
		m = markSecretsAt(m, strings.Split(path, "."))
	}
	return m
}

func markSecretsAt(m property.Map, path []string) property.Map {
	v, ok := m.GetOk(path[0])
	if !ok || !v.IsMap() {
		return m
	}
	inner := v.AsMap()
	if len(path) > 1 {
		inner = markSecretsAt(inner, path[1:])
	} else {
		for key, x := range inner.All {
			if litellm.SecretLooking(key) && !x.Secret() && !x.IsNull() {
				inner = inner.Set(key, x.WithSecret(true))
			}
		}
	}
	return m.Set(path[0], property.New(inner).WithSecret(v.Secret()))
}

// Run serves the provider over gRPC to the Pulumi engine.
func Run(ctx context.Context) error {
	prov, err := New()
	if err != nil {
		return err
	}
	return prov.Run(ctx, Name, Version)
}
