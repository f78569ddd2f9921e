// A LiteLLM proxy as code: a credential, three models in an access group, an
// organization, a team with a member, and a key with budgets for the team's CI.
// The proxy comes from the stack config (litellm:baseUrl, litellm:apiKey) or
// from LITELLM_API_BASE / LITELLM_API_KEY.
package main

import (
	"github.com/pulumi-litellm/pulumi-litellm/sdk/go/litellm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		openai, err := litellm.NewCredential(ctx, "openai", &litellm.CredentialArgs{
			CredentialName:   pulumi.String("openai-example"),
			CredentialValues: pulumi.StringMap{"api_key": cfg.RequireSecret("openaiApiKey")},
			CredentialInfo: pulumi.Map{
				"custom_llm_provider": pulumi.String("openai"),
				"description":         pulumi.String("shared OpenAI key for the example models"),
			},
		})
		if err != nil {
			return err
		}
		// The three models depend only on the credential, so Pulumi creates them in parallel.
		gpt4o, err := litellm.NewModel(ctx, "gpt4o", &litellm.ModelArgs{
			ModelName: pulumi.String("gpt-4o"),
			LitellmParams: &litellm.ModelParamsArgs{
				Model:                 pulumi.String("openai/gpt-4o"),
				LitellmCredentialName: openai.CredentialName,
				Rpm:                   pulumi.Int(600),
				Tpm:                   pulumi.Int(200000),
			},
			ModelInfo: &litellm.ModelInfoArgs{BaseModel: pulumi.String("gpt-4o"), Mode: pulumi.String("chat"), Tier: pulumi.String("paid"),
				AccessGroups: pulumi.StringArray{pulumi.String("general")}},
		})
		if err != nil {
			return err
		}
		gpt4oMini, err := litellm.NewModel(ctx, "gpt4oMini", &litellm.ModelArgs{
			ModelName: pulumi.String("gpt-4o-mini"),
			LitellmParams: &litellm.ModelParamsArgs{
				Model:                 pulumi.String("openai/gpt-4o-mini"),
				LitellmCredentialName: openai.CredentialName,
				InputCostPerToken:     pulumi.Float64(1.5e-7),
				OutputCostPerToken:    pulumi.Float64(6.0e-7),
			},
			ModelInfo: &litellm.ModelInfoArgs{BaseModel: pulumi.String("gpt-4o-mini"), Mode: pulumi.String("chat"), Tier: pulumi.String("free"),
				AccessGroups: pulumi.StringArray{pulumi.String("general")}},
		})
		if err != nil {
			return err
		}
		embedding, err := litellm.NewModel(ctx, "embedding", &litellm.ModelArgs{
			ModelName: pulumi.String("text-embedding-3-small"),
			LitellmParams: &litellm.ModelParamsArgs{
				Model:                 pulumi.String("openai/text-embedding-3-small"),
				LitellmCredentialName: openai.CredentialName,
				Extra:                 pulumi.Map{"timeout": pulumi.Int(30), "max_retries": pulumi.Int(2)},
			},
			ModelInfo: &litellm.ModelInfoArgs{Mode: pulumi.String("embedding")},
		})
		if err != nil {
			return err
		}
		// Who may call which model, within which budget.
		engineering, err := litellm.NewOrganization(ctx, "engineering", &litellm.OrganizationArgs{
			OrganizationAlias: pulumi.String("engineering"),
			MaxBudget:         pulumi.Float64(1000),
		})
		if err != nil {
			return err
		}
		platform, err := litellm.NewTeam(ctx, "platform", &litellm.TeamArgs{
			TeamAlias:                pulumi.String("platform"),
			OrganizationId:           engineering.OrganizationId,
			Models:                   pulumi.StringArray{gpt4o.ModelName, gpt4oMini.ModelName},
			MaxBudget:                pulumi.Float64(500),
			BudgetDuration:           pulumi.String("30d"),
			ModelRpmLimit:            pulumi.IntMap{"gpt-4o": pulumi.Int(100)},
			TeamMemberBudget:         pulumi.Float64(50),
			TeamMemberBudgetDuration: pulumi.String("30d"),
		})
		if err != nil {
			return err
		}
		ana, err := litellm.NewUser(ctx, "ana", &litellm.UserArgs{UserEmail: pulumi.String("ana@example.com"), UserRole: pulumi.String("internal_user")})
		if err != nil {
			return err
		}
		if _, err := litellm.NewTeamMember(ctx, "anaInPlatform", &litellm.TeamMemberArgs{
			TeamId: platform.TeamId, UserId: ana.UserId, Role: pulumi.String("user"),
		}); err != nil {
			return err
		}
		ciKey, err := litellm.NewKey(ctx, "ciKey", &litellm.KeyArgs{
			KeyAlias:       pulumi.String("platform-ci"),
			TeamId:         platform.TeamId,
			Models:         pulumi.StringArray{gpt4oMini.ModelName},
			MaxBudget:      pulumi.Float64(25),
			BudgetDuration: pulumi.String("30d"),
			ModelMaxBudget: litellm.KeyModelBudgetMap{
				"gpt-4o-mini": litellm.KeyModelBudgetArgs{BudgetLimit: pulumi.Float64(10), TimePeriod: pulumi.String("30d")},
			},
			Rotation: pulumi.StringMap{"month": pulumi.String("2026-12")}, // change it next month: a new value in place
		})
		if err != nil {
			return err
		}
		// Gateway configuration: what the proxy does with the calls.
		if _, err := litellm.NewFallback(ctx, "miniFallback", &litellm.FallbackArgs{
			Model: gpt4o.ModelName, FallbackModels: pulumi.StringArray{gpt4oMini.ModelName},
		}); err != nil {
			return err
		}
		github, err := litellm.NewMcpServer(ctx, "github", &litellm.McpServerArgs{
			ServerName:      pulumi.String("github"),
			Description:     pulumi.String("GitHub's MCP server for the platform team's agents"),
			Url:             pulumi.String("https://api.githubcopilot.com/mcp"),
			Transport:       pulumi.String("http"),
			McpAccessGroups: pulumi.StringArray{pulumi.String("platform-tools")},
		})
		if err != nil {
			return err
		}
		piiMask, err := litellm.NewGuardrail(ctx, "piiMask", &litellm.GuardrailArgs{
			GuardrailName: pulumi.String("pii-mask"),
			LitellmParams: litellm.GuardrailParamsArgs{Guardrail: pulumi.String("presidio"), Mode: pulumi.String("pre_call")},
		})
		if err != nil {
			return err
		}
		piiPolicy, err := litellm.NewPolicy(ctx, "piiPolicy", &litellm.PolicyArgs{
			PolicyName:    pulumi.String("pii-policy"),
			Description:   pulumi.String("mask personal data before it reaches a model"),
			GuardrailsAdd: pulumi.StringArray{piiMask.GuardrailName},
		})
		if err != nil {
			return err
		}
		if _, err := litellm.NewPolicyAttachment(ctx, "piiForPlatform", &litellm.PolicyAttachmentArgs{
			PolicyName: piiPolicy.PolicyName,
			Teams:      pulumi.StringArray{platform.TeamAlias.Elem()},
		}); err != nil {
			return err
		}
		supportGreeting, err := litellm.NewPrompt(ctx, "supportGreeting", &litellm.PromptArgs{
			PromptIntegration: pulumi.String("dotprompt"),
			DotpromptContent:  pulumi.String("---\nmodel: gpt-4o-mini\n---\nYou are the platform team's support assistant. Greet {{name}} and ask how you can help.\n"),
		})
		if err != nil {
			return err
		}
		ctx.Export("credentialName", openai.CredentialName)
		ctx.Export("gpt4oId", gpt4o.ModelId)
		ctx.Export("gpt4oMiniId", gpt4oMini.ModelId)
		ctx.Export("embeddingId", embedding.ModelId)
		ctx.Export("teamId", platform.TeamId)
		ctx.Export("ciKeyValue", ciKey.Key) // a secret output
		ctx.Export("mcpServerId", github.ServerId)
		ctx.Export("guardrailId", piiMask.GuardrailId)
		ctx.Export("promptId", supportGreeting.PromptId)
		return nil
	})
}
