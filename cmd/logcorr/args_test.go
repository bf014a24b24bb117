package main

import (
	"strings"
	"testing"
)

func TestInterleave(t *testing.T) {
	cases := []struct{ in, want string }{
		{"logcorr analyze DIR --format json", "logcorr analyze --format json -- DIR"},
		{"logcorr analyze --format json DIR", "logcorr analyze --format json -- DIR"},
		{"logcorr analyze DIR --json-ish --slo p95<2s OTHER", "logcorr analyze --json-ish --slo p95<2s -- DIR OTHER"},
		{"logcorr parse a.log --json --out x.arrow b.log", "logcorr parse --json --out x.arrow -- a.log b.log"},
		{"logcorr parse --format=django a.log", "logcorr parse --format=django -- a.log"},
		{"logcorr rules test pgbouncer-pool-exhausted DIR --tz UTC", "logcorr rules test --tz UTC -- pgbouncer-pool-exhausted DIR"},
		{"logcorr analyze -- --odd-name.log", "logcorr analyze -- --odd-name.log"},
		{"logcorr formats", "logcorr formats"},
		{"logcorr rules", "logcorr rules"},
		{"logcorr nosuch x --y", "logcorr nosuch x --y"},
	}
	app := newApp()
	for _, c := range cases {
		got := strings.Join(interleave(app, strings.Fields(c.in)), " ")
		if got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}
