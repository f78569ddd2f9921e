package convert

import (
	"os"
	"strings"
	"testing"
)

func TestConvertProgram(t *testing.T) {
	src, err := os.ReadFile("../../tests/testdata/litellm-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pcl, notes, err := ConvertProgram(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		// os.environ references become config values, secrets where the property is one
		"config openaiApiKey \"string\" {\n  description = \"os.environ/OPENAI_API_KEY in the LiteLLM config file\"\n  secret = true\n}",
		"config azureEuApiKey \"string\"",
		// two deployments of one model name, typed params, the rest under extra
		"resource gpt4o \"litellm:index:Model\" {\n  modelName = \"gpt-4o\"",
		"resource gpt4o2 \"litellm:index:Model\"",
		"    apiKey = openaiApiKey\n",
		"    rpm = 500\n",
		"      \"timeout\" = 30\n",
		// a credential, and a model that refers to it
		"resource azureEu \"litellm:index:Credential\"",
		"    \"api_key\" = azureEuApiKey\n",
		"    litellmCredentialName = azureEu.credentialName\n",
		"    accessGroups = [\"beta-models\"]\n",
		"    inputCostPerToken = 1.5e-07\n",
		// fallbacks refer to the models
		"resource gpt4oGeneralFallback \"litellm:index:Fallback\" {\n  model = gpt4o.modelName\n  fallbackModels = [gpt4oMini.modelName]\n}",
		"  fallbackType = \"context_window\"\n",
	} {
		if !strings.Contains(pcl, want) {
			t.Errorf("the program lacks %q:\n%s", want, pcl)
		}
	}
	for _, never := range []string{"os.environ", "LITELLM_MASTER_KEY", "routing_strategy", "master_key"} {
		if strings.Contains(strings.ReplaceAll(pcl, "description = \"os.environ/", ""), never) {
			t.Errorf("the program has %q:\n%s", never, pcl)
		}
	}
	var text []string
	for _, n := range notes {
		text = append(text, n.Text)
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"router_settings: num_retries, routing_strategy have no Pulumi resource",
		"litellm_settings: drop_params, success_callback", "general_settings: no Pulumi resource: left out",
		"pulumi config set --secret openaiApiKey <value>"} {
		if !strings.Contains(all, want) {
			t.Errorf("the summary lacks %q:\n%s", want, all)
		}
	}
}

func TestConvertProgramNameClashes(t *testing.T) {
	pcl, _, err := ConvertProgram([]byte(`
model_list:
  - model_name: openai-api-key
    litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
  - model_name: class
    litellm_params: {model: "openai/${x}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"resource openaiApiKey \"litellm:index:Model\"", "config openaiApiKey2 \"string\"",
		"apiKey = openaiApiKey2", "resource classModel ", `model = "openai/$${x}"`} {
		if !strings.Contains(pcl, want) {
			t.Errorf("the program lacks %q:\n%s", want, pcl)
		}
	}
}

func TestConvertProgramRefusesEmptyConfig(t *testing.T) {
	if _, _, err := ConvertProgram([]byte("general_settings: {}\n")); err == nil || !strings.Contains(err.Error(), "nothing to convert") {
		t.Fatalf("err = %v", err)
	}
}
