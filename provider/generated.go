package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// The create policy of the kinds whose ID the proxy chooses (unified access
// groups, MCP toolsets, agents, JWT key mappings, policy attachments, ...):
// their create takes no ID of ours, so the derived IDs of objectIDFor
// cannot find an interrupted create again. Such an object is found instead
// by what makes it unique on the proxy (a name, a claim), or by its
// ownership mark where the kind has a free-form map. runCreateGenerated is
// the one function their Creates call; everything else (read, update,
// delete) goes through ops.go as for every kind, with the ID the create
// returned.

// generatedOp is one create of a kind with a server-generated ID.
type generatedOp[T any] struct {
	kind, what string                                // "agent", "agent support-bot"
	create     func(context.Context) (string, error) // one create call; returns the ID the proxy chose
	// find lists the objects an earlier attempt of this resource may have
	// made: by its ownership mark where the kind has a free-form map
	// (metadata, *_info), else by the unique fields the user set (a name, a
	// claim). ours says whether one of them is this resource's (its mark,
	// or for mark-less kinds: the same unique fields and what this create
	// sends); taken says whether one is someone else's object holding our
	// unique name (a conflict).
	find  func(context.Context) ([]T, error)
	idOf  func(T) string
	ours  func(T) bool
	taken func(T) bool
	// adoptExisting: an object that is taken is taken over instead of
	// failing (the user asked for it).
	adoptExisting bool
	conflictHint  string // how to resolve a conflict (import command, adoptExisting)

	// Optional.
	//
	// findAuthoritative: find reads the database (the proxy's primary), so
	// an empty answer proves that no earlier attempt landed and the create
	// may be sent again at once. False (the default): find is served from
	// a worker's memory, and only after the settle time is its miss
	// believed.
	findAuthoritative bool
	// adopt brings an object found (ours, or taken with adoptExisting) up to
	// date with the desired state, unless matches says it already shows it.
	// nil: the object is returned as found and the caller's Create updates
	// it (adopted reports when).
	adopt   func(context.Context, T) error
	matches func(T) bool
	// adopted is set to true when the ID returned is an existing object's
	// (found before or after a create whose answer was lost), not the answer
	// of a create.
	adopted *bool
}

// runCreateGenerated creates the object, or finds the one an earlier attempt
// of this resource made, and never takes over anyone else's (ownership.go).
//
// Before the first create, find runs: one of ours is an interrupted earlier
// create (the engine never recorded it) and is adopted; a foreign holder of
// our unique name is a conflict at once (unless adoptExisting). Then the
// create is sent; its answer's ID is returned for the caller to record at
// once (created). An ambiguous answer (litellm.IsAmbiguous: the create may
// have landed) is settled by find, repeated within the settle time, never
// by a blind second create: only when find is authoritative and shows
// nothing (the database at once; a worker's memory after the settle time)
// is the create sent again. When the outcome stays unknown the error says
// that the next `pulumi up` looks the object up again (it does: find runs
// first). Nothing can be recorded without an ID, so a failure returns
// out.mayExist false: the engine records nothing, and the next run's find
// is what prevents a duplicate.
func runCreateGenerated[T any](ctx context.Context, e env, op generatedOp[T]) (id string, out createOutcome, err error) {
	var (
		start     = e.now()
		first     = true // no create sent yet: look for an earlier attempt first
		uncertain bool   // the last create's outcome is unknown: find before sending it again
		conflict  bool   // the proxy says the unique name exists: find it to decide
		strikes   int    // ambiguous answers after the settle time with nothing found
		sentAt    = start
	)
	setAdopted := func(v bool) {
		if op.adopted != nil {
			*op.adopted = v
		}
	}
	setAdopted(false)
	// resolve looks for an object of ours (or one that is taken): done
	// reports that the ID is settled.
	resolve := func(ctx context.Context) (done bool, err error) {
		items, err := op.find(ctx)
		if err != nil {
			return false, err
		}
		for _, v := range items {
			if op.ours(v) {
				id = op.idOf(v)
				setAdopted(true)
				if first {
					e.logf(ctx, "%s exists and is this resource's (left by an interrupted create, id %s): adopting it", op.what, id)
				}
				return true, keepIDIf(&id, adoptFound(ctx, e, op, v))
			}
		}
		for _, v := range items {
			if !op.taken(v) {
				continue
			}
			if op.adoptExisting {
				id = op.idOf(v)
				setAdopted(true)
				e.warnf(ctx, "adoptExisting: taking over %s (id %s), which was not created by this resource", op.what, id)
				return true, keepIDIf(&id, adoptFound(ctx, e, op, v))
			}
			return false, permanent{&conflictError{fmt.Sprintf("%s already exists on the proxy (id %s) and was not created "+
				"by this resource (or its settings differ from this program's); it is not taken over: %s",
				op.what, op.idOf(v), op.conflictHint)}, true}
		}
		return false, nil
	}
	err = consistency.Do(ctx, e.policy, "create of "+op.what, func(ctx context.Context) error {
		if first || uncertain || conflict {
			done, err := resolve(ctx)
			switch {
			case err != nil || done:
				return err
			case conflict && !e.settled(sentAt):
				return notYet(fmt.Sprintf("the proxy says %s already exists, but no listing shows it yet", op.what))
			case conflict:
				return permanent{fmt.Errorf("the proxy refuses to create %s because it already exists, but no listing "+
					"shows it: check the proxy's logs", op.what), false}
			case uncertain && !op.findAuthoritative && !e.settled(sentAt):
				// A worker that has not loaded the object yet answered: the
				// earlier create may still have landed.
				return notYet(fmt.Sprintf("the outcome of the create of %s is unknown and no listing shows it yet", op.what))
			}
			// Nothing of ours anywhere (authoritatively): send the create
			// (again); if an earlier attempt did land after all, the proxy
			// answers with a conflict on the unique name.
		}
		first = false
		sentAt = e.now()
		got, err := op.create(ctx)
		switch {
		case err == nil && got != "":
			id, uncertain, conflict = got, false, false
			return nil
		case err == nil:
			// A 2xx without an ID: the object may exist; find it.
			uncertain, out.mayExist = true, true
			return notYet(fmt.Sprintf("the proxy answered the create of %s without an ID", op.what))
		case litellm.IsConflict(err):
			conflict = true
			return errNotYet
		case litellm.IsAmbiguous(err):
			uncertain, out.mayExist = true, true
			if e.settled(start) {
				if strikes++; strikes >= 2 {
					return permanent{fmt.Errorf("%s: the proxy keeps failing the create and no listing shows the object: %w", op.what, err), false}
				}
			}
			return err
		}
		return err
	}, e.progress())
	var perm permanent
	if errors.As(err, &perm) {
		err = perm.error
	}
	callOf(e.ctx).snapshots.forget(op.kind, id)
	switch {
	case err == nil:
		return id, createOutcome{mayExist: true}, nil
	case id != "":
		// Created (or found), then a write after it failed: record it.
		return id, createOutcome{mayExist: true}, err
	case out.mayExist && !(perm.error != nil && perm.taken):
		// No ID to record: the engine records nothing, and the next run's
		// find (before its first create) adopts the object if it landed.
		return "", createOutcome{}, fmt.Errorf("%w; the create may have reached the proxy, but its ID is not known: the next "+
			"`pulumi up` looks %s up again before it creates anything, and adopts it if it exists (no second one)", err, op.what)
	}
	return "", createOutcome{}, err
}

// keepIDIf forgets the ID of an object found when bringing it up to date
// failed: a listing served from a worker's memory may show an object that
// is gone (its update answers "not found"), and only an object known to
// exist may be recorded.
func keepIDIf(id *string, err error) error {
	if err != nil {
		*id = ""
	}
	return err
}

// adoptFound brings an object found by runCreateGenerated up to date when
// the kind gave it a way to.
func adoptFound[T any](ctx context.Context, e env, op generatedOp[T], v T) error {
	if op.adopt == nil || (op.matches != nil && op.matches(v)) {
		return nil
	}
	e.logf(ctx, "%s: bringing the object up to date", op.what)
	err := op.adopt(ctx, v)
	if litellm.IsNotFound(err) {
		return errNotYet // a lagging read replica, right after the listing showed it
	}
	return err
}

// generatedUpdate is one update of a kind with a server-generated ID.
type generatedUpdate[T any] struct {
	objectID  string
	writtenAt time.Time                   // our last write; a "not found" within the settle time after it may be a lagging replica
	patch     func(context.Context) error // write the desired state at objectID
	// recreate creates the object again when it is gone (deleted out of
	// band): the proxy chooses a new ID, which the caller records in the
	// state's ID output (the engine's resource ID follows at the next
	// refresh, whose Read answers with it).
	recreate generatedOp[T]
}

// runUpdateGenerated writes the desired state; an object missing from the
// proxy is created again through runCreateGenerated (which first looks for
// one of ours, so an interrupted recreate is not repeated). It returns the
// object's ID: objectID, or the new one.
func runUpdateGenerated[T any](ctx context.Context, e env, op generatedUpdate[T]) (string, createOutcome, error) {
	err := consistency.Do(ctx, e.policy, "update of "+op.recreate.what, func(ctx context.Context) error {
		err := op.patch(ctx)
		if litellm.IsNotFound(err) && !e.pastReplicaLag(op.writtenAt) {
			return errNotYet // a lagging read replica, right after our own write
		}
		return err
	}, e.progress())
	callOf(e.ctx).snapshots.forget(op.recreate.kind, op.objectID)
	if litellm.IsNotFound(err) {
		e.logf(ctx, "%s (id %s) is missing on the proxy: creating it again (the proxy chooses a new ID)", op.recreate.what, op.objectID)
		return runCreateGenerated(ctx, e, op.recreate)
	}
	return op.objectID, createOutcome{}, err
}

// ---- helpers the kinds with server-generated IDs share ----

// generatedObjectID is the object's ID for a kind whose ID the proxy
// chooses: the ID output, which an update that recreated the object moved
// ahead of the engine's resource ID, else the resource ID.
func generatedObjectID(resourceID, output string) string {
	if output != "" {
		return output
	}
	return resourceID
}

// keepRows keeps the rows keep accepts.
func keepRows[T any](rows []T, keep func(T) bool) []T {
	var out []T
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// exactly: server shows every key of want, and holds nothing else but
// nulls and empty lists and maps.
func exactly(server, want object) bool {
	if !shows(server, want, nil) {
		return false
	}
	for k, v := range withoutEmptyDefaults(server) {
		if _, set := want[k]; !set && v != nil {
			return false
		}
	}
	return true
}

// byUniqueName turns a target into one that finds its object in a listing
// by a unique field (a getX function's lookup by name); none is a miss.
func byUniqueName[T any](t target[T], what string, list func(context.Context) ([]T, error), is func(T) bool) target[T] {
	t.what = what
	t.get = func(ctx context.Context) (T, error) {
		var zero T
		rows, err := list(ctx)
		if err != nil {
			return zero, err
		}
		for _, r := range rows {
			if is(r) {
				return r, nil
			}
		}
		return zero, &litellm.Error{Kind: litellm.KindNotFound, Op: "list", Status: http.StatusOK, Message: what + " is not in the listing"}
	}
	return t
}
