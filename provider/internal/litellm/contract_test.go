package litellm

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// The API contract test: every endpoint the client calls (Endpoints()) must be
// a route that LiteLLM's proxy declares. testdata/litellm-routes.txt lists the
// routes read from LiteLLM's source; its header gives the version and how it
// was extracted, and docs/litellm/routes.md tells how to refresh it. When
// LiteLLM renames or drops a route, refreshing the list makes this test fail.

const routeListFile = "testdata/litellm-routes.txt"

// routeExceptions lists endpoints we call that are not in the route list, each
// with the reason and where the reason comes from (a LiteLLM file or PR, a
// measurement, ...). It should stay empty: an endpoint missing from the list is
// usually a renamed route or a misspelt template, to be fixed rather than
// excepted. Entries that are found in the list, or that we no longer call, fail
// TestRouteExceptionsAreNotStale.
var routeExceptions = map[string]string{
	// "METHOD /path": "reason (source)",
}

// liteLLMRoute is one line of the route list.
type liteLLMRoute struct {
	method string
	path   string
}

func readRouteList(t *testing.T) []liteLLMRoute {
	t.Helper()
	f, err := os.Open(routeListFile)
	if err != nil {
		t.Fatalf("route list: %v", err)
	}
	defer f.Close()
	var routes []liteLLMRoute
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		method, path, ok := strings.Cut(line, " ")
		if !ok || method == "" || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t") {
			t.Fatalf("%s:%d: not \"METHOD /path\": %q", routeListFile, n, line)
		}
		routes = append(routes, liteLLMRoute{method, path})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("route list: %v", err)
	}
	return routes
}

// param reports whether a path segment is a whole "{...}" placeholder, and
// whether it is a Starlette path converter ({name:path}), which takes one or
// more segments.
func param(seg string) (isParam, isPathConverter bool) {
	if len(seg) < 2 || seg[0] != '{' || seg[len(seg)-1] != '}' {
		return false, false
	}
	_, conv, _ := strings.Cut(seg[1:len(seg)-1], ":")
	return true, conv == "path"
}

// pathsMatch reports whether our path template and a LiteLLM route path can
// name the same URL: literal segments must be equal, a {...} segment on either
// side matches any one segment (the parameter names differ), and a LiteLLM
// {name:path} segment matches one or more segments.
//
// strict is true when the match also has the same shape: every parameter of
// ours meets a parameter of theirs and every literal of ours meets an equal
// literal. Only strict matches count as "found": LiteLLM has catch-all routes
// such as "PATCH /{mcp_server_name}/mcp" that a loose match would accept for
// "PATCH /credentials/{name}", so a rename of the credential route would go
// unnoticed.
func pathsMatch(ours, theirs string) (match, strict bool) {
	ours, _, _ = strings.Cut(ours, "?")
	o, th := strings.Split(ours, "/"), strings.Split(theirs, "/")
	return segmentsMatch(o, th, false), segmentsMatch(o, th, true)
}

func segmentsMatch(ours, theirs []string, strict bool) bool {
	if len(theirs) == 0 {
		return len(ours) == 0
	}
	if len(ours) == 0 {
		return false
	}
	oursParam, _ := param(ours[0])
	theirsParam, theirsPath := param(theirs[0])
	if theirsPath {
		for take := 1; take <= len(ours); take++ {
			if p, _ := param(ours[take-1]); strict && !p {
				return false // a literal of ours swallowed by their converter
			}
			if segmentsMatch(ours[take:], theirs[1:], strict) {
				return true
			}
		}
		return false
	}
	switch {
	case oursParam && theirsParam:
	case !oursParam && !theirsParam:
		if ours[0] != theirs[0] {
			return false
		}
	case strict:
		return false
	}
	return segmentsMatch(ours[1:], theirs[1:], strict)
}

// findRoute returns the LiteLLM routes with the endpoint's ("METHOD /path")
// method that match its path strictly, and those that match only loosely.
func findRoute(routes []liteLLMRoute, endpoint string) (strict, loose []string) {
	method, path, _ := strings.Cut(endpoint, " ")
	for _, r := range routes {
		if r.method != method {
			continue
		}
		switch m, s := pathsMatch(path, r.path); {
		case s:
			strict = append(strict, r.method+" "+r.path)
		case m:
			loose = append(loose, r.method+" "+r.path)
		}
	}
	return strict, loose
}

func TestEveryEndpointIsALiteLLMRoute(t *testing.T) {
	routes := readRouteList(t)
	eps := Endpoints()
	if len(eps) == 0 {
		t.Fatal("Endpoints() is empty")
	}
	for _, ep := range eps {
		found, loose := findRoute(routes, ep)
		if len(found) > 0 {
			t.Logf("%-40s = %s", ep, strings.Join(found, ", "))
			continue
		}
		if reason, ok := routeExceptions[ep]; ok {
			t.Logf("%-40s not in the route list, excepted: %s", ep, reason)
			continue
		}
		msg := ""
		if len(loose) > 0 {
			msg = " (only parameter-for-literal matches, such as catch-all routes: " + strings.Join(loose, ", ") + ")"
		}
		t.Errorf("%s: no route with this method and path in %s%s; LiteLLM may have renamed it, or the template is wrong", ep, routeListFile, msg)
	}
}

func TestRouteExceptionsAreNotStale(t *testing.T) {
	routes := readRouteList(t)
	called := map[string]bool{}
	for _, ep := range Endpoints() {
		called[ep] = true
	}
	for ep, reason := range routeExceptions {
		if reason == "" {
			t.Errorf("exception %s: no reason given", ep)
		}
		if !called[ep] {
			t.Errorf("exception %s: not an endpoint the client calls any more; remove it", ep)
		}
		if found, _ := findRoute(routes, ep); len(found) > 0 {
			t.Errorf("exception %s: now found in the route list (%s); remove it", ep, strings.Join(found, ", "))
		}
	}
}

func TestLiteLLMRouteListIsPlausible(t *testing.T) {
	routes := readRouteList(t)
	if len(routes) < 200 {
		t.Errorf("only %d routes in %s: the extraction is probably broken", len(routes), routeListFile)
	}
	have := map[string]bool{}
	for _, r := range routes {
		line := r.method + " " + r.path
		if have[line] {
			t.Errorf("duplicate route %q", line)
		}
		have[line] = true
	}
	for _, want := range []string{
		"POST /model/new",
		"GET /v2/model/info",
		"POST /key/generate",
		"POST /team/new",
		"POST /user/new",
		"GET /credentials/by_name/{credential_name:path}",
		"PATCH /organization/update",
		"POST /v1/mcp/server",
		"GET /guardrails/{guardrail_id}",
		"POST /project/new", // from litellm-enterprise
	} {
		if !have[want] {
			t.Errorf("well-known route %q is missing from %s", want, routeListFile)
		}
	}
}

func TestRouteTemplateMatching(t *testing.T) {
	for _, c := range []struct {
		ours, theirs  string
		match, strict bool
	}{
		{"/model/new", "/model/new", true, true},
		{"/model/new", "/model/news", false, false},
		{"/model/{id}/update", "/model/{model_id}/update", true, true},
		{"/model/{id}/update", "/model/{model_id}", false, false},
		{"/model/abc/update", "/model/{model_id}/update", true, false},
		{"/model/{id}", "/model/info", true, false},
		{"/credentials/{name}", "/credentials/{credential_name:path}", true, true},
		{"/credentials/{a}/{b}", "/credentials/{credential_name:path}", true, true},
		{"/credentials/a/b", "/credentials/{credential_name:path}", true, false},
		{"/credentials", "/credentials/{credential_name:path}", false, false},
		{"/credentials/{name}", "/credentials/{credential_name:path}/jwks", false, false},
		{"/credentials/{name}/jwks", "/credentials/{credential_name:path}/jwks", true, true},
		{"/credentials/by_name/{name}", "/credentials/by_name/{credential_name:path}", true, true},
		{"/credentials/by_name/{name}", "/credentials/{credential_name:path}", true, false},
		{"/credentials/{name}", "/{mcp_server_name}/mcp", true, false},
		{"/v2/model/info?modelId=x", "/v2/model/info", true, true},
		{"/team/info", "/team/info/", false, false},
	} {
		if m, s := pathsMatch(c.ours, c.theirs); m != c.match || s != c.strict {
			t.Errorf("pathsMatch(%q, %q) = %v, %v, want %v, %v", c.ours, c.theirs, m, s, c.match, c.strict)
		}
	}
}
