package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/forward"
)

// forwardFlags are the Forward output's settings.
type forwardFlags struct {
	sharedKeyFile string
	key           string
	hostname      string
	gzip, ack     bool
	ackTimeout    time.Duration
	batch         int
	flushEvery    time.Duration
	backoffMax    time.Duration
	spoolDir      string
	spoolMax      int64
	memChunks     int
	drain         time.Duration
	tags          sniffer.Tags
	tlsCA         string
	tlsCert       string
	tlsKey        string
	tlsServerName string
	tlsInsecure   bool
}

func (f *forwardFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.sharedKeyFile, "shared-key-file", "", "file holding the Forward shared_key (or set $NFR_SHARED_KEY)")
	fs.StringVar(&f.hostname, "hostname", "", "hostname sent in the Forward handshake (default: the host's name)")
	fs.BoolVar(&f.gzip, "gzip", false, "gzip PackedForward batches (CompressedPackedForward)")
	fs.BoolVar(&f.ack, "ack", true, "ask for an ack per chunk and resend unacked chunks")
	fs.DurationVar(&f.ackTimeout, "ack-timeout", 10*time.Second, "how long to wait for an ack")
	fs.IntVar(&f.batch, "batch", 1000, "records per Forward chunk at most")
	fs.DurationVar(&f.flushEvery, "flush", time.Second, "send a partial chunk after this long")
	fs.DurationVar(&f.backoffMax, "backoff-max", 30*time.Second, "longest wait between reconnects")
	fs.StringVar(&f.spoolDir, "spool-dir", "", "spool chunks here while the receiver is away (empty: memory only)")
	fs.Int64Var(&f.spoolMax, "spool-max-bytes", 256<<20, "spool cap; beyond it the oldest chunk is dropped and counted")
	fs.IntVar(&f.memChunks, "spool-mem-chunks", 16, "chunks kept in memory before spooling to disk")
	fs.DurationVar(&f.drain, "drain", 10*time.Second, "on exit, wait this long for queued chunks before leaving them in the spool")
	fs.StringVar(&f.tags.DNS, "tag-dns", "nfr.dns", "Forward tag of dns records")
	fs.StringVar(&f.tags.Flow, "tag-flow", "nfr.flow", "Forward tag of flow records")
	fs.StringVar(&f.tags.ICMP, "tag-icmp", "nfr.icmp", "Forward tag of icmp records")
	fs.StringVar(&f.tags.TLS, "tag-tls", "nfr.tls", "Forward tag of tls records")
	fs.StringVar(&f.tlsCA, "tls-ca", "", "CA bundle to verify the receiver (forward+tls)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "client certificate (forward+tls)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "client key (forward+tls)")
	fs.StringVar(&f.tlsServerName, "tls-server-name", "", "name to verify in the receiver's certificate")
	fs.BoolVar(&f.tlsInsecure, "tls-insecure", false, "do not verify the receiver's certificate")
}

// loadKey reads the shared key (before privileges are dropped, so that
// the key file can stay readable by root only).
func (f *forwardFlags) loadKey() error {
	f.key = os.Getenv("NFR_SHARED_KEY")
	if f.sharedKeyFile == "" {
		return nil
	}
	b, err := os.ReadFile(f.sharedKeyFile)
	if err != nil {
		return fmt.Errorf("shared key: %w", err)
	}
	f.key = strings.TrimSpace(string(b))
	return nil
}

func (f *forwardFlags) sink(output string) (*sniffer.ForwardSink, error) {
	useTLS := strings.HasPrefix(output, "forward+tls://")
	addr := strings.TrimPrefix(strings.TrimPrefix(output, "forward+tls://"), "forward://")
	if addr == "" {
		return nil, errors.New("--output forward: no HOST:PORT")
	}
	cfg := forward.Config{Address: addr, SharedKey: f.key, Hostname: f.hostname, Gzip: f.gzip, Ack: f.ack,
		AckTimeout: f.ackTimeout, BatchRecords: f.batch, FlushEvery: f.flushEvery, BackoffMax: f.backoffMax,
		SpoolDir: f.spoolDir, SpoolMaxBytes: f.spoolMax, MemChunks: f.memChunks}
	if useTLS {
		tc, err := f.tlsConfig(addr)
		if err != nil {
			return nil, err
		}
		cfg.TLS = tc
	}
	c, err := forward.New(cfg)
	if err != nil {
		return nil, err
	}
	return &sniffer.ForwardSink{Client: c, Tags: f.tags, Drain: f.drain}, nil
}

func (f *forwardFlags) tlsConfig(addr string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: f.tlsServerName, InsecureSkipVerify: f.tlsInsecure}
	if tc.ServerName == "" {
		if i := strings.LastIndex(addr, ":"); i > 0 {
			tc.ServerName = strings.Trim(addr[:i], "[]")
		}
	}
	if f.tlsCA != "" {
		pem, err := os.ReadFile(f.tlsCA)
		if err != nil {
			return nil, fmt.Errorf("tls ca: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls ca %s: no certificates", f.tlsCA)
		}
	}
	if f.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("tls client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}
