package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetUnifiedAccessGroup reads one unified access group by ID or name
// (litellm:index:getUnifiedAccessGroup).
type GetUnifiedAccessGroup struct{}

// GetUnifiedAccessGroupArgs are getUnifiedAccessGroup's inputs.
type GetUnifiedAccessGroupArgs struct {
	AccessGroupID   *string `pulumi:"accessGroupId,optional"`
	AccessGroupName *string `pulumi:"accessGroupName,optional"`
}

// UnifiedAccessGroupResult is a unified access group as the functions
// return it.
type UnifiedAccessGroupResult struct {
	AccessGroupID      string              `pulumi:"accessGroupId" litellm:"access_group_id"`
	AccessGroupName    string              `pulumi:"accessGroupName" litellm:"access_group_name"`
	Description        *string             `pulumi:"description,optional" litellm:"description,omitzero"`
	AccessModelNames   []string            `pulumi:"accessModelNames,optional" litellm:"access_model_names,omitzero"`
	AccessMcpServerIds []string            `pulumi:"accessMcpServerIds,optional" litellm:"access_mcp_server_ids,omitzero"`
	McpToolPermissions map[string][]string `pulumi:"mcpToolPermissions,optional" litellm:"mcp_tool_permissions,omitzero"`
	AccessAgentIds     []string            `pulumi:"accessAgentIds,optional" litellm:"access_agent_ids,omitzero"`
	AccessSkillNames   []string            `pulumi:"accessSkillNames,optional" litellm:"access_skill_names,omitzero"`
	AssignedTeamIds    []string            `pulumi:"assignedTeamIds,optional" litellm:"assigned_team_ids,omitzero"`
	AssignedKeyIds     []string            `pulumi:"assignedKeyIds,optional" litellm:"assigned_key_ids,omitzero"`
	CreatedAt          *string             `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	CreatedBy          *string             `pulumi:"createdBy,optional" litellm:"created_by,omitzero"`
	UpdatedAt          *string             `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	UpdatedBy          *string             `pulumi:"updatedBy,optional" litellm:"updated_by,omitzero"`
}

// ListUnifiedAccessGroups lists the unified access groups
// (litellm:index:listUnifiedAccessGroups).
type ListUnifiedAccessGroups struct{}

// ListUnifiedAccessGroupsArgs are listUnifiedAccessGroups' inputs (none).
type ListUnifiedAccessGroupsArgs struct{}

// ListUnifiedAccessGroupsResult is listUnifiedAccessGroups' output.
type ListUnifiedAccessGroupsResult struct {
	AccessGroups []UnifiedAccessGroupResult `pulumi:"accessGroups"`
}

func (r UnifiedAccessGroupResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *UnifiedAccessGroupResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetUnifiedAccessGroup) Annotate(a infer.Annotator) {
	a.SetToken("index", "getUnifiedAccessGroup")
	if documenting() {
		a.Describe(f, "Reads a unified access group by `accessGroupId` or by `accessGroupName` (set one). Access "+
			"group reads come from the proxy's database: a miss fails at once.")
	}
}

func (a *GetUnifiedAccessGroupArgs) Annotate(an infer.Annotator) {
	if !documenting() {
		return
	}
	an.Describe(&a.AccessGroupID, "The group's ID, e.g. a UnifiedAccessGroup resource's `accessGroupId`.")
	an.Describe(&a.AccessGroupName, "The group's name (unique on the proxy).")
}

func (r *UnifiedAccessGroupResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.AccessGroupID, "The group's ID.")
	a.Describe(&r.AccessGroupName, "The group's name.")
	a.Describe(&r.Description, "The group's description.")
	a.Describe(&r.AccessModelNames, "Models the group gives access to.")
	a.Describe(&r.AccessMcpServerIds, "MCP servers the group gives access to.")
	a.Describe(&r.McpToolPermissions, "Allowed tools per MCP server.")
	a.Describe(&r.AccessAgentIds, "Agents the group gives access to.")
	a.Describe(&r.AccessSkillNames, "Skills the group gives access to.")
	a.Describe(&r.AssignedTeamIds, "Teams the group is attached to.")
	a.Describe(&r.AssignedKeyIds, "Keys (tokens) the group is attached to.")
	a.Describe(&r.CreatedAt, "When the group was created.")
	a.Describe(&r.CreatedBy, "Who created the group.")
	a.Describe(&r.UpdatedAt, "When the group was last changed.")
	a.Describe(&r.UpdatedBy, "Who last changed the group.")
}

func (f *ListUnifiedAccessGroups) Annotate(a infer.Annotator) {
	a.SetToken("index", "listUnifiedAccessGroups")
	if documenting() {
		a.Describe(f, "Lists every unified access group of the proxy (from its database).")
	}
}

func (r *ListUnifiedAccessGroupsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.AccessGroups, "The groups, by name.")
	}
}

// Invoke reads the group.
func (GetUnifiedAccessGroup) Invoke(ctx context.Context, req infer.FunctionRequest[GetUnifiedAccessGroupArgs]) (infer.FunctionResponse[UnifiedAccessGroupResult], error) {
	e := getEnv(ctx)
	id, name := deref(req.Input.AccessGroupID), deref(req.Input.AccessGroupName)
	if (id == "") == (name == "") {
		return infer.FunctionResponse[UnifiedAccessGroupResult]{}, fmt.Errorf("getUnifiedAccessGroup: set exactly one of accessGroupId and accessGroupName")
	}
	t := unifiedAccessGroupTarget(e, id)
	if name != "" {
		t = byUniqueName(t, fmt.Sprintf("access group %q", name), e.client.AccessGroups.List,
			func(g litellm.AccessGroup) bool { return g["access_group_name"] == name })
	}
	g, err := runGet(ctx, e, t, true)
	if err != nil {
		return infer.FunctionResponse[UnifiedAccessGroupResult]{}, err
	}
	r, err := unifiedAccessGroupResult(g)
	return infer.FunctionResponse[UnifiedAccessGroupResult]{Output: r}, err
}

// Invoke lists the groups.
func (ListUnifiedAccessGroups) Invoke(ctx context.Context, _ infer.FunctionRequest[ListUnifiedAccessGroupsArgs]) (infer.FunctionResponse[ListUnifiedAccessGroupsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "access groups", e.client.AccessGroups.List, unifiedAccessGroupResult,
		func(r UnifiedAccessGroupResult) string { return r.AccessGroupName })
	return infer.FunctionResponse[ListUnifiedAccessGroupsResult]{Output: ListUnifiedAccessGroupsResult{AccessGroups: rows}}, err
}

// unifiedAccessGroupResult maps an access group answer.
func unifiedAccessGroupResult(g litellm.AccessGroup) (UnifiedAccessGroupResult, error) {
	obj := unifiedAccessGroupFromServer(g)
	for _, k := range []string{"access_group_id", "created_at", "created_by", "updated_at", "updated_by"} {
		if v, ok := g[k]; ok {
			obj[k] = v
		}
	}
	var r UnifiedAccessGroupResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("access group %v: unexpected answer: %w", g["access_group_id"], err)
	}
	return r, nil
}
