package gates

import (
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/rules"
)

func TestParse(t *testing.T) {
	cases := []struct {
		src  string
		want Gate
	}{
		{"p95<2s", Gate{Kind: Metric, Metric: "p95", Op: "<", Value: 2000}},
		{"p99 < 2000", Gate{Kind: Metric, Metric: "p99", Op: "<", Value: 2000}},
		{"p(95)<=1.5s", Gate{Kind: Metric, Metric: "p95", Op: "<=", Value: 1500}},
		{"median<250ms", Gate{Kind: Metric, Metric: "p50", Op: "<", Value: 250}},
		{"max<1m", Gate{Kind: Metric, Metric: "max", Op: "<", Value: 60000}},
		{"auth_success>99%", Gate{Kind: Metric, Metric: "auth_success", Op: ">", Value: 99}},
		{"failure_pct<1%", Gate{Kind: Metric, Metric: "failure_pct", Op: "<", Value: 1}},
		{"rps>=20", Gate{Kind: Metric, Metric: "rps", Op: ">=", Value: 20}},
		{`endpoint["[AUTH] Login POST"].p95<1s`, Gate{Kind: Metric, Endpoint: "[AUTH] Login POST", Metric: "p95", Op: "<", Value: 1000}},
		{`endpoint['POST [AUTH] Login POST'].success>=99.5%`, Gate{Kind: Metric, Endpoint: "POST [AUTH] Login POST", Metric: "success", Op: ">=", Value: 99.5}},
		{`endpoint["say \"hi\""].max<5s`, Gate{Kind: Metric, Endpoint: `say "hi"`, Metric: "max", Op: "<", Value: 5000}},
		{"p95<2s over any 30s", Gate{Kind: Windowed, Metric: "p95", Op: "<", Value: 2000, Window: 30 * time.Second}},
		{"rps>5 over any 1m", Gate{Kind: Windowed, Metric: "rps", Op: ">", Value: 5, Window: time.Minute}},
		{"no finding>=critical", Gate{Kind: NoFindingSeverity, Op: ">=", Severity: rules.Critical}},
		{"no finding > medium", Gate{Kind: NoFindingSeverity, Op: ">", Severity: rules.Medium}},
		{"no finding=pool-exhaustion", Gate{Kind: NoFindingID, Op: "=", FindingID: "pool-exhaustion"}},
		{"no new exception cluster vs baseline", Gate{Kind: NoNewCluster}},
		{"no new exception cluster", Gate{Kind: NoNewCluster}},
	}
	for _, c := range cases {
		g, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		c.want.Source = c.src
		if g != c.want {
			t.Errorf("Parse(%q) = %+v, want %+v", c.src, g, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"p95<<2s", `gate "p95<<2s": expected a number after "<" at column 5`},
		{"p95<2x", `gate "p95<2x": p95 is a duration: use ms, s or m, not "x" at column 6`},
		{"p95", `gate "p95": expected a comparison (<, <=, > or >=) at the end at column 4`},
		{"p95=2s", `gate "p95=2s": "=" is not a comparison here: use <, <=, > or >= at column 4`},
		{"p97<2s", `unknown metric "p97"`},
		{"failure_pct<1s", `failure_pct is a percentage: use %, not "s" at column 14`},
		{"rps>5%", `rps takes a plain number`},
		{"", `empty gate at column 1`},
		{`endpoint["x.p95<1s`, `unclosed quote at column 10`},
		{`endpoint[x].p95<1s`, `expected a quoted endpoint name`},
		{`endpoint["x"]p95<1s`, `expected "]." and a metric`},
		{"p95<2s over 30s", `expected "any", found "30s"`},
		{"p95<2s over any 30", `expected a time unit (ms, s, m) for the window`},
		{"avg<2s over any 30s", `avg has no per-second history`},
		{"no finding>=severe", `"severe" is not a severity`},
		{"no finding<=low", `would forbid the harmless findings`},
		{"no findings", `expected "finding" or "new" after "no", found "findings"`},
		{"no new cluster", `expected "exception", found "cluster"`},
		{"auth_success>99% junk", `expected "over", found "junk"`},
		{"success>99%", `success needs an endpoint`},
	}
	for _, c := range cases {
		_, err := Parse(c.src)
		if err == nil {
			t.Errorf("Parse(%q) accepted", c.src)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error = %q, want it to contain %q", c.src, err, c.want)
		}
	}
}
