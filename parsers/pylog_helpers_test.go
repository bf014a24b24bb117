package parsers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/transform"
)

// pyCorpusRoot is the stack corpus, relative to this package.
var pyCorpusRoot = filepath.Join("..", "..", "shared", "corpus", "stack")

// pyCorpus lists the stack scenarios' logs/<base> files that exist and are
// non-empty, skipping when the corpus is absent.
func pyCorpus(t testing.TB, base string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(pyCorpusRoot, "*", "logs", base))
	var out []string
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Skipf("corpus absent: no non-empty %s/*/logs/%s", pyCorpusRoot, base)
	}
	return out
}

// pyTruth reads the scenario's truth.json (the answer key; tests only).
func pyTruth(t testing.TB, logFile string) map[string]any {
	t.Helper()
	p := filepath.Join(filepath.Dir(filepath.Dir(logFile)), "truth.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("no truth.json next to %s: %v", logFile, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return m
}

// pyCorpusParse parses a corpus log as detected and checks that it reads
// as format with every line accounted for, none unparsed, and as many lines
// as the answer key's counts.<key>.lines.
func pyCorpusParse(t *testing.T, f string, truth map[string]any, format, key string) *Result {
	t.Helper()
	res := ParseFile(f, f, Options{})
	a := res.Audit
	if a.Format != format || a.Unparsed != 0 || !a.Balanced() {
		t.Fatalf("%s: %+v", f, a)
	}
	if got, want := a.Lines, pyCount(t, truth, "counts", key, "lines"); got != want {
		t.Errorf("%s: %d lines, truth %d", f, got, want)
	}
	return res
}

// pyCount digs a number out of truth.json by keys.
func pyCount(t testing.TB, m map[string]any, keys ...string) int64 {
	t.Helper()
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("truth.json: %v: not an object at %q", keys, k)
		}
		v = mm[k]
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("truth.json: %v: not a number (%v)", keys, v)
	}
	return int64(f)
}

// pyParseMem parses data as format through the same steps as ParseFile
// (decode, Parse, account for lines Parse left) but from memory and without
// redaction and the time checks' messages: it measures and fuzzes the
// format's own code.
func pyParseMem(data []byte, format string) *Result {
	f, ok := Lookup(format)
	if !ok {
		panic("format not registered: " + format)
	}
	res := &Result{Audit: Audit{Path: "mem.log", Format: format, Tables: map[string]int64{}}}
	br := bufio.NewReaderSize(bytes.NewReader(data), 64<<10)
	peek, _ := br.Peek(4096)
	enc, dec := sniffEncoding(peek)
	if dec != nil {
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
	}
	in := &Input{Path: "mem.log", Name: "mem.log", Encoding: enc, br: br}
	c := &Context{In: in, File: "mem.log", audit: &res.Audit, res: res, noRedact: true}
	c.prepare(f)
	if err := f.Parse(c); err != nil {
		res.Audit.Messages = append(res.Audit.Messages, err.Error())
	}
	for {
		l, ok := c.Next()
		if !ok {
			break
		}
		c.Unparsed(l, "not read")
	}
	c.flushHeld()
	res.Audit.Lines = c.last
	return res
}

// pyFuzz parses data as format from memory (a temporary file per input
// held the fuzzer to a few inputs per second) and fails on an unbalanced
// account or an event outside the file's lines; a panic fails the fuzz run
// by itself.
func pyFuzz(t *testing.T, data []byte, format string) *Result {
	t.Helper()
	res := pyParseMem(data, format)
	if !res.Audit.Balanced() {
		t.Fatalf("%s: unbalanced: lines=%d records=%d folded=%d unparsed=%d", format, res.Audit.Lines, res.Audit.Records, res.Audit.Folded, res.Audit.Unparsed)
	}
	for _, e := range res.Events {
		if e.EndLine < e.Line || e.Line < 1 || e.EndLine > res.Audit.Lines {
			t.Fatalf("%s: event spans lines %d..%d of %d", format, e.Line, e.EndLine, res.Audit.Lines)
		}
	}
	return res
}

// pyBench measures a real corpus file as format, in MB/s: "ParseFile" is
// the whole per-file path (open, decode, parse, and ParseFile's later
// passes), "Parse" the format's parser alone on the bytes in memory.
func pyBench(b *testing.B, rel, format string) {
	path := filepath.Join(pyCorpusRoot, rel)
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 {
		b.Skipf("corpus file absent or empty: %s", path)
	}
	b.Run("ParseFile", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			res := ParseFile(path, rel, Options{Format: format})
			if res.Audit.Unparsed != 0 || !res.Audit.Balanced() {
				b.Fatalf("%s: %+v", rel, res.Audit)
			}
		}
	})
	b.Run("Parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			res := pyParseMem(data, format)
			if res.Audit.Unparsed != 0 || !res.Audit.Balanced() {
				b.Fatalf("%s: %+v", rel, res.Audit)
			}
		}
	})
}

// pyTemplate turns numeric path segments into "[id]", as truth.json and
// Locust's request names write them.
func pyTemplate(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			parts[i] = "[id]"
		}
	}
	return strings.Join(parts, "/")
}
