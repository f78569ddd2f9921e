// Command gensdk generates the TypeScript, Python and Go SDKs under sdk/ from
// schema.json (`make sdk`). It calls Pulumi's codegen packages directly:
// `pulumi package gen-sdk` needs the official language hosts, which cannot be
// built from the Go module proxy (see README, "SDKs").
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-litellm-gensdk"

// Languages and the directory under sdk/ each one is written to.
var outDirs = map[string]string{"nodejs": "nodejs", "python": "python", "go": "go"}

// keep lists hand-maintained files inside generated directories that a
// regeneration must not delete (the Go SDK's own module files).
var keep = map[string][]string{"go": {"litellm/go.mod", "litellm/go.sum"}}

func main() {
	schemaPath := flag.String("schema", "schema.json", "provider schema")
	out := flag.String("out", "sdk", "output directory")
	flag.Parse()
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gensdk:", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	sdks, err := generate(raw)
	if err != nil {
		return err
	}
	for lang, files := range sdks {
		dir := filepath.Join(out, outDirs[lang])
		if err := clean(dir, keep[lang]); err != nil {
			return err
		}
		for _, name := range sortedNames(files) {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, files[name], 0o644); err != nil {
				return err
			}
		}
		fmt.Printf("wrote %d files to %s\n", len(files), dir)
	}
	return nil
}

// generate returns, per language, the SDK's files (path relative to its directory).
func generate(schemaJSON []byte) (map[string]map[string][]byte, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal(schemaJSON, &spec); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	out := map[string]map[string][]byte{}
	if out["nodejs"], err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, noLoader{}); err != nil {
		return nil, fmt.Errorf("nodejs: %w", err)
	}
	if out["python"], err = python.GeneratePackage(tool, pkg, nil, noLoader{}); err != nil {
		return nil, fmt.Errorf("python: %w", err)
	}
	// pyproject.toml names README.md beside it (the package's long
	// description); the generator writes it only inside the package.
	readme, ok := out["python"]["pulumi_litellm/README.md"]
	if !ok {
		return nil, errors.New("python: the generator wrote no pulumi_litellm/README.md")
	}
	out["python"]["README.md"] = readme
	if out["go"], err = gogen.GeneratePackage(tool, pkg, nil); err != nil {
		return nil, fmt.Errorf("go: %w", err)
	}
	return out, nil
}

// clean removes everything in dir but the kept files.
func clean(dir string, kept []string) error {
	keepSet := map[string]bool{}
	for _, k := range kept {
		keepSet[filepath.Join(dir, k)] = true
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "bin" || d.Name() == ".venv") {
			return filepath.SkipDir // build outputs, git-ignored
		}
		if !d.IsDir() && !keepSet[path] {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	return nil
}

func sortedNames(files map[string][]byte) []string { return slices.Sorted(maps.Keys(files)) }

// noLoader: the schema references no other package.
type noLoader struct{}

var errNoRefs = errors.New("the litellm schema references no other packages")

func (noLoader) LoadPackage(string, *semver.Version) (*schema.Package, error) { return nil, errNoRefs }
func (noLoader) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoRefs
}
func (noLoader) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoRefs
}
func (noLoader) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errNoRefs
}
