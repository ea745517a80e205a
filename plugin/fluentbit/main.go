// Package main is out_nfr.so, nfr's Fluent Bit output plugin. This file is
// a thin cgo shell: it converts Fluent Bit's C calls and hands them to
// plugin/flb, which holds all the logic (and recovers every panic). It must
// not grow logic of its own.
package main

import (
	"C"
	"unsafe"

	"github.com/fluent/fluent-bit-go/output"

	"github.com/netflightrecorder/nfr/plugin/flb"
)

// properties reads this instance's [OUTPUT] keys through Fluent Bit's
// output_get_property callback; valid only during FLBPluginInit.
type properties struct{ plugin unsafe.Pointer }

func (p properties) Get(key string) string { return output.FLBPluginConfigKey(p.plugin, key) }

//export FLBPluginRegister
func FLBPluginRegister(def unsafe.Pointer) int {
	return output.FLBPluginRegister(def, "nfr", "Network Flight Recorder: scores records and writes alerts")
}

//export FLBPluginInit
func FLBPluginInit(plugin unsafe.Pointer) int {
	id, code := flb.Init(properties{plugin})
	if code == flb.OK {
		output.FLBPluginSetContext(plugin, id)
	}
	return code
}

//export FLBPluginFlushCtx
func FLBPluginFlushCtx(ctx, data unsafe.Pointer, length C.size_t, tag *C.char) int {
	id, _ := output.FLBPluginGetContext(ctx).(int)
	if data == nil || length == 0 {
		return flb.Flush(id, nil, C.GoString(tag))
	}
	return flb.Flush(id, unsafe.Slice((*byte)(data), int(length)), C.GoString(tag))
}

//export FLBPluginExitCtx
func FLBPluginExitCtx(ctx unsafe.Pointer) int {
	id, _ := output.FLBPluginGetContext(ctx).(int)
	return flb.Exit(id)
}

//export FLBPluginUnregister
func FLBPluginUnregister(def unsafe.Pointer) {
	flb.ExitAll()
	output.FLBPluginUnregister(def)
}

func main() {}
