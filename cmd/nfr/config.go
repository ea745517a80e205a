package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netflightrecorder/nfr/formats/config"
)

// configFlag adds the shared --config flag to fs.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "config file (default $NFR_CONFIG, then "+config.DefaultPath+")")
}

// loadConfig loads the config and scope files or prints the error. On
// failure it returns exit code 2.
func loadConfig(path string) (*config.Config, *config.ScopeFile, int) {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr:", err)
		return nil, nil, 2
	}
	scope, err := config.LoadScope(cfg.ScopePath(), cfg.Dir != "" && cfg.Scope.Path != "scope.yml")
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr:", err)
		return nil, nil, 2
	}
	return cfg, scope, 0
}

func init() {
	register("check", "validate config.yml and scope.yml", func(args []string) int {
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		path := configFlag(fs)
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if _, _, code := loadConfig(*path); code != 0 {
			return code
		}
		fmt.Println("config ok")
		return 0
	})
}
