package sink

import "slices"

// sent is a message in the replay ring and where it ended in the raw byte
// stream of the connection it was last written on.
type sent struct {
	msg    []byte
	rawEnd uint64
}

// ring is a bounded FIFO of sent messages: at most max messages and
// maxRingBytes bytes; when full it drops its oldest. Slots keep byte slices
// of up to keepCap bytes, so once warm it allocates nothing for ordinary
// messages, and memory stays below max × keepCap + maxRingBytes.
type ring struct {
	items   []sent
	head, n int
	max     int
	bytes   int // total length of the live messages
}

const (
	maxRingBytes = 16 << 20
	keepCap      = 4 << 10
)

func (r *ring) len() int { return r.n }

// at returns the i-th oldest message.
func (r *ring) at(i int) *sent { return &r.items[(r.head+i)%len(r.items)] }

// push copies msg in as the newest message.
func (r *ring) push(msg []byte, rawEnd uint64) {
	if r.max <= 0 {
		return
	}
	for r.n > 0 && (r.n == r.max || r.bytes+len(msg) > maxRingBytes) {
		r.dropOldest(1)
	}
	var slot *sent
	switch {
	case r.n < len(r.items):
		slot = r.at(r.n)
		r.n++
	default: // grow; make the live items contiguous from 0 first
		if r.head != 0 {
			r.items = append(r.items[r.head:], r.items[:r.head]...)
			r.head = 0
		}
		r.items = append(r.items, sent{})
		slot = &r.items[r.n]
		r.n++
	}
	slot.msg = append(slot.msg[:0], msg...)
	slot.rawEnd = rawEnd
	r.bytes += len(msg)
}

// dropOldest forgets the k oldest messages.
func (r *ring) dropOldest(k int) {
	for ; k > 0 && r.n > 0; k-- {
		old := &r.items[r.head]
		r.bytes -= len(old.msg)
		if cap(old.msg) > keepCap {
			old.msg = nil // do not keep an outsized buffer
		}
		r.head = (r.head + 1) % len(r.items)
		r.n--
	}
}

// appendAll appends every message, oldest first, to dst.
func (r *ring) appendAll(dst []byte) []byte {
	for i := 0; i < r.n; i++ {
		dst = append(dst, r.at(i).msg...)
	}
	return dst
}

// setRawEnd sets every message's raw end.
func (r *ring) setRawEnd(end uint64) {
	for i := 0; i < r.n; i++ {
		r.at(i).rawEnd = end
	}
}

// contents returns the messages oldest first (for tests).
func (r *ring) contents() []string {
	out := make([]string, 0, r.n)
	for i := 0; i < r.n; i++ {
		out = append(out, string(r.at(i).msg))
	}
	return slices.Clip(out)
}
