package appid_test

import (
	"testing"

	"github.com/netflightrecorder/nfr/scoring/intel"
	"github.com/netflightrecorder/nfr/sniffer/appid"
)

// Every application the identifiers name raises a threat in the engine.
func TestEveryAppHasACategoryWithAThreat(t *testing.T) {
	for _, app := range appid.Apps() {
		cat, list, note, ok := intel.AppCategory(app)
		if !ok || list != "appid:"+app || len(note) < 10 {
			t.Errorf("%s: category %q list %q note %q", app, cat, list, note)
			continue
		}
		if _, ok := intel.AppThreat(app); !ok {
			t.Errorf("%s: category %s raises no threat", app, cat)
		}
	}
}
