// Package main is out_nfr.so, nfr's Fluent Bit output plugin: a thin cgo
// shell around plain Go that decodes chunks, scores records and writes alerts.
package main

import (
	"C"
	"unsafe"

	"github.com/fluent/fluent-bit-go/output"
)

//export FLBPluginRegister
func FLBPluginRegister(def unsafe.Pointer) int {
	return output.FLBPluginRegister(def, "nfr", "Network Flight Recorder scoring")
}

//export FLBPluginInit
func FLBPluginInit(plugin unsafe.Pointer) int { return output.FLB_ERROR }

//export FLBPluginUnregister
func FLBPluginUnregister(def unsafe.Pointer) {}

func main() {}
