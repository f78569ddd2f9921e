package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetKey reads one virtual key by token (litellm:index:getKey).
type GetKey struct{}

// GetKeyArgs are getKey's inputs.
type GetKeyArgs struct {
	Token string `pulumi:"token" provider:"secret"`
}

// KeyResult is a key as the functions return it: never its value; its
// token only as a secret.
type KeyResult struct {
	Token               *string                   `pulumi:"token,optional" provider:"secret" litellm:"token,omitzero"`
	KeyName             *string                   `pulumi:"keyName,optional" litellm:"key_name,omitzero"`
	KeyAlias            *string                   `pulumi:"keyAlias,optional" litellm:"key_alias,omitzero"`
	TeamID              *string                   `pulumi:"teamId,optional" litellm:"team_id,omitzero"`
	UserID              *string                   `pulumi:"userId,optional" litellm:"user_id,omitzero"`
	Models              []string                  `pulumi:"models,optional" litellm:"models,omitzero"`
	MaxBudget           *float64                  `pulumi:"maxBudget,optional" litellm:"max_budget,omitzero"`
	SoftBudget          *float64                  `pulumi:"softBudget,optional" litellm:"soft_budget,omitzero"`
	BudgetDuration      *string                   `pulumi:"budgetDuration,optional" litellm:"budget_duration,omitzero"`
	TpmLimit            *int                      `pulumi:"tpmLimit,optional" litellm:"tpm_limit,omitzero"`
	RpmLimit            *int                      `pulumi:"rpmLimit,optional" litellm:"rpm_limit,omitzero"`
	MaxParallelRequests *int                      `pulumi:"maxParallelRequests,optional" litellm:"max_parallel_requests,omitzero"`
	ModelMaxBudget      map[string]KeyModelBudget `pulumi:"modelMaxBudget,optional" litellm:"model_max_budget,omitzero"`
	ModelRpmLimit       map[string]int            `pulumi:"modelRpmLimit,optional" litellm:"model_rpm_limit,omitzero"`
	ModelTpmLimit       map[string]int            `pulumi:"modelTpmLimit,optional" litellm:"model_tpm_limit,omitzero"`
	Tags                []string                  `pulumi:"tags,optional" litellm:"tags,omitzero"`
	Metadata            map[string]any            `pulumi:"metadata,optional" litellm:"metadata,omitzero"`
	Blocked             *bool                     `pulumi:"blocked,optional" litellm:"blocked,omitzero"`
	Spend               *float64                  `pulumi:"spend,optional" litellm:"spend,omitzero"`
	Expires             *string                   `pulumi:"expires,optional" litellm:"expires,omitzero"`
	BudgetResetAt       *string                   `pulumi:"budgetResetAt,optional" litellm:"budget_reset_at,omitzero"`
	CreatedAt           *string                   `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	ManagedBy           *string                   `pulumi:"managedBy,optional" litellm:"-"`
}

// ListKeys lists virtual keys (litellm:index:listKeys).
type ListKeys struct{}

// ListKeysArgs filter listKeys.
type ListKeysArgs struct {
	TeamID *string `pulumi:"teamId,optional"`
	UserID *string `pulumi:"userId,optional"`
}

// ListKeysResult is listKeys' output.
type ListKeysResult struct {
	Keys []KeyResult `pulumi:"keys"`
}

func (k KeyResult) MarshalJSON() ([]byte, error)  { return marshalWire(k, nil) }
func (k *KeyResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, k, nil) }

func (f *GetKey) Annotate(a infer.Annotator) {
	a.SetToken("index", "getKey")
	if documenting() {
		a.Describe(f, "Reads a virtual key by its token (or by its `sk-…` value, hashed before it is sent), with its "+
			"spend and expiry; never its value. Key reads come from the proxy's database: a miss fails at once.")
	}
}

func (a *GetKeyArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.Token, "The key's token (a Key resource's `token`), `sha256:<token>`, or the key's `sk-…` value.")
	}
}

func (r *KeyResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.Token, "The key's token (secret).")
	a.Describe(&r.KeyName, "The key's abbreviated value as the proxy shows it (`sk-...abcd`).")
	a.Describe(&r.KeyAlias, "The key's alias.")
	a.Describe(&r.TeamID, "The team the key belongs to.")
	a.Describe(&r.UserID, "The user the key belongs to.")
	a.Describe(&r.Models, "Models the key may call.")
	a.Describe(&r.MaxBudget, "Maximum spend, in USD.")
	a.Describe(&r.SoftBudget, "Spend at which alerts are sent, in USD.")
	a.Describe(&r.BudgetDuration, "How often the spend is reset.")
	a.Describe(&r.TpmLimit, "Tokens per minute.")
	a.Describe(&r.RpmLimit, "Requests per minute.")
	a.Describe(&r.MaxParallelRequests, "Maximum concurrent requests.")
	a.Describe(&r.ModelMaxBudget, "Budget per model.")
	a.Describe(&r.ModelRpmLimit, "Requests per minute per model.")
	a.Describe(&r.ModelTpmLimit, "Tokens per minute per model.")
	a.Describe(&r.Tags, "Tags.")
	a.Describe(&r.Metadata, "Free-form metadata (the ownership mark and keys that look secret left out).")
	a.Describe(&r.Blocked, "Whether the key is blocked.")
	a.Describe(&r.Spend, "The key's spend so far, in USD.")
	a.Describe(&r.Expires, "When the key expires (none: never).")
	a.Describe(&r.BudgetResetAt, "When the spend is reset next.")
	a.Describe(&r.CreatedAt, "When the key was created.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the key, if one does.")
}

func (f *ListKeys) Annotate(a infer.Annotator) {
	a.SetToken("index", "listKeys")
	if documenting() {
		a.Describe(f, "Lists virtual keys (from the proxy's database), every page, optionally of one team or user; "+
			"never their values.")
	}
}

func (a *ListKeysArgs) Annotate(an infer.Annotator) {
	if !documenting() {
		return
	}
	an.Describe(&a.TeamID, "Only the keys of this team.")
	an.Describe(&a.UserID, "Only the keys of this user.")
}

func (r *ListKeysResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Keys, "The keys, by token.")
	}
}

// Invoke reads the key.
func (GetKey) Invoke(ctx context.Context, req infer.FunctionRequest[GetKeyArgs]) (infer.FunctionResponse[KeyResult], error) {
	e := getEnv(ctx)
	token := importedToken(req.Input.Token)
	k, err := runGet(ctx, e, keyTarget(e, token), true)
	if err != nil {
		return infer.FunctionResponse[KeyResult]{}, err
	}
	r, err := keyResult(k)
	return infer.FunctionResponse[KeyResult]{Output: r}, err
}

// Invoke lists the keys.
func (ListKeys) Invoke(ctx context.Context, req infer.FunctionRequest[ListKeysArgs]) (infer.FunctionResponse[ListKeysResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "keys", func(ctx context.Context) ([]litellm.Key, error) {
		return e.client.Keys.List(ctx, deref(req.Input.TeamID), deref(req.Input.UserID))
	}, keyResult, func(r KeyResult) string { return deref(r.Token) })
	return infer.FunctionResponse[ListKeysResult]{Output: ListKeysResult{Keys: rows}}, err
}

func keyResult(k litellm.Key) (KeyResult, error) {
	obj := keyFromServer(k)
	for _, f := range []string{"token", "key_name", "blocked", "spend", "expires", "budget_reset_at", "created_at"} {
		if v, ok := k[f]; ok {
			obj[f] = v
		}
	}
	delete(obj, "key") // never a value
	var r KeyResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("key: unexpected answer: %w", err)
	}
	r.Metadata = publicMetadata(r.Metadata)
	r.ManagedBy = managedBy(asObject(k["metadata"]))
	return r, nil
}
