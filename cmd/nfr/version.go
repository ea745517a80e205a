package main

import (
	"fmt"

	"github.com/netflightrecorder/nfr/build"
)

func init() {
	register("version", "print version, commit and Go version", func(args []string) int {
		fmt.Printf("nfr %s (commit %s, %s)\n", build.Version, build.Commit, build.GoVersion())
		return 0
	})
}
