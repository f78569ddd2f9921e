package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Fallback is the fallbacks of one model (`POST /fallback`), token
// litellm:index:Fallback.
type Fallback struct{}

// FallbackArgs are the inputs of a Fallback.
type FallbackArgs struct {
	Model          string   `pulumi:"model" litellm:"-"`
	FallbackModels []string `pulumi:"fallbackModels" litellm:"fallback_models"`
	FallbackType   *string  `pulumi:"fallbackType,optional" litellm:"-"`
	AdoptExisting  *bool    `pulumi:"adoptExisting,optional" litellm:"-"`
}

// FallbackState is the recorded state of a Fallback.
type FallbackState struct {
	FallbackArgs
	Writes
}

var (
	_ infer.CustomResource[FallbackArgs, FallbackState] = (*Fallback)(nil)
	_ infer.CustomCheck[FallbackArgs]                   = (*Fallback)(nil)
	_ infer.CustomDiff[FallbackArgs, FallbackState]     = (*Fallback)(nil)
	_ infer.CustomRead[FallbackArgs, FallbackState]     = (*Fallback)(nil)
	_ infer.CustomUpdate[FallbackArgs, FallbackState]   = (*Fallback)(nil)
	_ infer.CustomDelete[FallbackState]                 = (*Fallback)(nil)
	_ infer.Annotated                                   = (*Fallback)(nil)
)

func fallbackKind() kind {
	return kind{
		token:    "litellm:index:Fallback",
		resource: infer.Resource(&Fallback{}),
		check:    typedCheck(Fallback{}.Check),
		diff:     typedDiff(Fallback{}.Diff),
		read:     typedRead(Fallback{}.Read),
		state:    reflect.TypeFor[FallbackState](),
	}
}

// Annotate documents the resource.
func (f *Fallback) Annotate(a infer.Annotator) {
	a.SetToken("index", "Fallback")
	if !documenting() {
		return
	}
	a.Describe(f, "The fallbacks of one model on a LiteLLM proxy (`POST /fallback`): the models, in order, that the "+
		"router tries when a call to `model` fails (`general`), exceeds the context window (`context_window`) or is "+
		"refused by a content policy (`content_policy`). The ID is `<model>:<fallbackType>`.\n\n"+
		"LiteLLM keeps fallbacks in its stored router settings and serves them from each worker's router, which loads "+
		"them when it reloads: right after a write, a worker that has not reloaded yet still answers with the old "+
		"fallbacks, and a refresh waits for the write as for models. The proxy checks `model` and `fallbackModels` "+
		"against the answering worker's router: right after those models are created it may not serve them yet, so "+
		"the write is tried again within the proxy's settle time before it fails.\n\n"+
		"LiteLLM's write is an upsert with no ownership mark: the create reads first and refuses a model that already "+
		"has fallbacks of this type unless `adoptExisting` is set.\n\n"+
		"Import with `pulumi import litellm:index:Fallback <name> <model>:<fallbackType>` (or just `<model>` for "+
		"`general`).")
}

// Annotate documents the inputs.
func (f *FallbackArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&f.Model, "The model name (`model_name`) whose calls fall back. Changing it replaces the fallback.")
	a.Describe(&f.FallbackModels, "The model names to try, in order. Each must be a model the proxy serves, not `model` itself.")
	a.Describe(&f.FallbackType, "`general` (any error, the default), `context_window` or `content_policy`. Changing "+
		"it replaces the fallback.")
	a.Describe(&f.AdoptExisting, "If the model already has fallbacks of this type that this resource did not set, "+
		"replace them instead of failing. Default false.")
}

// Annotate documents the outputs.
func (f *FallbackState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &f.Writes)
}

// ---- the kind's rules ----

var fallbackTypes = []string{"general", "context_window", "content_policy"}

// fallbackTypeOf is the effective fallback type (unset: general).
func fallbackTypeOf(in FallbackArgs) string {
	if in.FallbackType == nil || *in.FallbackType == "" {
		return "general"
	}
	return *in.FallbackType
}

// fallbackID is the resource ID: "<model>:<fallback type>".
func fallbackID(model, fallbackType string) string { return model + ":" + fallbackType }

// parseFallbackID splits an ID; a bare model name (an import) is its
// general fallbacks. A model name may itself contain ':'.
func parseFallbackID(id string) (model, fallbackType string) {
	if i := strings.LastIndex(id, ":"); i > 0 && slices.Contains(fallbackTypes, id[i+1:]) {
		return id[:i], id[i+1:]
	}
	return id, "general"
}

// fallbackNotServedYet: the answering worker's router does not serve the
// model or a fallback model (yet).
func fallbackNotServedYet(err error) bool {
	msg := strings.ToLower(fmt.Sprint(err))
	return litellm.KindOf(err) == litellm.KindInvalid &&
		(strings.Contains(msg, "invalid fallback models") || strings.Contains(msg, "not found in router"))
}

func (f FallbackArgs) MarshalJSON() ([]byte, error) { return marshalWire(f, nil) }

func (f *FallbackArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, f, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (Fallback) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[FallbackArgs], error) {
	in, failures := decodeInputs[FallbackArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[FallbackArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.id("model", in.Model)
	v.oneOf("fallbackType", in.FallbackType, fallbackTypes)
	if len(in.FallbackModels) == 0 && !unknown(req.NewInputs, "fallbackModels") {
		v.fail("fallbackModels", "must name at least one model")
	}
	for i, m := range in.FallbackModels {
		switch {
		case strings.TrimSpace(m) == "":
			v.fail(fmt.Sprintf("fallbackModels[%d]", i), "must not be empty")
		case m == in.Model && m != "":
			v.fail(fmt.Sprintf("fallbackModels[%d]", i), "%q is the model itself: a model cannot be its own fallback", m)
		}
	}
	return infer.CheckResponse[FallbackArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: the fallback models are replaced in place; a new model or type is
// another fallback.
func (Fallback) Diff(_ context.Context, req infer.DiffRequest[FallbackArgs, FallbackState]) (infer.DiffResponse, error) {
	olds, news := req.State.FallbackArgs, req.Inputs
	d := newDiffer()
	if !slices.Equal(olds.FallbackModels, news.FallbackModels) {
		d.add("fallbackModels", p.Update)
	}
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	model, fallbackType := parseFallbackID(req.ID)
	if news.Model != model {
		d.add("model", p.UpdateReplace)
	}
	if fallbackTypeOf(news) != fallbackType {
		d.add("fallbackType", p.UpdateReplace)
	} else if deref(olds.FallbackType) != deref(news.FallbackType) {
		d.add("fallbackType", p.Update) // "general" set or unset: the same fallback
	}
	return d.response(true), nil
}

// Create sets the fallbacks, unless the model already has some of this type.
func (Fallback) Create(ctx context.Context, req infer.CreateRequest[FallbackArgs]) (infer.CreateResponse[FallbackState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[FallbackState]{ID: fallbackID(in.Model, fallbackTypeOf(in)), Output: FallbackState{FallbackArgs: in}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, fallbackID(in.Model, fallbackTypeOf(in)))
	out, err := runCreate(ctx, e, fallbackCreateOp(e, id, in, false))
	return created(id, FallbackState{FallbackArgs: in, Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes the fallbacks (or imports them). A worker's router
// answers; see runRead for when a miss or an older version is believed.
func (Fallback) Read(ctx context.Context, req infer.ReadRequest[FallbackArgs, FallbackState]) (infer.ReadResponse[FallbackArgs, FallbackState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.FallbackArgs, func(a FallbackArgs) bool {
		return a.Model == "" && len(a.FallbackModels) == 0
	})
	model, fallbackType := parseFallbackID(req.ID)
	f, found, err := runRead(ctx, e, readOp[litellm.Fallback]{
		target:    fallbackTarget(e, model, fallbackType),
		id:        e.identity(),
		matches:   func(f litellm.Fallback) bool { return slices.Equal(f.FallbackModels, prior.FallbackModels) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[FallbackArgs, FallbackState]{}, err
	}
	in := FallbackArgs{Model: model, FallbackModels: f.FallbackModels, FallbackType: prior.FallbackType, AdoptExisting: prior.AdoptExisting}
	if importing && fallbackType != "general" {
		in.FallbackType = &fallbackType
	}
	id := fallbackID(model, fallbackType)
	return infer.ReadResponse[FallbackArgs, FallbackState]{ID: id, Inputs: in, State: FallbackState{FallbackArgs: in, Writes: req.State.Writes}}, nil
}

// Update replaces the fallback models (an upsert: fallbacks deleted out of
// band are set again).
func (Fallback) Update(ctx context.Context, req infer.UpdateRequest[FallbackArgs, FallbackState]) (infer.UpdateResponse[FallbackState], error) {
	in, id := req.Inputs, req.ID
	state := FallbackState{FallbackArgs: in, Writes: req.State.Writes}
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && slices.Equal(req.State.FallbackModels, in.FallbackModels)) {
		return infer.UpdateResponse[FallbackState]{Output: state}, nil
	}
	e := getEnv(ctx)
	model, fallbackType := parseFallbackID(id)
	body := litellm.Fallback{Model: model, FallbackModels: in.FallbackModels, FallbackType: fallbackType}
	start := e.now()
	out, err := runUpdate(ctx, e, updateOp[litellm.Fallback]{
		patch: func(ctx context.Context) error {
			err := e.client.Fallbacks.Set(ctx, body)
			if fallbackNotServedYet(err) && !e.settled(start) {
				return errNotYet
			}
			return err
		},
		resume:      fallbackCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the fallbacks; fallbacks already gone are fine (the
// delete reads the stored settings, not a worker's memory).
func (Fallback) Delete(ctx context.Context, req infer.DeleteRequest[FallbackState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	model, fallbackType := parseFallbackID(req.ID)
	defer fallbacksDeleted.Store(fallbackDeletion{callOf(e.ctx).config, req.ID}, e.now())
	err := runDelete(ctx, e, deleteOp[litellm.Fallback]{
		target: fallbackTarget(e, model, fallbackType),
		id:     e.identity(),
		del:    func(ctx context.Context) error { return e.client.Fallbacks.Delete(ctx, model, fallbackType) },
		// The delete reads the stored settings on the writer: its "not found"
		// is believed at once, whenever the last write was.
		writtenAt: time.Time{},
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// fallbacksDeleted: the IDs this provider process deleted, and when. A
// worker that has not reloaded since still serves the deleted fallbacks, so
// the create that follows (a replacement, or another resource taking the
// same model over) must not take them for someone else's.
var fallbacksDeleted sync.Map // fallbackDeletion → time.Time

// fallbackDeletion keys fallbacksDeleted by the provider instance (its
// configuration) and the ID.
type fallbackDeletion struct {
	provider *Config
	id       string
}

func deletedRecently(e env, id string) bool {
	at, ok := fallbacksDeleted.Load(fallbackDeletion{callOf(e.ctx).config, id})
	return ok && !e.settled(at.(time.Time))
}

func fallbackTarget(e env, model, fallbackType string) target[litellm.Fallback] {
	return target[litellm.Fallback]{
		kind:     "fallback",
		objectID: fallbackID(model, fallbackType),
		what:     fmt.Sprintf("%s fallbacks of model %s", fallbackType, model),
		get: func(ctx context.Context) (litellm.Fallback, error) {
			return e.client.Fallbacks.Get(ctx, model, fallbackType)
		},
		markOf: func(litellm.Fallback) (mark, bool) { return mark{}, false },
	}
}

func fallbackCreateOp(e env, id string, in FallbackArgs, resume bool) createOp[litellm.Fallback] {
	me := e.identity().attempting()
	own := &unmarked{me: me, unsure: resume}
	model, fallbackType := parseFallbackID(id)
	body := litellm.Fallback{Model: model, FallbackModels: in.FallbackModels, FallbackType: fallbackType}
	t := fallbackTarget(e, model, fallbackType)
	matches := func(f litellm.Fallback) bool { return slices.Equal(f.FallbackModels, in.FallbackModels) }
	t.markOf = func(f litellm.Fallback) (mark, bool) { return own.markOf(matches(f)) }
	set := func(ctx context.Context) error { return e.client.Fallbacks.Set(ctx, body) }
	return createOp[litellm.Fallback]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error {
			// The POST is an upsert: read first, so that fallbacks someone
			// else set are a conflict, not silently replaced.
			if !deref(in.AdoptExisting) && !own.unsure && !deletedRecently(e, id) {
				if err := refuseExisting(ctx, t.get, "POST /fallback",
					fmt.Sprintf("model %q already has %s fallbacks", model, fallbackType)); err != nil {
					return err
				}
			}
			return own.sent(set(ctx))
		},
		del:           func(ctx context.Context) error { return e.client.Fallbacks.Delete(ctx, model, fallbackType) },
		adopt:         set,
		matches:       matches,
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import them (pulumi import litellm:index:Fallback <name> %s), or set adoptExisting: "+
			"true to replace them", id),
		retryable: fallbackNotServedYet,
	}
}
