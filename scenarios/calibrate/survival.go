package calibrate

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Lifetimes are contract lifetimes counted in periods (contract terms):
// Lost[t] accounts left after exactly t periods (t ≥ 1), Censored[c]
// accounts were still paying after c completed periods when the history
// ends. Lost[0] is unused.
type Lifetimes struct {
	Lost     []float64
	Censored []float64
}

func (l *Lifetimes) addLost(t int) {
	for len(l.Lost) <= t {
		l.Lost = append(l.Lost, 0)
	}
	l.Lost[t]++
}

func (l *Lifetimes) addCensored(c int) {
	for len(l.Censored) <= c {
		l.Censored = append(l.Censored, 0)
	}
	l.Censored[c]++
}

// Totals returns the accounts that left, those still paying, and the
// periods survived (the exposure of the constant-rate model besides the
// churn periods themselves).
func (l *Lifetimes) Totals() (lost, censored, survived float64) {
	for t, n := range l.Lost {
		if t > 0 {
			lost += n
			survived += float64(t-1) * n
		}
	}
	for c, n := range l.Censored {
		censored += n
		survived += float64(c) * n
	}
	return lost, censored, survived
}

// Periods is the longest lifetime observed, in periods.
func (l *Lifetimes) Periods() int { return max(len(l.Lost), len(l.Censored)) - 1 }

// CohortLifetimes turns a cohort survival table into lifetimes: the
// customers lost in each period, and the survivors of the last period as
// still paying.
func CohortLifetimes(c *Cohort) Lifetimes {
	var l Lifetimes
	l.Lost = make([]float64, len(c.Survivors))
	for t := 1; t < len(c.Survivors); t++ {
		l.Lost[t] = c.Survivors[t-1] - c.Survivors[t]
	}
	l.Censored = make([]float64, len(c.Survivors))
	l.Censored[len(c.Survivors)-1] = c.Survivors[len(c.Survivors)-1]
	return l
}

// Truncate keeps periods 1..n: later losses and survivors count as still
// paying after n periods (F1 fits years 1..7 of a 12-year table).
func (l Lifetimes) Truncate(n int) Lifetimes {
	var out Lifetimes
	for t, v := range l.Lost {
		if t == 0 || v == 0 {
			continue
		}
		if t <= n {
			for len(out.Lost) <= t {
				out.Lost = append(out.Lost, 0)
			}
			out.Lost[t] += v
		} else {
			out.addCensoredN(n, v)
		}
	}
	for c, v := range l.Censored {
		if v > 0 {
			out.addCensoredN(min(c, n), v)
		}
	}
	return out
}

func (l *Lifetimes) addCensoredN(c int, v float64) {
	for len(l.Censored) <= c {
		l.Censored = append(l.Censored, 0)
	}
	l.Censored[c] += v
}

// KMPoint is the Kaplan-Meier retention after Period periods, with its
// 95 % interval (Greenwood's variance, on the log(-log) scale).
type KMPoint struct {
	Period       int
	AtRisk, Lost float64
	Survival     float64
	Lower, Upper float64
}

// KaplanMeier estimates retention by tenure: S(t) is the product over
// periods up to t of 1 − lost / at risk; an account still paying after c
// periods is at risk in periods 1..c.
func KaplanMeier(l Lifetimes) []KMPoint {
	n := l.Periods()
	atRisk := make([]float64, n+2)
	for t, v := range l.Lost {
		if t > 0 {
			for k := 1; k <= t; k++ {
				atRisk[k] += v
			}
		}
	}
	for c, v := range l.Censored {
		for k := 1; k <= c; k++ {
			atRisk[k] += v
		}
	}
	lost0, cens0, _ := l.Totals()
	out := []KMPoint{{Period: 0, AtRisk: lost0 + cens0, Survival: 1, Lower: 1, Upper: 1}}
	s, green := 1.0, 0.0
	for t := 1; t <= n; t++ {
		d := 0.0
		if t < len(l.Lost) {
			d = l.Lost[t]
		}
		r := atRisk[t]
		if r <= 0 {
			break
		}
		s *= 1 - d/r
		if r > d {
			green += d / (r * (r - d))
		}
		lo, hi := s, s
		if s > 0 && s < 1 && green > 0 {
			// log(-log S) interval: stays within (0, 1).
			se := math.Sqrt(green) / math.Abs(math.Log(s))
			lo = math.Pow(s, math.Exp(1.96*se))
			hi = math.Pow(s, math.Exp(-1.96*se))
		}
		out = append(out, KMPoint{Period: t, AtRisk: r, Lost: d, Survival: s, Lower: lo, Upper: hi})
	}
	return out
}

// KMGap is how far a fitted model's retention lies from Kaplan-Meier's
// over the data: the largest gap and the period of it, and whether the
// model lies outside Kaplan-Meier's 95 % band at some period (Outside,
// at the period where it lies furthest outside, with the values there).
type KMGap struct {
	Max     float64 // the largest |S_model(t) − KM(t)|
	At      int     // its period
	Periods int     // the periods compared: those with MinAtRisk accounts at risk
	Outside bool
	// At period OutAt: the model's retention, Kaplan-Meier's and its band.
	OutAt               int
	Model, KM, Lo, High float64
}

// MinAtRisk is the fewest accounts at risk for a period of Kaplan-Meier
// to count in a gap: with fewer, its estimate and band say little.
const MinAtRisk = 10

// GapToKM measures survival, a model's retention by period, against km,
// over the periods with at least MinAtRisk accounts at risk.
func GapToKM(km []KMPoint, survival func(t int) float64) KMGap {
	var g KMGap
	worst := 0.0 // how far outside the band, at most
	for _, p := range km {
		if p.Period == 0 || p.AtRisk < MinAtRisk {
			continue
		}
		g.Periods++
		m := survival(p.Period)
		if d := math.Abs(m - p.Survival); d > g.Max {
			g.Max, g.At = d, p.Period
		}
		if out := math.Max(p.Lower-m, m-p.Upper); out > worst {
			worst = out
			g.Outside, g.OutAt, g.Model, g.KM, g.Lo, g.High = true, p.Period, m, p.Survival, p.Lower, p.Upper
		}
	}
	return g
}

// Estimate is a fitted number with its standard error.
type Estimate struct {
	Value, SE float64
}

// SBGFit is a maximum-likelihood fit of the shifted-beta-geometric model:
// each account's churn probability per period θ ~ Beta(α, β).
type SBGFit struct {
	Alpha, Beta Estimate
	Corr        float64 // correlation of the α and β estimates
	LogLik, AIC float64
}

// Survival is the sBG probability of surviving t periods:
// S(t) = S(t − 1)(β + t − 1)/(α + β + t − 1).
func (f SBGFit) Survival(t int) float64 { return sbgSurvival(f.Alpha.Value, f.Beta.Value, t) }

// MeanChurn is the mean churn probability per period, α / (α + β).
func (f SBGFit) MeanChurn() float64 { return f.Alpha.Value / (f.Alpha.Value + f.Beta.Value) }

func sbgSurvival(a, b float64, t int) float64 {
	s := 1.0
	for k := 1; k <= t; k++ {
		s *= (b + float64(k) - 1) / (a + b + float64(k) - 1)
	}
	return s
}

// sbgLogLik is Σ lost(t) log P(T = t) + Σ survivors(c) log S(c), with
// P(T = t) = S(t − 1) α / (α + β + t − 1).
func sbgLogLik(a, b float64, l Lifetimes) float64 {
	if !(a > 0 && b > 0) {
		return math.Inf(-1)
	}
	n := l.Periods()
	ll, logS := 0.0, 0.0
	for t := 0; t <= n; t++ {
		if t > 0 {
			if t < len(l.Lost) && l.Lost[t] > 0 {
				ll += l.Lost[t] * (logS + math.Log(a) - math.Log(a+b+float64(t)-1))
			}
			logS += math.Log(b+float64(t)-1) - math.Log(a+b+float64(t)-1)
		}
		if t < len(l.Censored) && l.Censored[t] > 0 {
			ll += l.Censored[t] * logS
		}
	}
	return ll
}

// FitSBG fits the sBG model by maximum likelihood (BFGS on log α and log
// β) with standard errors from the observed information: the inverse of the
// negative Hessian of the log-likelihood at the maximum, by central
// differences. It needs both losses and survivors past the first period.
func FitSBG(l Lifetimes) (*SBGFit, error) {
	lost, _, survived := l.Totals()
	if lost == 0 {
		return nil, fmt.Errorf("no account left: the sBG model needs churn to fit")
	}
	if survived == 0 {
		return nil, fmt.Errorf("every account left in its first period: the sBG model needs survivors")
	}
	negLL := func(x []float64) float64 {
		v := -sbgLogLik(math.Exp(x[0]), math.Exp(x[1]), l)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	p := optimize.Problem{
		Func: negLL,
		Grad: func(g, x []float64) { fd.Gradient(g, negLL, x, &fd.Settings{Formula: fd.Central}) },
	}
	x0 := []float64{0, 0}
	var best *optimize.Result
	// Two starts guard against a flat likelihood; BFGS from each.
	for _, start := range [][]float64{x0, {-1, 1}} {
		res, err := optimize.Minimize(p, start, &optimize.Settings{GradientThreshold: 1e-9, Converger: &optimize.FunctionConverge{Absolute: 1e-12, Iterations: 50}}, &optimize.BFGS{})
		if err != nil && res == nil {
			continue
		}
		if best == nil || res.F < best.F {
			best = res
		}
	}
	if best == nil || math.IsInf(best.F, 0) {
		return nil, fmt.Errorf("the sBG fit did not converge")
	}
	a, b := math.Exp(best.X[0]), math.Exp(best.X[1])
	if a > 1e6 || b > 1e6 || a < 1e-6 || b < 1e-6 {
		return nil, fmt.Errorf("the sBG fit runs off to α %.3g, β %.3g, the constant rate it tends to: its heterogeneity adds nothing that fits these data (which may still not be a constant rate: see the gap to Kaplan-Meier)", a, b)
	}
	ll := func(x []float64) float64 { return -sbgLogLik(x[0], x[1], l) }
	var h mat.SymDense
	step := 1e-4 * math.Min(a, b)
	fd.Hessian(&h, ll, []float64{a, b}, &fd.Settings{Formula: fd.Central, Step: step})
	var cov mat.Dense
	fit := &SBGFit{LogLik: -best.F, AIC: 2*2 + 2*best.F}
	fit.Alpha.Value, fit.Beta.Value = a, b
	if err := cov.Inverse(&h); err == nil && cov.At(0, 0) > 0 && cov.At(1, 1) > 0 {
		fit.Alpha.SE, fit.Beta.SE = math.Sqrt(cov.At(0, 0)), math.Sqrt(cov.At(1, 1))
		fit.Corr = cov.At(0, 1) / (fit.Alpha.SE * fit.Beta.SE)
	} else {
		fit.Alpha.SE, fit.Beta.SE = math.NaN(), math.NaN()
	}
	return fit, nil
}

// ConstFit is a constant churn probability per period (geometric
// lifetimes): p = losses / periods at risk.
type ConstFit struct {
	P           Estimate
	LogLik, AIC float64
}

// FitConst fits the constant-rate model; its standard error is from the
// observed information, √(p(1 − p)/n) over n periods at risk.
func FitConst(l Lifetimes) ConstFit {
	lost, _, survived := l.Totals()
	n := lost + survived
	if n == 0 {
		return ConstFit{P: Estimate{math.NaN(), math.NaN()}, LogLik: math.NaN(), AIC: math.NaN()}
	}
	p := lost / n
	ll := 0.0
	if lost > 0 {
		ll += lost * math.Log(p)
	}
	if survived > 0 {
		ll += survived * math.Log(1-p)
	}
	return ConstFit{P: Estimate{p, math.Sqrt(p * (1 - p) / n)}, LogLik: ll, AIC: 2 - 2*ll}
}

// Upper95 is the one-sided 95 % upper bound of a churn probability when
// none of n periods at risk ended in churn: 1 − 0.05^(1/n) (about 3/n).
func Upper95(n float64) float64 {
	if n <= 0 {
		return 1
	}
	return 1 - math.Pow(0.05, 1/n)
}

// TenureFit is the empirical hazard by tenure: the churn probability of
// each period as Kaplan-Meier measures it, lost over at risk, for the
// periods with at least MinAtRisk accounts at risk (Data of them), and past
// them one probability for every later period, the tail: the losses over
// the accounts at risk of the data's last periods, from TailFrom, a year of
// tenure or more (one period for terms of a year or longer), taken back
// until they hold a loss. Its parameters are the Data probabilities; the
// tail is a function of them.
type TenureFit struct {
	Periods  []float64 // the Data periods' probabilities, then the tail's
	Data     int
	TailFrom int
	// Scale is the uncertainty of the table's level: 1 ± 1/√losses, the
	// relative standard error of a rate estimated from that many events.
	Scale       Estimate
	LogLik, AIC float64
}

// Tail is the churn probability of every period past the data.
func (f TenureFit) Tail() float64 { return f.Periods[len(f.Periods)-1] }

// Survival is the table's probability of surviving t periods.
func (f TenureFit) Survival(t int) float64 {
	s := 1.0
	for k := 1; k <= t; k++ {
		s *= 1 - f.Periods[min(k, len(f.Periods))-1]
	}
	return s
}

// FitTenure fits the empirical hazard by tenure to Kaplan-Meier's table
// of a segment whose contracts run term months. It applies when at least
// two periods have MinAtRisk accounts at risk and some account left (with
// one period it is the constant rate).
func FitTenure(km []KMPoint, term int) (*TenureFit, error) {
	data := 0
	lost := 0.0
	for _, p := range km[1:] {
		if p.AtRisk >= MinAtRisk && p.Period == data+1 {
			data = p.Period
		}
		lost += p.Lost
	}
	switch {
	case lost == 0:
		return nil, fmt.Errorf("no account left: a hazard by tenure needs churn")
	case data < 2:
		return nil, fmt.Errorf("fewer than two periods with %d accounts at risk: a hazard by tenure would be the constant rate", MinAtRisk)
	}
	f := &TenureFit{Data: data, Scale: Estimate{1, 1 / math.Sqrt(lost)}}
	for _, p := range km[1 : data+1] {
		f.Periods = append(f.Periods, p.Lost/p.AtRisk)
	}
	year := max(1, (12+term-1)/term) // periods in a year of tenure, at least one
	var d, r float64
	f.TailFrom = data + 1
	for f.TailFrom > 1 && (data-f.TailFrom+1 < year || d == 0) {
		f.TailFrom--
		d, r = d+km[f.TailFrom].Lost, r+km[f.TailFrom].AtRisk
	}
	if f.TailFrom < data { // else the tail is the last period's, which holds already
		f.Periods = append(f.Periods, d/r)
	}
	for _, p := range km[1:] {
		f.LogLik += binomialLogLik(p.Lost, p.AtRisk, f.Periods[min(p.Period, len(f.Periods))-1])
	}
	f.AIC = 2*float64(data) - 2*f.LogLik
	return f, nil
}

// binomialLogLik is d log q + (n − d) log(1 − q), with 0 · log 0 = 0.
func binomialLogLik(d, n, q float64) float64 {
	ll := 0.0
	if d > 0 {
		ll += d * math.Log(q)
	}
	if n > d {
		ll += (n - d) * math.Log1p(-q)
	}
	return ll
}
