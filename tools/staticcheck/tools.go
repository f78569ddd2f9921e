//go:build tools

// Package tools pins the linter that `make lint` builds into .tools/bin.
package tools

import _ "honnef.co/go/tools/cmd/staticcheck"
