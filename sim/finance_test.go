package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// flatBook is one account paying 10,000 a month forever: no churn, no
// growth, no team.
func flatBook(h int) Model {
	return simpleModel(1, 120000, 12, Churn{Rate: fixed(0), RateMonths: 12}, Movement{Probability: fixed(0)}, h)
}

// DCF of a flat cash flow, at the horizon: each month's contribution C =
// 10,000 × 80 % carried to month n at the monthly rate i = 1.1^(1/12) − 1
// gives C((1+i)^n − 1)/i; the Gordon terminal value at the horizon is
// 12·C·(1+g)/(r − g). Today's value is that over (1+r)^(n/12), the
// textbook annuity C(1 − (1+i)^−n)/i plus the discounted terminal value.
func TestDCFOfFlatCashFlow(t *testing.T) {
	const n, r, g = 36, 0.10, 0.03
	m := flatBook(n)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(r)}
	m.Valuation = Valuation{Method: DCF, Terminal: Gordon, TerminalGrowth: fixed(g)}
	res := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	c := 10000 * 0.8
	i := math.Pow(1+r, 1.0/12) - 1
	grow := math.Pow(1+r, n/12.0)
	pv := c * (1 - math.Pow(1+i, -n)) / i
	tv := 12 * c * (1 + g) / (r - g)
	within(t, "DCF valuation at the horizon", res["valuation"].Mean, c*(math.Pow(1+i, n)-1)/i+tv, 0.01)
	within(t, "DCF valuation today", res["valuation"].Mean/grow, pv+tv/grow, 0.01)
	within(t, "dcf_value", res["dcf_value"].Mean, res["valuation"].Mean, 0)
	within(t, "contribution", res["contribution_total"].Mean, n*c, 0.01)

	m.Valuation.Terminal, m.Valuation.ExitMultiple = ExitMultiple, fixed(5)
	res = run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	within(t, "DCF with exit multiple", res["valuation"].Mean/grow, pv+5*120000/grow, 0.01)
}

// Free cash flow takes operating cost (25 % of revenue and 500 a month) and
// 21 % tax on positive profit from contribution: 10,000 × (0.8 − 0.25) −
// 500 = 5,000 before tax, 3,950 after. DCF values that, and an ARR-multiple
// scenario gets the same DCF value beside its multiple; a month with a loss
// pays no tax.
func TestFreeCashFlowAndDCFBeside(t *testing.T) {
	const n, r, g = 24, 0.10, 0.03
	m := flatBook(n)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(r),
		OperatingCostRatio: fixed(0.25), OperatingCostMonthly: fixed(500), TaxRate: fixed(0.21)}
	m.Valuation = Valuation{Method: ARRMultiple, Base: fixed(6), PerNRRPoint: fixed(0), PerGrowthPoint: fixed(0),
		MinMultiple: 1, Terminal: Gordon, TerminalGrowth: fixed(g), DCFBeside: true}
	res := run(t, m, Settings{Mode: Expected}).Options[0]
	fcf := (10000*(0.8-0.25) - 500) * (1 - 0.21)
	for _, p := range res.Series[results.SeriesFreeCashFlow] {
		within(t, "free cash flow", p.Mean, fcf, 1e-9)
	}
	within(t, "cumulative free cash flow", res.Series[results.SeriesCashFlowCum][n-1].Mean, n*fcf, 1e-6)
	i := math.Pow(1+r, 1.0/12) - 1
	want := fcf*(math.Pow(1+i, n)-1)/i + 12*fcf*(1+g)/(r-g)
	within(t, "DCF beside the multiple", res.Metrics["dcf_value"].Mean, want, 0.01)
	within(t, "the multiple still sees ARR alone", res.Metrics["valuation"].Mean, 6*120000, 1e-6)

	m.Economics.OperatingCostMonthly = fixed(10000) // a loss every month
	res = run(t, m, Settings{Mode: Expected}).Options[0]
	within(t, "a loss pays no tax", res.Series[results.SeriesFreeCashFlow][0].Mean, 10000*(0.8-0.25)-10000, 1e-9)

	m.Valuation.DCFBeside = false
	if _, ok := run(t, m, Settings{Mode: Expected}).Options[0].Metrics["dcf_value"]; ok {
		t.Error("dcf_value reported for a scenario that asks for no DCF")
	}
}

// ARR multiple arithmetic: base 6 at NRR 100 % and growth 20 %, +0.25 per
// point of NRR and +0.1 per point of growth. A book whose ARR grows 6 % a
// year by price increases (NRR 106 %, growth 6 %): 6 + 0.25·6 + 0.1·(6 − 20)
// = 6.1 times the final ARR.
func TestARRMultipleArithmetic(t *testing.T) {
	m := flatBook(24)
	m.Segments[0].PriceIncrease = fixed(0.06)
	m.Valuation = Valuation{Method: ARRMultiple, Base: fixed(6), PerNRRPoint: fixed(0.25), PerGrowthPoint: fixed(0.1),
		ReferenceNRR: 1, ReferenceGrowth: 0.2, MinMultiple: 1}
	res := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	arr := 120000 * 1.06
	within(t, "NRR", res["nrr_12m"].Mean, 1.06, 1e-12)
	within(t, "valuation", res["valuation"].Mean, 6.1*arr, 1e-6)

	m.Valuation.Table = Curve{X: []float64{0.9, 1.1}, Y: []float64{4, 8}}
	res = run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	within(t, "valuation from the table", res["valuation"].Mean, (4+4*0.16/0.2)*arr, 1e-6)
}

// Over a 6-month horizon NRR is a 6-month figure; the multiple, stated for
// an annual NRR, gets it compounded to a year, as ARR growth is: a book
// losing 0.5 % a month has NRR 0.995^k over k months, 0.995^12 a year.
func TestARRMultipleShortHorizonAnnualisesNRR(t *testing.T) {
	m := simpleModel(10, 120000, 1, Churn{Rate: fixed(0.005), RateMonths: 1}, Movement{Probability: fixed(0)}, 6)
	m.Valuation = Valuation{Method: ARRMultiple, Base: fixed(6), PerNRRPoint: fixed(0.25), PerGrowthPoint: fixed(0.1),
		ReferenceNRR: 1, ReferenceGrowth: 0.2, MinMultiple: 1}
	res := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	nrr, arr := res["nrr_12m"].Mean, res["arr_end"].Mean
	if nrr >= 1 || nrr < 0.96 {
		t.Fatalf("6-month NRR %.6f: the book should lose 0.5 %% a month", nrr)
	}
	yearly := nrr * nrr // 6 months twice
	growth := math.Pow(arr/(10*120000), 2) - 1
	within(t, "valuation", res["valuation"].Mean, (6+25*(yearly-1)+10*(growth-0.2))*arr, 1e-6)
}

// Acquisition, expansion and upsell costs follow their ratios: CAC 1.18 ×
// new ARR, CEC 0.13 × price-increase ARR, CUC 0.28 × upsell ARR.
func TestCostRatios(t *testing.T) {
	m := flatBook(24)
	m.Segments[0].PriceIncrease = fixed(0.05)
	m.Segments[0].Upsell = Movement{Cadence: AtRenewal, Probability: fixed(1), Size: dist.Const(0.1)}
	m.Segments[0].Acquisition = Acquisition{PerMonth: fixed(1), Growth: fixed(0), Arrivals: Deterministic}
	m.Segments[0].OnboardingSuccess = fixed(1)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(1.18),
		ExpansionCostRatio: fixed(0.13), UpsellCostRatio: fixed(0.28), DiscountRate: fixed(0.1)}
	r := run(t, m, Settings{Mode: Expected}).Options[0]
	// One new logo of $120k ARR a month.
	within(t, "acquisition cost", r.Metrics["acquisition_cost_total"].Mean, 24*1.18*120000, 1e-6)
	// In month 13 the starting account and the logo won in month 1 renew:
	// +5 % price, then +10 % upsell, each.
	exp := r.Series["expansion_cost"][12]
	if exp.Month != 13 {
		t.Fatalf("point 12 is month %d", exp.Month)
	}
	within(t, "expansion cost at the renewal", exp.Mean, 2*(0.13*0.05*120000+0.28*0.10*1.05*120000), 1e-6)
	// Every input is fixed and arrivals are deterministic, so each Monte
	// Carlo trial is the expected path: the same costs, to rounding.
	mc := run(t, m, Settings{Trials: 4, Seed: 1}).Options[0]
	within(t, "Monte Carlo acquisition cost", mc.Metrics["acquisition_cost_total"].Mean, 24*1.18*120000, 1e-6)
	m.Economics.CACBasis, m.Economics.CAC = PerLogo, fixed(50000)
	r = run(t, m, Settings{Mode: Expected}).Options[0]
	within(t, "CAC per logo", r.Metrics["acquisition_cost_total"].Mean, 24*50000, 1e-6)
	mc = run(t, m, Settings{Trials: 4, Seed: 1}).Options[0]
	within(t, "Monte Carlo CAC per logo", mc.Metrics["acquisition_cost_total"].Mean, 24*50000, 1e-6)
}

// Cutting CSMs saves cost at once, so profit rises in the first year; with
// coverage mattering it loses more revenue later and lowers the valuation
// by the horizon. Paired trials, 95 % intervals on the right side of zero.
func TestCutRaisesEarlyProfitAndLowersValuation(t *testing.T) {
	keep := teamModel(10)
	keep.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(1.18),
		ExpansionCostRatio: fixed(0.13), UpsellCostRatio: fixed(0.28), DiscountRate: fixed(0.1)}
	keep.Valuation = Valuation{Method: ARRMultiple, Base: fixed(6), PerNRRPoint: fixed(0.25), PerGrowthPoint: fixed(0.1),
		ReferenceNRR: 1, ReferenceGrowth: 0.2, MinMultiple: 1}
	cut := keep
	cut.Team.Plan = []Step{{Month: 2, CSMs: 6}}
	r, err := runOpts([]Option{{Name: "Baseline", Model: keep}, {Name: "cut", Model: cut}}, Settings{Trials: 200, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	base, opt := r.Options[0].Series["gross_profit"], r.Options[1].Series["gross_profit"]
	year1 := 0.0
	for m := 0; m < 12; m++ {
		year1 += opt[m].Mean - base[m].Mean
	}
	if year1 <= 0 {
		t.Errorf("a cut should raise gross profit in the first year, changed it by %.0f", year1)
	}
	if d := r.Options[1].VsBaseline["valuation"]; d.CI95[1] >= 0 {
		t.Errorf("a cut should lower the valuation at the horizon: %+v", d)
	}
}

// CLV of one account of 10,000 MRR at an 80 % margin, churning 10 % at each
// annual renewal (the first in month 13), discounted at 10 % a year: over
// the 36 months Σ d^m · 8,000 · S(m) with S = 1, 0.9, 0.81 by year, plus
// the tail of the 81 % still there, 8,000 · 0.81 · Σ_{k≤240} d^k · 0.9^(k/12),
// discounted from month 36. Customer-based valuation is that tail at the
// horizon.
func TestCLVOfConstantAccount(t *testing.T) {
	m := simpleModel(1, 120000, 12, Churn{Rate: fixed(0.1), RateMonths: 12}, Movement{Probability: fixed(0)}, 36)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(1.18),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	m.Valuation = Valuation{Method: CustomerBased}
	res := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	d := math.Pow(1.1, -1.0/12)
	in, f := 0.0, 1.0
	for mo := 1; mo <= 36; mo++ {
		f *= d
		in += f * 8000 * math.Pow(0.9, float64((mo-1)/12))
	}
	tf, g := 0.0, 1.0
	for k := 1; k <= 240; k++ {
		g *= d
		tf += g * math.Pow(0.9, float64(k)/12)
	}
	tail := 8000 * 0.81 * tf
	within(t, "CLV", res["clv"].Mean, in+f*tail, 0.01)
	within(t, "CLV of the segment", res["clv_book"].Mean, in+f*tail, 0.01)
	within(t, "customer-based valuation", res["valuation"].Mean, tail, 0.01)
}

// Each segment's own MRR adds up to the book's, whichever way accounts
// are booked (calendars, event by event, month by month, expected).
func TestSegmentMRRAddsUp(t *testing.T) {
	for _, c := range []struct {
		name string
		m    Model
		s    Settings
		sync bool
	}{
		{"acme", acmeLike(), Settings{Trials: 1, Seed: 2}, false},
		{"standard", standardModel(), Settings{Trials: 1, Seed: 2}, false},
		{"team short", teamModel(6), Settings{Trials: 1, Seed: 2}, false},
		{"team, month by month", teamModel(40), Settings{Trials: 1, Seed: 2}, true},
		{"acme expected", acmeLike(), Settings{Mode: Expected}, false},
	} {
		w := newWorker(2, c.m.Horizon, checks{lockstep: c.sync})
		if c.s.Mode == Expected {
			w.expectedTrial(&c.m, Multiplicative)
		} else {
			w.runTrial(&c.m, 0)
		}
		var series [numSeries][]float64
		for i := range series {
			series[i] = make([]float64, c.m.Horizon+1)
		}
		var metrics [numMetrics]float64
		w.summarise(&series, &metrics)
		levels, newLevels := w.segLevels()
		for mo := 0; mo <= c.m.Horizon; mo++ {
			sum := 0.0
			for i := range w.segs {
				sum += levels[i][mo]
				if nl := newLevels[i][mo]; nl < -1e-6 || nl > levels[i][mo]+1e-6 || (mo == 0 && nl != 0) {
					t.Fatalf("%s month %d: new logos' MRR %.4f of the segment's %.4f", c.name, mo, nl, levels[i][mo])
				}
			}
			if got := series[sMRR][mo]; math.Abs(sum-got) > 1e-6*math.Max(1, got) {
				t.Fatalf("%s month %d: segments %.4f, book %.4f", c.name, mo, sum, got)
			}
		}
	}
}

// secondOrderModel is a book of 200 accounts with no churn in which 30 %
// of accounts are advocates, each bringing 0.2 referrals a month of which
// half convert: logos grow by 3 % a month in expectation.
func secondOrderModel() Model {
	m := simpleModel(200, 24000, 12, Churn{Rate: fixed(0), RateMonths: 12}, Movement{Probability: fixed(0)}, 24)
	m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(2.4),
		ReferralConversion: fixed(0.5), ChampionTurnover: fixed(0), ChampionChurnMult: fixed(2), ChampionRiskMonths: 6,
		ChampionMoveWin: fixed(0)}
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(1.18), ReferralCACFactor: fixed(0.25),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	return m
}

// Referral compounding with no churn: E[logos(m)] = logos(m−1)·(1 + 0.3 ×
// 0.1), so 200 · 1.03^24 at the horizon, exactly in expected mode and within
// 3 standard errors by simulation; every new logo is second order.
func TestReferralCompounding(t *testing.T) {
	m := secondOrderModel()
	want := 200 * math.Pow(1.03, 24)
	e := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	within(t, "expected logos", e["logos_end"].Mean, want, 1e-6)
	within(t, "expected second-order ARR", e["second_order_arr"].Mean, (want-200)*24000, 1e-3)
	mc := run(t, m, Settings{Trials: 400, Seed: 4}).Options[0].Metrics
	within(t, "simulated logos", mc["logos_end"].Mean, want, 3*mc["logos_end"].SE)
	// Referred logos cost a quarter of the normal CAC.
	within(t, "acquisition cost", e["acquisition_cost_total"].Mean, (want-200)*24000*1.18*0.25, 1e-3)
}

// Champion turnover raises churn while the champion is gone, unless a
// re-onboarding play is on; champion moves bring new logos.
func TestChampionTurnover(t *testing.T) {
	base := simpleModel(500, 24000, 12, Churn{Rate: fixed(0.1), RateMonths: 12}, Movement{Probability: fixed(0)}, 36)
	base.Segments[0].Renewal = Spread
	champ := base
	champ.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0), ReferralsPerYear: fixed(0), ReferralConversion: fixed(0),
		ChampionTurnover: fixed(0.3), ChampionChurnMult: fixed(3), ChampionRiskMonths: 12, ChampionMoveWin: fixed(0)}
	reon := champ
	reon.SecondOrder.Reonboarding = true
	moves := reon
	moves.SecondOrder.ChampionMoveWin = fixed(0.5)
	r, err := runOpts([]Option{{Name: "Baseline", Model: base}, {Name: "champ", Model: champ}, {Name: "reonboard", Model: reon},
		{Name: "moves", Model: moves}}, Settings{Trials: 200, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Options[1].VsBaseline["logos_end"]; d.CI95[1] >= 0 {
		t.Errorf("champion turnover should lower the logos: %+v", d)
	}
	if d := r.Options[2].VsBaseline["logos_end"]; d.MeanDiff != 0 {
		t.Errorf("with re-onboarding churn is as without champions: %+v", d)
	}
	if d := r.Options[3].VsBaseline["second_order_arr"]; d.CI95[0] <= 0 {
		t.Errorf("champion moves should bring second-order ARR: %+v", d)
	}
	// Expected mode agrees with the simulation on the raised churn.
	e := run(t, champ, Settings{Mode: Expected}).Options[0].Metrics["logos_end"].Mean
	mc := r.Options[1].Metrics["logos_end"]
	within(t, "logos with champion turnover, expected against simulated", e, mc.Mean, 4*mc.SE+0.01*mc.Mean)
}

// The month-by-month engine draws second-order events as the independent
// one does.
func TestSecondOrderSynchronousMatchesIndependent(t *testing.T) {
	m := teamModel(40)
	m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(1), ReferralConversion: fixed(0.5),
		ChampionTurnover: fixed(0.3), ChampionChurnMult: fixed(2), ChampionRiskMonths: 6, ChampionMoveWin: fixed(0.3)}
	ind := run(t, m, Settings{Trials: 16, Seed: 8})
	syn := run(t, m, Settings{Trials: 16, Seed: 8, check: checks{lockstep: true}})
	for _, name := range []string{"mrr", "logos", "new_mrr", "churned_mrr", "grr"} {
		for i, p := range ind.Options[0].Series[name] {
			q := syn.Options[0].Series[name][i]
			if math.Abs(p.Mean-q.Mean) > 1e-9*math.Max(1, math.Abs(p.Mean)) {
				t.Fatalf("%s month %d: independent %v, synchronous %v", name, p.Month, p.Mean, q.Mean)
			}
		}
	}
	a, b := ind.Options[0].Metrics["second_order_arr"].Mean, syn.Options[0].Metrics["second_order_arr"].Mean
	if a == 0 || math.Abs(a-b) > 1e-9*a {
		t.Errorf("second-order ARR: independent %v, synchronous %v", a, b)
	}
}

// Rank correlations between per-trial inputs are achieved within sampling
// error: the Spearman correlation of n pairs has a standard error of about
// (1 − ρ²)/√(n − 1) (for normal scores), so 4,000 trials give ±0.013; the
// test allows four of those.
func TestCorrelatedAssumptions(t *testing.T) {
	churn, _ := dist.NewBeta(0.08, 0.02)
	up, _ := dist.NewPERT(0.05, 0.1, 0.2)
	other, _ := dist.NewUniform(0, 1)
	cop, err := newCopula([]Correlation{{A: "churn", B: "up", Rho: -0.5}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 4000
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		d := drawer{trial: trialKey(1, uint64(i)), cop: cop}
		a[i], b[i], c[i] = d.draw(Assumption{"churn", churn}), d.draw(Assumption{"up", up}), d.draw(Assumption{"other", other})
	}
	se := (1 - 0.25) / math.Sqrt(n-1)
	within(t, "rank correlation churn ~ upsell", spearman(a, b), -0.5, 4*se)
	within(t, "rank correlation with an uncorrelated input", spearman(a, c), 0, 4/math.Sqrt(n-1))
	// The marginals are untouched: the churn draws keep their mean.
	mean := 0.0
	for _, v := range a {
		mean += v
	}
	within(t, "churn mean", mean/n, 0.08, 4*0.02/math.Sqrt(n))
	if _, err := newCopula([]Correlation{{"a", "b", 0.95}, {"b", "c", 0.95}, {"a", "c", -0.95}}); err == nil {
		t.Error("contradictory correlations must be refused")
	}
}

// Latin hypercube sampling of the per-trial inputs lowers the variance of
// the mean of a smooth metric. Over 30 seeds of 50 trials, the mean ARR of
// 2,000 accounts whose yearly churn c ~ Beta(mean 10 %, sd 4 %) has two
// parts of variance: the accounts' own (each survives two renewals with
// probability about S = 0.81: V_w = 2000·S(1 − S)·12,000²/50 ≈ 8.9e8) and
// the churn rate's (ARR ≈ 2000·12,000·(1 − c)², sd ≈ 24M·2·0.9·0.04:
// V_b ≈ 6e10). Random sampling keeps both; stratifying c removes nearly all
// of V_b, leaving about V_w. Bounds: the sample variance of 30 means is
// below 1.9 times its expectation with 99.9 % probability (chi-square, 29
// degrees of freedom), and 50 strata leave a little of V_b, so LHS must
// stay under 3·V_w and random sampling must exceed it.
func TestLatinHypercubeLowersVariance(t *testing.T) {
	churn, _ := dist.NewBeta(0.10, 0.04)
	m := simpleModel(2000, 12000, 12, Churn{Rate: Assumption{"churn", churn}, RateMonths: 12}, Movement{Probability: fixed(0)}, 24)
	m.Segments[0].Renewal = Spread
	spread := func(lhs bool) float64 {
		const seeds = 30
		var means []float64
		for seed := range uint64(seeds) {
			r := run(t, m, Settings{Trials: 50, Seed: seed, LHS: lhs}).Options[0].Metrics["arr_end"]
			means = append(means, r.Mean)
		}
		mu, v := 0.0, 0.0
		for _, x := range means {
			mu += x / seeds
		}
		for _, x := range means {
			v += (x - mu) * (x - mu) / (seeds - 1)
		}
		return v
	}
	const s = 0.81
	own := 2000 * s * (1 - s) * 12000 * 12000 / 50
	plain, lhs := spread(false), spread(true)
	if lhs > 3*own || plain < 3*own {
		t.Errorf("variance of the mean: Latin hypercube %.3g, random %.3g; the accounts' own part is %.3g", lhs, plain, own)
	}
}

// Running to a precision stops once the 95 % half-widths are within the
// target, in rounds of doubling trials, and says when the maximum came
// first.
func TestRunToPrecision(t *testing.T) {
	m := acmeLike()
	alt := acmeLike()
	alt.Segments[0].PriceIncrease = fixed(0.06)
	opts := []Option{{Name: "Baseline", Model: m}, {Name: "alt", Model: alt}}
	r, err := RunToPrecision(context.Background(), opts, Settings{Trials: 8000, Seed: 2}, "arr_end", 0.01, nil)
	if err != nil {
		t.Fatal(err)
	}
	cv := r.Convergence
	if !cv.Converged || cv.Achieved >= 0.01 || r.Trials != cv.Rounds[len(cv.Rounds)-1].Trials {
		t.Fatalf("did not converge as reported: %+v", cv)
	}
	base := r.Options[0].Metrics["arr_end"]
	if half := 1.96 * base.SE / base.Mean; half >= 0.01 { // 1.96 is below the t quantile used
		t.Errorf("the mean's half-width %.4f is not within the target", half)
	}
	for i := 1; i < len(cv.Rounds); i++ {
		if cv.Rounds[i].Trials != 2*cv.Rounds[i-1].Trials && cv.Rounds[i].Trials != 8000 {
			t.Errorf("rounds should double: %+v", cv.Rounds)
		}
	}
	r, err = RunToPrecision(context.Background(), opts, Settings{Trials: 600, Seed: 2}, "arr_end", 0.0001, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Convergence.Converged || r.Trials != 600 || len(r.Warnings) == 0 {
		t.Errorf("an unreachable target must stop at the maximum with a warning: %+v %v", r.Convergence, r.Warnings)
	}
}

// Expansion and contraction are flows booked gross in both modes: a month
// with upsell (10 % of accounts, +10 %) and contraction (5 %, −20 %) has
// expected expansion 0.01 and contraction 1.01 × 0.01 per dollar, not their
// net, so expansion cost is the same in expected mode and on average in
// Monte Carlo.
func TestExpansionAndContractionAreGross(t *testing.T) {
	m := simpleModel(400, 120000, 12, Churn{Rate: fixed(0), RateMonths: 12},
		Movement{Cadence: Monthly, Probability: fixed(0.1), Size: dist.Const(0.1)}, 24)
	m.Segments[0].Contraction = Movement{Cadence: Monthly, Probability: fixed(0.05), Size: dist.Const(0.2)}
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(1.18),
		ExpansionCostRatio: fixed(0.13), UpsellCostRatio: fixed(0.28), DiscountRate: fixed(0.1)}
	at := func(pts []results.Point, mo int) results.Point {
		for _, p := range pts {
			if p.Month == mo {
				return p
			}
		}
		t.Fatalf("no month %d", mo)
		return results.Point{}
	}
	ex := run(t, m, Settings{Mode: Expected}).Options[0]
	book := 400 * 120000.0 / 12
	// The first opportunity is month 2, a month after the contracts start.
	within(t, "expected expansion, month 2", at(ex.Series["expansion_mrr"], 2).Mean, book*0.01, 1e-6)
	within(t, "expected contraction, month 2", at(ex.Series["contraction_mrr"], 2).Mean, book*1.01*0.01, 1e-6)
	// Nine comparisons at 4 standard errors: a false alarm about 1 in 2,000.
	mc := run(t, m, Settings{Trials: 400, Seed: 5}).Options[0]
	for _, name := range []string{"expansion_mrr", "contraction_mrr", "expansion_cost"} {
		for _, mo := range []int{2, 12, 24} {
			e, s := at(ex.Series[name], mo).Mean, at(mc.Series[name], mo)
			if math.Abs(s.Mean-e) > 4*s.SE {
				t.Errorf("%s month %d: Monte Carlo %.1f ± %.1f, expected mode %.1f", name, mo, s.Mean, s.SE, e)
			}
		}
	}
}

// Future cohorts are valued from their join month, which they pay for: a
// logo worth 1,000 × 80 % a month, kept at 98 % a month and discounted at
// d = 1.1^(−1/12), is worth 800 Σ_{k=0..239} (0.98 d)^k when it joins, and
// the cohorts of 10 logos a month after the horizon are discounted by
// Σ_{k=1..240} d^k. The tolerance is the one month of difference at the far
// end of the 20-year tail (800 (0.98 d)^240 a logo).
func TestFutureCohortsCountTheirFirstMonth(t *testing.T) {
	m := simpleModel(0, 12000, 1, Churn{Rate: fixed(0.02), RateMonths: 1}, Movement{Probability: fixed(0)}, 12)
	m.Segments[0].Acquisition = Acquisition{PerMonth: fixed(10), Growth: fixed(0), Arrivals: Deterministic}
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	m.Valuation = Valuation{Method: CustomerBased}
	book := run(t, m, Settings{Mode: Expected}).Options[0].Metrics["valuation"].Mean
	m.Valuation.FutureCohorts = true
	all := run(t, m, Settings{Mode: Expected}).Options[0].Metrics["valuation"].Mean
	d := math.Pow(1.1, -1.0/12)
	x := 0.98 * d
	perLogo := 800 * (1 - math.Pow(x, 240)) / (1 - x)
	annuity := d * (1 - math.Pow(d, 240)) / (1 - d)
	within(t, "value of future cohorts", all-book, 10*perLogo*annuity, 10*800*math.Pow(x, 240)*annuity+1e-6)
}

// The textbook CLV: ARR × margin × (1 + d)/(d + c) for an annual churn c
// (ARR × margin / c without discounting); a monthly rate and an sBG
// propensity are put on the annual scale.
func TestTextbookCLV(t *testing.T) {
	e := Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0.05), DiscountRate: fixed(0.1)}
	seg := Segment{ACV: dist.Const(12000), TermMonths: 12, Churn: Churn{Rate: fixed(0.2), RateMonths: 12}}
	within(t, "annual churn, discounted", TextbookCLV(&seg, &e), 12000*0.75*1.1/0.3, 1e-9)
	e.DiscountRate = fixed(0)
	within(t, "annual churn", TextbookCLV(&seg, &e), 12000*0.75/0.2, 1e-9)
	seg.Churn = Churn{Timing: Hazard, Rate: fixed(0.02), RateMonths: 1}
	within(t, "monthly churn", TextbookCLV(&seg, &e), 12000*0.75/(1-math.Pow(0.98, 12)), 1e-9)
	seg.Churn = Churn{SBG: &SBG{Alpha: fixed(1), Beta: fixed(3)}}
	within(t, "sBG, a new account's churn", TextbookCLV(&seg, &e), 12000*0.75/0.25, 1e-9)
}

// Free cash flow and the DCF value are linear in the book's revenue while
// profit stays positive, so the Monte Carlo mean of a churning, upselling
// book's DCF value agrees with the expected path within 3 standard errors.
func TestDCFValueMonteCarloAgreesWithExpected(t *testing.T) {
	m := simpleModel(200, 36000, 12, Churn{Rate: fixed(0.15), RateMonths: 12},
		Movement{Cadence: AtRenewal, Probability: fixed(0.3), Size: dist.Const(0.1)}, 36)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0.05), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0.28), DiscountRate: fixed(0.1),
		OperatingCostRatio: fixed(0.3), OperatingCostMonthly: fixed(20000), TaxRate: fixed(0.21)}
	m.Valuation = Valuation{Method: DCF, Terminal: Gordon, TerminalGrowth: fixed(0.03)}
	want := run(t, m, Settings{Mode: Expected}).Options[0].Metrics["dcf_value"].Mean
	mc := run(t, m, Settings{Trials: 2000, Seed: 7}).Options[0].Metrics["dcf_value"]
	within(t, "Monte Carlo DCF value", mc.Mean, want, 3*mc.SE)
}

// A cut saves its CS cost at once and loses gross profit later; a hire costs
// at once and gains later. The payback month is the first month from which
// the cumulative gross-profit difference stays above 0: for a flat book
// whose option costs 1,000 in month 1 and gains 100 a month after, the
// cumulative difference is −1,000 + 100 (m − 1), above 0 from month 12.
// Checked on the expected path and, trial by trial, on the series.
func TestPaybackMonth(t *testing.T) {
	const h = 24
	m := flatBook(h)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	better := m
	better.Economics.GrossMarginExCS = fixed(0.81) // +100 a month
	worse := m
	worse.Economics.GrossMarginExCS = fixed(0.79)
	opts := []Option{{Name: "Baseline", Model: m}, {Name: "better", Model: better}, {Name: "worse", Model: worse}}
	for _, s := range []Settings{{Mode: Expected}, {Trials: 50, Seed: 3}} {
		r, err := Run(context.Background(), opts, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, w := r.Options[1].Payback, r.Options[2].Payback
		if b == nil || b.ShareOfTrials != 1 || b.Month == nil || b.Month.P50 != 1 {
			t.Errorf("%v: an option ahead every month pays back in month 1 in every trial, got %+v", s.Mode, b)
		}
		if w == nil || w.ShareOfTrials != 0 || w.Month != nil {
			t.Errorf("%v: an option behind every month never pays back, got %+v", s.Mode, w)
		}
		diff := r.Options[1].Series[results.SeriesGrossProfitCumDiff]
		within(t, "cumulative difference at the horizon", diff[len(diff)-1].Mean, 100*h, 1e-6)
		if r.Options[0].Payback != nil {
			t.Error("the baseline has no payback")
		}
	}

	// A first month that costs 1,000 more, then 100 a month ahead.
	w := newWorker(1, h, checks{})
	var series [numSeries][]float64
	for i := range series {
		series[i] = make([]float64, h+1)
	}
	for mo := 1; mo <= h; mo++ {
		series[sGrossProfit][mo] = 8000
	}
	w.payback(0, &series)
	series[sGrossProfit][1] = 8000 - 1000
	for mo := 2; mo <= h; mo++ {
		series[sGrossProfit][mo] = 8100
	}
	if got := w.payback(1, &series); got != 12 {
		t.Errorf("payback month %v, want 12 (−1,000 + 100 × 11 > 0 first in month 12)", got)
	}
}

// Operating cost of the opening revenue is a fixed amount: a book that
// loses 5 % of its accounts a month still pays 25 % of its first month's
// revenue in the last; of each month's revenue, it pays less as it shrinks.
func TestOperatingCostOfOpeningRevenue(t *testing.T) {
	const h = 12
	m := simpleModel(100, 12000, 1, Churn{Rate: fixed(0.05), RateMonths: 1}, Movement{Probability: fixed(0)}, h)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1),
		OperatingCostRatio: fixed(0.25), OperatingCostMonthly: fixed(0), TaxRate: fixed(0)}
	for _, opening := range []bool{true, false} {
		m.Economics.OperatingCostOfOpening = opening
		o := run(t, m, Settings{Mode: Expected}).Options[0]
		rev0, rev := o.Series[results.SeriesMRR][0].Mean, o.Series[results.SeriesMRR][h].Mean
		base := rev
		if opening {
			base = rev0
		}
		within(t, fmt.Sprintf("free cash flow in the last month (of opening %v)", opening),
			o.Series[results.SeriesFreeCashFlow][h-1].Mean, 0.8*rev-0.25*base, 1e-6)
	}
}

// The CLV of the opening book does not move with the acquisition rate (no
// CS team shares its cost here), and the CLV of new logos is their own:
// its Monte Carlo mean agrees with the expected path within 3 standard
// errors.
func TestCLVOfBookAndNewLogos(t *testing.T) {
	withArrivals := func(perMonth float64) Model {
		m := simpleModel(100, 12000, 12, Churn{Rate: fixed(0.2), RateMonths: 12},
			Movement{Cadence: AtRenewal, Probability: fixed(0.3), Size: dist.Const(0.1)}, 36)
		m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
			ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
		m.Segments[0].Acquisition = Acquisition{PerMonth: fixed(perMonth), Growth: fixed(0), ACV: dist.Const(24000)}
		return m
	}
	for _, s := range []Settings{{Mode: Expected}, {Trials: 400, Seed: 5}} {
		slow := run(t, withArrivals(2), s).Options[0].Metrics
		fast := run(t, withArrivals(8), s).Options[0].Metrics
		book := slow[results.CLVBook].Mean
		within(t, fmt.Sprintf("%v: book CLV with 4 times the arrivals", s.Mode), fast[results.CLVBook].Mean, book, 1e-6*book)
		if fast[results.CLV].Mean <= slow[results.CLV].Mean {
			t.Errorf("%v: more new logos at twice the ACV should raise the mean CLV of all accounts", s.Mode)
		}
		if nl := slow[results.CLVNew].Mean; nl <= book {
			t.Errorf("%v: a new logo pays twice the ACV, its CLV %.0f should exceed the book's %.0f", s.Mode, nl, book)
		}
	}
	want := run(t, withArrivals(4), Settings{Mode: Expected}).Options[0].Metrics[results.CLVNew].Mean
	mc := run(t, withArrivals(4), Settings{Trials: 2000, Seed: 9}).Options[0].Metrics[results.CLVNew]
	within(t, "Monte Carlo CLV of new logos", mc.Mean, want, 3*mc.SE)
	if _, ok := run(t, flatBook(12), Settings{Mode: Expected}).Options[0].Metrics[results.CLVNew]; ok {
		t.Error("a scenario without acquisition reports a CLV of new logos")
	}
}

// Billing terms: an account of the opening book paying 10,000 a month on
// an annual contract renewing in month 5 was billed for its year before the
// run, so the run bills it 120,000 in months 5, 17 and 29, and cash runs
// ahead of revenue by the months billed and not yet earned; billed
// quarterly it pays 30,000 in months 2, 5, 8, ...; billed monthly its
// billings are its revenue.
func TestBillingTerms(t *testing.T) {
	const h = 30
	m := flatBook(h)
	m.Segments[0].FirstRenewalMonth = 5
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	cases := []struct {
		every int
		due   map[int]float64
	}{
		{0, map[int]float64{5: 120000, 17: 120000, 29: 120000}},
		{3, map[int]float64{2: 30000, 5: 30000, 8: 30000, 11: 30000, 29: 30000}},
		{1, map[int]float64{1: 10000, 2: 10000, 30: 10000}},
	}
	for _, c := range cases {
		m.Segments[0].BillingMonths = c.every
		for _, s := range []Settings{{Mode: Expected}, {Trials: 3, Seed: 1}} {
			o := run(t, m, s).Options[0]
			bills := o.Series[results.SeriesBillings]
			total := 0.0
			for _, p := range bills {
				total += p.Mean
				if want, ok := c.due[p.Month]; ok {
					within(t, fmt.Sprintf("every %d, %v: bill in month %d", c.every, s.Mode, p.Month), p.Mean, want, 1e-6)
				}
			}
			revenue := 10000.0 * h
			cash := o.Series[results.SeriesCashFlowCum][h-1].Mean
			fcf := 0.0
			for _, p := range o.Series[results.SeriesFreeCashFlow] {
				fcf += p.Mean
			}
			within(t, fmt.Sprintf("every %d, %v: cash less free cash flow", c.every, s.Mode), cash-fcf, total-revenue, 1e-6)
		}
	}
}

// An upsell between two bills is billed for the rest of the period, and
// churn refunds nothing: a churning, upselling book of new logos billed
// annually has the same billings by Monte Carlo as on the expected path,
// within 3 standard errors, month by month.
func TestBillingsMonteCarloAgreesWithExpected(t *testing.T) {
	m := simpleModel(50, 24000, 12, Churn{Rate: fixed(0.02), RateMonths: 1, Timing: Hazard},
		Movement{Cadence: Monthly, Probability: fixed(0.05), Size: dist.Const(0.1)}, 24)
	m.Segments[0].Acquisition = Acquisition{PerMonth: fixed(3), Growth: fixed(0)}
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	want := run(t, m, Settings{Mode: Expected}).Options[0].Series[results.SeriesBillings]
	mc := run(t, m, Settings{Trials: 3000, Seed: 11}).Options[0].Series[results.SeriesBillings]
	for i, p := range mc {
		within(t, fmt.Sprintf("billings in month %d", p.Month), p.Mean, want[i].Mean, 3*p.SE+1e-9)
	}
}

// The bridge's legs add up to the option's difference in gross profit, in
// every trial and so in the mean, and each leg comes from its own driver: a
// cut of CS cost on a book with churn, upsell, price increases, contraction
// and new logos, against a baseline with more CSMs.
func TestBridgeAddsUpToGrossProfit(t *testing.T) {
	base := simpleModel(200, 24000, 12, Churn{Rate: fixed(0.15), RateMonths: 12},
		Movement{Cadence: Monthly, Probability: fixed(0.02), Size: dist.Const(0.1)}, 24)
	base.Segments[0].PriceIncrease = fixed(0.05)
	base.Segments[0].Contraction = Movement{Cadence: Quarterly, Probability: fixed(0.03), Size: dist.Const(0.2)}
	base.Segments[0].Acquisition = Acquisition{PerMonth: fixed(3), Growth: fixed(0)}
	base.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0.05), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	option := base
	option.Segments = slices.Clone(base.Segments)
	option.Segments[0].Churn = Churn{Rate: fixed(0.2), RateMonths: 12}
	option.Segments[0].Acquisition = Acquisition{PerMonth: fixed(4), Growth: fixed(0)}
	opts := []Option{{Name: "Baseline", Model: base}, {Name: "option", Model: option}}
	for _, s := range []Settings{{Mode: Expected}, {Trials: 200, Seed: 4}} {
		r, err := Run(context.Background(), opts, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := r.Options[1]
		sum, legs := 0.0, map[string]float64{}
		for _, l := range o.Bridge {
			sum += l.MeanDiff
			legs[l.Driver] = l.MeanDiff
		}
		gp := o.VsBaseline[results.GrossProfitTotal].MeanDiff
		within(t, fmt.Sprintf("%v: the legs' sum", s.Mode), sum, gp, 1e-6*math.Abs(gp))
		if legs[results.BridgeChurn] >= 0 || legs[results.BridgeNew] <= 0 {
			t.Errorf("%v: more churn should cost and more new logos gain: %v", s.Mode, legs)
		}
		if legs[results.BridgeCSCost] != 0 || legs[results.BridgeOpening] != 0 || legs[results.BridgeSecondOrder] != 0 {
			t.Errorf("%v: CS cost, the opening book and second order are the same in both: %v", s.Mode, legs)
		}
	}
}

// A metric without a value in some trials (the CLV of new logos in a trial
// that has none) cannot drive a sensitivity analysis or a break-even,
// which compare trial by trial; nor can the hidden per-trial values.
func TestAnalysedMetricHasAValueInEveryTrial(t *testing.T) {
	for _, metric := range []string{results.CLVNew, results.CLVBook, results.PaybackMonth, "nope"} {
		if _, err := analysedMetric(metric); err == nil {
			t.Errorf("%s accepted", metric)
		}
	}
	if _, err := analysedMetric(results.CLV); err != nil {
		t.Errorf("clv refused: %v", err)
	}
}

// The segment bridge adds up to the gross-profit difference, trial by trial
// and so in the mean, with what no segment carries as a leg of its own; a
// change to one segment shows in that segment alone when no team links
// them.
func TestSegmentBridgeAddsUp(t *testing.T) {
	two := simpleModel(100, 24000, 12, Churn{Rate: fixed(0.15), RateMonths: 12}, Movement{Probability: fixed(0)}, 24)
	other := two.Segments[0]
	other.Name = "other"
	two.Segments = append(two.Segments, other)
	two.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0), CAC: fixed(0),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	opt := two
	opt.Segments = slices.Clone(two.Segments)
	opt.Segments[1].Churn = Churn{Rate: fixed(0.25), RateMonths: 12}
	for _, s := range []Settings{{Mode: Expected}, {Trials: 100, Seed: 2}} {
		r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: two}, {Name: "o", Model: opt}}, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := r.Options[1]
		legs := map[string]float64{}
		sum := 0.0
		for _, l := range o.SegmentBridge {
			legs[l.Driver] = l.MeanDiff
			sum += l.MeanDiff
		}
		gp := o.VsBaseline[results.GrossProfitTotal].MeanDiff
		within(t, fmt.Sprintf("%v: segments' sum", s.Mode), sum, gp, 1e-9*math.Abs(gp))
		if legs["book"] != 0 || legs["other"] >= 0 || math.Abs(legs[results.BridgeUnallocated]) > 1e-9*math.Abs(gp) {
			t.Errorf("%v: the churn of 'other' alone should move it alone: %v", s.Mode, legs)
		}
	}
}

// ARR that ends at 0, or a hair below it (a sum of monthly flows), has
// grown by −100 %, not by a NaN that would make the multiple and the
// valuation NaN; ARR with nothing to grow from has grown by 0.
func TestARRGrowthOfARRGone(t *testing.T) {
	for _, c := range []struct {
		arr  []float64
		want float64
	}{
		{[]float64{1608, 900, -2.3e-13}, -1},
		{[]float64{1608, 900, 0}, -1},
		{[]float64{0, 900, 1000}, 0},
		{[]float64{1000, 1100, 1210}, math.Pow(1.21, 6) - 1},
	} {
		got := arrGrowth(c.arr, 2)
		if math.IsNaN(got) || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("arrGrowth(%v) = %v, want %v", c.arr, got, c.want)
		}
	}
}
