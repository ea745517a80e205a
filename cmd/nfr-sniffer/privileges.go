package main

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// dropPrivileges switches to name's uid and gid (and only that group),
// handing it the spool directory first so that it can still write there.
func dropPrivileges(name, spoolDir string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("--user: %w", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("--user %s: non-numeric uid/gid", name)
	}
	if spoolDir != "" {
		if err := os.MkdirAll(spoolDir, 0o700); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		if err := os.Chown(spoolDir, uid, gid); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
	}
	if err := syscall.Setgroups([]int{gid}); err != nil {
		return fmt.Errorf("--user: setgroups: %w", err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return fmt.Errorf("--user: setgid: %w", err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return fmt.Errorf("--user: setuid: %w", err)
	}
	if os.Geteuid() != uid {
		return fmt.Errorf("--user: still running as uid %d", os.Geteuid())
	}
	return nil
}
