package results

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The catalogue has each key once, and describes every metric fully.
func TestCatalogueIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, list := range [][]Quantity{Metrics, Series} {
		for _, q := range list {
			if seen[q.Key] {
				t.Errorf("%s is in the catalogue twice", q.Key)
			}
			seen[q.Key] = true
			if q.Label == "" || q.Noun == "" || q.Short == "" || q.Title == "" || q.Description == "" {
				t.Errorf("%s: every word of its entry is needed: %+v", q.Key, q)
			}
		}
	}
	if q, ok := MetricByKey(CLVPrefix + "enterprise"); !ok || q.Unit != Money {
		t.Errorf("a segment's CLV is not described as the CLV")
	}
	for _, k := range []string{CSCostTotal, AcquisitionCostTotal, RetentionCostRatio} {
		if HigherIsBetter(k) {
			t.Errorf("%s: more cost is better", k)
		}
	}
}

// No metric is named by a string literal outside the catalogue: every
// package refers to the constants, so a metric renamed or described anew
// changes in one place. Series keys are checked in the packages that
// make and render results (sim, results, report); elsewhere the same words
// name other things (history columns, KPIs). A literal that only looks like a
// key says so in a comment on its line ("not the metric").
func TestMetricNamesOnlyInTheCatalogue(t *testing.T) {
	metrics, series := map[string]bool{}, map[string]bool{}
	for _, q := range Metrics {
		metrics[q.Key] = true
	}
	for _, q := range Series {
		series[q.Key] = true
	}
	root := ".."
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "catalogue.go") {
			return nil
		}
		seriesToo := false
		for _, dir := range []string{"report", "results", "sim"} {
			if strings.HasPrefix(filepath.ToSlash(path), "../"+dir+"/") {
				seriesToo = true
			}
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		allowed := map[int]bool{}
		for _, cg := range f.Comments {
			if strings.Contains(cg.Text(), "not the metric") {
				allowed[fset.Position(cg.Pos()).Line] = true
			}
		}
		found++
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Field:
				return n.Tag == nil // struct tags name YAML fields
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "name" {
					return false // a chart's file name
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				line := fset.Position(n.Pos()).Line
				if err != nil || allowed[line] {
					return true
				}
				if metrics[s] || (seriesToo && series[s]) {
					t.Errorf("%s:%d: %q named by a literal; use the catalogue's constant", path, line, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("read %d Go files: the test does not see the repository", found)
	}
}
