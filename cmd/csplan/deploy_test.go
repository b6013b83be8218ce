package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

const deployDir = "../../deploy"

// job is the part of a Kubernetes Job manifest the recipe relies on.
type job struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Spec       struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Image        string   `yaml:"image"`
					Args         []string `yaml:"args"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name                  string `yaml:"name"`
					PersistentVolumeClaim *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func readJob(t *testing.T, name string) job {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, "kubernetes", name))
	if err != nil {
		t.Fatal(err)
	}
	var j job
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&j); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if j.APIVersion != "batch/v1" || j.Kind != "Job" || len(j.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%s: not a batch/v1 Job with one container", name)
	}
	if p := j.Spec.Template.Spec.RestartPolicy; p != "Never" && p != "OnFailure" {
		t.Errorf("%s: restartPolicy %q; a Job needs Never or OnFailure", name, p)
	}
	c := j.Spec.Template.Spec.Containers[0]
	mounted := false
	for _, m := range c.VolumeMounts {
		for _, v := range j.Spec.Template.Spec.Volumes {
			if v.Name == m.Name && m.MountPath == "/parts" && v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == "csplan-parts" {
				mounted = true
			}
		}
	}
	if !mounted {
		t.Errorf("%s: the parts volume (claim csplan-parts) is not mounted at /parts", name)
	}
	return j
}

// The manifests have what the engines require: an Indexed Job whose
// completions, parallelism and --shard agree, mapping the completion index
// to the shard and the part, and a merge Job reading every part.
func TestKubernetesManifests(t *testing.T) {
	shards := readJob(t, "shards.yaml")
	s := shards.Spec
	n := s.Completions
	if s.CompletionMode != "Indexed" || n < 1 || s.Parallelism < 1 || s.Parallelism > n {
		t.Fatalf("shards.yaml: completionMode %q, completions %d, parallelism %d", s.CompletionMode, n, s.Parallelism)
	}
	args := strings.Join(s.Template.Spec.Containers[0].Args, " ")
	for _, want := range []string{"run ", fmt.Sprintf("--shard=$(JOB_COMPLETION_INDEX)/%d", n), "-o=/parts/part-$(JOB_COMPLETION_INDEX)"} {
		if !strings.Contains(args, want) {
			t.Errorf("shards.yaml: args %q lack %q", args, want)
		}
	}
	merge := readJob(t, "merge.yaml")
	margs := merge.Spec.Template.Spec.Containers[0].Args
	want := []string{"merge"}
	for i := range n {
		want = append(want, fmt.Sprintf("/parts/part-%d", i))
	}
	if len(margs) < len(want) || strings.Join(margs[:len(want)], " ") != strings.Join(want, " ") {
		t.Errorf("merge.yaml: args %q, want them to start %q", margs, want)
	}
	var pvc struct {
		Kind     string                `yaml:"kind"`
		Metadata struct{ Name string } `yaml:"metadata"`
		Spec     struct {
			AccessModes []string `yaml:"accessModes"`
		} `yaml:"spec"`
	}
	data, _ := os.ReadFile(filepath.Join(deployDir, "kubernetes", "volume.yaml"))
	if err := yaml.Unmarshal(data, &pvc); err != nil || pvc.Kind != "PersistentVolumeClaim" || pvc.Metadata.Name != "csplan-parts" ||
		len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != "ReadWriteMany" {
		t.Errorf("volume.yaml: want the ReadWriteMany claim csplan-parts: %+v %v", pvc, err)
	}
}

// buildCsplan builds the command into a temporary directory (binDir,
// removed by TestMain), once.
var buildCsplan = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "csplan-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "csplan"), ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return dir, nil
})

// recipe is a scratch directory holding a scenario and the unsharded run's
// output, to compare a recipe's merged output with.
type recipe struct {
	t        *testing.T
	bin, dir string
	env      []string
}

const recipeTrials = "160"

func newRecipe(t *testing.T) *recipe {
	bin, err := buildCsplan()
	if err != nil {
		t.Fatal(err)
	}
	r := &recipe{t: t, bin: bin, dir: t.TempDir()}
	r.env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	data, err := os.ReadFile(acme)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(r.dir, "scenario"), 0o755)
	os.WriteFile(filepath.Join(r.dir, "scenario", "scenario.yaml"), data, 0o644)
	r.exec(nil, filepath.Join(bin, "csplan"), "run", "scenario/scenario.yaml", "--trials", recipeTrials, "--seed", "1", "-o", "full", "-q")
	return r
}

// exec runs a command in the recipe's directory as a local process.
func (r *recipe) exec(env []string, name string, args ...string) {
	r.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = r.dir, append(r.env, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func (r *recipe) check(out string) {
	r.t.Helper()
	sameFiles(r.t, filepath.Join(r.dir, "full"), filepath.Join(r.dir, out))
}

// The Indexed Job's own command lines, run as local processes (the
// completion index substituted, /parts and /scenario mapped to local
// directories, the trials cut), merge into the unsharded run.
func TestKubernetesRecipeRunsLocally(t *testing.T) {
	r := newRecipe(t)
	local := func(arg string) string {
		arg = strings.ReplaceAll(arg, "/parts/", "parts/")
		arg = strings.ReplaceAll(arg, "/scenario/", "scenario/")
		if strings.HasPrefix(arg, "--trials=") {
			arg = "--trials=" + recipeTrials
		}
		return arg
	}
	shards := readJob(t, "shards.yaml")
	var wg sync.WaitGroup
	for i := range shards.Spec.Completions {
		var args []string
		for _, a := range shards.Spec.Template.Spec.Containers[0].Args {
			args = append(args, local(strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))))
		}
		wg.Go(func() { r.exec(nil, filepath.Join(r.bin, "csplan"), args...) })
	}
	wg.Wait()
	var args []string
	for _, a := range readJob(t, "merge.yaml").Spec.Template.Spec.Containers[0].Args {
		args = append(args, local(a))
	}
	r.exec(nil, filepath.Join(r.bin, "csplan"), args...)
	r.check("parts/out")
}

// The Slurm scripts, run by bash as the array's tasks would run them.
func TestSlurmRecipeRunsLocally(t *testing.T) {
	r := newRecipe(t)
	script := filepath.Join(deployDir, "slurm", "shards.sbatch")
	data, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^#SBATCH --array=0-(\d+)$`).FindSubmatch(data)
	s := regexp.MustCompile(`(?m)^SHARDS=(\d+)`).FindSubmatch(data)
	if m == nil || s == nil {
		t.Fatal("shards.sbatch: no #SBATCH --array=0-N line or SHARDS=")
	}
	last, _ := strconv.Atoi(string(m[1]))
	if n, _ := strconv.Atoi(string(s[1])); n != last+1 {
		t.Fatalf("shards.sbatch: --array=0-%d but SHARDS=%d", last, n)
	}
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	env := []string{"SCENARIO=scenario/scenario.yaml", "TRIALS=" + recipeTrials, "SEED=1", "PARTS=parts", "OUT=out", "SLURM_CPUS_PER_TASK=1"}
	for i := 0; i <= last; i++ {
		r.exec(append(env, fmt.Sprintf("SLURM_ARRAY_TASK_ID=%d", i)), "bash", abs(script))
	}
	r.exec(env, "bash", abs(filepath.Join(deployDir, "slurm", "merge.sbatch")))
	r.check("out")
}

// The GNU parallel line, run as it is.
func TestParallelRecipeRunsLocally(t *testing.T) {
	if _, err := exec.LookPath("parallel"); err != nil {
		if os.Getenv("CSPLAN_SKIP_PARALLEL") != "" {
			t.Skip("GNU parallel is not installed")
		}
		t.Fatal("GNU parallel is not installed (apt-get install parallel; .ci/run does), or set CSPLAN_SKIP_PARALLEL=1")
	}
	r := newRecipe(t)
	script, _ := filepath.Abs(filepath.Join(deployDir, "parallel", "run.sh"))
	r.exec([]string{"SCENARIO=scenario/scenario.yaml", "TRIALS=" + recipeTrials, "SEED=1", "SHARDS=5", "PARTS=parts", "OUT=out"}, "bash", script)
	r.check("out")
}

var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}
