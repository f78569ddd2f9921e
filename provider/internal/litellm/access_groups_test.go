package litellm

import "context"

// Calls of the unified access group endpoints, for TestClassification.
var (
	createAccessGroup = func(ctx context.Context, c *Client) error {
		_, err := c.AccessGroups.Create(ctx, AccessGroup{"access_group_name": "g1"})
		return err
	}
	getAccessGroup    = func(ctx context.Context, c *Client) error { _, err := c.AccessGroups.Get(ctx, "ag1"); return err }
	updateAccessGroup = func(ctx context.Context, c *Client) error {
		return c.AccessGroups.Update(ctx, "ag1", AccessGroup{"description": "d"})
	}
	deleteAccessGroup = func(ctx context.Context, c *Client) error { return c.AccessGroups.Delete(ctx, "ag1") }
)
