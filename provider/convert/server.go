package convert

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	codegenrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
)

// Server is the Converter gRPC service the Pulumi CLI calls for `pulumi
// import --from litellm` (ConvertState) and `pulumi convert --from litellm`
// (ConvertProgram).
type Server struct {
	pulumirpc.UnimplementedConverterServer
	Getenv func(string) string
}

// ConvertState lists the proxy named by the arguments and returns one import
// entry per object.
func (s *Server) ConvertState(ctx context.Context, req *pulumirpc.ConvertStateRequest) (*pulumirpc.ConvertStateResponse, error) {
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	args, err := ParseStateArgs(req.Args, getenv)
	if err != nil {
		return nil, err
	}
	entries, notes, err := ConvertState(ctx, args)
	if err != nil {
		return nil, err
	}
	source := shownAddress(args.BaseURL)
	resp := &pulumirpc.ConvertStateResponse{Diagnostics: diagnostics(source, notes)}
	for _, e := range entries {
		resp.Resources = append(resp.Resources, &pulumirpc.ResourceImport{Type: e.Type, Name: e.Name, Id: e.ID})
	}
	if len(entries) == 0 {
		resp.Diagnostics = append(resp.Diagnostics, diagnostics(source, []Note{{Warning: true,
			Text: "nothing to import: the proxy has no object of these --kinds (and --team, --organization)"}})...)
	}
	return resp, nil
}

// shownAddress is the proxy's address as every note names it: without any
// user:password@ it may carry.
func shownAddress(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "the proxy"
	}
	u.User = nil
	return u.String()
}

// ConvertProgram writes main.pp from the source directory's config file.
func (s *Server) ConvertProgram(_ context.Context, req *pulumirpc.ConvertProgramRequest) (*pulumirpc.ConvertProgramResponse, error) {
	args, err := ParseProgramArgs(req.Args)
	if err != nil {
		return nil, err
	}
	file, src, err := ReadConfigFile(req.SourceDirectory, args)
	if err != nil {
		return nil, err
	}
	pcl, notes, err := ConvertProgram(src)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(req.TargetDirectory, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(req.TargetDirectory, "main.pp"), []byte(pcl), 0o600); err != nil {
		return nil, fmt.Errorf("writing the program: %w", err)
	}
	return &pulumirpc.ConvertProgramResponse{Diagnostics: diagnostics(filepath.Base(file), notes)}, nil
}

// diagnostics are the notes as the CLI prints them ("warning: <source>:
// <what>; <detail>"). All are warnings: the CLI shows warnings and errors
// only, and a note (a config value to set) must be seen.
func diagnostics(source string, notes []Note) []*codegenrpc.Diagnostic {
	var out []*codegenrpc.Diagnostic
	for _, n := range notes {
		what, detail, _ := strings.Cut(n.Text, ": ")
		out = append(out, plugin.HclDiagnosticToRPCDiagnostic(&hcl.Diagnostic{Severity: hcl.DiagWarning,
			Summary: what, Detail: detail, Subject: &hcl.Range{Filename: source}}))
	}
	return out
}
