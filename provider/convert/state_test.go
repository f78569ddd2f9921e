package convert

import (
	"strings"
	"testing"
)

func TestParseStateArgs(t *testing.T) {
	env := map[string]string{"LITELLM_API_BASE": "https://env.example.com", "LITELLM_API_KEY": "sk-env"}
	getenv := func(k string) string { return env[k] }
	a, err := ParseStateArgs([]string{"--kinds", "model, key", "--team", "t1"}, getenv)
	if err != nil || a.BaseURL != "https://env.example.com" || a.APIKey != "sk-env" || strings.Join(a.Kinds, ",") != "model,key" || a.Team != "t1" {
		t.Fatalf("%+v %v", a, err)
	}
	if a, err := ParseStateArgs([]string{"--base-url", "https://flag.example.com"}, getenv); err != nil || a.BaseURL != "https://flag.example.com" {
		t.Fatalf("the flag does not win over the environment: %+v %v", a, err)
	}
	for args, want := range map[string]string{
		"--kinds modles": `unknown kind "modles"`,
		"--api-key sk-x": "flag provided but not defined: -api-key", // the key never comes from a flag
		"extra":          `unexpected argument "extra"`,
	} {
		if _, err := ParseStateArgs(strings.Fields(args), getenv); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", args, err, want)
		}
	}
	if _, err := ParseStateArgs(nil, func(k string) string { return map[string]string{"LITELLM_API_BASE": "https://x"}[k] }); err == nil ||
		!strings.Contains(err.Error(), "LITELLM_API_KEY") {
		t.Fatalf("no key: %v", err)
	}
	if _, err := ParseStateArgs(nil, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Fatalf("no address: %v", err)
	}
}

func TestShownAddress(t *testing.T) {
	for base, want := range map[string]string{
		"https://admin:hunter2@litellm.example.com/prefix": "https://litellm.example.com/prefix",
		"https://litellm.example.com":                      "https://litellm.example.com",
		"http://[::1]:4000":                                "http://[::1]:4000",
	} {
		if got := shownAddress(base); got != want || strings.Contains(got, "hunter2") {
			t.Errorf("shownAddress(%q) = %q, want %q", base, got, want)
		}
	}
}
