package convert

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pulumi-litellm/pulumi-litellm/provider"
	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// ProgramArgs are the converter's arguments after `--` on `pulumi convert
// --from litellm -- …`.
type ProgramArgs struct {
	Config string // the config file; default config.yaml in the source directory
}

// ParseProgramArgs reads the flags of ConvertProgram.
func ParseProgramArgs(args []string) (ProgramArgs, error) {
	fs := flag.NewFlagSet("pulumi-converter-litellm", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var a ProgramArgs
	fs.StringVar(&a.Config, "config", "", "the LiteLLM config file (default: config.yaml in the directory converted)")
	if err := fs.Parse(args); err != nil {
		return a, fmt.Errorf("%w; flags: --config FILE", err)
	}
	if fs.NArg() > 0 {
		return a, fmt.Errorf("unexpected argument %q: the converter takes --config FILE only", fs.Arg(0))
	}
	return a, nil
}

// proxyConfig is the part of a LiteLLM config.yaml the converter reads.
type proxyConfig struct {
	ModelList      []map[string]any `yaml:"model_list"`
	CredentialList []map[string]any `yaml:"credential_list"`
	RouterSettings map[string]any   `yaml:"router_settings"`
	LitellmSettngs map[string]any   `yaml:"litellm_settings"`
	Rest           map[string]any   `yaml:",inline"`
}

// fallbackTypes are the router settings that hold fallbacks, with the
// Fallback resource's fallbackType of each.
var fallbackTypes = []struct{ key, typ string }{
	{"fallbacks", "general"}, {"context_window_fallbacks", "context_window"}, {"content_policy_fallbacks", "content_policy"},
}

// ConvertProgram turns a LiteLLM config file into a Pulumi program in PCL:
// model_list into Models, credential_list into Credentials, router
// fallbacks into Fallbacks, and every os.environ/NAME reference into a
// config value (a secret where the property is one). What has no resource is
// reported and left out.
func ConvertProgram(src []byte) (string, []Note, error) {
	var cfg proxyConfig
	if err := yaml.Unmarshal(src, &cfg); err != nil {
		return "", nil, fmt.Errorf("the config file is not valid YAML: %w", err)
	}
	if len(cfg.ModelList) == 0 && len(cfg.CredentialList) == 0 {
		return "", nil, errors.New("the config file has no model_list and no credential_list: nothing to convert")
	}
	w := &pclWriter{names: newNamer(), configs: map[string]pclConfig{}, configByEnv: map[string]string{},
		modelByName: map[string]string{}, credByName: map[string]string{}}
	var notes []Note
	note := func(warn bool, format string, args ...any) {
		notes = append(notes, Note{Warning: warn, Text: fmt.Sprintf(format, args...)})
	}

	for i, c := range cfg.CredentialList {
		name, _ := c["credential_name"].(string)
		if name == "" {
			note(true, "credential_list[%d] has no credential_name: left out", i)
			continue
		}
		res := w.names.name("credential", name, "")
		w.credByName[name] = res
		body := []pclAttr{{key: "credentialName", value: pclString(name)}}
		if v, ok := c["credential_values"].(map[string]any); ok {
			body = append(body, pclAttr{key: "credentialValues", value: w.freeForm(v, func(string) bool { return true })})
		}
		if v, ok := c["credential_info"].(map[string]any); ok {
			body = append(body, pclAttr{key: "credentialInfo", value: w.freeForm(v, litellm.SecretLooking)})
		}
		w.resource(res, "litellm:index:Credential", body)
	}

	pinned := 0
	for i, m := range cfg.ModelList {
		name, _ := m["model_name"].(string)
		params, _ := m["litellm_params"].(map[string]any)
		if name == "" || params["model"] == nil {
			note(true, "model_list[%d] has no model_name or no litellm_params.model: left out", i)
			continue
		}
		res := w.names.name("model", name, "")
		if _, ok := w.modelByName[name]; !ok {
			w.modelByName[name] = res
		}
		body := []pclAttr{{key: "modelName", value: pclString(name)},
			{key: "litellmParams", value: w.typed(params, reflect.TypeFor[provider.ModelParams](), "litellm_params")}}
		if info, ok := m["model_info"].(map[string]any); ok && len(info) > 0 {
			if info["id"] != nil {
				pinned++
			}
			body = append(body, pclAttr{key: "modelInfo", value: w.typed(info, reflect.TypeFor[provider.ModelInfo](), "model_info")})
		}
		w.resource(res, "litellm:index:Model", body)
	}
	if pinned > 0 {
		note(true, "%d models keep the ID of their model_info.id: take them out of the proxy's config file before "+
			"`pulumi up`, or the proxy refuses a second model with that ID", pinned)
	}

	settings := map[string]map[string]any{"router_settings": cfg.RouterSettings, "litellm_settings": cfg.LitellmSettngs}
	for _, section := range []string{"router_settings", "litellm_settings"} {
		for _, ft := range fallbackTypes {
			list, ok := settings[section][ft.key].([]any)
			if !ok {
				continue
			}
			for _, entry := range list {
				e, _ := entry.(map[string]any)
				for model, raw := range e {
					w.fallback(model, ft.typ, raw, note)
				}
			}
			delete(settings[section], ft.key)
		}
		var left []string
		for k := range settings[section] {
			left = append(left, k)
		}
		sort.Strings(left)
		if len(left) > 0 {
			note(true, "%s: %s have no Pulumi resource and are left out (keep them in the proxy's config file)",
				section, strings.Join(left, ", "))
		}
	}
	var rest []string
	for k := range cfg.Rest {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	if len(rest) > 0 {
		note(true, "%s: no Pulumi resource: left out (keep them in the proxy's config file)", strings.Join(rest, ", "))
	}
	for _, name := range w.configOrder {
		c := w.configs[name]
		kind := "a config value"
		if c.secret {
			kind = "a secret"
		}
		note(false, "config %s (%s, from os.environ/%s): pulumi config set %s%s <value>", name, kind, c.env,
			map[bool]string{true: "--secret ", false: ""}[c.secret], name)
	}
	return w.String(), notes, nil
}

// ReadConfigFile finds the config file of a conversion: the --config file,
// else config.yaml (or config.yml) in the source directory.
func ReadConfigFile(sourceDir string, a ProgramArgs) (string, []byte, error) {
	candidates := []string{a.Config}
	if a.Config == "" {
		candidates = []string{filepath.Join(sourceDir, "config.yaml"), filepath.Join(sourceDir, "config.yml")}
	} else if !filepath.IsAbs(a.Config) {
		candidates = []string{filepath.Join(sourceDir, a.Config)}
	}
	for _, c := range candidates {
		b, err := os.ReadFile(c)
		if err == nil {
			return c, b, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("no LiteLLM config file: %s not found (pass --config FILE after --)", strings.Join(candidates, " or "))
}

// ---- PCL ----

type pclConfig struct {
	env    string
	secret bool
}

type pclWriter struct {
	names       *namer
	configs     map[string]pclConfig
	configOrder []string
	configByEnv map[string]string // environment variable → config name
	modelByName map[string]string // model_name → the first Model resource of that name
	credByName  map[string]string // credential_name → its Credential resource
	body        strings.Builder
}

// pclAttr is one attribute of a resource or object; value is PCL.
type pclAttr struct {
	key   string
	value string
}

func (w *pclWriter) resource(name, token string, attrs []pclAttr) {
	fmt.Fprintf(&w.body, "resource %s %q {\n", name, token)
	for _, a := range attrs {
		fmt.Fprintf(&w.body, "  %s = %s\n", a.key, indent(a.value, "  "))
	}
	w.body.WriteString("}\n\n")
}

func (w *pclWriter) String() string {
	var out strings.Builder
	out.WriteString("// Converted from a LiteLLM config file by pulumi-converter-litellm.\n\n")
	for _, name := range w.configOrder {
		c := w.configs[name]
		fmt.Fprintf(&out, "config %s \"string\" {\n  description = %s\n", name, pclString("os.environ/"+c.env+" in the LiteLLM config file"))
		if c.secret {
			out.WriteString("  secret = true\n")
		}
		out.WriteString("}\n\n")
	}
	out.WriteString(w.body.String())
	return out.String()
}

// fallback writes one Fallback: the model's fallbacks of one type, with
// references to the Model resources so that the models exist first.
func (w *pclWriter) fallback(model, typ string, raw any, note func(bool, string, ...any)) {
	list, _ := raw.([]any)
	var models []string
	for _, m := range list {
		if s, ok := m.(string); ok {
			models = append(models, s)
		}
	}
	if len(models) == 0 {
		note(true, "the %s fallbacks of %s list no model: left out", typ, model)
		return
	}
	res := w.names.name("fallback", model+" "+typ+" fallback", "")
	attrs := []pclAttr{{key: "model", value: w.modelRef(model)}}
	var refs []string
	for _, m := range models {
		refs = append(refs, w.modelRef(m))
	}
	attrs = append(attrs, pclAttr{key: "fallbackModels", value: "[" + strings.Join(refs, ", ") + "]"})
	if typ != "general" {
		attrs = append(attrs, pclAttr{key: "fallbackType", value: pclString(typ)})
	}
	w.resource(res, "litellm:index:Fallback", attrs)
}

// modelRef is a reference to the Model of that name, or the name itself
// when the config file has no such model.
func (w *pclWriter) modelRef(name string) string {
	if res, ok := w.modelByName[name]; ok {
		return res + ".modelName"
	}
	return pclString(name)
}

// typed writes a LiteLLM map as the provider's typed object: keys the type
// names are written under their property names, the rest under extra.
func (w *pclWriter) typed(m map[string]any, t reflect.Type, section string) string {
	props, secrets := wireNames(t)
	var attrs []pclAttr
	extra := map[string]any{}
	for _, k := range sortedKeys(m) {
		p, ok := props[k]
		if !ok {
			extra[k] = m[k]
			continue
		}
		v := m[k]
		if k == "litellm_credential_name" {
			if s, ok := v.(string); ok && w.credByName[s] != "" {
				attrs = append(attrs, pclAttr{key: p, value: w.credByName[s] + ".credentialName"})
				continue
			}
		}
		attrs = append(attrs, pclAttr{key: p, value: w.value(v, secrets[k] || litellm.SecretLooking(k))})
	}
	if len(extra) > 0 {
		attrs = append(attrs, pclAttr{key: "extra", value: w.freeForm(extra, litellm.SecretLooking)})
	}
	return pclObject(attrs)
}

// freeForm writes a map whose keys are LiteLLM's (quoted).
func (w *pclWriter) freeForm(m map[string]any, secret func(string) bool) string {
	var attrs []pclAttr
	for _, k := range sortedKeys(m) {
		attrs = append(attrs, pclAttr{key: strconv.Quote(k), value: w.value(m[k], secret(k))})
	}
	return pclObject(attrs)
}

// value writes any YAML value; an os.environ/NAME string becomes a config
// reference (secret: the property holds a secret).
func (w *pclWriter) value(v any, secret bool) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if env, ok := strings.CutPrefix(x, "os.environ/"); ok && env != "" {
			name, seen := w.configByEnv[env]
			if !seen {
				// Named like resources, so that a config value and a resource
				// never share a name.
				name = w.names.name("config", configName(env), "")
				w.configByEnv[env] = name
				w.configOrder = append(w.configOrder, name)
			}
			w.configs[name] = pclConfig{env: env, secret: w.configs[name].secret || secret}
			return name
		}
		return pclString(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		var items []string
		for _, y := range x {
			items = append(items, w.value(y, secret))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case map[string]any:
		return w.freeForm(x, func(k string) bool { return secret || litellm.SecretLooking(k) })
	}
	return pclString(fmt.Sprint(v))
}

func pclObject(attrs []pclAttr) string {
	if len(attrs) == 0 {
		return "{}"
	}
	var b strings.Builder
	b.WriteString("{\n")
	for _, a := range attrs {
		fmt.Fprintf(&b, "  %s = %s\n", a.key, indent(a.value, "  "))
	}
	b.WriteString("}")
	return b.String()
}

func indent(s, by string) string { return strings.ReplaceAll(s, "\n", "\n"+by) }

// pclString quotes a string for PCL (HCL): template sequences are escaped.
func pclString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// wireNames maps the LiteLLM names of a provider input type's fields to
// their Pulumi names (from the fields' litellm and pulumi tags, the one JSON
// mapping), and says which are secrets.
func wireNames(t reflect.Type) (props map[string]string, secrets map[string]bool) {
	props, secrets = map[string]string{}, map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		wire, _, _ := strings.Cut(f.Tag.Get("litellm"), ",")
		name, _, _ := strings.Cut(f.Tag.Get("pulumi"), ",")
		if wire == "" || wire == "-" || name == "" {
			continue
		}
		props[wire] = name
		secrets[wire] = f.Tag.Get("provider") == "secret"
	}
	return props, secrets
}
