package litellm

import "context"

// Calls of the pass-through endpoint, search tool and policy endpoints, for
// TestClassification.
var (
	getPassThrough = func(ctx context.Context, c *Client) error {
		_, err := c.PassThroughEndpoints.Get(ctx, "pt1")
		return err
	}
	createPassThrough = func(ctx context.Context, c *Client) error {
		return c.PassThroughEndpoints.Create(ctx, PassThroughEndpoint{"id": "pt1", "path": "/x", "target": "https://x.example.com"})
	}
	updatePassThrough = func(ctx context.Context, c *Client) error {
		return c.PassThroughEndpoints.Update(ctx, "pt1", PassThroughEndpoint{"path": "/x", "target": "https://x.example.com"})
	}
	deletePassThrough = func(ctx context.Context, c *Client) error { return c.PassThroughEndpoints.Delete(ctx, "pt1") }
	getSearchTool     = func(ctx context.Context, c *Client) error { _, err := c.SearchTools.Get(ctx, "st1"); return err }
	createSearchTool  = func(ctx context.Context, c *Client) error {
		_, err := c.SearchTools.Create(ctx, SearchTool{"search_tool_name": "s", "litellm_params": map[string]any{"search_provider": "tavily"}})
		return err
	}
	updateSearchTool = func(ctx context.Context, c *Client) error {
		return c.SearchTools.Update(ctx, "st1", SearchTool{"search_tool_name": "s", "litellm_params": map[string]any{"search_provider": "tavily"}})
	}
	deleteSearchTool = func(ctx context.Context, c *Client) error { return c.SearchTools.Delete(ctx, "st1") }
	createPolicy     = func(ctx context.Context, c *Client) error { return c.Policies.Create(ctx, Policy{"policy_name": "p1"}) }
	productionPolicy = func(ctx context.Context, c *Client) error { _, err := c.Policies.Production(ctx, "p1"); return err }
	newPolicyVersion = func(ctx context.Context, c *Client) error { _, err := c.Policies.NewVersion(ctx, "p1", ""); return err }
	updatePolicy     = func(ctx context.Context, c *Client) error {
		return c.Policies.Update(ctx, "pv1", Policy{"description": "d"})
	}
	setPolicyStatus  = func(ctx context.Context, c *Client) error { return c.Policies.SetStatus(ctx, "pv1", "published") }
	setToolPolicy    = func(ctx context.Context, c *Client) error { return c.ToolPolicies.Set(ctx, "t1", "blocked", "") }
	getTool          = func(ctx context.Context, c *Client) error { _, err := c.ToolPolicies.Get(ctx, "t1"); return err }
	createAttachment = func(ctx context.Context, c *Client) error {
		_, err := c.PolicyAttachments.Create(ctx, PolicyAttachment{"policy_name": "p1", "scope": "*"})
		return err
	}
	getAttachment    = func(ctx context.Context, c *Client) error { _, err := c.PolicyAttachments.Get(ctx, "a1"); return err }
	deleteAttachment = func(ctx context.Context, c *Client) error { return c.PolicyAttachments.Delete(ctx, "a1") }
)
