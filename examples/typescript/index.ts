import * as pulumi from "@pulumi/pulumi";
import * as litellm from "@pulumi-litellm/litellm";

// The proxy comes from the stack config (litellm:baseUrl, litellm:apiKey) or
// from LITELLM_API_BASE / LITELLM_API_KEY.
const config = new pulumi.Config();

const openai = new litellm.Credential("openai", {
    credentialName: "openai-example",
    credentialValues: { api_key: config.requireSecret("openaiApiKey") },
    credentialInfo: {
        custom_llm_provider: "openai",
        description: "shared OpenAI key for the example models",
    },
});

// The three models depend only on the credential, so Pulumi creates them in parallel.
const gpt4o = new litellm.Model("gpt4o", {
    modelName: "gpt-4o",
    litellmParams: {
        model: "openai/gpt-4o",
        litellmCredentialName: openai.credentialName,
        rpm: 600,
        tpm: 200000,
    },
    modelInfo: { baseModel: "gpt-4o", mode: "chat", tier: "paid", accessGroups: ["general"] },
});

const gpt4oMini = new litellm.Model("gpt4oMini", {
    modelName: "gpt-4o-mini",
    litellmParams: {
        model: "openai/gpt-4o-mini",
        litellmCredentialName: openai.credentialName,
        inputCostPerToken: 1.5e-7,
        outputCostPerToken: 6.0e-7,
    },
    modelInfo: { baseModel: "gpt-4o-mini", mode: "chat", tier: "free", accessGroups: ["general"] },
});

const embedding = new litellm.Model("embedding", {
    modelName: "text-embedding-3-small",
    litellmParams: {
        model: "openai/text-embedding-3-small",
        litellmCredentialName: openai.credentialName,
        extra: { timeout: 30, max_retries: 2 },
    },
    modelInfo: { mode: "embedding" },
});

// Who may call which model, within which budget.
const engineering = new litellm.Organization("engineering", {
    organizationAlias: "engineering",
    maxBudget: 1000,
});

const platform = new litellm.Team("platform", {
    teamAlias: "platform",
    organizationId: engineering.organizationId,
    models: [gpt4o.modelName, gpt4oMini.modelName],
    maxBudget: 500,
    budgetDuration: "30d",
    modelRpmLimit: { "gpt-4o": 100 },
    teamMemberBudget: 50,
    teamMemberBudgetDuration: "30d",
});

const ana = new litellm.User("ana", { userEmail: "ana@example.com", userRole: "internal_user" });

new litellm.TeamMember("anaInPlatform", { teamId: platform.teamId, userId: ana.userId, role: "user" });

const ciKey = new litellm.Key("ciKey", {
    keyAlias: "platform-ci",
    teamId: platform.teamId,
    models: [gpt4oMini.modelName],
    maxBudget: 25,
    budgetDuration: "30d",
    modelMaxBudget: { "gpt-4o-mini": { budgetLimit: 10, timePeriod: "30d" } },
    rotation: { month: "2026-12" }, // change it next month: the key gets a new value in place
});

// Gateway configuration: what the proxy does with the calls.
new litellm.Fallback("miniFallback", { model: gpt4o.modelName, fallbackModels: [gpt4oMini.modelName] });

const github = new litellm.McpServer("github", {
    serverName: "github",
    description: "GitHub's MCP server for the platform team's agents",
    url: "https://api.githubcopilot.com/mcp",
    transport: "http",
    mcpAccessGroups: ["platform-tools"],
});

const piiMask = new litellm.Guardrail("piiMask", {
    guardrailName: "pii-mask",
    litellmParams: { guardrail: "presidio", mode: "pre_call" },
});
const piiPolicy = new litellm.Policy("piiPolicy", {
    policyName: "pii-policy",
    description: "mask personal data before it reaches a model",
    guardrailsAdd: [piiMask.guardrailName],
});
// Attach the policy to the team by its alias (an optional output in the type, set here).
new litellm.PolicyAttachment("piiForPlatform", { policyName: piiPolicy.policyName, teams: [platform.teamAlias.apply(alias => alias!)] });

const supportGreeting = new litellm.Prompt("supportGreeting", {
    promptIntegration: "dotprompt",
    dotpromptContent: "---\nmodel: gpt-4o-mini\n---\nYou are the platform team's support assistant. Greet {{name}} and ask how you can help.\n",
});

export const credentialName = openai.credentialName;
export const gpt4oId = gpt4o.modelId;
export const gpt4oMiniId = gpt4oMini.modelId;
export const embeddingId = embedding.modelId;
export const teamId = platform.teamId;
export const ciKeyValue = ciKey.key; // a secret output
export const mcpServerId = github.serverId;
export const guardrailId = piiMask.guardrailId;
export const promptId = supportGreeting.promptId;
