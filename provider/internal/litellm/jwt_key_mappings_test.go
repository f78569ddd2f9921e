package litellm

import (
	"context"
	"strings"
)

// Calls of the JWT key mapping endpoints, for TestClassification.
var (
	createJwtMapping = func(ctx context.Context, c *Client) error {
		_, err := c.JwtKeyMappings.Create(ctx, JwtKeyMapping{"jwt_claim_name": "sub", "jwt_claim_value": "u1", "token": strings.Repeat("ab", 32)})
		return err
	}
	getJwtMapping    = func(ctx context.Context, c *Client) error { _, err := c.JwtKeyMappings.Get(ctx, "m1"); return err }
	updateJwtMapping = func(ctx context.Context, c *Client) error {
		return c.JwtKeyMappings.Update(ctx, "m1", JwtKeyMapping{"is_active": false})
	}
	deleteJwtMapping = func(ctx context.Context, c *Client) error { return c.JwtKeyMappings.Delete(ctx, "m1") }
)
