package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeterminismAcrossProcesses runs the built binary in separate
// processes under different GOMAXPROCS and TZ values, twice each: the
// reports (analyze in every format; compare, timeline and report weekly
// when present) must be byte-identical. Map order, goroutine scheduling and the
// machine's zone are the usual sources of drift; a subprocess is the only
// way to vary GOMAXPROCS at start-up and TZ before the runtime reads it.
func TestDeterminismAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it 48+ times")
	}
	inputs := []struct{ name, dir string }{
		{"samples/pool-exhaustion", filepath.Join("..", "..", "samples", "pool-exhaustion")},
		{"corpus/stack/pool_exhaustion", filepath.Join("..", "..", "..", "shared", "corpus", "stack", "pool_exhaustion")},
	}
	bin := filepath.Join(t.TempDir(), "logcorr")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	envs := [][]string{}
	for _, procs := range []string{"1", "2"} {
		for _, tz := range []string{"UTC", "Asia/Makassar"} {
			envs = append(envs, []string{"GOMAXPROCS=" + procs, "TZ=" + tz})
		}
	}
	base := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOMAXPROCS=") && !strings.HasPrefix(kv, "TZ=") && !strings.HasPrefix(kv, "NO_COLOR=") {
			base = append(base, kv)
		}
	}
	for _, in := range inputs {
		if _, err := os.Stat(in.dir); err != nil {
			t.Logf("skipping %s: %v", in.name, err)
			continue
		}
		cmds := [][]string{
			{"analyze", "--format", "json", "--fail-on", "none", "--min-parsed", "0"},
			{"analyze", "--format", "markdown", "--fail-on", "none", "--min-parsed", "0"},
			{"analyze", "--format", "text", "--fail-on", "none", "--min-parsed", "0"},
			{"analyze", "--format", "html", "--fail-on", "none", "--min-parsed", "0"},
		}
		// The commands added later, when present.
		later := map[string][]string{
			"compare":  {"compare", "--format", "json", "--min-parsed", "0"},
			"timeline": {"timeline", "--format", "json"},
			"report":   {"report", "weekly"},
		}
		for _, name := range []string{"compare", "timeline", "report"} {
			if commandsPresent()[name] {
				cmds = append(cmds, later[name])
			}
		}
		for _, args := range cmds {
			name := strings.Join(args[:min(3, len(args))], "_")
			args := append(append([]string(nil), args...), in.dir)
			t.Run(in.name+"/"+name, func(t *testing.T) {
				var first []byte
				var firstEnv string
				for _, env := range envs {
					for rep := 0; rep < 2; rep++ {
						cmd := exec.Command(bin, args...)
						cmd.Env = append(append([]string(nil), base...), env...)
						var stdout, stderr bytes.Buffer
						cmd.Stdout, cmd.Stderr = &stdout, &stderr
						if err := cmd.Run(); err != nil {
							if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == exitUsage {
								t.Fatalf("%v %v: %v\n%s", env, args, err, stderr.String())
							}
						}
						label := fmt.Sprintf("%s run %d", strings.Join(env, " "), rep+1)
						if first == nil {
							first, firstEnv = stdout.Bytes(), label
							if len(first) == 0 {
								t.Fatalf("%s: empty output", label)
							}
							continue
						}
						if !bytes.Equal(first, stdout.Bytes()) {
							t.Errorf("%s differs from %s:\n%s", label, firstEnv, firstDiff(first, stdout.Bytes()))
						}
					}
				}
			})
		}
	}
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  - %.300s\n  + %.300s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d vs %d lines", len(la), len(lb))
}

// TestNoClockInOutputPath: nothing between discovery and the report may
// read the machine's clock or zone; a report must not carry a generation
// time, or two runs over the same input would differ. This scans the
// non-test Go files of every stage for time.Now, time.Since, time.Until
// and time.Local.
func TestNoClockInOutputPath(t *testing.T) {
	banned := map[string]bool{"Now": true, "Since": true, "Until": true, "Local": true}
	pkgs := []string{"parsers", "correlate", "rules", "report", "redact", filepath.Join("cmd", "logcorr")}
	fset := token.NewFileSet()
	scanned := 0
	for _, pkg := range pkgs {
		dir := filepath.Join("..", "..", pkg)
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			scanned++
			// the local name of the "time" import (usually "time")
			timeName := ""
			for _, imp := range file.Imports {
				if imp.Path.Value == `"time"` {
					timeName = "time"
					if imp.Name != nil {
						timeName = imp.Name.Name
					}
				}
			}
			if timeName == "" {
				continue
			}
			ast.Inspect(file, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName && banned[sel.Sel.Name] {
					t.Errorf("%s: %s.%s: outputs must not depend on the machine's clock or zone", fset.Position(sel.Pos()), timeName, sel.Sel.Name)
				}
				return true
			})
		}
	}
	if scanned < 20 {
		t.Fatalf("scanned only %d files: wrong folder?", scanned)
	}
}
