package convert

import (
	"regexp"
	"testing"
)

func TestNames(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	n := newNamer()
	for _, c := range []struct{ kind, own, fallback, want string }{
		{"model", "gpt-4o", "id-1", "gpt4o"},
		{"model", "gpt-4o", "id-2", "gpt4o2"},  // several deployments of one model name
		{"model", "GPT 4o", "id-3", "gpt4o3"},  // the same name written another way collides too
		{"model", "gpt4o2", "id-4", "gpt4o22"}, // a name that looks like a suffixed one
		{"team", "Équipe Données", "t", "equipeDonnees"},
		{"team", "日本語チーム", "team-jp", "teamJp"}, // no ASCII form: the ID names it
		{"team", "日本語", "", "team"},
		{"team", "日本語", "", "team2"},
		{"key", "class", "", "classKey"}, // keywords of TypeScript, Python, Go...
		{"key", "None", "", "noneKey"},
		{"key", "lambda", "", "lambdaKey"},
		{"model", "import", "", "importModel"},
		{"user", "ana@example.com", "", "anaExampleCom"},
		{"model", "1-click", "", "model1Click"}, // a leading digit
		{"credential", "OPENAI_API_KEY", "", "openaiApiKey"},
		{"credential", "Azure/EU west", "", "azureEuWest"},
		{"team", "APIGateway", "", "apiGateway"},
		{"team", "", "", "team3"},
	} {
		got := n.name(c.kind, c.own, c.fallback)
		if got != c.want || !valid.MatchString(got) {
			t.Errorf("name(%q, %q, %q) = %q, want %q", c.kind, c.own, c.fallback, got, c.want)
		}
	}
}

func TestConfigName(t *testing.T) {
	for env, want := range map[string]string{
		"OPENAI_API_KEY":  "openaiApiKey",
		"AZURE_API_BASE":  "azureApiBase",
		"vertex-project":  "vertexProject",
		"AWS_REGION_NAME": "awsRegionName",
	} {
		if got := configName(env); got != want {
			t.Errorf("configName(%q) = %q, want %q", env, got, want)
		}
	}
}
