package plan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"csplan/internal/files"
	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
)

// resultsInput is a results.json: the monthly series of every option, a
// few MiB for a large run.
var resultsInput = scenarios.Input{What: "results.json", Limit: 1 << 30, Large: "a results.json of a large run is a few MiB (is this the right file?)"}

// ReadResults reads a results.json that csplan wrote, to render it again:
// its bytes, and the results they hold.
func ReadResults(path string) ([]byte, *results.Results, error) {
	data, err := resultsInput.Read(path)
	if err != nil {
		return nil, nil, err
	}
	res, err := results.Unmarshal(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a csplan results.json: %w", path, err)
	}
	return data, res, nil
}

// partInput is a part: the per-trial metrics of its trials, 8 bytes per
// metric, trial and option (some GiB for millions of trials).
var partInput = scenarios.Input{What: "part", Limit: 64 << 30, Large: "a part holds 8 bytes per metric, trial and option (is this the right file?)"}

// ReadParts reads the parts at paths for Merge, each a part file or a
// shard's output directory holding one, and checks them: every part that
// cannot be read or decoded, all at once; then that they are the shards
// of one job, once each (shard.Check); then that they were made by this
// csplan, version, since another could render the same numbers
// differently.
func ReadParts(paths []string, version string) ([]*shard.File, error) {
	var parts []*shard.File
	var names, errs []string
	for _, a := range paths {
		path := a
		if fi, err := os.Stat(a); err == nil && fi.IsDir() {
			path = filepath.Join(a, shard.FileName)
		}
		data, err := partInput.Read(path)
		if err != nil {
			var ie *scenarios.InputError
			if errors.As(err, &ie) {
				errs = append(errs, err.Error())
			} else {
				errs = append(errs, fmt.Sprintf("%s: cannot read: %s", path, files.PathErr(err)))
			}
			continue
		}
		f, err := shard.Decode(data)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		parts, names = append(parts, f), append(names, path)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("cannot merge:\n  %s", strings.Join(errs, "\n  "))
	}
	if err := shard.Check(parts, names); err != nil {
		return nil, err
	}
	var v string
	switch f := parts[0]; f.Kind {
	case shard.KindSweep:
		v = f.Sweep.Version
	case shard.KindOptimize:
		v = f.Optimize.Version
	default:
		v = f.Results.Version
	}
	if v != version {
		return nil, fmt.Errorf("cannot merge: the parts were made by csplan %s and this is csplan %s; merge with the csplan that made them", v, version)
	}
	return parts, nil
}

// Validate loads the scenario at path (scenarios.Load) and checks the
// work of its run as written (Scenario.CheckWork): what csplan validate
// checks. A job with other settings checks its own work.
func Validate(path string) (*scenarios.Scenario, error) {
	s, err := scenarios.Load(path)
	if err != nil {
		return nil, err
	}
	return s, s.CheckWork()
}
