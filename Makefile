# pulumi-litellm — see README.md. The two commands: `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VERSION      ?= 0.1.0
PULUMI_VER   := v3.274.1
TOOLS        := $(CURDIR)/.tools/bin
BIN          := $(CURDIR)/bin
PROVIDER     := $(BIN)/pulumi-resource-litellm
EMULATOR     := $(BIN)/litellm-emulator
LDFLAGS      := -X github.com/pulumi-litellm/pulumi-litellm/provider.Version=$(VERSION)
GO_TEST_FLAGS ?= -count=1 -timeout 20m
# Node.js 22 from the npm registry's node-<os>-<arch> packages: the generated
# TypeScript SDK needs @pulumi/pulumi >= 3.269 (pulumi.runtime.existsResource),
# which wants Node >= 22. The tools folder comes first on PATH for every recipe.
NODE_VER     := 22.23.5
NODE_ARCH    := $(subst x86_64,x64,$(subst aarch64,arm64,$(shell uname -m)))
NODE_PKG     := node-$(shell uname -s | tr A-Z a-z)-$(NODE_ARCH)
export PATH  := $(TOOLS):$(PATH)


.PHONY: help tools build schema sdk sdk-build install-plugin dist demo test chaos lint bench acceptance clean

help:
	@echo "make demo   build what is missing, start the bundled LiteLLM emulator (unless LITELLM_API_BASE/LITELLM_API_KEY are set) and pulumi up examples/yaml"
	@echo "make test   build what is missing and run every test"
	@echo "make chaos  the long reliability suite: the fault campaign with N=500 (CHAOS_N) and every fuzz target for 60 s (FUZZ_TIME)"
	@echo "make bench  print the benchmarks: policy, end to end, scale against a no-op provider (about 10 minutes)"
	@echo "make sdk    regenerate sdk/ from schema.json (make schema first when the provider changed)"
	@echo "make tools | build | schema | sdk-build | install-plugin | dist | lint | acceptance | clean"

# The Pulumi CLI, the YAML language host and staticcheck, built from the Go
# module proxy into a git-ignored folder; skipped when already built.
tools: $(TOOLS)/pulumi $(TOOLS)/pulumi-language-yaml $(TOOLS)/staticcheck $(TOOLS)/node

$(TOOLS)/node:
	@mkdir -p $(TOOLS) $(CURDIR)/.tools/node
	@echo "fetching Node.js $(NODE_VER) ($(NODE_PKG) from the npm registry)"
	cd $(CURDIR)/.tools/node && npm pack --silent $(NODE_PKG)@$(NODE_VER) >/dev/null && tar xzf $(NODE_PKG)-$(NODE_VER).tgz && rm $(NODE_PKG)-$(NODE_VER).tgz
	ln -sf $(CURDIR)/.tools/node/package/bin/node $@
	$@ --version

$(TOOLS)/pulumi:
	@mkdir -p $(TOOLS)
	@echo "building the Pulumi CLI $(PULUMI_VER) (about 4 minutes the first time)"
	cd tools/pulumi-cli && go build -o $@ \
	  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VER)" \
	  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

$(TOOLS)/pulumi-language-yaml:
	@mkdir -p $(TOOLS)
	@echo "building pulumi-language-yaml v1.25.0"
	cd tools/pulumi-yaml && go build -o $@ github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml

$(TOOLS)/staticcheck:
	@mkdir -p $(TOOLS)
	@echo "building staticcheck (honnef.co/go/tools v0.8.2)"
	cd tools/staticcheck && go build -o $@ honnef.co/go/tools/cmd/staticcheck

build:
	@mkdir -p $(BIN)/langhost
	go build -ldflags "$(LDFLAGS)" -o $(PROVIDER) ./cmd/pulumi-resource-litellm
	go build -ldflags "$(LDFLAGS)" -o $(BIN)/pulumi-converter-litellm ./cmd/pulumi-converter-litellm
	go build -o $(EMULATOR) ./cmd/litellm-emulator
	@# test-only language hosts for nodejs/python/go programs (tests/langhost)
	go build -o $(BIN)/langhost/pulumi-language-nodejs ./tests/langhost
	ln -f $(BIN)/langhost/pulumi-language-nodejs $(BIN)/langhost/pulumi-language-python
	ln -f $(BIN)/langhost/pulumi-language-nodejs $(BIN)/langhost/pulumi-language-go

# Puts the built provider and converter into Pulumi's plugin cache
# (~/.pulumi/plugins), so that `pulumi install`, programs outside examples/,
# `pulumi import --from litellm` and `pulumi convert --from litellm` find them
# without a download (there is no release server yet).
install-plugin: build
	pulumi plugin install resource litellm $(VERSION) --file $(PROVIDER) --reinstall
	pulumi plugin install converter litellm $(VERSION) --file $(BIN)/pulumi-converter-litellm --reinstall

schema:
	go run ./cmd/schemagen > schema.json

# SDKs for TypeScript, Python and Go, generated from schema.json and committed.
sdk: schema
	go run ./cmd/gensdk -schema schema.json -out sdk
	cd sdk/go/litellm && go mod tidy

# Compile the TypeScript SDK to sdk/nodejs/bin (what `file:../../sdk/nodejs/bin` installs).
# npm's warnings of an engine mismatch or a deprecated package fail the build.
sdk-build: $(TOOLS)/node
	cd sdk/nodejs && npm install --no-package-lock --no-audit --no-fund 2>&1 | tee $(CURDIR)/.tools/npm-sdk.log
	@! grep -iE "npm warn (EBADENGINE|deprecated)" $(CURDIR)/.tools/npm-sdk.log
	cd sdk/nodejs && npx tsc && cp package.json README.md bin/

demo: tools build
	./scripts/demo.sh

lint: $(TOOLS)/staticcheck
	go vet ./...
	$(TOOLS)/staticcheck ./...

# Every test; the integration suite runs a second time against the older
# LiteLLM generation of the emulator (tests/emulator, VersionLegacy).
# The short form of the reliability suite is part of it: the fault campaign
# with N=40 (tests/e2e/chaos_test.go) and every fuzz target for 5 s.
test: tools build sdk-build lint
	PULUMI_LITELLM_TOOLS=$(TOOLS) PULUMI_LITELLM_BIN=$(BIN) go test $(GO_TEST_FLAGS) ./...
	LITELLM_EMULATOR_VERSION=legacy go test $(GO_TEST_FLAGS) ./tests/integration/
	./scripts/fuzz.sh 5s

# The long form: prints `chaos n=… failures=… duplicates=… orphans=… second_up_changes=…`.
CHAOS_N   ?= 500
FUZZ_TIME ?= 60s
chaos: tools build
	CHAOS_N=$(CHAOS_N) PULUMI_LITELLM_TOOLS=$(TOOLS) PULUMI_LITELLM_BIN=$(BIN) \
	  go test -count=1 -timeout 60m -run '^TestChaosCampaign$$' -v ./tests/e2e/ | tee $(CURDIR)/.tools/chaos.log | grep -E '^(chaos |--- |ok|FAIL)'
	./scripts/fuzz.sh $(FUZZ_TIME)

# -scale: N = 200 and 1000 models through the real CLI, ours vs a no-op
# provider with the same schema (tests/bench/scale.go); about 10 minutes.
bench: tools build
	PULUMI_LITELLM_TOOLS=$(TOOLS) PULUMI_LITELLM_BIN=$(BIN) go run ./tests/bench -policy -e2e -scale

# Opt-in: the same scenarios against a real proxy.
acceptance: tools build
	@test -n "$${LITELLM_API_BASE:-}" -a -n "$${LITELLM_API_KEY:-}" || { echo "set LITELLM_API_BASE and LITELLM_API_KEY"; exit 2; }
	PULUMI_LITELLM_TOOLS=$(TOOLS) PULUMI_LITELLM_BIN=$(BIN) go test $(GO_TEST_FLAGS) -run Acceptance -v ./tests/acceptance/...

# Release tarballs: dist/pulumi-{resource,converter}-litellm-v$(VERSION)-{linux,darwin}-{amd64,arm64}.tar.gz
dist:
	VERSION=$(VERSION) ./scripts/dist.sh

clean:
	rm -rf $(BIN) .work
