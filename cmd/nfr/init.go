package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netflightrecorder/nfr/formats/config"
)

func init() {
	register("init", "write a commented config.yml and scope.yml", runInit)
}

func runInit(args []string) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	path := fs.String("config", config.DefaultPath, "where to write config.yml (scope.yml goes beside it)")
	force := fs.Bool("force", false, "overwrite existing files")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	files, err := config.WriteTemplates(*path, *force)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr init:", err)
		return 1
	}
	for _, f := range files {
		fmt.Println("wrote", f)
	}
	return 0
}
