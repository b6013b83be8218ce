package report

import "csplan/results"

// Charts renders every chart that applies to r.
func Charts(r *results.Results, opt Options) ([]Chart, error) {
	return nil, nil
}
