package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/consistency"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// TeamBlock blocks a LiteLLM team (`/team/block`; its delete unblocks),
// token litellm:index:TeamBlock; KeyBlock does the same for a virtual key
// (`/key/block`), token litellm:index:KeyBlock.
type TeamBlock struct{}

// TeamBlockArgs are the inputs of a TeamBlock.
type TeamBlockArgs struct {
	TeamID string `pulumi:"teamId" litellm:"team_id"`
}

// TeamBlockState is the recorded state of a TeamBlock. Blocked is the
// team's `blocked` as last read: false after an unblock outside Pulumi,
// which makes the next `pulumi up` block the team again.
type TeamBlockState struct {
	TeamBlockArgs
	Blocked *bool `pulumi:"blocked,optional"`
	Writes
}

// KeyBlock blocks a virtual key.
type KeyBlock struct{}

// KeyBlockArgs are the inputs of a KeyBlock.
type KeyBlockArgs struct {
	Key string `pulumi:"key" provider:"secret" litellm:"key"`
}

// KeyBlockState is the recorded state of a KeyBlock.
type KeyBlockState struct {
	KeyBlockArgs
	Token   *string `pulumi:"token,optional" provider:"secret"`
	Blocked *bool   `pulumi:"blocked,optional"`
	Writes
}

var (
	_ infer.CustomResource[TeamBlockArgs, TeamBlockState] = (*TeamBlock)(nil)
	_ infer.CustomCheck[TeamBlockArgs]                    = (*TeamBlock)(nil)
	_ infer.CustomDiff[TeamBlockArgs, TeamBlockState]     = (*TeamBlock)(nil)
	_ infer.CustomRead[TeamBlockArgs, TeamBlockState]     = (*TeamBlock)(nil)
	_ infer.CustomUpdate[TeamBlockArgs, TeamBlockState]   = (*TeamBlock)(nil)
	_ infer.CustomDelete[TeamBlockState]                  = (*TeamBlock)(nil)
	_ infer.Annotated                                     = (*TeamBlock)(nil)

	_ infer.CustomResource[KeyBlockArgs, KeyBlockState] = (*KeyBlock)(nil)
	_ infer.CustomCheck[KeyBlockArgs]                   = (*KeyBlock)(nil)
	_ infer.CustomDiff[KeyBlockArgs, KeyBlockState]     = (*KeyBlock)(nil)
	_ infer.CustomRead[KeyBlockArgs, KeyBlockState]     = (*KeyBlock)(nil)
	_ infer.CustomUpdate[KeyBlockArgs, KeyBlockState]   = (*KeyBlock)(nil)
	_ infer.CustomDelete[KeyBlockState]                 = (*KeyBlock)(nil)
	_ infer.Annotated                                   = (*KeyBlock)(nil)
)

func teamBlockKind() kind {
	return kind{
		token:    "litellm:index:TeamBlock",
		resource: infer.Resource(&TeamBlock{}),
		check:    typedCheck(TeamBlock{}.Check),
		diff:     typedDiff(TeamBlock{}.Diff),
		read:     typedRead(TeamBlock{}.Read),
		state:    reflect.TypeFor[TeamBlockState](),
	}
}

func keyBlockKind() kind {
	return kind{
		token:    "litellm:index:KeyBlock",
		resource: infer.Resource(&KeyBlock{}),
		check:    typedCheck(KeyBlock{}.Check),
		diff:     typedDiff(KeyBlock{}.Diff),
		read:     typedRead(KeyBlock{}.Read),
		state:    reflect.TypeFor[KeyBlockState](),
	}
}

// Annotate documents the resource.
func (b *TeamBlock) Annotate(a infer.Annotator) {
	a.SetToken("index", "TeamBlock")
	if !documenting() {
		return
	}
	a.Describe(b, "Blocks a LiteLLM team (`POST /team/block`): the proxy refuses every call made with the team's "+
		"keys. Deleting the resource unblocks the team (`POST /team/unblock`); a team that is gone is fine. The team "+
		"itself may be managed anywhere (a `Team` resource never touches `blocked`).\n\n"+
		"An unblock outside Pulumi is seen by a refresh as `blocked: false`, and the next `pulumi up` blocks the team "+
		"again. A team deleted outside Pulumi leaves the stack on refresh.\n\n"+
		"Import with `pulumi import litellm:index:TeamBlock <name> <team id>`.")
}

// Annotate documents the inputs.
func (b *TeamBlockArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&b.TeamID, "The team to block. Changing it blocks the new team and unblocks the old one.")
}

// Annotate documents the outputs.
func (b *TeamBlockState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&b.Blocked, "Whether the team was blocked at the last write, refresh or import; false means it was "+
		"unblocked outside Pulumi, and the next `pulumi up` blocks it again.")
	describeWrites(a, &b.Writes)
}

// Annotate documents the resource.
func (b *KeyBlock) Annotate(a infer.Annotator) {
	a.SetToken("index", "KeyBlock")
	if !documenting() {
		return
	}
	a.Describe(b, "Blocks a LiteLLM virtual key (`POST /key/block`): the proxy refuses every call made with it. "+
		"Deleting the resource unblocks the key (`POST /key/unblock`); a key that is gone is fine. The key may be "+
		"managed anywhere; the provider sends only its token, never its value.\n\n"+
		"An unblock outside Pulumi is seen by a refresh as `blocked: false`, and the next `pulumi up` blocks the key "+
		"again. A key deleted outside Pulumi leaves the stack on refresh.\n\n"+
		"The resource ID is the key's token (LiteLLM's SHA-256 of its value, as the Terraform providers use). Import "+
		"with `pulumi import litellm:index:KeyBlock <name> <token>` (also `sha256:<token>` or the raw `sk-…` key, which "+
		"is hashed at once and never stored).")
}

// Annotate documents the inputs.
func (b *KeyBlockArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&b.Key, "The key to block: its token (a `Key` resource's `token` output, or its ID), `sha256:<token>`, "+
		"or its value (`sk-…`, hashed before anything is sent). Changing it to another key replaces the resource.")
}

// Annotate documents the outputs.
func (b *KeyBlockState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&b.Token, "The key's token, by which LiteLLM addresses it.")
	a.Describe(&b.Blocked, "Whether the key was blocked at the last write, refresh or import; false means it was "+
		"unblocked outside Pulumi, and the next `pulumi up` blocks it again.")
	describeWrites(a, &b.Writes)
}

// ---- the kinds' rules ----

// teamBlocked / keyBlocked: the row's `blocked` (a key's is null until it is
// first blocked or unblocked).
func teamBlocked(t litellm.Team) bool { b, _ := t["blocked"].(bool); return b }

func keyBlocked(k litellm.Key) bool { b, _ := k["blocked"].(bool); return b }

// blockedDiff plans a block again when the last read saw the object
// unblocked (not an input: the program never says "unblocked").
func blockedDiff(d *differ, blocked *bool) {
	if !deref(blocked) {
		d.diff["blocked"] = p.PropertyDiff{Kind: p.Update}
	}
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's request bodies (jsonmap.go).
func (b TeamBlockArgs) MarshalJSON() ([]byte, error) { return marshalWire(b, nil) }

func (b *TeamBlockArgs) UnmarshalJSON(data []byte) error { return unmarshalWire(data, b, nil) }

func (b KeyBlockArgs) MarshalJSON() ([]byte, error) { return marshalWire(b, nil) }

func (b *KeyBlockArgs) UnmarshalJSON(data []byte) error { return unmarshalWire(data, b, nil) }

// ---- TeamBlock: Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (TeamBlock) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TeamBlockArgs], error) {
	in, failures := decodeInputs[TeamBlockArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[TeamBlockArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.id("teamId", in.TeamID)
	return infer.CheckResponse[TeamBlockArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: another team replaces the block; a team found unblocked is blocked
// again.
func (TeamBlock) Diff(_ context.Context, req infer.DiffRequest[TeamBlockArgs, TeamBlockState]) (infer.DiffResponse, error) {
	d := newDiffer()
	switch {
	case req.Inputs.TeamID == "": // not known yet (preview)
		d.add("teamId", p.Update)
	case req.State.TeamID != req.Inputs.TeamID:
		d.add("teamId", p.UpdateReplace)
	default:
		blockedDiff(d, req.State.Blocked)
	}
	return d.response(false), nil
}

// Create blocks the team.
func (TeamBlock) Create(ctx context.Context, req infer.CreateRequest[TeamBlockArgs]) (infer.CreateResponse[TeamBlockState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[TeamBlockState]{ID: in.TeamID, Output: TeamBlockState{TeamBlockArgs: in}}, nil
	}
	e := getEnv(ctx)
	out, err := runBlock(ctx, e, "block of team "+in.TeamID, func(ctx context.Context) error { return e.client.Teams.Block(ctx, in.TeamID) })
	return created(in.TeamID, TeamBlockState{TeamBlockArgs: in, Blocked: blockedAfter(err, nil), Writes: stamp(e, out, err)}, out, err)
}

// Read refreshes `blocked` (or imports the block of a team).
func (TeamBlock) Read(ctx context.Context, req infer.ReadRequest[TeamBlockArgs, TeamBlockState]) (infer.ReadResponse[TeamBlockArgs, TeamBlockState], error) {
	e := getEnv(ctx)
	_, importing := readPrior(req.Inputs, req.State.TeamBlockArgs, func(a TeamBlockArgs) bool { return a.TeamID == "" })
	t, found, err := runRead(ctx, e, readOp[litellm.Team]{
		target:    blockTeamTarget(e, req.ID),
		id:        e.identity(),
		matches:   teamBlocked,
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[TeamBlockArgs, TeamBlockState]{}, err
	}
	blocked := teamBlocked(t)
	if importing && !blocked {
		e.warnf(ctx, "team %s is not blocked: the next `pulumi up` blocks it", req.ID)
	}
	in := TeamBlockArgs{TeamID: req.ID}
	return infer.ReadResponse[TeamBlockArgs, TeamBlockState]{ID: req.ID, Inputs: in,
		State: TeamBlockState{TeamBlockArgs: in, Blocked: &blocked, Writes: req.State.Writes}}, nil
}

// Update blocks the team again (it was found unblocked, or the block's
// outcome was unknown).
func (TeamBlock) Update(ctx context.Context, req infer.UpdateRequest[TeamBlockArgs, TeamBlockState]) (infer.UpdateResponse[TeamBlockState], error) {
	in := req.Inputs
	state := TeamBlockState{TeamBlockArgs: in, Blocked: req.State.Blocked, Writes: req.State.Writes}
	if req.DryRun || (deref(req.State.Blocked) && !deref(req.State.CreatePending)) {
		return infer.UpdateResponse[TeamBlockState]{Output: state}, nil
	}
	e := getEnv(ctx)
	out, err := runBlock(ctx, e, "block of team "+in.TeamID, func(ctx context.Context) error { return e.client.Teams.Block(ctx, in.TeamID) })
	state.Blocked, state.Writes = blockedAfter(err, req.State.Blocked), stamp(e, out, err)
	return updated(state, out, err)
}

// Delete unblocks the team; a team that is gone is fine.
func (TeamBlock) Delete(ctx context.Context, req infer.DeleteRequest[TeamBlockState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	err := runDelete(ctx, e, deleteOp[litellm.Team]{
		target:    blockTeamTarget(e, req.ID),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Teams.Unblock(ctx, req.ID) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- KeyBlock: Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time; the key is never shown.
func (KeyBlock) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[KeyBlockArgs], error) {
	in, failures := decodeInputs[KeyBlockArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[KeyBlockArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	if !litellm.IsToken(importedToken(strings.TrimSpace(in.Key))) || strings.TrimSpace(in.Key) != in.Key {
		v.fail("key", "must be the key's token (64 lower-case hex digits), sha256:<token>, or the key's value (sk-…)")
	}
	return infer.CheckResponse[KeyBlockArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: another key replaces the block (the same key written as its value
// or its token is the same block); a key found unblocked is blocked again.
func (KeyBlock) Diff(_ context.Context, req infer.DiffRequest[KeyBlockArgs, KeyBlockState]) (infer.DiffResponse, error) {
	d := newDiffer()
	old := deref(req.State.Token)
	if old == "" {
		old = importedToken(req.State.Key)
	}
	switch news := req.Inputs.Key; {
	case news == "": // not known yet (preview)
		d.add("key", p.Update)
	case importedToken(news) != old:
		d.add("key", p.UpdateReplace)
	default:
		// The same key named another way (its value, sha256:<token>, the
		// token an import records) is no change.
		blockedDiff(d, req.State.Blocked)
	}
	return d.response(false), nil
}

// Create blocks the key, by its token.
func (KeyBlock) Create(ctx context.Context, req infer.CreateRequest[KeyBlockArgs]) (infer.CreateResponse[KeyBlockState], error) {
	in := req.Inputs
	token := importedToken(in.Key)
	if req.DryRun {
		return infer.CreateResponse[KeyBlockState]{ID: token, Output: KeyBlockState{KeyBlockArgs: in}}, nil
	}
	e := getEnv(ctx)
	t := blockKeyTarget(e, token)
	out, err := runBlock(ctx, e, "block of "+t.what, func(ctx context.Context) error { return e.client.Keys.Block(ctx, token) })
	state := KeyBlockState{KeyBlockArgs: in, Token: &token, Blocked: blockedAfter(err, nil), Writes: stamp(e, out, err)}
	return created(token, state, out, err)
}

// Read refreshes `blocked` (or imports the block of a key by token,
// `sha256:<token>` or raw key, which is hashed at once).
func (KeyBlock) Read(ctx context.Context, req infer.ReadRequest[KeyBlockArgs, KeyBlockState]) (infer.ReadResponse[KeyBlockArgs, KeyBlockState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.KeyBlockArgs, func(a KeyBlockArgs) bool { return a.Key == "" })
	token := deref(req.State.Token)
	if token == "" {
		token = importedToken(req.ID)
	}
	if !litellm.IsToken(token) {
		return infer.ReadResponse[KeyBlockArgs, KeyBlockState]{}, fmt.Errorf("key block: the ID must be a key's token, " +
			"sha256:<token> or the key's value")
	}
	k, found, err := runRead(ctx, e, readOp[litellm.Key]{
		target:    blockKeyTarget(e, token),
		id:        e.identity(),
		matches:   keyBlocked,
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[KeyBlockArgs, KeyBlockState]{}, err
	}
	blocked := keyBlocked(k)
	in := prior
	if importing {
		in = KeyBlockArgs{Key: token} // never the raw key an import may name
		if !blocked {
			e.warnf(ctx, "key …%s is not blocked: the next `pulumi up` blocks it", token[len(token)-6:])
		}
	}
	return infer.ReadResponse[KeyBlockArgs, KeyBlockState]{ID: token, Inputs: in,
		State: KeyBlockState{KeyBlockArgs: in, Token: &token, Blocked: &blocked, Writes: req.State.Writes}}, nil
}

// Update blocks the key again (it was found unblocked, or the block's
// outcome was unknown); a key written another way is recorded as written.
func (KeyBlock) Update(ctx context.Context, req infer.UpdateRequest[KeyBlockArgs, KeyBlockState]) (infer.UpdateResponse[KeyBlockState], error) {
	in := req.Inputs
	token := importedToken(in.Key)
	state := KeyBlockState{KeyBlockArgs: in, Token: &token, Blocked: req.State.Blocked, Writes: req.State.Writes}
	if req.DryRun || (deref(req.State.Blocked) && !deref(req.State.CreatePending)) {
		return infer.UpdateResponse[KeyBlockState]{Output: state}, nil
	}
	e := getEnv(ctx)
	t := blockKeyTarget(e, token)
	out, err := runBlock(ctx, e, "block of "+t.what, func(ctx context.Context) error { return e.client.Keys.Block(ctx, token) })
	state.Blocked, state.Writes = blockedAfter(err, req.State.Blocked), stamp(e, out, err)
	return updated(state, out, err)
}

// Delete unblocks the key; a key that is gone is fine.
func (KeyBlock) Delete(ctx context.Context, req infer.DeleteRequest[KeyBlockState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	token := deref(req.State.Token)
	if token == "" {
		token = importedToken(req.ID)
	}
	err := runDelete(ctx, e, deleteOp[litellm.Key]{
		target:    blockKeyTarget(e, token),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.Keys.Unblock(ctx, token) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

// blockTeamTarget: the team a TeamBlock blocks. Whoever manages the team,
// its ownership mark says nothing about the block (never "someone else's").
func blockTeamTarget(e env, teamID string) target[litellm.Team] {
	return target[litellm.Team]{
		kind:     "teamblock",
		objectID: teamID,
		what:     "team " + teamID,
		get:      func(ctx context.Context) (litellm.Team, error) { return e.client.Teams.Get(ctx, teamID) },
		markOf:   func(litellm.Team) (mark, bool) { return mark{}, false },
	}
}

// blockKeyTarget: the key a KeyBlock blocks, named by the last characters
// of its token.
func blockKeyTarget(e env, token string) target[litellm.Key] {
	return target[litellm.Key]{
		kind:     "keyblock",
		objectID: token,
		what:     "key …" + token[max(0, len(token)-6):],
		get:      func(ctx context.Context) (litellm.Key, error) { return e.client.Keys.Get(ctx, token) },
		markOf:   func(litellm.Key) (mark, bool) { return mark{}, false },
	}
}

// runBlock sends a block. It is idempotent (it sets a column), so a lost
// answer is simply sent again; an object that does not exist fails it.
func runBlock(ctx context.Context, e env, what string, block func(context.Context) error) (createOutcome, error) {
	var out createOutcome
	err := consistency.Do(ctx, e.policy, what, func(ctx context.Context) error {
		err := block(ctx)
		switch {
		case litellm.IsCommitted(err):
			return nil
		case litellm.IsAmbiguous(err):
			out.mayExist = true
		}
		return err
	}, e.progress())
	if litellm.IsNotFound(err) {
		return out, fmt.Errorf("%s: it does not exist on the proxy: %w", what, err)
	}
	return out, err
}

// blockedAfter is `blocked` after a block: true when it succeeded, else as
// it was.
func blockedAfter(err error, before *bool) *bool {
	if err != nil {
		return before
	}
	t := true
	return &t
}
