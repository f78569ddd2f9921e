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

// Model is a LiteLLM model deployment (`/model/new`), token litellm:index:Model.
type Model struct{}

// ModelArgs are the inputs of a Model.
type ModelArgs struct {
	ModelName       string      `pulumi:"modelName"`
	LitellmParams   ModelParams `pulumi:"litellmParams"`
	ModelInfo       *ModelInfo  `pulumi:"modelInfo,optional"`
	WaitUntilServed *bool       `pulumi:"waitUntilServed,optional"`
	AdoptExisting   *bool       `pulumi:"adoptExisting,optional"`
}

// ModelParams are the deployment's `litellm_params`.
type ModelParams struct {
	Model                 string         `pulumi:"model" litellm:"model"`
	CustomLlmProvider     *string        `pulumi:"customLlmProvider,optional" litellm:"custom_llm_provider,omitzero"`
	APIBase               *string        `pulumi:"apiBase,optional" litellm:"api_base,omitzero"`
	APIKey                *string        `pulumi:"apiKey,optional" provider:"secret" litellm:"api_key,omitzero"`
	APIVersion            *string        `pulumi:"apiVersion,optional" litellm:"api_version,omitzero"`
	LitellmCredentialName *string        `pulumi:"litellmCredentialName,optional" litellm:"litellm_credential_name,omitzero"`
	Rpm                   *int           `pulumi:"rpm,optional" litellm:"rpm,omitzero"`
	Tpm                   *int           `pulumi:"tpm,optional" litellm:"tpm,omitzero"`
	InputCostPerToken     *float64       `pulumi:"inputCostPerToken,optional" litellm:"input_cost_per_token,omitzero"`
	OutputCostPerToken    *float64       `pulumi:"outputCostPerToken,optional" litellm:"output_cost_per_token,omitzero"`
	InputCostPerSecond    *float64       `pulumi:"inputCostPerSecond,optional" litellm:"input_cost_per_second,omitzero"`
	OutputCostPerSecond   *float64       `pulumi:"outputCostPerSecond,optional" litellm:"output_cost_per_second,omitzero"`
	AwsAccessKeyID        *string        `pulumi:"awsAccessKeyId,optional" provider:"secret" litellm:"aws_access_key_id,omitzero"`
	AwsSecretAccessKey    *string        `pulumi:"awsSecretAccessKey,optional" provider:"secret" litellm:"aws_secret_access_key,omitzero"`
	AwsSessionToken       *string        `pulumi:"awsSessionToken,optional" provider:"secret" litellm:"aws_session_token,omitzero"`
	AwsRegionName         *string        `pulumi:"awsRegionName,optional" litellm:"aws_region_name,omitzero"`
	AwsRoleName           *string        `pulumi:"awsRoleName,optional" litellm:"aws_role_name,omitzero"`
	AwsSessionName        *string        `pulumi:"awsSessionName,optional" litellm:"aws_session_name,omitzero"`
	VertexProject         *string        `pulumi:"vertexProject,optional" litellm:"vertex_project,omitzero"`
	VertexLocation        *string        `pulumi:"vertexLocation,optional" litellm:"vertex_location,omitzero"`
	VertexCredentials     *string        `pulumi:"vertexCredentials,optional" provider:"secret" litellm:"vertex_credentials,omitzero"`
	Extra                 map[string]any `pulumi:"extra,optional" litellm:"-"`
}

// ModelInfo is the deployment's `model_info`.
type ModelInfo struct {
	ID              *string        `pulumi:"id,optional" litellm:"id,omitzero"`
	BaseModel       *string        `pulumi:"baseModel,optional" litellm:"base_model,omitzero"`
	Mode            *string        `pulumi:"mode,optional" litellm:"mode,omitzero"`
	Tier            *string        `pulumi:"tier,optional" litellm:"tier,omitzero"`
	TeamID          *string        `pulumi:"teamId,optional" litellm:"team_id,omitzero"`
	AccessGroups    []string       `pulumi:"accessGroups,optional" litellm:"access_groups,omitzero"`
	MaxTokens       *int           `pulumi:"maxTokens,optional" litellm:"max_tokens,omitzero"`
	MaxInputTokens  *int           `pulumi:"maxInputTokens,optional" litellm:"max_input_tokens,omitzero"`
	MaxOutputTokens *int           `pulumi:"maxOutputTokens,optional" litellm:"max_output_tokens,omitzero"`
	Extra           map[string]any `pulumi:"extra,optional" litellm:"-"`
}

// ModelState is the recorded state of a Model.
type ModelState struct {
	ModelArgs
	ModelID string `pulumi:"modelId"`
	Writes
}

var (
	_ infer.CustomResource[ModelArgs, ModelState] = (*Model)(nil)
	_ infer.CustomCheck[ModelArgs]                = (*Model)(nil)
	_ infer.CustomDiff[ModelArgs, ModelState]     = (*Model)(nil)
	_ infer.CustomRead[ModelArgs, ModelState]     = (*Model)(nil)
	_ infer.CustomUpdate[ModelArgs, ModelState]   = (*Model)(nil)
	_ infer.CustomDelete[ModelState]              = (*Model)(nil)
	_ infer.Annotated                             = (*Model)(nil)
)

func modelKind() kind {
	return kind{
		token:    "litellm:index:Model",
		resource: infer.Resource(&Model{}),
		check:    typedCheck(Model{}.Check),
		diff:     typedDiff(Model{}.Diff),
		read:     typedRead(Model{}.Read),
		freeForm: []string{"litellmParams.extra", "modelInfo.extra"},
		state:    reflect.TypeFor[ModelState](),
	}
}

// Annotate documents the resource.
func (m *Model) Annotate(a infer.Annotator) {
	a.SetToken("index", "Model")
	if !documenting() {
		return
	}
	a.Describe(m, "A model deployment on a LiteLLM proxy (`POST /model/new`). The model ID is chosen by the provider "+
		"(or taken from `modelInfo.id`) before the create call, and every model carries an ownership mark "+
		"(`model_info.pulumi`), so parallel creates against multi-worker proxies never lose or duplicate a model, an "+
		"interrupted `pulumi up` is resumed without a second model, and a model someone else made is never taken "+
		"over.\n\nImport with `pulumi import litellm:index:Model <name> <model id>`. Secret parameters (`apiKey`, "+
		"AWS and Vertex credentials) cannot be read back from LiteLLM and are not imported; add them to the program "+
		"after importing.")
}

// Annotate documents the inputs.
func (m *ModelArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.ModelName, "Public model name clients request (`model_name`). Several deployments may share one name "+
		"(LiteLLM load-balances across them).")
	a.Describe(&m.LitellmParams, "Parameters LiteLLM uses to call the upstream provider (`litellm_params`).")
	a.Describe(&m.ModelInfo, "Metadata of the deployment (`model_info`).")
	a.Describe(&m.WaitUntilServed, "Also wait, after the create or update is stored, until the proxy's in-memory "+
		"router serves the model (`/model/info?litellm_model_id=`) for several consecutive reads. Use it when the next "+
		"step of the program calls the model. LiteLLM workers reload every 30 s by default, so this can take that "+
		"long. Default false.")
	a.Describe(&m.AdoptExisting, "If a model with the pinned `modelInfo.id` already exists and was not created by "+
		"this resource, take it over (and overwrite its configured fields) instead of failing. Default false.")
}

// Annotate documents litellm_params.
func (m *ModelParams) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.Model, "Upstream model in LiteLLM's `<provider>/<model>` form, e.g. `openai/gpt-4o`, "+
		"`azure/my-deployment`, `bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0`.")
	a.Describe(&m.CustomLlmProvider, "Provider, when it is not the prefix of `model`.")
	a.Describe(&m.APIBase, "Base URL of the upstream API. Every update resends the configured credentials with it, "+
		"because older LiteLLM versions drop stored credentials when the destination changes.")
	a.Describe(&m.APIKey, "API key for the upstream provider. Write-only: LiteLLM never returns it, so it is not "+
		"imported and out-of-band changes are not detected. May be an `os.environ/VAR` reference.")
	a.Describe(&m.APIVersion, "API version (Azure OpenAI).")
	a.Describe(&m.LitellmCredentialName, "Name of a `litellm.Credential` holding the upstream credentials.")
	a.Describe(&m.Rpm, "Requests per minute this deployment may receive.")
	a.Describe(&m.Tpm, "Tokens per minute this deployment may receive.")
	a.Describe(&m.InputCostPerToken, "Custom price per input token in USD.")
	a.Describe(&m.OutputCostPerToken, "Custom price per output token in USD.")
	a.Describe(&m.InputCostPerSecond, "Custom price per second of input in USD.")
	a.Describe(&m.OutputCostPerSecond, "Custom price per second of output in USD.")
	a.Describe(&m.AwsAccessKeyID, "AWS access key ID (Bedrock, SageMaker). Write-only.")
	a.Describe(&m.AwsSecretAccessKey, "AWS secret access key. Write-only.")
	a.Describe(&m.AwsSessionToken, "AWS session token. Write-only.")
	a.Describe(&m.AwsRegionName, "AWS region, e.g. `us-east-1`.")
	a.Describe(&m.AwsRoleName, "ARN of an AWS role to assume.")
	a.Describe(&m.AwsSessionName, "Session name used when assuming `awsRoleName`.")
	a.Describe(&m.VertexProject, "Google Cloud project (Vertex AI).")
	a.Describe(&m.VertexLocation, "Google Cloud location (Vertex AI), e.g. `us-central1`.")
	a.Describe(&m.VertexCredentials, "Vertex AI service-account JSON, or a path or `os.environ/VAR` reference. Write-only.")
	a.Describe(&m.Extra, "Any other `litellm_params` key, with its JSON value (e.g. `timeout`, `max_retries`, "+
		"`drop_params`, `tags`). Keys of the typed properties above are rejected here. Values under keys that look "+
		"secret (`*_key`, `*token*`, `*secret*`, ...) are kept as Pulumi secrets. Removing a key replaces the model, "+
		"because LiteLLM's update merges parameters and cannot delete one.")
}

// Annotate documents model_info.
func (m *ModelInfo) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.ID, "Model ID to use instead of one chosen by the provider. Changing it replaces the model.")
	a.Describe(&m.BaseModel, "Model name in LiteLLM's cost map, used for pricing and limits when `model` is a custom "+
		"deployment name.")
	a.Describe(&m.Mode, "Kind of endpoint: one of "+strings.Join(modelModes, ", ")+".")
	a.Describe(&m.Tier, "Tier: `free` or `paid`.")
	a.Describe(&m.TeamID, "Team that owns this model (team-scoped model, LiteLLM Enterprise). Changing it replaces "+
		"the model.")
	a.Describe(&m.AccessGroups, "Model access groups the deployment belongs to.")
	a.Describe(&m.MaxTokens, "Maximum tokens (overrides the cost map).")
	a.Describe(&m.MaxInputTokens, "Maximum input tokens (overrides the cost map).")
	a.Describe(&m.MaxOutputTokens, "Maximum output tokens (overrides the cost map).")
	a.Describe(&m.Extra, "Any other `model_info` key with its JSON value (e.g. `supports_vision`, `description`). "+
		"`id` and `pulumi` (the ownership mark) are rejected here. Removing a key replaces the model.")
}

// Annotate documents the outputs.
func (m *ModelState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&m.ModelID, "The model's ID on the proxy (`model_info.id`); also the resource ID.")
	describeWrites(a, &m.Writes)
}

// ---- the kind's rules ----

var modelModes = []string{
	"chat", "completion", "embedding", "image_generation", "image_edit", "audio_transcription", "audio_speech",
	"moderation", "rerank", "responses", "batch", "realtime", "ocr", "search", "vector_store", "video_generation",
}

// modelInfoServerFilled: model_info keys the proxy fills in by itself (ids,
// flags, the cost map's data); an import does not adopt them.
func modelInfoServerFilled(k string) bool {
	switch k {
	case "id", markKey, "db_model", "blocked", "direct_access", "access_via_team_ids", "key", "litellm_provider",
		"team_public_model_name", "created_at", "created_by", "updated_at", "updated_by", "member_auto_router",
		"pricing_overrides", "mode", "output_vector_size", "tiered_pricing":
		return true
	}
	return strings.HasPrefix(k, "supports_") || strings.HasPrefix(k, "supported_") || strings.Contains(k, "cost") ||
		strings.HasSuffix(k, "_tokens") || strings.HasPrefix(k, "tpm") || strings.HasPrefix(k, "rpm")
}

// modelParamServerFilled: litellm_params keys the proxy adds by itself.
func modelParamServerFilled(k string) bool {
	switch k {
	case "use_in_pass_through", "use_litellm_proxy", "merge_reasoning_content_in_choices", "use_xai_oauth",
		"allow_client_keepalive_override":
		return true
	}
	return false
}

// modelParamClearable: LiteLLM's PATCH clears these with an explicit null;
// any other key cannot be removed in place (docs/litellm/models.md:
// CLEARABLE_LITELLM_PARAMS plus the pricing fields).
func modelParamClearable(k string) bool {
	return strings.Contains(k, "cost_per") || k == "litellm_credential_name" || k == "cache_control_injection_points"
}

func modelInfoClearable(k string) bool { return strings.Contains(k, "cost_per") }

var (
	modelParamsWriteOnly = secretKeys(reflect.TypeFor[ModelParams]())
	modelParamsType      = reflect.TypeFor[ModelParams]()
	modelInfoType        = reflect.TypeFor[ModelInfo]()
)

// MarshalJSON / UnmarshalJSON merge the free-form keys (jsonmap.go).
func (m ModelParams) MarshalJSON() ([]byte, error) {
	return marshalWire(m, m.Extra)
}

func (m *ModelParams) UnmarshalJSON(b []byte) error {
	return unmarshalWire(b, m, &m.Extra)
}

func (m ModelInfo) MarshalJSON() ([]byte, error) {
	return marshalWire(m, m.Extra)
}

func (m *ModelInfo) UnmarshalJSON(b []byte) error {
	return unmarshalWire(b, m, &m.Extra)
}

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time with errors that name the property.
func (Model) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[ModelArgs], error) {
	in, failures := decodeInputs[ModelArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[ModelArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.require("modelName", in.ModelName)
	v.require("litellmParams.model", in.LitellmParams.Model)
	lp := in.LitellmParams
	if lp.APIBase != nil {
		v.httpURL("litellmParams.apiBase", *lp.APIBase, true)
	}
	v.nonNegativeInt("litellmParams.rpm", lp.Rpm)
	v.nonNegativeInt("litellmParams.tpm", lp.Tpm)
	v.nonNegative("litellmParams.inputCostPerToken", lp.InputCostPerToken)
	v.nonNegative("litellmParams.outputCostPerToken", lp.OutputCostPerToken)
	v.nonNegative("litellmParams.inputCostPerSecond", lp.InputCostPerSecond)
	v.nonNegative("litellmParams.outputCostPerSecond", lp.OutputCostPerSecond)
	v.extraKeys("litellmParams.extra", lp.Extra, modelParamsType, nil)
	if mi := in.ModelInfo; mi != nil {
		if mi.ID != nil {
			v.id("modelInfo.id", *mi.ID)
		}
		v.oneOf("modelInfo.mode", mi.Mode, modelModes)
		v.oneOf("modelInfo.tier", mi.Tier, []string{"free", "paid"})
		v.nonNegativeInt("modelInfo.maxTokens", mi.MaxTokens)
		v.nonNegativeInt("modelInfo.maxInputTokens", mi.MaxInputTokens)
		v.nonNegativeInt("modelInfo.maxOutputTokens", mi.MaxOutputTokens)
		v.extraKeys("modelInfo.extra", mi.Extra, modelInfoType, map[string]string{"id": "modelInfo.id", markKey: "nothing (it is the provider's ownership mark)"})
	}
	return infer.CheckResponse[ModelArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff decides between update and replacement. LiteLLM's PATCH merges
// `litellm_params` and `model_info`, so a removed key that PATCH cannot clear
// with null forces a replacement, as does a new pinned ID or team.
func (Model) Diff(_ context.Context, req infer.DiffRequest[ModelArgs, ModelState]) (infer.DiffResponse, error) {
	olds, news := req.State.ModelArgs, req.Inputs
	d := newDiffer()
	if olds.ModelName != news.ModelName {
		d.add("modelName", p.Update)
	}
	d.local("waitUntilServed", deref(olds.WaitUntilServed) != deref(news.WaitUntilServed))
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	d.merged("litellmParams", modelParamsType, objectOf(olds.LitellmParams), objectOf(news.LitellmParams), modelParamClearable)
	oldInfo, newInfo := modelInfoObject(olds.ModelInfo), modelInfoObject(news.ModelInfo)
	d.merged("modelInfo", modelInfoType, oldInfo, newInfo, modelInfoClearable)
	if !sameJSON(oldInfo["team_id"], newInfo["team_id"]) {
		d.add("modelInfo.teamId", p.UpdateReplace)
	}
	pinned := deref(infoOrEmpty(news.ModelInfo).ID)
	if pinned != "" && pinned != req.State.ModelID {
		d.add("modelInfo.id", p.UpdateReplace)
	} else if deref(infoOrEmpty(olds.ModelInfo).ID) != pinned {
		// Pinning the ID the model already has, or un-pinning it, changes nothing on the proxy.
		d.add("modelInfo.id", p.Update)
	}
	// A replacement that keeps a pinned ID must delete first: the proxy
	// refuses a second deployment with the same ID.
	return d.response(pinned != "" && pinned == req.State.ModelID), nil
}

// Create stores the model under its ID (pinned, or chosen by objectIDFor).
func (Model) Create(ctx context.Context, req infer.CreateRequest[ModelArgs]) (infer.CreateResponse[ModelState], error) {
	in := req.Inputs
	pinned := deref(infoOrEmpty(in.ModelInfo).ID)
	if req.DryRun {
		return infer.CreateResponse[ModelState]{ID: pinned, Output: ModelState{ModelArgs: in, ModelID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, modelCreateOp(e, id, in, false))
	if err == nil {
		err = confirmModel(ctx, e, id, in)
	}
	return created(id, ModelState{ModelArgs: in, ModelID: id, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the model (or imports it) from the proxy's database-backed
// read; see runRead for when a miss or an older version is believed.
func (Model) Read(ctx context.Context, req infer.ReadRequest[ModelArgs, ModelState]) (infer.ReadResponse[ModelArgs, ModelState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.ModelArgs, func(a ModelArgs) bool { return a.ModelName == "" })
	d, found, err := runRead(ctx, e, readOp[*litellm.Deployment]{
		target:    modelTarget(e, req.ID, prior.ModelName),
		id:        e.identity(),
		matches:   func(d *litellm.Deployment) bool { return modelMatches(d, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[ModelArgs, ModelState]{}, err
	}
	in, left, err := modelArgsFromServer(d, prior, importing)
	if err != nil {
		return infer.ReadResponse[ModelArgs, ModelState]{}, fmt.Errorf("model %s: unexpected answer: %w", req.ID, err)
	}
	if importing {
		reportImport(ctx, e, "model "+req.ID, left, d.ModelInfo)
	}
	state := ModelState{ModelArgs: in, ModelID: req.ID, Writes: req.State.Writes}
	return infer.ReadResponse[ModelArgs, ModelState]{ID: req.ID, Inputs: in, State: state}, nil
}

// Update patches the model in place (creating it again under the same ID if
// it is gone).
func (Model) Update(ctx context.Context, req infer.UpdateRequest[ModelArgs, ModelState]) (infer.UpdateResponse[ModelState], error) {
	in, id := req.Inputs, req.State.ModelID
	state := ModelState{ModelArgs: in, ModelID: id, Writes: req.State.Writes}
	if req.DryRun {
		return infer.UpdateResponse[ModelState]{Output: state}, nil
	}
	e := getEnv(ctx)
	me := e.identity()
	unconfirmed := deref(req.State.CreatePending)
	if !unconfirmed && sameJSON(normalized(modelBody(id, req.State.ModelArgs, me.mark())), normalized(modelBody(id, in, me.mark()))) {
		// Only inputs that never reach the proxy changed.
		return updated(state, createOutcome{}, confirmModel(ctx, e, id, in))
	}
	patch := modelPatch(req.State.ModelArgs, in, me.mark())
	out, err := runUpdate(ctx, e, updateOp[*litellm.Deployment]{
		patch:       func(ctx context.Context) error { return e.client.Models.Update(ctx, id, patch) },
		resume:      modelCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	if err == nil {
		err = confirmModel(ctx, e, id, in)
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the model; a model that is already gone is fine.
func (Model) Delete(ctx context.Context, req infer.DeleteRequest[ModelState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[*litellm.Deployment]{
		target:    modelTarget(e, req.ID, req.State.ModelName),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Models.Delete(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func modelTarget(e env, id, name string) target[*litellm.Deployment] {
	what := "model " + id
	if name != "" {
		what = fmt.Sprintf("model %s (id %s)", name, id)
	}
	return target[*litellm.Deployment]{
		kind:     "model",
		objectID: id,
		what:     what,
		get:      func(ctx context.Context) (*litellm.Deployment, error) { return e.client.Models.Get(ctx, id) },
		markOf:   func(d *litellm.Deployment) (mark, bool) { return markIn(d.ModelInfo) },
		list: func(ctx context.Context) (map[string]*litellm.Deployment, error) {
			ds, err := e.client.Models.List(ctx)
			out := make(map[string]*litellm.Deployment, len(ds))
			for i := range ds {
				out[fmt.Sprint(ds[i].ModelInfo["id"])] = &ds[i]
			}
			return out, err
		},
	}
}

func modelCreateOp(e env, id string, in ModelArgs, resume bool) createOp[*litellm.Deployment] {
	me := e.identity().attempting()
	body := modelBody(id, in, me.mark())
	return createOp[*litellm.Deployment]{
		target: modelTarget(e, id, in.ModelName),
		id:     me,
		create: func(ctx context.Context) error { return e.client.Models.Create(ctx, body) },
		del:    func(ctx context.Context) error { return e.client.Models.Delete(ctx, id) },
		adopt: func(ctx context.Context) error {
			return e.client.Models.Update(ctx, id, modelPatch(ModelArgs{}, in, me.mark()))
		},
		matches:       func(d *litellm.Deployment) bool { return modelMatches(d, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:Model <name> %s), choose another modelInfo.id, "+
			"or set adoptExisting: true", id),
	}
}

// modelBody is the create body: every configured field, the ID and our mark.
func modelBody(id string, in ModelArgs, m mark) litellm.Deployment {
	info := modelInfoObject(in.ModelInfo)
	info["id"] = id
	info[markKey] = m.object()
	return litellm.Deployment{ModelName: in.ModelName, LitellmParams: objectOf(in.LitellmParams), ModelInfo: info}
}

// modelPatch is the update body: every configured field (the merge keeps the
// rest), our mark, and null for removed keys that LiteLLM can clear. Sending
// every field also resends the credentials with a changed destination,
// which older LiteLLM versions would otherwise drop.
func modelPatch(olds, news ModelArgs, m mark) litellm.ModelUpdate {
	params := objectOf(news.LitellmParams)
	for _, k := range removedKeys(objectOf(olds.LitellmParams), params) {
		if modelParamClearable(k) {
			params[k] = nil
		}
	}
	info := modelInfoObject(news.ModelInfo)
	for _, k := range removedKeys(modelInfoObject(olds.ModelInfo), info) {
		if modelInfoClearable(k) {
			info[k] = nil
		}
	}
	info[markKey] = m.object()
	name := news.ModelName
	return litellm.ModelUpdate{ModelName: &name, LitellmParams: params, ModelInfo: info}
}

// modelInfoObject is model_info as configured, without the pinned ID (the
// ID is the resource's, sent separately on create).
func modelInfoObject(mi *ModelInfo) object {
	obj := objectOf(mi)
	delete(obj, "id")
	return obj
}

func infoOrEmpty(mi *ModelInfo) *ModelInfo {
	if mi == nil {
		return &ModelInfo{}
	}
	return mi
}

// modelMatches reports whether the server's deployment shows every field the
// user set (secrets excepted: LiteLLM never returns them).
func modelMatches(d *litellm.Deployment, in ModelArgs) bool {
	if d.ModelName != in.ModelName && fmt.Sprint(d.ModelInfo["team_public_model_name"]) != in.ModelName {
		return false
	}
	return shows(d.LitellmParams, objectOf(in.LitellmParams), modelParamsWriteOnly) && shows(d.ModelInfo, modelInfoObject(in.ModelInfo), nil)
}

// modelArgsFromServer rebuilds inputs from the server's deployment: on
// refresh only the fields the user owns, on import every readable field
// (left names the masked keys an import leaves out).
func modelArgsFromServer(d *litellm.Deployment, prior ModelArgs, importing bool) (ModelArgs, []string, error) {
	out := ModelArgs{ModelName: d.ModelName, WaitUntilServed: prior.WaitUntilServed, AdoptExisting: prior.AdoptExisting}
	if name, ok := d.ModelInfo["team_public_model_name"].(string); ok && name != "" {
		out.ModelName = name
	}
	var params, info object
	var left []string
	if importing {
		var l1, l2 []string
		params, l1 = adoptFields(d.LitellmParams, func(k string) bool { return modelParamServerFilled(k) || modelParamsWriteOnly(k) })
		info, l2 = adoptFields(d.ModelInfo, modelInfoServerFilled)
		for _, k := range l1 {
			left = append(left, "litellmParams."+k)
		}
		for _, k := range l2 {
			left = append(left, "modelInfo."+k)
		}
	} else {
		params = ownedFields(d.LitellmParams, objectOf(prior.LitellmParams), modelParamsWriteOnly)
		info = ownedFields(d.ModelInfo, modelInfoObject(prior.ModelInfo), nil)
	}
	if err := decodeObject(params, &out.LitellmParams); err != nil {
		return out, nil, fmt.Errorf("litellmParams.%w", err)
	}
	if prior.ModelInfo != nil || len(info) > 0 {
		out.ModelInfo = &ModelInfo{}
		if err := decodeObject(info, out.ModelInfo); err != nil {
			return out, nil, fmt.Errorf("modelInfo.%w", err)
		}
		if prior.ModelInfo != nil {
			out.ModelInfo.ID = prior.ModelInfo.ID
		}
	}
	return out, left, nil
}

// confirmModel waits, when the program asks for it, until the router read
// (what serves traffic) serves the model with the desired fields several
// reads in a row.
func confirmModel(ctx context.Context, e env, id string, in ModelArgs) error {
	if !deref(in.WaitUntilServed) {
		return nil
	}
	return awaitShown(ctx, e, fmt.Sprintf("model %s (id %s) to be served by the proxy's router", in.ModelName, id), servedConfirmations,
		func(ctx context.Context) (*litellm.Deployment, error) { return e.client.Models.GetFromRouter(ctx, id) },
		func(d *litellm.Deployment) bool { return modelMatches(d, in) })
}

// servedConfirmations: consecutive router reads that must serve the model.
// Requests are spread over workers, so several in a row make it likely that
// every worker has reloaded.
const servedConfirmations = 3
