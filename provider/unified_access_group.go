package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// UnifiedAccessGroup is a LiteLLM unified access group (`POST
// /v1/access_group`), token litellm:index:UnifiedAccessGroup.
type UnifiedAccessGroup struct{}

// UnifiedAccessGroupArgs are the inputs of a UnifiedAccessGroup.
type UnifiedAccessGroupArgs struct {
	AccessGroupName    string              `pulumi:"accessGroupName" litellm:"access_group_name"`
	Description        *string             `pulumi:"description,optional" litellm:"description,omitzero"`
	AccessModelNames   []string            `pulumi:"accessModelNames,optional" litellm:"access_model_names,omitzero"`
	AccessMcpServerIds []string            `pulumi:"accessMcpServerIds,optional" litellm:"access_mcp_server_ids,omitzero"`
	McpToolPermissions map[string][]string `pulumi:"mcpToolPermissions,optional" litellm:"mcp_tool_permissions,omitzero"`
	AccessAgentIds     []string            `pulumi:"accessAgentIds,optional" litellm:"access_agent_ids,omitzero"`
	AccessSkillNames   []string            `pulumi:"accessSkillNames,optional" litellm:"access_skill_names,omitzero"`
	AssignedTeamIds    []string            `pulumi:"assignedTeamIds,optional" litellm:"assigned_team_ids,omitzero"`
	AssignedKeyIds     []string            `pulumi:"assignedKeyIds,optional" litellm:"assigned_key_ids,omitzero"`
	AdoptExisting      *bool               `pulumi:"adoptExisting,optional" litellm:"-"`
}

// UnifiedAccessGroupState is the recorded state of a UnifiedAccessGroup.
type UnifiedAccessGroupState struct {
	UnifiedAccessGroupArgs
	Writes
	AccessGroupID string  `pulumi:"accessGroupId"`
	CreatedAt     *string `pulumi:"createdAt,optional"`
	UpdatedAt     *string `pulumi:"updatedAt,optional"`
}

var (
	_ infer.CustomResource[UnifiedAccessGroupArgs, UnifiedAccessGroupState] = (*UnifiedAccessGroup)(nil)
	_ infer.CustomCheck[UnifiedAccessGroupArgs]                             = (*UnifiedAccessGroup)(nil)
	_ infer.CustomDiff[UnifiedAccessGroupArgs, UnifiedAccessGroupState]     = (*UnifiedAccessGroup)(nil)
	_ infer.CustomRead[UnifiedAccessGroupArgs, UnifiedAccessGroupState]     = (*UnifiedAccessGroup)(nil)
	_ infer.CustomUpdate[UnifiedAccessGroupArgs, UnifiedAccessGroupState]   = (*UnifiedAccessGroup)(nil)
	_ infer.CustomDelete[UnifiedAccessGroupState]                           = (*UnifiedAccessGroup)(nil)
	_ infer.Annotated                                                       = (*UnifiedAccessGroup)(nil)
)

func unifiedAccessGroupKind() kind {
	return kind{
		token:    "litellm:index:UnifiedAccessGroup",
		resource: infer.Resource(&UnifiedAccessGroup{}),
		check:    typedCheck(UnifiedAccessGroup{}.Check),
		diff:     typedDiff(UnifiedAccessGroup{}.Diff),
		read:     typedRead(UnifiedAccessGroup{}.Read),
		state:    reflect.TypeFor[UnifiedAccessGroupState](),
	}
}

// Annotate documents the resource.
func (g *UnifiedAccessGroup) Annotate(a infer.Annotator) {
	a.SetToken("index", "UnifiedAccessGroup")
	if !documenting() {
		return
	}
	a.Describe(g, "A unified access group on a LiteLLM proxy (`POST /v1/access_group`): a named set of models, MCP "+
		"servers (and per-server tools), agents and skills, attached to teams and keys, which may then use them. "+
		"The proxy chooses the group's ID (`accessGroupId`); the name is unique on the proxy.\n\n"+
		"A unified access group has no metadata, so it cannot carry the ownership mark other resources carry. An "+
		"existing group with this resource's name is taken as this resource's only when it shows exactly the "+
		"settings of this program (an earlier create of this resource whose answer was lost, or that was "+
		"interrupted before Pulumi recorded it); a group with the same name and other settings is someone else's "+
		"and is never taken over without `adoptExisting`.\n\n"+
		"Every change, a new name included, is made in place (teams and keys refer to the group by ID). A group "+
		"deleted outside Pulumi is created again by the next update, under a new ID that the proxy chooses "+
		"(`accessGroupId` shows it at once, the resource ID after the next refresh).\n\n"+
		"Import with `pulumi import litellm:index:UnifiedAccessGroup <name> <access group id>`.")
}

// Annotate documents the inputs.
func (g *UnifiedAccessGroupArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&g.AccessGroupName, "The group's name, unique on the proxy. Changing it renames the group in place.")
	a.Describe(&g.Description, "A description of the group.")
	a.Describe(&g.AccessModelNames, "Model names (model groups) the group gives access to.")
	a.Describe(&g.AccessMcpServerIds, "IDs of the MCP servers the group gives access to.")
	a.Describe(&g.McpToolPermissions, "Per MCP server ID, the tools of that server the group allows, e.g. "+
		"`{\"<server id>\": [\"search\", \"fetch\"]}`. Unset: every tool of the servers listed.")
	a.Describe(&g.AccessAgentIds, "IDs of the agents the group gives access to.")
	a.Describe(&g.AccessSkillNames, "Names of the skills the group gives access to (LiteLLM 1.110 and later).")
	a.Describe(&g.AssignedTeamIds, "Teams the group is attached to (each must exist: the proxy refuses unknown "+
		"team IDs). The proxy also reports teams that carry the group in their own settings.")
	a.Describe(&g.AssignedKeyIds, "Keys the group is attached to, by token (the SHA-256 hash of the key, a Key "+
		"resource's `token` output), never the key itself.")
	a.Describe(&g.AdoptExisting, "If a group with this name already exists and was not created by this resource "+
		"(or its settings differ), take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (g *UnifiedAccessGroupState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &g.Writes)
	a.Describe(&g.AccessGroupID, "The ID the proxy chose for the group (what teams and keys refer to).")
	a.Describe(&g.CreatedAt, "When the group was created, as the proxy reported it at the last create, refresh or import.")
	a.Describe(&g.UpdatedAt, "When the group was last changed, as the proxy reported it at the last refresh or import.")
}

// ---- the kind's rules ----

// unifiedAccessGroupArgsType is UnifiedAccessGroupArgs' type, for its JSON keys.
var unifiedAccessGroupArgsType = reflect.TypeFor[UnifiedAccessGroupArgs]()

// unifiedAccessGroupReadable: the fields of an access group answer that are inputs
// (the rest, access_group_id, the resolved names access_mcp_servers,
// access_agents, assigned_teams, assigned_keys, the times, is the proxy's).
func unifiedAccessGroupReadable(k string) bool {
	_, ok := fieldsOf(unifiedAccessGroupArgsType).byKey[k]
	return ok
}

// unifiedAccessGroupClearable: PUT /v1/access_group/{id} writes every field it is
// sent (exclude_unset): description and mcp_tool_permissions are cleared
// with null, the lists with [] (null is stored as [] too).
func unifiedAccessGroupClearable(k string) bool { return k != "access_group_name" }

// tokenPattern is a key's token: the SHA-256 hex of the key.
var tokenPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's access group object (jsonmap.go).
func (g UnifiedAccessGroupArgs) MarshalJSON() ([]byte, error) { return marshalWire(g, nil) }

func (g *UnifiedAccessGroupArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, g, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (UnifiedAccessGroup) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[UnifiedAccessGroupArgs], error) {
	in, failures := decodeInputs[UnifiedAccessGroupArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[UnifiedAccessGroupArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("accessGroupName", in.AccessGroupName)
	for prop, list := range map[string][]string{"accessModelNames": in.AccessModelNames, "accessMcpServerIds": in.AccessMcpServerIds,
		"accessAgentIds": in.AccessAgentIds, "accessSkillNames": in.AccessSkillNames, "assignedTeamIds": in.AssignedTeamIds} {
		for i, s := range list {
			if strings.TrimSpace(s) == "" {
				v.fail(fmt.Sprintf("%s[%d]", prop, i), "must not be empty")
			}
		}
	}
	for i, t := range in.AssignedKeyIds {
		if !tokenPattern.MatchString(t) {
			shown := fmt.Sprintf("%q", t)
			if strings.HasPrefix(t, "sk-") || len(t) > 80 {
				shown = "a value that is not a token" // never echo what may be a key
			}
			v.fail(fmt.Sprintf("assignedKeyIds[%d]", i), "must be a key's token (64 lowercase hex characters, the SHA-256 "+
				"of the key: a Key resource's `token` output), never the key itself; got %s", shown)
		}
	}
	for server, tools := range in.McpToolPermissions {
		if strings.TrimSpace(server) == "" {
			v.fail("mcpToolPermissions", "server IDs must not be empty")
		}
		for i, tool := range tools {
			if strings.TrimSpace(tool) == "" {
				v.fail(fmt.Sprintf("mcpToolPermissions.%s[%d]", server, i), "must not be empty")
			}
		}
	}
	return infer.CheckResponse[UnifiedAccessGroupArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place (the name included).
func (UnifiedAccessGroup) Diff(_ context.Context, req infer.DiffRequest[UnifiedAccessGroupArgs, UnifiedAccessGroupState]) (infer.DiffResponse, error) {
	olds, news := req.State.UnifiedAccessGroupArgs, req.Inputs
	d := newDiffer()
	d.merged("", unifiedAccessGroupArgsType, unifiedAccessGroupObject(olds), unifiedAccessGroupObject(news), unifiedAccessGroupClearable)
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create sends the create; the proxy chooses the ID (runCreateGenerated).
func (UnifiedAccessGroup) Create(ctx context.Context, req infer.CreateRequest[UnifiedAccessGroupArgs]) (infer.CreateResponse[UnifiedAccessGroupState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[UnifiedAccessGroupState]{Output: UnifiedAccessGroupState{UnifiedAccessGroupArgs: in}}, nil
	}
	e := getEnv(ctx)
	id, out, err := runCreateGenerated(ctx, e, unifiedAccessGroupCreateOp(e, in))
	return created(id, unifiedAccessGroupState(id, in, stamp(e, out, err), nil), out, err)
}

// Read refreshes the group (or imports it). Access group reads come from
// the database.
func (UnifiedAccessGroup) Read(ctx context.Context, req infer.ReadRequest[UnifiedAccessGroupArgs, UnifiedAccessGroupState]) (infer.ReadResponse[UnifiedAccessGroupArgs, UnifiedAccessGroupState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.UnifiedAccessGroupArgs, func(a UnifiedAccessGroupArgs) bool { return a.AccessGroupName == "" })
	id := generatedObjectID(req.ID, req.State.AccessGroupID)
	g, found, err := runRead(ctx, e, readOp[litellm.AccessGroup]{
		target:    unifiedAccessGroupTarget(e, id),
		id:        e.identity(),
		matches:   func(g litellm.AccessGroup) bool { return unifiedAccessGroupMatches(g, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[UnifiedAccessGroupArgs, UnifiedAccessGroupState]{}, err
	}
	in, err := unifiedAccessGroupArgsFromServer(g, prior, importing)
	if err != nil {
		return infer.ReadResponse[UnifiedAccessGroupArgs, UnifiedAccessGroupState]{}, fmt.Errorf("access group %s: unexpected answer: %w", id, err)
	}
	return infer.ReadResponse[UnifiedAccessGroupArgs, UnifiedAccessGroupState]{ID: id, Inputs: in,
		State: unifiedAccessGroupState(id, in, req.State.Writes, g)}, nil
}

// Update writes the configured fields in place (creating the group again,
// under a new ID, if it is gone).
func (UnifiedAccessGroup) Update(ctx context.Context, req infer.UpdateRequest[UnifiedAccessGroupArgs, UnifiedAccessGroupState]) (infer.UpdateResponse[UnifiedAccessGroupState], error) {
	in := req.Inputs
	id := generatedObjectID(req.ID, req.State.AccessGroupID)
	state := unifiedAccessGroupState(id, in, req.State.Writes, nil)
	state.CreatedAt, state.UpdatedAt = req.State.CreatedAt, req.State.UpdatedAt
	if req.DryRun || (!deref(req.State.CreatePending) && sameJSON(unifiedAccessGroupObject(req.State.UnifiedAccessGroupArgs), unifiedAccessGroupObject(in))) {
		return infer.UpdateResponse[UnifiedAccessGroupState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	newID, out, err := runUpdateGenerated(ctx, e, generatedUpdate[litellm.AccessGroup]{
		objectID:  id,
		writtenAt: req.State.writtenAt(),
		patch: func(ctx context.Context) error {
			return e.client.AccessGroups.Update(ctx, id, unifiedAccessGroupPatch(req.State.UnifiedAccessGroupArgs, in))
		},
		recreate: unifiedAccessGroupCreateOp(e, in),
	})
	if newID != "" && newID != id {
		state = unifiedAccessGroupState(newID, in, state.Writes, nil)
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the group (LiteLLM detaches it from its teams, keys and
// agents first); one that is already gone is fine.
func (UnifiedAccessGroup) Delete(ctx context.Context, req infer.DeleteRequest[UnifiedAccessGroupState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := generatedObjectID(req.ID, req.State.AccessGroupID)
	err := runDelete(ctx, e, deleteOp[litellm.AccessGroup]{
		target:    unifiedAccessGroupTarget(e, id),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.AccessGroups.Delete(ctx, id) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// unifiedAccessGroupTarget: an access group carries no mark (markOf never finds
// one), so a refresh or delete never takes it for someone else's.
func unifiedAccessGroupTarget(e env, id string) target[litellm.AccessGroup] {
	return target[litellm.AccessGroup]{
		kind:     "unifiedAccessGroup",
		objectID: id,
		what:     "access group " + id,
		get:      func(ctx context.Context) (litellm.AccessGroup, error) { return e.client.AccessGroups.Get(ctx, id) },
		markOf:   func(litellm.AccessGroup) (mark, bool) { return mark{}, false },
	}
}

// unifiedAccessGroupCreateOp: the group is found by its unique name; one that
// shows every configured field is this resource's (an earlier create of
// it), any other holder of the name is someone else's.
func unifiedAccessGroupCreateOp(e env, in UnifiedAccessGroupArgs) generatedOp[litellm.AccessGroup] {
	body := unifiedAccessGroupBody(in)
	named := func(g litellm.AccessGroup) bool { return g["access_group_name"] == in.AccessGroupName }
	return generatedOp[litellm.AccessGroup]{
		kind:   "unifiedAccessGroup",
		what:   fmt.Sprintf("access group %q", in.AccessGroupName),
		create: func(ctx context.Context) (string, error) { return e.client.AccessGroups.Create(ctx, body) },
		find: func(ctx context.Context) ([]litellm.AccessGroup, error) {
			rows, err := e.client.AccessGroups.List(ctx)
			return keepRows(rows, named), err
		},
		idOf:              func(g litellm.AccessGroup) string { return fmt.Sprint(g["access_group_id"]) },
		ours:              func(g litellm.AccessGroup) bool { return named(g) && unifiedAccessGroupExactly(g, in) },
		taken:             named,
		findAuthoritative: true,
		adopt: func(ctx context.Context, g litellm.AccessGroup) error {
			return e.client.AccessGroups.Update(ctx, fmt.Sprint(g["access_group_id"]), unifiedAccessGroupPatch(UnifiedAccessGroupArgs{}, in))
		},
		matches:       func(g litellm.AccessGroup) bool { return unifiedAccessGroupMatches(g, in) },
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:UnifiedAccessGroup <name> <its id>), choose "+
			"another accessGroupName, or set adoptExisting: true (the name is %q)", in.AccessGroupName),
	}
}

func unifiedAccessGroupState(id string, in UnifiedAccessGroupArgs, w Writes, server litellm.AccessGroup) UnifiedAccessGroupState {
	s := UnifiedAccessGroupState{UnifiedAccessGroupArgs: in, Writes: w, AccessGroupID: id}
	if at, ok := server["created_at"].(string); ok && at != "" {
		s.CreatedAt = &at
	}
	if at, ok := server["updated_at"].(string); ok && at != "" {
		s.UpdatedAt = &at
	}
	return s
}

// unifiedAccessGroupObject is the group as configured, in LiteLLM's JSON; empty
// lists and maps are left out (null and [] are alike: the proxy stores []).
func unifiedAccessGroupObject(in UnifiedAccessGroupArgs) object {
	return withoutEmptyDefaults(objectOf(in))
}

// unifiedAccessGroupBody is the create body: every configured field. There is no
// mark: an access group has no free-form map.
func unifiedAccessGroupBody(in UnifiedAccessGroupArgs) litellm.AccessGroup {
	return litellm.AccessGroup(unifiedAccessGroupObject(in))
}

// unifiedAccessGroupPatch is the update body: every configured field, and for the
// removed ones null (description, mcp_tool_permissions) or [] (lists).
func unifiedAccessGroupPatch(olds, news UnifiedAccessGroupArgs) litellm.AccessGroup {
	body := litellm.AccessGroup(unifiedAccessGroupObject(news))
	oldObj := unifiedAccessGroupObject(olds)
	for _, k := range removedKeys(oldObj, objectOf(body)) {
		if !unifiedAccessGroupClearable(k) {
			continue
		}
		if _, list := oldObj[k].([]any); list {
			body[k] = []any{}
		} else {
			body[k] = nil
		}
	}
	return body
}

// unifiedAccessGroupFromServer is the group as the inputs see it.
func unifiedAccessGroupFromServer(g litellm.AccessGroup) object {
	obj := object{}
	for k, v := range g {
		if unifiedAccessGroupReadable(k) {
			obj[k] = v
		}
	}
	return obj
}

// unifiedAccessGroupMatches: the server shows every configured field.
func unifiedAccessGroupMatches(g litellm.AccessGroup, in UnifiedAccessGroupArgs) bool {
	return shows(unifiedAccessGroupFromServer(g), unifiedAccessGroupObject(in), nil)
}

// unifiedAccessGroupExactly: the server shows every configured field, and no
// list or map that the configuration leaves out holds anything: what a
// create of these inputs makes (how a mark-less group is recognised as an
// earlier create of this resource).
func unifiedAccessGroupExactly(g litellm.AccessGroup, in UnifiedAccessGroupArgs) bool {
	return exactly(unifiedAccessGroupFromServer(g), unifiedAccessGroupObject(in))
}

// unifiedAccessGroupArgsFromServer rebuilds inputs: on refresh the fields the user
// owns, on import every readable field; adoptExisting is kept as configured.
func unifiedAccessGroupArgsFromServer(g litellm.AccessGroup, prior UnifiedAccessGroupArgs, importing bool) (UnifiedAccessGroupArgs, error) {
	server := unifiedAccessGroupFromServer(g)
	var obj object
	if importing {
		obj, _ = adoptFields(server, nil)
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, unifiedAccessGroupObject(prior), nil)
		if _, ok := obj["access_group_name"]; !ok {
			obj["access_group_name"] = server["access_group_name"]
		}
	}
	var out UnifiedAccessGroupArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.AdoptExisting = prior.AdoptExisting
	return out, nil
}
