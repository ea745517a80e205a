//go:build !linux

package pages

import "errors"

// Populate does nothing where Linux's MADV_POPULATE_WRITE is not.
func Populate([]byte) {}

// PopulateRead does nothing where Linux's MADV_POPULATE_READ is not.
func PopulateRead([]byte) {}

// Resident is not known here.
func Resident([]byte) (float64, error) { return 0, errors.New("pages: no mincore on this system") }
