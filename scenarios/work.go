package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"csplan/sim"
	"csplan/sim/dist"
)

// Bounds on the work a scenario asks for. A trial's cost grows with the
// accounts it holds and the months they live (an account-month); the
// opening book is bounded by its fields, but new logos and referrals grow
// without one: a rate of 1e9 logos a month, or referrals that bring more
// than an advocate's worth of accounts a year, grow the book until a
// single trial runs for hours.
const (
	// MaxNewAccounts is the most new logos (arrivals, referrals and
	// champion moves) a segment may expect in one trial: the most
	// accounts a segment may start with.
	MaxNewAccounts = 10_000_000
	// MaxTrialWork is the most account-months one trial of one option may
	// expect: a segment of 10,000,000 accounts over 240 months, a minute
	// or so of one core.
	MaxTrialWork = 2.4e9
	// MaxRunWork is the most account-months a run may ask for (trials ×
	// options × a trial's account-months): days of computing.
	MaxRunWork = 1e14
	// workQuantile is where the bounds read a per-trial input: the worst
	// trial, not the average one, decides how long a run takes.
	workQuantile = 0.999
)

// segmentGrowth is how one segment's book grows in a trial, at the
// workQuantile of every rate, ignoring churn: an upper estimate.
type segmentGrowth struct {
	arrivals  float64 // new logos from acquisition over the horizon
	newTotal  float64 // new logos of every kind over the horizon
	work      float64 // account-months over the horizon
	rate      float64 // the highest arrivals a month (per_month × growth)
	referrals float64 // accounts each account brings a month
}

// growth estimates the growth of segment s over a horizon of h months.
func growth(s *sim.Segment, so *sim.SecondOrder, h int) segmentGrowth {
	var g segmentGrowth
	perMonth, yearly := 0.0, 0.0
	if s.Acquisition.PerMonth.Dist != nil {
		perMonth = high(s.Acquisition.PerMonth.Dist)
		yearly = high(s.Acquisition.Growth.Dist)
	}
	if so.Enabled {
		// Referred logos a month per active account, and the logos
		// departed champions bring.
		turnover := 1 - math.Pow(1-math.Min(high(so.ChampionTurnover.Dist), 1), 1.0/12)
		g.referrals = high(so.AdvocateShare.Dist)*high(so.ReferralsPerYear.Dist)/12*high(so.ReferralConversion.Dist) +
			turnover*high(so.ChampionMoveWin.Dist)
	}
	accounts := float64(s.Count)
	for m := 1; m <= h; m++ {
		lam := perMonth * math.Pow(1+yearly, float64(m-1)/12)
		g.rate = math.Max(g.rate, lam)
		n := accounts*g.referrals + lam
		accounts += n
		g.arrivals += lam
		g.newTotal += n
		g.work += accounts
		if g.newTotal > MaxNewAccounts || g.work > MaxTrialWork {
			// Past either bound: carry on at the last month's pace, so
			// the message can say how far the horizon takes it without
			// compounding into an overflow.
			rest := float64(h - m)
			g.arrivals += lam * rest
			g.newTotal += n * rest
			g.work += accounts * rest
			break
		}
	}
	return g
}

// high is a per-trial input at the workQuantile (0 for none).
func high(d dist.Dist) float64 {
	if d == nil {
		return 0
	}
	return math.Max(d.Quantile(workQuantile), 0)
}

// TrialWork is the account-months one trial of model m may expect, at
// the workQuantile of its rates and ignoring churn: an upper estimate of
// what a trial costs.
func TrialWork(m *sim.Model) float64 {
	w := 0.0
	for i := range m.Segments {
		w += growth(&m.Segments[i], &m.SecondOrder, m.Horizon).work
	}
	return w
}

// MaxBookARR is the most expected ARR an opening book may have: the bound
// on an amount of money, which no company's book reaches.
const MaxBookARR = 1e15

// openingARR is the expected ARR of segment s's opening book: its
// accounts file's, or its count at the ACV's mean.
func openingARR(s *sim.Segment) float64 {
	arr := 0.0
	if len(s.Accounts) > 0 {
		for _, a := range s.Accounts {
			arr += 12 * a.MRR
		}
	} else if s.ACV != nil {
		arr = float64(s.Count) * s.ACV.Mean()
	}
	return arr
}

// checkARR reports an opening book whose expected ARR passes MaxBookARR,
// at the segment that holds most of it.
func (b *builder) checkARR(m *sim.Model) {
	total, most, at := 0.0, -1.0, 0
	for i := range m.Segments {
		s := &m.Segments[i]
		arr := openingARR(s)
		total += arr
		if arr > most {
			most, at = arr, i
		}
	}
	if !(total > MaxBookARR) {
		return
	}
	s := &m.Segments[at]
	path, what := fmt.Sprintf("segments[%d].acv", at), fmt.Sprintf("%s accounts with a mean ACV of %s", fmtInt(int64(s.Count)), sci(most/float64(max(s.Count, 1))))
	if len(s.Accounts) > 0 {
		path, what = fmt.Sprintf("segments[%d].accounts_file", at), fmt.Sprintf("%s accounts from its file, %s of ARR", fmtInt(int64(len(s.Accounts))), sci(most))
	}
	b.errorf(path, "the opening book's expected ARR is %s (segment %s: %s), above %s, more than any company's; check the acv and the accounts (an amount in cents, or a count in the wrong field?)",
		sci(total), s.Name, what, sci(MaxBookARR))
}

// accountGrowth is how far one account's MRR may compound over a horizon
// of h months, as natural logarithms: upsell at every opportunity, taken
// with its probability at the workQuantile (times the highest multiplier
// the coverage response gives, at most 1) and moving MRR by its size's
// mean, and price increases at their workQuantile at every price change.
// Contraction and churn are ignored: an upper estimate. It also returns
// what it read, for the message.
type accountGrowth struct {
	upsell, price float64 // log of each factor over the horizon
	p, size, inc  float64 // upsell probability and size, price increase
	ups, changes  int     // upsell opportunities and price changes
	every         int     // months between price changes
}

func growthOf(s *sim.Segment, resp *sim.Response, h int) accountGrowth {
	var g accountGrowth
	term := max(1, s.TermMonths)
	if s.Upsell.Active() {
		mult := 1.0
		if len(resp.Upsell.Y) > 0 {
			mult = slices.Max(resp.Upsell.Y)
		}
		for _, u := range resp.Uncertain {
			if u.Curve == sim.UpsellResponse {
				mult = math.Max(mult, high(u.Y.Dist))
			}
		}
		g.p = math.Min(1, high(s.Upsell.Probability.Dist)*mult)
		g.size = math.Max(0, s.Upsell.Size.Mean())
		every := s.Upsell.Cadence.Months()
		if every == 0 {
			every = term
		}
		g.ups = h / every
		g.upsell = float64(g.ups) * math.Log1p(g.p*g.size)
	}
	if d := s.PriceIncrease.Dist; d != nil {
		g.inc = high(d)
		g.every = s.PriceEveryMonths
		if g.every == 0 {
			g.every = (12 + term - 1) / term * term
		}
		g.changes = h / g.every
		g.price = float64(g.changes) * math.Log1p(g.inc)
	}
	return g
}

// checkGrowth reports a segment whose book, compounded by upsell and
// price increases over the horizon, would pass MaxBookARR: its opening
// ARR and its new logos' (at the acquisition ACV's mean), each account
// grown by accountGrowth. Past the bound a trial's revenue overflows.
func (b *builder) checkGrowth(m *sim.Model) {
	for i := range m.Segments {
		s := &m.Segments[i]
		arr := openingARR(s)
		acv := s.ACV
		if s.Acquisition.ACV != nil {
			acv = s.Acquisition.ACV
		}
		if acv != nil {
			arr += growth(s, &m.SecondOrder, m.Horizon).newTotal * math.Max(0, acv.Mean())
		}
		g := growthOf(s, &m.Response, m.Horizon)
		grown := math.Log(arr) + g.upsell + g.price
		if !(arr > 0) || !(grown > math.Log(MaxBookARR)) {
			continue
		}
		frac := kinds["frac"].format
		var how []string
		if g.upsell > 0 {
			how = append(how, fmt.Sprintf("an upsell of %s of MRR at each of %d %s opportunities, taken with probability %s", frac(g.size), g.ups, s.Upsell.Cadence, frac(g.p)))
		}
		if g.price > 0 {
			how = append(how, fmt.Sprintf("a price increase of %s %s, %d times", frac(g.inc), everyMonths(g.every), g.changes))
		}
		path, lower := fmt.Sprintf("segments[%d].upsell", i), "upsell.probability or upsell.size"
		if g.price > g.upsell {
			path, lower = fmt.Sprintf("segments[%d].price_increase", i), "price_increase (or make it less often with price_increase_months)"
		}
		b.errorf(path, "an account's MRR would grow about %s-fold over %d months (%s, compounding; probabilities and increases at their 99.9th percentile), taking segment %s's ARR to about %s, above %s, more than any company's; lower %s, or horizon_months",
			sciLog(g.upsell+g.price), m.Horizon, strings.Join(how, ", and "), s.Name, sciLog(grown), sci(MaxBookARR), lower)
	}
}

// everyMonths says how often something happens every n months.
func everyMonths(n int) string {
	if n == 1 {
		return "every month"
	}
	return fmt.Sprintf("every %d months", n)
}

// sciLog writes e^lg as sci does, even past the largest float64.
func sciLog(lg float64) string {
	if v := math.Exp(lg); v < 1e300 {
		return sci(v)
	}
	e := math.Floor(lg / math.Ln10)
	return strconv.FormatFloat(math.Pow(10, lg/math.Ln10-e), 'f', 2, 64) + "e" + strconv.Itoa(int(e))
}

// checkWork reports a segment whose new logos, or a trial whose
// account-months, pass their bounds, saying what to lower.
func (b *builder) checkWork(m *sim.Model) {
	total, reported := 0.0, false
	for i := range m.Segments {
		s := &m.Segments[i]
		g := growth(s, &m.SecondOrder, m.Horizon)
		total += g.work
		if g.newTotal <= MaxNewAccounts {
			continue
		}
		reported = true
		over := fmt.Sprintf("segment %s would take on at least %s new accounts over %d months in one trial, and csplan simulates at most %s new accounts per segment and trial",
			s.Name, sci(g.newTotal), m.Horizon, fmtInt(MaxNewAccounts))
		if g.arrivals > MaxNewAccounts {
			b.errorf("acquisition."+s.Name+".per_month", "at up to %s new logos a month (per_month and growth at their 99.9th percentile), %s: lower per_month or growth, or horizon_months",
				sci(g.rate), over)
			continue
		}
		b.errorf("second_order.referrals_per_year", "with each account bringing %.3g new accounts a month through referrals and champion moves (referrals_per_year, referral_conversion and the advocates' share at their 99.9th percentile), compounding, %s: lower referrals_per_year, referral_conversion or the advocates' share, or horizon_months",
			g.referrals, over)
	}
	if total > MaxTrialWork && !reported {
		b.errorf("segments", "one trial would simulate about %s account-months (every account, opening and new, for each month it may live over %d months), more than %s, which takes minutes a trial; lower the accounts, the new logos or horizon_months",
			sci(total), m.Horizon, sci(MaxTrialWork))
	}
}

// CheckRunWork reports a run that asks for more than MaxRunWork
// account-months: trials of every model (the options of a run, the points
// of a sweep), saying what to lower.
func CheckRunWork(models []sim.Model, trials int) error {
	per := 0.0
	for i := range models {
		per += TrialWork(&models[i])
	}
	if w := per * float64(trials); w > MaxRunWork {
		n := fmt.Sprintf("%d models", len(models))
		if len(models) == 1 {
			n = "1 model"
		}
		return fmt.Errorf("this run asks for about %s account-months: %s trials × %s (options, sweep points or sensitivity runs) × about %s account-months a trial, more than %s, days of computing; lower the trials (--trials or trials:), the options or points, the accounts or horizon_months, or split the run into shards (--shard)",
			sci(w), fmtInt(int64(trials)), n, sci(per/float64(len(models))), sci(MaxRunWork))
	}
	return nil
}

// CheckWork reports a run of the scenario as written (its options over
// its trials, one path in expected mode) that asks for more than
// MaxRunWork account-months, at the file's trials field. A command that
// overrides the trials, or runs other models, checks with CheckRunWork.
func (s *Scenario) CheckWork() error {
	models := make([]sim.Model, len(s.Options))
	for i, o := range s.Options {
		models[i] = o.Model
	}
	trials := s.Settings.Trials
	if s.Settings.Mode == sim.Expected {
		trials = 1
	}
	if err := CheckRunWork(models, trials); err != nil {
		return Errors{{File: s.Path, Line: s.trialsAt[0], Col: s.trialsAt[1], Path: "trials", Msg: err.Error()}}
	}
	return nil
}

// sci writes a large number in three significant digits.
func sci(v float64) string {
	if v < 1e6 {
		return fmtInt(int64(math.Round(v)))
	}
	t := strconv.FormatFloat(v, 'g', 3, 64)
	if m, e, ok := strings.Cut(t, "e+"); ok {
		t = m + "e" + strings.TrimLeft(e, "0")
	}
	return t
}
