package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/uuid"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// Ownership: how the provider tells the objects it created from everyone
// else's, so that it never takes over an object it did not create and can
// find its own after an interruption (README, "Ownership").
//
// Every object the provider writes carries a mark in the free-form object
// LiteLLM keeps for it (model_info, credential_info): the stack's owner ID
// (generated once per provider and kept in the stack's state, see
// Config.OwnerID) and the resource's URN. An object counts as ours for an
// adoption only when both match; an object this stack's state already holds
// is foreign only when neither matches (a resource renamed with an alias
// keeps its owner, one moved to another provider keeps its URN).

// markKey is the key of the ownership mark in model_info / credential_info.
const markKey = "pulumi"

// mark is the ownership mark. Attempt identifies the create call that wrote
// it, so that a create whose answer was lost recognises its own object.
type mark struct {
	Owner   string `json:"owner"`
	URN     string `json:"urn"`
	Attempt string `json:"attempt,omitempty"`
}

func (m mark) object() map[string]any {
	obj := map[string]any{"owner": m.Owner, "urn": m.URN}
	if m.Attempt != "" {
		obj["attempt"] = m.Attempt
	}
	return obj
}

// markIn reads the mark from an object's free-form map.
func markIn(obj map[string]any) (mark, bool) {
	raw, ok := obj[markKey].(map[string]any)
	if !ok {
		return mark{}, false
	}
	owner, _ := raw["owner"].(string)
	urn, _ := raw["urn"].(string)
	attempt, _ := raw["attempt"].(string)
	return mark{Owner: owner, URN: urn, Attempt: attempt}, owner != "" || urn != ""
}

// identity is who the provider acts for in one call.
type identity struct {
	owner   string
	urn     presource.URN
	attempt string // set for a create call (attempting)
}

func (id identity) mark() mark {
	return mark{Owner: id.owner, URN: string(id.urn), Attempt: id.attempt}
}

// attempting is the identity of one create call, with its own attempt ID.
func (id identity) attempting() identity {
	id.attempt = uuid.NewString()
	return id
}

// thisAttempt reports whether the mark was written by this create call.
func (id identity) thisAttempt(m mark, marked bool) bool {
	return id.created(m, marked) && id.attempt != "" && m.Attempt == id.attempt
}

// created reports whether an object with this mark was created by this
// resource of this stack: only such an object may be adopted without
// adoptExisting.
func (id identity) created(m mark, marked bool) bool {
	return marked && m.Owner == id.owner && m.URN == string(id.urn)
}

// foreign reports whether an object at an ID this resource already holds in
// its state now belongs to someone else.
func (id identity) foreign(m mark, marked bool) bool {
	return marked && m.Owner != id.owner && m.URN != string(id.urn)
}

// describeOwner names the owner of a marked object for error messages.
func (id identity) describeOwner(m mark, marked bool) string {
	switch {
	case !marked:
		return "it was not created by Pulumi (or by a provider version without ownership marks)"
	case m.Owner == id.owner && m.URN == string(id.urn):
		return "it is this resource's own object"
	case m.Owner == id.owner:
		return fmt.Sprintf("it belongs to %s in this stack", m.URN)
	case m.URN == string(id.urn):
		return fmt.Sprintf("it belongs to %s of another stack with the same name (owner %s)", m.URN, m.Owner)
	}
	return fmt.Sprintf("it belongs to %s (another stack)", m.URN)
}

// derivedID is the ID of an object whose ID the program does not choose:
// derived from the owner, the URN and the ID the object replaces ("" for a
// first create). A create interrupted before the engine recorded it is
// retried under the same ID, where the next `pulumi up` finds and adopts it
// with one read by ID (LiteLLM's listings are served per worker; its reads
// by ID reach the database).
func derivedID(owner string, urn presource.URN, replaces string) string {
	return uuid.NewSHA1(idNamespace, []byte(owner+"\n"+string(urn)+"\n"+replaces)).String()
}

var idNamespace = uuid.MustParse("6f1c1b7e-3c1d-4a53-9b55-9d8c1f0a2e4d")

// journal remembers, for the life of one provider process (one engine
// run), what a later call must know: the ID that a replacement planned by
// Diff replaces, and the IDs at which Create replaced an object of the same
// resource in place (whose later delete by the engine is moot). It cannot learn whether a Create is a first create or a
// `pulumi up --replace`: the engine calls Check without the old inputs in
// both cases, and skips Diff for a targeted replace (pulumi/pkg
// resource/deploy/step_generator.go).
type journal struct {
	mu       sync.Mutex
	replaces map[presource.URN]string          // from Diff
	inPlace  map[presource.URN]map[string]bool // from Create
}

func newJournal() *journal {
	return &journal{replaces: map[presource.URN]string{}, inPlace: map[presource.URN]map[string]bool{}}
}

func (j *journal) replacing(urn presource.URN, id string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.replaces[urn] = id
}

// replaced returns the ID a planned replacement of urn replaces ("" if none
// is known).
func (j *journal) replaced(urn presource.URN) string {
	if j == nil {
		return ""
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.replaces[urn]
}

func (j *journal) replacedInPlace(urn presource.URN, id string) {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.inPlace[urn] == nil {
		j.inPlace[urn] = map[string]bool{}
	}
	j.inPlace[urn][id] = true
}

// wasReplacedInPlace reports whether this run's Create of urn replaced the
// object at id in place.
func (j *journal) wasReplacedInPlace(urn presource.URN, id string) bool {
	if j == nil {
		return false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.inPlace[urn][id]
}

// call is what the provider-level middleware (provider.go) passes to the
// resource methods through the context: the resource's URN, the journal
// and the provider's configuration.
type call struct {
	urn       presource.URN
	journal   *journal
	config    *Config
	snapshots *snapshots
}

type callKey struct{}

func withCall(ctx context.Context, c call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

func callOf(ctx context.Context) call {
	c, _ := ctx.Value(callKey{}).(call)
	return c
}

// unmarked is how a create proves that an object at its ID is its own when
// the kind has no free-form map to carry the ownership mark (budgets,
// customers). The create's own answer is authoritative (LiteLLM's
// duplicate check is the primary's unique constraint), so an object found
// after a create is this call's only when an earlier create of this call
// may have landed (its answer was lost) and the object shows exactly what
// was sent (on resume, where the stack's state holds the ID, an earlier
// run's create may be the one that landed); an object at this resource's
// derived ID is an earlier create of this resource (nobody else computes
// that ID). Anything else is not taken over without adoptExisting.
type unmarked struct {
	me      identity // the create call's identity (attempting)
	derived bool     // the ID is the one objectIDFor derives for this resource
	unsure  bool     // a create of this call (or, on resume, of this resource) may have landed without an answer
}

// sent records a create's outcome: an ambiguous one may have landed.
func (u *unmarked) sent(err error) error {
	if litellm.IsAmbiguous(err) {
		u.unsure = true
	}
	return err
}

// markOf is the ownership mark an object found at the ID stands for; shows
// says whether it shows the desired state.
func (u *unmarked) markOf(shows bool) (mark, bool) {
	switch {
	case u.unsure && shows:
		return u.me.mark(), true // this call's own write, whose answer was lost
	case u.derived:
		return mark{Owner: u.me.owner, URN: string(u.me.urn)}, true // an earlier create of this resource
	}
	return mark{}, false
}
