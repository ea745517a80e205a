package config

import (
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Sniffer is the sniffer section (nfr-sniffer's defaults; flags override).
type Sniffer struct {
	// Interface is the network interface captured live.
	Interface string `yaml:"interface"`
	// Filter is a BPF capture filter (tcpdump syntax); empty: every packet.
	Filter string `yaml:"filter"`
	// Snaplen is the most bytes captured of each packet.
	Snaplen int `yaml:"snaplen"`
	// Promisc puts the interface in promiscuous mode.
	Promisc bool `yaml:"promisc"`
	// BufferSize is libpcap's kernel buffer in bytes.
	BufferSize int `yaml:"buffer_size"`
	// Output is forward://host:port, forward+tls://host:port, stdout or score.
	Output string `yaml:"output"`
	// FlowIdle ends a flow after this much event time without packets.
	FlowIdle time.Duration `yaml:"flow_idle"`
	// FlowMax emits a long flow's record at least this often.
	FlowMax time.Duration `yaml:"flow_max"`
}

// DefaultSniffer returns the sniffer defaults.
func DefaultSniffer() Sniffer {
	return Sniffer{Snaplen: 65535, Promisc: true, BufferSize: 8 << 20, Output: "stdout",
		FlowIdle: 60 * time.Second, FlowMax: 5 * time.Minute}
}

// Validate checks the sniffer section.
func (s Sniffer) Validate() error {
	if s.Snaplen < 64 || s.Snaplen > 262144 {
		return &scoring.ConfigError{Key: "snaplen", Msg: "must be between 64 and 262144"}
	}
	if s.FlowIdle <= 0 || s.FlowMax <= 0 {
		return &scoring.ConfigError{Key: "flow_idle", Msg: "flow_idle and flow_max must be positive"}
	}
	return nil
}
