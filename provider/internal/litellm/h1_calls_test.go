package litellm

import "context"

// Calls of the tag, legacy model access group and fallback endpoints, for
// TestClassification.
var (
	getTag    = func(ctx context.Context, c *Client) error { _, err := c.Tags.Get(ctx, "t1"); return err }
	createTag = func(ctx context.Context, c *Client) error { return c.Tags.Create(ctx, Tag{"name": "t1"}) }
	updateTag = func(ctx context.Context, c *Client) error { return c.Tags.Update(ctx, "t1", Tag{"description": "d"}) }
	deleteTag = func(ctx context.Context, c *Client) error { return c.Tags.Delete(ctx, "t1") }
)

// Legacy model access groups and their budgets.
var (
	getAccessGroupLegacy    = func(ctx context.Context, c *Client) error { _, err := c.ModelAccessGroups.Get(ctx, "g1"); return err }
	createAccessGroupLegacy = func(ctx context.Context, c *Client) error {
		return c.ModelAccessGroups.Create(ctx, ModelAccessGroup{"access_group": "g1", "model_names": []string{"m"}})
	}
	updateAccessGroupLegacy = func(ctx context.Context, c *Client) error {
		return c.ModelAccessGroups.Update(ctx, "g1", ModelAccessGroup{"model_names": []string{"m"}})
	}
	deleteAccessGroupLegacy = func(ctx context.Context, c *Client) error { return c.ModelAccessGroups.Delete(ctx, "g1") }
	getAccessGroupBudget    = func(ctx context.Context, c *Client) error {
		_, err := c.ModelAccessGroups.GetBudget(ctx, "g1")
		return err
	}
	setAccessGroupBudget = func(ctx context.Context, c *Client) error {
		_, err := c.ModelAccessGroups.SetBudget(ctx, "g1", map[string]any{"max_budget": 1})
		return err
	}
	deleteAccessGroupBudget = func(ctx context.Context, c *Client) error { return c.ModelAccessGroups.DeleteBudget(ctx, "g1") }
)

// Fallbacks.
var (
	getFallback = func(ctx context.Context, c *Client) error { _, err := c.Fallbacks.Get(ctx, "m", "general"); return err }
	setFallback = func(ctx context.Context, c *Client) error {
		return c.Fallbacks.Set(ctx, Fallback{Model: "m", FallbackModels: []string{"n"}, FallbackType: "general"})
	}
	deleteFallback = func(ctx context.Context, c *Client) error { return c.Fallbacks.Delete(ctx, "m", "general") }
)
