package parsers

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Evidence cites an event's Text as "the line at file:line": it must be
// exactly that line of the file, for every log format.
func TestEventTextIsTheFirstLine(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "stack", "pool_exhaustion")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not present: %v", err)
	}
	for _, f := range []string{"pgbouncer.log", "locust.log", "logs/django_errors.log", "logs/auth_debug.log", "logs/runserver_8000.err.log", "logs/locust_login_failures.log"} {
		t.Run(f, func(t *testing.T) {
			path := filepath.Join(dir, f)
			fh, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			var lines []string
			sc := bufio.NewScanner(fh)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				lines = append(lines, sc.Text())
			}
			res := ParseFile(path, f, Options{})
			if len(res.Events) == 0 {
				t.Fatal("no events")
			}
			withText := 0
			for _, e := range res.Events {
				if e.Text == "" {
					continue
				}
				withText++
				if want := strings.TrimSuffix(lines[e.Line-1], "\r"); e.Text != want {
					t.Fatalf("%s:%d: Text %q, file has %q", f, e.Line, e.Text, want)
				}
			}
			if withText != len(res.Events) {
				t.Errorf("%d of %d events carry their first line's text", withText, len(res.Events))
			}
		})
	}
}
