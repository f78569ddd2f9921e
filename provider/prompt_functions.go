package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetPrompt reads a prompt's latest version (litellm:index:getPrompt).
type GetPrompt struct{}

// GetPromptArgs are getPrompt's inputs.
type GetPromptArgs struct {
	PromptID    string  `pulumi:"promptId"`
	Environment *string `pulumi:"environment,optional"`
}

// PromptResult is a prompt's latest version as the functions return it:
// its parameters without secrets, and the proxy's runtime fields.
type PromptResult struct {
	PromptID          string         `pulumi:"promptId" litellm:"-"`
	Version           *int           `pulumi:"version,optional" litellm:"version,omitzero"`
	Environment       *string        `pulumi:"environment,optional" litellm:"environment,omitzero"`
	PromptIntegration *string        `pulumi:"promptIntegration,optional" litellm:"-"`
	LitellmParams     map[string]any `pulumi:"litellmParams,optional" litellm:"-"`
	PromptInfo        map[string]any `pulumi:"promptInfo,optional" litellm:"-"`
	CreatedBy         *string        `pulumi:"createdBy,optional" litellm:"created_by,omitzero"`
	CreatedAt         *string        `pulumi:"createdAt,optional" litellm:"created_at,omitzero"`
	UpdatedAt         *string        `pulumi:"updatedAt,optional" litellm:"updated_at,omitzero"`
	ManagedBy         *string        `pulumi:"managedBy,optional" litellm:"-"`
}

// ListPrompts lists the prompts (litellm:index:listPrompts).
type ListPrompts struct{}

// ListPromptsArgs filter listPrompts.
type ListPromptsArgs struct {
	Environment *string `pulumi:"environment,optional"`
}

// ListPromptsResult is listPrompts' output.
type ListPromptsResult struct {
	Prompts []PromptResult `pulumi:"prompts"`
}

func (r PromptResult) MarshalJSON() ([]byte, error)  { return marshalWire(r, nil) }
func (r *PromptResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

func (f *GetPrompt) Annotate(a infer.Annotator) {
	a.SetToken("index", "getPrompt")
	if documenting() {
		a.Describe(f, "Reads the latest version of a prompt in an environment, from the proxy's database: a miss fails "+
			"at once. Parameters that look secret are left out.")
	}
}

func (a *GetPromptArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.PromptID, "The prompt's base ID (without `.vN`), e.g. a Prompt resource's `promptId`.")
		an.Describe(&a.Environment, "The environment; default `development`.")
	}
}

func (a *ListPromptsArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.Environment, "Only the prompts of this environment (default: every environment).")
	}
}

func (r *PromptResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.PromptID, "The prompt's base ID.")
	a.Describe(&r.Version, "The latest version.")
	a.Describe(&r.Environment, "Its environment.")
	a.Describe(&r.PromptIntegration, "Where the prompt lives (`dotprompt`, `langfuse`, ...).")
	a.Describe(&r.LitellmParams, "Its other parameters, without nulls and without keys that look secret.")
	a.Describe(&r.PromptInfo, "Its `prompt_info` (the ownership mark and keys that look secret left out).")
	a.Describe(&r.CreatedBy, "Who stored the latest version.")
	a.Describe(&r.CreatedAt, "When the latest version was stored.")
	a.Describe(&r.UpdatedAt, "When it was last changed.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the prompt, if one does.")
}

func (f *ListPrompts) Annotate(a infer.Annotator) {
	a.SetToken("index", "listPrompts")
	if documenting() {
		a.Describe(f, "Lists the latest version of each prompt the answering proxy worker holds (its registry, "+
			"refreshed on its reload interval: a prompt created moments ago may be missing until then).")
	}
}

func (r *ListPromptsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Prompts, "The prompts, by ID and environment.")
	}
}

// Invoke reads the prompt.
func (GetPrompt) Invoke(ctx context.Context, req infer.FunctionRequest[GetPromptArgs]) (infer.FunctionResponse[PromptResult], error) {
	e := getEnv(ctx)
	env := deref(req.Input.Environment)
	if env == "" {
		env = defaultPromptEnvironment
	}
	s, err := runGet(ctx, e, promptTarget(e, req.Input.PromptID, env), true)
	if err != nil {
		return infer.FunctionResponse[PromptResult]{}, err
	}
	r, err := promptResult(s)
	return infer.FunctionResponse[PromptResult]{Output: r}, err
}

// Invoke lists the prompts.
func (ListPrompts) Invoke(ctx context.Context, req infer.FunctionRequest[ListPromptsArgs]) (infer.FunctionResponse[ListPromptsResult], error) {
	e := getEnv(ctx)
	list := func(ctx context.Context) ([]litellm.Prompt, error) {
		return e.client.Prompts.List(ctx, deref(req.Input.Environment))
	}
	rows, err := listResults(ctx, e, "prompts", list, promptResult, func(r PromptResult) string { return r.PromptID + "\x00" + deref(r.Environment) })
	return infer.FunctionResponse[ListPromptsResult]{Output: ListPromptsResult{Prompts: rows}}, err
}

// promptResult maps a prompt spec without its secrets.
func promptResult(s litellm.Prompt) (PromptResult, error) {
	obj := object{}
	for _, k := range []string{"version", "environment", "created_by", "created_at", "updated_at"} {
		if v, ok := s[k]; ok {
			obj[k] = v
		}
	}
	var r PromptResult
	if err := decodeObject(obj, &r); err != nil {
		return r, fmt.Errorf("prompt %v: unexpected answer: %w", s["prompt_id"], err)
	}
	r.PromptID = litellm.BasePromptID(fmt.Sprint(s["prompt_id"]))
	params, _ := promptFromServer(s)
	out := object{}
	for k, v := range params {
		switch {
		case litellm.SecretLooking(k), masked(k, v):
		case k == "prompt_integration":
			str, _ := v.(string)
			r.PromptIntegration = &str
		default:
			out[k] = v
		}
	}
	if len(out) > 0 {
		r.LitellmParams = out
	}
	info := asObject(s["prompt_info"])
	if m := publicMetadata(info); len(m) > 0 {
		r.PromptInfo = m
	}
	r.ManagedBy = managedBy(info)
	return r, nil
}
