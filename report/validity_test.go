package report

import (
	"testing"

	"github.com/logcorr/logcorr/rules"
)

func TestReadFirst(t *testing.T) {
	tags := rules.Finding{ID: "locust-tags-comma-separated", Severity: "high", Category: "test-validity"}
	floor := rules.Finding{ID: "latency-floor", Severity: "low", Category: "test-validity"}
	pool := rules.Finding{ID: "pgbouncer-pool-exhausted", Severity: "critical", Category: "server"}
	cases := []struct {
		name string
		fs   []rules.Finding
		want string
	}{
		{"none", nil, ""},
		{"server findings do not doubt the test", []rules.Finding{pool}, ""},
		{"low validity findings do not either", []rules.Finding{floor}, ""},
		{"a high validity finding does", []rules.Finding{pool, tags, floor}, "the load test itself is in doubt (locust-tags-comma-separated): read those findings before the figures"},
	}
	for _, c := range cases {
		if got := readFirst(c.fs); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
