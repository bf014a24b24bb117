package gates

import (
	"testing"

	"github.com/logcorr/logcorr/rules"
)

func TestTargets(t *testing.T) {
	gs, err := ParseAll([]string{"p95<1.5s", "auth_success>95%", `endpoint["[AUTH] Login POST"].p99<1s`, "p99<3s over any 30s", "failure_pct<2%"})
	if err != nil {
		t.Fatal(err)
	}
	got := Targets(gs, rules.DefaultTargets)
	want := rules.Targets{AuthSuccessPct: 95, P95MS: 1500, P99MS: rules.DefaultTargets.P99MS, FailurePct: 2}
	if got != want {
		t.Errorf("Targets = %+v, want %+v (endpoint and windowed gates must not change run targets)", got, want)
	}
}
