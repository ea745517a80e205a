package lines

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

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

// Lines come out the same however the input arrives: a byte at a time,
// in halves, with the last data and io.EOF together, across buffer
// refills and for lines longer than the buffer or than MaxLine.
func TestLinesAnyReadSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var text strings.Builder
	var want []string
	for i := 0; i < 400; i++ {
		n := rng.IntN(300)
		switch i % 50 {
		case 7:
			n = bufSize - 1 + rng.IntN(3)
		case 8:
			n = 3*bufSize + rng.IntN(100)
		case 9:
			n = MaxLine + rng.IntN(3)
		}
		line := strings.Repeat(string(rune('a'+i%26)), n)
		ending := "\n"
		if i%3 == 0 {
			ending = "\r\n"
		}
		if n+len(ending) > MaxLine { // the ending counts
			want = append(want, "too long")
		} else {
			want = append(want, line)
		}
		text.WriteString(line + ending)
	}
	text.WriteString("last")
	want = append(want, "last")
	for name, wrap := range map[string]func(io.Reader) io.Reader{
		"whole": func(r io.Reader) io.Reader { return r }, "one byte": iotest.OneByteReader,
		"halves": iotest.HalfReader, "data with EOF": iotest.DataErrReader,
	} {
		r := NewReader(wrap(strings.NewReader(text.String())))
		for i, w := range want {
			line, num, err := r.Next()
			got := string(line)
			if err == ErrTooLong {
				got = "too long"
			} else if err != nil {
				t.Fatalf("%s: line %d: %v", name, i+1, err)
			}
			if got != w || num != int64(i+1) {
				t.Fatalf("%s: line %d: got %d bytes (number %d), want %d", name, i+1, len(got), num, len(w))
			}
		}
		if _, _, err := r.Next(); err != io.EOF {
			t.Fatalf("%s: %v at the end", name, err)
		}
	}
}

// A read error names the line it interrupts, is returned once, and
// reading resumes after it, as bufio.Reader does.
func TestLinesReadError(t *testing.T) {
	boom := errors.New("boom")
	r := NewReader(&steps{{"a\nb", nil}, {"", boom}, {"c\nd\n", nil}})
	var got []string
	for {
		line, num, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			got = append(got, err.Error())
			continue
		}
		got = append(got, fmt.Sprintf("%d:%s", num, line))
	}
	if want := []string{"1:a", "line 2: boom", "2:c", "3:d"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// steps is a reader that returns its steps' data and errors in turn, then
// io.EOF.
type steps []struct {
	data string
	err  error
}

func (s *steps) Read(p []byte) (int, error) {
	if len(*s) == 0 {
		return 0, io.EOF
	}
	step := (*s)[0]
	*s = (*s)[1:]
	return copy(p, step.data), step.err
}
