package provider

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// SearchTool is a LiteLLM search tool (`POST /search_tools`), token
// litellm:index:SearchTool.
type SearchTool struct{}

// SearchToolArgs are the inputs of a SearchTool.
type SearchToolArgs struct {
	SearchToolName string           `pulumi:"searchToolName" litellm:"search_tool_name,omitzero"`
	LitellmParams  SearchToolParams `pulumi:"litellmParams" litellm:"litellm_params"`
	SearchToolInfo map[string]any   `pulumi:"searchToolInfo,optional" litellm:"search_tool_info,omitzero"`
	AdoptExisting  *bool            `pulumi:"adoptExisting,optional" litellm:"-"`
}

// SearchToolParams are a search tool's litellm_params.
type SearchToolParams struct {
	SearchProvider    string   `pulumi:"searchProvider" litellm:"search_provider,omitzero"`
	APIKey            *string  `pulumi:"apiKey,optional" provider:"secret" litellm:"api_key,omitzero"`
	APIBase           *string  `pulumi:"apiBase,optional" litellm:"api_base,omitzero"`
	Timeout           *float64 `pulumi:"timeout,optional" litellm:"timeout,omitzero"`
	MaxRetries        *int     `pulumi:"maxRetries,optional" litellm:"max_retries,omitzero"`
	InputCostPerQuery *float64 `pulumi:"inputCostPerQuery,optional" litellm:"input_cost_per_query,omitzero"`
}

// SearchToolState is the recorded state of a SearchTool.
type SearchToolState struct {
	SearchToolArgs
	Writes
	SearchToolID string  `pulumi:"searchToolId"`
	CreatedAt    *string `pulumi:"createdAt,optional"`
	UpdatedAt    *string `pulumi:"updatedAt,optional"`
}

var (
	_ infer.CustomResource[SearchToolArgs, SearchToolState] = (*SearchTool)(nil)
	_ infer.CustomCheck[SearchToolArgs]                     = (*SearchTool)(nil)
	_ infer.CustomDiff[SearchToolArgs, SearchToolState]     = (*SearchTool)(nil)
	_ infer.CustomRead[SearchToolArgs, SearchToolState]     = (*SearchTool)(nil)
	_ infer.CustomUpdate[SearchToolArgs, SearchToolState]   = (*SearchTool)(nil)
	_ infer.CustomDelete[SearchToolState]                   = (*SearchTool)(nil)
	_ infer.Annotated                                       = (*SearchTool)(nil)
)

func searchToolKind() kind {
	return kind{
		token:    "litellm:index:SearchTool",
		resource: infer.Resource(&SearchTool{}),
		check:    typedCheck(SearchTool{}.Check),
		diff:     typedDiff(SearchTool{}.Diff),
		read:     typedRead(SearchTool{}.Read),
		freeForm: []string{"searchToolInfo"},
		state:    reflect.TypeFor[SearchToolState](),
	}
}

// Annotate documents the resource.
func (t *SearchTool) Annotate(a infer.Annotator) {
	a.SetToken("index", "SearchTool")
	if !documenting() {
		return
	}
	a.Describe(t, "A search tool on a LiteLLM proxy (`POST /search_tools`): a named search provider (Tavily, "+
		"Perplexity, Exa, SearXNG, ...) that clients call through the proxy's `/v1/search/<name>`. The proxy "+
		"chooses the tool's ID (`searchToolId`; LiteLLM ignores an ID in the create); the name is unique on the "+
		"proxy. Every tool carries an ownership mark (`searchToolInfo.pulumi`): a tool with this name made by "+
		"someone else is never taken over without `adoptExisting`, and one an interrupted create of this resource "+
		"left is found by its mark and adopted.\n\n"+
		"An update replaces the whole tool (`PUT /search_tools/{id}`): the name, `litellmParams` and "+
		"`searchToolInfo` become exactly what the program says (keys added to `searchToolInfo` outside Pulumi are "+
		"dropped). Every change, a new name included, is made in place. A tool deleted outside Pulumi is created "+
		"again by the next update, under a new ID (`searchToolId` shows it at once, the resource ID after the next "+
		"refresh).\n\n"+
		"Import with `pulumi import litellm:index:SearchTool <name> <search tool id>` (the API key is masked by the "+
		"proxy: add it to the program as a secret).")
}

// Annotate documents the inputs.
func (t *SearchToolArgs) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&t.SearchToolName, "The tool's name, unique on the proxy; clients call `/v1/search/<name>`. Changing "+
		"it renames the tool in place.")
	a.Describe(&t.LitellmParams, "The search provider and how to reach it.")
	a.Describe(&t.SearchToolInfo, "Free-form information about the tool, e.g. `{description: \"Web search\"}`. The "+
		"key `pulumi` is the provider's ownership mark and is rejected here.")
	a.Describe(&t.AdoptExisting, "If a search tool with this name already exists and was not created by this "+
		"resource, take it over (and overwrite it with this program's settings) instead of failing. Default false.")
}

// Annotate documents the parameters.
func (p *SearchToolParams) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&p.SearchProvider, "The search provider, e.g. `tavily`, `perplexity`, `exa_ai`, `brave`, "+
		"`google_pse`, `searxng`, `firecrawl`.")
	a.Describe(&p.APIKey, "The provider's API key (or `os.environ/VAR`). Secret: the proxy returns it masked, so it is "+
		"never read back.")
	a.Describe(&p.APIBase, "The provider's base URL (or `os.environ/VAR`), e.g. a self-hosted SearXNG.")
	a.Describe(&p.Timeout, "Request timeout in seconds.")
	a.Describe(&p.MaxRetries, "Retries of a failed search.")
	a.Describe(&p.InputCostPerQuery, "Cost, in USD, recorded per search.")
}

// Annotate documents the outputs.
func (t *SearchToolState) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	describeWrites(a, &t.Writes)
	a.Describe(&t.SearchToolID, "The ID the proxy chose for the tool.")
	a.Describe(&t.CreatedAt, "When the tool was created, as the proxy reported it at the last refresh or import.")
	a.Describe(&t.UpdatedAt, "When the tool was last changed, as the proxy reported it at the last refresh or import.")
}

// ---- the kind's rules ----

var searchToolArgsType = reflect.TypeFor[SearchToolArgs]()

// searchToolReadable: the keys of a search tool that are inputs (the ID,
// the times and is_from_config are the proxy's).
func searchToolReadable(k string) bool {
	_, ok := fieldsOf(searchToolArgsType).byKey[k]
	return ok
}

// MarshalJSON / UnmarshalJSON map the inputs to LiteLLM's search tool (jsonmap.go).
func (t SearchToolArgs) MarshalJSON() ([]byte, error) { return marshalWire(t, nil) }

func (t *SearchToolArgs) UnmarshalJSON(b []byte) error { return unmarshalWire(b, t, nil) }

func (p SearchToolParams) MarshalJSON() ([]byte, error) { return marshalWire(p, nil) }

func (p *SearchToolParams) UnmarshalJSON(b []byte) error { return unmarshalWire(b, p, nil) }

// ---- Check, Diff, Create, Read, Update, Delete ----

// Check validates inputs at preview time.
func (SearchTool) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[SearchToolArgs], error) {
	in, failures := decodeInputs[SearchToolArgs](req.NewInputs)
	if len(failures) > 0 {
		return infer.CheckResponse[SearchToolArgs]{Inputs: in, Failures: failures}, nil
	}
	v := &checker{inputs: req.NewInputs}
	v.id("searchToolName", in.SearchToolName)
	p := in.LitellmParams
	v.require("litellmParams.searchProvider", p.SearchProvider)
	if p.APIBase != nil {
		v.httpURL("litellmParams.apiBase", *p.APIBase, true)
	}
	if p.Timeout != nil && *p.Timeout <= 0 {
		v.fail("litellmParams.timeout", "must be more than 0 seconds, got %g", *p.Timeout)
	}
	v.nonNegativeInt("litellmParams.maxRetries", p.MaxRetries)
	v.nonNegative("litellmParams.inputCostPerQuery", p.InputCostPerQuery)
	if _, ok := in.SearchToolInfo[markKey]; ok {
		v.fail("searchToolInfo", "key %q is reserved for the provider's ownership mark", markKey)
	}
	return infer.CheckResponse[SearchToolArgs]{Inputs: in, Failures: v.failures}, nil
}

// Diff: everything is updated in place (the update replaces the whole
// tool, so a removed field is simply not sent).
func (SearchTool) Diff(_ context.Context, req infer.DiffRequest[SearchToolArgs, SearchToolState]) (infer.DiffResponse, error) {
	olds, news := req.State.SearchToolArgs, req.Inputs
	d := newDiffer()
	d.merged("", searchToolArgsType, objectOf(olds), objectOf(news), func(string) bool { return true })
	d.local("adoptExisting", deref(olds.AdoptExisting) != deref(news.AdoptExisting))
	return d.response(false), nil
}

// Create sends the create; the proxy chooses the ID (runCreateGenerated).
func (SearchTool) Create(ctx context.Context, req infer.CreateRequest[SearchToolArgs]) (infer.CreateResponse[SearchToolState], error) {
	in := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[SearchToolState]{Output: SearchToolState{SearchToolArgs: in}}, nil
	}
	e := getEnv(ctx)
	id, out, err := runCreateGenerated(ctx, e, searchToolCreateOp(e, in))
	return created(id, searchToolState(id, in, stamp(e, out, err), nil), out, err)
}

// Read refreshes the tool (or imports it). Search tool reads come from the
// database.
func (SearchTool) Read(ctx context.Context, req infer.ReadRequest[SearchToolArgs, SearchToolState]) (infer.ReadResponse[SearchToolArgs, SearchToolState], error) {
	e := getEnv(ctx)
	prior, importing := readPrior(req.Inputs, req.State.SearchToolArgs, func(a SearchToolArgs) bool { return a.SearchToolName == "" })
	id := generatedObjectID(req.ID, req.State.SearchToolID)
	t, found, err := runRead(ctx, e, readOp[litellm.SearchTool]{
		target:    searchToolTarget(e, id),
		id:        e.identity(),
		matches:   func(t litellm.SearchTool) bool { return searchToolMatches(t, prior) },
		writtenAt: req.State.writtenAt(),
		importing: importing,
	})
	if err != nil || !found {
		return infer.ReadResponse[SearchToolArgs, SearchToolState]{}, err
	}
	in, left, err := searchToolArgsFromServer(t, prior, importing)
	if err != nil {
		return infer.ReadResponse[SearchToolArgs, SearchToolState]{}, fmt.Errorf("search tool %s: unexpected answer: %w", id, err)
	}
	if importing {
		reportImport(ctx, e, "search tool "+id, left, asObject(t["search_tool_info"]))
	}
	return infer.ReadResponse[SearchToolArgs, SearchToolState]{ID: id, Inputs: in,
		State: searchToolState(id, in, req.State.Writes, t)}, nil
}

// Update replaces the tool in place (creating it again, under a new ID,
// if it is gone).
func (SearchTool) Update(ctx context.Context, req infer.UpdateRequest[SearchToolArgs, SearchToolState]) (infer.UpdateResponse[SearchToolState], error) {
	in := req.Inputs
	id := generatedObjectID(req.ID, req.State.SearchToolID)
	state := searchToolState(id, in, req.State.Writes, nil)
	state.CreatedAt, state.UpdatedAt = req.State.CreatedAt, req.State.UpdatedAt
	if req.DryRun || sameJSON(objectOf(req.State.SearchToolArgs), objectOf(in)) {
		return infer.UpdateResponse[SearchToolState]{Output: state}, nil // only inputs that never reach the proxy changed
	}
	e := getEnv(ctx)
	me := e.identity()
	newID, out, err := runUpdateGenerated(ctx, e, generatedUpdate[litellm.SearchTool]{
		objectID:  id,
		writtenAt: req.State.writtenAt(),
		patch: func(ctx context.Context) error {
			return e.client.SearchTools.Update(ctx, id, searchToolBody(in, me.mark()))
		},
		recreate: searchToolCreateOp(e, in),
	})
	if newID != "" && newID != id {
		state = searchToolState(newID, in, state.Writes, nil)
	}
	state.Writes = stamp(e, out, err)
	return updated(state, out, err)
}

// Delete removes the tool; one that is already gone is fine.
func (SearchTool) Delete(ctx context.Context, req infer.DeleteRequest[SearchToolState]) (infer.DeleteResponse, error) {
	e := getEnv(ctx)
	id := generatedObjectID(req.ID, req.State.SearchToolID)
	err := runDelete(ctx, e, deleteOp[litellm.SearchTool]{
		target:    searchToolTarget(e, id),
		id:        e.identity(),
		del:       func(ctx context.Context) error { return e.client.SearchTools.Delete(ctx, id) },
		writtenAt: req.State.writtenAt(),
	})
	return infer.DeleteResponse{}, err
}

// ---- mapping helpers ----

func searchToolTarget(e env, id string) target[litellm.SearchTool] {
	return target[litellm.SearchTool]{
		kind:     "searchTool",
		objectID: id,
		what:     "search tool " + id,
		get:      func(ctx context.Context) (litellm.SearchTool, error) { return e.client.SearchTools.Get(ctx, id) },
		markOf:   func(t litellm.SearchTool) (mark, bool) { return markIn(asObject(t["search_tool_info"])) },
	}
}

// searchToolCreateOp: the tool is found again by its unique name; it is
// this resource's when it carries this resource's mark.
func searchToolCreateOp(e env, in SearchToolArgs) generatedOp[litellm.SearchTool] {
	me := e.identity().attempting()
	body := searchToolBody(in, me.mark())
	named := func(t litellm.SearchTool) bool {
		fromConfig, _ := t["is_from_config"].(bool)
		return !fromConfig && t["search_tool_name"] == in.SearchToolName
	}
	ours := func(t litellm.SearchTool) bool {
		m, marked := markIn(asObject(t["search_tool_info"]))
		return named(t) && me.created(m, marked)
	}
	return generatedOp[litellm.SearchTool]{
		kind:   "searchTool",
		what:   fmt.Sprintf("search tool %q", in.SearchToolName),
		create: func(ctx context.Context) (string, error) { return e.client.SearchTools.Create(ctx, body) },
		find: func(ctx context.Context) ([]litellm.SearchTool, error) {
			rows, err := e.client.SearchTools.List(ctx)
			return keepRows(rows, named), err
		},
		idOf:              func(t litellm.SearchTool) string { return fmt.Sprint(t["search_tool_id"]) },
		ours:              ours,
		taken:             func(t litellm.SearchTool) bool { return named(t) && !ours(t) },
		findAuthoritative: true,
		adopt: func(ctx context.Context, t litellm.SearchTool) error {
			return e.client.SearchTools.Update(ctx, fmt.Sprint(t["search_tool_id"]), searchToolBody(in, me.mark()))
		},
		matches:       func(t litellm.SearchTool) bool { return ours(t) && searchToolMatches(t, in) },
		adoptExisting: deref(in.AdoptExisting),
		conflictHint: fmt.Sprintf("import it (pulumi import litellm:index:SearchTool <name> <its id>), choose another "+
			"searchToolName, or set adoptExisting: true (the name is %q)", in.SearchToolName),
	}
}

func searchToolState(id string, in SearchToolArgs, w Writes, server litellm.SearchTool) SearchToolState {
	s := SearchToolState{SearchToolArgs: in, Writes: w, SearchToolID: id}
	if at, ok := server["created_at"].(string); ok && at != "" {
		s.CreatedAt = &at
	}
	if at, ok := server["updated_at"].(string); ok && at != "" {
		s.UpdatedAt = &at
	}
	return s
}

// searchToolBody is the create and update body: the whole tool, with our
// mark in search_tool_info.
func searchToolBody(in SearchToolArgs, m mark) litellm.SearchTool {
	body := objectOf(in)
	info := asObject(body["search_tool_info"])
	info[markKey] = m.object()
	body["search_tool_info"] = info
	return body
}

// searchToolFromServer is the tool as the inputs see it: its readable
// fields, search_tool_info without the mark (and without it when empty),
// and litellm_params without the values the proxy masks (returned in
// left, as property paths): a refresh keeps the configured API key, an
// import leaves it out.
func searchToolFromServer(t litellm.SearchTool) (obj object, left []string) {
	obj = object{}
	for k, v := range t {
		if searchToolReadable(k) && v != nil {
			obj[k] = v
		}
	}
	if _, ok := obj["litellm_params"]; ok {
		params := asObject(obj["litellm_params"])
		for _, k := range slices.Sorted(maps.Keys(params)) {
			if masked(k, params[k]) {
				delete(params, k)
				left = append(left, "litellmParams."+propPath(reflect.TypeFor[SearchToolParams](), k))
			}
		}
		obj["litellm_params"] = params
	}
	info := asObject(t["search_tool_info"])
	delete(info, markKey)
	if len(info) > 0 {
		obj["search_tool_info"] = info
	} else {
		delete(obj, "search_tool_info")
	}
	return obj, left
}

// searchToolMatches: the server shows every configured field (the masked
// API key excepted).
func searchToolMatches(t litellm.SearchTool, in SearchToolArgs) bool {
	server, _ := searchToolFromServer(t)
	return shows(server, objectOf(in), nil)
}

// searchToolArgsFromServer rebuilds inputs: on refresh the fields the user
// owns (the masked API key kept as configured), on import every readable
// field but the masked ones, which are returned in left.
func searchToolArgsFromServer(t litellm.SearchTool, prior SearchToolArgs, importing bool) (SearchToolArgs, []string, error) {
	server, left := searchToolFromServer(t)
	var obj object
	if importing {
		obj, _ = adoptFields(server, nil)
	} else {
		obj = ownedFields(server, objectOf(prior), nil)
	}
	var out SearchToolArgs
	if err := decodeObject(obj, &out); err != nil {
		return out, nil, err
	}
	out.AdoptExisting = prior.AdoptExisting
	return out, left, nil
}
