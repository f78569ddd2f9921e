// Package convert is pulumi-converter-litellm: a running LiteLLM proxy to
// Pulumi import entries (ConvertState, `pulumi import --from litellm`), and
// a LiteLLM config.yaml to a Pulumi program in PCL (ConvertProgram, `pulumi
// convert --from litellm`).
package convert

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// reserved are words that cannot name a variable in a language Pulumi
// generates (TypeScript, Python, Go, C#, Java) or that the generated code
// uses itself. A name equal to one (case aside) gets the kind's name as a
// suffix.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		abstract and arguments as assert async await boolean break byte case catch char class const continue
		debugger def default del delete do double elif else enum eval except export extends false final finally
		float for from func function global go goto if implements import in instanceof int interface is lambda let
		long map native new nil none nonlocal not null object or package pass private protected public raise range
		return select short static string struct super switch synchronized this throw throws transient true try
		type typeof var void volatile while with yield
		pulumi config ctx args opts provider resource id urn output input`) {
		reserved[w] = true
	}
}

// namer gives each object a resource name derived from its own name:
// camelCase ASCII letters and digits, valid as a variable in every language
// Pulumi generates, and unique within one conversion (a second "gpt-4o" is
// "gpt4o2").
type namer struct{ used map[string]bool }

func newNamer() *namer { return &namer{used: map[string]bool{}} }

// name is the unique name for an object of the kind ("model") whose own
// name is given (its alias, model name, e-mail...), or the fallback (its ID)
// when that is empty.
func (n *namer) name(kind, own, fallback string) string {
	base := identifier(own)
	if base == "" {
		base = identifier(fallback)
	}
	switch {
	case base == "":
		base = kind
	case base[0] >= '0' && base[0] <= '9':
		base = kind + strings.ToUpper(base[:1]) + base[1:]
	case reserved[strings.ToLower(base)]:
		base += strings.ToUpper(kind[:1]) + kind[1:]
	}
	name := base
	for i := 2; n.used[strings.ToLower(name)]; i++ {
		name = base + strconv.Itoa(i)
	}
	n.used[strings.ToLower(name)] = true
	return name
}

// identifier turns any text into camelCase ASCII: accents are dropped
// ("café" → "cafe"), other characters separate words ("gpt-4o mini" →
// "gpt4oMini"), and letters outside ASCII that have no ASCII base are left
// out.
func identifier(s string) string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r): // a combining accent of the letter before
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			cur.WriteRune(r)
		case r >= unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			// no ASCII form: left out, and the word goes on
		default:
			flush()
		}
	}
	flush()
	var out strings.Builder
	for i, w := range words {
		if i == 0 {
			out.WriteString(lowerFirst(w))
			continue
		}
		if strings.ToUpper(w) == w { // an all-capitals word: "KEY" → "Key"
			w = strings.ToLower(w)
		}
		out.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return out.String()
}

// lowerFirst lowers the first letter, and a whole leading run of capitals
// ("API" → "api", "APIKey" → "apiKey", "OPENAI" → "openai").
func lowerFirst(w string) string {
	upper := 0
	for upper < len(w) && w[upper] >= 'A' && w[upper] <= 'Z' {
		upper++
	}
	switch {
	case upper == 0:
		return w
	case upper == len(w):
		return strings.ToLower(w)
	case upper == 1:
		return strings.ToLower(w[:1]) + w[1:]
	}
	return strings.ToLower(w[:upper-1]) + w[upper-1:]
}

// configName is the Pulumi config key for an environment variable that a
// config.yaml names (os.environ/OPENAI_API_KEY → openaiApiKey).
func configName(env string) string {
	parts := strings.FieldsFunc(env, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) })
	var out strings.Builder
	for i, p := range parts {
		p = strings.ToLower(p)
		if i > 0 {
			p = strings.ToUpper(p[:1]) + p[1:]
		}
		out.WriteString(p)
	}
	return out.String()
}
