package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/uuid"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
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

// mark is the ownership mark.
type mark struct {
	Owner string `json:"owner"`
	URN   string `json:"urn"`
}

func (m mark) object() map[string]any { return map[string]any{"owner": m.Owner, "urn": m.URN} }

// markIn reads the mark from an object's free-form map.
func markIn(obj map[string]any) (mark, bool) {
	raw, ok := obj[markKey].(map[string]any)
	if !ok {
		return mark{}, false
	}
	owner, _ := raw["owner"].(string)
	urn, _ := raw["urn"].(string)
	return mark{Owner: owner, URN: urn}, owner != "" || urn != ""
}

// identity is who the provider acts for in one call.
type identity struct {
	owner string
	urn   presource.URN
}

func (id identity) mark() mark { return mark{Owner: id.owner, URN: string(id.urn)} }

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
// run), what the engine said about each resource before asking to create
// it: whether Check saw old inputs (the resource is in the stack's state,
// so a Create is a replacement) and, when Diff planned the replacement, the
// ID being replaced. Without an entry the policies assume the conservative
// case: a replacement of an unknown object, where nothing is adopted.
type journal struct {
	mu sync.Mutex
	m  map[presource.URN]*journalEntry
}

type journalEntry struct {
	checked      bool   // Check ran for this URN in this run
	prior        bool   // Check saw old inputs: the URN is in the stack's state
	replaces     string // ID of the object a planned replacement replaces ("" if unknown)
	deletedFirst bool   // the planned replacement deletes the old object before the create
}

func newJournal() *journal { return &journal{m: map[presource.URN]*journalEntry{}} }

func (j *journal) entry(urn presource.URN) *journalEntry {
	e, ok := j.m[urn]
	if !ok {
		e = &journalEntry{}
		j.m[urn] = e
	}
	return e
}

func (j *journal) checked(urn presource.URN, prior bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := j.entry(urn)
	e.checked, e.prior = true, prior
}

func (j *journal) replacing(urn presource.URN, id string, deleteFirst bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := j.entry(urn)
	e.replaces, e.deletedFirst = id, deleteFirst
}

// createContext is what a Create needs to know from the journal.
type createContext struct {
	fresh        bool   // the URN has no state: an object marked for it is an orphan of an interrupted create
	replaces     string // a replacement of this ID ("" when fresh or unknown)
	deletedFirst bool   // that replacement deleted the old object first
}

func (j *journal) forCreate(urn presource.URN) createContext {
	if j == nil {
		return createContext{}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.m[urn]
	if !ok || !e.checked {
		return createContext{}
	}
	return createContext{fresh: !e.prior, replaces: e.replaces, deletedFirst: e.deletedFirst}
}

// call is what the provider-level middleware (provider.go) passes to the
// resource methods through the context: the resource's URN and the journal.
type call struct {
	urn     presource.URN
	journal *journal
}

type callKey struct{}

func withCall(ctx context.Context, c call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

func callOf(ctx context.Context) call {
	c, _ := ctx.Value(callKey{}).(call)
	return c
}
