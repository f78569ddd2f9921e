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

// Project is a LiteLLM project (`/project/new`, an Enterprise feature of
// LiteLLM), token litellm:index:Project.
type Project struct{}

// ProjectArgs are the inputs of a Project.
type ProjectArgs struct {
	ProjectID           *string        `pulumi:"projectId,optional" litellm:"-"`
	TeamID              string         `pulumi:"teamId" litellm:"team_id,omitzero"`
	ProjectAlias        *string        `pulumi:"projectAlias,optional" litellm:"project_alias,omitzero"`
	Description         *string        `pulumi:"description,optional" litellm:"description,omitzero"`
	Models              []string       `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget           *float64       `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64       `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration      *string        `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit            *int           `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int           `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	MaxParallelRequests *int           `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	BudgetID            *string        `pulumi:"budgetId,optional" litellm:"budget_id,omitzero"`
	ModelRpmLimit       map[string]int `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit       map[string]int `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	Tags                []string       `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Blocked             *bool          `pulumi:"blocked,optional" litellm:"blocked,omitzero"`
	Metadata            map[string]any `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	AdoptExisting       *bool          `pulumi:"adoptExisting,optional" litellm:"-"`
}

// ProjectState is the recorded state of a Project.
type ProjectState struct {
	ProjectArgs
	// ProjectID shadows the input: as an output it is always set.
	ProjectID string `pulumi:"projectId"`
	Writes
}

var (
	_ infer.CustomResource[ProjectArgs, ProjectState] = (*Project)(nil)
	_ infer.CustomCheck[ProjectArgs]                  = (*Project)(nil)
	_ infer.CustomDiff[ProjectArgs, ProjectState]     = (*Project)(nil)
	_ infer.CustomRead[ProjectArgs, ProjectState]     = (*Project)(nil)
	_ infer.CustomUpdate[ProjectArgs, ProjectState]   = (*Project)(nil)
	_ infer.CustomDelete[ProjectState]                = (*Project)(nil)
	_ infer.Annotated                                 = (*Project)(nil)
)

func projectKind() kind {
	return kind{
		token:    "litellm:index:Project",
		resource: infer.Resource(&Project{}),
		check:    typedCheck(Project{}.Check),
		diff:     typedDiff(Project{}.Diff),
		read:     typedRead(Project{}.Read),
		freeForm: []string{"metadata"},
		state:    reflect.TypeFor[ProjectState](),
	}
}

// Annotate documents the resource.
func (pr *Project) Annotate(a infer.Annotator) {
	a.SetToken("index", "Project")
	if !documenting() {
		return
	}
	a.Describe(pr, "A project on a LiteLLM proxy (`POST /project/new`): a use case inside a team, between the team "+
		"and its keys, with its own models, budget and rate limits. Projects are a LiteLLM Enterprise feature: "+
		"without a licence on the proxy (`LITELLM_LICENSE`) the first create fails at once saying so. The project ID "+
		"is chosen by the provider (derived from the stack and the resource, so that an interrupted create is found "+
		"again) unless `projectId` pins it. Every project carries an ownership mark (`metadata.pulumi`): one made "+
		"by someone else is never taken over without `adoptExisting`.\n\n"+
		"LiteLLM refuses to delete a project while keys belong to it: delete or detach the keys first. LiteLLM's "+
		"update writes only the values that are set, so removing a property leaves the proxy's value (lists and "+
		"metadata are cleared); a new `teamId`, a new `projectId` or removing `budgetId` replaces the project.\n\n"+
		"Import with `pulumi import litellm:index:Project <name> <project id>`.")
}

// Annotate documents the inputs.
func (pr *ProjectArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&pr.ProjectID, "The project's ID. Leave it unset to let the provider choose one. Changing it replaces "+
		"the project.")
	a.Describe(&pr.TeamID, "The team the project belongs to (required). Changing it replaces the project.")
	a.Describe(&pr.ProjectAlias, "Display name of the project.")
	a.Describe(&pr.Description, "What the project is for.")
	a.Describe(&pr.Models, "Models the project may call: a subset of its team's. Empty or unset: the team's.")
	a.Describe(&pr.MaxBudget, "Maximum spend of the project, in USD, at most the team's. Unset: no limit (never "+
		"sent as 0). Kept in the project's own budget; not together with `budgetId`.")
	a.Describe(&pr.SoftBudget, "Spend, in USD, at which the proxy sends budget alerts; below `maxBudget`.")
	a.Describe(&pr.BudgetDuration, "How often the project's spend is reset, e.g. `30d`.")
	a.Describe(&pr.TpmLimit, "Tokens per minute for the project, at most the team's.")
	a.Describe(&pr.RpmLimit, "Requests per minute for the project, at most the team's.")
	a.Describe(&pr.MaxParallelRequests, "Maximum concurrent requests for the project.")
	a.Describe(&pr.BudgetID, "The ID of an existing budget the project uses instead of one of its own (e.g. a "+
		"`litellm:index:Budget`'s `budgetId`). Not together with the budget properties. Removing it replaces the "+
		"project.")
	a.Describe(&pr.ModelRpmLimit, "Requests per minute per model. Kept by LiteLLM in the project's metadata.")
	a.Describe(&pr.ModelTpmLimit, "Tokens per minute per model. Kept by LiteLLM in the project's metadata.")
	a.Describe(&pr.Tags, "Tags for spend tracking. Kept by LiteLLM in the project's metadata.")
	a.Describe(&pr.Blocked, "Reject every request of the project's keys.")
	a.Describe(&pr.Metadata, "Free-form metadata; values may be any JSON. The key `pulumi` is the provider's ownership "+
		"mark and is rejected here, as are keys LiteLLM keeps here itself (`model_rpm_limit`, `tags`, ...).")
	a.Describe(&pr.AdoptExisting, "If a project with this ID already exists and was not created by this resource, "+
		"take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (pr *ProjectState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &pr.Writes)
}

// ---- the kind's rules ----

// projectArgsType is ProjectArgs' type, for its JSON keys and property paths.
var projectArgsType = reflect.TypeFor[ProjectArgs]()

// projectBudgetFields are kept in the project's budget row
// (litellm_budget_table), not in the project row.
var projectBudgetFields = []string{"max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpm_limit",
	"max_parallel_requests"}

// projectServerFilled: keys of a project row that the proxy fills in
// (never imported, never compared). model_rpm_limit and model_tpm_limit
// columns are stale after an update (LiteLLM's update moves them into the
// metadata only), so they are read from the metadata.
func projectServerFilled(k string) bool {
	switch k {
	case "project_id", "spend", "model_spend", "created_at", "created_by", "updated_at", "updated_by",
		"litellm_budget_table", "object_permission_id", "object_permission", "company_id", "litellm_team_table",
		"model_rpm_limit", "model_tpm_limit", "model_itpm_limit", "model_otpm_limit":
		return true
	}
	return false
}

// projectClearable: /project/update drops every null it is sent
// (exclude_none), so no scalar can be cleared: a removed one leaves the
// proxy's value. Lists are cleared with [], metadata-kept fields by leaving
// them out of the whole metadata; budget_id cannot be unlinked and
// replaces the project.
func projectClearable(k string) bool { return k != "budget_id" }

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's project object (jsonmap.go).
func (pr ProjectArgs) MarshalJSON() ([]byte, error) { return marshalWire(pr, nil) }

func (pr *ProjectArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, pr, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Project) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[ProjectArgs], error) {
	in, failures := decodeInputs[ProjectArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[ProjectArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.ProjectID != nil {
		v.id("projectId", *in.ProjectID)
	}
	v.require("teamId", in.TeamID)
	if in.BudgetID != nil {
		v.id("budgetId", *in.BudgetID)
	}
	v.nonNegative("maxBudget", in.MaxBudget)
	v.nonNegative("softBudget", in.SoftBudget)
	if in.MaxBudget != nil && in.SoftBudget != nil && *in.SoftBudget >= *in.MaxBudget {
		v.fail("softBudget", "must be lower than maxBudget (%g), got %g", *in.MaxBudget, *in.SoftBudget)
	}
	v.nonNegativeInt("tpmLimit", in.TpmLimit)
	v.nonNegativeInt("rpmLimit", in.RpmLimit)
	v.nonNegativeInt("maxParallelRequests", in.MaxParallelRequests)
	if in.BudgetDuration != nil {
		v.duration("budgetDuration", *in.BudgetDuration)
	}
	if in.BudgetID != nil {
		obj := objectOf(in)
		for _, k := range projectBudgetFields {
			if _, set := obj[k]; set {
				v.fail(propPath(projectArgsType, k), "cannot be set together with budgetId: the project would change "+
					"the shared budget %q; set the limits on that budget, or remove budgetId", *in.BudgetID)
			}
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
	return infer.CheckResponse[ProjectArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: changes are made in place, except a new team, a new pinned ID and
// removing budgetId, which replace the project.
func (Project) Diff(_ context.Context, req infer.DiffRequest[ProjectArgs, ProjectState]) (infer.DiffResponse, error) {
	olds, news := req.State.ProjectArgs, req.Inputs
	d := newDiffer()
	d.merged("", projectArgsType, projectObject(olds), projectObject(news), projectClearable)
	if olds.TeamID != news.TeamID {
		d.add("teamId", p.UpdateReplace)
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.ProjectID)
	if pinned != "" && pinned != req.ID {
		d.add("projectId", p.UpdateReplace)
	} else if deref(olds.ProjectID) != pinned && !(olds.ProjectID != nil && deref(olds.ProjectID) == req.ID && pinned == "") {
		d.add("projectId", p.Update) // pinning the ID the project already has, or un-pinning it, changes nothing on the proxy
	}
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create stores the project under its ID (pinned, or chosen by objectIDFor;
// LiteLLM honours a project_id it is sent).
func (Project) Create(ctx context.Context, req infer.CreateRequest[ProjectArgs]) (infer.CreateResponse[ProjectState], error) {
	in := req.Inputs
	pinned := deref(in.ProjectID)
	if req.DryRun {
		return infer.CreateResponse[ProjectState]{ID: pinned, Output: ProjectState{ProjectArgs: in, ProjectID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, projectCreateOp(e, id, in, false))
	return created(id, projectState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the project (or imports it). Project reads come from the
// database and need no licence; see runRead for when a miss or an older
// version is believed.
func (Project) Read(ctx context.Context, req infer.ReadRequest[ProjectArgs, ProjectState]) (infer.ReadResponse[ProjectArgs, ProjectState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.ProjectArgs, func(a ProjectArgs) bool {
		return len(objectOf(a)) == 0 && a.ProjectID == nil
	})
	if !importing && req.Inputs.ProjectID == nil {
		prior.ProjectID = nil // the ID in the state is the output, not a pinned input
	}
	pj, found, err := runRead(ctx, e, readOp[litellm.Project]{
		target:    projectTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(pj litellm.Project) bool { return projectMatches(pj, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[ProjectArgs, ProjectState]{}, err
	}
	in, err := projectArgsFromServer(pj, prior, importing)
	if err != nil {
		return infer.ReadResponse[ProjectArgs, ProjectState]{}, fmt.Errorf("project %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		reportImport(ctx, e, "project "+req.ID, nil, asObject(pj["metadata"]))
		if in.BudgetID != nil {
			e.warnf(ctx, "project %s: its budget (%s) was imported as budgetId, not as maxBudget and limits: manage that "+
				"budget with litellm:index:Budget (pulumi import litellm:index:Budget <name> %s)", req.ID, *in.BudgetID, *in.BudgetID)
		}
	}
	return infer.ReadResponse[ProjectArgs, ProjectState]{ID: req.ID, Inputs: in, State: projectState(req.ID, in, req.State.Writes)}, nil
}

// Update writes the changed fields in place (creating the project again
// under the same ID if it is gone).
func (Project) Update(ctx context.Context, req infer.UpdateRequest[ProjectArgs, ProjectState]) (infer.UpdateResponse[ProjectState], error) {
	in, id := req.Inputs, req.ID
	state := projectState(id, in, req.State.Writes)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(projectObject(req.State.ProjectArgs), projectObject(in))) {
		return infer.UpdateResponse[ProjectState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	out, err := runUpdate(ctx, e, updateOp[litellm.Project]{
		patch: overwrite(e.client.Projects.Get, e.client.Projects.Update, id, func(current litellm.Project) litellm.Project {
			return projectPatch(current, req.State.ProjectArgs, in, me.mark())
		}),
		resume:      projectCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the project; one that is already gone is fine. LiteLLM
// refuses while keys belong to the project (the error says what to do).
func (Project) Delete(ctx context.Context, req infer.DeleteRequest[ProjectState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Project]{
		target:    projectTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Projects.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func projectTarget(e env, id string) target[litellm.Project] {
	return target[litellm.Project]{
		kind:     "project",
		objectID: id,
		what:     "project " + id,
		get:      func(ctx context.Context) (litellm.Project, error) { return e.client.Projects.Get(ctx, id) },
		markOf:   func(pj litellm.Project) (mark, bool) { return markIn(asObject(pj["metadata"])) },
	}
}

func projectCreateOp(e env, id string, in ProjectArgs, resume bool) createOp[litellm.Project] {
	me := e.identity().attempting()
	body := projectBody(id, in, me.mark())
	return createOp[litellm.Project]{
		target: projectTarget(e, id),
		id:     me,
		create: func(ctx context.Context) error { return e.client.Projects.Create(ctx, body) },
		del:    func(ctx context.Context) error { return e.client.Projects.Delete(ctx, id) },
		adopt: overwrite(e.client.Projects.Get, e.client.Projects.Update, id, func(current litellm.Project) litellm.Project {
			return projectPatch(current, ProjectArgs{}, in, me.mark())
		}),
		matches:       func(pj litellm.Project) bool { return projectMatches(pj, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Project <name> %s), choose another projectId, "+
			"or set adoptExisting: true", id),
		// The team is read from the database, maybe a lagging replica: a
		// team created moments ago may not be visible to the create yet.
		retryable: func(err error) bool { return strings.Contains(strings.ToLower(err.Error()), "team not found") },
	}
}

func projectState(id string, in ProjectArgs, w Writes) ProjectState {
	in.ProjectID = &id
	return ProjectState{ProjectArgs: in, ProjectID: id, Writes: w}
}

// projectObject is the project as configured, in LiteLLM's JSON (without
// the ID).
func projectObject(in ProjectArgs) object { return objectOf(in) }

// projectBody is the create body: every configured field, the ID, and our
// mark in the metadata.
func projectBody(id string, in ProjectArgs, m mark) litellm.Project {
	body := createBody(projectObject(in), m)
	body["project_id"] = id
	return body
}

// projectPatch is the update body (patchBody: the whole metadata, removed
// lists cleared; no nulls, which LiteLLM would drop).
func projectPatch(current litellm.Project, olds, news ProjectArgs, m mark) litellm.Project {
	return patchBody(current, projectObject(olds), projectObject(news), func(string) bool { return false }, m)
}

// projectFromServer is the project row as the inputs see it: the budget
// fields from its budget row, the metadata-kept fields lifted from the
// metadata, and the metadata without the mark and the proxy's own keys.
func projectFromServer(pj litellm.Project) object {
	obj := liftMetadata(pj, func(k string) bool { return !projectServerFilled(k) })
	budget := asObject(pj["litellm_budget_table"])
	for _, k := range projectBudgetFields {
		if v, ok := budget[k]; ok && v != nil {
			obj[k] = v
		}
	}
	return obj
}

// projectMatches: the server shows every configured field.
func projectMatches(pj litellm.Project, in ProjectArgs) bool {
	return shows(projectFromServer(pj), projectObject(in), nil)
}

// projectArgsFromServer rebuilds inputs: on refresh the fields the user
// owns, on import every readable field. An imported project keeps its
// budget link as budgetId and leaves the budget's fields out (the budget
// may be shared: setting them would change it); blocked: false and
// LiteLLM's empty defaults are left out too. projectId and adoptExisting
// are kept as configured.
func projectArgsFromServer(pj litellm.Project, prior ProjectArgs, importing bool) (ProjectArgs, error) {
	server := projectFromServer(pj)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(string) bool { return false })
		obj = withoutEmptyDefaults(obj)
		if obj["budget_id"] != nil {
			for _, k := range projectBudgetFields {
				delete(obj, k)
			}
		}
		if obj["blocked"] == false {
			delete(obj, "blocked")
		}
	} else {
		obj = ownedFields(server, projectObject(prior), nil)
	}
	var out ProjectArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.ProjectID, out.AdoptExisting = prior.ProjectID, prior.AdoptExisting
	return out, nil
}
