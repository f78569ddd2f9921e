// Command noop is a test-only twin of pulumi-resource-litellm for the scale
// benchmark (tests/bench, -scale): the real provider built by provider.New(),
// hence exactly its schema, configuration surface and plugin handshake, with
// the resource operations replaced by ones that do no work. The benchmark
// builds it with `go build` into a directory of its own as
// pulumi-resource-litellm; it is never installed or committed.
//
// Kept from the real provider: GetSchema, CheckConfig, DiffConfig, Configure
// (which validates the settings and builds the HTTP client without contacting
// the proxy), Handshake, Invoke and the rest. Replaced:
//
//   - Check returns the inputs unchanged;
//   - Diff reports no changes when the old and new inputs are equal, else an
//     update of the top-level keys that differ;
//   - Create returns a fresh random ID and the inputs as outputs;
//   - Read echoes the state (and the inputs);
//   - Update returns the new inputs as outputs;
//   - Delete succeeds.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/provider"
)

func main() {
	prov, err := New()
	if err == nil {
		err = prov.Run(context.Background(), provider.Name, provider.Version)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// New is the real provider with no-op resource operations.
func New() (p.Provider, error) {
	prov, err := provider.New()
	if err != nil {
		return prov, err
	}
	prov.Check = func(_ context.Context, req p.CheckRequest) (p.CheckResponse, error) {
		return p.CheckResponse{Inputs: req.Inputs}, nil
	}
	prov.Diff = func(_ context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		olds := req.OldInputs
		if olds.Len() == 0 {
			olds = req.State // engines that send no old inputs: the state is the inputs here
		}
		return diff(olds, req.Inputs), nil
	}
	prov.Create = func(_ context.Context, req p.CreateRequest) (p.CreateResponse, error) {
		id := ""
		if !req.DryRun {
			id = randomID()
		}
		return p.CreateResponse{ID: id, Properties: req.Properties}, nil
	}
	prov.Read = func(_ context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		return p.ReadResponse{ID: req.ID, Properties: req.Properties, Inputs: req.Inputs}, nil
	}
	prov.Update = func(_ context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
		return p.UpdateResponse{Properties: req.Inputs}, nil
	}
	prov.Delete = func(context.Context, p.DeleteRequest) error { return nil }
	return prov, nil
}

func diff(olds, news property.Map) p.DiffResponse {
	if olds.Equals(news) {
		return p.DiffResponse{}
	}
	detailed := map[string]p.PropertyDiff{}
	for k, v := range news.All {
		if o, ok := olds.GetOk(k); !ok {
			detailed[k] = p.PropertyDiff{Kind: p.Add, InputDiff: true}
		} else if !o.Equals(v) {
			detailed[k] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
		}
	}
	for k := range olds.All {
		if _, ok := news.GetOk(k); !ok {
			detailed[k] = p.PropertyDiff{Kind: p.Delete, InputDiff: true}
		}
	}
	return p.DiffResponse{HasChanges: true, DetailedDiff: detailed}
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
