package sink

import (
	"net"

	"golang.org/x/sys/unix"
)

// bytesAcked returns how many bytes the peer's kernel acknowledged on c.
func bytesAcked(c net.Conn) (uint64, bool) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return 0, false
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return 0, false
	}
	var acked uint64
	var serr error
	err = rc.Control(func(fd uintptr) {
		var info *unix.TCPInfo
		info, serr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
		if serr == nil {
			acked = info.Bytes_acked
		}
	})
	return acked, err == nil && serr == nil
}
