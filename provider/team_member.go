package provider

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// TeamMember is one membership of a LiteLLM team (`/team/member_add`),
// token litellm:index:TeamMember; TeamMembers is the whole member set one
// resource manages of a team, token litellm:index:TeamMembers.
type TeamMember struct{}

// TeamMemberArgs are the inputs of a TeamMember.
type TeamMemberArgs struct {
	TeamID          string   `pulumi:"teamId" litellm:"-"`
	UserID          string   `pulumi:"userId" litellm:"user_id"`
	UserEmail       *string  `pulumi:"userEmail,optional" litellm:"user_email,omitzero"`
	Role            *string  `pulumi:"role,optional" litellm:"role,omitzero"`
	MaxBudgetInTeam *float64 `pulumi:"maxBudgetInTeam,optional" litellm:"max_budget_in_team,omitzero"`
	AdoptExisting   *bool    `pulumi:"adoptExisting,optional" litellm:"-"`
}

// TeamMemberState is the recorded state of a TeamMember.
type TeamMemberState struct {
	TeamMemberArgs
	Writes
}

// TeamMembers is the member set of one team.
type TeamMembers struct{}

// TeamMembersArgs are the inputs of a TeamMembers.
type TeamMembersArgs struct {
	TeamID        string              `pulumi:"teamId" litellm:"-"`
	Members       []TeamMembersMember `pulumi:"members" litellm:"-"`
	AdoptExisting *bool               `pulumi:"adoptExisting,optional" litellm:"-"`
}

// TeamMembersMember is one member of a TeamMembers.
type TeamMembersMember struct {
	UserID          string   `pulumi:"userId" litellm:"user_id"`
	UserEmail       *string  `pulumi:"userEmail,optional" litellm:"user_email,omitzero"`
	Role            *string  `pulumi:"role,optional" litellm:"role,omitzero"`
	MaxBudgetInTeam *float64 `pulumi:"maxBudgetInTeam,optional" litellm:"max_budget_in_team,omitzero"`
}

// TeamMembersState is the recorded state of a TeamMembers: Members are the
// members this resource manages.
type TeamMembersState struct {
	TeamMembersArgs
	Writes
}

var (
	_ infer.CustomResource[TeamMemberArgs, TeamMemberState] = (*TeamMember)(nil)
	_ infer.CustomCheck[TeamMemberArgs]                     = (*TeamMember)(nil)
	_ infer.CustomDiff[TeamMemberArgs, TeamMemberState]     = (*TeamMember)(nil)
	_ infer.CustomRead[TeamMemberArgs, TeamMemberState]     = (*TeamMember)(nil)
	_ infer.CustomUpdate[TeamMemberArgs, TeamMemberState]   = (*TeamMember)(nil)
	_ infer.CustomDelete[TeamMemberState]                   = (*TeamMember)(nil)
	_ infer.Annotated                                       = (*TeamMember)(nil)

	_ infer.CustomResource[TeamMembersArgs, TeamMembersState] = (*TeamMembers)(nil)
	_ infer.CustomCheck[TeamMembersArgs]                      = (*TeamMembers)(nil)
	_ infer.CustomDiff[TeamMembersArgs, TeamMembersState]     = (*TeamMembers)(nil)
	_ infer.CustomRead[TeamMembersArgs, TeamMembersState]     = (*TeamMembers)(nil)
	_ infer.CustomUpdate[TeamMembersArgs, TeamMembersState]   = (*TeamMembers)(nil)
	_ infer.CustomDelete[TeamMembersState]                    = (*TeamMembers)(nil)
	_ infer.Annotated                                         = (*TeamMembers)(nil)
)

func teamMemberKind() kind {
	return kind{
		token:    "litellm:index:TeamMember",
		resource: infer.Resource(&TeamMember{}),
		check:    typedCheck(TeamMember{}.Check),
		diff:     typedDiff(TeamMember{}.Diff),
		read:     typedRead(TeamMember{}.Read),
		state:    reflect.TypeFor[TeamMemberState](),
	}
}

func teamMembersKind() kind {
	return kind{
		token:    "litellm:index:TeamMembers",
		resource: infer.Resource(&TeamMembers{}),
		check:    typedCheck(TeamMembers{}.Check),
		diff:     typedDiff(TeamMembers{}.Diff),
		read:     typedRead(TeamMembers{}.Read),
		state:    reflect.TypeFor[TeamMembersState](),
	}
}

// Annotate documents the resource.
func (m *TeamMember) Annotate(a infer.Annotator) {
	a.SetToken("index", "TeamMember")
	if !documenting() {
		return
	}
	a.Describe(m, "One member of a LiteLLM team (`POST /team/member_add`): the user's role in the team and its budget "+
		"there. A `userId` that is no user yet is created by LiteLLM with the membership (and stays when the "+
		"membership is deleted). The membership is read back from `/team/info`, so a member removed outside Pulumi is "+
		"seen on refresh and added again by the next update.\n\n"+
		"LiteLLM keeps no mark on a membership, so the provider cannot tell its own memberships from others'. A user "+
		"who is already a member when this resource is created is never taken over silently: the create fails unless "+
		"`adoptExisting` is set. Only an add of this resource whose answer was lost (or whose outcome the state records "+
		"as unknown) makes an existing membership this resource's.\n\n"+
		"The resource ID is `<teamId>:<userId>`; import with `pulumi import litellm:index:TeamMember <name> "+
		"<teamId>:<userId>`.")
}

// Annotate documents the inputs.
func (m *TeamMemberArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeMemberFields(a, &m.UserID, &m.UserEmail, &m.Role, &m.MaxBudgetInTeam)
	a.Describe(&m.TeamID, "The team. Changing it replaces the membership. It must not contain `:` (the resource ID is "+
		"`<teamId>:<userId>`).")
	a.Describe(&m.AdoptExisting, "If the user is already a member of the team when this resource is created, take the "+
		"membership over (and set the role and budget given here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (m *TeamMemberState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &m.Writes)
}

// Annotate documents the resource.
func (m *TeamMembers) Annotate(a infer.Annotator) {
	a.SetToken("index", "TeamMembers")
	if !documenting() {
		return
	}
	a.Describe(m, "The members of one LiteLLM team that this resource manages (`/team/member_add`, "+
		"`/team/member_update`, `/team/member_delete`): it adds the listed users that are missing, brings their role "+
		"and budget up to date, and removes the users it listed before and lists no more. Members it never listed are "+
		"left alone and are never drift: the proxy admin LiteLLM adds to every team it creates (`default_user_id`), "+
		"members added in the admin UI or by `TeamMember` resources. Deleting the resource removes exactly the members "+
		"it manages.\n\n"+
		"A listed user who is already a member when the resource first adds it is not taken over unless "+
		"`adoptExisting` is set (LiteLLM keeps no mark on a membership). Memberships are read back from `/team/info`: "+
		"a member removed outside Pulumi leaves the list on refresh and is added again by the next update.\n\n"+
		"The resource ID is the team ID; import with `pulumi import litellm:index:TeamMembers <name> <teamId>` (every "+
		"member except `default_user_id`).")
}

// Annotate documents the inputs.
func (m *TeamMembersArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.TeamID, "The team. Changing it replaces the resource (the members leave the old team and join the "+
		"new one).")
	a.Describe(&m.Members, "The members this resource manages, each by `userId` (at most once). The order does not "+
		"matter. `default_user_id` (the proxy admin LiteLLM adds to every team) cannot be listed.")
	a.Describe(&m.AdoptExisting, "If a listed user is already a member of the team when this resource adds it, take the "+
		"membership over (and set the role and budget given here) instead of failing. Default false.")
}

// Annotate documents a member.
func (m *TeamMembersMember) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeMemberFields(a, &m.UserID, &m.UserEmail, &m.Role, &m.MaxBudgetInTeam)
}

// Annotate documents the outputs.
func (m *TeamMembersState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &m.Writes)
}

func describeMemberFields(a infer.Annotator, userID *string, email, role **string, budget **float64) {
	a.Describe(userID, "The member's user ID. A user ID that is no user of the proxy yet is created by LiteLLM with "+
		"the membership. Changing it replaces the membership.")
	a.Describe(email, "The member's e-mail, kept by LiteLLM in the team's member list next to the user ID (it does not "+
		"change the user). Changing it replaces the membership.")
	a.Describe(role, "The member's role in the team: `user` (the default) or `admin`. LiteLLM allows `admin` only "+
		"with an Enterprise licence.")
	a.Describe(budget, "The member's budget in the team, in USD. Unset: none is set by this resource (LiteLLM gives a "+
		"new member a copy of the team's default member budget, when the team has one); it is never sent as 0, which "+
		"would be a $0 budget. Removing it clears the member's budget on proxies that allow it (older ones keep it).")
}

// ---- the kind's rules ----

// defaultRole is LiteLLM's team role of a member whose role is unset here.
const defaultRole = "user"

var memberRoles = []string{"admin", "user"}

// proxyAdminUser is the user LiteLLM adds as an admin to every team created
// with the master key (the caller's user_id): never managed by TeamMembers.
const proxyAdminUser = "default_user_id"

// memberWant is what a resource wants of one member: role and e-mail, and
// its budget when it sets one (clear: it set one before and no more).
type memberWant struct {
	userID string
	email  *string
	role   string
	budget *float64
	clear  bool
}

func wantOf(userID string, email, role *string, budget *float64) memberWant {
	r := deref(role)
	if r == "" {
		r = defaultRole
	}
	return memberWant{userID: userID, email: email, role: r, budget: budget}
}

// change is the member_add / member_update body of a want.
func (w memberWant) change() litellm.MemberChange {
	return litellm.MemberChange{Member: litellm.Member{UserID: w.userID, UserEmail: deref(w.email), Role: w.role},
		MaxBudget: w.budget, ClearBudget: w.clear}
}

// shownBy: the membership shows what this resource wants (a budget it does
// not set is not compared).
func (w memberWant) shownBy(m litellm.Membership) bool {
	if m.Role != w.role || (w.email != nil && m.UserEmail != *w.email) {
		return false
	}
	return w.budget == nil || sameBudget(m.MaxBudget(), w.budget)
}

// same: two wants write the same on the proxy.
func (w memberWant) same(o memberWant) bool {
	return w.userID == o.userID && deref(w.email) == deref(o.email) && w.role == o.role && sameBudget(w.budget, o.budget)
}

func sameBudget(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b || math.Abs(*a-*b) <= 1e-9*math.Max(math.Abs(*a), math.Abs(*b))
}

// withClear marks a want whose budget this resource set before and sets no
// more: the update sends max_budget_in_team: null.
func withClear(w memberWant, old memberWant) memberWant {
	w.clear = w.budget == nil && old.budget != nil
	return w
}

// memberID is a TeamMember's resource ID, the Terraform providers' format.
func memberID(teamID, userID string) string { return teamID + ":" + userID }

func splitMemberID(id string) (teamID, userID string, ok bool) {
	teamID, userID, ok = strings.Cut(id, ":")
	return teamID, userID, ok && teamID != "" && userID != ""
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's member object (jsonmap.go).
func (m TeamMemberArgs) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *TeamMemberArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

func (m TeamMembersMember) MarshalJSON() ([]byte, error) { return marshalWire(m, nil) }

func (m *TeamMembersMember) UnmarshalJSON(b []byte) error { return unmarshalWire(b, m, nil) }

// checkMember validates one member's fields under the property prefix.
func checkMember(v *checker, prefix, userID string, email, role *string, budget *float64) {
	if strings.TrimSpace(userID) == "" {
		v.fail(prefix+"userId", "must not be empty")
	} else if userID != strings.TrimSpace(userID) || strings.ContainsAny(userID, "\r\n") {
		v.fail(prefix+"userId", "must not start or end with spaces or contain line breaks, got %q", userID)
	}
	if email != nil && strings.TrimSpace(*email) == "" {
		v.fail(prefix+"userEmail", "must not be empty (leave it unset instead)")
	}
	v.oneOf(prefix+"role", role, memberRoles)
	v.nonNegative(prefix+"maxBudgetInTeam", budget)
}

func checkTeamID(v *checker, teamID string) {
	v.id("teamId", teamID)
	if strings.Contains(teamID, ":") {
		v.fail("teamId", "must not contain ':' (a membership's ID is <teamId>:<userId>), got %q", teamID)
	}
}

// ---- TeamMember: Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (TeamMember) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TeamMemberArgs], error) {
	in, failures := decodeInputs[TeamMemberArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[TeamMemberArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	checkTeamID(v, in.TeamID)
	checkMember(v, "", in.UserID, in.UserEmail, in.Role, in.MaxBudgetInTeam)
	return infer.CheckResponse[TeamMemberArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: the role and budget change in place; another team, user or e-mail
// is another membership (replaced; delete first when the ID stays).
func (TeamMember) Diff(_ context.Context, req infer.DiffRequest[TeamMemberArgs, TeamMemberState]) (infer.DiffResponse, error) {
	olds, news := req.State.TeamMemberArgs, req.Inputs
	d := newDiffer()
	for _, f := range []struct{ prop, old, new string }{{"teamId", olds.TeamID, news.TeamID}, {"userId", olds.UserID, news.UserID}} {
		switch {
		case f.new == "": // not known yet (preview): diffed for real once known
			d.add(f.prop, p.Update)
		case f.old != f.new:
			d.add(f.prop, p.UpdateReplace)
		}
	}
	if deref(olds.UserEmail) != deref(news.UserEmail) {
		d.add("userEmail", p.UpdateReplace)
	}
	ow, nw := teamMemberWant(olds), teamMemberWant(news)
	d.local("role", ow.role != nw.role)
	switch {
	case nw.budget == nil && ow.budget != nil:
		d.add("maxBudgetInTeam", p.Delete)
	case !sameBudget(ow.budget, nw.budget):
		d.add("maxBudgetInTeam", p.Update)
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(memberID(olds.TeamID, olds.UserID) == memberID(news.TeamID, news.UserID)), nil
}

// Create adds the user to the team (memberCreateOp says when an existing
// membership is this resource's).
func (TeamMember) Create(ctx context.Context, req infer.CreateRequest[TeamMemberArgs]) (infer.CreateResponse[TeamMemberState], error) {
	in := req.Inputs
	id := memberID(in.TeamID, in.UserID)
	if req.DryRun {
		return infer.CreateResponse[TeamMemberState]{ID: id, Output: TeamMemberState{TeamMemberArgs: in}}, nil
	}
	e := getEnv(ctx)
	out, err := runCreate(ctx, e, memberCreateOp(e, in.TeamID, teamMemberWant(in), memberOpts{adoptExisting: deref(in.AdoptExisting)}))
	return created(id, TeamMemberState{TeamMemberArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the membership from /team/info (or imports it by
// `<teamId>:<userId>`).
func (TeamMember) Read(ctx context.Context, req infer.ReadRequest[TeamMemberArgs, TeamMemberState]) (infer.ReadResponse[TeamMemberArgs, TeamMemberState], error) {
	e := getEnv(ctx)
	teamID, userID, ok := splitMemberID(req.ID)
	if !ok {
		return infer.ReadResponse[TeamMemberArgs, TeamMemberState]{}, fmt.Errorf("team member ID %q: want <teamId>:<userId>", req.ID)
	}
	prior, importing := readPrior(req.Inputs, req.State.TeamMemberArgs, func(a TeamMemberArgs) bool { return a.TeamID == "" && a.UserID == "" })
	w := teamMemberWant(prior)
	m, found, err := runRead(ctx, e, readOp[litellm.Membership]{
		target:    memberTarget(e, teamID, userID),
		id:        e.identity(),
		matches:   w.shownBy,
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[TeamMemberArgs, TeamMemberState]{}, err
	}
	in, err := teamMemberArgsFromServer(teamID, m, prior, importing)
	if err != nil {
		return infer.ReadResponse[TeamMemberArgs, TeamMemberState]{}, fmt.Errorf("team member %s: unexpected answer: %w", req.ID, err)
	}
	return infer.ReadResponse[TeamMemberArgs, TeamMemberState]{ID: req.ID, Inputs: in,
		State: TeamMemberState{TeamMemberArgs: in, Writes: req.State.Writes}}, nil
}

// Update writes the role and budget (adding the user again if the
// membership is gone).
func (TeamMember) Update(ctx context.Context, req infer.UpdateRequest[TeamMemberArgs, TeamMemberState]) (infer.UpdateResponse[TeamMemberState], error) {
	in, olds := req.Inputs, req.State.TeamMemberArgs
	state := TeamMemberState{TeamMemberArgs: in, Writes: req.State.Writes}
	w := withClear(teamMemberWant(in), teamMemberWant(olds))
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && w.same(teamMemberWant(olds)) && !w.clear) {
		return infer.UpdateResponse[TeamMemberState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	out, err := runUpdate(ctx, e, memberUpdateOp(e, in.TeamID, w, deref(in.AdoptExisting), unconfirmed, req.State.writtenAt()))
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the user from the team; a membership (or a team) that is
// already gone is fine.
func (TeamMember) Delete(ctx context.Context, req infer.DeleteRequest[TeamMemberState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	teamID, userID := req.State.TeamID, req.State.UserID
	if teamID == "" || userID == "" {
		teamID, userID, _ = splitMemberID(req.ID)
	}
	return infer.DeleteResponse{}, runDelete(ctx, e, memberDeleteOp(e, teamID, userID, req.State.writtenAt()))
}

// ---- TeamMembers: Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (TeamMembers) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TeamMembersArgs], error) {
	in, failures := decodeInputs[TeamMembersArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[TeamMembersArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	checkTeamID(v, in.TeamID)
	seen := map[string]int{}
	for i, m := range in.Members {
		prefix := fmt.Sprintf("members[%d].", i)
		checkMember(v, prefix, m.UserID, m.UserEmail, m.Role, m.MaxBudgetInTeam)
		if m.UserID == proxyAdminUser {
			v.fail(prefix+"userId", "%q is the proxy admin LiteLLM adds to every team it creates; it is left alone "+
				"and cannot be listed", proxyAdminUser)
		}
		if j, dup := seen[m.UserID]; dup && m.UserID != "" {
			v.fail(prefix+"userId", "%q is listed twice (also members[%d])", m.UserID, j)
		}
		seen[m.UserID] = i
	}
	return infer.CheckResponse[TeamMembersArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: members change in place; another team replaces the resource.
func (TeamMembers) Diff(_ context.Context, req infer.DiffRequest[TeamMembersArgs, TeamMembersState]) (infer.DiffResponse, error) {
	olds, news := req.State.TeamMembersArgs, req.Inputs
	d := newDiffer()
	switch {
	case news.TeamID == "": // not known yet (preview)
		d.add("teamId", p.Update)
	case olds.TeamID != news.TeamID:
		d.add("teamId", p.UpdateReplace)
	}
	ow, nw := membersWants(olds), membersWants(news)
	for i, w := range nw {
		if o, ok := findWant(ow, w.userID); !ok || !o.same(w) || !slices.Equal(memberProps(olds, w.userID), memberProps(news, w.userID)) {
			d.add(fmt.Sprintf("members[%d]", i), p.Update)
		}
	}
	for _, o := range ow {
		if _, ok := findWant(nw, o.userID); !ok {
			d.add("members", p.Update)
		}
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create adds every listed member. Listed users who are members already
// fail the create (before anything is written) unless adoptExisting.
func (TeamMembers) Create(ctx context.Context, req infer.CreateRequest[TeamMembersArgs]) (infer.CreateResponse[TeamMembersState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[TeamMembersState]{ID: in.TeamID, Output: TeamMembersState{TeamMembersArgs: in}}, nil
	}
	e := getEnv(ctx)
	res := applyMembers(ctx, e, in, TeamMembersArgs{TeamID: in.TeamID}, false, memberOpts{adoptExisting: deref(in.AdoptExisting)}, time.Time{})
	state := TeamMembersState{TeamMembersArgs: res.recorded, Writes: stamp(e, res.outcome, res.err)}
	switch {
	case res.err == nil:
		return infer.CreateResponse[TeamMembersState]{ID: in.TeamID, Output: state}, nil
	case res.wrote:
		return infer.CreateResponse[TeamMembersState]{ID: in.TeamID, Output: state}, membersPartial(res.err)
	}
	return infer.CreateResponse[TeamMembersState]{}, res.err
}

// Read refreshes the managed members from /team/info (or imports every
// member of a team but the proxy admin).
func (TeamMembers) Read(ctx context.Context, req infer.ReadRequest[TeamMembersArgs, TeamMembersState]) (infer.ReadResponse[TeamMembersArgs, TeamMembersState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.TeamMembersArgs, func(a TeamMembersArgs) bool { return a.TeamID == "" && a.Members == nil })
	wants := membersWants(prior)
	t, found, err := runRead(ctx, e, readOp[litellm.TeamMembers]{
		target: teamMembersTarget(e, req.ID),
		id:     e.identity(),
		matches: func(t litellm.TeamMembers) bool {
			for _, w := range wants {
				if m, ok := t.Find(w.userID); !ok || !w.shownBy(m) {
					return false
				}
			}
			return true
		},
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[TeamMembersArgs, TeamMembersState]{}, err
	}
	in, err := teamMembersArgsFromServer(req.ID, t, prior, importing)
	if err != nil {
		return infer.ReadResponse[TeamMembersArgs, TeamMembersState]{}, fmt.Errorf("team %s members: unexpected answer: %w", req.ID, err)
	}
	return infer.ReadResponse[TeamMembersArgs, TeamMembersState]{ID: req.ID, Inputs: in,
		State: TeamMembersState{TeamMembersArgs: in, Writes: req.State.Writes}}, nil
}

// Update removes the members no more listed, adds the new ones and brings
// the changed ones up to date. After a failure the members changed so far
// are recorded, so that the next run finishes the change.
func (TeamMembers) Update(ctx context.Context, req infer.UpdateRequest[TeamMembersArgs, TeamMembersState]) (infer.UpdateResponse[TeamMembersState], error) {
	in, olds := req.Inputs, req.State.TeamMembersArgs
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameWants(membersWants(olds), membersWants(in))) {
		return infer.UpdateResponse[TeamMembersState]{Output: TeamMembersState{TeamMembersArgs: in, Writes: req.State.Writes}}, nil
	}
	e := getEnv(ctx)
	res := applyMembers(ctx, e, in, olds, unconfirmed, memberOpts{adoptExisting: deref(in.AdoptExisting)}, req.State.writtenAt())
	state := TeamMembersState{TeamMembersArgs: res.recorded, Writes: stamp(e, res.outcome, res.err)}
	switch {
	case res.err == nil:
		return infer.UpdateResponse[TeamMembersState]{Output: state}, nil
	case res.wrote:
		return infer.UpdateResponse[TeamMembersState]{Output: state}, membersPartial(res.err)
	}
	return infer.UpdateResponse[TeamMembersState]{}, res.err
}

// Delete removes exactly the members this resource manages; members that
// are gone (or a team that is gone) are fine.
func (TeamMembers) Delete(ctx context.Context, req infer.DeleteRequest[TeamMembersState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	s := req.State.TeamMembersArgs
	var errs []error
	for _, m := range s.Members {
		if err := runDelete(ctx, e, memberDeleteOp(e, s.TeamID, m.UserID, req.State.writtenAt())); err != nil {
			errs = append(errs, err)
		}
	}
	return infer.DeleteResponse{}, errors.Join(errs...)
}

// ---- mapping helpers ----

// memberTarget: one membership, read from /team/info. A membership carries
// no ownership mark (markOf is never "someone else's").
func memberTarget(e env, teamID, userID string) target[litellm.Membership] {
	return target[litellm.Membership]{
		kind:     "teammember",
		objectID: memberID(teamID, userID),
		what:     fmt.Sprintf("member %s of team %s", userID, teamID),
		get: func(ctx context.Context) (litellm.Membership, error) {
			t, err := e.client.Teams.Members(ctx, teamID)
			if err != nil {
				return litellm.Membership{}, err
			}
			m, ok := t.Find(userID)
			if !ok {
				return m, &litellm.Error{Kind: litellm.KindNotFound, Op: "GET /team/info", Status: 200,
					Message: fmt.Sprintf("user %s is not a member of team %s", userID, teamID)}
			}
			return m, nil
		},
		markOf: func(litellm.Membership) (mark, bool) { return mark{}, false },
	}
}

// teamMembersTarget: the member view of a team.
func teamMembersTarget(e env, teamID string) target[litellm.TeamMembers] {
	return target[litellm.TeamMembers]{
		kind:     "teammembers",
		objectID: teamID,
		what:     "members of team " + teamID,
		get:      func(ctx context.Context) (litellm.TeamMembers, error) { return e.client.Teams.Members(ctx, teamID) },
		markOf:   func(litellm.TeamMembers) (mark, bool) { return mark{}, false },
	}
}

// memberOpts: how a membership's create treats one that exists.
type memberOpts struct {
	adoptExisting bool
	// resume: the membership is this resource's in the stack's state (an
	// update adding it again, or settling an add whose outcome was unknown):
	// one that exists is this resource's.
	resume bool
	// checked: the caller read the team and found the user not a member, just
	// before this create (TeamMembers reads once for all its members).
	checked bool
}

// memberCreateOp adds one member through the create policy (runCreate).
// A membership has no ownership mark, so its mark is decided here, by the
// same rule runCreate applies to marked objects: a membership that exists
// is this resource's only if an add of this very call may have landed (its
// answer was lost, IsAmbiguous), or the state holds it (resume). Before its
// first add the create reads the team: a user who is a member already was
// added by someone else (before this resource existed, or by hand), and is
// a conflict unless adoptExisting.
func memberCreateOp(e env, teamID string, w memberWant, opts memberOpts) createOp[litellm.Membership] {
	me := e.identity().attempting()
	t := memberTarget(e, teamID, w.userID)
	var landed atomic.Bool // an add of this call may have landed
	checked := opts.checked || opts.resume
	t.markOf = func(litellm.Membership) (mark, bool) {
		if opts.resume || landed.Load() {
			return me.mark(), true
		}
		return mark{}, false
	}
	add := w
	add.clear = false
	return createOp[litellm.Membership]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error {
			if !checked {
				switch _, err := t.get(ctx); {
				case err == nil:
					return &litellm.Error{Kind: litellm.KindConflict, Op: "POST /team/member_add",
						Message: fmt.Sprintf("user %s is a member of team %s already", w.userID, teamID)}
				case !litellm.IsNotFound(err):
					return err
				}
				checked = true
			}
			err := e.client.Teams.AddMember(ctx, teamID, add.change())
			if litellm.IsAmbiguous(err) {
				landed.Store(true)
			}
			return err
		},
		del: func(ctx context.Context) error { return e.client.Teams.DeleteMember(ctx, teamID, w.userID) },
		adopt: func(ctx context.Context) error {
			return e.client.Teams.UpdateMember(ctx, teamID, w.change())
		},
		matches: w.shownBy,
		// A team created moments ago may not be visible yet to the add's
		// read (a lagging read replica): "no such team" means "not yet"
		// within the settle time.
		retryable:     litellm.IsNotFound,
		resume:        opts.resume,
		adoptExisting: opts.adoptExisting,
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:TeamMember <name> %s), or set adoptExisting: true",
			memberID(teamID, w.userID)),
	}
}

// memberUpdateOp writes a member's role and budget; a member that is gone
// is added again (resume).
func memberUpdateOp(e env, teamID string, w memberWant, adoptExisting, unconfirmed bool, writtenAt time.Time) updateOp[litellm.Membership] {
	t := memberTarget(e, teamID, w.userID)
	return updateOp[litellm.Membership]{
		patch: func(ctx context.Context) error {
			// member_update does not say when the user is no member (newest
			// proxies write its budget all the same): read first.
			if _, err := t.get(ctx); err != nil {
				return err
			}
			return e.client.Teams.UpdateMember(ctx, teamID, w.change())
		},
		resume:      memberCreateOp(e, teamID, w, memberOpts{adoptExisting: adoptExisting, resume: true}),
		unconfirmed: unconfirmed,
		writtenAt:   writtenAt,
	}
}

// memberDeleteOp removes one member. LiteLLM answers 400 both for a member
// that is gone and for other refusals, so a "not found" is believed only
// when /team/info confirms it.
func memberDeleteOp(e env, teamID, userID string, writtenAt time.Time) deleteOp[litellm.Membership] {
	t := memberTarget(e, teamID, userID)
	return deleteOp[litellm.Membership]{
		target: t,
		id:     e.identity(),
		del: func(ctx context.Context) error {
			err := e.client.Teams.DeleteMember(ctx, teamID, userID)
			if !litellm.IsNotFound(err) {
				return err
			}
			switch _, gerr := t.get(ctx); {
			case litellm.IsNotFound(gerr):
				return err // confirmed: not a member (or no team)
			case gerr != nil:
				return gerr
			}
			return notYet(fmt.Sprintf("the proxy says user %s is not in team %s, but /team/info still lists it", userID, teamID))
		},
		writtenAt: writtenAt,
	}
}

func teamMemberWant(a TeamMemberArgs) memberWant {
	return wantOf(a.UserID, a.UserEmail, a.Role, a.MaxBudgetInTeam)
}

func membersWants(a TeamMembersArgs) []memberWant {
	out := make([]memberWant, 0, len(a.Members))
	for _, m := range a.Members {
		out = append(out, wantOf(m.UserID, m.UserEmail, m.Role, m.MaxBudgetInTeam))
	}
	return out
}

func findWant(ws []memberWant, userID string) (memberWant, bool) {
	for _, w := range ws {
		if w.userID == userID {
			return w, true
		}
	}
	return memberWant{}, false
}

// sameWants: the two sets write the same on the proxy (order aside).
func sameWants(a, b []memberWant) bool {
	if len(a) != len(b) {
		return false
	}
	for _, w := range a {
		if o, ok := findWant(b, w.userID); !ok || !o.same(w) {
			return false
		}
	}
	return true
}

// memberProps is how one member is written in the inputs (a role written
// as `user` and left unset are the same on the proxy, not in the program).
func memberProps(a TeamMembersArgs, userID string) []string {
	for _, m := range a.Members {
		if m.UserID == userID {
			return []string{deref(m.Role), fmt.Sprint(m.MaxBudgetInTeam != nil)}
		}
	}
	return nil
}

// membersResult is what applyMembers did.
type membersResult struct {
	recorded TeamMembersArgs // the members that now belong to the resource
	outcome  createOutcome   // an add whose outcome is unknown: recorded, and settled by the next run
	wrote    bool            // something changed (or may have) on the proxy: the result is recorded
	err      error
}

// applyMembers brings the team's managed members from olds to news: removes
// the members olds lists and news does not, adds the new ones (after one
// read of the team: a listed user who is a member already is a conflict
// unless adoptExisting, and nothing is written then), and updates the
// changed ones. unconfirmed: olds' members were recorded while an add's
// outcome was unknown; each is settled (resume).
func applyMembers(ctx context.Context, e env, news, olds TeamMembersArgs, unconfirmed bool, opts memberOpts, writtenAt time.Time) membersResult {
	teamID := news.TeamID
	nw, ow := membersWants(news), membersWants(olds)
	res := membersResult{recorded: TeamMembersArgs{TeamID: teamID, AdoptExisting: news.AdoptExisting}}
	var added []memberWant
	for _, w := range nw {
		if _, ok := findWant(ow, w.userID); !ok {
			added = append(added, w)
		}
	}
	if len(added) > 0 {
		t, err := readTeamMembers(ctx, e, teamID)
		if err != nil {
			res.recorded.Members, res.err = olds.Members, err
			return res
		}
		var taken []string
		for _, w := range added {
			if _, ok := t.Find(w.userID); ok {
				taken = append(taken, w.userID)
			}
		}
		if len(taken) > 0 && !opts.adoptExisting {
			res.recorded.Members = olds.Members
			res.err = &conflictError{fmt.Sprintf("user(s) %s are members of team %s already and were not added by this "+
				"resource; they are not taken over: remove them from the list, manage them with TeamMember resources "+
				"(pulumi import litellm:index:TeamMember <name> %s:<userId>), or set adoptExisting: true",
				strings.Join(taken, ", "), teamID, teamID)}
			return res
		}
	}
	var errs []error
	record := func(userID string, from TeamMembersArgs) {
		for _, m := range from.Members {
			if m.UserID == userID {
				res.recorded.Members = append(res.recorded.Members, m)
				return
			}
		}
	}
	// Members no more listed.
	for _, o := range ow {
		if _, ok := findWant(nw, o.userID); ok {
			continue
		}
		if err := runDelete(ctx, e, memberDeleteOp(e, teamID, o.userID, writtenAt)); err != nil {
			errs = append(errs, err)
			record(o.userID, olds) // still this resource's: removed by the next run
		} else {
			res.wrote = true
		}
	}
	// Listed members.
	for _, w := range nw {
		o, had := findWant(ow, w.userID)
		var out createOutcome
		var err error
		switch {
		case !had:
			out, err = runCreate(ctx, e, memberCreateOp(e, teamID, w, memberOpts{adoptExisting: opts.adoptExisting, checked: true}))
		case unconfirmed || !o.same(w) || withClear(w, o).clear:
			out, err = runUpdate(ctx, e, memberUpdateOp(e, teamID, withClear(w, o), opts.adoptExisting, unconfirmed, writtenAt))
		}
		switch {
		case err == nil:
			record(w.userID, news)
			res.wrote = res.wrote || !had || !o.same(w) || unconfirmed
		case out.mayExist:
			res.outcome.mayExist, res.wrote = true, true
			record(w.userID, news) // may exist: this resource's, settled by the next run
		case had:
			record(w.userID, olds) // unchanged: the next run writes it again
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	res.err = errors.Join(errs...)
	return res
}

// readTeamMembers reads a team's members for a write (transient failures
// retried; a team that does not exist is an error).
func readTeamMembers(ctx context.Context, e env, teamID string) (litellm.TeamMembers, error) {
	var t litellm.TeamMembers
	start := e.now()
	err := consistency.Do(ctx, e.policy, "read of team "+teamID, func(ctx context.Context) error {
		var err error
		t, err = e.client.Teams.Members(ctx, teamID)
		if litellm.IsNotFound(err) && !e.settled(start) {
			return notYet("team " + teamID + " is not visible yet") // created moments ago, read from a lagging replica
		}
		return err
	}, e.progress())
	if litellm.IsNotFound(err) {
		return t, fmt.Errorf("team %s does not exist on the proxy: %w", teamID, err)
	}
	return t, err
}

// membersPartial is the error of a member change that failed part way: the
// members changed so far are recorded in the stack.
func membersPartial(err error) error {
	return infer.ResourceInitFailedError{Reasons: []string{
		err.Error() + "; the members changed so far are recorded in the stack, and the next `pulumi up` finishes the " +
			"change (it never adds a member twice)",
	}}
}

// memberFromServer is a membership as LiteLLM's member object.
func memberFromServer(m litellm.Membership) object {
	obj := object{"user_id": m.UserID, "role": m.Role}
	if m.UserEmail != "" {
		obj["user_email"] = m.UserEmail
	}
	if b := m.MaxBudget(); b != nil {
		obj["max_budget_in_team"] = *b
	}
	return obj
}

// memberFieldsFromServer rebuilds one member's inputs: on import every
// field the proxy shows but the default role; on refresh the fields the program sets, with the
// server's values (a budget the server no longer has is gone, a role left
// unset stays unset while it is LiteLLM's default).
func memberFieldsFromServer(m litellm.Membership, prior memberWant, priorRole *string, importing bool) (TeamMembersMember, error) {
	var out TeamMembersMember
	obj := memberFromServer(m)
	if !importing {
		if prior.email == nil {
			delete(obj, "user_email")
		}
		if prior.budget == nil {
			delete(obj, "max_budget_in_team")
		}
	}
	if priorRole == nil && m.Role == defaultRole {
		// LiteLLM's default: left unset on refresh while the program leaves
		// it unset, and on import (a program does not write the default).
		delete(obj, "role")
	}
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	return out, nil
}

// teamMemberArgsFromServer rebuilds a TeamMember's inputs.
func teamMemberArgsFromServer(teamID string, m litellm.Membership, prior TeamMemberArgs, importing bool) (TeamMemberArgs, error) {
	f, err := memberFieldsFromServer(m, teamMemberWant(prior), prior.Role, importing)
	if err != nil {
		return TeamMemberArgs{}, err
	}
	return TeamMemberArgs{TeamID: teamID, UserID: m.UserID, UserEmail: f.UserEmail, Role: f.Role,
		MaxBudgetInTeam: f.MaxBudgetInTeam, AdoptExisting: prior.AdoptExisting}, nil
}

// teamMembersArgsFromServer rebuilds a TeamMembers' inputs: on refresh the
// members it manages that are still members, in the program's order; on
// import every member except the proxy admin.
func teamMembersArgsFromServer(teamID string, t litellm.TeamMembers, prior TeamMembersArgs, importing bool) (TeamMembersArgs, error) {
	out := TeamMembersArgs{TeamID: teamID, AdoptExisting: prior.AdoptExisting, Members: []TeamMembersMember{}}
	if importing {
		for _, m := range t.Members {
			if m.UserID == proxyAdminUser {
				continue
			}
			f, err := memberFieldsFromServer(m, memberWant{}, nil, true)
			if err != nil {
				return out, err
			}
			out.Members = append(out.Members, f)
		}
		return out, nil
	}
	for _, pm := range prior.Members {
		m, ok := t.Find(pm.UserID)
		if !ok {
			continue // removed outside Pulumi: the next update adds it again
		}
		f, err := memberFieldsFromServer(m, wantOf(pm.UserID, pm.UserEmail, pm.Role, pm.MaxBudgetInTeam), pm.Role, false)
		if err != nil {
			return out, err
		}
		out.Members = append(out.Members, f)
	}
	return out, nil
}
