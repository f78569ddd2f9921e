package provider

import (
	"context"
	"fmt"
	"reflect"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Organization is a LiteLLM organization (`/organization/new`), token
// litellm:index:Organization.
type Organization struct{}

// OrganizationArgs are the inputs of an Organization.
type OrganizationArgs struct {
	OrganizationID      *string        `pulumi:"organizationId,optional" litellm:"-"`
	OrganizationAlias   string         `pulumi:"organizationAlias" litellm:"organization_alias,omitzero"`
	Models              []string       `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget           *float64       `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64       `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration      *string        `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit            *int           `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int           `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	MaxParallelRequests *int           `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	ModelRpmLimit       map[string]int `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit       map[string]int `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	Metadata            map[string]any `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	AdoptExisting       *bool          `pulumi:"adoptExisting,optional" litellm:"-"`
}

// OrganizationState is the recorded state of an Organization.
type OrganizationState struct {
	OrganizationArgs
	// OrganizationID shadows the input: as an output it is always set.
	OrganizationID string `pulumi:"organizationId"`
	Writes
}

var (
	_ infer.CustomResource[OrganizationArgs, OrganizationState] = (*Organization)(nil)
	_ infer.CustomCheck[OrganizationArgs]                       = (*Organization)(nil)
	_ infer.CustomDiff[OrganizationArgs, OrganizationState]     = (*Organization)(nil)
	_ infer.CustomRead[OrganizationArgs, OrganizationState]     = (*Organization)(nil)
	_ infer.CustomUpdate[OrganizationArgs, OrganizationState]   = (*Organization)(nil)
	_ infer.CustomDelete[OrganizationState]                     = (*Organization)(nil)
	_ infer.Annotated                                           = (*Organization)(nil)
)

func organizationKind() kind {
	return kind{
		token:    "litellm:index:Organization",
		resource: infer.Resource(&Organization{}),
		check:    typedCheck(Organization{}.Check),
		diff:     typedDiff(Organization{}.Diff),
		read:     typedRead(Organization{}.Read),
		freeForm: []string{"metadata"},
		state:    reflect.TypeFor[OrganizationState](),
	}
}

// Annotate documents the resource.
func (o *Organization) Annotate(a infer.Annotator) {
	a.SetToken("index", "Organization")
	if !documenting() {
		return
	}
	a.Describe(o, "An organization on a LiteLLM proxy (`POST /organization/new`): a group of teams with the models "+
		"they may call and a budget and rate limits of its own. The organization ID is chosen by the provider (derived "+
		"from the stack and the resource, so that an interrupted create is found again) unless `organizationId` pins "+
		"it. Every organization carries an ownership mark (`metadata.pulumi`): one made by someone else is never taken "+
		"over without `adoptExisting`.\n\n"+
		"Deleting or replacing an organization deletes its teams, its memberships and the keys of the organization and "+
		"of its teams on the proxy (LiteLLM cascades), so changes are made in place; only a new `organizationId` "+
		"replaces it. LiteLLM's update cannot clear a budget or a limit, nor remove a metadata key: removing them here "+
		"leaves the proxy's values.\n\n"+
		"Import with `pulumi import litellm:index:Organization <name> <organization id>`.")
}

// Annotate documents the inputs.
func (o *OrganizationArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&o.OrganizationID, "The organization's ID. Leave it unset to let the provider choose one; set it when "+
		"something outside Pulumi refers to the organization by ID (JWT claims, another environment). Changing it "+
		"replaces the organization, which deletes its teams and keys on the proxy.")
	a.Describe(&o.OrganizationAlias, "Display name of the organization (required by LiteLLM).")
	a.Describe(&o.Models, "Models (names or access groups) the organization's teams may call. Empty or unset: all models.")
	a.Describe(&o.MaxBudget, "Maximum spend of the organization, in USD (its budget row). Unset: no limit (never sent as "+
		"0); removing it leaves the proxy's value.")
	a.Describe(&o.SoftBudget, "Spend, in USD, at which the proxy sends budget alerts.")
	a.Describe(&o.BudgetDuration, "How often the organization's spend is reset, e.g. `30d`, `1mo`.")
	a.Describe(&o.TpmLimit, "Tokens per minute for the whole organization.")
	a.Describe(&o.RpmLimit, "Requests per minute for the whole organization.")
	a.Describe(&o.MaxParallelRequests, "Maximum concurrent requests for the organization.")
	a.Describe(&o.ModelRpmLimit, "Requests per minute per model, e.g. `{\"gpt-4o\": 100}`. Kept by LiteLLM in the "+
		"organization's metadata (newer proxies only); models can be added or changed, not removed.")
	a.Describe(&o.ModelTpmLimit, "Tokens per minute per model. Kept by LiteLLM in the organization's metadata (newer "+
		"proxies only); models can be added or changed, not removed.")
	a.Describe(&o.Metadata, "Free-form metadata; values may be any JSON (objects stay objects). The key `pulumi` is "+
		"the provider's ownership mark and is rejected here; keys LiteLLM keeps here itself (`model_rpm_limit`, ...) "+
		"are set through their own properties. LiteLLM merges an update into the stored metadata, so a key removed "+
		"here stays on the proxy, and on update it turns string values that look like numbers (`\"42\"`) into numbers.")
	a.Describe(&o.AdoptExisting, "If an organization with this ID already exists and was not created by this "+
		"resource, take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (o *OrganizationState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &o.Writes)
}

// ---- the kind's rules ----

// organizationBudgetFields: the fields of the organization's budget row
// (litellm_budget_table), which hold its budget and limits; the row's
// top-level copies, if any, are not the real values.
var organizationBudgetFields = []string{"max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpm_limit",
	"max_parallel_requests"}

// organizationServerFilled: keys of an organization that the proxy fills in
// (never imported, never compared).
func organizationServerFilled(k string) bool {
	switch k {
	case "organization_id", "budget_id", "spend", "created_by", "updated_by", "created_at", "updated_at", "users",
		"litellm_budget_table", "object_permission", "object_permission_id", "members", "teams", "model_spend",
		"model_max_budget", "blocked", "budget_reset_at":
		return true
	}
	for _, f := range organizationBudgetFields {
		if k == f {
			return true // read from litellm_budget_table
		}
	}
	return false
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's organization object (jsonmap.go).
func (o OrganizationArgs) MarshalJSON() ([]byte, error) { return marshalWire(o, nil) }

func (o *OrganizationArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, o, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Organization) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[OrganizationArgs], error) {
	in, failures := decodeInputs[OrganizationArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[OrganizationArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.OrganizationID != nil {
		v.id("organizationId", *in.OrganizationID)
	}
	v.require("organizationAlias", in.OrganizationAlias)
	v.nonNegative("maxBudget", in.MaxBudget)
	v.nonNegative("softBudget", in.SoftBudget)
	v.nonNegativeInt("tpmLimit", in.TpmLimit)
	v.nonNegativeInt("rpmLimit", in.RpmLimit)
	v.nonNegativeInt("maxParallelRequests", in.MaxParallelRequests)
	if in.BudgetDuration != nil {
		v.duration("budgetDuration", *in.BudgetDuration)
	}
	v.modelLimits(map[string]map[string]int{"modelRpmLimit": in.ModelRpmLimit, "modelTpmLimit": in.ModelTpmLimit})
	for k := range in.Metadata {
		switch {
		case k == markKey:
			v.fail("metadata", "key %q is reserved for the provider's ownership mark", markKey)
		case metadataServerFilled(k) || isManagedMetadataField(k):
			v.fail("metadata", "key %q is kept by LiteLLM itself; set it through its own property, not metadata", k)
		}
	}
	return infer.CheckResponse[OrganizationArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place (a replacement would delete the
// organization's teams and keys), except a new pinned ID.
func (Organization) Diff(_ context.Context, req infer.DiffRequest[OrganizationArgs, OrganizationState]) (infer.DiffResponse, error) {
	olds, news := req.State.OrganizationArgs, req.Inputs
	d := newDiffer()
	d.merged("", reflect.TypeFor[OrganizationArgs](), organizationObject(olds), organizationObject(news), func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.OrganizationID)
	if pinned != "" && pinned != req.ID {
		d.add("organizationId", p.UpdateReplace)
	} else if deref(olds.OrganizationID) != pinned && !(olds.OrganizationID != nil && deref(olds.OrganizationID) == req.ID && pinned == "") {
		d.add("organizationId", p.Update) // pinning the ID it already has, or un-pinning it, changes nothing on the proxy
	}
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create stores the organization under its ID (pinned, or chosen by
// objectIDFor).
func (Organization) Create(ctx context.Context, req infer.CreateRequest[OrganizationArgs]) (infer.CreateResponse[OrganizationState], error) {
	in := req.Inputs
	pinned := deref(in.OrganizationID)
	if req.DryRun {
		return infer.CreateResponse[OrganizationState]{ID: pinned, Output: OrganizationState{OrganizationArgs: in, OrganizationID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, organizationCreateOp(e, id, in, false))
	return created(id, organizationState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the organization (or imports it). Organization reads come
// from the database; see runRead for when a miss or an older version is
// believed.
func (Organization) Read(ctx context.Context, req infer.ReadRequest[OrganizationArgs, OrganizationState]) (infer.ReadResponse[OrganizationArgs, OrganizationState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.OrganizationArgs, func(a OrganizationArgs) bool {
		return len(objectOf(a)) == 0 && a.OrganizationID == nil
	})
	if !importing && req.Inputs.OrganizationID == nil {
		prior.OrganizationID = nil // the ID in the state is the output, not a pinned input
	}
	o, found, err := runRead(ctx, e, readOp[litellm.Organization]{
		target:    organizationTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(o litellm.Organization) bool { return organizationMatches(o, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[OrganizationArgs, OrganizationState]{}, err
	}
	in, err := organizationArgsFromServer(o, prior, importing)
	if err != nil {
		return infer.ReadResponse[OrganizationArgs, OrganizationState]{}, fmt.Errorf("organization %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		reportImport(ctx, e, "organization "+req.ID, nil, asObject(o["metadata"]))
	}
	return infer.ReadResponse[OrganizationArgs, OrganizationState]{ID: req.ID, Inputs: in,
		State: organizationState(req.ID, in, req.State.Writes)}, nil
}

// Update writes the changed fields in place (creating the organization
// again under the same ID if it is gone).
func (Organization) Update(ctx context.Context, req infer.UpdateRequest[OrganizationArgs, OrganizationState]) (infer.UpdateResponse[OrganizationState], error) {
	in, id := req.Inputs, req.ID
	state := organizationState(id, in, req.State.Writes)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(organizationObject(req.State.OrganizationArgs), organizationObject(in))) {
		return infer.UpdateResponse[OrganizationState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	out, err := runUpdate(ctx, e, updateOp[litellm.Organization]{
		// /organization/update answers a missing organization with an
		// uncaught 500: read first, so that a miss is a miss.
		patch: overwrite(e.client.Organizations.Get, e.client.Organizations.Update, id, func(current litellm.Organization) litellm.Organization {
			return organizationPatch(current, req.State.OrganizationArgs, in, me.mark())
		}),
		resume:      organizationCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the organization (and, on the proxy, its teams,
// memberships and keys); one that is already gone is fine.
func (Organization) Delete(ctx context.Context, req infer.DeleteRequest[OrganizationState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Organization]{
		target:    organizationTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Organizations.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func organizationTarget(e env, id string) target[litellm.Organization] {
	return target[litellm.Organization]{
		kind:     "organization",
		objectID: id,
		what:     "organization " + id,
		get:      func(ctx context.Context) (litellm.Organization, error) { return e.client.Organizations.Get(ctx, id) },
		markOf:   func(o litellm.Organization) (mark, bool) { return markIn(asObject(o["metadata"])) },
	}
}

// organizationCreateOp: a taken organization_id answers a 500, which the
// create policy treats as ambiguous: it reads the ID before anything else,
// and the ownership mark on what it finds decides (an earlier attempt of
// ours is fine, anyone else's is a conflict), so the 500 itself is never
// believed.
func organizationCreateOp(e env, id string, in OrganizationArgs, resume bool) createOp[litellm.Organization] {
	me := e.identity().attempting()
	body := organizationBody(id, in, me.mark())
	return createOp[litellm.Organization]{
		target: organizationTarget(e, id),
		id:     me,
		create: func(ctx context.Context) error { return e.client.Organizations.Create(ctx, body) },
		del:    func(ctx context.Context) error { return e.client.Organizations.Delete(ctx, id) },
		adopt: overwrite(e.client.Organizations.Get, e.client.Organizations.Update, id, func(current litellm.Organization) litellm.Organization {
			return organizationPatch(current, OrganizationArgs{}, in, me.mark())
		}),
		matches:       func(o litellm.Organization) bool { return organizationMatches(o, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Organization <name> %s), choose another "+
			"organizationId, or set adoptExisting: true", id),
	}
}

func organizationState(id string, in OrganizationArgs, w Writes) OrganizationState {
	in.OrganizationID = &id
	return OrganizationState{OrganizationArgs: in, OrganizationID: id, Writes: w}
}

// organizationObject is the organization as configured, in LiteLLM's JSON
// (without the ID).
func organizationObject(in OrganizationArgs) object { return objectOf(in) }

// organizationBody is the create body: every configured field, the ID, and
// our mark in the metadata.
func organizationBody(id string, in OrganizationArgs, m mark) litellm.Organization {
	body := litellm.Organization(createBody(organizationObject(in), m))
	body["organization_id"] = id
	return body
}

// organizationPatch is the update body. /organization/update drops nulls
// and merges the metadata it is sent into the stored one (older proxies
// replace it), so: every configured field, a removed list as [] (models:
// all models again), other removed fields left out (nothing clears them),
// and the whole metadata as for a team (wholeMetadata: the proxy's keys
// this resource did not set, the configured ones, our mark).
func organizationPatch(current litellm.Organization, olds, news OrganizationArgs, m mark) litellm.Organization {
	oldObj, newObj := organizationObject(olds), organizationObject(news)
	body := litellm.Organization{}
	for k, v := range newObj {
		body[k] = v
	}
	for _, k := range removedKeys(oldObj, newObj) {
		if _, list := oldObj[k].([]any); list {
			body[k] = []any{}
		}
	}
	body["metadata"] = wholeMetadata(current, oldObj, newObj, m)
	return body
}

// organizationFromServer is the organization as the inputs see it: the
// budget and limits from its budget row, the metadata-kept fields lifted to
// the top level, and the metadata without the mark and the proxy's own
// keys.
func organizationFromServer(o litellm.Organization) object {
	obj := liftMetadata(o, func(k string) bool { return !organizationServerFilled(k) })
	budget := asObject(o["litellm_budget_table"])
	for _, k := range organizationBudgetFields {
		if v, ok := budget[k]; ok && v != nil {
			obj[k] = v
		}
	}
	return obj
}

// organizationMatches: the server shows every configured field.
func organizationMatches(o litellm.Organization, in OrganizationArgs) bool {
	return shows(organizationFromServer(o), organizationObject(in), nil)
}

// organizationArgsFromServer rebuilds inputs: on refresh the fields the
// user owns, on import every readable field; organizationId and
// adoptExisting are kept as configured.
func organizationArgsFromServer(o litellm.Organization, prior OrganizationArgs, importing bool) (OrganizationArgs, error) {
	server := organizationFromServer(o)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(string) bool { return false })
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, organizationObject(prior), nil)
	}
	var out OrganizationArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.OrganizationID, out.AdoptExisting = prior.OrganizationID, prior.AdoptExisting
	return out, nil
}
