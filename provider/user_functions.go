package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetUser reads one user by ID (litellm:index:getUser).
type GetUser struct{}

// GetUserArgs are getUser's inputs.
type GetUserArgs struct {
	UserID string `pulumi:"userId"`
}

// UserResult is a user as the functions return it.
type UserResult struct {
	UserID         string         `pulumi:"userId" litellm:"user_id"`
	UserEmail      *string        `pulumi:"userEmail,optional" litellm:"user_email,omitzero"`
	UserAlias      *string        `pulumi:"userAlias,optional" litellm:"user_alias,omitzero"`
	UserRole       *string        `pulumi:"userRole,optional" litellm:"user_role,omitzero"`
	Models         []string       `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget      *float64       `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	BudgetDuration *string        `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit       *int           `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit       *int           `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	Metadata       map[string]any `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	Spend          *float64       `pulumi:"spend,optional" litellm:"spend,omitzero"`
	BudgetResetAt  *string        `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
	Teams          []string       `pulumi:"teams,optional" litellm:"-"`
	ManagedBy      *string        `pulumi:"managedBy,optional" litellm:"-"`
}

// ListUsers lists the users (litellm:index:listUsers).
type ListUsers struct{}

// ListUsersArgs filter listUsers.
type ListUsersArgs struct {
	UserRole *string `pulumi:"userRole,optional"`
}

func (a *ListUsersArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.UserRole, "Only the users with this role (`proxy_admin`, `internal_user`, ...).")
	}
}

// ListUsersResult is listUsers' output.
type ListUsersResult struct {
	Users []UserResult `pulumi:"users"`
}

func (u UserResult) MarshalJSON() ([]byte, error)  { return marshalWire(u, nil) }
func (u *UserResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, u, nil) }

func (f *GetUser) Annotate(a infer.Annotator) {
	a.SetToken("index", "getUser")
	if documenting() {
		a.Describe(f, "Reads a user by ID, with its spend and team memberships. User reads come from the proxy's "+
			"database: a miss fails at once.")
	}
}

func (a *GetUserArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.UserID, "The user's ID, e.g. a User resource's `userId`.")
	}
}

func (r *UserResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.UserID, "The user's ID.")
	a.Describe(&r.UserEmail, "The user's e-mail.")
	a.Describe(&r.UserAlias, "Display name.")
	a.Describe(&r.UserRole, "`proxy_admin`, `proxy_admin_viewer`, `internal_user` or `internal_user_viewer`.")
	a.Describe(&r.Models, "Models the user may call.")
	a.Describe(&r.MaxBudget, "Maximum spend, in USD.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.Metadata, "Free-form metadata (the ownership mark and keys that look secret left out).")
	a.Describe(&r.Spend, "The user's spend so far, in USD.")
	a.Describe(&r.BudgetResetAt, "When the spend is reset next.")
	a.Describe(&r.Teams, "The teams the user is a member of.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the user, if one does.")
}

func (f *ListUsers) Annotate(a infer.Annotator) {
	a.SetToken("index", "listUsers")
	if documenting() {
		a.Describe(f, "Lists every user of the proxy (from its database), every page.")
	}
}

func (r *ListUsersResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Users, "The users, by ID.")
	}
}

// Invoke reads the user.
func (GetUser) Invoke(ctx context.Context, req infer.FunctionRequest[GetUserArgs]) (infer.FunctionResponse[UserResult], error) {
	e := getEnv(ctx)
	u, err := runGet(ctx, e, userTarget(e, req.Input.UserID), true)
	if err != nil {
		return infer.FunctionResponse[UserResult]{}, err
	}
	r, err := userResult(u)
	return infer.FunctionResponse[UserResult]{Output: r}, err
}

// Invoke lists the users.
func (ListUsers) Invoke(ctx context.Context, req infer.FunctionRequest[ListUsersArgs]) (infer.FunctionResponse[ListUsersResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "users", e.client.Users.List, userResult, func(r UserResult) string { return r.UserID })
	rows = keepIf(rows, req.Input.UserRole, func(r UserResult) string { return deref(r.UserRole) })
	return infer.FunctionResponse[ListUsersResult]{Output: ListUsersResult{Users: rows}}, err
}

func userResult(u litellm.User) (UserResult, error) {
	obj := userFromServer(u)
	for _, k := range []string{"user_id", "spend", "budget_reset_at"} {
		if v, ok := u[k]; ok {
			obj[k] = v
		}
	}
	var r UserResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("user %v: unexpected answer: %w", u["user_id"], err)
	}
	r.Metadata = publicMetadata(r.Metadata)
	r.Teams = userTeams(u)
	r.ManagedBy = managedBy(asObject(u["metadata"]))
	return r, nil
}
