// Package scoring holds nfr's data model: the typed Event that every input
// decodes into, the Alert that every output encodes, the threat catalogue,
// the FQDN breakdown shared by all detectors, and the Detector contract.
//
// Everything under scoring/ is pure: it performs no I/O, never reads the
// wall clock (only event time), and keeps all state bounded by configured
// caps. Decoding input and writing alerts belong to package formats; wiring
// detectors together belongs to scoring/engine.
package scoring
