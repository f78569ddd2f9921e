package litellm

import "context"

// Calls of the MCP toolset endpoints, for TestClassification.
var (
	createMcpToolset = func(ctx context.Context, c *Client) error {
		_, err := c.McpToolsets.Create(ctx, McpToolset{"toolset_name": "ts1"})
		return err
	}
	getMcpToolset    = func(ctx context.Context, c *Client) error { _, err := c.McpToolsets.Get(ctx, "ts1"); return err }
	updateMcpToolset = func(ctx context.Context, c *Client) error {
		return c.McpToolsets.Update(ctx, "ts1", McpToolset{"description": "d"})
	}
	deleteMcpToolset = func(ctx context.Context, c *Client) error { return c.McpToolsets.Delete(ctx, "ts1") }
)
