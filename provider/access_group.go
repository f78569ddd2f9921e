package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// AccessGroup is a legacy LiteLLM model access group (`/access_group/new`),
// token litellm:index:AccessGroup.
type AccessGroup struct{}

// AccessGroupArgs are the inputs of an AccessGroup.
type AccessGroupArgs struct {
	AccessGroup   string   `pulumi:"accessGroup" litellm:"-"`
	ModelNames    []string `pulumi:"modelNames,optional" litellm:"model_names,omitzero"`
	ModelIDs      []string `pulumi:"modelIds,optional" litellm:"model_ids,omitzero"`
	AdoptExisting *bool    `pulumi:"adoptExisting,optional" litellm:"-"`
}

// AccessGroupState is the recorded state of an AccessGroup.
type AccessGroupState struct {
	AccessGroupArgs
	Writes
	// DeploymentCount is read back, never written: how many deployments
	// carry the group.
	DeploymentCount *int `pulumi:"deploymentCount,optional"`
}

var (
	_ infer.CustomResource[AccessGroupArgs, AccessGroupState] = (*AccessGroup)(nil)
	_ infer.CustomCheck[AccessGroupArgs]                      = (*AccessGroup)(nil)
	_ infer.CustomDiff[AccessGroupArgs, AccessGroupState]     = (*AccessGroup)(nil)
	_ infer.CustomRead[AccessGroupArgs, AccessGroupState]     = (*AccessGroup)(nil)
	_ infer.CustomUpdate[AccessGroupArgs, AccessGroupState]   = (*AccessGroup)(nil)
	_ infer.CustomDelete[AccessGroupState]                    = (*AccessGroup)(nil)
	_ infer.Annotated                                         = (*AccessGroup)(nil)
)

func accessGroupKind() kind {
	return kind{
		token:    "litellm:index:AccessGroup",
		resource: infer.Resource(&AccessGroup{}),
		check:    typedCheck(AccessGroup{}.Check),
		diff:     typedDiff(AccessGroup{}.Diff),
		read:     typedRead(AccessGroup{}.Read),
		state:    reflect.TypeFor[AccessGroupState](),
	}
}

// Annotate documents the resource.
func (g *AccessGroup) Annotate(a infer.Annotator) {
	a.SetToken("index", "AccessGroup")
	if !documenting() {
		return
	}
	a.Describe(g, "A legacy model access group on a LiteLLM proxy (`POST /access_group/new`): a name that teams and "+
		"keys list in their `models` to reach every deployment of the group. The group is not an object of its own: "+
		"LiteLLM writes its name into `model_info.access_groups` of the deployments it selects (by model name: every "+
		"deployment of that name; or by model ID), and the group exists as long as one deployment carries it. The "+
		"name is the ID. For LiteLLM's newer access groups (models, MCP servers, agents) see UnifiedAccessGroup.\n\n"+
		"A Model resource that does not set `modelInfo.accessGroups` never sees the group as drift. One that sets it "+
		"owns the whole list: list this group there too, or the Model's next update removes the deployment from the "+
		"group (and this resource's next update adds it back).\n\n"+
		"There is no ownership mark: a group that exists before the create is someone else's and is never taken over "+
		"without `adoptExisting`.\n\n"+
		"Import with `pulumi import litellm:index:AccessGroup <name> <group name>` (the group comes in as its model "+
		"names).")
}

// Annotate documents the inputs.
func (g *AccessGroupArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&g.AccessGroup, "The group's name, which teams and keys list in `models`. Changing it replaces the group.")
	a.Describe(&g.ModelNames, "Model names whose deployments (all of them) belong to the group. Set this or `modelIds`.")
	a.Describe(&g.ModelIDs, "Model IDs (`modelInfo.id`) of the deployments that belong to the group, for one deployment "+
		"of a name shared by several. Set this or `modelNames`.")
	a.Describe(&g.AdoptExisting, "If the group already exists and was not created by this resource, take it over (its "+
		"membership becomes the one set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (g *AccessGroupState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &g.Writes)
	a.Describe(&g.DeploymentCount, "How many deployments carry the group, as the proxy reported it at the last "+
		"refresh or import.")
}

// ---- the kind's rules ----

var accessGroupArgsType = reflect.TypeFor[AccessGroupArgs]()

// accessGroupClearable: the update replaces the membership with what is
// sent, so a list that is removed is simply not sent.
func accessGroupClearable(string) bool { return true }

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's request (jsonmap.go).
func (g AccessGroupArgs) MarshalJSON() ([]byte, error) { return marshalWire(g, nil) }

func (g *AccessGroupArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, g, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (AccessGroup) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[AccessGroupArgs], error) {
	in, failures := decodeInputs[AccessGroupArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[AccessGroupArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.id("accessGroup", in.AccessGroup)
	switch {
	case len(in.ModelNames) > 0 && len(in.ModelIDs) > 0:
		v.fail("modelIds", "cannot be set together with modelNames (LiteLLM would ignore modelNames): set one of them")
	case len(in.ModelNames) == 0 && len(in.ModelIDs) == 0 && !unknown(req.NewInputs, "modelNames") && !unknown(req.NewInputs, "modelIds"):
		v.fail("modelNames", "set modelNames or modelIds: LiteLLM refuses an empty access group")
	}
	for prop, list := range map[string][]string{"modelNames": in.ModelNames, "modelIds": in.ModelIDs} {
		for i, s := range list {
			if strings.TrimSpace(s) == "" {
				v.fail(fmt.Sprintf("%s[%d]", prop, i), "must not be empty")
			}
		}
	}
	return infer.CheckResponse[AccessGroupArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: membership changes are in place; a new name replaces the group.
func (AccessGroup) Diff(_ context.Context, req infer.DiffRequest[AccessGroupArgs, AccessGroupState]) (infer.DiffResponse, error) {
	olds, news := req.State.AccessGroupArgs, req.Inputs
	d := newDiffer()
	d.merged("", accessGroupArgsType, objectOf(olds), objectOf(news), accessGroupClearable)
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	if news.AccessGroup != req.ID {
		d.add("accessGroup", p.UpdateReplace)
	}
	return d.response(true), nil
}

// Create makes the group (tags the selected deployments).
func (AccessGroup) Create(ctx context.Context, req infer.CreateRequest[AccessGroupArgs]) (infer.CreateResponse[AccessGroupState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[AccessGroupState]{ID: in.AccessGroup, Output: AccessGroupState{AccessGroupArgs: in}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, in.AccessGroup)
	out, err := runCreate(ctx, e, accessGroupCreateOp(e, id, in, false))
	return created(id, AccessGroupState{AccessGroupArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the group (or imports it, as its model names).
func (AccessGroup) Read(ctx context.Context, req infer.ReadRequest[AccessGroupArgs, AccessGroupState]) (infer.ReadResponse[AccessGroupArgs, AccessGroupState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.AccessGroupArgs, func(a AccessGroupArgs) bool {
		return len(objectOf(a)) == 0 && a.AccessGroup == ""
	})
	g, found, err := runRead(ctx, e, readOp[litellm.ModelAccessGroup]{
		target:    accessGroupTarget(e, req.ID, prior.ModelIDs),
		id:        e.identity(),
		matches:   func(g litellm.ModelAccessGroup) bool { return accessGroupMatches(g, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[AccessGroupArgs, AccessGroupState]{}, err
	}
	in, err := accessGroupArgsFromServer(g, prior, importing)
	if err != nil {
		return infer.ReadResponse[AccessGroupArgs, AccessGroupState]{}, fmt.Errorf("access group %s: unexpected answer: %w", req.ID, err)
	}
	in.AccessGroup = req.ID
	return infer.ReadResponse[AccessGroupArgs, AccessGroupState]{ID: req.ID, Inputs: in,
		State: accessGroupState(in, req.State.Writes, g)}, nil
}

// Update replaces the group's membership (creating the group again if no
// deployment carries it any more).
func (AccessGroup) Update(ctx context.Context, req infer.UpdateRequest[AccessGroupArgs, AccessGroupState]) (infer.UpdateResponse[AccessGroupState], error) {
	in, id := req.Inputs, req.ID
	state := AccessGroupState{AccessGroupArgs: in, Writes: req.State.Writes, DeploymentCount: req.State.DeploymentCount}
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(objectOf(req.State.AccessGroupArgs), objectOf(in))) {
		return infer.UpdateResponse[AccessGroupState]{Output: state}, nil
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.ModelAccessGroup]{
		patch: func(ctx context.Context) error {
			return e.client.ModelAccessGroups.Update(ctx, id, accessGroupBody(id, in))
		},
		resume:      accessGroupCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the group from every deployment (and drops its budget
// link); a group already gone is fine.
func (AccessGroup) Delete(ctx context.Context, req infer.DeleteRequest[AccessGroupState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.ModelAccessGroup]{
		target: accessGroupTarget(e, req.ID, nil),
		id:     e.identity(),
		del: func(ctx context.Context) error {
			err := e.client.ModelAccessGroups.Delete(ctx, req.ID)
			if litellm.IsCommitted(err) {
				e.warnf(ctx, "access group %s was deleted, but the proxy worker that answered stopped serving a model: %v", req.ID, err)
				return nil
			}
			return err
		},
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// accessGroupTarget reads the group; with ids (the resource selects by
// model ID) it also works out which deployments carry the group, by ID
// (LiteLLM's answer names only model names): the configured IDs that carry
// it, and, when the proxy counts more deployments than that, the others
// the answering worker lists. There is no mark.
func accessGroupTarget(e env, name string, ids []string) target[litellm.ModelAccessGroup] {
	return target[litellm.ModelAccessGroup]{
		kind:     "accessgroup",
		objectID: name,
		what:     "access group " + name,
		get: func(ctx context.Context) (litellm.ModelAccessGroup, error) {
			g, err := e.client.ModelAccessGroups.Get(ctx, name)
			if err != nil || len(ids) == 0 {
				return g, err
			}
			members, err := accessGroupMemberIDs(ctx, e, name, ids, g)
			if err != nil {
				return nil, err
			}
			g["model_ids"] = members
			return g, nil
		},
		markOf: func(litellm.ModelAccessGroup) (mark, bool) { return mark{}, false },
	}
}

// accessGroupMemberIDs: the IDs of the deployments that carry the group.
func accessGroupMemberIDs(ctx context.Context, e env, name string, ids []string, g litellm.ModelAccessGroup) ([]any, error) {
	carries := func(d *litellm.Deployment) bool {
		list, _ := d.ModelInfo["access_groups"].([]any)
		return slices.Contains(list, any(name))
	}
	members := []any{}
	for _, id := range ids {
		d, err := e.client.Models.Get(ctx, id)
		switch {
		case litellm.IsNotFound(err):
			continue
		case err != nil:
			return nil, err
		}
		if carries(d) {
			members = append(members, id)
		}
	}
	if count, ok := g["deployment_count"].(float64); ok && int(count) > len(members) {
		all, err := e.client.Models.List(ctx)
		if err != nil {
			return nil, err
		}
		for i := range all {
			id, _ := all[i].ModelInfo["id"].(string)
			if id != "" && carries(&all[i]) && !slices.Contains(members, any(id)) {
				members = append(members, id)
			}
		}
	}
	return members, nil
}

func accessGroupCreateOp(e env, name string, in AccessGroupArgs, resume bool) createOp[litellm.ModelAccessGroup] {
	me := e.identity().attempting()
	own := &unmarked{me: me, unsure: resume}
	body := accessGroupBody(name, in)
	t := accessGroupTarget(e, name, in.ModelIDs)
	t.markOf = func(g litellm.ModelAccessGroup) (mark, bool) { return own.markOf(accessGroupMatches(g, in)) }
	return createOp[litellm.ModelAccessGroup]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error { return own.sent(e.client.ModelAccessGroups.Create(ctx, body)) },
		del: func(ctx context.Context) error {
			err := e.client.ModelAccessGroups.Delete(ctx, name)
			if litellm.IsCommitted(err) {
				return nil
			}
			return err
		},
		adopt: func(ctx context.Context) error {
			return e.client.ModelAccessGroups.Update(ctx, name, body)
		},
		matches:       func(g litellm.ModelAccessGroup) bool { return accessGroupMatches(g, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:AccessGroup <name> %s), choose another name, "+
			"or set adoptExisting: true", name),
		// A model created moments ago that the answering worker's router
		// does not serve yet (older proxies have no read-through).
		retryable: func(err error) bool {
			return litellm.KindOf(err) == litellm.KindInvalid && strings.Contains(strings.ToLower(err.Error()), "not found")
		},
	}
}

func accessGroupState(in AccessGroupArgs, w Writes, g litellm.ModelAccessGroup) AccessGroupState {
	s := AccessGroupState{AccessGroupArgs: in, Writes: w}
	if n, ok := g["deployment_count"].(float64); ok {
		c := int(n)
		s.DeploymentCount = &c
	}
	return s
}

// accessGroupBody is the create (and update) body: the name and the
// selection, by IDs or by names.
func accessGroupBody(name string, in AccessGroupArgs) litellm.ModelAccessGroup {
	body := litellm.ModelAccessGroup(objectOf(in))
	body["access_group"] = name
	return body
}

// accessGroupFromServer is the group as the inputs see it: its model names
// (and the IDs of its deployments, when the read worked them out), each
// list in the order of prior when it holds the same names.
func accessGroupFromServer(g litellm.ModelAccessGroup, prior AccessGroupArgs) object {
	obj := object{}
	if v, ok := g["model_names"].([]any); ok {
		obj["model_names"] = inPriorOrder(v, prior.ModelNames)
	}
	if v, ok := g["model_ids"].([]any); ok {
		obj["model_ids"] = inPriorOrder(v, prior.ModelIDs)
	}
	return obj
}

// inPriorOrder returns prior (as JSON values) when server holds the same
// strings in another order or with repeats, else server.
func inPriorOrder(server []any, prior []string) []any {
	set := func(l []string) []string {
		out := slices.Clone(l)
		slices.Sort(out)
		return slices.Compact(out)
	}
	var got []string
	for _, v := range server {
		if s, ok := v.(string); ok {
			got = append(got, s)
		}
	}
	if len(prior) > 0 && slices.Equal(set(got), set(prior)) {
		out := make([]any, len(prior))
		for i, s := range prior {
			out[i] = s
		}
		return out
	}
	return server
}

// accessGroupMatches: the server shows the configured selection.
func accessGroupMatches(g litellm.ModelAccessGroup, in AccessGroupArgs) bool {
	return shows(accessGroupFromServer(g, in), objectOf(in), nil)
}

// accessGroupArgsFromServer rebuilds inputs: on refresh the selection the
// program sets (names or IDs), on import the model names.
func accessGroupArgsFromServer(g litellm.ModelAccessGroup, prior AccessGroupArgs, importing bool) (AccessGroupArgs, error) {
	server := accessGroupFromServer(g, prior)
	var obj object
	if importing {
		obj = object{"model_names": server["model_names"]}
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, objectOf(prior), nil)
	}
	var out AccessGroupArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.AdoptExisting = prior.AdoptExisting
	return out, nil
}
