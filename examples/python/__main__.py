"""A LiteLLM proxy as code: a credential, three models in an access group, an
organization, a team with a member, and a key with budgets for the team's CI.

The proxy comes from the stack config (litellm:baseUrl, litellm:apiKey) or from
LITELLM_API_BASE / LITELLM_API_KEY.
"""

import pulumi
import pulumi_litellm as litellm

config = pulumi.Config()

openai = litellm.Credential(
    "openai",
    credential_name="openai-example",
    credential_values={"api_key": config.require_secret("openaiApiKey")},
    credential_info={
        "custom_llm_provider": "openai",
        "description": "shared OpenAI key for the example models",
    },
)

# The three models depend only on the credential, so Pulumi creates them in parallel.
gpt4o = litellm.Model(
    "gpt4o",
    model_name="gpt-4o",
    litellm_params=litellm.ModelParamsArgs(
        model="openai/gpt-4o",
        litellm_credential_name=openai.credential_name,
        rpm=600,
        tpm=200000,
    ),
    model_info=litellm.ModelInfoArgs(base_model="gpt-4o", mode="chat", tier="paid", access_groups=["general"]),
)

gpt4o_mini = litellm.Model(
    "gpt4oMini",
    model_name="gpt-4o-mini",
    litellm_params=litellm.ModelParamsArgs(
        model="openai/gpt-4o-mini",
        litellm_credential_name=openai.credential_name,
        input_cost_per_token=1.5e-7,
        output_cost_per_token=6.0e-7,
    ),
    model_info=litellm.ModelInfoArgs(base_model="gpt-4o-mini", mode="chat", tier="free", access_groups=["general"]),
)

embedding = litellm.Model(
    "embedding",
    model_name="text-embedding-3-small",
    litellm_params=litellm.ModelParamsArgs(
        model="openai/text-embedding-3-small",
        litellm_credential_name=openai.credential_name,
        extra={"timeout": 30, "max_retries": 2},
    ),
    model_info=litellm.ModelInfoArgs(mode="embedding"),
)

# Who may call which model, within which budget.
engineering = litellm.Organization("engineering", organization_alias="engineering", max_budget=1000)

platform = litellm.Team(
    "platform",
    team_alias="platform",
    organization_id=engineering.organization_id,
    models=[gpt4o.model_name, gpt4o_mini.model_name],
    max_budget=500,
    budget_duration="30d",
    model_rpm_limit={"gpt-4o": 100},
    team_member_budget=50,
    team_member_budget_duration="30d",
)

ana = litellm.User("ana", user_email="ana@example.com", user_role="internal_user")

litellm.TeamMember("anaInPlatform", team_id=platform.team_id, user_id=ana.user_id, role="user")

ci_key = litellm.Key(
    "ciKey",
    key_alias="platform-ci",
    team_id=platform.team_id,
    models=[gpt4o_mini.model_name],
    max_budget=25,
    budget_duration="30d",
    model_max_budget={"gpt-4o-mini": litellm.KeyModelBudgetArgs(budget_limit=10, time_period="30d")},
    rotation={"month": "2026-12"},  # change it next month: the key gets a new value in place
)

# Gateway configuration: what the proxy does with the calls.
litellm.Fallback("miniFallback", model=gpt4o.model_name, fallback_models=[gpt4o_mini.model_name])

github = litellm.McpServer(
    "github",
    server_name="github",
    description="GitHub's MCP server for the platform team's agents",
    url="https://api.githubcopilot.com/mcp",
    transport="http",
    mcp_access_groups=["platform-tools"],
)

pii_mask = litellm.Guardrail(
    "piiMask",
    guardrail_name="pii-mask",
    litellm_params=litellm.GuardrailParamsArgs(guardrail="presidio", mode="pre_call"),
)
pii_policy = litellm.Policy(
    "piiPolicy",
    policy_name="pii-policy",
    description="mask personal data before it reaches a model",
    guardrails_add=[pii_mask.guardrail_name],
)
litellm.PolicyAttachment("piiForPlatform", policy_name=pii_policy.policy_name, teams=[platform.team_alias])

support_greeting = litellm.Prompt(
    "supportGreeting",
    prompt_integration="dotprompt",
    dotprompt_content="---\nmodel: gpt-4o-mini\n---\nYou are the platform team's support assistant. Greet {{name}} and ask how you can help.\n",
)

pulumi.export("credentialName", openai.credential_name)
pulumi.export("gpt4oId", gpt4o.model_id)
pulumi.export("gpt4oMiniId", gpt4o_mini.model_id)
pulumi.export("embeddingId", embedding.model_id)
pulumi.export("teamId", platform.team_id)
pulumi.export("ciKeyValue", ci_key.key)  # a secret output
pulumi.export("mcpServerId", github.server_id)
pulumi.export("guardrailId", pii_mask.guardrail_id)
pulumi.export("promptId", support_greeting.prompt_id)
