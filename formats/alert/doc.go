// Package alert encodes scoring.Alerts as one-line JSON (AppendJSON) and as
// ArcSight CEF lines (AppendCEF). Encoders append to a caller's buffer and
// allocate nothing per alert once the buffer has grown; they never fail and
// never panic: any string is escaped so the output stays one valid line.
//
// This package only encodes: it does no I/O (see formats/sink for delivery)
// and reads no clock (the alert's own time is the timestamp).
package alert
