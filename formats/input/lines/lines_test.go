package lines

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
)

func TestLinesNumbersEndingsAndLongLines(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	mid := strings.Repeat("y", 200<<10) // longer than the buffer, under MaxLine
	r := NewReader(strings.NewReader("a\r\nb\n" + long + "\n" + mid + "\nlast"))
	type got struct {
		line string
		num  int64
		err  error
	}
	var out []got
	for {
		line, num, err := r.Next()
		if err == io.EOF {
			break
		}
		out = append(out, got{string(line), num, err})
	}
	want := []got{{"a", 1, nil}, {"b", 2, nil}, {"", 3, ErrTooLong}, {mid, 4, nil}, {"last", 5, nil}}
	if len(out) != len(want) {
		t.Fatalf("%d lines", len(out))
	}
	for i := range want {
		if out[i] != want[i] {
			t.Errorf("line %d: got %q %d %v, want %q %d %v", i, out[i].line[:min(10, len(out[i].line))], out[i].num, out[i].err,
				want[i].line[:min(10, len(want[i].line))], want[i].num, want[i].err)
		}
	}
}

func TestAccount(t *testing.T) {
	var st formats.Stats
	if skipped, err := Account(&st, "f", 1, nil); skipped || err != nil || st.Events != 1 {
		t.Error("event not counted")
	}
	if skipped, err := Account(&st, "f", 2, record.SkipError("header")); !skipped || err != nil || st.Skipped["header"] != 1 {
		t.Error("skip not counted")
	}
	_, err := Account(&st, "f", 3, &formats.LineError{Reason: "bad port", Detail: "id.orig_p=70000"})
	var le *formats.LineError
	if !errors.As(err, &le) || le.Error() != "f:3: bad port: id.orig_p=70000" || st.Bad["bad port"] != 1 {
		t.Errorf("bad line: %v %+v", err, st)
	}
	io := errors.New("disk")
	if _, err := Account(&st, "f", 4, io); err != io {
		t.Errorf("I/O error changed: %v", err)
	}
}
