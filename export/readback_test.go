package export

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/rules"
)

// The events' text is read back from the files by position (Input.Files)
// instead of kept by the parse: the dataset must be the same bytes as one
// written from a parse that kept every line, redacted or not.
func TestExportTextReadBack(t *testing.T) {
	cases := []struct {
		name     string
		paths    []string
		noRedact bool
	}{
		{"pool-exhaustion", samples(t, "pool-exhaustion"), false},
		{"many-runs", samples(t, "many-runs"), false},
		{"rate-limited and healthy", samples(t, "rate-limited", "healthy"), false},
		{"pool-exhaustion, secrets kept", samples(t, "pool-exhaustion"), true},
	}
	stacks, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "stack", "*"))
	if len(stacks) == 0 {
		t.Log("../shared/corpus/stack is absent: only the samples are compared")
	}
	for _, d := range stacks {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			cases = append(cases, struct {
				name     string
				paths    []string
				noRedact bool
			}{"stack/" + filepath.Base(d), []string{d}, false})
		}
	}
	set, err := rules.Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	// What `logcorr export` does, with the text kept or read back.
	export := func(t *testing.T, paths []string, noRedact, keepText bool) (map[string][]byte, *Summary) {
		t.Helper()
		req := pipeline.Request{Paths: paths, Rules: set, KeepText: keepText}
		req.Parse.NoRedact, req.Correlate.KeepOutside = noRedact, true
		res, err := pipeline.Run(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Release()
		res.QuoteClusters()
		in := Input{Analysis: res.Analysis, Findings: res.Findings, Checks: res.Checks, Gates: res.Gates}
		if !keepText {
			in.Files = res.Dataset.Files
			for _, r := range res.Analysis.Runs {
				if r.Events.Len() > 0 && r.Events.At(0).Text() != "" {
					t.Fatalf("the parse kept %q without KeepText", r.Events.At(0).Text())
				}
			}
		}
		root := t.TempDir()
		sum, err := Write(root, in, Options{NoRedact: noRedact})
		if err != nil {
			t.Fatal(err)
		}
		return tree(t, root), sum
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kept, _ := export(t, tc.paths, tc.noRedact, true)
			lean, sum := export(t, tc.paths, tc.noRedact, false)
			if len(sum.Messages) > 0 {
				t.Errorf("messages: %q", sum.Messages)
			}
			if len(kept) != len(lean) {
				t.Fatalf("%d files from the kept text, %d read back", len(kept), len(lean))
			}
			for p, want := range kept {
				if !bytes.Equal(want, lean[p]) {
					t.Errorf("%s differs when the text is read back", p)
				}
			}
		})
	}
}

// A log that changed after it was parsed cannot be read back: its rows'
// text is null, the summary names it, and the rest is written.
func TestExportTextChangedFile(t *testing.T) {
	sample := map[string]string{}
	copySample(t, "pool-exhaustion", sample)
	dir := writeFiles(t, sample)
	an := analyzeParsed(t, parsers.Options{OmitText: true}, correlate.Options{}, nil, dir)
	an.in.Files = an.ds.Files
	log := filepath.Join(dir, "logs", "django_errors.log")
	if err := os.WriteFile(log, []byte("rotated\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	sum, err := Write(root, an.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Messages) != 1 || !strings.Contains(sum.Messages[0], "django_errors.log") || !strings.Contains(sum.Messages[0], "cannot be read back") {
		t.Fatalf("messages: %q", sum.Messages)
	}
	tbl, _ := readParquet(t, partFile(t, root, "events", sum.Runs[0]))
	files, text := texts(t, tbl, "file"), texts(t, tbl, "text")
	var django, other int
	for i, f := range files {
		switch {
		case strings.HasSuffix(f, "django_errors.log"):
			django++
			if text[i] != "" {
				t.Errorf("row %d of the changed log has text %q", i, text[i])
			}
		case text[i] != "":
			other++
		}
	}
	if django == 0 || other == 0 {
		t.Fatalf("%d rows of the changed log, %d other rows with text: the sample no longer tests this", django, other)
	}
}
