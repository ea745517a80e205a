// Command nfr-sniffer captures packets (live or from pcap files), turns them
// into DNS, ICMP and flow records and forwards them to Fluent Bit or Vector.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "nfr-sniffer: not built yet")
	os.Exit(2)
}
