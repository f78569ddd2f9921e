package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetModel reads one model deployment by ID (litellm:index:getModel).
type GetModel struct{}

// GetModelArgs are getModel's inputs.
type GetModelArgs struct {
	ModelID string `pulumi:"modelId"`
}

// ModelResult is a model as the functions return it: the readable fields,
// never an upstream key.
type ModelResult struct {
	ModelID       string      `pulumi:"modelId"`
	ModelName     string      `pulumi:"modelName"`
	LitellmParams ModelParams `pulumi:"litellmParams"`
	ModelInfo     *ModelInfo  `pulumi:"modelInfo,optional"`
	ManagedBy     *string     `pulumi:"managedBy,optional"`
}

// ListModels lists the model deployments (litellm:index:listModels).
type ListModels struct{}

// ListModelsArgs filter listModels.
type ListModelsArgs struct {
	TeamID *string `pulumi:"teamId,optional"`
}

func (a *ListModelsArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.TeamID, "Only the team-scoped models of this team (`modelInfo.teamId`).")
	}
}

// ListModelsResult is listModels' output.
type ListModelsResult struct {
	Models []ModelResult `pulumi:"models"`
}

func (f *GetModel) Annotate(a infer.Annotator) {
	a.SetToken("index", "getModel")
	if !documenting() {
		return
	}
	a.Describe(f, "Reads a model deployment by its ID. A model created moments ago may not be loaded yet by the proxy "+
		"worker that answers: a miss is retried until the proxy's settle time (twice litellm:reloadInterval) has "+
		"passed, then the call fails. Upstream keys and masked values are never returned.")
}

func (a *GetModelArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.ModelID, "The model's ID (`model_info.id`), e.g. a Model resource's `modelId`.")
	}
}

func (r *ModelResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.ModelID, "The model's ID.")
	a.Describe(&r.ModelName, "The public model name clients call.")
	a.Describe(&r.LitellmParams, "The deployment's readable `litellm_params` (keys and masked values left out).")
	a.Describe(&r.ModelInfo, "The deployment's `model_info`, without the fields the proxy fills in.")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the model, if one does.")
}

func (f *ListModels) Annotate(a infer.Annotator) {
	a.SetToken("index", "listModels")
	if !documenting() {
		return
	}
	a.Describe(f, "Lists the model deployments the answering proxy worker serves (LiteLLM lists models from a "+
		"worker's memory: one created in the last reload interval may be missing), every page.")
}

func (r *ListModelsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Models, "The models, by ID.")
	}
}

// Invoke reads the model.
func (GetModel) Invoke(ctx context.Context, req infer.FunctionRequest[GetModelArgs]) (infer.FunctionResponse[ModelResult], error) {
	e := getEnv(ctx)
	d, err := runGet(ctx, e, modelTarget(e, req.Input.ModelID, ""), false)
	if err != nil {
		return infer.FunctionResponse[ModelResult]{}, err
	}
	r, err := modelResult(d)
	return infer.FunctionResponse[ModelResult]{Output: r}, err
}

// Invoke lists the models.
func (ListModels) Invoke(ctx context.Context, req infer.FunctionRequest[ListModelsArgs]) (infer.FunctionResponse[ListModelsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "models", e.client.Models.List, func(d litellm.Deployment) (ModelResult, error) { return modelResult(&d) }, func(r ModelResult) string { return r.ModelID })
	rows = keepIf(rows, req.Input.TeamID, func(r ModelResult) string { return deref(infoOrEmpty(r.ModelInfo).TeamID) })
	return infer.FunctionResponse[ListModelsResult]{Output: ListModelsResult{Models: rows}}, err
}

// modelResult maps a deployment as an import does (readable fields only).
func modelResult(d *litellm.Deployment) (ModelResult, error) {
	in, _, err := modelArgsFromServer(d, ModelArgs{}, true)
	if err != nil {
		return ModelResult{}, fmt.Errorf("model %v: unexpected answer: %w", d.ModelInfo["id"], err)
	}
	r := ModelResult{ModelID: fmt.Sprint(d.ModelInfo["id"]), ModelName: in.ModelName, LitellmParams: in.LitellmParams,
		ModelInfo: in.ModelInfo, ManagedBy: managedBy(d.ModelInfo)}
	return r, nil
}
