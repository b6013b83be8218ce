package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"csplan/internal/signals"
)

// optimum is a small valid scenario the bad invocations run against.
const optimum = "../../testdata/sweep/optimum.yaml"

// badCase is one hostile or mistaken invocation of csplan (issue 22): the
// files it finds, its arguments, the exit code and what standard error
// must say. Nothing may be left in its directory but the files it was
// given, and it must answer at once: a refusal that reads a device or
// simulates first is a failure too.
type badCase struct {
	name  string
	files map[string]string // written in the case's directory first
	setup func(t *testing.T, dir string)
	args  []string // relative to that directory; optimum is made absolute
	code  int
	want  string // in standard error
}

// slowRefusal is far more than refusing a bad invocation takes.
const slowRefusal = 5 * time.Second

// The catalogue of bad invocations, by command.
var badInvocations = []badCase{
	// sweep ranges (item 5): NaN, infinities, huge and tiny steps.
	{name: "sweep from NaN", args: []string{"sweep", optimum, "--set", "team.csms=NaN..1", "-o", "out"}, code: exitUsage,
		want: `--set team.csms: range "NaN..1": expected FROM..TO[:STEP] with finite numbers, FROM ≤ TO and STEP > 0`},
	{name: "sweep to NaN", args: []string{"sweep", optimum, "--set", "team.csms=0..NaN", "-o", "out"}, code: exitUsage,
		want: `range "0..NaN": expected FROM..TO[:STEP] with finite numbers`},
	{name: "sweep step NaN", args: []string{"sweep", optimum, "--set", "team.csms=0..1:NaN", "-o", "out"}, code: exitUsage,
		want: `range "0..1:NaN": expected FROM..TO[:STEP] with finite numbers`},
	{name: "sweep to Inf", args: []string{"sweep", optimum, "--set", "team.csms=0..Inf", "-o", "out"}, code: exitUsage,
		want: `range "0..Inf": expected FROM..TO[:STEP] with finite numbers`},
	{name: "sweep from -Inf", args: []string{"sweep", optimum, "--set", "team.csms=-Inf..0", "-o", "out"}, code: exitUsage,
		want: `range "-Inf..0": expected FROM..TO[:STEP] with finite numbers`},
	{name: "sweep tiny step", args: []string{"sweep", optimum, "--set", "team.csms=0..1:1e-300", "-o", "out"}, code: exitUsage,
		want: `range "0..1:1e-300" has more than 1,000 points; give a larger STEP or a narrower range (at most 1,000 points)`},
	{name: "sweep huge range", args: []string{"sweep", optimum, "--set", "team.csms=0..1e300", "-o", "out"}, code: exitUsage,
		want: `range "0..1e300" has more than 1,000 points`},
	{name: "sweep range whose span overflows", args: []string{"sweep", optimum, "--set", "team.csms=-1e308..1e308:1e306", "-o", "out"}, code: exitUsage,
		want: `range "-1e308..1e308:1e306" has more than 1,000 points`},
	{name: "sweep to a word", args: []string{"sweep", optimum, "--set", "team.csms=1..many", "-o", "out"}, code: exitUsage,
		want: `expected FROM..TO[:STEP] with finite numbers`},
	{name: "sweep step lost in large numbers", args: []string{"sweep", optimum, "--set", "team.csms=1e17..1.0000000000000002e17:1", "-o", "out"}, code: exitUsage,
		want: `the step 1 is too small for numbers this large: points 1 and 2 would both be 100000000000000000; give a larger STEP`},
	{name: "sweep a range with a dash", args: []string{"sweep", optimum, "--set", "team.csms=5-14", "-o", "out"}, code: exitUsage,
		want: `csplan: --set team.csms: "5-14" is not a range: write FROM..TO[:STEP] with two dots, 5..14`},
	{name: "sweep a plan step of no month", args: []string{"sweep", optimum, "--set", "team.plan[2027-13].csms=5..6", "-o", "out"}, code: exitFailure,
		want: "team.plan[2027-13]: expected the step's month as YYYY-MM (e.g. 2027-04) or a month number from 1"},
	{name: "sweep a flow value left open", args: []string{"sweep", optimum, "--set", "team.plan=[{from: 3, csms: 5}", "-o", "out"}, code: exitUsage,
		want: "a bracket, brace or quote is not closed"},
	{name: "no --set", args: []string{"sweep", optimum, "-o", "out"}, code: exitUsage,
		want: "csplan: --set is needed once or twice, PATH=RANGE for each input a sweep varies; got 0"},

	// Files that are not regular files, or far too large (items 7 and 9):
	// refused before a byte is read, so none can block csplan.
	{name: "run a FIFO scenario", setup: fifo("s.yaml"), args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: "s.yaml: this is a named pipe (FIFO), not a regular file; csplan reads only regular files"},
	{name: "validate a FIFO scenario", setup: fifo("s.yaml"), args: []string{"validate", "s.yaml"}, code: exitFailure,
		want: "s.yaml: this is a named pipe (FIFO), not a regular file"},
	{name: "sweep a device as scenario", args: []string{"sweep", "/dev/zero", "--set", "team.csms=1..2", "-o", "out"}, code: exitFailure,
		want: "/dev/zero: this is a device, not a regular file; csplan reads only regular files, so that nothing can block it or feed it without end: give the path of the scenario"},
	{name: "run a FIFO accounts file", files: map[string]string{"s.yaml": fmt.Sprintf(accountsScenario, "pipe.csv", "pipe.csv")}, setup: fifo("pipe.csv"),
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: `s.yaml:7:20: segments[0].accounts_file: cannot read accounts file "pipe.csv": this is a named pipe (FIFO), not a regular file`},
	{name: "run /dev/zero as accounts file", files: map[string]string{"s.yaml": fmt.Sprintf(accountsScenario, "/dev/zero", "/dev/zero")},
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: `cannot read accounts file "/dev/zero": this is a device, not a regular file`},
	{name: "run a directory as accounts file", files: map[string]string{"s.yaml": fmt.Sprintf(accountsScenario, "d", "d"), "d/x": ""},
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: `cannot read accounts file "d": this is a directory, not an accounts file`},
	{name: "run an accounts file over 1 GiB", files: map[string]string{"s.yaml": fmt.Sprintf(accountsScenario, "big.csv", "big.csv")}, setup: sparse("big.csv", 1<<30+1),
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: `cannot read accounts file "big.csv": the file is larger than 1 GiB`},
	{name: "kpi of a FIFO history", setup: fifo("h.csv"), args: []string{"kpi", "h.csv"}, code: exitFailure,
		want: "h.csv: this is a named pipe (FIFO), not a regular file"},
	{name: "kpi of /dev/zero", args: []string{"kpi", "/dev/zero"}, code: exitFailure,
		want: "/dev/zero: this is a device, not a regular file"},
	{name: "kpi of a history over 2 GiB", setup: sparse("h.csv", 2<<30+1), args: []string{"kpi", "h.csv"}, code: exitFailure,
		want: "h.csv: the file is larger than 2 GiB; that is some 60 million rows"},
	{name: "kpi with FIFO costs", files: map[string]string{"h.csv": segmentHistory("smb")}, setup: fifo("c.csv"),
		args: []string{"kpi", "h.csv", "--costs", "c.csv"}, code: exitFailure, want: "c.csv: this is a named pipe (FIFO)"},
	{name: "kpi with costs over 10 MiB", files: map[string]string{"h.csv": segmentHistory("smb")}, setup: sparse("c.csv", 10<<20+1),
		args: []string{"kpi", "h.csv", "--costs", "c.csv"}, code: exitFailure, want: "c.csv: the file is larger than 10 MiB; CS costs have one row a month"},
	{name: "calibrate a FIFO history", setup: fifo("h.csv"), args: []string{"calibrate", "h.csv", "-o", "c.yaml"}, code: exitFailure,
		want: "h.csv: this is a named pipe (FIFO), not a regular file"},
	{name: "report of FIFO results", setup: fifo("results.json"), args: []string{"report", "results.json", "-o", "out"}, code: exitFailure,
		want: "results.json: this is a named pipe (FIFO), not a regular file"},
	{name: "merge a FIFO part", setup: fifo("part.csplan"), args: []string{"merge", "part.csplan", "-o", "out"}, code: exitFailure,
		want: "part.csplan: this is a named pipe (FIFO), not a regular file"},
	{name: "merge a device", args: []string{"merge", "/dev/zero", "-o", "out"}, code: exitFailure,
		want: "/dev/zero: this is a device, not a regular file"},

	// Dates (items 8 and 15): one range, 1900-01 to 2199-12, everywhere;
	// a row years away from the rest of a history is named, at once.
	{name: "kpi of a large history with a row in 2924", setup: largeHistory("h.csv", "2924-01"), args: []string{"kpi", "h.csv"}, code: exitFailure,
		want: `h.csv:200002: month "2924-01": year 2924 is out of range; write a month from 1900-01 to 2199-12`},
	{name: "kpi of a large history with a row in 2199", setup: largeHistory("h.csv", "2199-01"), args: []string{"kpi", "h.csv"}, code: exitFailure,
		want: "h.csv:200002: month 2199-01 is 174 years after the rest of the history (2024-01 to 2024-10, 200,000 rows), with no row between"},
	{name: "calibrate a large history with a row in 2199", setup: largeHistory("h.csv", "2199-01"), args: []string{"calibrate", "h.csv", "-o", "c.yaml"}, code: exitFailure,
		want: "h.csv:200002: month 2199-01 is 174 years after the rest of the history"},
	{name: "calibrate a history ending in 2199-12", files: map[string]string{"h.csv": "account_id,month,mrr\na,2199-11,100\na,2199-12,100\n"},
		args: []string{"calibrate", "h.csv", "-o", "c.yaml"}, code: exitFailure,
		want: "h.csv: the history ends in 2199-12, and the calibrated scenario would start the month after, 2200-01: year 2200 is out of range"},
	{name: "run starting in 9999-12", files: map[string]string{"s.yaml": "name: Far\nstart: 9999-12\nsegments: [{name: smb, accounts: 10, acv: 1k}]\n"},
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: `s.yaml:2:8: start: year 9999 is out of range; write a month from 1900-01 to 2199-12, found "9999-12"`},
	{name: "kpi costs in 1027", files: map[string]string{"h.csv": segmentHistory("smb"), "c.csv": "month,cost\n1027-01,100\n"},
		args: []string{"kpi", "h.csv", "--costs", "c.csv"}, code: exitFailure,
		want: `c.csv:2: month "1027-01": year 1027 is out of range; write a month from 1900-01 to 2199-12`},

	// Amounts (item 10): a comma separates thousands only.
	{name: "kpi of a history with a decimal comma", files: map[string]string{"h.csv": "account_id,month,mrr\na,2024-01,\"1,5\"\na,2024-02,\"1,200\"\n"},
		args: []string{"kpi", "h.csv"}, code: exitFailure,
		want: `h.csv:2: mrr "1,5": a comma separates thousands only, in groups of three digits after the first group (1,200,500 or 1,200.50); a decimal comma is not read (if the comma is a decimal point, write 1.5)`},
	{name: "kpi with costs in decimal commas", files: map[string]string{"h.csv": segmentHistory("smb"), "c.csv": "month,cost\n2024-01,\"1.200,50\"\n"},
		args: []string{"kpi", "h.csv", "--costs", "c.csv"}, code: exitFailure,
		want: `c.csv:2: cost "1.200,50": a comma separates thousands only`},

	// Costs (item 14): a month twice is an error, and a sum keeps the limit.
	{name: "kpi with a costs month twice", files: map[string]string{"h.csv": segmentHistory("smb"), "c.csv": "month,cost\n2024-03,100\n2024-03,200\n"},
		args: []string{"kpi", "h.csv", "--costs", "c.csv"}, code: exitFailure,
		want: "c.csv:3: month 2024-03 is given a second time (first on line 2); give one row per month, or pass --duplicates sum to add them up"},
	{name: "kpi summing costs past the limit", files: map[string]string{"h.csv": segmentHistory("smb"), "c.csv": "month,cost\n2024-03,1e12\n2024-03,1e12\n"},
		args: []string{"kpi", "h.csv", "--costs", "c.csv", "--duplicates", "sum"}, code: exitFailure,
		want: "c.csv:3: the costs of 2024-03 add up to 2,000,000,000,000 with this row (--duplicates sum), above 1,000,000,000,000 a month"},

	// Work (items 6 and 16): validation bounds the growth of a trial and
	// the work of a run, at once, where a trial used to run for minutes
	// and ignore Ctrl-C, or a run to end in json: unsupported value +Inf.
	{name: "run with a billion new logos a month", files: map[string]string{"s.yaml": hugeAcquisition},
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: "s.yaml:9:20: acquisition.smb.per_month: at up to 1e9 new logos a month"},
	{name: "sweep into a billion new logos a month", files: map[string]string{"s.yaml": strings.Replace(hugeAcquisition, "1e9", "10", 1)},
		args: []string{"sweep", "s.yaml", "--set", "acquisition.smb.per_month=10,1e9", "-o", "out"}, code: exitFailure,
		want: "s.yaml with --set: acquisition.smb.per_month: at up to 1e9 new logos a month"},
	{name: "run with exponential referrals", files: map[string]string{"s.yaml": "name: Referrals\nstart: 2027-01\nhorizon_months: 240\nsegments: [{name: smb, accounts: 100, acv: 12k}]\nsecond_order: {referrals_per_year: 10, referral_conversion: 100%}\n"},
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: "second_order.referrals_per_year: with each account bringing 0.168 new accounts a month"},
	{name: "run with an ACV whose p90 is 1e15", files: map[string]string{"s.yaml": "name: Huge ACV\nstart: 2027-01\nsegments: [{name: smb, accounts: 100, acv: {lognormal: {median: 1, p90: 1e15}}}]\n"},
		args: []string{"run", "s.yaml", "-o", "out"}, code: exitFailure,
		want: "segments[0].acv.lognormal: lognormal(median 1, p90 1e15) reaches 1.48e36 at its 99.9th percentile, but this field takes at most 1e15"},
	{name: "run of 2.4e15 account-months", files: map[string]string{"s.yaml": bigBook}, args: []string{"run", "s.yaml", "--trials", "10000000", "-o", "out"}, code: exitFailure,
		want: "this run asks for about 2.4e15 account-months: 10,000,000 trials × 1 model (options, sweep points or sensitivity runs) × about 2.4e8 account-months a trial, more than 1e14, days of computing; lower the trials"},
	{name: "run of 1.2e15 account-months in a shard", files: map[string]string{"s.yaml": bigBook}, args: []string{"run", "s.yaml", "--trials", "10000000", "--shard", "0/2", "-o", "out"}, code: exitFailure,
		want: "this run asks for about 1.2e15 account-months: 5,000,000 trials × 1 model"},
	{name: "sweep a path and a path inside it", args: []string{"sweep", optimum, "--set", "team.csms=1..2", "--set", "team={csms: 4}", "-o", "out"}, code: exitUsage,
		want: "--set team.csms lies inside team, which another --set sets whole, team.csms included: one would silently replace the other; sweep one of them"},
	{name: "sweep a plan step and the whole plan", args: []string{"sweep", optimum, "--set", "team.plan=[{from: 2027-04, csms: 9}]", "--set", "team.plan[2027-07].csms=5..6", "-o", "out"}, code: exitUsage,
		want: "--set team.plan[2027-07].csms lies inside team.plan, which another --set sets whole"},
	{name: "sweep a grid of 20,000 points", args: []string{"sweep", optimum, "--set", "team.csms=1..200", "--set", "team.loaded_cost=1000..100000:1000", "-o", "out"}, code: exitUsage,
		want: "--set gives a grid of 200 × 100 = 20,000 points, more than 10,000; give fewer values to one input or both (a larger STEP, a narrower range or a shorter list)"},
	{name: "sweep of 4.8e14 account-months", files: map[string]string{"s.yaml": bigBook}, args: []string{"sweep", "s.yaml", "--set", "team.csms=1..2", "--trials", "1000000", "-o", "out"}, code: exitFailure,
		want: "this run asks for about 4.8e14 account-months: 1,000,000 trials × 2 models"},
	{name: "validate a scenario of 2.4e15 account-months", files: map[string]string{"s.yaml": strings.Replace(bigBook, "horizon_months: 240", "horizon_months: 240\ntrials: 10000000", 1)},
		args: []string{"validate", "s.yaml"}, code: exitFailure,
		want: "s.yaml:4:9: trials: this run asks for about 2.4e15 account-months: 10,000,000 trials × 1 model"},
	{name: "sensitivity of 1.92e15 account-months", files: map[string]string{"s.yaml": strings.Replace(bigBook, "churn: {annual: 10%}", "churn: {annual: {uniform: {min: 5%, max: 15%}}}", 1)},
		args: []string{"sensitivity", "s.yaml", "--trials", "1000000", "-o", "out"}, code: exitFailure,
		want: "this run asks for about 1.92e15 account-months: 1,000,000 trials × 8 models"},

	// Flags (items 15 and 16): refused before any work, with exit 2.
	{name: "run --precision NaN", args: []string{"run", optimum, "--precision", "NaN", "-o", "out"}, code: exitUsage,
		want: `--precision: expected a share such as 0.5% or 0.005, found "NaN"`},
	{name: "run --precision Inf%", args: []string{"run", optimum, "--precision", "Inf%", "-o", "out"}, code: exitUsage,
		want: `--precision: expected a share such as 0.5% or 0.005, found "Inf%"`},
	{name: "run --precision-metric foo", args: []string{"run", optimum, "--precision", "1%", "--precision-metric", "foo", "-o", "out"}, code: exitUsage,
		want: `--precision-metric: unknown metric "foo" (use one of: arr_end, revenue_total, nrr_12m`},
	{name: "run --precision-metric foo without --precision", args: []string{"run", optimum, "--precision-metric", "foo", "-o", "out"}, code: exitUsage,
		want: `--precision-metric: unknown metric "foo" (use one of: arr_end`},
	{name: "run --breakeven-metric foo without --breakeven", args: []string{"run", optimum, "--breakeven-metric", "foo", "-o", "out"}, code: exitUsage,
		want: `--breakeven-metric: unknown metric "foo" (use one of: arr_end`},
	{name: "run --breakeven-metric without --breakeven", args: []string{"run", optimum, "--breakeven-metric", "arr_end", "-o", "out"}, code: exitUsage,
		want: "--breakeven-metric picks the metric of --breakeven, which is not asked for; add --breakeven, or leave it out"},
	{name: "run --breakeven-option without --breakeven", args: []string{"run", optimum, "--breakeven-option", "Cut 1 CSM", "-o", "out"}, code: exitUsage,
		want: "--breakeven-option picks the option of --breakeven, which is not asked for; add --breakeven, or leave it out"},
	// A break-even's option is found before the run, which here would take minutes.
	{name: "run --breakeven of an unknown option", files: map[string]string{"s.yaml": twoOptions}, args: []string{"run", "s.yaml", "--breakeven", "--breakeven-option", "Hire 40", "--trials", "10000000", "-o", "out"}, code: exitUsage,
		want: `unknown --breakeven-option "Hire 40" (use one of: "Cut 1 CSM", "Hire 1 CSM")`},
	{name: "run --breakeven of several options, none named", files: map[string]string{"s.yaml": twoOptions}, args: []string{"run", "s.yaml", "--breakeven", "--trials", "10000000", "-o", "out"}, code: exitUsage,
		want: `--breakeven-option is needed: the scenario has 2 options ("Cut 1 CSM", "Hire 1 CSM")`},
	{name: "run -j 0", args: []string{"run", optimum, "-j", "0", "-o", "out"}, code: exitUsage,
		want: "-j must be at least 1 (leave it out to use every core), got 0"},
	{name: "run -j -3", args: []string{"run", optimum, "-j", "-3", "-o", "out"}, code: exitUsage,
		want: "-j must be at least 1 (leave it out to use every core), got -3"},
	{name: "sweep -j 0", args: []string{"sweep", optimum, "--set", "team.csms=1..2", "-j", "0", "-o", "out"}, code: exitUsage,
		want: "-j must be at least 1 (leave it out to use every core), got 0"},
	{name: "run --seed 2^64-1", args: []string{"run", optimum, "--seed", "18446744073709551615", "-o", "out"}, code: exitUsage,
		want: "--seed must be from 0 to 9223372036854775807 (2^63 − 1), as the scenario's seed, got 18446744073709551615"},
	{name: "sensitivity --seed 2^63", args: []string{"sensitivity", optimum, "--seed", "9223372036854775808", "-o", "out"}, code: exitUsage,
		want: "--seed must be from 0 to 9223372036854775807 (2^63 − 1)"},
	{name: "help nope", args: []string{"help", "nope"}, code: exitUsage,
		want: `help: no command "nope" (use one of: backtest, breakeven, calibrate, completion, init, kpi, merge, optimize, report, run, schema, sensitivity, serve`},
	{name: "run -o a dangling link", setup: link("out", "nowhere"), args: []string{"run", optimum, "-o", "out"}, code: exitFailure,
		want: "-o out is a symbolic link to nowhere, which does not exist; create nowhere, or remove the link"},
	{name: "run -o inside a dangling link", setup: link("parts", "gone"), args: []string{"run", optimum, "-o", "parts/p1"}, code: exitFailure,
		want: "is a symbolic link to gone, which does not exist; create gone, or remove the link"},
	{name: "calibrate -o a dangling link", files: map[string]string{"h.csv": segmentHistory("smb")}, setup: link("c.yaml", "nowhere.yaml"),
		args: []string{"calibrate", "h.csv", "-o", "c.yaml", "--force"}, code: exitFailure,
		want: "-o c.yaml is a symbolic link to nowhere.yaml, which does not exist"},
}

func TestBadInvocations(t *testing.T) {
	abs, err := filepath.Abs(optimum)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tc := range badInvocations {
		if seen[tc.name] {
			t.Errorf("case %q is listed twice", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, t.TempDir(), tc.files)
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			before := tree(t, dir)
			t.Chdir(dir)
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, optimum, abs)
			}
			start := time.Now()
			type result struct {
				code   int
				stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, _, stderr := csplan(t, context.Background(), args...)
				done <- result{code, stderr}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(2 * slowRefusal):
				t.Fatalf("no answer after %v (blocked?)", 2*slowRefusal)
			}
			code, stderr := r.code, r.stderr
			if d := time.Since(start); d > slowRefusal {
				t.Errorf("took %v", d)
			}
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want %d; stderr:\n%s\nwant it to contain:\n%s", code, tc.code, stderr, tc.want)
			}
			if after := tree(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("left %v, had %v", after, before)
			}
		})
	}
}

// hugeAcquisition asks for a billion new logos a month for 20 years.
const hugeAcquisition = `name: A billion new logos a month
start: 2027-01
horizon_months: 240
segments:
  - name: smb
    accounts: 100
    acv: 12k
acquisition:
  smb: {per_month: 1e9}
`

// bigBook is a million accounts over 240 months: 2.4e8 account-months a
// trial, within the bound on a trial.
const bigBook = `name: A large book
start: 2027-01
horizon_months: 240
segments:
  - name: smb
    accounts: 1000000
    acv: 12k
    churn: {annual: 10%}
team: {csms: 10}
`

// twoOptions is a scenario with two options, whose run at 10,000,000
// trials takes minutes.
const twoOptions = `name: Two options
start: 2027-01
horizon_months: 36
segments:
  - name: smb
    accounts: 200
    acv: 12k
    churn: {annual: 10%}
team: {csms: 2}
options:
  - {name: Cut 1 CSM, set: {team.csms: 1}}
  - {name: Hire 1 CSM, set: {team.csms: 3}}
`

// link makes a symbolic link name to target in the case's directory.
func link(name, target string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// fifo makes a named pipe called name in the case's directory.
func fifo(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skip("no named pipes here:", err)
		}
	}
}

// sparse makes a file of size bytes, all zero and taking no space.
func sparse(name string, size int64) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		f, err := os.Create(filepath.Join(dir, name))
		if err == nil {
			err = f.Truncate(size)
			f.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// largeHistory writes a history of 20,000 accounts over 2024-01 to
// 2024-10 (200,000 rows) and then one row in month far.
func largeHistory(name, far string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		var b strings.Builder
		b.WriteString("account_id,month,mrr\n")
		for a := range 20_000 {
			for m := 1; m <= 10; m++ {
				fmt.Fprintf(&b, "a%d,2024-%02d,100\n", a, m)
			}
		}
		fmt.Fprintf(&b, "a1,%s,100\n", far)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzFlags gives every command's flags arbitrary values, with inputs
// that do not exist, so nothing runs: csplan must never panic, must refuse
// a bad value as a usage error (exit 2) before touching the inputs, and
// must create nothing. A value it accepts lets it go on to the inputs,
// and fail there (exit 1), naming them.
func FuzzFlags(f *testing.F) {
	for _, seed := range []struct {
		cmd                    uint8
		v1, v2, v3, v4, v5, v6 string
	}{
		{0, "1000", "7", "2", "0.5%", "arr_end", "0/2"},
		{0, "0", "18446744073709551615", "0", "NaN", "foo", "3/3"},
		{1, "team.csms=NaN..1", "valuation", "-3", "expected", "lhs", "x"},
		{1, "team.csms=0..1:1e-300", "happiness", "1", "monte-carlo", "random", "1/2"},
		{2, "mood", "10000001", "-1", "1", "sideways", "lhs"},
		{3, "week", "yaml", "maybe", "", "", ""},
		{4, "24", "0", "9999", "-1", "sum", ""},
		{5, "enterprise,mid-market,smb", "", "", "", "", ""},
		{5, "../x,=1+1,a.b, ,\x00", "", "", "", "", ""},
	} {
		f.Add(seed.cmd, seed.v1, seed.v2, seed.v3, seed.v4, seed.v5, seed.v6)
	}
	f.Fuzz(func(t *testing.T, cmd uint8, v1, v2, v3, v4, v5, v6 string) {
		dir := t.TempDir()
		missing, out := filepath.Join(dir, "missing"), filepath.Join(dir, "out")
		args := [][]string{
			{"run", missing, "-o", out, "--trials=" + v1, "--seed=" + v2, "-j=" + v3, "--precision=" + v4, "--precision-metric=" + v5, "--shard=" + v6},
			{"sweep", missing, "-o", out, "--set=" + v1, "--metric=" + v2, "-j=" + v3, "--mode=" + v4, "--sampling=" + v5, "--shard=" + v6},
			{"sensitivity", missing, "-o", out, "--metric=" + v1, "--trials=" + v2, "--seed=" + v3, "-j=" + v4, "--mode=" + v5, "--sampling=" + v6},
			{"kpi", missing, "-o", out, "--period=" + v1, "--format=" + v2, "--duplicates=" + v3, "--costs=" + missing},
			{"calibrate", missing, "-o", out, "--horizon=" + v1, "--trials=" + v2, "--periods=" + v3, "--term=" + v4, "--duplicates=" + v5},
			{"init", "--segments=" + v1},
		}[int(cmd)%6]
		code, _, stderr := csplan(t, context.Background(), args...)
		switch {
		case code == exitUsage:
		case code == exitFailure && strings.Contains(stderr, missing):
		case code == exitOK && args[0] == "init":
		default:
			t.Fatalf("%q: exit %d: %s", args, code, stderr)
		}
		if code != exitOK && stderr == "" {
			t.Fatalf("%q: exit %d without a message", args, code)
		}
		if got := tree(t, dir); len(got) != 0 {
			t.Fatalf("%q: left %v", args, got)
		}
	})
}

// Reading a history stops when the command is interrupted: kpi and
// calibrate on a large history return at once with exit 130, where kpi
// used to react to Ctrl-C after 17 s (issue 22, item 8).
func TestReadersStopWhenInterrupted(t *testing.T) {
	dir := t.TempDir()
	largeHistory("h.csv", "2024-11")(t, dir)
	t.Chdir(dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{{"kpi", "h.csv"}, {"calibrate", "h.csv", "-o", "c.yaml"}} {
		start := time.Now()
		code, stdout, stderr := csplan(t, ctx, args...)
		if code != signals.Interrupted || stdout != "" || time.Since(start) > time.Second {
			t.Errorf("%v: exit %d after %v, stdout %q, stderr %q", args, code, time.Since(start), stdout, stderr)
		}
	}
	if got := tree(t, dir); len(got) != 1 {
		t.Errorf("left %v", got)
	}
}
