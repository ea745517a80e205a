// Package harness drives a Fluent Bit Go output plugin (bin/out_nfr.so)
// through src/flb-harness.c, a C loader that calls the plugin exactly as
// Fluent Bit's Go proxy does, and generates realistic chunks for it. Tests
// and build/bench.d/plugin.sh use it; the plugin itself never imports it.
package harness

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// SourceDir is the directory of this file (for src/flb-harness.c).
func SourceDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// ModuleRoot is the repository root.
func ModuleRoot() string { return filepath.Join(SourceDir(), "..", "..", "..") }

// BuildLoader compiles the C loader into dir and returns its path.
func BuildLoader(dir string) (string, error) {
	out := filepath.Join(dir, "flb-harness")
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	cmd := exec.Command(cc, "-O2", "-Wall", "-o", out, filepath.Join(SourceDir(), "src", "flb-harness.c"), "-ldl", "-lpthread")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("compiling the loader: %v\n%s", err, b)
	}
	return out, nil
}

// BuildPlugin builds out_nfr.so into dir with the given build tags.
func BuildPlugin(dir string, tags ...string) (string, error) {
	out := filepath.Join(dir, "out_nfr.so")
	args := []string{"build", "-buildmode=c-shared", "-o", out}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.Command("go", append(args, "./plugin/fluentbit")...)
	cmd.Dir = ModuleRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the plugin: %v\n%s", err, b)
	}
	return out, nil
}

// Process is a running loader with the plugin loaded.
type Process struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *os.File // a file, not a pipe: a line logged during a command is there when its result arrives
	// Timeout bounds each command (default CommandTimeout).
	Timeout time.Duration
}

// CommandTimeout is how long Do waits for a command's result line before
// it declares the plugin hung.
const CommandTimeout = 2 * time.Minute

// Start runs the loader on the plugin at so.
func Start(loader, so string) (*Process, error) {
	p := &Process{cmd: exec.Command(loader, so), Timeout: CommandTimeout}
	var err error
	if p.stderr, err = os.CreateTemp("", "flb-harness-stderr-"); err != nil {
		return nil, err
	}
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.stdout = bufio.NewReader(out)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	return p, nil
}

// Do sends one command and returns its result line. A command that gets
// no answer within p.Timeout is a hung plugin: Do sends the loader
// SIGQUIT (a plugin built with the nfr_inject_panic tag then logs every
// goroutine's stack), kills it and returns an error with what it logged.
func (p *Process) Do(format string, args ...any) (string, error) {
	if _, err := fmt.Fprintf(p.stdin, format+"\n", args...); err != nil {
		return "", fmt.Errorf("loader: %w (stderr: %s)", err, p.Stderr())
	}
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := p.stdout.ReadString('\n')
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", fmt.Errorf("loader died: %w (stderr: %s)", r.err, p.Stderr())
		}
		return strings.TrimSuffix(r.line, "\n"), nil
	case <-time.After(p.Timeout):
		p.cmd.Process.Signal(syscall.SIGQUIT)
		time.Sleep(2 * time.Second)
		p.cmd.Process.Kill()
		return "", fmt.Errorf("command %q: no answer in %s; plugin hung (stderr: %s)", fmt.Sprintf(format, args...), p.Timeout, p.Stderr())
	}
}

// Stderr is everything the plugin logged so far.
func (p *Process) Stderr() string {
	b, err := os.ReadFile(p.stderr.Name())
	if err != nil {
		return fmt.Sprintf("(stderr unreadable: %v)", err)
	}
	return string(b)
}

// Close ends the loader (after "quit" if it is still reading) and waits.
func (p *Process) Close() error {
	fmt.Fprintln(p.stdin, "quit")
	p.stdin.Close()
	err := p.cmd.Wait()
	p.stderr.Close()
	os.Remove(p.stderr.Name())
	return err
}
