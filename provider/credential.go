package provider

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Credential is a named set of upstream credentials (`/credentials`) that
// models reference by name, token litellm:index:Credential.
type Credential struct{}

// CredentialArgs are the inputs of a Credential.
type CredentialArgs struct {
	CredentialName   string            `pulumi:"credentialName" litellm:"credential_name"`
	CredentialValues map[string]string `pulumi:"credentialValues,optional" provider:"secret" litellm:"credential_values,omitzero"`
	CredentialInfo   map[string]any    `pulumi:"credentialInfo,optional" litellm:"credential_info,omitzero"`
	ModelID          *string           `pulumi:"modelId,optional" litellm:"model_id,omitzero"`
	AdoptExisting    *bool             `pulumi:"adoptExisting,optional" litellm:"-"`
}

// CredentialState is the recorded state of a Credential.
type CredentialState struct {
	CredentialArgs
	Writes
}

var (
	_ infer.CustomResource[CredentialArgs, CredentialState] = (*Credential)(nil)
	_ infer.CustomCheck[CredentialArgs]                     = (*Credential)(nil)
	_ infer.CustomDiff[CredentialArgs, CredentialState]     = (*Credential)(nil)
	_ infer.CustomRead[CredentialArgs, CredentialState]     = (*Credential)(nil)
	_ infer.CustomUpdate[CredentialArgs, CredentialState]   = (*Credential)(nil)
	_ infer.CustomDelete[CredentialState]                   = (*Credential)(nil)
	_ infer.Annotated                                       = (*Credential)(nil)
)

func credentialKind() kind {
	return kind{
		token:    "litellm:index:Credential",
		resource: infer.Resource(&Credential{}),
		check:    typedCheck(Credential{}.Check),
		diff:     typedDiff(Credential{}.Diff),
		read:     typedRead(Credential{}.Read),
		freeForm: []string{"credentialInfo"},
		state:    reflect.TypeFor[CredentialState](),
	}
}

// Annotate documents the resource.
func (c *Credential) Annotate(a infer.Annotator) {
	a.SetToken("index", "Credential")
	if !documenting() {
		return
	}
	a.Describe(c, "A named credential on a LiteLLM proxy (`POST /credentials`), referenced by models through "+
		"`litellmParams.litellmCredentialName`. The values are encrypted by the proxy and only ever returned masked, "+
		"so they are write-only: changes made outside Pulumi are not detected. Every credential carries an ownership "+
		"mark (`credential_info.pulumi`): one made by someone else is never overwritten without `adoptExisting`.\n\n"+
		"Import with `pulumi import litellm:index:Credential <name> <credential name>`; the values are not imported — "+
		"add `credentialValues` to the program, and the next `pulumi up` writes them.")
}

// Annotate documents the inputs.
func (c *CredentialArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&c.CredentialName, "Unique name of the credential; also the resource ID. Changing it replaces the credential.")
	a.Describe(&c.CredentialValues, "Secret values, e.g. `{api_key: ..., api_base: ...}`. Required unless `modelId` is set. "+
		"Removing a key replaces the credential (LiteLLM merges values on update).")
	a.Describe(&c.CredentialInfo, "Non-secret metadata, e.g. `{custom_llm_provider: \"openai\"}`. Values under keys that "+
		"look secret are kept as Pulumi secrets. Removing a key replaces the credential. The key `pulumi` is the "+
		"provider's ownership mark and is rejected here.")
	a.Describe(&c.ModelID, "Copy the credentials of this existing model deployment instead of giving `credentialValues`. "+
		"Used only on create.")
	a.Describe(&c.AdoptExisting, "If a credential with this name already exists and was not created by this resource, "+
		"take it over (and overwrite its values) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (c *CredentialState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &c.Writes)
}

// ---- the kind's rules ----

// credentialInfoServerFilled: keys of credential_info the provider or the
// proxy sets by itself.
func credentialInfoServerFilled(k string) bool { return k == markKey }

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's credential object (jsonmap.go).
func (c CredentialArgs) MarshalJSON() ([]byte, error) { return marshalWire(c, nil) }

func (c *CredentialArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, c, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Credential) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[CredentialArgs], error) {
	in, failures := decodeInputs[CredentialArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[CredentialArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("credentialName", in.CredentialName)
	if len(in.CredentialValues) == 0 && deref(in.ModelID) == "" && req.OldInputs.Len() == 0 {
		v.fail("credentialValues", "set credentialValues (the secret values) or modelId (copy them from a model)")
	}
	for k := range in.CredentialValues {
		if strings.TrimSpace(k) == "" {
			v.fail("credentialValues", "keys must not be empty")
		}
	}
	if _, ok := in.CredentialInfo[markKey]; ok {
		v.fail("credentialInfo", "key %q is reserved for the provider's ownership mark", markKey)
	}
	return infer.CheckResponse[CredentialArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: LiteLLM merges values and info on update, so a removed key forces a
// replacement; the name is the ID.
func (Credential) Diff(_ context.Context, req infer.DiffRequest[CredentialArgs, CredentialState]) (infer.DiffResponse, error) {
	olds, news := req.State.CredentialArgs, req.Inputs
	d := newDiffer()
	if olds.CredentialName != news.CredentialName {
		d.add("credentialName", p.UpdateReplace)
	}
	// Values left out by an import are absent: adding them is an update.
	d.merged("credentialValues", nil, objectOf(olds.CredentialValues), objectOf(news.CredentialValues), nil)
	d.merged("credentialInfo", nil, objectOf(olds.CredentialInfo), objectOf(news.CredentialInfo), nil)
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	d.local("modelId", deref(olds.ModelID) != deref(news.ModelID)) // create-only: recorded, nothing to send
	// Same name: the old credential must go before the new one is made.
	return d.response(olds.CredentialName == news.CredentialName), nil
}

// Create stores the credential under its name.
func (Credential) Create(ctx context.Context, req infer.CreateRequest[CredentialArgs]) (infer.CreateResponse[CredentialState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[CredentialState]{ID: in.CredentialName, Output: CredentialState{CredentialArgs: in}}, nil
	}
	e := getEnv(ctx)
	name := objectIDFor(e, in.CredentialName)
	out, err := runCreate(ctx, e, credentialCreateOp(e, in, false))
	return created(name, CredentialState{CredentialArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the credential's info (or imports it). Values come back
// masked and are kept as configured. Credentials are read from each
// worker's memory: see runRead for when a miss is believed.
func (Credential) Read(ctx context.Context, req infer.ReadRequest[CredentialArgs, CredentialState]) (infer.ReadResponse[CredentialArgs, CredentialState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.CredentialArgs, func(a CredentialArgs) bool { return a.CredentialName == "" })
	c, found, err := runRead(ctx, e, readOp[*litellm.Credential]{
		target:    credentialTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(c *litellm.Credential) bool { return credentialMatches(c, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[CredentialArgs, CredentialState]{}, err
	}
	in := credentialArgsFromServer(req.ID, c, prior, importing)
	if importing {
		var left []string
		for _, k := range slices.Sorted(maps.Keys(c.CredentialValues)) {
			left = append(left, "credentialValues."+k)
		}
		reportImport(ctx, e, "credential "+req.ID, left, c.CredentialInfo)
	}
	state := CredentialState{CredentialArgs: in, Writes: req.State.Writes}
	return infer.ReadResponse[CredentialArgs, CredentialState]{ID: req.ID, Inputs: in, State: state}, nil
}

// Update writes values and info (creating the credential again if it is
// gone).
func (Credential) Update(ctx context.Context, req infer.UpdateRequest[CredentialArgs, CredentialState]) (infer.UpdateResponse[CredentialState], error) {
	in := req.Inputs
	state := CredentialState{CredentialArgs: in, Writes: req.State.Writes}
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(normalized(credentialPatch(req.State.CredentialArgs, mark{})), normalized(credentialPatch(in, mark{})))) {
		return infer.UpdateResponse[CredentialState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	patch := credentialPatch(in, e.identity().mark())
	out, err := runUpdate(ctx, e, updateOp[*litellm.Credential]{
		patch:       func(ctx context.Context) error { return e.client.Credentials.Update(ctx, in.CredentialName, patch) },
		resume:      credentialCreateOp(e, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the credential; one that is already gone is fine.
func (Credential) Delete(ctx context.Context, req infer.DeleteRequest[CredentialState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[*litellm.Credential]{
		target:    credentialTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Credentials.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func credentialTarget(e env, name string) target[*litellm.Credential] {
	return target[*litellm.Credential]{
		kind:     "credential",
		objectID: name,
		what:     "credential " + name,
		get:      func(ctx context.Context) (*litellm.Credential, error) { return e.client.Credentials.Get(ctx, name) },
		markOf:   func(c *litellm.Credential) (mark, bool) { return markIn(c.CredentialInfo) },
		list: func(ctx context.Context) (map[string]*litellm.Credential, error) {
			cs, err := e.client.Credentials.List(ctx)
			out := make(map[string]*litellm.Credential, len(cs))
			for i := range cs {
				out[cs[i].CredentialName] = &cs[i]
			}
			return out, err
		},
	}
}

func credentialCreateOp(e env, in CredentialArgs, resume bool) createOp[*litellm.Credential] {
	me := e.identity().attempting()
	body := credentialBody(in, me.mark())
	return createOp[*litellm.Credential]{
		target: credentialTarget(e, in.CredentialName),
		id:     me,
		create: func(ctx context.Context) error { return e.client.Credentials.Create(ctx, body) },
		del:    func(ctx context.Context) error { return e.client.Credentials.Delete(ctx, in.CredentialName) },
		adopt: func(ctx context.Context) error {
			return e.client.Credentials.Update(ctx, in.CredentialName, credentialPatch(in, me.mark()))
		},
		matches:       func(c *litellm.Credential) bool { return credentialMatches(c, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Credential <name> %s), choose another name, "+
			"or set adoptExisting: true", in.CredentialName),
		// A credential copying a model: the worker that answers must serve
		// the model, which a worker that has not reloaded yet does not.
		retryable: litellm.IsNotFound,
	}
}

// credentialBody is the create body: every configured field and our mark.
func credentialBody(in CredentialArgs, m mark) litellm.Credential {
	obj := objectOf(in)
	info, _ := obj["credential_info"].(map[string]any)
	if info == nil {
		info = map[string]any{}
	}
	info[markKey] = m.object()
	values, _ := obj["credential_values"].(map[string]any)
	return litellm.Credential{CredentialName: in.CredentialName, CredentialValues: values, CredentialInfo: info, ModelID: deref(in.ModelID)}
}

// credentialPatch is the update body: values and info (merged into the
// stored ones), our mark, never model_id (create only).
func credentialPatch(in CredentialArgs, m mark) litellm.Credential {
	body := credentialBody(in, m)
	body.ModelID = ""
	return body
}

// credentialMatches: the server shows the configured info (values are
// masked and cannot be compared).
func credentialMatches(c *litellm.Credential, in CredentialArgs) bool {
	return shows(c.CredentialInfo, objectOf(in.CredentialInfo), nil)
}

// credentialArgsFromServer rebuilds inputs: on refresh the info keys the
// user owns, on import all info but the mark; values, modelId and
// adoptExisting are kept as configured.
func credentialArgsFromServer(name string, c *litellm.Credential, prior CredentialArgs, importing bool) CredentialArgs {
	in := CredentialArgs{CredentialName: name, CredentialValues: prior.CredentialValues, ModelID: prior.ModelID, AdoptExisting: prior.AdoptExisting}
	var info object
	if importing {
		info, _ = adoptFields(c.CredentialInfo, credentialInfoServerFilled)
	} else if prior.CredentialInfo != nil {
		info = ownedFields(c.CredentialInfo, maps.Clone(prior.CredentialInfo), nil)
	}
	if len(info) > 0 || prior.CredentialInfo != nil {
		in.CredentialInfo = info
	}
	return in
}
