package provider

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// GetFallback reads one model's fallbacks of one type (litellm:index:getFallback).
type GetFallback struct{}

// GetFallbackArgs are getFallback's inputs.
type GetFallbackArgs struct {
	Model        string  `pulumi:"model"`
	FallbackType *string `pulumi:"fallbackType,optional"`
}

// FallbackResult is a model's fallbacks as getFallback returns them.
type FallbackResult struct {
	Model          string   `pulumi:"model"`
	FallbackType   string   `pulumi:"fallbackType"`
	FallbackModels []string `pulumi:"fallbackModels"`
}

func (f *GetFallback) Annotate(a infer.Annotator) {
	a.SetToken("index", "getFallback")
	if documenting() {
		a.Describe(f, "Reads the fallbacks of a model. They are served from a worker's router, which loads them when it "+
			"reloads: a miss is retried until the proxy's settle time has passed, and only then is the call an error.")
	}
}

func (a *GetFallbackArgs) Annotate(an infer.Annotator) {
	if !documenting() {
		return
	}
	an.Describe(&a.Model, "The model name.")
	an.Describe(&a.FallbackType, "`general` (default), `context_window` or `content_policy`.")
}

func (r *FallbackResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.Model, "The model name.")
	a.Describe(&r.FallbackType, "The fallback type.")
	a.Describe(&r.FallbackModels, "The models tried, in order.")
}

// Invoke reads the fallbacks.
func (GetFallback) Invoke(ctx context.Context, req infer.FunctionRequest[GetFallbackArgs]) (infer.FunctionResponse[FallbackResult], error) {
	e := getEnv(ctx)
	fallbackType := fallbackTypeOf(FallbackArgs{FallbackType: req.Input.FallbackType})
	f, err := runGet(ctx, e, fallbackTarget(e, req.Input.Model, fallbackType), false)
	if err != nil {
		return infer.FunctionResponse[FallbackResult]{}, err
	}
	return infer.FunctionResponse[FallbackResult]{Output: FallbackResult{Model: f.Model, FallbackType: fallbackType,
		FallbackModels: f.FallbackModels}}, nil
}
