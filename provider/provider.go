// Package provider is the Pulumi face of pulumi-litellm: the provider
// configuration and one file per resource. HTTP lives in internal/litellm,
// waiting in consistency.
package provider

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/middleware/cancel"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
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
	// check, diff and read are the kind's typed Check, Diff and Read,
	// called without infer's per-call schema build, defaults walk and
	// decoding (typedCheck, typedDiff, typedRead).
	check func(context.Context, p.CheckRequest) (p.CheckResponse, error)
	diff  func(context.Context, p.DiffRequest) (p.DiffResponse, error)
	read  func(context.Context, p.ReadRequest) (p.ReadResponse, error)
	// freeForm lists the property paths of free-form maps whose values are
	// kept secret when their key looks secret (api_token, webhook_secret...).
	freeForm []string
	// state is the kind's State type: its fields tagged provider:"secret"
	// are secret in every answer (a key's value is an output that no
	// input makes secret).
	state reflect.Type
}

// outputs marks a kind's secret outputs in an answer's properties.
func (k kind) outputs(m property.Map) property.Map {
	if k.state != nil {
		m = typedSecrets(k.state, property.New(m)).AsMap()
	}
	return markSecrets(k, m)
}

func kinds() []kind {
	return []kind{modelKind(), credentialKind(), teamKind(), userKind(), keyKind(), organizationKind(), organizationMemberKind(), organizationMembersKind(), teamMemberKind(), teamMembersKind(), teamBlockKind(), keyBlockKind(), budgetKind(), customerKind(), projectKind(), tagKind(), accessGroupKind(), accessGroupBudgetKind(), fallbackKind(), unifiedAccessGroupKind(), mcpToolsetKind(), agentKind(), jwtKeyMappingKind(), passThroughEndpointKind(), searchToolKind(), policyKind(), toolPolicyKind(), policyAttachmentKind(), mcpServerKind(), vectorStoreKind(), guardrailKind(), promptKind()}
}

// functions are the provider's functions (getX, listX), each beside its
// kind in <kind>_functions.go.
func functions() []infer.InferredFunction {
	return []infer.InferredFunction{
		infer.Function(&GetModel{}), infer.Function(&ListModels{}),
		infer.Function(&GetCredential{}), infer.Function(&ListCredentials{}),
		infer.Function(&GetTeam{}), infer.Function(&ListTeams{}),
		infer.Function(&GetUser{}), infer.Function(&ListUsers{}),
		infer.Function(&GetKey{}), infer.Function(&ListKeys{}),
		infer.Function(&GetOrganization{}), infer.Function(&ListOrganizations{}),
		infer.Function(&GetBudget{}), infer.Function(&ListBudgets{}),
		infer.Function(&GetProject{}), infer.Function(&ListProjects{}),
		infer.Function(&GetCustomer{}), infer.Function(&ListCustomers{}),
		infer.Function(&GetPassThroughEndpoint{}), infer.Function(&ListPassThroughEndpoints{}),
		infer.Function(&GetSearchTool{}), infer.Function(&ListSearchTools{}),
		infer.Function(&GetPolicy{}), infer.Function(&ListPolicies{}),
		infer.Function(&GetToolPolicy{}), infer.Function(&ListToolPolicies{}),
		infer.Function(&GetPolicyAttachment{}), infer.Function(&ListPolicyAttachments{}),
		infer.Function(&GetUnifiedAccessGroup{}), infer.Function(&ListUnifiedAccessGroups{}),
		infer.Function(&GetMcpToolset{}), infer.Function(&ListMcpToolsets{}),
		infer.Function(&GetAgent{}), infer.Function(&ListAgents{}),
		infer.Function(&GetJwtKeyMapping{}), infer.Function(&ListJwtKeyMappings{}),
		infer.Function(&GetTag{}), infer.Function(&ListTags{}),
		infer.Function(&GetAccessGroup{}), infer.Function(&ListAccessGroups{}),
		infer.Function(&GetFallback{}),
		infer.Function(&GetMcpServer{}), infer.Function(&ListMcpServers{}),
		infer.Function(&GetVectorStore{}), infer.Function(&ListVectorStores{}),
		infer.Function(&GetGuardrail{}), infer.Function(&ListGuardrails{}),
		infer.Function(&GetPrompt{}), infer.Function(&ListPrompts{}),
	}
}

// New builds the provider.
func New() (p.Provider, error) {
	ks := kinds()
	resources := make([]infer.InferredResource, len(ks))
	byToken := map[tokens.Type]kind{}
	for i, k := range ks {
		resources[i] = k.resource
		byToken[k.token] = k
	}
	// infer decodes the configuration into this object and configures it in
	// place, so the middleware hands the same object to every call.
	cfg := &Config{}
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
		WithConfig(infer.Config(cfg)).
		WithResources(resources...).
		WithFunctions(functions()...).
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
	// Cancellation (the engine's Cancel, and customTimeouts as deadlines) for
	// the calls the middleware answers itself (typedRead, typedDiff), as
	// infer's own cancel middleware does for the rest.
	return cancel.Wrap(withMiddleware(prov, cfg, byToken)), nil
}

// withMiddleware wraps infer's resource methods with what every kind
// shares: the call's URN, the run's journal and the configuration in the
// context (ownership.go), a Diff without infer's per-call schema build, secret
// marking of free-form values, and a configuration diff that never
// replaces.
func withMiddleware(prov p.Provider, cfg *Config, byToken map[tokens.Type]kind) p.Provider {
	j, snaps := newJournal(), newSnapshots()
	inner := prov
	// in is the context of one resource call: its URN, the run's journal,
	// listings and configuration, and every value the request marks secret,
	// which the client then keeps out of every error whatever its key.
	in := func(ctx context.Context, urn presource.URN, maps ...property.Map) context.Context {
		var secrets []string
		for _, m := range maps {
			secrets = secretStrings(property.New(m), false, secrets)
		}
		ctx = litellm.WithRedactions(ctx, secrets)
		ctx = consistency.WithOperation(ctx)
		return withCall(ctx, call{urn: urn, journal: j, config: cfg, snapshots: snaps})
	}
	prov.DiffConfig = diffConfig
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		schemaBuilds.Add(1)
		defer schemaBuilds.Add(-1)
		return inner.GetSchema(ctx, req)
	}
	prov.Check = func(ctx context.Context, req p.CheckRequest) (p.CheckResponse, error) {
		check := inner.Check
		k, typed := byToken[req.Urn.Type()]
		if typed {
			check = k.check
		}
		resp, err := check(in(ctx, req.Urn, req.Inputs, req.State), req)
		resp.Inputs = markSecrets(k, resp.Inputs)
		return resp, err
	}
	prov.Diff = func(ctx context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		diff := inner.Diff
		if k, typed := byToken[req.Urn.Type()]; typed {
			diff = k.diff
		}
		resp, err := diff(in(ctx, req.Urn, req.Inputs, req.State), req)
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
		resp, err := inner.Create(in(ctx, req.Urn, req.Properties), req)
		resp.Properties = byToken[req.Urn.Type()].outputs(resp.Properties)
		return resp, err
	}
	prov.Read = func(ctx context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		read := inner.Read
		k, typed := byToken[req.Urn.Type()]
		if typed {
			read = k.read
		}
		resp, err := read(in(ctx, req.Urn, req.Properties, req.Inputs), req)
		resp.Properties = k.outputs(resp.Properties)
		resp.Inputs = markSecrets(k, resp.Inputs)
		return resp, err
	}
	prov.Update = func(ctx context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
		resp, err := inner.Update(in(ctx, req.Urn, req.Inputs, req.State), req)
		resp.Properties = byToken[req.Urn.Type()].outputs(resp.Properties)
		return resp, err
	}
	prov.Delete = func(ctx context.Context, req p.DeleteRequest) error {
		return inner.Delete(in(ctx, req.Urn, req.Properties), req)
	}
	prov.Invoke = func(ctx context.Context, req p.InvokeRequest) (p.InvokeResponse, error) {
		return inner.Invoke(in(ctx, "", req.Args), req)
	}
	return prov
}

// schemaBuilds counts the GetSchema calls in progress. infer runs every
// Annotate method whenever it needs a type's annotations, not only for the
// schema: Check's defaults walk (DefaultCheck) does it on every call, and each
// Describe costs a reflect.VisibleFields walk, which made Check of a model
// cost a quarter of a millisecond. The resources' annotations hold no
// defaults, only descriptions and tokens, so each Annotate method sets its
// token and then returns at once unless a schema is being built.
var schemaBuilds atomic.Int32

// documenting reports whether Annotate methods must describe their fields.
func documenting() bool { return schemaBuilds.Load() > 0 }

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

// typedCheck calls a kind's typed Check directly and answers with the
// program's inputs, marked secret where the kind's types say so (as infer's
// applySecrets does) and where a free-form key looks secret (markSecrets).
// The kinds' Checks validate and never change inputs (they have no
// defaults), so infer's re-encoding of the inputs changed nothing but cost a
// quarter of the provider's time in a no-change `pulumi up`, and the engine
// calls Check once per resource, one after the other.
func typedCheck[I any](check func(context.Context, infer.CheckRequest) (infer.CheckResponse[I], error)) func(context.Context, p.CheckRequest) (p.CheckResponse, error) {
	return func(ctx context.Context, req p.CheckRequest) (p.CheckResponse, error) {
		resp, err := check(ctx, infer.CheckRequest{Name: req.Urn.Name(), OldInputs: req.State, NewInputs: req.Inputs})
		if err != nil {
			return p.CheckResponse{}, err
		}
		inputs := typedSecrets(reflect.TypeFor[I](), property.New(req.Inputs))
		return p.CheckResponse{Inputs: inputs.AsMap(), Failures: resp.Failures}, nil
	}
}

// typedRead calls a kind's typed Read directly, decoding and encoding as
// infer's Read does (pulumi-go-provider v1.5.0 derivedResourceController.Read:
// the old inputs and state decoded, missing fields tolerated; the answer
// encoded with the secrets of the request kept at the same paths) but with
// cached field lookups: infer's own decoding and encoding were two thirds of
// a refresh's cost in the provider. The configuration infer's Read needs
// (infer.GetConfig) is in ctx as for any infer call: the middleware passes
// infer's context through.
func typedRead[I, O any](read func(context.Context, infer.ReadRequest[I, O]) (infer.ReadResponse[I, O], error)) func(context.Context, p.ReadRequest) (p.ReadResponse, error) {
	return func(ctx context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		var inputs I
		var state O
		if err := decodeProperties(req.Inputs, &inputs); err != nil {
			return p.ReadResponse{}, err
		}
		if err := decodeProperties(req.Properties, &state); err != nil {
			return p.ReadResponse{}, err
		}
		resp, err := read(ctx, infer.ReadRequest[I, O]{ID: req.ID, Inputs: inputs, State: state})
		var partial *p.InitializationFailed
		if initFailed := (infer.ResourceInitFailedError{}); errors.As(err, &initFailed) {
			partial = &p.InitializationFailed{Reasons: initFailed.Reasons}
		} else if err != nil {
			return p.ReadResponse{}, err
		}
		return p.ReadResponse{
			ID:           resp.ID,
			Properties:   keepSecrets(req.Properties, encodeProperties(resp.State)),
			Inputs:       keepSecrets(req.Inputs, encodeProperties(resp.Inputs)),
			PartialState: partial,
		}, err
	}
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

// Run serves the provider over gRPC to the Pulumi engine, until the engine
// is done with it or the CLI that started it is gone.
func Run(ctx context.Context) error {
	prov, err := New()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go stopWithParent(ctx, cancel, os.Getppid, time.Second, 10*time.Second)
	return prov.Run(ctx, Name, Version)
}

// stopWithParent stops the provider when the process that started it (the
// Pulumi CLI) is gone: a CLI killed with SIGKILL never tells its plugins, and
// the SDK's own health check of the engine runs only every five minutes. The
// provider is re-parented when its parent dies; then serving stops
// (in-flight calls are cancelled with their connection), and the process
// exits after a grace period in any case.
func stopWithParent(ctx context.Context, stop context.CancelFunc, getppid func() int, every, grace time.Duration) {
	parent := getppid()
	if parent <= 1 {
		return // already orphaned, or started by init: nothing to watch
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if getppid() != parent {
				stop()
				time.AfterFunc(grace, func() { os.Exit(1) })
				return
			}
		}
	}
}
