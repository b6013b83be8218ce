package history

import (
	"fmt"
	"io"
	"slices"

	"csplan/report"
	"csplan/scenarios/calibrate"
)

// WriteCalibration writes the fits of a calibration for people: per
// segment its term, the churn models and the chosen one, and, for a
// history (fromHistory; a cohort table has no revenue), upsell,
// contraction and new accounts; then the Pareto's touch tiers and the
// notes.
func WriteCalibration(w io.Writer, c *calibrate.Calibration, fromHistory bool) {
	if fromHistory {
		fmt.Fprintf(w, "History %s: %s to %s\n", c.History, c.First, c.Last)
	} else {
		fmt.Fprintf(w, "Cohort table %s\n", c.History)
	}
	for _, s := range c.Segments {
		writeChurnFit(w, s)
		if fromHistory {
			writeMovements(w, s)
		}
	}
	if fromHistory && len(c.Pareto.MRR) > 0 {
		writeTiers(w, c.Pareto)
	}
	for _, warn := range c.Warnings {
		fmt.Fprintf(w, "\nnote: %s\n", warn)
	}
}

// writeTiers writes the Pareto's touch tiers, or, when MRR is spread too
// evenly for tiers by MRR (flatMRR), that none are suggested and why.
func writeTiers(w io.Writer, p calibrate.Pareto) {
	if flatMRR(p) {
		top := p.Tiers[0]
		fmt.Fprintf(w, "\nPareto of %d accounts by MRR in %s: no touch tiers suggested, as MRR is spread evenly (the top %s, %.1f%% of them, hold %.1f%% of MRR, less than twice their share); choose touch by something else, such as segment or potential\n",
			len(p.MRR), p.Month, report.Plural(top.Accounts, "account"), 100*float64(top.Accounts)/float64(len(p.MRR)), 100*top.Share)
		return
	}
	fmt.Fprintf(w, "\nPareto of %d accounts by MRR in %s: suggested touch tiers\n", len(p.MRR), p.Month)
	cum := 0.0
	for _, t := range p.Tiers {
		cum += t.Share
		fmt.Fprintf(w, "  %-11s %6d accounts  MRR from %10.0f  %5.1f%% of MRR (cumulative %5.1f%%)\n", t.Name, t.Accounts, t.MinMRR, 100*t.Share, 100*cum)
	}
}

// flatMRR says whether the book's MRR is too evenly spread for touch
// tiers by MRR: the accounts of the top tier (high touch) hold less than
// twice their share of the accounts, so they are worth less than twice an
// average account. A typical B2B book's top 10 % hold about 45 %.
func flatMRR(p calibrate.Pareto) bool {
	if len(p.Tiers) == 0 || len(p.MRR) == 0 {
		return true
	}
	top := p.Tiers[0]
	return top.Share < 2*float64(top.Accounts)/float64(len(p.MRR))
}

// writeChurnFit writes a segment's heading, its term and its churn fits.
func writeChurnFit(w io.Writer, s calibrate.SegmentFit) {
	ch := s.Churn
	if s.Cohort {
		// A cohort table's Accounts is the cohort at period 0.
		t := s.Table
		fmt.Fprintf(w, "\nSegment %s: %s accounts at %s 0, %s still paying at %s %d (the table's last)\n",
			s.Name, calibrate.FormatAmount(float64(s.Accounts)), t.Unit, calibrate.FormatAmount(t.End), t.Unit, t.Last)
	} else {
		fmt.Fprintf(w, "\nSegment %s: %s accounts paying at the end\n", s.Name, calibrate.FormatAmount(float64(s.Accounts)))
	}
	fmt.Fprintf(w, "  term          %s (%s)\n", report.Plural(ch.Term, "month"), ch.TermNote)
	if ch.SBG != nil {
		f := ch.SBG
		fmt.Fprintf(w, "  sBG           alpha %.4f ± %.4f, beta %.4f ± %.4f (corr %.2f); log-likelihood %.2f, AIC %.2f\n",
			f.Alpha.Value, f.Alpha.SE, f.Beta.Value, f.Beta.SE, f.Corr, f.LogLik, f.AIC)
	} else if ch.SBGNote != "" {
		fmt.Fprintf(w, "  sBG           not fitted: %s\n", ch.SBGNote)
	}
	if ch.Chosen == calibrate.ModelNone {
		fmt.Fprintf(w, "  churn         none observed; 95 %% upper bound %.2f%% a %s\n", 100*ch.Upper95, periodUnit(ch))
	} else {
		fmt.Fprintf(w, "  constant      %.3f%% ± %.3f%% a %s; log-likelihood %.2f, AIC %.2f\n", 100*ch.Const.P.Value, 100*ch.Const.P.SE, periodUnit(ch), ch.Const.LogLik, ch.Const.AIC)
		writeTenureFit(w, ch)
		fmt.Fprintf(w, "  gap to KM     constant %s", gapText(ch.ConstGap, ch))
		if ch.SBG != nil {
			fmt.Fprintf(w, ", sBG %s", gapText(ch.SBGGap, ch))
		}
		if ch.Tenure != nil {
			fmt.Fprintf(w, ", by tenure %s", gapText(ch.TenureGap, ch))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  chosen        %s\n", chosenName[ch.Chosen])
}

// chosenName is a churn model as the terminal names the choice.
var chosenName = map[string]string{calibrate.ModelNone: "none", calibrate.ModelConstant: "constant rate",
	calibrate.ModelSBG: "sBG", calibrate.ModelTenure: "hazard by tenure"}

// writeTenureFit writes the hazard by tenure, or why it was not fitted.
func writeTenureFit(w io.Writer, ch calibrate.ChurnFit) {
	f := ch.Tenure
	if f == nil {
		fmt.Fprintf(w, "  by tenure     not fitted: %s\n", ch.TenureNote)
		return
	}
	u := periodUnit(ch)
	fmt.Fprintf(w, "  by tenure     %s 1 to %d from Kaplan-Meier (%.2f%% to %.2f%%), then %.2f%% a %s; log-likelihood %.2f, AIC %.2f\n",
		u, f.Data, 100*slices.Min(f.Periods[:f.Data]), 100*slices.Max(f.Periods[:f.Data]), 100*f.Tail(), u, f.LogLik, f.AIC)
}

// writeMovements writes a segment's upsell, contraction and new accounts.
func writeMovements(w io.Writer, s calibrate.SegmentFit) {
	for _, m := range []struct {
		name string
		f    calibrate.MovementFit
	}{{"upsell", s.Upsell}, {"contraction", s.Contract}} {
		if m.f.Events == 0 {
			fmt.Fprintf(w, "  %-13s none in %d opportunities\n", m.name, m.f.Opportunities)
			continue
		}
		fmt.Fprintf(w, "  %-13s %s: %d of %d opportunities (%.2f%% ± %.2f%%), median size %.1f%% of MRR, p90 %.1f%%\n",
			m.name, m.f.Cadence, m.f.Events, m.f.Opportunities, 100*m.f.Probability.Value, 100*m.f.Probability.SE, 100*m.f.Size.Median(), 100*m.f.Size.P90())
	}
	if s.NewAccounts > 0 {
		fmt.Fprintf(w, "  new accounts  %.2f ± %.2f a month; ACV median %.0f, p90 %.0f (lognormal, n %d)\n",
			s.NewPerMonth.Value, s.NewPerMonth.SE, s.NewACV.Median(), s.NewACV.P90(), s.NewACV.N)
	}
}

// periodUnit is the period a churn fit counts in: a month, or a year for
// 12-month terms.
func periodUnit(ch calibrate.ChurnFit) string { return calibrate.PeriodName(ch.Term) }

// gapText writes a model's largest gap to Kaplan-Meier, in points of
// retention, and whether it leaves Kaplan-Meier's 95 % band.
func gapText(g calibrate.KMGap, ch calibrate.ChurnFit) string {
	if g.Periods == 0 {
		return fmt.Sprintf("not measured (no %s has %d accounts at risk)", periodUnit(ch), calibrate.MinAtRisk)
	}
	if g.Max == 0 && !g.Outside {
		return "none (Kaplan-Meier itself over the data)"
	}
	s := fmt.Sprintf("%.1f points at %s %d", 100*g.Max, periodUnit(ch), g.At)
	if g.Outside {
		s += fmt.Sprintf(" (outside the 95 %% band at %s %d)", periodUnit(ch), g.OutAt)
	}
	return s
}
