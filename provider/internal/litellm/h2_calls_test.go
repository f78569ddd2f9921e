package litellm

import "context"

// Calls of the MCP server, vector store, guardrail and prompt endpoints for
// TestClassification.
var (
	getMcp    = func(ctx context.Context, c *Client) error { _, err := c.McpServers.Get(ctx, "s1"); return err }
	createMcp = func(ctx context.Context, c *Client) error {
		return c.McpServers.Create(ctx, McpServer{"server_id": "s1", "server_name": "s1", "url": "https://mcp.example.com"}, nil)
	}
	updateMcp = func(ctx context.Context, c *Client) error {
		return c.McpServers.Update(ctx, "s1", McpServer{"description": "d"}, nil)
	}
	deleteMcp = func(ctx context.Context, c *Client) error { return c.McpServers.Delete(ctx, "s1") }
)

var (
	getVS    = func(ctx context.Context, c *Client) error { _, err := c.VectorStores.Get(ctx, "v1"); return err }
	createVS = func(ctx context.Context, c *Client) error {
		return c.VectorStores.Create(ctx, VectorStore{"vector_store_id": "v1", "custom_llm_provider": "openai"}, nil)
	}
	updateVS = func(ctx context.Context, c *Client) error {
		return c.VectorStores.Update(ctx, "v1", VectorStore{"vector_store_name": "n"})
	}
	deleteVS = func(ctx context.Context, c *Client) error { return c.VectorStores.Delete(ctx, "v1") }
)

var (
	getGuard    = func(ctx context.Context, c *Client) error { _, err := c.Guardrails.Get(ctx, "g1"); return err }
	createGuard = func(ctx context.Context, c *Client) error {
		_, err := c.Guardrails.Create(ctx, Guardrail{"guardrail_name": "g", "litellm_params": map[string]any{"guardrail": "bedrock"}}, nil)
		return err
	}
	updateGuard = func(ctx context.Context, c *Client) error {
		return c.Guardrails.Update(ctx, "g1", Guardrail{"guardrail_name": "g"}, nil)
	}
	deleteGuard = func(ctx context.Context, c *Client) error { return c.Guardrails.Delete(ctx, "g1") }
)

var (
	getPrompt = func(ctx context.Context, c *Client) error {
		_, err := c.Prompts.Get(ctx, "p1", "development")
		return err
	}
	createPrompt = func(ctx context.Context, c *Client) error {
		_, err := c.Prompts.Create(ctx, Prompt{"prompt_id": "p1", "litellm_params": map[string]any{"prompt_integration": "dotprompt"}}, nil)
		return err
	}
	updatePrompt = func(ctx context.Context, c *Client) error {
		_, err := c.Prompts.Update(ctx, "p1", Prompt{"prompt_id": "p1"}, nil)
		return err
	}
	deletePrompt = func(ctx context.Context, c *Client) error { return c.Prompts.Delete(ctx, "p1", "development") }
)
