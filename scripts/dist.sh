#!/usr/bin/env bash
# `make dist`: the provider binary packed for `pulumi plugin install resource
# litellm <version> --file <tarball>` (or a download server named by the
# schema's pluginDownloadURL), and the converter plugin for `pulumi plugin
# install converter litellm <version> --file <tarball>`, for linux and darwin
# on amd64 and arm64.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${VERSION:?set VERSION}"
out="${DIST_DIR:-$root/dist}"
rm -rf "$out" && mkdir -p "$out"
platforms="${PLATFORMS:-linux-amd64 linux-arm64 darwin-amd64 darwin-arm64}"
for platform in $platforms; do
    os="${platform%-*}" arch="${platform#*-}"
    for plugin in pulumi-resource-litellm pulumi-converter-litellm; do
        stage="$(mktemp -d)"
        CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
          -ldflags "-s -w -X github.com/pulumi-litellm/pulumi-litellm/provider.Version=$version" \
          -o "$stage/$plugin" "$root/cmd/$plugin"
        cp "$root/README.md" "$stage/"
        tarball="$out/$plugin-v$version-$os-$arch.tar.gz"
        tar -czf "$tarball" -C "$stage" "$plugin" README.md
        rm -rf "$stage"
        echo "$tarball"
    done
done
(cd "$out" && sha256sum ./*.tar.gz > SHA256SUMS)
