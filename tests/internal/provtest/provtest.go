// Package provtest starts the provider in process behind pulumi-go-provider's
// integration server (the gRPC surface the engine calls) and configures it.
package provtest

import (
	"context"
	"fmt"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/provider"
)

// New returns an unconfigured provider server.
func New() (integration.Server, error) {
	prov, err := provider.New()
	if err != nil {
		return nil, err
	}
	return integration.NewServer(context.Background(), provider.Name, semver.MustParse(provider.Version), integration.WithProvider(prov))
}

// Configured returns a provider server configured with the given settings
// (stack-config names: baseUrl, apiKey, maxWait, ...), through CheckConfig
// and Configure as the engine does.
func Configured(config property.Map) (integration.Server, error) {
	s, _, err := ConfiguredAs(config, property.Map{})
	return s, err
}

// ConfiguredAs is Configured for a stack whose provider state already holds
// olds (e.g. an ownerId from an earlier run). It returns the checked inputs,
// which the engine would store as the provider's state.
func ConfiguredAs(config, olds property.Map) (integration.Server, property.Map, error) {
	s, err := New()
	if err != nil {
		return nil, property.Map{}, err
	}
	checked, err := s.CheckConfig(p.CheckRequest{Urn: "urn:pulumi:test::proj::pulumi:providers:litellm::default", State: olds, Inputs: config})
	if err != nil {
		return nil, property.Map{}, err
	}
	if len(checked.Failures) > 0 {
		return nil, property.Map{}, fmt.Errorf("config: %v", checked.Failures)
	}
	if err := s.Configure(p.ConfigureRequest{Args: checked.Inputs}); err != nil {
		return nil, property.Map{}, err
	}
	return s, checked.Inputs, nil
}
