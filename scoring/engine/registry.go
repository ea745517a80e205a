package engine

import (
	"reflect"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/beacon"
	"github.com/netflightrecorder/nfr/scoring/brand"
	"github.com/netflightrecorder/nfr/scoring/dga"
	"github.com/netflightrecorder/nfr/scoring/dnstunnel"
	"github.com/netflightrecorder/nfr/scoring/encdns"
	"github.com/netflightrecorder/nfr/scoring/icmptunnel"
	"github.com/netflightrecorder/nfr/scoring/lateral"
	"github.com/netflightrecorder/nfr/scoring/nxdomain"
	"github.com/netflightrecorder/nfr/scoring/scan"
)

// Detectors is the detector registry: one field per detector, in pipeline
// order, and the only list of them. A field's yaml key is the detector's
// one name: its package, its Name(), the detector field of its evidence,
// its key in Stats.State and its section of config.yml (engine.<name>).
// Its type is the package's Config, a scoring.DetectorConfig, from which
// the engine takes the section's defaults, its validation and the detector
// itself; formats/config decodes the section strictly and build/configref
// documents it (docs/configuration.md, docs/detectors.md, the engine
// section that nfr init writes), all from this struct. Adding a detector
// is its package and one line here (docs/extending.md); a test fails when
// a detector package under scoring/ has no line.
//
// A deprecated tag lists older keys still accepted for the section:
// formats/config reads them as the current key and warns.
type Detectors struct {
	DGA        dga.Config        `yaml:"dga"`
	Brand      brand.Config      `yaml:"brand"`
	DNSTunnel  dnstunnel.Config  `yaml:"dnstunnel" deprecated:"dns_tunnel"`
	EncDNS     encdns.Config     `yaml:"encdns" deprecated:"encrypted_dns"`
	ICMPTunnel icmptunnel.Config `yaml:"icmptunnel" deprecated:"icmp_tunnel"`
	Scan       scan.Config       `yaml:"scan"`
	Lateral    lateral.Config    `yaml:"lateral"`
	Beacon     beacon.Config     `yaml:"beacon"`
	NXDomain   nxdomain.Config   `yaml:"nxdomain"`
}

// Section is one detector's entry in the registry.
type Section struct {
	Name   string                 // the detector's name: its yaml key
	Config scoring.DetectorConfig // its configuration section
}

// Sections returns the registry's entries in pipeline order. It reflects
// over Detectors: call it when building or checking a config, not per event.
func (d Detectors) Sections() []Section {
	v := reflect.ValueOf(d)
	out := make([]Section, v.NumField())
	for i := range out {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		out[i] = Section{Name: name, Config: v.Field(i).Interface().(scoring.DetectorConfig)}
	}
	return out
}

// defaultDetectors returns every section at its defaults.
func defaultDetectors() Detectors {
	var d Detectors
	v := reflect.ValueOf(&d).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		f.Set(reflect.ValueOf(f.Interface().(scoring.DetectorConfig).Defaults()))
	}
	return d
}

// configuredDetectors constructs the enabled detectors in pipeline order.
func configuredDetectors(d Detectors) []scoring.Detector {
	var ds []scoring.Detector
	for _, s := range d.Sections() {
		if s.Config.On() {
			ds = append(ds, s.Config.NewDetector())
		}
	}
	return ds
}
