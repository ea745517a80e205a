// Command gendns writes a pcap of synthetic DNS traffic for benchmarks:
// query/response pairs over UDP from many clients for a pool of names.
//
//	go run ./sniffer/pcapgen/gendns -n 1000000 -o /tmp/dns-1m.pcap
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

func main() {
	n := flag.Int("n", 1_000_000, "packets to write (queries and responses)")
	out := flag.String("o", "/tmp/nfr-dns.pcap", "output file")
	names := flag.Int("names", 20000, "distinct query names")
	flag.Parse()
	if err := generate(*out, *n, *names); err != nil {
		fmt.Fprintln(os.Stderr, "gendns:", err)
		os.Exit(1)
	}
}

func generate(path string, n, names int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := pcapgen.NewWriter(bw, pcapgen.Ethernet, false)
	if err != nil {
		return err
	}
	server := netip.MustParseAddr("10.53.0.53")
	ts := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i += 2 {
		name := fmt.Sprintf("host%d.example%d.com", i/2%names, i/2%97)
		client := netip.AddrFrom4([4]byte{10, 1, byte(i >> 16), byte(i >> 8)})
		e := pcapgen.Endpoints{Src: client, Dst: server, SrcPort: uint16(1024 + i%60000), DstPort: 53}
		id := uint16(i)
		if err := w.UDP(ts, e, pcapgen.DNSQuery(id, name, layers.DNSTypeA)); err != nil {
			return err
		}
		ts = ts.Add(300 * time.Microsecond)
		if i+1 < n {
			ans := netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})
			if err := w.UDP(ts, e.Reverse(), pcapgen.DNSResponse(id, name, layers.DNSTypeA, 0, 300, ans)); err != nil {
				return err
			}
		}
		ts = ts.Add(700 * time.Microsecond)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}
