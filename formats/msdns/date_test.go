package msdns

import (
	"testing"
	"time"
)

func TestMSDNSDates(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"6/5/2013 12:00:01 AM", time.Date(2013, 6, 5, 0, 0, 1, 0, time.UTC)},
		{"6/5/2013 12:30:00 PM", time.Date(2013, 6, 5, 12, 30, 0, 0, time.UTC)},
		{"6/5/2013 11:59:59 PM", time.Date(2013, 6, 5, 23, 59, 59, 0, time.UTC)},
		{"2017-01-02 21:00:00", time.Date(2017, 1, 2, 21, 0, 0, 0, time.UTC)},
		{"2019/10/21 19:02:27", time.Date(2019, 10, 21, 19, 2, 27, 0, time.UTC)},
		{"20.06.2019 9:26:24", time.Date(2019, 6, 20, 9, 26, 24, 0, time.UTC)},
		{"20080702 20:59:38", time.Date(2008, 7, 2, 20, 59, 38, 0, time.UTC)},
		{"05/01/2022 08:00:00", time.Date(2022, 1, 5, 8, 0, 0, 0, time.UTC)}, // ambiguous: day first
	}
	for _, c := range cases {
		var st state
		if got, ok := st.parseTime([]byte(c.in), time.UTC); !ok || !got.Equal(c.want) {
			t.Errorf("%q: %v %v, want %v", c.in, got, ok, c.want)
		}
	}
	// A month above 12 in the second field proves month-first, and the
	// stream keeps that order for ambiguous dates that follow.
	var st state
	for _, c := range []struct {
		in   string
		want time.Time
	}{{"12/25/2021 13:00:00", time.Date(2021, 12, 25, 13, 0, 0, 0, time.UTC)}, {"01/02/2022 13:00:00", time.Date(2022, 1, 2, 13, 0, 0, 0, time.UTC)}} {
		if got, ok := st.parseTime([]byte(c.in), time.UTC); !ok || !got.Equal(c.want) {
			t.Errorf("%q: %v %v, want %v", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"13/13/2021 10:00:00", "31/02/2021 10:00:00", "6/5/2013 13:00:00 PM", "6/5/2013 0:00:00 AM",
		"6/5/2013 10:00", "6/5/2013", "2013-06-05T10:00:00", "6/5/2013 10:00:00 XM", "99999999 10:00:00", "1/1/1969 00:00:00"} {
		if got, ok := new(state).parseTime([]byte(bad), time.UTC); ok {
			t.Errorf("%q accepted as %v", bad, got)
		}
	}
}
