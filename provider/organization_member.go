package provider

import (
	"cmp"
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

// OrganizationMember is one user's membership of a LiteLLM organization
// (`/organization/member_add`), token litellm:index:OrganizationMember; its
// ID is `<organizationId>:<userId>`.
type OrganizationMember struct{}

// OrganizationMemberArgs are the inputs of an OrganizationMember.
type OrganizationMemberArgs struct {
	OrganizationID          string   `pulumi:"organizationId" litellm:"organization_id,omitzero"`
	UserID                  string   `pulumi:"userId" litellm:"user_id,omitzero"`
	Role                    string   `pulumi:"role" litellm:"user_role,omitzero"`
	MaxBudgetInOrganization *float64 `pulumi:"maxBudgetInOrganization,optional" litellm:"max_budget_in_organization,omitzero"`
	AdoptExisting           *bool    `pulumi:"adoptExisting,optional" litellm:"-"`
}

// OrganizationMemberState is the recorded state of an OrganizationMember.
type OrganizationMemberState struct {
	OrganizationMemberArgs
	Writes
}

// OrganizationMembers is the whole member set of one LiteLLM organization,
// token litellm:index:OrganizationMembers; its ID is the organization's.
type OrganizationMembers struct{}

// OrganizationMembersArgs are the inputs of an OrganizationMembers.
type OrganizationMembersArgs struct {
	OrganizationID string                    `pulumi:"organizationId" litellm:"organization_id,omitzero"`
	Members        []OrganizationMemberEntry `pulumi:"members" litellm:"members"`
	AdoptExisting  *bool                     `pulumi:"adoptExisting,optional" litellm:"-"`
}

// OrganizationMemberEntry is one member of an OrganizationMembers.
type OrganizationMemberEntry struct {
	UserID                  string   `pulumi:"userId" litellm:"user_id,omitzero"`
	Role                    string   `pulumi:"role" litellm:"user_role,omitzero"`
	MaxBudgetInOrganization *float64 `pulumi:"maxBudgetInOrganization,optional" litellm:"max_budget_in_organization,omitzero"`
}

// OrganizationMembersState is the recorded state of an OrganizationMembers.
type OrganizationMembersState struct {
	OrganizationMembersArgs
	Writes
}

var (
	_ infer.CustomResource[OrganizationMemberArgs, OrganizationMemberState] = (*OrganizationMember)(nil)
	_ infer.CustomCheck[OrganizationMemberArgs]                             = (*OrganizationMember)(nil)
	_ infer.CustomDiff[OrganizationMemberArgs, OrganizationMemberState]     = (*OrganizationMember)(nil)
	_ infer.CustomRead[OrganizationMemberArgs, OrganizationMemberState]     = (*OrganizationMember)(nil)
	_ infer.CustomUpdate[OrganizationMemberArgs, OrganizationMemberState]   = (*OrganizationMember)(nil)
	_ infer.CustomDelete[OrganizationMemberState]                           = (*OrganizationMember)(nil)
	_ infer.Annotated                                                       = (*OrganizationMember)(nil)

	_ infer.CustomResource[OrganizationMembersArgs, OrganizationMembersState] = (*OrganizationMembers)(nil)
	_ infer.CustomCheck[OrganizationMembersArgs]                              = (*OrganizationMembers)(nil)
	_ infer.CustomDiff[OrganizationMembersArgs, OrganizationMembersState]     = (*OrganizationMembers)(nil)
	_ infer.CustomRead[OrganizationMembersArgs, OrganizationMembersState]     = (*OrganizationMembers)(nil)
	_ infer.CustomUpdate[OrganizationMembersArgs, OrganizationMembersState]   = (*OrganizationMembers)(nil)
	_ infer.CustomDelete[OrganizationMembersState]                            = (*OrganizationMembers)(nil)
	_ infer.Annotated                                                         = (*OrganizationMembers)(nil)
)

func organizationMemberKind() kind {
	return kind{
		token:    "litellm:index:OrganizationMember",
		resource: infer.Resource(&OrganizationMember{}),
		check:    typedCheck(OrganizationMember{}.Check),
		diff:     typedDiff(OrganizationMember{}.Diff),
		read:     typedRead(OrganizationMember{}.Read),
		state:    reflect.TypeFor[OrganizationMemberState](),
	}
}

func organizationMembersKind() kind {
	return kind{
		token:    "litellm:index:OrganizationMembers",
		resource: infer.Resource(&OrganizationMembers{}),
		check:    typedCheck(OrganizationMembers{}.Check),
		diff:     typedDiff(OrganizationMembers{}.Diff),
		read:     typedRead(OrganizationMembers{}.Read),
		state:    reflect.TypeFor[OrganizationMembersState](),
	}
}

// Annotate documents the resource.
func (m *OrganizationMember) Annotate(a infer.Annotator) {
	a.SetToken("index", "OrganizationMember")
	if !documenting() {
		return
	}
	a.Describe(m, "One user's membership of a LiteLLM organization (`POST /organization/member_add`), with its role "+
		"and, optionally, the user's budget within the organization. The ID is `<organizationId>:<userId>`.\n\n"+
		"A membership has no metadata to carry an ownership mark, so the provider cannot tell its own from anyone "+
		"else's: a user who is a member already when the resource is created makes the create fail unless "+
		"`adoptExisting` (an add whose answer was lost is recognised within the same run; a run killed right after "+
		"the add needs `adoptExisting` or an import). LiteLLM creates a user that does not exist yet (an internal "+
		"user with default settings); deleting the membership leaves that user. Do not manage the same organization "+
		"with `OrganizationMembers` as well.\n\n"+
		"Import with `pulumi import litellm:index:OrganizationMember <name> <organization id>:<user id>`.")
}

// Annotate documents the inputs.
func (m *OrganizationMemberArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.OrganizationID, "The organization. Changing it replaces the membership.")
	a.Describe(&m.UserID, "The user. Changing it replaces the membership.")
	a.Describe(&m.Role, "The user's role in the organization: `org_admin`, `internal_user` or `internal_user_viewer`.")
	a.Describe(&m.MaxBudgetInOrganization, "The user's budget within the organization, in USD. LiteLLM keeps it in a "+
		"budget row that /organization/info does not return, so it is written when it changes and never read back; "+
		"unset is never sent as 0, and removing it leaves the proxy's budget (LiteLLM cannot clear it).")
	a.Describe(&m.AdoptExisting, "If the user is already a member of the organization when the resource is created, "+
		"take the membership over (and set the role and budget configured here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (m *OrganizationMemberState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &m.Writes)
}

// Annotate documents the resource.
func (m *OrganizationMembers) Annotate(a infer.Annotator) {
	a.SetToken("index", "OrganizationMembers")
	if !documenting() {
		return
	}
	a.Describe(m, "The whole member set of one LiteLLM organization: exactly the listed users, with their roles. The "+
		"ID is the organization's.\n\n"+
		"The resource owns the set: a member added out of band is drift, and the next update removes it; a listed "+
		"member removed out of band is drift, and the next update adds it again (an organization left without any "+
		"member counts as gone, and the next `pulumi up` creates the set again). LiteLLM adds nobody to an "+
		"organization by itself (not even the proxy admin who created it), so there is no member to spare. Members "+
		"carry no ownership mark: an organization that has members already when the set is created makes the "+
		"create fail, naming them, unless `adoptExisting` is set, which takes them over (listed ones get their "+
		"role, the others are removed). Deleting the resource removes the listed members and leaves any other. Do "+
		"not combine it with `OrganizationMember` resources for the same organization.\n\n"+
		"Import with `pulumi import litellm:index:OrganizationMembers <name> <organization id>`.")
}

// Annotate documents the inputs.
func (m *OrganizationMembersArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.OrganizationID, "The organization. Changing it replaces the set.")
	a.Describe(&m.Members, "The members, each a user ID with its role (a user may be listed once; order does not "+
		"matter). An empty list means an organization without members.")
	a.Describe(&m.AdoptExisting, "If the organization has members already when the set is created, take them over "+
		"(listed ones get their role, the others are removed) instead of failing. Default false.")
}

// Annotate documents a member.
func (m *OrganizationMemberEntry) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.UserID, "The user (LiteLLM creates a user that does not exist yet).")
	a.Describe(&m.Role, "The user's role in the organization: `org_admin`, `internal_user` or `internal_user_viewer`.")
	a.Describe(&m.MaxBudgetInOrganization, "The user's budget within the organization, in USD: written when it "+
		"changes, never read back (/organization/info does not return it); removing it leaves the proxy's budget.")
}

// Annotate documents the outputs.
func (m *OrganizationMembersState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &m.Writes)
}

// ---- the kind's rules ----

// organizationRoles are LiteLLM's ROLES_WITHIN_ORG.
var organizationRoles = []string{"org_admin", "internal_user", "internal_user_viewer"}

// organizationMemberReadable: the fields of a membership row that are
// inputs (spend, budget_id, timestamps and the user are the proxy's).
func organizationMemberReadable(k string) bool {
	return k == "organization_id" || k == "user_id" || k == "user_role"
}

// organizationMemberWriteOnly: the member's budget is kept in a budget row
// that /organization/info does not include.
func organizationMemberWriteOnly(k string) bool { return k == "max_budget_in_organization" }

// organizationMemberID is `<organizationId>:<userId>`; splitting takes the
// first ':' (user IDs may hold more).
func organizationMemberID(orgID, userID string) string { return orgID + ":" + userID }

func splitOrganizationMemberID(id string) (orgID, userID string, ok bool) {
	orgID, userID, ok = strings.Cut(id, ":")
	return orgID, userID, ok && orgID != "" && userID != ""
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's membership objects (jsonmap.go).
func (m OrganizationMemberArgs) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *OrganizationMemberArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

func (m OrganizationMembersArgs) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *OrganizationMembersArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

func (m OrganizationMemberEntry) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *OrganizationMemberEntry) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

// ---- Check, Diff, Create, Read, Update, Delete: OrganizationMember ----

// Check validates inputs at preview time.
func (OrganizationMember) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[OrganizationMemberArgs], error) {
	in, failures := decodeInputs[OrganizationMemberArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[OrganizationMemberArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	checkOrganizationMember(v, "", in.OrganizationID, in.UserID, in.Role, in.MaxBudgetInOrganization)
	return infer.CheckResponse[OrganizationMemberArgs]{Inputs: in, Failures: v.failures}, nil
}

// checkOrganizationMember checks one membership; prefix is the property
// path of the member ("" or "members[2].").
func checkOrganizationMember(v *checker, prefix, orgID, userID, role string, budget *float64) {
	if prefix == "" {
		v.require("organizationId", orgID)
		if orgID != "" {
			v.id("organizationId", orgID)
		}
	}
	v.require(prefix+"userId", userID)
	if userID != "" {
		v.id(prefix+"userId", userID)
	}
	if role == "" {
		v.fail(prefix+"role", "must be one of %s", strings.Join(organizationRoles, ", "))
	} else {
		v.oneOf(prefix+"role", &role, organizationRoles)
	}
	v.nonNegative(prefix+"maxBudgetInOrganization", budget)
}

// Diff: a new organization or user is another membership (replace); the
// role and the budget are changed in place.
func (OrganizationMember) Diff(_ context.Context, req infer.DiffRequest[OrganizationMemberArgs, OrganizationMemberState]) (infer.DiffResponse, error) {
	olds, news := req.State.OrganizationMemberArgs, req.Inputs
	d := newDiffer()
	if olds.OrganizationID != news.OrganizationID {
		d.add("organizationId", p.UpdateReplace)
	}
	if olds.UserID != news.UserID {
		d.add("userId", p.UpdateReplace)
	}
	if olds.Role != news.Role {
		d.add("role", p.Update)
	}
	if !sameJSON(normalized(olds.MaxBudgetInOrganization), normalized(news.MaxBudgetInOrganization)) {
		d.add("maxBudgetInOrganization", p.Update)
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create adds the user to the organization (and sets the member's budget).
func (OrganizationMember) Create(ctx context.Context, req infer.CreateRequest[OrganizationMemberArgs]) (infer.CreateResponse[OrganizationMemberState], error) {
	in := req.Inputs
	id := organizationMemberID(in.OrganizationID, in.UserID)
	if req.DryRun {
		return infer.CreateResponse[OrganizationMemberState]{ID: id, Output: OrganizationMemberState{OrganizationMemberArgs: in}}, nil
	}
	e := getEnv(ctx)
	out, err := runCreate(ctx, e, organizationMemberCreateOp(e, in, false))
	return created(id, OrganizationMemberState{OrganizationMemberArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the membership (or imports it by `<organizationId>:<userId>`)
// from /organization/info.
func (OrganizationMember) Read(ctx context.Context, req infer.ReadRequest[OrganizationMemberArgs, OrganizationMemberState]) (infer.ReadResponse[OrganizationMemberArgs, OrganizationMemberState], error) {
	e := getEnv(ctx)
	orgID, userID, ok := splitOrganizationMemberID(req.ID)
	if !ok {
		return infer.ReadResponse[OrganizationMemberArgs, OrganizationMemberState]{},
			fmt.Errorf("%q is not an organization membership ID: use <organization id>:<user id>", req.ID)
	}
	prior, importing := readPrior(req.Inputs, req.State.OrganizationMemberArgs, func(a OrganizationMemberArgs) bool { return len(objectOf(a)) == 0 })
	m, found, err := runRead(ctx, e, readOp[litellm.Organization]{
		target:    organizationMemberTarget(e, orgID, userID),
		id:        e.identity(),
		matches:   func(m litellm.Organization) bool { return organizationMemberMatches(m, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[OrganizationMemberArgs, OrganizationMemberState]{}, err
	}
	in, err := organizationMemberArgsFromServer(m, prior, importing)
	if err != nil {
		return infer.ReadResponse[OrganizationMemberArgs, OrganizationMemberState]{}, fmt.Errorf("membership %s: unexpected answer: %w", req.ID, err)
	}
	in.OrganizationID, in.UserID = orgID, userID
	return infer.ReadResponse[OrganizationMemberArgs, OrganizationMemberState]{ID: req.ID, Inputs: in,
		State: OrganizationMemberState{OrganizationMemberArgs: in, Writes: req.State.Writes}}, nil
}

// Update changes the role and the budget in place (adding the user again if
// the membership is gone).
func (OrganizationMember) Update(ctx context.Context, req infer.UpdateRequest[OrganizationMemberArgs, OrganizationMemberState]) (infer.UpdateResponse[OrganizationMemberState], error) {
	in, olds := req.Inputs, req.State.OrganizationMemberArgs
	state := OrganizationMemberState{OrganizationMemberArgs: in, Writes: req.State.Writes}
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(objectOf(olds), objectOf(in))) {
		return infer.UpdateResponse[OrganizationMemberState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.Organization]{
		patch: func(ctx context.Context) error {
			role, budget := organizationMemberPatch(olds.Role, olds.MaxBudgetInOrganization, in.Role, in.MaxBudgetInOrganization)
			return e.client.Organizations.UpdateMember(ctx, in.OrganizationID, in.UserID, role, budget)
		},
		resume:      organizationMemberCreateOp(e, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the user from the organization (the user stays); a
// membership that is already gone is fine.
func (OrganizationMember) Delete(ctx context.Context, req infer.DeleteRequest[OrganizationMemberState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	orgID, userID := req.State.OrganizationID, req.State.UserID
	if o, u, ok := splitOrganizationMemberID(req.ID); ok && (orgID == "" || userID == "") {
		orgID, userID = o, u
	}
	err := runDelete(ctx, e, deleteOp[litellm.Organization]{
		target:    organizationMemberTarget(e, orgID, userID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Organizations.DeleteMember(ctx, orgID, userID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- Check, Diff, Create, Read, Update, Delete: OrganizationMembers ----

// Check validates inputs at preview time.
func (OrganizationMembers) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[OrganizationMembersArgs], error) {
	in, failures := decodeInputs[OrganizationMembersArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[OrganizationMembersArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("organizationId", in.OrganizationID)
	if in.OrganizationID != "" {
		v.id("organizationId", in.OrganizationID)
	}
	seen := map[string]int{}
	for i, m := range in.Members {
		prefix := fmt.Sprintf("members[%d].", i)
		checkOrganizationMember(v, prefix, in.OrganizationID, m.UserID, m.Role, m.MaxBudgetInOrganization)
		if j, dup := seen[m.UserID]; dup && m.UserID != "" {
			v.fail(prefix+"userId", "user %q is listed twice (also members[%d])", m.UserID, j)
		}
		seen[m.UserID] = i
	}
	return infer.CheckResponse[OrganizationMembersArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: another organization is another set (replace); the members are
// changed in place, compared as a set.
func (OrganizationMembers) Diff(_ context.Context, req infer.DiffRequest[OrganizationMembersArgs, OrganizationMembersState]) (infer.DiffResponse, error) {
	olds, news := req.State.OrganizationMembersArgs, req.Inputs
	d := newDiffer()
	if olds.OrganizationID != news.OrganizationID {
		d.add("organizationId", p.UpdateReplace)
	}
	if !sameJSON(normalized(memberSet(olds.Members)), normalized(memberSet(news.Members))) {
		d.add("members", p.Update)
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create makes the organization's member set the listed one.
func (OrganizationMembers) Create(ctx context.Context, req infer.CreateRequest[OrganizationMembersArgs]) (infer.CreateResponse[OrganizationMembersState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[OrganizationMembersState]{ID: in.OrganizationID, Output: OrganizationMembersState{OrganizationMembersArgs: in}}, nil
	}
	e := getEnv(ctx)
	out, err := runCreate(ctx, e, organizationMembersCreateOp(e, in, false))
	return created(in.OrganizationID, OrganizationMembersState{OrganizationMembersArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the member set (or imports it by organization ID) from
// /organization/info: a missing member, another role and an extra member
// are drift.
func (OrganizationMembers) Read(ctx context.Context, req infer.ReadRequest[OrganizationMembersArgs, OrganizationMembersState]) (infer.ReadResponse[OrganizationMembersArgs, OrganizationMembersState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.OrganizationMembersArgs, func(a OrganizationMembersArgs) bool {
		return a.OrganizationID == "" && a.Members == nil
	})
	o, found, err := runRead(ctx, e, readOp[litellm.Organization]{
		target:    organizationMembersTarget(e, req.ID, !importing && len(prior.Members) > 0),
		id:        e.identity(),
		matches:   func(o litellm.Organization) bool { return organizationMembersMatches(o, prior.Members) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[OrganizationMembersArgs, OrganizationMembersState]{}, err
	}
	in := organizationMembersArgsFromServer(o, prior, importing)
	in.OrganizationID = req.ID
	return infer.ReadResponse[OrganizationMembersArgs, OrganizationMembersState]{ID: req.ID, Inputs: in,
		State: OrganizationMembersState{OrganizationMembersArgs: in, Writes: req.State.Writes}}, nil
}

// Update brings the organization's member set to the listed one: adds the
// missing members, changes roles, removes the members not listed, writes
// changed budgets.
func (OrganizationMembers) Update(ctx context.Context, req infer.UpdateRequest[OrganizationMembersArgs, OrganizationMembersState]) (infer.UpdateResponse[OrganizationMembersState], error) {
	in, olds := req.Inputs, req.State.OrganizationMembersArgs
	state := OrganizationMembersState{OrganizationMembersArgs: in, Writes: req.State.Writes}
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(normalized(memberSet(olds.Members)), normalized(memberSet(in.Members)))) {
		return infer.UpdateResponse[OrganizationMembersState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, updateOp[litellm.Organization]{
		patch: func(ctx context.Context) error {
			current, err := e.client.Organizations.Get(ctx, in.OrganizationID)
			if err != nil {
				return err
			}
			return syncOrganizationMembers(ctx, e, current, in.OrganizationID, olds.Members, in.Members)
		},
		resume:      organizationMembersCreateOp(e, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the listed members from the organization (any other
// member stays); members that are already gone are fine.
func (OrganizationMembers) Delete(ctx context.Context, req infer.DeleteRequest[OrganizationMembersState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	orgID := cmp.Or(req.State.OrganizationID, req.ID)
	err := runDelete(ctx, e, deleteOp[litellm.Organization]{
		target: organizationMembersTarget(e, orgID, false),
		id:     e.identity(),
		del: func(ctx context.Context) error {
			for _, m := range req.State.Members {
				if err := e.client.Organizations.DeleteMember(ctx, orgID, m.UserID); err != nil {
					return err
				}
			}
			return nil
		},
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// organizationMemberTarget: the membership, read from /organization/info (a
// user who is not a member is a miss). A membership has no mark.
func organizationMemberTarget(e env, orgID, userID string) target[litellm.Organization] {
	return target[litellm.Organization]{
		kind:     "organization member",
		objectID: organizationMemberID(orgID, userID),
		what:     fmt.Sprintf("membership of user %s in organization %s", userID, orgID),
		get: func(ctx context.Context) (litellm.Organization, error) {
			o, err := e.client.Organizations.Get(ctx, orgID)
			if err != nil {
				return nil, err
			}
			for _, m := range o.Members() {
				if m["user_id"] == userID {
					return m, nil
				}
			}
			return nil, &litellm.Error{Kind: litellm.KindNotFound, Op: "GET /organization/info", Status: 200,
				Message: fmt.Sprintf("user %s is not a member of organization %s", userID, orgID)}
		},
		markOf: func(litellm.Organization) (mark, bool) { return mark{}, false },
	}
}

// organizationMemberCreateOp adds the member, then sets its budget. A
// membership carries no ownership mark, so the provider cannot tell its
// own from anyone else's. LiteLLM answers "exists" (a unique violation)
// for a user who is a member already, and the create policy reads the
// membership: it is this resource's only if an add of this very call
// landed or may have (its answer was lost), or the stack's state already
// holds it (resume); otherwise it is someone else's (a conflict unless
// adoptExisting). The member's budget cannot be read back, so a membership
// found that way always gets it written.
func organizationMemberCreateOp(e env, in OrganizationMemberArgs, resume bool) createOp[litellm.Organization] {
	me := e.identity().attempting()
	t := organizationMemberTarget(e, in.OrganizationID, in.UserID)
	added := false // an add of this call landed, or may have
	t.markOf = func(litellm.Organization) (mark, bool) {
		if added || resume {
			return me.mark(), true
		}
		return mark{}, false
	}
	writeBudget := func(ctx context.Context) error {
		if in.MaxBudgetInOrganization == nil {
			return nil
		}
		err := e.client.Organizations.UpdateMember(ctx, in.OrganizationID, in.UserID, nil, in.MaxBudgetInOrganization)
		if litellm.IsNotFound(err) {
			// member_update's read lags the add just made.
			return notYet(fmt.Sprintf("the membership of user %s in organization %s is not readable yet", in.UserID, in.OrganizationID))
		}
		return err
	}
	return createOp[litellm.Organization]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error {
			err := e.client.Organizations.AddMembers(ctx, in.OrganizationID, []litellm.OrganizationMember{{UserID: in.UserID, Role: in.Role}})
			if err == nil || litellm.IsAmbiguous(err) {
				added = true
			}
			if err != nil {
				return err
			}
			return writeBudget(ctx)
		},
		del: func(ctx context.Context) error {
			return e.client.Organizations.DeleteMember(ctx, in.OrganizationID, in.UserID)
		},
		adopt: func(ctx context.Context) error {
			role := in.Role
			return e.client.Organizations.UpdateMember(ctx, in.OrganizationID, in.UserID, &role, in.MaxBudgetInOrganization)
		},
		matches: func(m litellm.Organization) bool {
			return in.MaxBudgetInOrganization == nil && organizationMemberMatches(m, in)
		},
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("a membership carries no ownership mark, so one that exists already is never taken "+
			"over: import it (pulumi import litellm:index:OrganizationMember <name> %s) or set adoptExisting: true",
			organizationMemberID(in.OrganizationID, in.UserID)),
		// The organization created just before (in the same run) may not be
		// readable yet on a lagging replica: member_add's "organization not
		// found" means "not yet" within the settle time.
		retryable: litellm.IsNotFound,
	}
}

// organizationMemberPatch is the update's role and budget: each only when
// it changed (a removed budget is left as it is: LiteLLM ignores a null).
func organizationMemberPatch(oldRole string, oldBudget *float64, newRole string, newBudget *float64) (*string, *float64) {
	var role *string
	var budget *float64
	if oldRole != newRole {
		role = &newRole
	}
	if newBudget != nil && (oldBudget == nil || *oldBudget != *newBudget) {
		budget = newBudget
	}
	if role == nil && budget == nil {
		role = &newRole // nothing else changed: rewrite the role, which also tells whether the membership is there
	}
	return role, budget
}

// organizationMemberFromServer is the membership as the inputs see it.
func organizationMemberFromServer(m litellm.Organization) object {
	obj := object{}
	for k, v := range m {
		if organizationMemberReadable(k) {
			obj[k] = v
		}
	}
	return obj
}

// organizationMemberMatches: the server shows the configured role.
func organizationMemberMatches(m litellm.Organization, in OrganizationMemberArgs) bool {
	return shows(organizationMemberFromServer(m), objectOf(in), organizationMemberWriteOnly)
}

// organizationMemberArgsFromServer rebuilds inputs: the role from the
// proxy; the budget and adoptExisting as configured.
func organizationMemberArgsFromServer(m litellm.Organization, prior OrganizationMemberArgs, importing bool) (OrganizationMemberArgs, error) {
	server := organizationMemberFromServer(m)
	var obj object
	if importing {
		obj, _ = adoptFields(server, organizationMemberWriteOnly)
	} else {
		obj = ownedFields(server, objectOf(prior), organizationMemberWriteOnly)
	}
	var out OrganizationMemberArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.MaxBudgetInOrganization, out.AdoptExisting = prior.MaxBudgetInOrganization, prior.AdoptExisting
	return out, nil
}

// organizationMembersTarget: the organization, whose members are the set.
// emptyIsGone: an organization without any member holds no set (a refresh
// of a set that had members).
func organizationMembersTarget(e env, orgID string, emptyIsGone bool) target[litellm.Organization] {
	return target[litellm.Organization]{
		kind:     "organization members",
		objectID: orgID,
		what:     "members of organization " + orgID,
		get: func(ctx context.Context) (litellm.Organization, error) {
			o, err := e.client.Organizations.Get(ctx, orgID)
			if err == nil && emptyIsGone && len(o.Members()) == 0 {
				return nil, &litellm.Error{Kind: litellm.KindNotFound, Op: "GET /organization/info", Status: 200,
					Message: fmt.Sprintf("organization %s has no members", orgID)}
			}
			return o, err
		},
		markOf: func(litellm.Organization) (mark, bool) { return mark{}, false },
	}
}

// organizationMembersCreateOp: the create reads the organization; as for
// one membership (organizationMemberCreateOp), a member that is there
// before the set's first write is someone else's, and the create fails
// naming them unless adoptExisting, which takes them over (listed ones get
// their role, the others are removed). Then it adds the missing members.
// When an earlier attempt's outcome is unknown, the create policy reads
// first: after this call's first write, or when the stack's state holds the
// set (resume), the set is this resource's and is completed.
func organizationMembersCreateOp(e env, in OrganizationMembersArgs, resume bool) createOp[litellm.Organization] {
	me := e.identity().attempting()
	hint := fmt.Sprintf("members carry no ownership mark, so members that exist already are never taken over: list "+
		"and import the set (pulumi import litellm:index:OrganizationMembers <name> %s), or set adoptExisting: true "+
		"to take them over (members not listed are removed)", in.OrganizationID)
	t := organizationMembersTarget(e, in.OrganizationID, false)
	wrote := false // this call has written (or may have)
	t.markOf = func(litellm.Organization) (mark, bool) {
		if wrote || resume {
			return me.mark(), true
		}
		return mark{}, false
	}
	return createOp[litellm.Organization]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error {
			current, err := e.client.Organizations.Get(ctx, in.OrganizationID)
			if err != nil {
				return err
			}
			if present := slices.Sorted(maps.Keys(serverMembers(current))); !wrote && !resume && len(present) > 0 {
				if !deref(in.AdoptExisting) {
					return &conflictError{fmt.Sprintf("organization %s has members already (%s); they are not taken over: %s",
						in.OrganizationID, strings.Join(present, ", "), hint)}
				}
				e.warnf(ctx, "adoptExisting: taking over the members of organization %s (%s); those not listed are removed",
					in.OrganizationID, strings.Join(present, ", "))
			}
			wrote = true
			return syncOrganizationMembers(ctx, e, current, in.OrganizationID, nil, in.Members)
		},
		del: func(ctx context.Context) error {
			for _, m := range in.Members {
				if err := e.client.Organizations.DeleteMember(ctx, in.OrganizationID, m.UserID); err != nil {
					return err
				}
			}
			return nil
		},
		adopt: func(ctx context.Context) error {
			current, err := e.client.Organizations.Get(ctx, in.OrganizationID)
			if err != nil {
				return err
			}
			return syncOrganizationMembers(ctx, e, current, in.OrganizationID, nil, in.Members)
		},
		matches: func(o litellm.Organization) bool {
			for _, m := range in.Members {
				if m.MaxBudgetInOrganization != nil {
					return false // budgets cannot be read back: write them
				}
			}
			return organizationMembersMatches(o, in.Members)
		},
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint:  hint,
		retryable:     litellm.IsNotFound, // the organization, created just before, may not be readable yet
	}
}

// serverMembers maps the organization's members to their roles.
func serverMembers(o litellm.Organization) map[string]string {
	out := map[string]string{}
	for _, m := range o.Members() {
		role, _ := m["user_role"].(string)
		out[m["user_id"].(string)] = role
	}
	return out
}

// memberSet is a member list as a set: user → {role, budget}.
func memberSet(ms []OrganizationMemberEntry) map[string]OrganizationMemberEntry {
	out := make(map[string]OrganizationMemberEntry, len(ms))
	for _, m := range ms {
		out[m.UserID] = m
	}
	return out
}

// organizationMembersMatches: the organization's members are exactly want,
// with their roles.
func organizationMembersMatches(o litellm.Organization, want []OrganizationMemberEntry) bool {
	have := serverMembers(o)
	if len(have) != len(memberSet(want)) {
		return false
	}
	for _, m := range want {
		if role, ok := have[m.UserID]; !ok || role != m.Role {
			return false
		}
	}
	return true
}

// syncOrganizationMembers makes current's member set news: adds the missing
// members, changes roles, removes the members news does not list, and
// writes the budgets that changed since olds (every budget of a member it
// adds). Nothing is sent for a member that is as wanted. LiteLLM checks
// member_update against a database read, which may lag the add just made
// (or a read that lagged may have missed a member): a membership
// member_update does not find yet is "not yet", and a member that member_add
// says is one already gets its role written.
func syncOrganizationMembers(ctx context.Context, e env, current litellm.Organization, orgID string, olds, news []OrganizationMemberEntry) error {
	have, oldSet := serverMembers(current), memberSet(olds)
	var add []litellm.OrganizationMember
	for _, m := range news {
		if _, ok := have[m.UserID]; !ok {
			add = append(add, litellm.OrganizationMember{UserID: m.UserID, Role: m.Role})
		}
	}
	already := map[string]bool{} // member_add says they are members: their role is not known
	if len(add) > 0 {
		err := e.client.Organizations.AddMembers(ctx, orgID, add)
		if litellm.IsConflict(err) {
			// LiteLLM stops at the first user who is a member already: add
			// them one by one.
			for _, m := range add {
				switch err := e.client.Organizations.AddMembers(ctx, orgID, []litellm.OrganizationMember{m}); {
				case litellm.IsConflict(err):
					already[m.UserID] = true
				case err != nil:
					return err
				}
			}
		} else if err != nil {
			return err
		}
	}
	for _, m := range news {
		role, present := have[m.UserID]
		var newRole *string
		if (present && role != m.Role) || already[m.UserID] {
			newRole = &m.Role
		}
		var budget *float64
		if old, ok := oldSet[m.UserID]; m.MaxBudgetInOrganization != nil && (!present || !ok || old.MaxBudgetInOrganization == nil ||
			*old.MaxBudgetInOrganization != *m.MaxBudgetInOrganization) {
			budget = m.MaxBudgetInOrganization
		}
		if newRole == nil && budget == nil {
			continue
		}
		switch err := e.client.Organizations.UpdateMember(ctx, orgID, m.UserID, newRole, budget); {
		case litellm.IsNotFound(err):
			return notYet(fmt.Sprintf("the membership of user %s in organization %s is not readable yet", m.UserID, orgID))
		case err != nil:
			return err
		}
	}
	want := memberSet(news)
	for _, user := range slices.Sorted(maps.Keys(have)) {
		if _, ok := want[user]; !ok {
			if err := e.client.Organizations.DeleteMember(ctx, orgID, user); err != nil {
				return err
			}
		}
	}
	return nil
}

// organizationMembersArgsFromServer rebuilds the members: on refresh the
// listed ones still present, in their order and with the proxy's role (and
// the configured budget), then the extra ones sorted by user; on import
// every member sorted by user.
func organizationMembersArgsFromServer(o litellm.Organization, prior OrganizationMembersArgs, importing bool) OrganizationMembersArgs {
	have := serverMembers(o)
	members := []OrganizationMemberEntry{}
	listed := map[string]bool{}
	if !importing {
		for _, m := range prior.Members {
			if role, ok := have[m.UserID]; ok {
				m.Role = role
				members = append(members, m)
				listed[m.UserID] = true
			}
		}
	}
	for _, user := range slices.Sorted(maps.Keys(have)) {
		if !listed[user] {
			members = append(members, OrganizationMemberEntry{UserID: user, Role: have[user]})
		}
	}
	return OrganizationMembersArgs{Members: members, AdoptExisting: prior.AdoptExisting}
}
