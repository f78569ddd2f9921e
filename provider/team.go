package provider

import (
	"context"
	"fmt"
	"reflect"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Team is a LiteLLM team (`/team/new`), token litellm:index:Team.
type Team struct{}

// TeamArgs are the inputs of a Team.
type TeamArgs struct {
	TeamID                   *string        `pulumi:"teamId,optional" litellm:"-"`
	TeamAlias                *string        `pulumi:"teamAlias,optional" litellm:"team_alias,omitzero"`
	OrganizationID           *string        `pulumi:"organizationId,optional" litellm:"organization_id,omitzero"`
	Models                   []string       `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget                *float64       `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget               *float64       `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration           *string        `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit                 *int           `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit                 *int           `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	TpmLimitType             *string        `pulumi:"tpmLimitType,optional" litellm:"tpm_limit_type,omitzero"`
	RpmLimitType             *string        `pulumi:"rpmLimitType,optional" litellm:"rpm_limit_type,omitzero"`
	MaxParallelRequests      *int           `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	ModelRpmLimit            map[string]int `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit            map[string]int `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	Tags                     []string       `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Guardrails               []string       `pulumi:"guardrails,optional" litellm:"guardrails,omitzero"`
	TeamMemberBudget         *float64       `pulumi:"teamMemberBudget,optional" litellm:"team_member_budget,omitzero"`
	TeamMemberBudgetDuration *string        `pulumi:"teamMemberBudgetDuration,optional" litellm:"team_member_budget_duration,omitzero"`
	TeamMemberRpmLimit       *int           `pulumi:"teamMemberRpmLimit,optional" litellm:"team_member_rpm_limit,omitzero"`
	TeamMemberTpmLimit       *int           `pulumi:"teamMemberTpmLimit,optional" litellm:"team_member_tpm_limit,omitzero"`
	TeamMemberKeyDuration    *string        `pulumi:"teamMemberKeyDuration,optional" litellm:"team_member_key_duration,omitzero"`
	Metadata                 map[string]any `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	AdoptExisting            *bool          `pulumi:"adoptExisting,optional" litellm:"-"`
}

// TeamState is the recorded state of a Team.
type TeamState struct {
	TeamArgs
	// TeamID shadows the input: as an output it is always set.
	TeamID string `pulumi:"teamId"`
	Writes
}

var (
	_ infer.CustomResource[TeamArgs, TeamState] = (*Team)(nil)
	_ infer.CustomCheck[TeamArgs]               = (*Team)(nil)
	_ infer.CustomDiff[TeamArgs, TeamState]     = (*Team)(nil)
	_ infer.CustomRead[TeamArgs, TeamState]     = (*Team)(nil)
	_ infer.CustomUpdate[TeamArgs, TeamState]   = (*Team)(nil)
	_ infer.CustomDelete[TeamState]             = (*Team)(nil)
	_ infer.Annotated                           = (*Team)(nil)
)

func teamKind() kind {
	return kind{
		token:    "litellm:index:Team",
		resource: infer.Resource(&Team{}),
		check:    typedCheck(Team{}.Check),
		diff:     typedDiff(Team{}.Diff),
		read:     typedRead(Team{}.Read),
		freeForm: []string{"metadata"},
		state:    reflect.TypeFor[TeamState](),
	}
}

// Annotate documents the resource.
func (t *Team) Annotate(a infer.Annotator) {
	a.SetToken("index", "Team")
	if !documenting() {
		return
	}
	a.Describe(t, "A team on a LiteLLM proxy (`POST /team/new`): the models its members and keys may call, and its "+
		"budgets and rate limits. The team ID is chosen by the provider (derived from the stack and the resource, so "+
		"that an interrupted create is found again) unless `teamId` pins it. Every team carries an ownership mark "+
		"(`metadata.pulumi`): one made by someone else is never taken over without `adoptExisting`.\n\n"+
		"Deleting or replacing a team deletes its keys and memberships on the proxy (LiteLLM cascades), so changes "+
		"are made in place wherever LiteLLM allows it; only a new `teamId` replaces the team.\n\n"+
		"Import with `pulumi import litellm:index:Team <name> <team id>`.")
}

// Annotate documents the inputs.
func (t *TeamArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&t.TeamID, "The team's ID. Leave it unset to let the provider choose one; set it when something outside "+
		"Pulumi refers to the team by ID (JWT/OIDC group claims, another environment). Changing it replaces the team, "+
		"which deletes its keys on the proxy.")
	a.Describe(&t.TeamAlias, "Display name of the team.")
	a.Describe(&t.OrganizationID, "The organization the team belongs to.")
	a.Describe(&t.Models, "Models (names or access groups) the team may call. Empty or unset: all models.")
	a.Describe(&t.MaxBudget, "Maximum spend of the team, in USD. Unset: no limit (never sent as 0).")
	a.Describe(&t.SoftBudget, "Spend, in USD, at which the proxy sends budget alerts.")
	a.Describe(&t.BudgetDuration, "How often the team's spend is reset, e.g. `30d`, `1mo`.")
	a.Describe(&t.TpmLimit, "Tokens per minute for the whole team.")
	a.Describe(&t.RpmLimit, "Requests per minute for the whole team.")
	a.Describe(&t.TpmLimitType, "How `tpmLimit` is enforced: `best_effort_throughput`, `guaranteed_throughput` or `dynamic`.")
	a.Describe(&t.RpmLimitType, "How `rpmLimit` is enforced: `best_effort_throughput`, `guaranteed_throughput` or `dynamic`.")
	a.Describe(&t.MaxParallelRequests, "Maximum concurrent requests for the team.")
	a.Describe(&t.ModelRpmLimit, "Requests per minute per model, e.g. `{\"gpt-4o\": 100}`. Kept by LiteLLM in the team's metadata.")
	a.Describe(&t.ModelTpmLimit, "Tokens per minute per model. Kept by LiteLLM in the team's metadata.")
	a.Describe(&t.Tags, "Tags for spend tracking and routing (a LiteLLM Enterprise feature: sent only when set).")
	a.Describe(&t.Guardrails, "Guardrails applied to the team's requests (a LiteLLM Enterprise feature: sent only when set).")
	a.Describe(&t.TeamMemberBudget, "Default budget, in USD, of each member of the team.")
	a.Describe(&t.TeamMemberBudgetDuration, "How often each member's spend is reset, e.g. `30d`. Without it, LiteLLM "+
		"resets member spend on its own default schedule.")
	a.Describe(&t.TeamMemberRpmLimit, "Default requests per minute of each member.")
	a.Describe(&t.TeamMemberTpmLimit, "Default tokens per minute of each member.")
	a.Describe(&t.TeamMemberKeyDuration, "Default lifetime of keys that members create, e.g. `30d`.")
	a.Describe(&t.Metadata, "Free-form metadata; values may be any JSON (objects stay objects). The key `pulumi` is "+
		"the provider's ownership mark and is rejected here; keys LiteLLM keeps here itself (`model_rpm_limit`, "+
		"`tags`, `team_member_budget_id`, ...) are set through their own properties.")
	a.Describe(&t.AdoptExisting, "If a team with this ID already exists and was not created by this resource, take "+
		"it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (t *TeamState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &t.Writes)
}

// ---- the kind's rules ----

// teamMemberBudgetFields map the team's default member budget (returned as
// team_info.team_member_budget_table) to the properties that set it.
var teamMemberBudgetFields = map[string]string{
	"max_budget":      "team_member_budget",
	"budget_duration": "team_member_budget_duration",
	"rpm_limit":       "team_member_rpm_limit",
	"tpm_limit":       "team_member_tpm_limit",
}

// teamServerFilled: keys of a team row that the proxy fills in (never
// imported, never compared).
func teamServerFilled(k string) bool {
	switch k {
	case "team_id", "spend", "budget_reset_at", "created_at", "updated_at", "admins", "members", "members_with_roles",
		"model_id", "litellm_model_table", "object_permission_id", "object_permission", "blocked",
		"team_member_permissions", "access_group_ids", "router_settings", "model_spend", "model_max_budget",
		"litellm_organization_table", "team_member_budget_table", "default_team_member_models", "policies", "prompts",
		"allowed_passthrough_routes", "allowed_vector_store_indexes", "secret_manager_settings", "organization_table",
		"team_alias_lower":
		return true
	}
	return false
}

// teamClearable: top-level fields that /team/update clears when sent as
// null (it writes every field it is sent, exclude_unset). Lists are cleared
// with []; metadata-kept fields by leaving them out of the metadata sent;
// the member budget (a separate table) cannot be cleared.
func teamClearable(k string) bool {
	switch k {
	case "team_alias", "organization_id", "max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpm_limit",
		"tpm_limit_type", "rpm_limit_type", "max_parallel_requests":
		return true
	}
	return false
}

var teamLimitTypes = []string{"best_effort_throughput", "guaranteed_throughput", "dynamic"}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's team object (jsonmap.go).
func (t TeamArgs) MarshalJSON() ([]byte, error) { return marshalWire(t, nil) }

func (t *TeamArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, t, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Team) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TeamArgs], error) {
	in, failures := decodeInputs[TeamArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[TeamArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.TeamID != nil {
		v.id("teamId", *in.TeamID)
	}
	v.nonNegative("maxBudget", in.MaxBudget)
	v.nonNegative("softBudget", in.SoftBudget)
	v.nonNegative("teamMemberBudget", in.TeamMemberBudget)
	v.nonNegativeInt("tpmLimit", in.TpmLimit)
	v.nonNegativeInt("rpmLimit", in.RpmLimit)
	v.nonNegativeInt("maxParallelRequests", in.MaxParallelRequests)
	v.nonNegativeInt("teamMemberRpmLimit", in.TeamMemberRpmLimit)
	v.nonNegativeInt("teamMemberTpmLimit", in.TeamMemberTpmLimit)
	v.oneOf("tpmLimitType", in.TpmLimitType, teamLimitTypes)
	v.oneOf("rpmLimitType", in.RpmLimitType, teamLimitTypes)
	for _, d := range []struct {
		prop string
		s    *string
	}{{"budgetDuration", in.BudgetDuration}, {"teamMemberBudgetDuration", in.TeamMemberBudgetDuration}, {"teamMemberKeyDuration", in.TeamMemberKeyDuration}} {
		if d.s != nil {
			v.duration(d.prop, *d.s)
		}
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
	return infer.CheckResponse[TeamArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place (a replacement would delete the
// team's keys), except a new pinned ID.
func (Team) Diff(_ context.Context, req infer.DiffRequest[TeamArgs, TeamState]) (infer.DiffResponse, error) {
	olds, news := req.State.TeamArgs, req.Inputs
	d := newDiffer()
	d.merged("", reflect.TypeFor[TeamArgs](), teamObject(olds), teamObject(news), func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.TeamID)
	if pinned != "" && pinned != req.ID {
		d.add("teamId", p.UpdateReplace)
	} else if deref(olds.TeamID) != pinned && !(olds.TeamID != nil && deref(olds.TeamID) == req.ID && pinned == "") {
		d.add("teamId", p.Update) // pinning the ID the team already has, or un-pinning it, changes nothing on the proxy
	}
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create stores the team under its ID (pinned, or chosen by objectIDFor).
func (Team) Create(ctx context.Context, req infer.CreateRequest[TeamArgs]) (infer.CreateResponse[TeamState], error) {
	in := req.Inputs
	pinned := deref(in.TeamID)
	if req.DryRun {
		return infer.CreateResponse[TeamState]{ID: pinned, Output: TeamState{TeamArgs: in, TeamID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, teamCreateOp(e, id, in, false))
	return created(id, teamState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the team (or imports it). Team reads come from the
// database; see runRead for when a miss or an older version is believed.
func (Team) Read(ctx context.Context, req infer.ReadRequest[TeamArgs, TeamState]) (infer.ReadResponse[TeamArgs, TeamState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.TeamArgs, func(a TeamArgs) bool { return len(objectOf(a)) == 0 && a.TeamID == nil })
	if !importing && req.Inputs.TeamID == nil {
		prior.TeamID = nil // the ID in the state is the output, not a pinned input
	}
	t, found, err := runRead(ctx, e, readOp[litellm.Team]{
		target:    teamTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(t litellm.Team) bool { return teamMatches(t, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[TeamArgs, TeamState]{}, err
	}
	in, err := teamArgsFromServer(t, prior, importing)
	if err != nil {
		return infer.ReadResponse[TeamArgs, TeamState]{}, fmt.Errorf("team %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		reportImport(ctx, e, "team "+req.ID, nil, asObject(t["metadata"]))
	}
	return infer.ReadResponse[TeamArgs, TeamState]{ID: req.ID, Inputs: in, State: teamState(req.ID, in, req.State.Writes)}, nil
}

// Update writes the changed fields in place (creating the team again under
// the same ID if it is gone).
func (Team) Update(ctx context.Context, req infer.UpdateRequest[TeamArgs, TeamState]) (infer.UpdateResponse[TeamState], error) {
	in, id := req.Inputs, req.ID
	state := teamState(id, in, req.State.Writes)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(teamObject(req.State.TeamArgs), teamObject(in))) {
		return infer.UpdateResponse[TeamState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	out, err := runUpdate(ctx, e, updateOp[litellm.Team]{
		patch: overwrite(e.client.Teams.Get, e.client.Teams.Update, id, func(current litellm.Team) litellm.Team {
			return teamPatch(current, req.State.TeamArgs, in, me.mark())
		}),
		resume:      teamCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the team (and, on the proxy, its keys and memberships); a
// team that is already gone is fine.
func (Team) Delete(ctx context.Context, req infer.DeleteRequest[TeamState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Team]{
		target:    teamTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Teams.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func teamTarget(e env, id string) target[litellm.Team] {
	return target[litellm.Team]{
		kind:     "team",
		objectID: id,
		what:     "team " + id,
		get:      func(ctx context.Context) (litellm.Team, error) { return e.client.Teams.Get(ctx, id) },
		markOf:   func(t litellm.Team) (mark, bool) { return markIn(asObject(t["metadata"])) },
	}
}

func teamCreateOp(e env, id string, in TeamArgs, resume bool) createOp[litellm.Team] {
	me := e.identity().attempting()
	body := teamBody(id, in, me.mark())
	return createOp[litellm.Team]{
		target: teamTarget(e, id),
		id:     me,
		create: func(ctx context.Context) error { return e.client.Teams.Create(ctx, body) },
		del:    func(ctx context.Context) error { return e.client.Teams.Delete(ctx, id) },
		adopt: overwrite(e.client.Teams.Get, e.client.Teams.Update, id, func(current litellm.Team) litellm.Team {
			return teamPatch(current, TeamArgs{}, in, me.mark())
		}),
		matches:       func(t litellm.Team) bool { return teamMatches(t, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Team <name> %s), choose another teamId, "+
			"or set adoptExisting: true", id),
	}
}

func teamState(id string, in TeamArgs, w Writes) TeamState {
	in.TeamID = &id
	return TeamState{TeamArgs: in, TeamID: id, Writes: w}
}

// teamObject is the team as configured, in LiteLLM's JSON (without the ID).
func teamObject(in TeamArgs) object { return objectOf(in) }

// teamBody is the create body: every configured field, the ID, and our mark
// in the metadata.
func teamBody(id string, in TeamArgs, m mark) litellm.Team {
	body := createBody(teamObject(in), m)
	body["team_id"] = id
	return body
}

// teamPatch is the update body (patchBody: the whole metadata, removed
// fields cleared).
func teamPatch(current litellm.Team, olds, news TeamArgs, m mark) litellm.Team {
	return patchBody(current, teamObject(olds), teamObject(news), teamClearable, m)
}

// teamFromServer is the team row as the inputs see it: the metadata-kept
// fields lifted to the top level, the member budget's fields named as the
// properties that set them, and the metadata without the mark and the
// proxy's own keys.
func teamFromServer(t litellm.Team) object {
	obj := liftMetadata(t, func(k string) bool { return !teamServerFilled(k) })
	for from, to := range teamMemberBudgetFields {
		if v, ok := asObject(t["team_member_budget_table"])[from]; ok && v != nil {
			obj[to] = v
		}
	}
	return obj
}

// teamMatches: the server shows every configured field.
func teamMatches(t litellm.Team, in TeamArgs) bool {
	return shows(teamFromServer(t), teamObject(in), nil)
}

// teamArgsFromServer rebuilds inputs: on refresh the fields the user owns,
// on import every readable field; teamId and adoptExisting are kept as
// configured.
func teamArgsFromServer(t litellm.Team, prior TeamArgs, importing bool) (TeamArgs, error) {
	server := teamFromServer(t)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(string) bool { return false })
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, teamObject(prior), nil)
	}
	var out TeamArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.TeamID, out.AdoptExisting = prior.TeamID, prior.AdoptExisting
	return out, nil
}
