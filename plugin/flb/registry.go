package flb

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// The registry holds every [OUTPUT] instance of nfr in this process,
// keyed by the id the shell stores as the instance's Fluent Bit context.
var registry = struct {
	sync.RWMutex
	byID  map[int]*Instance
	next  int // next id
	inits int // Init calls so far: instance names are nfr.0, nfr.1, ... in config order
	deps  Deps
}{byID: map[int]*Instance{}, next: 1}

// SetDeps replaces how instances build pipelines and mappers (tests).
func SetDeps(d Deps) {
	registry.Lock()
	defer registry.Unlock()
	registry.deps = d
}

// Init creates an instance from its properties. It returns the instance id
// (> 0) and OK, or 0 and Error after logging one line naming the bad key.
func Init(g Getter) (id int, code int) {
	registry.Lock()
	name := fmt.Sprintf("nfr.%d", registry.inits)
	registry.inits++
	deps := registry.deps
	registry.Unlock()
	defer func() {
		if r := recover(); r != nil {
			NewLogger(name, LevelError).Errorf("panic in init: %v; stack: %s", r, debug.Stack())
			id, code = 0, Error
		}
	}()
	s, err := ReadSettings(g)
	if err != nil {
		NewLogger(name, LevelError).Errorf("init failed: %s", describe(err))
		return 0, Error
	}
	in, err := Open(name, s, deps)
	if err != nil {
		NewLogger(name, LevelError).Errorf("init failed: %s", describe(err))
		return 0, Error
	}
	registry.Lock()
	id = registry.next
	registry.next++
	registry.byID[id] = in
	registry.Unlock()
	in.log.Infof("initialized: input %s, %d feeds from the Feeds key", s.Input, len(s.Feeds))
	return id, OK
}

func lookup(id int) *Instance {
	registry.RLock()
	defer registry.RUnlock()
	return registry.byID[id]
}

// Flush hands a chunk to instance id.
func Flush(id int, data []byte, tag string) int {
	in := lookup(id)
	if in == nil {
		NewLogger("?", LevelError).Errorf("flush for %v %d: chunk dropped", errUnknownInstance, id)
		return Error
	}
	return in.Flush(data, tag)
}

// Exit closes instance id.
func Exit(id int) (code int) {
	registry.Lock()
	in := registry.byID[id]
	delete(registry.byID, id)
	if len(registry.byID) == 0 {
		registry.inits = 0 // after a hot reload Fluent Bit numbers instances from 0 again
	}
	registry.Unlock()
	if in == nil {
		return Error
	}
	defer func() {
		if r := recover(); r != nil {
			in.log.Errorf("panic in exit: %v; stack: %s", r, debug.Stack())
			code = Error
		}
	}()
	if err := in.Close(); err != nil {
		in.log.Errorf("exit: closing outputs: %v", err)
		return Error
	}
	return OK
}

// ExitAll closes every instance still open (Unregister, or a Fluent Bit
// that only calls FLBPluginExit).
func ExitAll() {
	registry.RLock()
	ids := make([]int, 0, len(registry.byID))
	for id := range registry.byID {
		ids = append(ids, id)
	}
	registry.RUnlock()
	for _, id := range ids {
		Exit(id)
	}
}
