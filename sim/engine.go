package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"csplan/internal/summary"
	"csplan/results"

	"golang.org/x/sync/errgroup"
	"gonum.org/v1/gonum/stat/distuv"
)

// Option is one variant to simulate: the baseline first, then the options.
type Option struct {
	Name, Description string
	Model             Model
}

// BlockSize is the number of trials a worker takes at a time. Sums are
// formed per block and folded in block order, so floating-point results do
// not depend on the number of workers or on which worker ran which block.
const BlockSize = 32

// MinTrialsForIntervals is the number of trials under which intervals and
// quantiles are reported with a warning.
const MinTrialsForIntervals = 100

// Run simulates every option over the same trials (common random numbers:
// option k of trial t sees the same random streams as the baseline of trial
// t) and summarises them into results. progress, if not nil, is called with
// the number of trials done; it may be called from several goroutines.
func Run(ctx context.Context, opts []Option, s Settings, progress func(done, total int)) (*results.Results, error) {
	if err := checkOptions(opts); err != nil {
		return nil, err
	}
	if s.Mode == Expected {
		return runExpected(ctx, opts, s)
	}
	agg, err := simulate(ctx, opts, s, 0, s.Trials, progress)
	if err != nil {
		return nil, err
	}
	return agg.results(), nil
}

// checkFinite reports the first per-trial metric that is not a finite
// number: inputs far too large overflow float64, and the result would say
// nothing.
func (a *aggregate) checkFinite() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	for k, ms := range a.metrics {
		for i, vs := range ms {
			for t, v := range vs {
				if bad(v) && !(mayBeUndefined(i) && math.IsNaN(v)) {
					return fmt.Errorf("option %q: %s is %v in trial %d: the numbers overflow; look for sizes, rates or amounts far too large",
						a.info.Names[k], MetricNames[i], v, a.first+t+1)
				}
			}
		}
		for i, vs := range a.segCLV[k] {
			for t, v := range vs {
				if math.IsInf(v, 0) { // NaN: the segment had no account in the trial
					return fmt.Errorf("option %q: the CLV of segment %q is %v in trial %d: the numbers overflow; look for sizes, rates or amounts far too large",
						a.info.Names[k], a.info.Segments[k][i], v, a.first+t+1)
				}
			}
		}
	}
	return nil
}

// blockSpan is the first block and the number of blocks that hold trials
// first to end − 1: a range need not start at a block's first trial (an
// optimizer's rounds).
func blockSpan(first, end int) (firstBlock, blocks int) {
	firstBlock = first / BlockSize
	if end > first {
		blocks = (end-1)/BlockSize - firstBlock + 1
	}
	return firstBlock, blocks
}

// mayBeUndefined says whether metric i may have no value in a trial (NaN
// there): the CLV of the opening book or of new logos in a trial without
// any. Such a metric is summarised over the trials where it has one.
func mayBeUndefined(i int) bool { return i == mCLVBook || i == mCLVNew }

// analysedMetric is the index of the metric a sensitivity analysis or a
// break-even studies: one the results report, with a value in every trial.
func analysedMetric(metric string) (int, error) {
	i := slices.Index(MetricNames[:], metric)
	switch {
	case i < 0 || !(&RunInfo{}).reported(0, i):
		return 0, fmt.Errorf("unknown metric %q", metric)
	case mayBeUndefined(i):
		return 0, fmt.Errorf("%s has no value in a trial without such accounts, so it cannot be compared trial by trial; use %s", metric, results.CLV)
	}
	return i, nil
}

// defined are the values of xs that are not NaN: a metric's trials where it
// has a value.
func defined(xs []float64) []float64 {
	out := xs[:0:0]
	for _, x := range xs {
		if !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	return out
}

// definedPairs are the trials in which both opt and base have a value.
func definedPairs(opt, base []float64) (o, b []float64) {
	for t := range opt {
		if !math.IsNaN(opt[t]) && !math.IsNaN(base[t]) {
			o, b = append(o, opt[t]), append(b, base[t])
		}
	}
	return o, b
}

// checkOptions reports options that cannot run side by side: none at all,
// or horizons that differ.
func checkOptions(opts []Option) error {
	if len(opts) == 0 {
		return fmt.Errorf("no options to simulate")
	}
	h := opts[0].Model.Horizon
	for _, o := range opts {
		if o.Model.Horizon != h {
			return fmt.Errorf("option %q has horizon %d, the baseline %d", o.Name, o.Model.Horizon, h)
		}
	}
	return nil
}

// simulate runs the Monte Carlo trials [first, end) of a run of s.Trials
// trials (a shard is a range of whole blocks) and returns their aggregate.
func simulate(ctx context.Context, opts []Option, s Settings, first, end int, progress func(done, total int)) (*aggregate, error) {
	if err := checkOptions(opts); err != nil {
		return nil, err
	}
	if s.Trials < 1 {
		return nil, fmt.Errorf("trials must be at least 1, got %d", s.Trials)
	}
	cop, err := newCopula(opts[0].Model.Correlations)
	if err != nil {
		return nil, err
	}
	design := newLHS(opts, s)
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	h := opts[0].Model.Horizon
	agg := newAggregate(opts, s, first, end)
	firstBlock, blocks := blockSpan(first, end)
	var next, done atomic.Int64
	parent := ctx
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	var mu sync.Mutex
	for range min(workers, blocks) {
		g.Go(func() error {
			w := newWorker(s.Seed, h, s.check)
			w.cop, w.lhs, w.done = cop, design, ctx.Done()
			part := agg.newShare()
			block := agg.newBlockSums()
			var series [numSeries][]float64
			for i := range series {
				series[i] = make([]float64, h+1)
			}
			for {
				blk := firstBlock + int(next.Add(1)-1)
				if blk >= firstBlock+blocks {
					break
				}
				lo, hi := max(blk*BlockSize, first), min((blk+1)*BlockSize, end)
				for t := lo; t < hi; t++ {
					if w.cancelled() {
						return ctx.Err()
					}
					for k := range opts {
						w.runTrial(&opts[k].Model, uint64(t))
						agg.record(w, k, t, &series, block, part)
					}
				}
				// A block's float sums run in trial order; the blocks
				// then add exactly, in whatever order they finish.
				part.addBlock(block)
				if progress != nil {
					progress(int(done.Add(int64(hi-lo))), end-first)
				}
			}
			mu.Lock()
			agg.merge(part)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// A cancellation inside a worker's last trial leaves that trial cut
	// short; the run then has no results, only the context's error (the
	// group's own context ends with Wait, so ask the caller's).
	if err := parent.Err(); err != nil {
		return nil, err
	}
	if err := agg.checkFinite(); err != nil {
		return nil, err
	}
	return agg, nil
}

// record summarises the trial t of option k that worker w has just run
// into its metrics (kept per trial), the block's sums of the series and the
// worker's quantile sketches.
func (a *aggregate) record(w *worker, k, t int, series *[numSeries][]float64, block blockSums, part *share) {
	var metrics [numMetrics]float64
	w.summarise(series, &metrics)
	metrics[mPaybackMonth] = w.payback(k, series)
	w.bridge(k, series, &metrics)
	for i := range numMetrics {
		a.metrics[k][i][t-a.first] = metrics[i]
	}
	n := len(w.segCLV)
	for i, v := range w.segCLV {
		a.segCLV[k][i][t-a.first] = v
		a.segCLV[k][n+i][t-a.first] = w.segGP[i]
	}
	h := a.info.Horizon
	for i := range numSeries {
		row := block[k][i]
		sq := row[h+1:]
		skr := part.sketches[k][i]
		for mo, v := range series[i] {
			row[mo] += v
			sq[mo] += v * v
			skr[mo].Add(v)
		}
	}
}

// aggregate collects what the results need: per-trial metrics (exact
// quantiles and paired differences), exact sums of the monthly series and
// their squares, and quantile sketches per month. Sums and sketches merge
// in any order to the same bits, so workers, and shards of a run on other
// machines, add up to what one serial run gives.
type aggregate struct {
	info       RunInfo
	first, end int                     // the trials held: [first, end) of info.Trials
	metrics    [][numMetrics][]float64 // [option][metric][trial−first]
	// segCLV is [option][segment][trial−first]: the CLV per account of
	// each segment, then at [option][segments+segment] its gross profit.
	segCLV   [][][]float64
	sums     [][numSeries][]summary.Sum    // [option][series][month], then sums of squares at [h+1+month]
	sketches [][numSeries][]summary.Sketch // [option][series][month]
}

// RunInfo is what the results say about a run besides its numbers; a Part
// carries it, so that merged parts can be checked to be of one run.
type RunInfo struct {
	Seed         uint64
	Trials       int
	Horizon      int
	LHS          bool
	Names, Descs []string
	Segments     [][]string // per option
	// NoDCF, per option, when it has no DCF value (dcf_value): its method
	// is not DCF and it does not ask for one beside.
	NoDCF []bool
}

// hasDCF says whether m's trials value the business by DCF.
func hasDCF(m *Model) bool { return m.Valuation.Method == DCF || m.Valuation.DCFBeside }

// reported says whether metric i is in option k's results.
func (in *RunInfo) reported(k, i int) bool {
	switch {
	case i == mPaybackMonth: // in the option's payback instead
		return false
	case i >= mBridgeOpening && i <= mBridgeCSCost: // in its bridge
		return false
	}
	switch i {
	case mDCFValue:
		return k >= len(in.NoDCF) || !in.NoDCF[k]
	}
	return true
}

// segmentBridge is option k's gross-profit difference from the baseline
// split by segment (by name: a segment only one of them has counts in full
// on its side), trial by trial, with what the segments leave out (a CS
// team's cost in a month with no served MRR to carry it) as its own leg.
func (a *aggregate) segmentBridge(k int) []results.BridgeLeg {
	in := a.info
	n := a.end - a.first
	rest := make([]float64, n)
	for t := range rest {
		rest[t] = a.metrics[k][mGrossProfitTotal][t] - a.metrics[0][mGrossProfitTotal][t]
	}
	gp := func(opt, seg int) []float64 { return a.segCLV[opt][len(in.Segments[opt])+seg] }
	var out []results.BridgeLeg
	leg := func(name string, d []float64) {
		s := summarize(d)
		half := tQuantile975(len(d)) * s.SE
		out = append(out, results.BridgeLeg{Driver: name, MeanDiff: s.Mean, CI95: [2]float64{s.Mean - half, s.Mean + half}})
	}
	names := slices.Clone(in.Segments[0])
	for _, name := range in.Segments[k] {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		d := make([]float64, n)
		if i := slices.Index(in.Segments[k], name); i >= 0 {
			copy(d, gp(k, i))
		}
		if j := slices.Index(in.Segments[0], name); j >= 0 {
			for t, v := range gp(0, j) {
				d[t] -= v
			}
		}
		for t := range rest {
			rest[t] -= d[t]
		}
		leg(name, d)
	}
	leg(results.BridgeUnallocated, rest)
	return out
}

// expectedSegmentBridge is segmentBridge on the expected path: each
// segment's gross profit less the baseline's (by name), then what the
// segments leave out of the difference gp.
func expectedSegmentBridge(base, opt []Segment, baseGP, optGP map[string]float64, gp float64) []results.BridgeLeg {
	var names []string
	for _, segs := range [][]Segment{base, opt} {
		for _, s := range segs {
			if !slices.Contains(names, s.Name) {
				names = append(names, s.Name)
			}
		}
	}
	var out []results.BridgeLeg
	for _, name := range names {
		d := optGP[name] - baseGP[name]
		gp -= d
		out = append(out, results.BridgeLeg{Driver: name, MeanDiff: d, CI95: [2]float64{d, d}})
	}
	return append(out, results.BridgeLeg{Driver: results.BridgeUnallocated, MeanDiff: gp, CI95: [2]float64{gp, gp}})
}

// bridgeLegs name the legs of the bridge, in the order of the mBridge
// metrics.
var bridgeLegs = [numLegs]string{results.BridgeOpening, results.BridgeNew, results.BridgeSecondOrder,
	results.BridgeUpsell, results.BridgePrice, results.BridgeContraction, results.BridgeChurn, results.BridgeCSCost}

// bridgeOf is an option's bridge from the per-trial differences of each
// leg (leg(i) for metric i): the mean and its 95 % interval.
func bridgeOf(leg func(i int) []float64) []results.BridgeLeg {
	var out []results.BridgeLeg
	for i, name := range bridgeLegs {
		xs := leg(int(mBridgeOpening) + i)
		s := summarize(xs)
		half := tQuantile975(len(xs)) * s.SE
		out = append(out, results.BridgeLeg{Driver: name, MeanDiff: s.Mean, CI95: [2]float64{s.Mean - half, s.Mean + half}})
	}
	return out
}

// paybackOf summarises an option's payback months over the trials: 0 is
// never.
func paybackOf(months []float64) *results.Payback {
	var paid []float64
	for _, m := range months {
		if m > 0 {
			paid = append(paid, m)
		}
	}
	p := &results.Payback{Metric: results.SeriesGrossProfit, ShareOfTrials: float64(len(paid)) / float64(len(months))}
	if len(paid) > 0 {
		s := summarize(paid)
		p.Month = &s
	}
	return p
}

// share is one worker's sums and sketches.
type share struct {
	sums     [][numSeries][]summary.Sum
	sketches [][numSeries][]summary.Sketch
}

func newAggregate(opts []Option, s Settings, first, end int) *aggregate {
	info := RunInfo{Seed: s.Seed, Trials: s.Trials, Horizon: opts[0].Model.Horizon, LHS: s.LHS}
	for _, o := range opts {
		info.Names, info.Descs = append(info.Names, o.Name), append(info.Descs, o.Description)
		var segs []string
		for _, seg := range o.Model.Segments {
			segs = append(segs, seg.Name)
		}
		info.Segments = append(info.Segments, segs)
		info.NoDCF = append(info.NoDCF, !hasDCF(&o.Model))
	}
	a := &aggregate{info: info, first: first, end: end}
	a.metrics = make([][numMetrics][]float64, len(opts))
	a.segCLV = make([][][]float64, len(opts))
	for k := range a.metrics {
		for i := range numMetrics {
			a.metrics[k][i] = make([]float64, end-first)
		}
		for range 2 * len(info.Segments[k]) {
			a.segCLV[k] = append(a.segCLV[k], make([]float64, end-first))
		}
	}
	sh := a.newShare()
	a.sums, a.sketches = sh.sums, sh.sketches
	return a
}

func (a *aggregate) newShare() *share {
	n, h := len(a.metrics), a.info.Horizon
	sh := &share{sums: make([][numSeries][]summary.Sum, n), sketches: make([][numSeries][]summary.Sketch, n)}
	for k := range n {
		for i := range numSeries {
			sh.sums[k][i] = make([]summary.Sum, 2*(h+1))
			sh.sketches[k][i] = make([]summary.Sketch, h+1)
		}
	}
	return sh
}

// blockSums are a block's float sums of the series, [option][series][month],
// followed by their sums of squares, [option][series][h+1+month].
type blockSums [][numSeries][]float64

func (a *aggregate) newBlockSums() blockSums {
	s := make(blockSums, len(a.metrics))
	for k := range s {
		for i := range numSeries {
			s[k][i] = make([]float64, 2*(a.info.Horizon+1))
		}
	}
	return s
}

// addBlock adds a block's sums exactly and zeroes them for the next block.
func (sh *share) addBlock(b blockSums) {
	for k := range b {
		for i := range numSeries {
			t := sh.sums[k][i]
			for mo, v := range b[k][i] {
				t[mo].Add(v)
			}
			clear(b[k][i])
		}
	}
}

// merge adds a worker's sums and sketches.
func (a *aggregate) merge(sh *share) {
	for k := range sh.sums {
		for i := range numSeries {
			for mo := range sh.sums[k][i] {
				a.sums[k][i][mo].Merge(&sh.sums[k][i][mo])
			}
			for mo := range sh.sketches[k][i] {
				a.sketches[k][i][mo].Merge(&sh.sketches[k][i][mo])
			}
		}
	}
}

// seriesStart is the first month a series is reported from: stocks from the
// opening book (month 0), flows from month 1, retention once a full window
// has passed.
func seriesStart(i, window int) int {
	switch i {
	case sMRR, sARR, sLogos, sRevenueCum:
		return 0
	case sNRR, sGRR:
		return window
	}
	return 1
}

func (a *aggregate) results() *results.Results {
	in := a.info
	h, trials := in.Horizon, in.Trials
	r := &results.Results{Seed: in.Seed, Trials: trials, HorizonMonths: h, Mode: MonteCarlo.String()}
	if in.LHS {
		r.Sampling = "lhs"
	}
	if trials < MinTrialsForIntervals {
		r.Warnings = append(r.Warnings, fmt.Sprintf("only %d trials: intervals and quantiles are rough; use at least %d", trials, MinTrialsForIntervals))
	}
	window := min(12, h)
	for k, name := range in.Names {
		ro := results.Option{Name: name, Description: in.Descs[k],
			Metrics: map[string]results.Summary{}, Series: map[string][]results.Point{}}
		for i, name := range MetricNames {
			if xs := defined(a.metrics[k][i]); in.reported(k, i) && len(xs) > 0 {
				ro.Metrics[name] = summarize(xs)
			}
		}
		for i, seg := range in.Segments[k] {
			if i >= len(a.segCLV[k]) {
				continue
			}
			if xs := defined(a.segCLV[k][i]); len(xs) > 0 {
				ro.Metrics[results.CLVPrefix+seg] = summarize(xs)
			}
		}
		for i, name := range SeriesNames {
			pts := []results.Point{}
			for mo := seriesStart(i, window); mo <= h; mo++ {
				n := float64(trials)
				sum, sq := a.sums[k][i][mo].Float(), a.sums[k][i][h+1+mo].Float()
				se := 0.0
				if n > 1 {
					se = math.Sqrt(max(sq/n-(sum/n)*(sum/n), 0) / (n - 1))
				}
				sk := &a.sketches[k][i][mo]
				pts = append(pts, results.Point{Month: mo, Mean: sum / n, SE: se,
					P5: sk.Quantile(0.05), P25: sk.Quantile(0.25), P50: sk.Quantile(0.5),
					P75: sk.Quantile(0.75), P95: sk.Quantile(0.95)})
			}
			ro.Series[name] = pts
		}
		if k > 0 {
			ro.Payback = paybackOf(a.metrics[k][mPaybackMonth])
			ro.SegmentBridge = a.segmentBridge(k)
			ro.Bridge = bridgeOf(func(i int) []float64 { return a.metrics[k][i] })
			ro.VsBaseline = map[string]results.Diff{}
			for i, name := range MetricNames {
				if !in.reported(k, i) || !in.reported(0, i) {
					continue
				}
				if opt, base := definedPairs(a.metrics[k][i], a.metrics[0][i]); len(opt) > 0 {
					ro.VsBaseline[name] = pairedDiff(opt, base, results.HigherIsBetter(name))
				}
			}
		}
		r.Options = append(r.Options, ro)
	}
	return r
}

// summarize returns mean, sd, standard error and exact quantiles of xs
// (linear interpolation between order statistics, Hyndman and Fan type 7).
func summarize(xs []float64) results.Summary {
	n := float64(len(xs))
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= n
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	sd := 0.0
	if len(xs) > 1 {
		sd = math.Sqrt(ss / (n - 1))
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	q := func(p float64) float64 {
		pos := p * (n - 1)
		i := int(pos)
		if i+1 >= len(sorted) {
			return sorted[len(sorted)-1]
		}
		return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
	}
	s := results.Summary{Mean: mean, SD: sd, SE: sd / math.Sqrt(n),
		P5: q(0.05), P25: q(0.25), P50: q(0.5), P75: q(0.75), P95: q(0.95)}
	// A quantile's 95 % interval runs between the order statistics at
	// ranks n·p ∓ 1.96·√(n·p·(1 − p)) (normal approximation to the
	// binomial count below it).
	for i, p := range [5]float64{0.05, 0.25, 0.5, 0.75, 0.95} {
		d := 1.96 * math.Sqrt(n*p*(1-p))
		at := func(r float64) float64 {
			k := min(max(int(math.Round(r)), 0), len(sorted)-1)
			return sorted[k]
		}
		s.QuantileSE[i] = (at(n*p+d) - at(n*p-d)) / (2 * 1.96)
	}
	return s
}

// pairedDiff compares an option with the baseline trial by trial: the mean
// difference, its 95 % interval (Student t on the paired differences) and
// the shares of trials in which the option is better and worse, two values
// within float noise of each other (results.Tie) counting as a tie.
func pairedDiff(opt, base []float64, higherIsBetter bool) results.Diff {
	n := len(opt)
	d := make([]float64, n)
	better, worse := 0, 0
	for t := range d {
		d[t] = results.Difference(opt[t], base[t])
		switch {
		case d[t] == 0:
		case (d[t] > 0) == higherIsBetter:
			better++
		default:
			worse++
		}
	}
	s := summarize(d)
	hist := histogram(d, 30)
	half := tQuantile975(n) * s.SE
	return results.Diff{MeanDiff: s.Mean, CI95: [2]float64{s.Mean - half, s.Mean + half},
		PBetter: float64(better) / float64(n), PWorse: float64(worse) / float64(n), HigherIsBetter: higherIsBetter,
		Histogram: hist}
}

// histogram bins xs into n equal-width bins between their minimum and
// maximum (one bin when all are equal).
func histogram(xs []float64, n int) *results.Histogram {
	lo, hi := slices.Min(xs), slices.Max(xs)
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil // no bins for numbers that are not finite (checkFinite says why)
	}
	if hi-lo <= 1e-9*math.Max(1, math.Abs(hi)) {
		return &results.Histogram{Edges: []float64{lo, hi}, Counts: []int{len(xs)}}
	}
	h := &results.Histogram{Edges: make([]float64, n+1), Counts: make([]int, n)}
	w := (hi - lo) / float64(n)
	for i := range h.Edges {
		h.Edges[i] = lo + float64(i)*w
	}
	h.Edges[n] = hi
	for _, x := range xs {
		h.Counts[min(int((x-lo)/w), n-1)]++
	}
	return h
}

// tQuantile975 is the 97.5 % quantile of Student's t with n − 1 degrees of
// freedom (0 when n < 2).
func tQuantile975(n int) float64 {
	if n < 2 {
		return 0
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
}

// runExpected computes each option's expected path: one deterministic
// "trial" whose quantiles all equal its value.
func runExpected(ctx context.Context, opts []Option, s Settings) (*results.Results, error) {
	h := opts[0].Model.Horizon
	window := min(12, h)
	r := &results.Results{Seed: s.Seed, Trials: 1, HorizonMonths: h, Mode: Expected.String(), NetRate: s.NetRate.String()}
	w := newWorker(s.Seed, h, s.check)
	var series [numSeries][]float64
	for i := range series {
		series[i] = make([]float64, h+1)
	}
	var base [numMetrics]float64
	var baseSegGP map[string]float64
	in := RunInfo{}
	for _, o := range opts {
		in.NoDCF = append(in.NoDCF, !hasDCF(&o.Model))
	}
	for k, o := range opts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var metrics [numMetrics]float64
		w.expectedTrial(&o.Model, s.NetRate)
		w.summarise(&series, &metrics)
		metrics[mPaybackMonth] = w.payback(k, &series)
		w.bridge(k, &series, &metrics)
		ro := results.Option{Name: o.Name, Description: o.Description,
			Metrics: map[string]results.Summary{}, Series: map[string][]results.Point{}}
		for i, name := range MetricNames {
			if !in.reported(k, i) || math.IsNaN(metrics[i]) {
				continue
			}
			v := metrics[i]
			ro.Metrics[name] = results.Summary{Mean: v, P5: v, P25: v, P50: v, P75: v, P95: v}
		}
		for i, seg := range o.Model.Segments {
			v := w.segCLV[i]
			if math.IsNaN(v) {
				continue
			}
			ro.Metrics[results.CLVPrefix+seg.Name] = results.Summary{Mean: v, P5: v, P25: v, P50: v, P75: v, P95: v}
		}
		for i, name := range SeriesNames {
			pts := []results.Point{}
			for mo := seriesStart(i, window); mo <= h; mo++ {
				v := series[i][mo]
				pts = append(pts, results.Point{Month: mo, Mean: v, P5: v, P25: v, P50: v, P75: v, P95: v})
			}
			ro.Series[name] = pts
		}
		segGP := map[string]float64{}
		for i, seg := range o.Model.Segments {
			segGP[seg.Name] = w.segGP[i]
		}
		if k == 0 {
			base, baseSegGP = metrics, segGP
		} else {
			ro.Payback = paybackOf(metrics[mPaybackMonth : mPaybackMonth+1])
			ro.Bridge = bridgeOf(func(i int) []float64 { return metrics[i : i+1] })
			ro.SegmentBridge = expectedSegmentBridge(opts[0].Model.Segments, o.Model.Segments, baseSegGP, segGP, metrics[mGrossProfitTotal]-base[mGrossProfitTotal])
			ro.VsBaseline = expectedVs(&in, k, metrics[:], base[:])
		}
		r.Options = append(r.Options, ro)
	}
	return r, nil
}

// expectedVs compares option k's expected path with the baseline's, metric
// by metric: the difference, all of it on one side (a tie, results.Tie, on
// neither), for the metrics both report.
func expectedVs(in *RunInfo, k int, metrics, base []float64) map[string]results.Diff {
	vs := map[string]results.Diff{}
	for i, name := range MetricNames {
		if !in.reported(k, i) || !in.reported(0, i) || math.IsNaN(metrics[i]) || math.IsNaN(base[i]) {
			continue
		}
		d := results.Difference(metrics[i], base[i])
		up := results.HigherIsBetter(name)
		diff := results.Diff{MeanDiff: d, CI95: [2]float64{d, d}, HigherIsBetter: up}
		if d > 0 == up && d != 0 {
			diff.PBetter = 1
		} else if d != 0 {
			diff.PWorse = 1
		}
		vs[name] = diff
	}
	return vs
}
