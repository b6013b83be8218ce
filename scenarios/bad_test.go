package scenarios

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files (testdata/bad/*.want) from the loader's output")

// badCases is the catalogue of broken scenarios: testdata/bad/NAME.yaml must
// fail to load with exactly the errors in testdata/bad/NAME.want. Each entry
// says what is wrong, so a reader of the golden file knows what the message
// has to explain.
var badCases = []struct{ name, why string }{
	// YAML syntax
	{"tab-indent", "a tab in the indentation, which YAML forbids"},
	{"yaml-unclosed-brace", "a flow mapping missing its closing brace"},
	{"yaml-bad-indent", "a key indented one space too far"},
	{"yaml-unclosed-quote", "a quoted string that never ends"},
	{"yaml-unclosed-list", "a flow list missing its closing bracket"},
	{"unknown-anchor", "an alias naming no anchor"},
	{"multiple-documents", "a second document after ---"},
	{"merge-key", "a YAML merge key (<<), which the format does not support"},
	{"empty", "an empty file"},
	{"only-comments", "a file with nothing but comments"},
	{"top-level-list", "the document is a list, not a mapping"},
	{"yaml-tab-before-dash", "a tab before \"- \", which used to suggest quoting @"},
	{"yaml-tab-after-dash", "a tab right after \"- \", which still suggested quoting @"},
	{"not-utf8", "a file saved as Latin-1, which used to get no hint to save it as UTF-8"},
	{"include-tag", "segments: !include segments.yaml, read as the text segments.yaml"},
	{"tag-in-option", "a local tag (!env) in an option's value"},

	// wrong types
	{"accounts-not-a-number", "text where a count is expected"},
	{"accounts-fraction", "a fraction where a whole number is expected"},
	{"acv-percent", "a percentage where money is expected"},
	{"segments-mapping", "segments written as a mapping instead of a list"},
	{"team-list", "a list where a mapping is expected"},
	{"money-with-commas", "12,000 written with a thousands separator"},
	{"distribution-without-name", "{mean, sd} without the distribution's name"},
	{"name-null", "name: Null, which YAML reads as no value (it said \"found nothing\")"},
	{"coverage-single-point", "a curve of one point (it said \"expected a list, found a list\")"},
	{"coverage-single-number", "a curve of one number"},

	// numbers out of range
	{"churn-negative", "a negative churn rate"},
	{"churn-over-100", "annual: 8 meant as 8%"},
	{"churn-150-percent", "a churn rate over 100%"},
	{"churn-nan", "churn given as .nan"},
	{"acv-inf", "ACV given as .inf"},
	{"beta-mean-inf", "an infinite parameter inside a distribution"},

	// unknown names
	{"unknown-field", "a misspelled field, with a suggestion"},
	{"unknown-field-prefix", "horizon for horizon_months"},
	{"unknown-field-in-distribution", "a misspelled parameter inside a distribution"},
	{"unknown-distribution", "a distribution csplan does not know"},
	{"misspelled-distribution", "betta for beta"},
	{"unknown-enum-value", "quartely for quarterly"},

	// duplicates
	{"duplicate-key", "the same field twice in a segment"},
	{"duplicate-acquisition-key", "the same segment twice under acquisition"},
	{"duplicate-segment-name", "two segments with one name"},
	{"segment-names-differ-in-case", "segments named Enterprise and \"enterprise \""},
	{"correlation-pair-twice", "one pair of inputs correlated twice, with ranks 0.5 and -0.5"},

	// missing fields
	{"missing-name", "no scenario name"},
	{"missing-start", "no start month"},
	{"missing-segments", "no segments"},
	{"empty-segments", "an empty segment list"},
	{"missing-segment-name", "a segment without a name"},
	{"missing-acv", "accounts without an ACV"},
	{"missing-accounts", "a segment with neither accounts nor accounts_file"},
	{"missing-upsell-size", "an upsell probability without a size"},
	{"start-bad-month", "month 13"},
	{"start-month-number", "start given as a month number"},
	{"start-year-too-early", "start 1027-01, a slip for 2027"},
	{"start-year-too-late", "start 9999-12, whose months would run into the year 10019"},
	{"plan-year-out-of-range", "a headcount step in 3027"},
	{"segment-name-with-dot", "a dot in a segment name, which option paths use"},
	{"acquisition-without-acv", "new logos in a segment with no ACV"},
	{"accounts-and-accounts-file", "both a count and an accounts file"},
	{"first-renewal-file-without-accounts-file", "first_renewal: file without an accounts file"},

	// impossible distributions
	{"beta-sd-too-large", "a beta sd too large for its mean"},
	{"beta-missing-sd", "a beta without an sd"},
	{"pert-mode-outside", "a PERT mode above max"},
	{"uniform-min-above-max", "a uniform with min above max"},
	{"lognormal-p90-below-median", "a lognormal p90 below the median"},
	{"normal-probability-unbounded", "a normal on a probability without min and max"},
	{"distribution-out-of-range", "a uniform churn reaching above 100%"},
	{"acv-normal-without-min", "a normal ACV that can go below 0"},
	{"empirical-empty", "an empirical distribution without values"},

	// options
	{"option-unknown-field", "an option path with a misspelled field"},
	{"option-unknown-segment", "an option on a segment that does not exist"},
	{"option-run-setting", "an option changing horizon_months"},
	{"option-wrong-type", "an option giving text for a headcount"},
	{"option-no-op", "an option setting the baseline's own value"},
	{"option-no-op-equivalent", "an option setting 0.08 where the baseline has 8%"},
	{"option-duplicate-name", "two options with one name"},
	{"option-named-baseline", "an option called Baseline"},
	{"option-missing-set", "an option without set"},
	{"option-empty-name", "an option named \"\""},
	{"option-path-twice", "one path set twice in an option"},
	{"option-conflicting-overrides", "team: {csms: 5} and team.csms: 6 in one option, whose result depended on their order"},
	{"option-conflicting-overrides-inner-first", "a churn rate, then the whole churn of its segment, in one option"},
	{"option-name-trailing-space", "options named \"A\" and \"A \""},
	{"option-names-differ-in-case", "options named alike but for case"},
	{"option-named-baseline-lowercase", "an option called \"baseline \""},
	{"option-inside-value", "an option path going inside a single value"},
	{"option-bad-distribution", "an option giving an impossible distribution"},
	{"option-churn-conflict", "an option adding an annual rate to sbg churn"},

	// run settings
	{"horizon-zero", "horizon_months: 0"},
	{"horizon-negative", "a negative horizon"},
	{"horizon-over-240", "a horizon over 20 years"},
	{"trials-over-max", "more than 10,000,000 trials"},

	// hostile input
	{"billion-laughs", "nested aliases expanding to billions of nodes"},
	{"billion-laughs-in-option", "nested aliases in an option's values"},
	{"alias-cycle", "an alias inside its own anchor"},

	// accounts files
	{"accounts-file-missing", "an accounts_file that does not exist"},
	{"accounts-file-bad-number", "a misspelled number in an accounts file"},
	{"accounts-file-column-count", "a row with too few columns"},
	{"accounts-file-unknown-column", "an accounts file column csplan does not know"},
	{"accounts-file-no-segment-rows", "an accounts file with a segment column but no row of the segment"},
	{"accounts-file-no-amount", "an accounts file without acv or mrr"},
	{"accounts-file-bad-quote", "a quote that never closes in an accounts file"},
	{"accounts-file-many-errors", "25 bad rows: the first 20 are shown"},
	{"accounts-file-binary", "a NUL byte on line 4 of an accounts file, read as text"},
	{"accounts-file-utf16", "an accounts file saved as UTF-16, with no hint to save it as UTF-8"},
	{"accounts-file-latin1", "an accounts file saved as Latin-1, whose names were read as they were"},
	{"accounts-file-long-column", "a header separated by semicolons, echoed whole in the unknown column message"},

	// rules across fields
	{"plan-before-start", "a headcount step before the start"},
	{"plan-after-horizon", "a headcount step after the horizon"},
	{"plan-out-of-order", "headcount steps out of time order"},
	{"coverage-not-monotone", "a churn multiplier that rises with coverage"},
	{"coverage-outside-0-1", "coverage points beyond 1"},
	{"coverage-x-not-increasing", "coverage points out of order"},
	{"attrition-load-start", "a load curve starting below load 1, and a range that can fall below the point before"},
	{"pools-wrong", "pools naming an unknown segment, one segment twice and not another, a pool without csms, csms beside pools, a pool of pools, and a pool's own attrition_load"},
	{"price-months-not-a-multiple", "price increases every 18 months on 12-month terms, between renewals"},
	{"billing-not-a-divisor", "annual upfront bills on a 1-month contract: a bill would run past renewals"},
	{"handoff-multipliers-reversed", "a hand-off churn of 20% (meant +20%) and an upsell multiplier above 1"},
	{"handoff-longer-than-horizon", "a hand-off window of 24 months in a 12-month horizon"},
	{"coverage-ranges-cross", "an uncertain churn multiplier whose range can fall below the next point's"},
	{"coverage-unbounded-range", "an uncertain multiplier without a lower bound (a normal without min)"},
	{"coverage-range-no-ceiling", "an upsell multiplier at no coverage with no ceiling (a lognormal), and a distribution in the valuation table"},
	{"contraction-over-100", "a contraction that can remove more than the contract"},
	{"dcf-growth-above-discount", "a Gordon terminal growth above the discount rate"},
	{"correlation-unknown-input", "a correlation naming an input that does not exist"},
	{"correlation-fixed-input", "a correlation naming a fixed input"},
	{"correlation-not-psd", "three correlations no joint distribution can have"},
	{"churn-annual-and-sbg", "churn given both as annual and as sbg"},
	{"churn-by-tenure-bad", "churn by tenure: probabilities out of range and a zero scale"},
	{"churn-by-tenure-empty", "churn by tenure: an empty table, and given beside a rate"},
	{"optimize-bad", "an optimize section: an unknown objective and statistic, ranges the wrong way round, unknown paths and values, values and a range both and neither, constraints with two bounds, none, an unknown metric and a probability of 0"},
	{"cac-ratio-and-per-logo", "CAC given both as a ratio and per logo"},
	{"acquisition-unknown-segment", "acquisition into a segment that does not exist"},
	{"several-errors", "several mistakes, all reported in line order"},
	{"upsell-size-without-percent", "an upsell size of 50 (5,000 %) meant as 50 %"},
	{"price-increase-without-percent", "a price increase of 5 (500 %) meant as 5 %"},
	{"price-increase-range-too-wide", "a price-increase range reaching 800 %"},
	{"dcf-discount-range-reaches-growth", "a discount-rate range whose low end is below terminal growth"},
	{"empty-name-bad-currency", "an empty scenario name and a currency that is not an ISO code"},
	{"amounts-too-large", "an ACV and a meeting count of 1e300, which would overflow"},

	// work and growth bounded (issue 22, items 6 and 16)
	{"acquisition-per-month-huge", "1e9 new logos a month over 240 months: one trial ran for over 10 CPU-minutes"},
	{"acquisition-growth-compounds", "new logos growing tenfold a year for 20 years"},
	{"referrals-exponential", "10 referrals per advocate a year at 100% conversion, growing the book exponentially"},
	{"trial-work-too-large", "two segments of 10,000,000 accounts over 240 months: minutes a trial"},
	{"option-per-month-huge", "an option raising new logos to 1e9 a month"},
	{"acv-lognormal-p90-huge", "a lognormal ACV with p90 1e15: expected ARR $2.5e67B, then json: unsupported value +Inf"},
	{"acv-lognormal-mean-overflows", "a lognormal ACV whose 99.9th percentile is modest but whose mean overflows"},
	{"per-month-lognormal-huge", "new logos a month drawn from a lognormal reaching far past 1e9"},
	{"book-arr-too-large", "an opening book of 10,000,000 accounts at $1B, an expected ARR of 1e16"},
	{"upsell-compounds", "an upsell of 50% every month at 100% for 240 months: the run ended json: unsupported value: +Inf"},
	{"price-increase-compounds", "a price increase of 100% every month for 240 months, compounding past any company's ARR"},
}

// slowLoad is far more than a bad file should take even under -race; a
// loader that expands aliases or reads a huge file in full takes much longer.
const slowLoad = 5 * time.Second

func TestBadScenarios(t *testing.T) {
	dir := filepath.Join("testdata", "bad")
	listed := map[string]bool{}
	for _, c := range badCases {
		if listed[c.name] {
			t.Errorf("case %s is listed twice", c.name)
		}
		listed[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".yaml")
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("%s (%s): %v", c.name, c.why, err)
			}
			start := time.Now()
			_, err := Load(path)
			if d := time.Since(start); d > slowLoad {
				t.Errorf("%s (%s): loading took %v", c.name, c.why, d)
			}
			if err == nil {
				t.Fatalf("%s (%s): loaded without error", c.name, c.why)
			}
			golden(t, filepath.Join(dir, c.name+".want"), err.Error()+"\n")
		})
	}
	// Every fixture is in the table, so none is silently skipped.
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".yaml"); !listed[name] {
			t.Errorf("%s is not in badCases", f)
		}
	}
}

// golden compares got with the file at path, rewriting it under -update and
// writing got next to it as .got on a mismatch.
func golden(t *testing.T, path, got string) {
	t.Helper()
	gotPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".got"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(gotPath)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -run TestBadScenarios -update to create it)", err)
	}
	if got != string(want) {
		os.WriteFile(gotPath, []byte(got), 0o644)
		t.Errorf("errors differ from %s (got written to %s)\ngot:\n%s\nwant:\n%s", path, gotPath, got, want)
		return
	}
	os.Remove(gotPath)
}

// TestHugeFile checks a 50 MB scenario is refused at once without being read
// in full. The file is made at run time: it does not belong in the repository.
func TestHugeFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "huge.yaml")
	line := []byte("# padding padding padding padding padding padding padding padding\n")
	data := append([]byte("name: Huge\nstart: 2027-01\n"), bytes.Repeat(line, 50<<20/len(line))...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := Load(path)
	if d := time.Since(start); d > slowLoad {
		t.Errorf("loading a 50 MB file took %v", d)
	}
	want := path + ": the file is larger than 10 MiB; a scenario is a hand-written file (is this the right file?)"
	if err == nil || err.Error() != want {
		t.Errorf("Load(50 MB file) = %v, want %s", err, want)
	}
	if _, err := Parse("huge.yaml", data, nil); err == nil || !strings.Contains(err.Error(), "larger than 10 MiB") {
		t.Errorf("Parse(50 MB) = %v, want a size error", err)
	}
}

// TestAccountsFileLongLine checks an accounts file of one line of 2 MiB
// (its line ends lost) is refused at that line, without echoing it, and
// a NUL byte past the first 8 KiB at its line.
func TestAccountsFileLongLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	scenario := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(scenario, []byte("name: Long line\nstart: 2027-01\nsegments:\n  - name: smb\n    accounts_file: a.csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "a%d,12000\n", i+10)
	}
	rows := b.String()
	for _, c := range []struct{ csv, want string }{
		{"id,acv\r" + strings.Repeat("a1,12000\r", 2<<20/9), filepath.Join(dir, "a.csv") + ":1:1: the line is longer than 1 MiB, more than any record: is this a CSV file with a line per record?"},
		{"id,acv\n" + rows + "a2,1\x0000\n", filepath.Join(dir, "a.csv") + ":1002:1: the file is not a CSV text file: this line holds a NUL byte, which is binary data (a spreadsheet such as .xlsx, a compressed file, or UTF-16 text?); export or save it as CSV UTF-8"},
	} {
		if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte(c.csv), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(scenario); err == nil || err.Error() != c.want {
			t.Errorf("Load = %.300v\nwant %s", err, c.want)
		}
	}
}

// TestLargeFileSyntaxError checks a syntax error at the end of a large file
// is placed without parsing the file a score of times.
func TestLargeFileSyntaxError(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("name: Large\nstart: 2027-01\nsegments:\n")
	lines := 3
	for ; b.Len() < 1<<20; lines++ {
		fmt.Fprintf(&b, "  - {name: s%d, accounts: 1, acv: 1k}\n", lines)
	}
	b.WriteString("team:\n  csms: 3\n\tproductivity: 70%\n")
	start := time.Now()
	_, err := Parse("large.yaml", []byte(b.String()), nil)
	if d := time.Since(start); d > 4*slowLoad {
		t.Errorf("reporting took %v", d)
	}
	want := fmt.Sprintf("large.yaml:%d:1: invalid YAML: found a tab character that violates indentation; indent with spaces, not tabs", lines+3)
	if err == nil || err.Error() != want {
		t.Errorf("Parse = %v, want %s", err, want)
	}
}

// TestTooManyOverrides checks that options which would take minutes to check
// (each override decodes the whole scenario) are refused at once.
func TestTooManyOverrides(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("name: Many overrides\nstart: 2027-01\nsegments:\n  - name: smb\n    accounts: 100\n    acv: {empirical: [")
	for i := range 20_000 {
		fmt.Fprintf(&b, "%dk, ", 10+i%7)
	}
	b.WriteString("12k]}\nteam: {csms: 1}\noptions:\n")
	for i := range 600 {
		fmt.Fprintf(&b, "  - {name: option %d, set: {team.csms: %d}}\n", i, i+2)
	}
	start := time.Now()
	_, err := Parse("many.yaml", []byte(b.String()), nil)
	if d := time.Since(start); d > slowLoad {
		t.Errorf("refusing took %v", d)
	}
	want := "many.yaml:9:3: options: checking 600 options with 600 overrides in all would decode this scenario of 24,223 values 1200 times, too many; use fewer options or overrides, or a smaller file"
	if err == nil || err.Error() != want {
		t.Errorf("Parse = %v, want %s", err, want)
	}
}

// A value given on the command line (sweep --set) that is wrong is blamed
// on --set, not on the file, which has no such line.
func TestOverrideErrorsNameTheCommandLine(t *testing.T) {
	s, err := Parse("base.yaml", []byte("name: Base\nstart: 2027-01\nsegments:\n  - name: smb\n    accounts: 100\n    acv: 12k\nteam: {csms: 3}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, c := range map[string]struct{ value, want string }{
		"team.csms":                   {"-1", `base.yaml with --set: team.csms: expected a whole number from 0 to 100,000, found "-1"`},
		"segments.smb.price_increase": {"5", "base.yaml with --set: segments[0].price_increase: expected at most 100% at one renewal, found 500% (did you mean 5%?)"},
		"team.cms":                    {"3", `base.yaml with --set: team.cms: unknown path: team has no field "cms" (did you mean "csms"?)`},
	} {
		if _, err := s.Override(map[string]string{path: c.value}); err == nil || err.Error() != c.want {
			t.Errorf("--set %s=%s: %v\nwant %s", path, c.value, err, c.want)
		}
	}
}
