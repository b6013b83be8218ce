package sim

import "slices"

// lhs holds a Latin hypercube design over the per-trial assumptions: for
// each uncertain input a permutation of the trials, so trial t draws its
// uniform within stratum perm[t] of Trials equal strata. Permutations come
// from the seed and the input's name, so every option and every shard of a
// run uses the same design (common random numbers are kept).
type lhs struct {
	n     int
	perms map[string][]uint32
}

func newLHS(opts []Option, s Settings) *lhs {
	if !s.LHS || s.Mode == Expected {
		return nil
	}
	l := &lhs{n: s.Trials, perms: map[string][]uint32{}}
	var names []string
	for i := range opts {
		for _, a := range opts[i].Model.Assumptions() {
			if !a.Dist.Fixed() && !slices.Contains(names, a.Name) {
				names = append(names, a.Name)
			}
		}
	}
	slices.Sort(names)
	for _, name := range names {
		p := make([]uint32, s.Trials)
		for i := range p {
			p[i] = uint32(i)
		}
		st := newStream(splitmix64(s.Seed^nameKey(name)), purposeShuffle)
		for i := len(p) - 1; i > 0; i-- { // Fisher-Yates
			j := st.Index(i + 1)
			p[i], p[j] = p[j], p[i]
		}
		l.perms[name] = p
	}
	return l
}

// stratify moves a trial's uniform u into the input's stratum.
func (l *lhs) stratify(name string, trial int, u float64) float64 {
	p, ok := l.perms[name]
	if !ok || trial >= len(p) {
		return u
	}
	return (float64(p[trial]) + u) / float64(l.n)
}
