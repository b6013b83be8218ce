package results

// Optimize is what csplan optimize found: the best plan of the candidates
// it was given, how sure that is, and what binds it (optimize.json).
type Optimize struct {
	Scenario string `json:"scenario"`
	File     string `json:"scenario_file,omitempty"`
	Currency string `json:"currency,omitempty"`
	Start    string `json:"start,omitempty"` // first month, YYYY-MM
	// FiscalYearStart is the month, 1 to 12, the fiscal year starts in.
	FiscalYearStart int    `json:"fiscal_year_start,omitempty"`
	Seed            uint64 `json:"seed"`
	// Trials is the trials each finalist ran; Confidence the one-sided
	// confidence a constraint must hold with for a candidate to count
	// as feasible.
	Trials      int             `json:"trials"`
	Confidence  float64         `json:"confidence"`
	Objective   OptObjective    `json:"objective"`
	Variables   []OptVariable   `json:"variables"`
	Constraints []OptConstraint `json:"constraints,omitempty"`
	Candidates  []OptCandidate  `json:"candidates"` // every candidate, as the screen saw it
	Rounds      []OptRound      `json:"rounds"`     // the Monte Carlo rounds
	Finalists   []OptFinalist   `json:"finalists"`  // best first; today's plan among them
	Best        int             `json:"best"`       // in Finalists; -1 when none is feasible
	Today       int             `json:"today"`      // in Finalists
	RunnerUp    int             `json:"runner_up"`  // in Finalists; -1 when there is none
	Binding     []OptBinding    `json:"binding,omitempty"`
	// Closest, when no finalist is feasible, is the one that misses its
	// constraints by least (in Finalists); −1 otherwise.
	Closest int              `json:"closest"`
	Option  string           `json:"option,omitempty"` // the best plan as an option of the scenario, YAML
	Versus  map[string]OptVs `json:"versus,omitempty"` // the best against "today" and "runner_up"
	Version string           `json:"csplan_version,omitempty"`
}

// OptObjective is what the optimizer maximises or minimises: a metric's
// mean, or one of its percentiles (Statistic "p10").
type OptObjective struct {
	Metric    string `json:"metric"`
	Label     string `json:"label"`
	Maximize  bool   `json:"maximize"`
	Statistic string `json:"statistic"` // "mean", or "pNN"
}

// OptVariable is a decision: an input and the values it may take.
type OptVariable struct {
	Path   string   `json:"path"`
	Label  string   `json:"label"`
	Values []string `json:"values"` // as a scenario writes them
	// Names are the values as the answer shows them: the names of named
	// alternatives, or the values themselves.
	Names []string `json:"names"`
	Today string   `json:"today,omitempty"`
}

// OptConstraint is a condition a plan must meet: on a metric's mean
// (Probability 0), on the share of trials in which it holds (a chance
// constraint), or a budget: CS cost in every fiscal year at most Bound
// (Kind "budget"; a fiscal year the horizon cuts short at its share).
type OptConstraint struct {
	Kind        string  `json:"kind"` // "budget", "mean" or "chance"
	Metric      string  `json:"metric"`
	Label       string  `json:"label"`
	AtMost      bool    `json:"at_most"`
	Bound       float64 `json:"bound"`
	Probability float64 `json:"probability,omitempty"`
}

// OptCandidate is one combination of the variables' values, screened on
// its expected path.
type OptCandidate struct {
	Values    []string `json:"values"`
	Objective float64  `json:"objective"` // the metric on the expected path
	CSCost    float64  `json:"cs_cost"`   // over the horizon, on the expected path
	// Feasible on the expected path: budgets and constraints on means;
	// chance constraints wait for the Monte Carlo.
	Feasible bool `json:"feasible"`
	Misses   int  `json:"misses"` // the first constraint it misses there (in Constraints), −1 for none
	Today    bool `json:"today,omitempty"`
	Round    int  `json:"round"` // the last Monte Carlo round it ran in; −1: screened out
}

// OptRound is one round of successive halving: the candidates it ran, on
// trials 0 to Trials − 1, and how many it kept.
type OptRound struct {
	Trials     int `json:"trials"`
	Candidates int `json:"candidates"`
	Kept       int `json:"kept"`
}

// OptFinalist is a candidate that ran every trial.
type OptFinalist struct {
	Candidate int      `json:"candidate"` // in Candidates
	Values    []string `json:"values"`
	Objective Interval `json:"objective"` // the statistic and its 95 % interval
	CSCost    float64  `json:"cs_cost"`   // mean over the horizon
	// Checks are its constraints as the trials measured them, in the
	// order of Constraints.
	Checks   []OptCheck `json:"checks,omitempty"`
	Feasible bool       `json:"feasible"`
	Today    bool       `json:"today,omitempty"`
}

// Interval is an estimate with its 95 % interval.
type Interval struct {
	Value float64 `json:"value"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// OptCheck is one constraint of a finalist: the value measured (a mean, a
// share of trials, or the fiscal year's CS cost nearest its bound), its
// confidence bound, and whether it holds with the stated confidence.
type OptCheck struct {
	Value float64 `json:"value"`
	Bound float64 `json:"bound"` // the one-sided confidence bound of Value
	Holds bool    `json:"holds"`
	// Year names the fiscal year of a budget's Value (FY2028).
	Year string `json:"year,omitempty"`
}

// OptVs compares the best plan with another on the same trials: the mean
// of the difference of the objective's metric with its 95 % interval, and
// the share of trials in which the best is better.
type OptVs struct {
	Values   []string `json:"values"`
	MeanDiff Interval `json:"mean_diff"`
	PBetter  float64  `json:"p_better"`
}

// OptBinding is a constraint that decides the answer, and what relaxing
// it would buy. A budget: Step more a year would buy Gain more of the
// objective on the expected path, with the plan Values. A mean or chance
// constraint: it alone rules out the finalist Finalist (Values), whose
// objective is Gain better.
type OptBinding struct {
	Constraint int      `json:"constraint"` // in Constraints
	Step       float64  `json:"step,omitempty"`
	Gain       float64  `json:"gain"`
	Values     []string `json:"values"`
	Finalist   int      `json:"finalist"` // −1 for a budget
}
