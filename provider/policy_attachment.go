package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// PolicyAttachment says where a policy applies (`POST
// /policies/attachments`), token litellm:index:PolicyAttachment.
type PolicyAttachment struct{}

// PolicyAttachmentArgs are the inputs of a PolicyAttachment.
type PolicyAttachmentArgs struct {
	PolicyName string   `pulumi:"policyName" litellm:"policy_name,omitzero"`
	Scope      *string  `pulumi:"scope,optional" litellm:"scope,omitzero"`
	Teams      []string `pulumi:"teams,optional" litellm:"teams,omitzero"`
	Keys       []string `pulumi:"keys,optional" litellm:"keys,omitzero"`
	Models     []string `pulumi:"models,optional" litellm:"models,omitzero"`
	Tags       []string `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Priority   *int     `pulumi:"priority,optional" litellm:"priority,omitzero"`
	Default    *bool    `pulumi:"default,optional" litellm:"default,omitzero"`
}

// PolicyAttachmentState is the recorded state of a PolicyAttachment.
type PolicyAttachmentState struct {
	PolicyAttachmentArgs
	Writes
	AttachmentID string `pulumi:"attachmentId"`
}

var (
	_ infer.CustomResource[PolicyAttachmentArgs, PolicyAttachmentState] = (*PolicyAttachment)(nil)
	_ infer.CustomCheck[PolicyAttachmentArgs]                           = (*PolicyAttachment)(nil)
	_ infer.CustomDiff[PolicyAttachmentArgs, PolicyAttachmentState]     = (*PolicyAttachment)(nil)
	_ infer.CustomRead[PolicyAttachmentArgs, PolicyAttachmentState]     = (*PolicyAttachment)(nil)
	_ infer.CustomUpdate[PolicyAttachmentArgs, PolicyAttachmentState]   = (*PolicyAttachment)(nil)
	_ infer.CustomDelete[PolicyAttachmentState]                         = (*PolicyAttachment)(nil)
	_ infer.Annotated                                                   = (*PolicyAttachment)(nil)
)

func policyAttachmentKind() kind {
	return kind{
		token:    "litellm:index:PolicyAttachment",
		resource: infer.Resource(&PolicyAttachment{}),
		check:    typedCheck(PolicyAttachment{}.Check),
		diff:     typedDiff(PolicyAttachment{}.Diff),
		read:     typedRead(PolicyAttachment{}.Read),
		state:    reflect.TypeFor[PolicyAttachmentState](),
	}
}

// Annotate documents the resource.
func (r *PolicyAttachment) Annotate(a infer.Annotator) {
	a.SetToken("index", "PolicyAttachment")
	if !documenting() {
		return
	}
	a.Describe(r, "Where a guardrail policy applies on a LiteLLM proxy (`POST /policies/attachments`): everywhere "+
		"(`scope: \"*\"`), or to the teams, keys, models and tags it names (a name ending in `*` is a prefix pattern). The "+
		"policy must have a production version (a litellm:index:Policy), and a concrete team alias, key alias or model "+
		"must exist. The proxy chooses the attachment's ID (`attachmentId`).\n\n"+
		"LiteLLM has no update for attachments: every change replaces the attachment (the new one is created before the "+
		"old one is deleted, so the policy never stops applying). An attachment has no metadata, so it carries no "+
		"ownership mark: an existing attachment is taken as this resource's (an earlier create whose answer was lost, or "+
		"that Pulumi never recorded) only when it shows exactly this program's settings; LiteLLM allows identical "+
		"attachments, so nothing else is a conflict.\n\n"+
		"Import with `pulumi import litellm:index:PolicyAttachment <name> <attachment id>`.")
}

// Annotate documents the inputs.
func (r *PolicyAttachmentArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.PolicyName, "The policy to attach (a Policy's `policyName`).")
	a.Describe(&r.Scope, "`*` to apply the policy to every request.")
	a.Describe(&r.Teams, "Team aliases (or prefix patterns ending in `*`) the policy applies to.")
	a.Describe(&r.Keys, "Key aliases (or patterns) the policy applies to.")
	a.Describe(&r.Models, "Model names (or patterns) the policy applies to.")
	a.Describe(&r.Tags, "Request tags (or patterns, e.g. `health-*`) the policy applies to.")
	a.Describe(&r.Priority, "Execution order: lower runs first; attachments with a priority run before those without.")
	a.Describe(&r.Default, "Apply the policy only when no other (non-default) attachment matches the request.")
}

// Annotate documents the outputs.
func (r *PolicyAttachmentState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &r.Writes)
	a.Describe(&r.AttachmentID, "The ID the proxy chose for the attachment.")
}

// ---- the kind's rules ----

var policyAttachmentArgsType = reflect.TypeFor[PolicyAttachmentArgs]()

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's attachment (jsonmap.go).
func (r PolicyAttachmentArgs) MarshalJSON() ([]byte, error) { return marshalWire(r, nil) }

func (r *PolicyAttachmentArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (PolicyAttachment) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[PolicyAttachmentArgs], error) {
	in, failures := decodeInputs[PolicyAttachmentArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[PolicyAttachmentArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.id("policyName", in.PolicyName)
	if in.Scope != nil && *in.Scope != "*" {
		v.fail("scope", "must be \"*\" (every request); name teams, keys, models or tags instead, got %q", *in.Scope)
	}
	for prop, names := range map[string][]string{"teams": in.Teams, "keys": in.Keys, "models": in.Models, "tags": in.Tags} {
		for i, n := range names {
			if strings.TrimSpace(n) == "" {
				v.fail(fmt.Sprintf("%s[%d]", prop, i), "must not be empty")
			}
		}
	}
	if in.Scope == nil && len(in.Teams)+len(in.Keys)+len(in.Models)+len(in.Tags) == 0 &&
		!unknown(req.NewInputs, "teams") && !unknown(req.NewInputs, "keys") && !unknown(req.NewInputs, "models") && !unknown(req.NewInputs, "tags") {
		v.fail("scope", "set scope: \"*\" or name teams, keys, models or tags (an attachment without them applies nowhere)")
	}
	return infer.CheckResponse[PolicyAttachmentArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: LiteLLM cannot update an attachment, so every change replaces it
// (the new one first).
func (PolicyAttachment) Diff(_ context.Context, req infer.DiffRequest[PolicyAttachmentArgs, PolicyAttachmentState]) (infer.DiffResponse, error) {
	d := newDiffer()
	olds, news := objectOf(req.State.PolicyAttachmentArgs), objectOf(req.Inputs)
	for _, k := range changedKeys(olds, news) {
		d.add(propPath(policyAttachmentArgsType, k), p.UpdateReplace)
	}
	for _, k := range removedKeys(olds, news) {
		d.add(propPath(policyAttachmentArgsType, k), p.DeleteReplace)
	}
	return d.response(false), nil
}

// Create sends the create; the proxy chooses the ID (runCreateGenerated).
func (PolicyAttachment) Create(ctx context.Context, req infer.CreateRequest[PolicyAttachmentArgs]) (infer.CreateResponse[PolicyAttachmentState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[PolicyAttachmentState]{Output: PolicyAttachmentState{PolicyAttachmentArgs: in}}, nil
	}
	e := getEnv(ctx)
	id, out, err := runCreateGenerated(ctx, e, policyAttachmentCreateOp(e, in))
	return created(id, policyAttachmentState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the attachment (or imports it). Attachment reads come
// from the database.
func (PolicyAttachment) Read(ctx context.Context, req infer.ReadRequest[PolicyAttachmentArgs, PolicyAttachmentState]) (infer.ReadResponse[PolicyAttachmentArgs, PolicyAttachmentState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.PolicyAttachmentArgs, func(a PolicyAttachmentArgs) bool { return a.PolicyName == "" })
	id := generatedObjectID(req.ID, req.State.AttachmentID)
	a, found, err := runRead(ctx, e, readOp[litellm.PolicyAttachment]{
		target: policyAttachmentTarget(e, id),
		id:     e.identity(),
		matches: func(a litellm.PolicyAttachment) bool {
			return shows(policyAttachmentFromServer(a), objectOf(prior), nil)
		},
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[PolicyAttachmentArgs, PolicyAttachmentState]{}, err
	}
	server := policyAttachmentFromServer(a)
	obj := server
	if !importing {
		obj = ownedFields(server, objectOf(prior), nil)
	}
	var in PolicyAttachmentArgs
	if err := decodeObject(obj, &in); err != nil {
		return infer.ReadResponse[PolicyAttachmentArgs, PolicyAttachmentState]{}, fmt.Errorf("policy attachment %s: unexpected answer: %w", id, err)
	}
	return infer.ReadResponse[PolicyAttachmentArgs, PolicyAttachmentState]{ID: id, Inputs: in,
		State: policyAttachmentState(id, in, req.State.Writes)}, nil
}

// Update has nothing to write: every change of an input replaces the
// attachment (Diff).
func (PolicyAttachment) Update(_ context.Context, req infer.UpdateRequest[PolicyAttachmentArgs, PolicyAttachmentState]) (infer.UpdateResponse[PolicyAttachmentState], error) {
	return infer.UpdateResponse[PolicyAttachmentState]{Output: policyAttachmentState(generatedObjectID(req.ID, req.State.AttachmentID),
		req.Inputs, req.State.Writes)}, nil
}

// Delete removes the attachment; one that is already gone is fine.
func (PolicyAttachment) Delete(ctx context.Context, req infer.DeleteRequest[PolicyAttachmentState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := generatedObjectID(req.ID, req.State.AttachmentID)
	err := runDelete(ctx, e, deleteOp[litellm.PolicyAttachment]{
		target:    policyAttachmentTarget(e, id),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.PolicyAttachments.Delete(ctx, id) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func policyAttachmentTarget(e env, id string) target[litellm.PolicyAttachment] {
	return target[litellm.PolicyAttachment]{
		kind:     "policyAttachment",
		objectID: id,
		what:     "policy attachment " + id,
		get: func(ctx context.Context) (litellm.PolicyAttachment, error) {
			return e.client.PolicyAttachments.Get(ctx, id)
		},
		markOf: func(litellm.PolicyAttachment) (mark, bool) { return mark{}, false },
	}
}

// policyAttachmentCreateOp: an attachment has no mark and no unique name;
// one of the policy's attachments is this resource's when it shows
// exactly what this create sends. A concrete model the answering worker
// does not serve yet is "not yet" within the settle time (the proxy
// checks models against that worker's router).
func policyAttachmentCreateOp(e env, in PolicyAttachmentArgs) generatedOp[litellm.PolicyAttachment] {
	body := litellm.PolicyAttachment(objectOf(in))
	want := objectOf(in)
	start := e.now()
	of := func(a litellm.PolicyAttachment) bool {
		return a["policy_name"] == in.PolicyName && a["definition_location"] != "config"
	}
	return generatedOp[litellm.PolicyAttachment]{
		kind: "policyAttachment",
		what: fmt.Sprintf("attachment of policy %q", in.PolicyName),
		create: func(ctx context.Context) (string, error) {
			id, err := e.client.PolicyAttachments.Create(ctx, body)
			if err != nil && len(in.Models) > 0 && strings.Contains(strings.ToLower(err.Error()), "model '") &&
				litellm.KindOf(err) == litellm.KindInvalid && !e.settled(start) {
				return "", notYet("a model of the attachment is not served yet by the proxy worker that answered")
			}
			return id, err
		},
		find: func(ctx context.Context) ([]litellm.PolicyAttachment, error) {
			rows, err := e.client.PolicyAttachments.List(ctx)
			return keepRows(rows, of), err
		},
		idOf:              func(a litellm.PolicyAttachment) string { return fmt.Sprint(a["attachment_id"]) },
		ours:              func(a litellm.PolicyAttachment) bool { return of(a) && exactly(policyAttachmentFromServer(a), want) },
		taken:             func(litellm.PolicyAttachment) bool { return false },
		findAuthoritative: true,
	}
}

func policyAttachmentState(id string, in PolicyAttachmentArgs, w Writes) PolicyAttachmentState {
	return PolicyAttachmentState{PolicyAttachmentArgs: in, Writes: w, AttachmentID: id}
}

// policyAttachmentFromServer is the attachment as the inputs see it: its
// readable fields, without the empty lists, a null priority and a false
// default the proxy fills in.
func policyAttachmentFromServer(a litellm.PolicyAttachment) object {
	obj := object{}
	for k, v := range a {
		if _, ok := fieldsOf(policyAttachmentArgsType).byKey[k]; ok && v != nil {
			obj[k] = v
		}
	}
	if obj["default"] == false {
		delete(obj, "default")
	}
	return withoutEmptyDefaults(obj)
}
