package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// pcapPosition finds where packet n (1-based) of a pcap or pcapng file
// starts: the byte offset just after packet n-1's record. truncated says
// the file ends inside packet n's record. It reads only record headers.
func pcapPosition(path string, n uint64) (offset int64, truncated bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head := make([]byte, 24)
	if _, err := io.ReadFull(br, head[:8]); err != nil {
		return 0, true, nil
	}
	if string(head[:4]) == "\x0a\x0d\x0d\x0a" {
		return pcapngPosition(br, head[:8], n)
	}
	if _, err := io.ReadFull(br, head[8:]); err != nil {
		return 0, true, nil
	}
	order, ok := pcapOrder(head[:4])
	if !ok {
		return 0, false, errors.New("not a pcap file")
	}
	rec := make([]byte, 16)
	off := int64(24)
	for i := uint64(1); ; i++ {
		if _, err := io.ReadFull(br, rec); err != nil {
			return off, true, nil
		}
		_, err := br.Discard(int(order.Uint32(rec[8:12])))
		if i == n || err != nil {
			return off, err != nil, nil
		}
		off += 16 + int64(order.Uint32(rec[8:12]))
	}
}

func pcapOrder(magic []byte) (binary.ByteOrder, bool) {
	switch string(magic) {
	case "\xa1\xb2\xc3\xd4", "\xa1\xb2\x3c\x4d":
		return binary.BigEndian, true
	case "\xd4\xc3\xb2\xa1", "\x4d\x3c\xb2\xa1":
		return binary.LittleEndian, true
	}
	return nil, false
}

// pcapngPosition walks pcapng blocks, counting packet blocks (enhanced,
// simple and obsolete packet blocks).
func pcapngPosition(br *bufio.Reader, first []byte, n uint64) (int64, bool, error) {
	bom, err := br.Peek(4)
	if err != nil {
		return 0, true, nil
	}
	order := binary.ByteOrder(binary.LittleEndian)
	if string(bom) == "\x1a\x2b\x3c\x4d" {
		order = binary.BigEndian
	}
	size := int(order.Uint32(first[4:8]))
	if size < 12 {
		return 0, false, fmt.Errorf("pcapng: bad section header length %d", size)
	}
	if _, err := br.Discard(size - 8); err != nil {
		return 0, true, nil
	}
	off := int64(size)
	var seen uint64
	hdr := make([]byte, 8)
	for {
		if _, err := io.ReadFull(br, hdr); err != nil {
			return off, true, nil
		}
		typ, size := order.Uint32(hdr[:4]), int(order.Uint32(hdr[4:8]))
		if typ == 2 || typ == 3 || typ == 6 {
			seen++
		}
		if size < 12 {
			return off, false, fmt.Errorf("pcapng: bad block length %d at byte offset %d", size, off)
		}
		if _, err := br.Discard(size - 8); err != nil || seen == n {
			return off, err != nil, nil
		}
		off += int64(size)
	}
}
