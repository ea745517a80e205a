// Command benchplugin measures out_nfr.so through the C loader, as Fluent
// Bit runs it: records per second per core of CPU time for decode + map +
// score + encode (JSON alerts to a file). It prints one result row.
//
//	go run ./plugin/fluentbit/harness/benchplugin -so bin/out_nfr.so
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
)

func main() {
	so := flag.String("so", "bin/out_nfr.so", "plugin to load")
	chunks := flag.Int("chunks", 50, "distinct chunks")
	perChunk := flag.Int("records", 1000, "records per chunk")
	passes := flag.Int("passes", 4, "times every chunk is flushed")
	flag.Parse()
	if err := run(*so, *chunks, *perChunk, *passes); err != nil {
		fmt.Fprintln(os.Stderr, "benchplugin:", err)
		os.Exit(1)
	}
}

func run(so string, chunks, perChunk, passes int) error {
	dir, err := os.MkdirTemp("", "nfr-benchplugin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	loader, err := harness.BuildLoader(dir)
	if err != nil {
		return err
	}
	gen := harness.NewGen(42)
	feed := filepath.Join(dir, "c2.txt")
	if err := os.WriteFile(feed, []byte(strings.Join(gen.Listed, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	var files []string
	bytes := 0
	for i := 0; i < chunks; i++ {
		data, _ := gen.Chunk(perChunk)
		bytes += len(data)
		f := filepath.Join(dir, fmt.Sprintf("chunk%d", i))
		if err := os.WriteFile(f, data, 0o644); err != nil {
			return err
		}
		files = append(files, f)
	}
	p, err := harness.Start(loader, so)
	if err != nil {
		return err
	}
	defer p.Close()
	steps := [][2]string{
		{"register", "register rc=0 "},
		{"init NFR_Log_Level=warn Format=json Feeds=c2=" + feed + " Output=file:" + filepath.Join(dir, "alerts"), "init 0 rc=1"},
	}
	for _, step := range steps {
		cmd, want := step[0], step[1]
		if out, err := p.Do("%s", cmd); err != nil || !strings.HasPrefix(out, want) {
			return fmt.Errorf("%s: %s %v\n%s", cmd, out, err, p.Stderr())
		}
	}
	out, err := p.Do("bench 0 %d %s", passes, strings.Join(files, " "))
	if err != nil {
		return err
	}
	fields := map[string]int64{}
	for _, f := range strings.Fields(out)[1:] {
		k, v, _ := strings.Cut(f, "=")
		fields[k], _ = strconv.ParseInt(v, 10, 64)
	}
	if fields["rc_ok"] != fields["flushes"] || fields["cpu_ns"] <= 0 {
		return fmt.Errorf("bench: %s\n%s", out, p.Stderr())
	}
	p.Do("exit 0")
	records := float64(chunks * perChunk * passes)
	cpu := float64(fields["cpu_ns"])
	fmt.Printf("plugin harness (decode+map+score+encode, %d-record chunks of %d KiB): %.0f records/s/core (%.0f ns/record CPU, %.0f records/s wall)\n",
		perChunk, bytes/chunks/1024, records/(cpu/1e9), cpu/records, records/(float64(fields["wall_ns"])/1e9))
	fmt.Printf("ROW|plugin harness: decode+map+score+encode|%.0f records/s/core|C loader driving bin/out_nfr.so, %d-record chunks, CPU time of the flushes\n",
		records/(cpu/1e9), perChunk)
	return nil
}
