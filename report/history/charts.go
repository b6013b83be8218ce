package history

import (
	"csplan/report"
	"csplan/scenarios/calibrate"
)

// KPICharts draws the charts of csplan kpi and passes each to write: NRR
// and GRR over trailing 12 months, when the history is long enough for
// any. source names the history in the footnote.
func KPICharts(h *calibrate.History, source string, write func(report.Chart) error) error {
	months, nrr, grr, window := calibrate.TrailingRetention(h)
	if len(months) == 0 {
		return nil
	}
	ch, err := report.RetentionTrendChart(report.RetentionTrend{Source: source, Start: months[0].String(), NRR: nrr, GRR: grr, Window: window})
	if err != nil {
		return err
	}
	return write(ch)
}

// CalibrationCharts draws the charts of csplan calibrate and passes each
// to write, one at a time: each segment's retention by tenure against its
// fits (where it has a curve), and for a history (fromHistory) the Pareto
// of accounts by MRR, with touch tiers unless MRR is spread too evenly
// for them (flatMRR).
func CalibrationCharts(c *calibrate.Calibration, source string, fromHistory bool, write func(report.Chart) error) error {
	for _, s := range c.Segments {
		if ch, err := report.RetentionChart(retentionFit(source, s)); err == nil {
			if err := write(ch); err != nil {
				return err
			}
		}
	}
	if !fromHistory || len(c.Pareto.MRR) == 0 {
		return nil
	}
	p := c.Pareto
	in := report.ParetoBook{Source: source, Month: p.Month.String(), MRR: p.MRR}
	for _, t := range p.Tiers {
		in.Tiers = append(in.Tiers, report.ParetoTier{Name: t.Name, Accounts: t.Accounts, Share: t.Share})
	}
	if flatMRR(p) {
		in.Tiers = nil
	}
	ch, err := report.ParetoChart(in)
	if err != nil {
		return err
	}
	return write(ch)
}

// retentionFit is a segment's retention by tenure, Kaplan-Meier and the
// fitted models, as the retention chart takes it.
func retentionFit(source string, s calibrate.SegmentFit) report.RetentionFit {
	ch := s.Churn
	r := report.RetentionFit{Source: source, Segment: s.Name, Unit: periodUnit(ch), Known: ch.Observed}
	for i, p := range ch.KM {
		// Periods with few accounts at risk say little: two accounts
		// that left at month 36 drew a two-year book's retention to 0.
		if i > 1 && p.AtRisk < calibrate.MinAtRisk {
			r.Thin, r.MinAtRisk = len(ch.KM)-i, calibrate.MinAtRisk
			break
		}
		r.KM, r.Lower, r.Upper = append(r.KM, p.Survival), append(r.Lower, p.Lower), append(r.Upper, p.Upper)
	}
	n := len(r.KM) - 1
	if ch.SBG != nil {
		m := report.RetentionModel{Name: "sBG fit", Chosen: ch.Chosen == calibrate.ModelSBG}
		for t := 0; t <= n; t++ {
			m.Survival = append(m.Survival, ch.SBG.Survival(t))
		}
		r.Models = append(r.Models, m)
	}
	if f := ch.Tenure; f != nil {
		m := report.RetentionModel{Name: "Hazard by tenure", Chosen: ch.Chosen == calibrate.ModelTenure}
		for t := 0; t <= n; t++ {
			m.Survival = append(m.Survival, f.Survival(t))
		}
		r.Models = append(r.Models, m)
	}
	if p := ch.Const.P.Value; p == p {
		m := report.RetentionModel{Name: "Constant rate", Chosen: ch.Chosen == calibrate.ModelConstant}
		s := 1.0
		for t := 0; t <= n; t++ {
			m.Survival = append(m.Survival, s)
			s *= 1 - p
		}
		r.Models = append(r.Models, m)
	}
	return r
}
