package litellm

import "context"

// Calls of the agent endpoints, for TestClassification.
var (
	createAgent = func(ctx context.Context, c *Client) error {
		_, err := c.Agents.Create(ctx, Agent{"agent_name": "a1"}, nil)
		return err
	}
	getAgent    = func(ctx context.Context, c *Client) error { _, err := c.Agents.Get(ctx, "a1"); return err }
	updateAgent = func(ctx context.Context, c *Client) error {
		return c.Agents.Update(ctx, "a1", Agent{"tpm_limit": 1}, nil)
	}
	deleteAgent = func(ctx context.Context, c *Client) error { return c.Agents.Delete(ctx, "a1") }
)
