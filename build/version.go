// Package build carries the version stamped into nfr's binaries at link
// time (-ldflags -X). It holds no logic.
package build

import "runtime"

// Set by the Makefile through -ldflags "-X ...".
var (
	Version = "dev"
	Commit  = "unknown"
)

// GoVersion is the Go toolchain the binary was built with.
func GoVersion() string { return runtime.Version() }

// Engine is the value of an alert's engine field: "nfr/<version>".
func Engine() string { return "nfr/" + Version }
