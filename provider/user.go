package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// User is a LiteLLM internal user (`/user/new`), token litellm:index:User.
type User struct{}

// UserArgs are the inputs of a User.
type UserArgs struct {
	UserID         *string        `pulumi:"userId,optional" litellm:"-"`
	UserEmail      *string        `pulumi:"userEmail,optional" litellm:"user_email,omitzero"`
	UserAlias      *string        `pulumi:"userAlias,optional" litellm:"user_alias,omitzero"`
	UserRole       *string        `pulumi:"userRole,optional" litellm:"user_role,omitzero"`
	Models         []string       `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget      *float64       `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	BudgetDuration *string        `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit       *int           `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit       *int           `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	Metadata       map[string]any `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	AdoptExisting  *bool          `pulumi:"adoptExisting,optional" litellm:"-"`
	AdoptByEmail   *bool          `pulumi:"adoptByEmail,optional" litellm:"-"`
}

// UserState is the recorded state of a User.
type UserState struct {
	UserArgs
	// UserID shadows the input: as an output it is always set.
	UserID string `pulumi:"userId"`
	Writes
	// Teams is read back, never written: memberships belong to teams.
	Teams []string `pulumi:"teams,optional"`
}

var (
	_ infer.CustomResource[UserArgs, UserState] = (*User)(nil)
	_ infer.CustomCheck[UserArgs]               = (*User)(nil)
	_ infer.CustomDiff[UserArgs, UserState]     = (*User)(nil)
	_ infer.CustomRead[UserArgs, UserState]     = (*User)(nil)
	_ infer.CustomUpdate[UserArgs, UserState]   = (*User)(nil)
	_ infer.CustomDelete[UserState]             = (*User)(nil)
	_ infer.Annotated                           = (*User)(nil)
)

func userKind() kind {
	return kind{
		token:    "litellm:index:User",
		resource: infer.Resource(&User{}),
		check:    typedCheck(User{}.Check),
		diff:     typedDiff(User{}.Diff),
		read:     typedRead(User{}.Read),
		freeForm: []string{"metadata"},
		state:    reflect.TypeFor[UserState](),
	}
}

// Annotate documents the resource.
func (u *User) Annotate(a infer.Annotator) {
	a.SetToken("index", "User")
	if !documenting() {
		return
	}
	a.Describe(u, "An internal user of a LiteLLM proxy (`POST /user/new`): its role, the models it may call, and its "+
		"budget and rate limits. The user ID is chosen by the provider (derived from the stack and the resource, so "+
		"that an interrupted create is found again) unless `userId` pins it, or `adoptByEmail` takes the ID of an "+
		"existing user with the same `userEmail`. No key is minted for the user (`auto_create_key: false`). Every "+
		"user carries an ownership mark (`metadata.pulumi`): one made by someone else is never taken over without "+
		"`adoptExisting` or `adoptByEmail`.\n\n"+
		"Deleting or replacing a user deletes its keys and memberships on the proxy (LiteLLM cascades), so changes "+
		"are made in place; only a new `userId` replaces the user. Team memberships are managed through teams; the "+
		"`teams` output shows them as the proxy reports them.\n\n"+
		"Import with `pulumi import litellm:index:User <name> <user id>`.")
}

// Annotate documents the inputs.
func (u *UserArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&u.UserID, "The user's ID. Leave it unset to let the provider choose one; set it when something outside "+
		"Pulumi refers to the user by ID (SSO, JWT claims, spend reports). Changing it replaces the user, which "+
		"deletes its keys on the proxy.")
	a.Describe(&u.UserEmail, "The user's e-mail. LiteLLM refuses a second user with the same e-mail "+
		"(case-insensitive); see `adoptByEmail`.")
	a.Describe(&u.UserAlias, "Display name of the user.")
	a.Describe(&u.UserRole, "The user's role: `proxy_admin`, `proxy_admin_viewer`, `internal_user` or "+
		"`internal_user_viewer`.")
	a.Describe(&u.Models, "Models (names or access groups) the user may call. Empty or unset: all models. LiteLLM's "+
		"update ignores an empty list, so removing the list leaves the proxy's as it is.")
	a.Describe(&u.MaxBudget, "Maximum spend of the user, in USD. Unset: no limit (never sent as 0); removing it "+
		"clears it on proxies that accept a null budget (older ones keep it).")
	a.Describe(&u.BudgetDuration, "How often the user's spend is reset, e.g. `30d`, `1mo`.")
	a.Describe(&u.TpmLimit, "Tokens per minute for the user.")
	a.Describe(&u.RpmLimit, "Requests per minute for the user.")
	a.Describe(&u.Metadata, "Free-form metadata; values may be any JSON (objects stay objects). The key `pulumi` is "+
		"the provider's ownership mark and is rejected here.")
	a.Describe(&u.AdoptExisting, "If a user with this ID already exists and was not created by this resource, take "+
		"it over (and overwrite the fields set here) instead of failing. Default false.")
	a.Describe(&u.AdoptByEmail, "If a user with this `userEmail` already exists (e.g. made by SSO sign-in or in the "+
		"admin UI), take it over under its own ID instead of creating one: its ID becomes this resource's ID and "+
		"the fields set here overwrite its own. Like `adoptExisting`, it takes over a user of another stack too. "+
		"Needs `userEmail`; with a pinned `userId`, the user found must have that ID. Used only when the user is "+
		"created. Default false.")
}

// Annotate documents the outputs.
func (u *UserState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &u.Writes)
	a.Describe(&u.Teams, "IDs of the teams the user is a member of, as the proxy reported them at the last "+
		"refresh or import (memberships are managed through teams, never by this resource).")
}

// ---- the kind's rules ----

// userServerFilled: keys of a user row that the proxy fills in (never
// imported, never compared). Memberships (teams, organisations) belong to
// the teams and organisations.
func userServerFilled(k string) bool {
	switch k {
	case "user_id", "spend", "budget_reset_at", "created_at", "updated_at", "teams", "organization_memberships",
		"model_spend", "model_max_budget", "object_permission_id", "object_permission", "password",
		"password_updated_at", "key_count", "metadata":
		return true
	}
	return false
}

// userMetadataServerFilled: metadata keys the provider sets by itself.
func userMetadataServerFilled(k string) bool { return k == markKey }

// userClearable: top-level fields that /user/update clears when sent as
// null. It drops every null, [] and {} it is sent except a null max_budget
// (_update_internal_user_params; older proxies drop that one too).
func userClearable(k string) bool { return k == "max_budget" }

var userRoles = []string{"proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's user object (jsonmap.go).
func (u UserArgs) MarshalJSON() ([]byte, error) { return marshalWire(u, nil) }

func (u *UserArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, u, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (User) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[UserArgs], error) {
	in, failures := decodeInputs[UserArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[UserArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.UserID != nil {
		v.id("userId", *in.UserID)
	}
	if in.UserEmail != nil {
		v.require("userEmail", *in.UserEmail)
	}
	if deref(in.AdoptByEmail) && strings.TrimSpace(deref(in.UserEmail)) == "" && !unknown(req.NewInputs, "userEmail") {
		v.fail("adoptByEmail", "needs userEmail: it looks the existing user up by its e-mail")
	}
	v.oneOf("userRole", in.UserRole, userRoles)
	v.nonNegative("maxBudget", in.MaxBudget)
	v.nonNegativeInt("tpmLimit", in.TpmLimit)
	v.nonNegativeInt("rpmLimit", in.RpmLimit)
	if in.BudgetDuration != nil {
		v.duration("budgetDuration", *in.BudgetDuration)
	}
	if _, ok := in.Metadata[markKey]; ok {
		v.fail("metadata", "key %q is reserved for the provider's ownership mark", markKey)
	}
	return infer.CheckResponse[UserArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place (a replacement would delete the
// user's keys), except a new pinned ID.
func (User) Diff(_ context.Context, req infer.DiffRequest[UserArgs, UserState]) (infer.DiffResponse, error) {
	olds, news := req.State.UserArgs, req.Inputs
	d := newDiffer()
	d.merged("", reflect.TypeFor[UserArgs](), userObject(olds), userObject(news), func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	d.local("adoptByEmail", deref(olds.AdoptByEmail) != deref(news.AdoptByEmail))
	pinned := deref(news.UserID)
	if pinned != "" && pinned != req.ID {
		d.add("userId", p.UpdateReplace)
	} else if deref(olds.UserID) != pinned && !(olds.UserID != nil && deref(olds.UserID) == req.ID && pinned == "") {
		d.add("userId", p.Update) // pinning the ID the user already has, or un-pinning it, changes nothing on the proxy
	}
	return d.response(pinned != "" && pinned == req.ID), nil
}

// Create stores the user under its ID (pinned, or chosen by objectIDFor),
// or, with adoptByEmail, takes over the user that has its e-mail.
func (User) Create(ctx context.Context, req infer.CreateRequest[UserArgs]) (infer.CreateResponse[UserState], error) {
	in := req.Inputs
	pinned := deref(in.UserID)
	if req.DryRun {
		return infer.CreateResponse[UserState]{ID: pinned, Output: UserState{UserArgs: in, UserID: pinned}}, nil
	}
	e := getEnv(ctx)
	if deref(in.AdoptByEmail) {
		found, err := userByEmail(ctx, e, in)
		if err != nil {
			return infer.CreateResponse[UserState]{}, err
		}
		if found != "" {
			out, err := runCreate(ctx, e, userAdoptOp(e, found, in))
			return created(found, userState(found, in, stamp(e, out, err), nil), out, err)
		}
	}
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, userCreateOp(e, id, in, false))
	return created(id, userState(id, in, stamp(e, out, err), nil), out, err)
}

// Read refreshes the user (or imports it). User reads come from the
// database; see runRead for when a miss or an older version is believed.
func (User) Read(ctx context.Context, req infer.ReadRequest[UserArgs, UserState]) (infer.ReadResponse[UserArgs, UserState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.UserArgs, func(a UserArgs) bool { return len(objectOf(a)) == 0 && a.UserID == nil })
	if !importing && req.Inputs.UserID == nil {
		prior.UserID = nil // the ID in the state is the output, not a pinned input
	}
	u, found, err := runRead(ctx, e, readOp[litellm.User]{
		target:    userTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(u litellm.User) bool { return userMatches(u, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[UserArgs, UserState]{}, err
	}
	in, err := userArgsFromServer(u, prior, importing)
	if err != nil {
		return infer.ReadResponse[UserArgs, UserState]{}, fmt.Errorf("user %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		reportImport(ctx, e, "user "+req.ID, nil, asObject(u["metadata"]))
	}
	return infer.ReadResponse[UserArgs, UserState]{ID: req.ID, Inputs: in,
		State: userState(req.ID, in, req.State.Writes, userTeams(u))}, nil
}

// Update writes the changed fields in place (creating the user again under
// the same ID if it is gone).
func (User) Update(ctx context.Context, req infer.UpdateRequest[UserArgs, UserState]) (infer.UpdateResponse[UserState], error) {
	in, id := req.Inputs, req.ID
	state := userState(id, in, req.State.Writes, req.State.Teams)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(userObject(req.State.UserArgs), userObject(in))) {
		return infer.UpdateResponse[UserState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	out, err := runUpdate(ctx, e, updateOp[litellm.User]{
		// /user/update creates a user it does not find: read first, so
		// that a missing user goes through the create policy.
		patch: overwrite(e.client.Users.Get, e.client.Users.Update, id, func(current litellm.User) litellm.User {
			return userPatch(current, req.State.UserArgs, in, me.mark())
		}),
		resume:      userCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the user (and, on the proxy, its keys and memberships); a
// user that is already gone is fine.
func (User) Delete(ctx context.Context, req infer.DeleteRequest[UserState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.User]{
		target:    userTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Users.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func userTarget(e env, id string) target[litellm.User] {
	return target[litellm.User]{
		kind:     "user",
		objectID: id,
		what:     "user " + id,
		get:      func(ctx context.Context) (litellm.User, error) { return e.client.Users.Get(ctx, id) },
		markOf:   func(u litellm.User) (mark, bool) { return markIn(asObject(u["metadata"])) },
	}
}

func userCreateOp(e env, id string, in UserArgs, resume bool) createOp[litellm.User] {
	me := e.identity().attempting()
	body := userBody(id, in, me.mark())
	return createOp[litellm.User]{
		target: userTarget(e, id),
		id:     me,
		create: func(ctx context.Context) error {
			if err := e.client.Users.Create(ctx, body); err != nil {
				return err
			}
			return confirmUser(ctx, e, id, me)
		},
		del: func(ctx context.Context) error { return e.client.Users.Delete(ctx, id) },
		adopt: overwrite(e.client.Users.Get, e.client.Users.Update, id, func(current litellm.User) litellm.User {
			return userPatch(current, UserArgs{}, in, me.mark())
		}),
		matches:       func(u litellm.User) bool { return userMatches(u, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:User <name> %s), choose another userId, "+
			"or set adoptExisting: true", id),
	}
}

// userAdoptOp takes over the user that adoptByEmail found under id. There
// is nothing to create: its create answers "exists", so that the create
// policy reads the user and adopts it, bringing it up to date when it is
// already this resource's (resume: it is never replaced).
func userAdoptOp(e env, id string, in UserArgs) createOp[litellm.User] {
	op := userCreateOp(e, id, in, true)
	op.adoptExisting = true
	op.create = func(context.Context) error {
		return &litellm.Error{Kind: litellm.KindConflict, Op: "POST /user/new",
			Message: "user " + id + " has this userEmail already (adoptByEmail)"}
	}
	return op
}

// userByEmail returns the ID of the user whose e-mail is in.UserEmail ("" if
// there is none), for adoptByEmail.
func userByEmail(ctx context.Context, e env, in UserArgs) (string, error) {
	email := deref(in.UserEmail)
	var found []litellm.User
	err := consistency.Do(ctx, e.policy, "lookup of the user with e-mail "+email, func(ctx context.Context) error {
		var err error
		found, err = e.client.Users.FindByEmail(ctx, email)
		return err
	}, e.progress())
	if err != nil {
		return "", fmt.Errorf("adoptByEmail: cannot look up the user with e-mail %s: %w", email, err)
	}
	var ids []string
	for _, u := range found {
		ids = append(ids, fmt.Sprint(u["user_id"]))
	}
	pinned := deref(in.UserID)
	switch {
	case len(ids) == 0:
		e.logf(ctx, "adoptByEmail: no user has the e-mail %s: creating one", email)
		return "", nil
	case len(ids) > 1:
		return "", fmt.Errorf("adoptByEmail: %d users have the e-mail %s (%s): pin the one to take with userId and "+
			"adoptExisting: true instead", len(ids), email, strings.Join(ids, ", "))
	case pinned != "" && pinned != ids[0]:
		return "", fmt.Errorf("adoptByEmail: the user with the e-mail %s is %s, but userId pins %s: remove userId, "+
			"or pin %s", email, ids[0], pinned, ids[0])
	}
	e.logf(ctx, "adoptByEmail: user %s has the e-mail %s: taking it over", ids[0], email)
	return ids[0], nil
}

func userState(id string, in UserArgs, w Writes, teams []string) UserState {
	in.UserID = &id
	return UserState{UserArgs: in, UserID: id, Writes: w, Teams: teams}
}

// userObject is the user as configured, in LiteLLM's JSON (without the ID).
// An empty list or metadata is the same as none: LiteLLM's update ignores
// both, and its defaults are empty.
func userObject(in UserArgs) object { return withoutEmptyDefaults(objectOf(in)) }

// userBody is the create body: every configured field, the ID, and our mark
// in the metadata (the client adds auto_create_key: false).
func userBody(id string, in UserArgs, m mark) litellm.User {
	body := litellm.User(createBody(userObject(in), m))
	body["user_id"] = id
	return body
}

// userPatch is the update body. /user/update replaces the whole metadata
// when it is sent (prepare_metadata_fields), so it is sent in full: the
// proxy's current keys that this resource did not own, the configured
// ones, and our mark. A removed clearable field is sent as null; other
// removed fields are left out (LiteLLM would ignore a null, [] or {}).
// Not patchBody: a user's update ignores [] and keeps no typed field in
// the metadata.
func userPatch(current litellm.User, olds, news UserArgs, m mark) litellm.User {
	body := litellm.User(userObject(news))
	oldObj := userObject(olds)
	for _, k := range removedKeys(oldObj, objectOf(body)) {
		if userClearable(k) {
			body[k] = nil
		}
	}
	body["metadata"] = wholeMetadata(current, oldObj, body, m)
	return body
}

// userFromServer is the user row as the inputs see it: without the
// server-filled keys, and the metadata without the mark.
func userFromServer(u litellm.User) object {
	obj := object{}
	for k, v := range u {
		if !userServerFilled(k) {
			obj[k] = v
		}
	}
	meta := object{}
	for k, v := range asObject(u["metadata"]) {
		if !userMetadataServerFilled(k) {
			meta[k] = v
		}
	}
	obj["metadata"] = meta
	return obj
}

// userMatches: the server shows every configured field.
func userMatches(u litellm.User, in UserArgs) bool {
	return shows(userFromServer(u), userObject(in), nil)
}

// userTeams is the user's team membership as the proxy reports it.
func userTeams(u litellm.User) []string {
	raw, _ := u["teams"].([]any)
	var out []string
	for _, t := range raw {
		if s, ok := t.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// userArgsFromServer rebuilds inputs: on refresh the fields the user owns,
// on import every readable field; userId, adoptExisting and adoptByEmail are
// kept as configured, and so are an empty models list and metadata (the
// same as none).
func userArgsFromServer(u litellm.User, prior UserArgs, importing bool) (UserArgs, error) {
	server := userFromServer(u)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(string) bool { return false })
		obj = withoutEmptyDefaults(obj) // LiteLLM's defaults ([] models, {} metadata) are "unset"
	} else {
		obj = ownedFields(server, userObject(prior), nil)
	}
	var out UserArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.UserID, out.AdoptExisting, out.AdoptByEmail = prior.UserID, prior.AdoptExisting, prior.AdoptByEmail
	if !importing {
		if out.Models == nil && prior.Models != nil && len(prior.Models) == 0 {
			out.Models = prior.Models
		}
		if out.Metadata == nil && prior.Metadata != nil && len(prior.Metadata) == 0 {
			out.Metadata = prior.Metadata
		}
	}
	return out, nil
}

// confirmUser reads the user right after /user/new answered. Proxies older
// than LiteLLM PR #17559 answer 200 to an existing user_id without writing
// anything (the insert is an upsert that changes nothing), and so may a
// newer one whose duplicate check read a lagging replica: a row without
// this create's mark is someone else's, and the create policy decides (a
// conflict). A miss proves nothing (a lagging replica): the answer stands.
func confirmUser(ctx context.Context, e env, id string, me identity) error {
	u, err := e.client.Users.Get(ctx, id)
	switch {
	case litellm.IsNotFound(err):
		return nil
	case err != nil:
		return err
	}
	if m, marked := markIn(asObject(u["metadata"])); !me.thisAttempt(m, marked) {
		return &litellm.Error{Kind: litellm.KindConflict, Op: "POST /user/new", Status: 200,
			Message: "the proxy kept the existing user " + id + " (no user_id check on this proxy)"}
	}
	return nil
}
