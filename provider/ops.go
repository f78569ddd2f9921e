package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// The one create/read/update/delete policy of every kind. A kind passes in
// its calls as functions (target, createOp, ...); this file decides what an
// answer means for the stack: whether an earlier attempt may have landed
// (from the client's IsAmbiguous, never from IsTransient), whether an
// existing object is ours (ownership.go), when a miss or a difference is
// believed, and what is recorded after a failure. Waiting and retrying stay
// in the consistency package.

// target is one object on the proxy, as the policies see it.
type target[T any] struct {
	kind     string // the kind's name, for the listing snapshot ("model")
	objectID string // the object's ID (the resource ID)
	what     string // "model gpt-4o (id 1234)", for messages and progress
	// list reads every object of the kind that one worker serves, keyed by
	// ID, for the listing snapshot (nil: the kind has no listing).
	list   func(context.Context) (map[string]T, error)
	get    func(context.Context) (T, error) // read by ID (a miss is KindNotFound)
	markOf func(T) (mark, bool)             // the object's ownership mark
}

// createOp is one create of a kind.
type createOp[T any] struct {
	target[T]
	id     identity
	create func(context.Context) error // one create call
	del    func(context.Context) error // delete the object at this ID
	// adopt writes the desired state, with our mark, over an existing
	// object that may be taken (this resource's own, or adoptExisting).
	adopt   func(context.Context) error
	matches func(T) bool // the object shows the desired state (no adopt needed)
	// resume: the ID is this resource's own in the stack's state (an update
	// recreating a missing object, or settling a create whose outcome was
	// unknown): an object marked as this resource's is brought up to date.
	// Otherwise (a Create) such an object is replaced in place: it is an
	// orphan of an interrupted create, or the object a `pulumi up
	// --replace` replaces under a kept ID, which the engine deletes
	// afterwards (runDelete then leaves the new one alone).
	resume        bool
	adoptExisting bool
	conflictHint  string // how to resolve a conflict (import command, adoptExisting)
	// retryable marks kind-specific errors that mean "not yet" within the
	// settle time (e.g. a credential copying a model no worker serves yet).
	retryable func(error) bool
}

// errNotYet asks the consistency loop for another attempt.
var errNotYet = notYet("not visible yet")

type notYet string

func (e notYet) Error() string   { return string(e) }
func (e notYet) Retryable() bool { return true }
func (e notYet) Waiting() bool   { return true } // not a failure: no failure count applies

// permanent wraps an error that must stop the loop at once. taken: the ID
// is held by an object that is not this attempt's, so nothing of ours can
// have landed.
type permanent struct {
	error
	taken bool
}

func (e permanent) Unwrap() error   { return e.error }
func (e permanent) Retryable() bool { return false }

// createOutcome says what a failed create leaves behind.
type createOutcome struct {
	mayExist bool // an attempt may have landed: record the object (partial state)
}

// refuseExisting is the first step of a create whose write is an upsert
// (LiteLLM would silently replace what exists): a read that finds the
// object answers a conflict (the create policy then decides whose it is),
// a miss lets the write go ahead.
func refuseExisting[T any](ctx context.Context, get func(context.Context) (T, error), op, exists string) error {
	switch _, err := get(ctx); {
	case err == nil:
		return &litellm.Error{Kind: litellm.KindConflict, Op: op, Message: exists}
	case !litellm.IsNotFound(err):
		return err
	}
	return nil
}

// runCreate creates the object, or finds that an earlier attempt of ours
// did, and never takes over anyone else's object (ownership.go). An answer
// whose outcome is unknown (IsAmbiguous) is settled by reading the ID
// before the create is sent again.
func runCreate[T any](ctx context.Context, e env, op createOp[T]) (createOutcome, error) {
	var (
		out       createOutcome
		start     = e.now()
		uncertain bool // the last create's outcome is unknown: read before sending it again
		conflict  bool // the proxy says the ID exists: read it to decide
		strikes   int  // ambiguous answers after the settle time with nothing visible
		// replacedInPlace: an object of this resource's at the ID was
		// deleted to be created again (its delete by the engine is moot).
		replacedInPlace bool
	)
	adopt := func(ctx context.Context) error {
		err := op.adopt(ctx)
		if litellm.IsNotFound(err) || litellm.IsCommitted(err) {
			// A read showed the object: a write's "not found" comes from a
			// lagging read replica (docs/litellm/consistency.md).
			if litellm.IsCommitted(err) {
				return nil
			}
			return errNotYet
		}
		return err
	}
	resolve := func(ctx context.Context, v T) error {
		m, marked := op.markOf(v)
		switch {
		case op.id.thisAttempt(m, marked) || (op.id.created(m, marked) && op.resume):
			// This call's own write (its answer was lost), or this resource's
			// object under its recorded ID.
			if op.matches != nil && op.matches(v) {
				return nil
			}
			e.logf(ctx, "%s: bringing this resource's object up to date", op.what)
			return adopt(ctx)
		case op.id.created(m, marked):
			e.logf(ctx, "%s exists and is this resource's (left by an interrupted create, or replaced by "+
				"`pulumi up --replace`): replacing it in place", op.what)
			if err := op.del(ctx); err != nil && !litellm.IsNotFound(err) {
				return err
			}
			replacedInPlace = true
			uncertain, conflict = false, false
			return errNotYet // send the create again
		case op.adoptExisting:
			e.warnf(ctx, "adoptExisting: taking over %s (%s)", op.what, op.id.describeOwner(m, marked))
			return adopt(ctx)
		}
		return permanent{&conflictError{fmt.Sprintf("%s already exists on the proxy and %s; it is not taken over: %s",
			op.what, op.id.describeOwner(m, marked), op.conflictHint)}, true}
	}
	err := consistency.Do(ctx, e.policy, "create of "+op.what, func(ctx context.Context) error {
		if uncertain || conflict {
			v, err := op.get(ctx)
			switch {
			case err == nil:
				return resolve(ctx, v)
			case !litellm.IsNotFound(err):
				return err
			case conflict && !e.settled(start):
				// The proxy says it exists; this worker has not loaded it yet.
				return notYet(fmt.Sprintf("the proxy says %s already exists, but no read shows it yet (an ID or name "+
					"collision with an object another worker has not loaded)", op.what))
			case conflict:
				return permanent{fmt.Errorf("the proxy refuses to create %s because it already exists, but no read shows it: "+
					"the proxy's workers may be unable to load it (see the proxy's logs)", op.what), false}
			}
			// Not there (or not visible yet): send the create again; if the
			// earlier attempt did land, the proxy answers with a conflict.
		}
		err := op.create(ctx)
		switch {
		case err == nil:
			return nil
		case litellm.IsCommitted(err):
			e.warnf(ctx, "%s was saved, but the proxy worker that answered does not serve it yet: %v", op.what, err)
			return nil
		case litellm.IsConflict(err):
			conflict, out.mayExist = true, out.mayExist || uncertain
			return errNotYet
		case litellm.IsAmbiguous(err):
			uncertain, out.mayExist = true, true
			if e.settled(start) {
				if strikes++; strikes >= 2 {
					return permanent{fmt.Errorf("%s: the proxy keeps failing the create and no read shows the object: %w", op.what, err), false}
				}
			}
			return err
		case op.retryable != nil && op.retryable(err) && !e.settled(start):
			return errNotYet
		}
		return err
	}, e.progress())
	var perm permanent
	if errors.As(err, &perm) {
		err = perm.error
		if perm.taken {
			out.mayExist = false // the ID is held by another object: no attempt of ours landed
		}
	}
	callOf(e.ctx).snapshots.forget(op.kind, op.objectID)
	if err == nil {
		out.mayExist = true
		if replacedInPlace {
			callOf(e.ctx).journal.replacedInPlace(op.id.urn, op.objectID)
		}
	}
	return out, err
}

// conflictError: the ID or name is taken by an object that is not ours.
type conflictError struct{ msg string }

func (e *conflictError) Error() string { return e.msg }

// readOp is one refresh or import read.
type readOp[T any] struct {
	target[T]
	id        identity
	matches   func(T) bool // the object shows what this stack last wrote
	writtenAt time.Time    // our last write that may have landed; zero: none known
	importing bool
}

// readPrior returns the inputs a Read compares with: the old inputs, else
// the inputs recorded in the state (a refresh without the old inputs).
// Neither (empty reports it): the Read is an import.
func readPrior[I any](inputs, fromState I, empty func(I) bool) (prior I, importing bool) {
	if empty(inputs) {
		inputs = fromState
	}
	return inputs, empty(inputs)
}

// runRead reads the object. found is false when it is gone.
//
// On refresh, an answer is believed when it is authoritative for the stack:
// one that shows what we last wrote, or any answer once the settle time has
// passed since that write (every worker has reloaded since, so even a read
// served from one worker's memory reflects the database). Within the settle
// time a miss or an older version may be a worker that has not reloaded
// yet, and the read is repeated until it shows the write or the settle
// time ends. An object now marked by someone else is gone for this stack.
//
// On import there is no earlier write: a miss fails the import.
func runRead[T any](ctx context.Context, e env, op readOp[T]) (T, bool, error) {
	if op.importing {
		var v T
		err := consistency.Do(ctx, e.policy, "read of "+op.what, func(ctx context.Context) error {
			var err error
			v, err = op.get(ctx)
			return err
		}, e.progress())
		if litellm.IsNotFound(err) {
			return v, false, fmt.Errorf("cannot import %s: the proxy has no such object (%w); check the ID. "+
				"An object created in the last %s may not be loaded yet by the worker that answered: try again then",
				op.what, err, e.policy.Settle.Round(time.Second))
		}
		return v, err == nil, err
	}
	var last T
	var seen, first = false, true
	v, err := consistency.Await(ctx, e.policy, op.what+" to read back", func(ctx context.Context) (T, consistency.State, error) {
		var v T
		var err error
		if listed, ok := listedOnce(ctx, e, op.target, first); ok {
			v = listed
		} else {
			v, err = op.get(ctx)
		}
		first = false
		switch {
		case litellm.IsNotFound(err):
			if e.settled(op.writtenAt) {
				return v, consistency.Gone, nil
			}
			return v, consistency.Pending, nil
		case err != nil:
			return v, consistency.Pending, err
		}
		last, seen = v, true
		if m, marked := op.markOf(v); op.id.foreign(m, marked) {
			e.warnf(ctx, "%s is now managed by someone else (%s): it leaves this stack", op.what, op.id.describeOwner(m, marked))
			return v, consistency.Gone, nil
		}
		if op.matches(v) || e.settled(op.writtenAt) {
			return v, consistency.Ready, nil
		}
		return v, consistency.Pending, nil
	}, e.progress())
	var te *consistency.TimeoutError
	switch {
	case errors.Is(err, consistency.ErrGone):
		return v, false, nil
	case errors.As(err, &te) && seen:
		return last, true, nil // out of time within the settle window: the last answer stands
	case errors.As(err, &te):
		return v, false, fmt.Errorf("%s: no read found it within the time allowed, but it was written %s ago, "+
			"less than the proxy's settle time (%s): it is kept; refresh again later (%w)",
			op.what, e.now().Sub(op.writtenAt).Round(time.Second), e.policy.Settle, err)
	}
	return v, err == nil, err
}

// updateOp is one update of a kind.
type updateOp[T any] struct {
	writtenAt time.Time                   // our last write; a "not found" within the settle time after it may be a lagging replica
	patch     func(context.Context) error // write the desired state, with our mark
	// resume recreates the object under the same ID when it is missing, or
	// settles a create whose outcome was never known.
	resume createOp[T]
	// unconfirmed: the create's outcome was never known (createPending):
	// run the create policy instead of writing blindly over the ID.
	unconfirmed bool
}

// overwrite is a write whose body depends on the object's current state
// (LiteLLM replaces the whole metadata, so an update must carry the keys it
// does not own): it reads the object at id, then updates it with
// body(current). A miss of the read is the update's miss.
func overwrite[T any](get func(context.Context, string) (T, error), update func(context.Context, string, T) error,
	id string, body func(current T) T) func(context.Context) error {
	return func(ctx context.Context) error {
		current, err := get(ctx, id)
		if err != nil {
			return err
		}
		return update(ctx, id, body(current))
	}
}

// runUpdate writes the desired state. An object missing from the proxy
// (deleted out of band, or a create that never landed) is created again
// under the same ID.
func runUpdate[T any](ctx context.Context, e env, op updateOp[T]) (createOutcome, error) {
	if op.unconfirmed {
		return runCreate(ctx, e, op.resume)
	}
	err := consistency.Do(ctx, e.policy, "update of "+op.resume.what, func(ctx context.Context) error {
		err := op.patch(ctx)
		switch {
		case litellm.IsCommitted(err):
			e.warnf(ctx, "%s was saved, but the proxy worker that answered does not serve it yet: %v", op.resume.what, err)
			return nil
		case litellm.IsNotFound(err) && !e.pastReplicaLag(op.writtenAt):
			return errNotYet // a lagging read replica, right after our own write
		}
		return err
	}, e.progress())
	callOf(e.ctx).snapshots.forget(op.resume.kind, op.resume.objectID)
	if litellm.IsNotFound(err) {
		e.logf(ctx, "%s is missing on the proxy: creating it again", op.resume.what)
		return runCreate(ctx, e, op.resume)
	}
	// A failed write leaves the recorded state as it was; the next run
	// writes again (the write is idempotent).
	return createOutcome{}, err
}

// deleteOp is one delete of a kind.
type deleteOp[T any] struct {
	target[T]
	id        identity
	del       func(context.Context) error
	writtenAt time.Time // our last write; a "not found" within the settle time after it may be a lagging replica
}

// runDelete deletes the object. A delete's own answer is authoritative (it
// comes from the database): success, or a "not found" when the object is
// already gone, ends it at once, with no wait for workers that still serve
// the object from memory. An object now marked by someone else is left
// alone: the stack forgets it.
func runDelete[T any](ctx context.Context, e env, op deleteOp[T]) error {
	if callOf(e.ctx).journal.wasReplacedInPlace(op.id.urn, op.objectID) {
		// A replacement under a kept ID: this run's Create already replaced
		// the old object in place, and the object at this ID is the new one.
		e.logf(ctx, "%s was replaced in place by this run: the old object is already gone", op.what)
		return nil
	}
	v, err := op.get(ctx)
	if err == nil {
		if m, marked := op.markOf(v); op.id.foreign(m, marked) {
			e.warnf(ctx, "%s is now managed by someone else (%s): it is left on the proxy", op.what, op.id.describeOwner(m, marked))
			return nil
		}
	}
	callOf(e.ctx).snapshots.forget(op.kind, op.objectID)
	return consistency.Do(ctx, e.policy, "delete of "+op.what, func(ctx context.Context) error {
		err := op.del(ctx)
		switch {
		case err == nil:
			return nil
		case !litellm.IsNotFound(err):
			return err
		case e.pastReplicaLag(op.writtenAt):
			return nil
		}
		// "Not found" right after our own write: the database read may have
		// gone to a lagging read replica. Try again for a while.
		return errNotYet
	}, e.progress())
}

// created turns the outcome of a create into the engine's answer: a failed
// create that may have landed is recorded (partial state) so that nothing is
// orphaned; one that cannot have landed records nothing.
func created[O any](id string, state O, out createOutcome, err error) (infer.CreateResponse[O], error) {
	switch {
	case err == nil:
		return infer.CreateResponse[O]{ID: id, Output: state}, nil
	case out.mayExist:
		return infer.CreateResponse[O]{ID: id, Output: state}, initFailed(err)
	}
	return infer.CreateResponse[O]{}, err
}

// updated turns the outcome of an update into the engine's answer: a
// recreate that may have landed is recorded like a partial create; any
// other failure keeps the recorded state.
func updated[O any](state O, out createOutcome, err error) (infer.UpdateResponse[O], error) {
	switch {
	case err == nil:
		return infer.UpdateResponse[O]{Output: state}, nil
	case out.mayExist:
		return infer.UpdateResponse[O]{Output: state}, initFailed(err)
	}
	return infer.UpdateResponse[O]{}, err
}

// reportImport tells the user what an import could not adopt: values the
// proxy masks (add them to the program, as secrets), and an ownership mark
// of another stack.
func reportImport(ctx context.Context, e env, what string, left []string, marked map[string]any) {
	if len(left) > 0 {
		e.warnf(ctx, "%s: the proxy returns %s masked or encrypted, so they were not imported: add them to the program "+
			"(as secrets) or the next update leaves them as they are", what, strings.Join(left, ", "))
	}
	if m, ok := markIn(marked); ok && !e.identity().created(m, ok) {
		e.warnf(ctx, "%s was created by Pulumi for %s: after this import two stacks may manage it", what, m.URN)
	}
}

func initFailed(err error) error {
	return infer.ResourceInitFailedError{Reasons: []string{
		err.Error() + "; the object may exist, so it is recorded in the stack: the next `pulumi up` settles it " +
			"(it never creates a second one)",
	}}
}

func (e env) logf(ctx context.Context, format string, args ...any) {
	p.GetLogger(ctx).Infof(format, args...)
}

func (e env) warnf(ctx context.Context, format string, args ...any) {
	p.GetLogger(ctx).Warningf(format, args...)
}

// Writes is what every resource's state records about the provider's
// writes of its object (embedded in each kind's State).
type Writes struct {
	WrittenAt     *string `pulumi:"writtenAt,optional"`
	CreatePending *bool   `pulumi:"createPending,optional"`
}

func describeWrites(a infer.Annotator, w *Writes) {
	a.Describe(&w.WrittenAt, "When the provider last wrote the object (RFC 3339). Until the proxy's settle time "+
		"(twice litellm:reloadInterval) has passed, a refresh that finds an older version or no object reads again, "+
		"because a proxy worker that has not reloaded yet may have answered.")
	a.Describe(&w.CreatePending, "True when the create's outcome is not known (the proxy did not answer, or the "+
		"wait ran out): the next `pulumi up` settles it, adopting the object only if this resource created it.")
}

// writtenAt is the time of the last recorded write (zero if none).
func (w Writes) writtenAt() time.Time {
	t, err := time.Parse(time.RFC3339Nano, deref(w.WrittenAt))
	if err != nil {
		return time.Time{}
	}
	return t
}

// stamp records a write: its time, and whether a create's outcome is
// still unknown.
func stamp(e env, out createOutcome, err error) Writes {
	now := e.now().UTC().Format(time.RFC3339Nano)
	w := Writes{WrittenAt: &now}
	if err != nil && out.mayExist {
		pending := true
		w.CreatePending = &pending
	}
	return w
}

// objectIDFor is the ID a kind's Create uses. pinned is the ID the program
// chose ("" if none). Without one, the ID is derived from the owner, the URN
// and the ID a planned replacement replaces ("" for a first create or a
// `pulumi up --replace`), so that a create interrupted before the engine
// recorded it is found again by the next run with one read by ID.
func objectIDFor(e env, pinned string) string {
	if pinned != "" {
		return pinned
	}
	me := e.identity()
	return derivedID(me.owner, me.urn, callOf(e.ctx).journal.replaced(me.urn))
}

// awaitShown waits until get shows what matches asks for, confirmations
// reads in a row (a miss means "not yet").
func awaitShown[T any](ctx context.Context, e env, what string, confirmations int, get func(context.Context) (T, error), matches func(T) bool) error {
	_, err := consistency.Await(ctx, e.policy.WithConfirmations(confirmations), what, func(ctx context.Context) (T, consistency.State, error) {
		v, err := get(ctx)
		switch {
		case litellm.IsNotFound(err):
			return v, consistency.Pending, nil
		case err != nil:
			return v, consistency.Pending, err
		case !matches(v):
			return v, consistency.Pending, nil
		}
		return v, consistency.Ready, nil
	}, e.progress())
	return err
}

// The listing snapshot: a refresh reads every object of a stack, and one
// listing of a kind answers most of those reads at once (a refresh of 1000
// models made 2000 reads, one per model in the preview and one in the
// refresh). A listing is one worker's view, like the first read of a model
// by ID (LiteLLM answers /v2/model/info from the answering worker's router
// first), so only an object found in it is taken from it; any other read,
// and every read after the first of a wait, goes to the object by ID. A
// snapshot is kept for half the reload interval, the staleness every
// worker's copy already has, and an object this run writes is dropped from
// it.
type snapshots struct {
	mu    sync.Mutex
	kinds map[string]*snapshot
}

type snapshot struct {
	mu    sync.Mutex
	at    time.Time
	items map[string]any
	gone  map[string]bool // written by this run since the listing
}

func newSnapshots() *snapshots { return &snapshots{kinds: map[string]*snapshot{}} }

func (s *snapshots) of(kind string) *snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	sn, ok := s.kinds[kind]
	if !ok {
		sn = &snapshot{gone: map[string]bool{}}
		s.kinds[kind] = sn
	}
	return sn
}

func (s *snapshots) forget(kind, id string) {
	if s == nil || kind == "" {
		return
	}
	sn := s.of(kind)
	sn.mu.Lock()
	defer sn.mu.Unlock()
	sn.gone[id] = true
}

// listedOnce returns the object from the kind's snapshot on the first probe
// of a read, listing the kind when the snapshot is missing or old.
func listedOnce[T any](ctx context.Context, e env, t target[T], first bool) (T, bool) {
	var zero T
	s := callOf(e.ctx).snapshots
	if !first || s == nil || t.list == nil {
		return zero, false
	}
	sn := s.of(t.kind)
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.gone[t.objectID] {
		return zero, false
	}
	if sn.items == nil || e.now().Sub(sn.at) > e.policy.Settle/4 {
		items, err := t.list(ctx)
		if err != nil {
			e.logf(ctx, "listing %ss failed, reading one by one: %v", t.kind, err)
			items = map[string]T{}
		}
		sn.items, sn.at, sn.gone = map[string]any{}, e.now(), map[string]bool{}
		for id, v := range items {
			sn.items[id] = v
		}
	}
	v, ok := sn.items[t.objectID].(T)
	return v, ok
}

// runGet reads one object for a getX function. The answer is believed as
// for a refresh without an earlier write: an object found is returned at
// once; a miss is believed at once when the kind's read is the database's
// (authoritative), and otherwise (a worker's memory: models, credentials)
// only once the settle time has passed, because a worker that has not
// reloaded yet does not have an object created moments ago.
func runGet[T any](ctx context.Context, e env, t target[T], authoritative bool) (T, error) {
	start := e.now()
	v, err := consistency.Await(ctx, e.policy, t.what+" to be found", func(ctx context.Context) (T, consistency.State, error) {
		v, err := t.get(ctx)
		switch {
		case litellm.IsNotFound(err) && (authoritative || e.settled(start)):
			return v, consistency.Gone, nil
		case litellm.IsNotFound(err):
			return v, consistency.Pending, nil
		case err != nil:
			return v, consistency.Pending, err
		}
		return v, consistency.Ready, nil
	}, e.progress())
	if errors.Is(err, consistency.ErrGone) {
		return v, fmt.Errorf("%s does not exist on the proxy", t.what)
	}
	return v, err
}

// publicMetadata is a free-form map as a function returns it: without the
// ownership mark and without values under keys that look secret (a
// function's outputs carry no secrets).
func publicMetadata(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range m {
		if k != markKey && !litellm.SecretLooking(k) {
			out[k] = v
		}
	}
	return out
}

// managedBy is the URN in an object's ownership mark ("" when none): which
// Pulumi resource manages it, for the functions' outputs.
func managedBy(meta map[string]any) *string {
	m, ok := markIn(meta)
	if !ok || m.URN == "" {
		return nil
	}
	return &m.URN
}

// listAll runs a listing for a listX function through the consistency
// rules (transient faults retried, permanent ones at once).
func listAll[T any](ctx context.Context, e env, what string, list func(context.Context) ([]T, error)) ([]T, error) {
	var out []T
	err := consistency.Do(ctx, e.policy, "listing of "+what, func(ctx context.Context) error {
		var err error
		out, err = list(ctx)
		return err
	}, e.progress())
	return out, err
}

// listResults runs a listX function: the listing (through the consistency
// rules), every row mapped by result, sorted by key.
func listResults[T, R any](ctx context.Context, e env, what string, list func(context.Context) ([]T, error),
	result func(T) (R, error), key func(R) string) ([]R, error) {
	rows, err := listAll(ctx, e, what, list)
	if err != nil {
		return nil, err
	}
	out := make([]R, 0, len(rows))
	for _, row := range rows {
		r, err := result(row)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b R) int { return strings.Compare(key(a), key(b)) })
	return out, nil
}

// keepIf keeps the rows whose field equals *want (all rows when want is
// nil): a listX function's filters, applied to what the proxy listed.
func keepIf[R any](rows []R, want *string, field func(R) string) []R {
	if want == nil {
		return rows
	}
	out := rows[:0:0] // [] when none matches: a function's list output is never null
	for _, r := range rows {
		if field(r) == *want {
			out = append(out, r)
		}
	}
	return out
}
