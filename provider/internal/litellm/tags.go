package litellm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// TagsService: tags (LiteLLM_TagTable, docs/litellm/tags.md): a name that
// requests carry for routing and spend tracking, with the models it may
// reach and an optional budget. Tag reads come from the database.
//
// Every tag endpoint catches its own HTTPException and raises it again as
// a 500 whose detail is str() of it ("400: Tag X already exists",
// "404: Tag X not found"), so the status to branch on is in the message.
type TagsService struct{ c *Client }

var (
	// A name that exists: 500 {"detail": "400: Tag X already exists"}.
	// Any other 500 is the generic rule's (transient, ambiguous).
	tagNew = endpoint{http.MethodPost, "/tag/new", []rule{
		{500, []string{"already exists"}, KindConflict, ""},
	}}
	// A POST that reads: {"names": [name]} → {"<name>": {...}}; an unknown
	// name is 500 {"detail": "404: Tags not found: ['X']"}.
	tagInfo = endpoint{http.MethodPost, "/tag/info", []rule{
		{500, []string{"tags not found"}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
	// A miss is 500 {"detail": "404: Tag X not found"}.
	tagUpdate = endpoint{http.MethodPost, "/tag/update", []rule{
		{500, []string{"404: tag "}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
	// A miss (or a repeat) is 500 {"detail": "404: Tag X not found"}.
	tagDelete = endpoint{http.MethodPost, "/tag/delete", []rule{
		{500, []string{"404: tag "}, KindNotFound, ""},
		{404, nil, KindNotFound, ""},
	}}
	tagList = endpoint{http.MethodGet, "/tag/list", nil}
)

// Tag is a tag as LiteLLM reads it (/tag/info, /tag/list): name,
// description, models, model_info (model ID → model name), created_at,
// updated_at, created_by, and litellm_budget_table (the budget row the tag
// points to, when it has one). Writes take name, description, models,
// budget_id and the budget fields (max_budget, soft_budget, ...).
type Tag map[string]any

// Create sends POST /tag/new. The answer is discarded: state is built from
// the inputs and a read.
func (s *TagsService) Create(ctx context.Context, t Tag) error {
	if t["name"] == nil || t["name"] == "" {
		return &Error{Kind: KindInvalid, Op: tagNew.String(), Message: "empty tag name"}
	}
	return s.c.do(ctx, request{ep: &tagNew, body: t})
}

// Get reads POST /tag/info {"names": [name]} and returns the tag. The call
// only reads, so its failures are never ambiguous although it is a POST.
func (s *TagsService) Get(ctx context.Context, name string) (Tag, error) {
	if name == "" {
		return nil, &Error{Kind: KindInvalid, Op: tagInfo.String(), Message: "empty tag name"}
	}
	var out map[string]Tag
	err := s.c.do(ctx, request{ep: &tagInfo, body: map[string][]string{"names": {name}}, out: &out})
	var e *Error
	if errors.As(err, &e) {
		e.Ambiguous = false
	}
	if err != nil {
		return nil, err
	}
	t, ok := out[name]
	if !ok || t == nil {
		return nil, &Error{Kind: KindNotFound, Op: tagInfo.String(), Status: http.StatusOK,
			Message: fmt.Sprintf("no tag named %q in the answer", name)}
	}
	if _, named := t["name"]; !named {
		t["name"] = name
	}
	return t, nil
}

// Update sends POST /tag/update with the name and the fields to write.
// LiteLLM replaces description and models with what is sent (absent:
// null and []), so the body must carry the whole desired tag.
func (s *TagsService) Update(ctx context.Context, name string, t Tag) error {
	if name == "" {
		return &Error{Kind: KindInvalid, Op: tagUpdate.String(), Message: "empty tag name"}
	}
	body := Tag{"name": name}
	for k, v := range t {
		if k != "name" {
			body[k] = v
		}
	}
	return s.c.do(ctx, request{ep: &tagUpdate, body: body})
}

// Delete sends POST /tag/delete {"name"}.
func (s *TagsService) Delete(ctx context.Context, name string) error {
	if name == "" {
		return &Error{Kind: KindInvalid, Op: tagDelete.String(), Message: "empty tag name"}
	}
	return s.c.do(ctx, request{ep: &tagDelete, body: map[string]string{"name": name}})
}

// List reads GET /tag/list: the stored tags. The listing also names the
// tags requests used without a stored tag ("dynamic" spend tags, without
// model_info); those are not objects and are skipped.
func (s *TagsService) List(ctx context.Context) ([]Tag, error) {
	var out []Tag
	if err := s.c.do(ctx, request{ep: &tagList, out: &out}); err != nil {
		return nil, err
	}
	rows := out[:0]
	for _, t := range out {
		name, _ := t["name"].(string)
		if _, stored := t["model_info"]; name != "" && stored {
			rows = append(rows, t)
		}
	}
	return rows, nil
}
