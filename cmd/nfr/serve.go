package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/plugin/serve"
)

func init() {
	register("serve", "run the sidecar: score records posted over HTTP or streamed as NDJSON", runServe)
}

func runServe(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	path := configFlag(fs)
	listen := fs.String("listen", "", "HTTP address (overrides serve.listen)")
	tcp := fs.String("tcp", "", "NDJSON-over-TCP address (overrides serve.tcp_listen)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, scope, code := loadConfig(*path)
	if code != 0 {
		return code
	}
	if *listen != "" {
		cfg.Serve.Listen = *listen
	}
	if *tcp != "" {
		cfg.Serve.TCPListen = *tcp
	}
	logger := log.New(os.Stderr, "nfr serve: ", log.LstdFlags)
	popts := pipeline.Options{Logf: logger.Printf, WatchFeeds: pipeline.DefaultFeedWatch}
	if o, ok := cfg.Serve.AlertOutput(); ok {
		logger.Printf("serve.alert_url is deprecated: list the URL under outputs instead (outputs: - sink: URL); posting alerts to it as a json output")
		popts.Outputs = append(append([]config.Output(nil), cfg.Outputs...), o)
	}
	p, err := pipeline.New(cfg, scope, popts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr serve:", err)
		return 2
	}
	srv, err := serve.New(cfg.Serve, p, logger.Printf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr serve:", err)
		p.Close()
		return 2
	}
	if err := srv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "nfr serve:", err)
		return 1
	}
	logger.Printf("listening on %s %v", srv.Addr(), srv.StreamAddrs())
	waitForStop(p, logger)
	logger.Printf("shutting down: draining the queue")
	if err := srv.Shutdown(context.Background()); err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}

// waitForStop returns on SIGINT or SIGTERM. SIGHUP (systemctl reload,
// logrotate's postrotate) reloads the feeds and reopens the output files.
func waitForStop(p *pipeline.Pipeline, logger *log.Logger) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	for sig := range sigs {
		if sig != syscall.SIGHUP {
			return
		}
		if err := p.Reload(); err != nil {
			logger.Printf("SIGHUP: %v", err)
			continue
		}
		logger.Printf("SIGHUP: feeds reloaded, output files reopened")
	}
}
