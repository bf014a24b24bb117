package main

import (
	"strings"
	"testing"
)

// TestFormatsListsVariants: `logcorr formats` shows each variant with the
// versions that write it, a real line and where it was published.
func TestFormatsListsVariants(t *testing.T) {
	out, _, code := invoke(t, "formats")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"  variants:\n",
		"(PgBouncer up to 1.7)\n      2017-05-10T20:17:33.496510+00:00 app[worker_high.1]: 2017-05-10 20:17:33.496 37 WARNING C-0x151f1e8: db1/u456eks4prrd16@127.0.0.1:51306 Pooler Error: query_wait_timeout\n      from: travis-ci/travis-logs pull request #111\n",
		"(Locust 0.8-0.12)\n      \"None\",\"Total\",5797,0,17,31,5,214,350,97.72\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("formats output lacks %q", want)
		}
	}
}
