package zeek

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// TestFeedByteSepMatchesStringSep checks the word-at-a-time tab splitter
// against the plain one (bytes.Index per field) on lines of random
// lengths and contents: the same fields in the same columns, hence the
// same events and errors (feedByteSep's ApplyLine against column and
// ApplyText for every field).
func TestFeedByteSepMatchesStringSep(t *testing.T) {
	var tsv TSV
	for _, h := range strings.Split(strings.TrimSpace(dnsLogHeader), "\n") {
		tsv.Header([]byte(h))
	}
	tsv.markers()
	good := bytes.Split(bytes.TrimSpace(dnsLogLines(50)), []byte("\n"))
	good = good[len(good)-50:]
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("\t\t\t\x08\x09\x89\x88-,(empty)0123456789.T")
	ma, mb := record.NewMapper(Input), record.NewMapper(Input)
	var ea, eb scoring.Event
	for i := 0; i < 20000; i++ {
		var line []byte
		switch i % 3 {
		case 0:
			line = append(line, good[i%len(good)]...)
		case 1: // a good line with some bytes replaced
			line = append(line, good[i%len(good)]...)
			for k := rng.IntN(4); k >= 0; k-- {
				line[rng.IntN(len(line))] = alphabet[rng.IntN(len(alphabet))]
			}
		default:
			for k := rng.IntN(300); k > 0; k-- {
				line = append(line, alphabet[rng.IntN(len(alphabet))])
			}
		}
		ma.BeginInto(&ea, time.Unix(1, 0))
		na := tsv.feedByteSep(ma, line, '\t')
		erra := ma.End(&ea)
		mb.Begin(time.Unix(1, 0))
		nb := tsv.feedStringSep(mb, line, []byte{'\t'})
		errb := mb.End(&eb)
		// A line of the wrong number of fields fails in Feed whatever its
		// fields hold, so feedByteSep does not hand them over.
		if na != nb || na == len(tsv.cols) && (!reflect.DeepEqual(erra, errb) || (erra == nil && !reflect.DeepEqual(ea, eb))) {
			t.Fatalf("line %q: byte splitter %d fields, %v, %+v; string splitter %d fields, %v, %+v", line, na, erra, ea, nb, errb, eb)
		}
	}
}
