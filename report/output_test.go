package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// leftovers lists the files in dir other than the named ones: temporary
// files an output left behind.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		found := false
		for _, k := range keep {
			found = found || e.Name() == k
		}
		if !found {
			out = append(out, e.Name())
		}
	}
	return out
}

func writeOld(t *testing.T) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "report.md")
	if err := os.WriteFile(path, []byte("previous report\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Until Close, the final name holds the previous file, whole; Close
// replaces it in one rename.
func TestOutputReplacesInOneStep(t *testing.T) {
	dir, path := writeOld(t)
	out, err := OpenOutput(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(out, "new report, first half; ")
	if got := mustRead(t, path); got != "previous report\n" {
		t.Errorf("while writing, the final name holds %q", got)
	}
	fmt.Fprint(out, "second half\n")
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if got := mustRead(t, path); got != "new report, first half; second half\n" {
		t.Errorf("after Close: %q", got)
	}
	if left := leftovers(t, dir, "report.md"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if err := out.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// failingWriter fails after n bytes, as a full disk does mid-way.
type failingWriter struct {
	w io.Writer
	n int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, syscall.ENOSPC
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// A writer that fails mid-way (a full disk) leaves the previous file whole
// under its name, and no temporary file.
func TestOutputWriterFailsMidway(t *testing.T) {
	for _, format := range []string{"markdown", "json", "timeline"} {
		t.Run(format, func(t *testing.T) {
			dir, path := writeOld(t)
			out, err := OpenOutput(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			out.Writer = &failingWriter{w: out.Writer, n: 300}
			a, fs := poolAnalysis()
			switch format {
			case "markdown":
				err = WriteMarkdown(out, a, fs, MarkdownOptions{})
			case "json":
				err = writeAnalysisDoc(out, BuildAnalysis(a, fs))
			case "timeline":
				err = WriteTimelineJSON(out, BuildTimeline(a))
			}
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("write error %v, want ENOSPC", err)
			}
			out.Discard()
			if got := mustRead(t, path); got != "previous report\n" {
				t.Errorf("after a failed write the final name holds %d bytes: %.80q", len(got), got)
			}
			if left := leftovers(t, dir, "report.md"); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// Two writers at once never interleave: the file ends up as one of them,
// whole.
func TestOutputConcurrentWriters(t *testing.T) {
	dir, path := writeOld(t)
	var wg sync.WaitGroup
	bodies := []string{strings.Repeat("A", 1<<16) + "\n", strings.Repeat("B", 1<<16) + "\n"}
	for _, body := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := OpenOutput(path, nil)
			if err != nil {
				t.Error(err)
				return
			}
			for i := 0; i < len(body); i += 4096 {
				io.WriteString(out, body[i:min(i+4096, len(body))])
				time.Sleep(time.Millisecond)
			}
			if err := out.Close(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := mustRead(t, path); got != bodies[0] && got != bodies[1] {
		t.Errorf("the two writers interleaved: %d bytes, %d A, %d B", len(got), strings.Count(got, "A"), strings.Count(got, "B"))
	}
	if left := leftovers(t, dir, "report.md"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestHelperHalfWrite is not a test: run by TestOutputKilled in a child
// process, it writes half a report to $LOGCORR_HALF_WRITE and waits to be
// killed.
func TestHelperHalfWrite(t *testing.T) {
	path := os.Getenv("LOGCORR_HALF_WRITE")
	if path == "" {
		t.Skip("helper process for TestOutputKilled")
	}
	out, err := OpenOutput(path, nil)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Fprint(out, "half a report")
	fmt.Println("ready")
	time.Sleep(time.Minute)
	os.Exit(3)
}

// A process killed while writing (SIGKILL, or Ctrl-C) leaves the previous
// file whole under its name; on Ctrl-C or SIGTERM it also removes its
// temporary file.
func TestOutputKilled(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir, path := writeOld(t)
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHalfWrite$", "-test.count=1")
			cmd.Env = append(os.Environ(), "LOGCORR_HALF_WRITE="+path)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, _ := bufio.NewReader(stdout).ReadString('\n')
			if strings.TrimSpace(line) != "ready" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("helper said %q", line)
			}
			cmd.Process.Signal(sig)
			cmd.Wait()
			if got := mustRead(t, path); got != "previous report\n" {
				t.Errorf("after %v the final name holds %q", sig, got)
			}
			left := leftovers(t, dir, "report.md")
			if sig != syscall.SIGKILL && len(left) > 0 {
				t.Errorf("after %v temporary files are left: %v", sig, left)
			}
			t.Logf("%v: final name intact; left behind: %v", sig, left)
		})
	}
}
