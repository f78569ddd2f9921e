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

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// PassThroughEndpoint is one entry of the proxy's pass-through endpoint
// list (`/config/pass_through_endpoint`), token litellm:index:PassThroughEndpoint.
type PassThroughEndpoint struct{}

// PassThroughEndpointArgs are the inputs of a PassThroughEndpoint.
type PassThroughEndpointArgs struct {
	EndpointID         *string           `pulumi:"endpointId,optional" litellm:"-"`
	Path               string            `pulumi:"path" litellm:"path,omitzero"`
	Target             string            `pulumi:"target" litellm:"target,omitzero"`
	Headers            map[string]string `pulumi:"headers,optional" provider:"secret" litellm:"headers,omitzero"`
	DefaultQueryParams map[string]string `pulumi:"defaultQueryParams,optional" litellm:"default_query_params,omitzero"`
	IncludeSubpath     *bool             `pulumi:"includeSubpath,optional" litellm:"include_subpath,omitzero"`
	CostPerRequest     *float64          `pulumi:"costPerRequest,optional" litellm:"cost_per_request,omitzero"`
	Timeout            *float64          `pulumi:"timeout,optional" litellm:"timeout,omitzero"`
	Auth               *bool             `pulumi:"auth,optional" litellm:"auth,omitzero"`
	Guardrails         map[string]any    `pulumi:"guardrails,optional" litellm:"guardrails,omitzero"`
	Methods            []string          `pulumi:"methods,optional" litellm:"methods,omitzero"`
	AdoptExisting      *bool             `pulumi:"adoptExisting,optional" litellm:"-"`
}

// PassThroughEndpointState is the recorded state of a PassThroughEndpoint.
type PassThroughEndpointState struct {
	PassThroughEndpointArgs
	// EndpointID shadows the input: as an output it is always set.
	EndpointID string `pulumi:"endpointId"`
	Writes
}

var (
	_ infer.CustomResource[PassThroughEndpointArgs, PassThroughEndpointState] = (*PassThroughEndpoint)(nil)
	_ infer.CustomCheck[PassThroughEndpointArgs]                              = (*PassThroughEndpoint)(nil)
	_ infer.CustomDiff[PassThroughEndpointArgs, PassThroughEndpointState]     = (*PassThroughEndpoint)(nil)
	_ infer.CustomRead[PassThroughEndpointArgs, PassThroughEndpointState]     = (*PassThroughEndpoint)(nil)
	_ infer.CustomUpdate[PassThroughEndpointArgs, PassThroughEndpointState]   = (*PassThroughEndpoint)(nil)
	_ infer.CustomDelete[PassThroughEndpointState]                            = (*PassThroughEndpoint)(nil)
	_ infer.Annotated                                                         = (*PassThroughEndpoint)(nil)
)

func passThroughEndpointKind() kind {
	return kind{
		token:    "litellm:index:PassThroughEndpoint",
		resource: infer.Resource(&PassThroughEndpoint{}),
		check:    typedCheck(PassThroughEndpoint{}.Check),
		diff:     typedDiff(PassThroughEndpoint{}.Diff),
		read:     typedRead(PassThroughEndpoint{}.Read),
		freeForm: []string{"guardrails"},
		state:    reflect.TypeFor[PassThroughEndpointState](),
	}
}

// Annotate documents the resource.
func (r *PassThroughEndpoint) Annotate(a infer.Annotator) {
	a.SetToken("index", "PassThroughEndpoint")
	if !documenting() {
		return
	}
	a.Describe(r, "A pass-through endpoint of a LiteLLM proxy (`POST /config/pass_through_endpoint`): a route of the "+
		"proxy that forwards requests to `target`, with extra headers (e.g. the upstream's token) and an optional cost "+
		"per request. LiteLLM keeps every pass-through endpoint in one list in its `general_settings`, and each of its "+
		"writes reads the whole list and writes it back. The provider serialises its own writes of that list, re-reads "+
		"it right before each write, and checks it afterwards: its entry must be there and every other entry it saw "+
		"must still be there (an entry another writer lost through an overlapping write is written back). Two "+
		"`pulumi up` of different stacks (or the admin UI) writing at the same moment can still lose an entry on the "+
		"proxy; the next `pulumi up` or refresh of the stack that lost it finds it missing and creates it again.\n\n"+
		"The entry's ID is chosen by the provider (derived from the stack and the resource, so that an interrupted "+
		"create is found again) unless `endpointId` pins it. An entry has no metadata, so it carries no ownership mark: "+
		"an entry is taken as this resource's only under its derived ID, or when it is the answer to this create; an "+
		"entry under a pinned `endpointId`, or another entry serving the same `path` and methods, is someone else's and "+
		"is never taken over without `adoptExisting` (and a pinned `endpointId`).\n\n"+
		"Every change is made in place; removing `timeout` or `guardrails` (which LiteLLM's update cannot clear) "+
		"deletes and re-adds the entry under the same ID. Only a new `endpointId` replaces it.\n\n"+
		"Import with `pulumi import litellm:index:PassThroughEndpoint <name> <endpoint id>`.")
}

// Annotate documents the inputs.
func (r *PassThroughEndpointArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.EndpointID, "The entry's ID. Leave it unset to let the provider choose one. Changing it replaces "+
		"the entry.")
	a.Describe(&r.Path, "The route on the proxy, e.g. `/bria`.")
	a.Describe(&r.Target, "The URL requests are forwarded to, e.g. `https://engine.prod.bria-api.com/v1`.")
	a.Describe(&r.Headers, "Headers added to every forwarded request, e.g. `{Authorization: \"Bearer ...\"}`; a value "+
		"may be `os.environ/VAR`. Kept secret in the state.")
	a.Describe(&r.DefaultQueryParams, "Query parameters added to every forwarded request unless the client sends them.")
	a.Describe(&r.IncludeSubpath, "Also forward the routes below `path` (`/bria/v1/...`). Default false.")
	a.Describe(&r.CostPerRequest, "Cost, in USD, recorded for each request. Unset: 0 (never sent).")
	a.Describe(&r.Timeout, "Upstream timeout in seconds. Unset: the proxy's pass_through_request_timeout (600).")
	a.Describe(&r.Auth, "Whether a LiteLLM API key is required to call the route. Unset: LiteLLM's default (true).")
	a.Describe(&r.Guardrails, "Guardrails run on the route: guardrail name → its settings (or null), e.g. "+
		"`{\"pii-mask\": {request_fields: [\"messages\"]}}`.")
	a.Describe(&r.Methods, "HTTP methods the route handles (`GET`, `POST`, `PUT`, `DELETE`, `PATCH`). Unset or empty: all.")
	a.Describe(&r.AdoptExisting, "With a pinned `endpointId`: if an entry with this ID already exists and was not "+
		"created by this resource, take it over (and overwrite the fields set here) instead of failing. Default false.")
}

// Annotate documents the outputs.
func (r *PassThroughEndpointState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &r.Writes)
}

// ---- the kind's rules ----

var passThroughArgsType = reflect.TypeFor[PassThroughEndpointArgs]()

// passThroughReadable: the keys of an entry that are inputs (id and
// is_from_config are the proxy's).
func passThroughReadable(k string) bool {
	_, ok := fieldsOf(passThroughArgsType).byKey[k]
	return ok
}

// passThroughResets are the values that reset a removed field: LiteLLM's
// update merges only the fields sent that are not null, so a removed field
// is sent as its default. timeout and guardrails default to null, which
// the update cannot write: removing them re-adds the entry.
var passThroughResets = map[string]any{
	"headers": map[string]any{}, "default_query_params": map[string]any{}, "include_subpath": false,
	"cost_per_request": 0.0, "auth": true, "methods": []any{},
}

// passThroughDefault: a value the proxy fills in for an unset field (not
// imported).
func passThroughDefault(k string, v any) bool {
	if reset, ok := passThroughResets[k]; ok && sameJSON(reset, v) {
		return true
	}
	return v == nil
}

var passThroughMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH"}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's entry (jsonmap.go).
func (r PassThroughEndpointArgs) MarshalJSON() ([]byte, error) { return marshalWire(r, nil) }

func (r *PassThroughEndpointArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (PassThroughEndpoint) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[PassThroughEndpointArgs], error) {
	in, failures := decodeInputs[PassThroughEndpointArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[PassThroughEndpointArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if in.EndpointID != nil {
		v.id("endpointId", *in.EndpointID)
	}
	switch {
	case in.Path == "":
		v.require("path", in.Path)
	case !strings.HasPrefix(in.Path, "/") || strings.ContainsAny(in.Path, " \t\r\n?#"):
		v.fail("path", "must be a route starting with '/' and without spaces, '?' or '#', got %q", in.Path)
	}
	if in.Target == "" {
		v.require("target", in.Target)
	} else {
		v.httpURL("target", in.Target, false)
	}
	for k := range in.Headers {
		if strings.TrimSpace(k) == "" {
			v.fail("headers", "header names must not be empty")
		}
	}
	v.nonNegative("costPerRequest", in.CostPerRequest)
	if in.Timeout != nil && *in.Timeout <= 0 {
		v.fail("timeout", "must be more than 0 seconds, got %g", *in.Timeout)
	}
	for i, m := range in.Methods {
		v.oneOf(fmt.Sprintf("methods[%d]", i), &m, passThroughMethods)
	}
	return infer.CheckResponse[PassThroughEndpointArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place, except a new pinned ID.
func (PassThroughEndpoint) Diff(_ context.Context, req infer.DiffRequest[PassThroughEndpointArgs, PassThroughEndpointState]) (infer.DiffResponse, error) {
	olds, news := req.State.PassThroughEndpointArgs, req.Inputs
	d := newDiffer()
	d.merged("", passThroughArgsType, objectOf(olds), objectOf(news), func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	pinned := deref(news.EndpointID)
	if pinned != "" && pinned != req.ID {
		d.add("endpointId", p.UpdateReplace)
	} else if deref(olds.EndpointID) != pinned && !(olds.EndpointID != nil && deref(olds.EndpointID) == req.ID && pinned == "") {
		d.add("endpointId", p.Update)
	}
	// A new entry serves the same path: the old one goes first.
	return d.response(true), nil
}

// Create adds the entry under its ID (pinned, or chosen by objectIDFor).
func (PassThroughEndpoint) Create(ctx context.Context, req infer.CreateRequest[PassThroughEndpointArgs]) (infer.CreateResponse[PassThroughEndpointState], error) {
	in := req.Inputs
	pinned := deref(in.EndpointID)
	if req.DryRun {
		return infer.CreateResponse[PassThroughEndpointState]{ID: pinned, Output: PassThroughEndpointState{PassThroughEndpointArgs: in, EndpointID: pinned}}, nil
	}
	e := getEnv(ctx)
	id := objectIDFor(e, pinned)
	out, err := runCreate(ctx, e, passThroughCreateOp(e, id, in, false))
	return created(id, passThroughState(id, in, stamp(e, out, err)), out, err)
}

// Read refreshes the entry (or imports it). The list is read from the
// proxy's database (its writer) on every call.
func (PassThroughEndpoint) Read(ctx context.Context, req infer.ReadRequest[PassThroughEndpointArgs, PassThroughEndpointState]) (infer.ReadResponse[PassThroughEndpointArgs, PassThroughEndpointState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.PassThroughEndpointArgs, func(a PassThroughEndpointArgs) bool {
		return len(objectOf(a)) == 0 && a.EndpointID == nil
	})
	if !importing && req.Inputs.EndpointID == nil {
		prior.EndpointID = nil // the ID in the state is the output, not a pinned input
	}
	x, found, err := runRead(ctx, e, readOp[litellm.PassThroughEndpoint]{
		target:    passThroughTarget(e, req.ID),
		id:        e.identity(),
		matches:   func(x litellm.PassThroughEndpoint) bool { return passThroughMatches(x, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[PassThroughEndpointArgs, PassThroughEndpointState]{}, err
	}
	in, err := passThroughArgsFromServer(x, prior, importing)
	if err != nil {
		return infer.ReadResponse[PassThroughEndpointArgs, PassThroughEndpointState]{}, fmt.Errorf("pass-through endpoint %s: unexpected answer: %w", req.ID, err)
	}
	return infer.ReadResponse[PassThroughEndpointArgs, PassThroughEndpointState]{ID: req.ID, Inputs: in,
		State: passThroughState(req.ID, in, req.State.Writes)}, nil
}

// Update writes the entry in place (adding it again under the same ID if
// it is gone).
func (PassThroughEndpoint) Update(ctx context.Context, req infer.UpdateRequest[PassThroughEndpointArgs, PassThroughEndpointState]) (infer.UpdateResponse[PassThroughEndpointState], error) {
	in, id := req.Inputs, req.ID
	state := passThroughState(id, in, req.State.Writes)
	unconfirmed := deref(req.State.CreatePending)
	if req.DryRun || (!unconfirmed && sameJSON(objectOf(req.State.PassThroughEndpointArgs), objectOf(in))) {
		return infer.UpdateResponse[PassThroughEndpointState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	ch := passThroughUpdateChange(e, id, req.State.PassThroughEndpointArgs, in)
	out, err := runUpdate(ctx, e, updateOp[litellm.PassThroughEndpoint]{
		patch:       func(ctx context.Context) error { return passThroughWrite(ctx, e, ch) },
		resume:      passThroughCreateOp(e, id, in, true),
		unconfirmed: unconfirmed,
		writtenAt:   req.State.writtenAt(),
	})
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the entry; one that is already gone is fine.
func (PassThroughEndpoint) Delete(ctx context.Context, req infer.DeleteRequest[PassThroughEndpointState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := req.ID
	err := runDelete(ctx, e, deleteOp[litellm.PassThroughEndpoint]{
		target: passThroughTarget(e, id),
		id:     e.identity(),
		del: func(ctx context.Context) error {
			return passThroughWrite(ctx, e, passThroughDeleteChange(e, id))
		},
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- the read-modify-write of the list ----

// passThroughInFlight is how long after a write of the list its
// confirmation reads the list a second time: a write of another writer
// that was in flight (it read the list before ours landed) has written
// the list back by then, and the second read sees what it lost.
const passThroughInFlight = 500 * time.Millisecond

// passThroughMu serialises this process's writes of the proxy's
// pass-through list (LiteLLM rewrites the whole list on every write).
var passThroughMu sync.Mutex

// passThroughList is the database's entries by key (passThroughKey).
type passThroughList map[string]litellm.PassThroughEndpoint

// passThroughKey identifies an entry: its id, or for an entry without one
// (written before LiteLLM gave entries IDs) its path.
func passThroughKey(x litellm.PassThroughEndpoint) string {
	if id, ok := x["id"].(string); ok && id != "" {
		return id
	}
	return "path:" + fmt.Sprint(x["path"])
}

// passThroughChange is one write of the list: apply makes it from the list
// as just read; done says whether a list shows it.
type passThroughChange struct {
	id    string
	what  string
	apply func(context.Context, passThroughList) error
	done  func(passThroughList) bool
}

// readPassThroughList reads the database's entries (those of the proxy's
// config file are not in the list LiteLLM writes), and how many times each
// key is in the list (an overlapping write-back can add an entry twice).
func readPassThroughList(ctx context.Context, e env) (passThroughList, map[string]int, error) {
	rows, err := e.client.PassThroughEndpoints.List(ctx)
	if err != nil {
		return nil, nil, err
	}
	out, count := passThroughList{}, map[string]int{}
	for _, x := range rows {
		if fromConfig, _ := x["is_from_config"].(bool); !fromConfig {
			k := passThroughKey(x)
			out[k] = x
			count[k]++
		}
	}
	return out, count, nil
}

// passThroughWrite makes one change of the list: under the process-wide
// lock, it re-reads the list, applies the change, and confirms it: the
// change shows, and every entry the read before it showed is still there,
// in two reads passThroughInFlight apart.
// An entry that vanished (another writer's write overlapped ours, and one
// of the two rewrote the list without it) is written back; a change that
// does not show is applied again on the list as it is now; a second copy
// of an entry this write wrote (two writers wrote the same entry back) is
// deleted.
func passThroughWrite(ctx context.Context, e env, ch passThroughChange) error {
	passThroughMu.Lock()
	defer passThroughMu.Unlock()
	before, _, err := readPassThroughList(ctx, e)
	if err != nil {
		return err
	}
	if err := ch.apply(ctx, before); err != nil {
		return err
	}
	restored := map[string]bool{}
	policy := e.policy.WithConfirmations(2)
	policy.ConfirmInterval = passThroughInFlight
	_, err = consistency.Await(ctx, policy, "confirmation of "+ch.what, func(ctx context.Context) (struct{}, consistency.State, error) {
		now, count, err := readPassThroughList(ctx, e)
		if err != nil {
			return struct{}{}, consistency.Pending, err
		}
		again := false
		for _, k := range passThroughSorted(before) {
			if _, ok := now[k]; ok || k == ch.id {
				continue
			}
			x := before[k]
			e.warnf(ctx, "pass-through endpoint %s (path %v) vanished from the proxy's list during %s (an overlapping "+
				"write of the list): writing it back", k, x["path"], ch.what)
			if err := e.client.PassThroughEndpoints.Create(ctx, passThroughWriteBack(x)); err != nil {
				return struct{}{}, consistency.Pending, err
			}
			restored[k], again = true, true
		}
		done := ch.done(now)
		if !done {
			e.logf(ctx, "%s does not show in the proxy's list (an overlapping write of the list): writing it again", ch.what)
			if err := ch.apply(ctx, now); err != nil {
				return struct{}{}, consistency.Pending, err
			}
			again = true
		}
		for k, n := range count {
			if n > 1 && (restored[k] || (k == ch.id && done)) {
				e.logf(ctx, "pass-through endpoint %s is in the proxy's list %d times: deleting the extra copy", k, n)
				if err := e.client.PassThroughEndpoints.Delete(ctx, k); err != nil && !litellm.IsNotFound(err) {
					return struct{}{}, consistency.Pending, err
				}
				again = true
			}
		}
		if again {
			return struct{}{}, consistency.Pending, nil
		}
		return struct{}{}, consistency.Ready, nil
	}, e.progress())
	return err
}

// passThroughWriteBack is an entry as read, to be written again.
func passThroughWriteBack(x litellm.PassThroughEndpoint) litellm.PassThroughEndpoint {
	out := litellm.PassThroughEndpoint{}
	for k, v := range x {
		if k != "is_from_config" && v != nil {
			out[k] = v
		}
	}
	return out
}

func passThroughSorted[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ---- mapping helpers ----

// passThroughTarget: an entry carries no mark (markOf never finds one), so
// a refresh or delete never takes it for someone else's; the create op
// proves ownership instead (unmarked).
func passThroughTarget(e env, id string) target[litellm.PassThroughEndpoint] {
	return target[litellm.PassThroughEndpoint]{
		kind:     "passThroughEndpoint",
		objectID: id,
		what:     "pass-through endpoint " + id,
		get: func(ctx context.Context) (litellm.PassThroughEndpoint, error) {
			return e.client.PassThroughEndpoints.Get(ctx, id)
		},
		markOf: func(litellm.PassThroughEndpoint) (mark, bool) { return mark{}, false },
	}
}

func passThroughCreateOp(e env, id string, in PassThroughEndpointArgs, resume bool) createOp[litellm.PassThroughEndpoint] {
	me := e.identity().attempting()
	own := &unmarked{me: me, derived: id == objectIDFor(e, ""), unsure: resume}
	body := passThroughBody(id, in)
	t := passThroughTarget(e, id)
	t.markOf = func(x litellm.PassThroughEndpoint) (mark, bool) { return own.markOf(passThroughMatches(x, in)) }
	hint := fmt.Sprintf("import it (pulumi import litellm:index:PassThroughEndpoint <name> %s), choose another "+
		"endpointId, or set adoptExisting: true", id)
	add := passThroughChange{
		id:   id,
		what: "the create of pass-through endpoint " + id,
		apply: func(ctx context.Context, l passThroughList) error {
			if _, ok := l[id]; ok {
				// LiteLLM would append a second entry with this ID: let the
				// create policy decide whose the existing one is.
				return &litellm.Error{Kind: litellm.KindConflict, Op: "POST /config/pass_through_endpoint",
					Message: fmt.Sprintf("an entry with id %q is already in the list", id)}
			}
			if other, ok := passThroughPathHolder(l, id, in); ok && !deref(in.AdoptExisting) {
				return permanent{&conflictError{fmt.Sprintf("pass-through endpoint path %s is already served by "+
					"the entry %s (target %v), which was not created by this resource; it is not taken over: import it "+
					"(pulumi import litellm:index:PassThroughEndpoint <name> %s), or set endpointId: %s and "+
					"adoptExisting: true, or choose another path or methods", in.Path, passThroughKey(other), other["target"],
					passThroughKey(other), passThroughKey(other))}, true}
			}
			return e.client.PassThroughEndpoints.Create(ctx, body)
		},
		done: func(l passThroughList) bool { _, ok := l[id]; return ok },
	}
	return createOp[litellm.PassThroughEndpoint]{
		target: t,
		id:     me,
		create: func(ctx context.Context) error { return own.sent(passThroughWrite(ctx, e, add)) },
		del: func(ctx context.Context) error {
			return passThroughWrite(ctx, e, passThroughDeleteChange(e, id))
		},
		adopt: func(ctx context.Context) error {
			return passThroughWrite(ctx, e, passThroughUpdateChange(e, id, PassThroughEndpointArgs{}, in))
		},
		matches:       func(x litellm.PassThroughEndpoint) bool { return passThroughMatches(x, in) },
		resume:        resume,
		adoptExisting: deref(in.AdoptExisting),
		conflictHint:  hint,
	}
}

// passThroughUpdateChange writes the desired entry over the one at id:
// LiteLLM's merge, with removed fields reset to their defaults; when a
// removed field cannot be reset (timeout, guardrails), the entry is
// deleted and added again under the same ID. A missing entry is the
// update's miss (the update policy adds it again).
func passThroughUpdateChange(e env, id string, olds, news PassThroughEndpointArgs) passThroughChange {
	body := passThroughBody(id, news)
	readd := false
	for _, k := range removedKeys(objectOf(olds), objectOf(news)) {
		if reset, ok := passThroughResets[k]; ok {
			body[k] = reset
		} else {
			readd = true
		}
	}
	return passThroughChange{
		id:   id,
		what: "the update of pass-through endpoint " + id,
		apply: func(ctx context.Context, l passThroughList) error {
			if _, ok := l[id]; !ok {
				return &litellm.Error{Kind: litellm.KindNotFound, Op: "POST /config/pass_through_endpoint/{endpoint_id}",
					Message: fmt.Sprintf("no entry with id %q in the list", id)}
			}
			if !readd {
				return e.client.PassThroughEndpoints.Update(ctx, id, body)
			}
			if err := e.client.PassThroughEndpoints.Delete(ctx, id); err != nil && !litellm.IsNotFound(err) {
				return err
			}
			return e.client.PassThroughEndpoints.Create(ctx, body)
		},
		done: func(l passThroughList) bool {
			x, ok := l[id]
			return ok && passThroughMatches(x, news) && (!readd || (x["timeout"] == nil || news.Timeout != nil) &&
				(x["guardrails"] == nil || news.Guardrails != nil))
		},
	}
}

// passThroughDeleteChange removes the entry at id (a miss is the
// delete's "not found").
func passThroughDeleteChange(e env, id string) passThroughChange {
	return passThroughChange{
		id:   id,
		what: "the delete of pass-through endpoint " + id,
		apply: func(ctx context.Context, _ passThroughList) error {
			return e.client.PassThroughEndpoints.Delete(ctx, id)
		},
		done: func(l passThroughList) bool { _, ok := l[id]; return !ok },
	}
}

// passThroughPathHolder finds another entry serving the same path with an
// overlapping set of methods (none: all of them).
func passThroughPathHolder(l passThroughList, id string, in PassThroughEndpointArgs) (litellm.PassThroughEndpoint, bool) {
	for _, k := range passThroughSorted(l) {
		x := l[k]
		if k == id || x["path"] != in.Path {
			continue
		}
		var theirs []string
		for _, m := range passThroughAsList(x["methods"]) {
			theirs = append(theirs, strings.ToUpper(fmt.Sprint(m)))
		}
		if len(theirs) == 0 || len(in.Methods) == 0 || slices.ContainsFunc(in.Methods, func(m string) bool {
			return slices.Contains(theirs, strings.ToUpper(m))
		}) {
			return x, true
		}
	}
	return nil, false
}

func passThroughAsList(v any) []any {
	l, _ := v.([]any)
	return l
}

func passThroughState(id string, in PassThroughEndpointArgs, w Writes) PassThroughEndpointState {
	in.EndpointID = &id
	return PassThroughEndpointState{PassThroughEndpointArgs: in, EndpointID: id, Writes: w}
}

// passThroughBody is the entry as configured, with its ID.
func passThroughBody(id string, in PassThroughEndpointArgs) litellm.PassThroughEndpoint {
	body := litellm.PassThroughEndpoint(objectOf(in))
	body["id"] = id
	return body
}

// passThroughFromServer is the entry as the inputs see it.
func passThroughFromServer(x litellm.PassThroughEndpoint) object {
	obj := object{}
	for k, v := range x {
		if passThroughReadable(k) {
			obj[k] = v
		}
	}
	return obj
}

// passThroughMatches: the server shows every configured field.
func passThroughMatches(x litellm.PassThroughEndpoint, in PassThroughEndpointArgs) bool {
	return shows(passThroughFromServer(x), objectOf(in), nil)
}

// passThroughArgsFromServer rebuilds inputs: on refresh the fields the user
// owns, on import every readable field that is not a default the proxy
// filled in; endpointId and adoptExisting are kept as configured.
func passThroughArgsFromServer(x litellm.PassThroughEndpoint, prior PassThroughEndpointArgs, importing bool) (PassThroughEndpointArgs, error) {
	server := passThroughFromServer(x)
	var obj object
	if importing {
		obj, _ = adoptFields(server, func(k string) bool { return passThroughDefault(k, server[k]) })
		obj = withoutEmptyDefaults(obj)
	} else {
		obj = ownedFields(server, objectOf(prior), nil)
	}
	var out PassThroughEndpointArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, err
	}
	out.EndpointID, out.AdoptExisting = prior.EndpointID, prior.AdoptExisting
	return out, nil
}
