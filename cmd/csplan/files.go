package main

import (
	"csplan/scenarios"
)

// The rules for the files csplan writes are kept, for every command, in
// internal/files.

// loadScenario reads and validates the scenario at path as scenarios.Load
// does, and appends to read every file read for it, which Load does not
// tell: the scenario, and the accounts files that it, its options and
// later its overrides (a sweep's --set) name. They are the inputs an
// output directory may not hold.
func loadScenario(path string, read *[]string) (*scenarios.Scenario, error) {
	return scenarios.LoadTracked(path, func(file string) { *read = append(*read, file) })
}
