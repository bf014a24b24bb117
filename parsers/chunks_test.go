package parsers

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/logcorr/logcorr/model/schema"
)

// corpusFiles lists every input file of the corpus: samples, stack
// captures, ahsp runs, hostile and public fixtures; with LOGCORR_BENCH_DIR,
// a bench/gen folder's large logs too.
func corpusFiles(t testing.TB) []Target {
	t.Helper()
	var out []Target
	for _, set := range corpusSets(t) {
		targets, _ := Discover(set, Options{})
		out = append(out, targets...)
	}
	if dir := os.Getenv("LOGCORR_BENCH_DIR"); dir != "" {
		for _, f := range []string{"pgbouncer.log", "locust.log", "logs/runserver_8000.err.log", "logs/django_errors.log", "logs/auth_debug.log"} {
			out = append(out, Target{Path: filepath.Join(dir, f), Name: f})
		}
	}
	return out
}

// The same file parsed in 1, 2, 3 and 7 chunks gives the same rows in
// every table and the same audit, for every file of the corpus. (Batch
// boundaries differ: a chunk's rows are batches of their own.)
func TestChunkedParseIsTheWholeParse(t *testing.T) {
	split := 0
	for _, tg := range corpusFiles(t) {
		whole := Parse([]Target{tg}, Options{Chunks: 1})
		want := make([][]map[string]any, schema.NumTables)
		for tb := range schema.NumTables {
			want[tb] = rowsJSON(t, whole.Tables[tb]...)
		}
		for _, n := range []int{2, 3, 7} {
			if in, err := Open(tg.Path, tg.Name); err == nil {
				f, _ := Lookup(whole.Files[0].Audit.Format)
				if f != nil && len(chunkPlan(in, f, n, 0)) > 1 {
					split++
				}
				in.Close()
			}
			got := Parse([]Target{tg}, Options{Chunks: n})
			if !reflect.DeepEqual(got.Files[0].Audit, whole.Files[0].Audit) {
				t.Errorf("%s in %d chunks: audit\n%+v\nwhole:\n%+v", tg.Name, n, got.Files[0].Audit, whole.Files[0].Audit)
			}
			for tb := range schema.NumTables {
				rows := rowsJSON(t, got.Tables[tb]...)
				if len(rows) != len(want[tb]) {
					t.Errorf("%s in %d chunks: %s has %d rows, whole %d", tg.Name, n, tb, len(rows), len(want[tb]))
					continue
				}
				for i := range rows {
					if !reflect.DeepEqual(rows[i], want[tb][i]) {
						t.Errorf("%s in %d chunks: %s row %d\n got %v\nwant %v", tg.Name, n, tb, i, rows[i], want[tb][i])
						break
					}
				}
			}
			got.Release()
		}
		whole.Release()
	}
	if split < 20 {
		t.Fatalf("only %d (file, chunk count) pairs were split: the property was not exercised", split)
	}
	t.Logf("%d (file, chunk count) pairs parsed in chunks", split)
}

// Cases the corpus does not hold: a PgBouncer zone learnt from a docker
// time in the first chunk and used in the later ones (the file is parsed
// whole), a time stepping back exactly at a seam, a traceback across
// seams, and a record-like line folded at a seam.
func TestChunkedParseSeams(t *testing.T) {
	var pgb, srv, dj []byte
	pgb = append(pgb, "2026-11-29T11:57:27.303Z 2026-11-29 18:57:27.303 XYZ [1] LOG process up: PgBouncer 1.18\n"...)
	for i := range 40 {
		pgb = append(pgb, []byte("2026-11-29 18:58:0"+string(rune('0'+i%10))+".000 XYZ [1] LOG stats: 1 xacts/s, 2 queries/s\n")...)
	}
	for i := range 30 {
		ts := "[29/Nov/2026 18:57:" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "]"
		if i == 15 {
			ts = "[29/Nov/2026 18:50:00]" // steps back
		}
		srv = append(srv, []byte(ts+` "GET /x HTTP/1.1" 200 12`+"\n")...)
	}
	for range 5 {
		dj = append(dj, "2026-11-29 18:57:27,303 ERROR django.request Internal Server Error: /x/\nTraceback (most recent call last):\n"...)
		for range 12 {
			dj = append(dj, "  File \"/app/views.py\", line 3, in f\n    g()\n"...)
		}
		dj = append(dj, "[29/Nov/2026 18:57:27] \"GET /x HTTP/1.1\" 500 12\nValueError: boom\n\n"...)
	}
	dir := t.TempDir()
	for name, text := range map[string][]byte{"pgbouncer.log": pgb, "runserver_8000.err.log": srv, "django_errors.log": dj} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, text, 0o600); err != nil {
			t.Fatal(err)
		}
		tg := Target{Path: path, Name: name}
		format := map[string]string{"pgbouncer.log": "pgbouncer", "runserver_8000.err.log": "runserver", "django_errors.log": "django"}[name]
		whole := Parse([]Target{tg}, Options{Format: format, Chunks: 1})
		for _, n := range []int{2, 3, 7, 16} {
			got := Parse([]Target{tg}, Options{Format: format, Chunks: n})
			if !reflect.DeepEqual(got.Files[0].Audit, whole.Files[0].Audit) {
				t.Errorf("%s in %d chunks: audit\n%+v\nwhole:\n%+v", name, n, got.Files[0].Audit, whole.Files[0].Audit)
			}
			for tb := range schema.NumTables {
				if g, w := rowsJSON(t, got.Tables[tb]...), rowsJSON(t, whole.Tables[tb]...); !reflect.DeepEqual(g, w) {
					t.Errorf("%s in %d chunks: %s differs", name, n, tb)
				}
			}
			got.Release()
		}
		a := whole.Files[0].Audit
		switch name {
		case "pgbouncer.log":
			if a.Zone != "XYZ" || a.Balanced() == false {
				t.Errorf("pgbouncer: zone %q (%s)", a.Zone, a.ZoneReason)
			}
		case "runserver_8000.err.log":
			if !containsPrefix(a.Messages, name+":16: time steps back") {
				t.Errorf("runserver: no back step at line 16: %q", a.Messages)
			}
		case "django_errors.log":
			if a.RecordLikeFolded != 5 || a.Records != 5 {
				t.Errorf("django: %d records, %d record-like folded", a.Records, a.RecordLikeFolded)
			}
		}
		whole.Release()
	}
}

func containsPrefix(ms []string, prefix string) bool {
	for _, m := range ms {
		if len(m) >= len(prefix) && m[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

// Any bytes, parsed whole and in 3 chunks as each splittable format, give
// the same rows and audit.
func FuzzChunkedParse(f *testing.F) {
	f.Add([]byte("2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /x/\nTraceback (most recent call last):\n  File \"/a.py\", line 9, in f\n    g()\nValueError: v\n\n2026-11-29 18:57:28,000 INFO django.server \"GET / HTTP/1.1\" 200 1\n"))
	f.Add([]byte("[29/Nov/2026 18:57:27] \"GET / HTTP/1.1\" 200 1\r[29/Nov/2026 18:57:20] \"GET / HTTP/1.1\" 200 1\r\n\n\nx\n"))
	f.Add([]byte("2026-11-29T11:57:27.303Z 2026-11-29 18:57:27.303 XYZ [1] LOG a\n2026-11-29 18:57:28.303 XYZ [1] LOG b\n2026-11-29 18:57:29.303 XYZ [1] LOG c\n"))
	f.Add([]byte("2026-11-29 18:57:01,605 DEBUG auth_debug auth_request method=POST path=/accounts/login/ session=None\n\n2026-11-29 18:57:01,700 INFO auth_debug auth_response status=200\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "x.log")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tg := Target{Path: path, Name: "x.log"}
		for _, format := range []string{"django", "auth_debug", "runserver", "pgbouncer"} {
			whole := Parse([]Target{tg}, Options{Format: format, Chunks: 1})
			got := Parse([]Target{tg}, Options{Format: format, Chunks: 3})
			if !reflect.DeepEqual(got.Files[0].Audit, whole.Files[0].Audit) {
				t.Fatalf("%s: audit in chunks\n%+v\nwhole\n%+v", format, got.Files[0].Audit, whole.Files[0].Audit)
			}
			for tb := range schema.NumTables {
				if g, w := rowsJSON(t, got.Tables[tb]...), rowsJSON(t, whole.Tables[tb]...); !reflect.DeepEqual(g, w) {
					t.Fatalf("%s: %s differs in chunks", format, tb)
				}
			}
			whole.Release()
			got.Release()
		}
	})
}

// A file is split by itself when it is large, or when it holds more than
// a core's share of the bytes given (and is not tiny): a PgBouncer log
// analysed alone is, the same log among a folder's files is not.
func TestAutoChunks(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		size    int64
		targets []int64 // every file's size, the file's first
		procs   int
		want    int
	}{
		{17 * mb, []int64{17 * mb}, 2, 2},                            // alone
		{17 * mb, []int64{17 * mb, 36 * mb, 25 * mb, 20 * mb}, 2, 1}, // one of a folder's
		{5 * mb, []int64{5 * mb}, 2, 1},                              // alone, but small
		{40 * mb, []int64{40 * mb, 10 * mb}, 2, 2},                   // most of the bytes
		{64 * mb, []int64{64 * mb, 900 * mb}, 2, 4},                  // large: always
		{300 * mb, []int64{300 * mb}, 8, 16},                         // large: 2 per core
		{17 * mb, []int64{17 * mb}, 1, 1},                            // one core
	} {
		var total int64
		for _, s := range c.targets {
			total += s
		}
		if got := autoChunks(c.size, dominantFrom(total, c.procs), c.procs); got != c.want {
			t.Errorf("%d MB of %v MB on %d cores: %d chunks, want %d", c.size/mb, c.targets, c.procs, got, c.want)
		}
	}
}
