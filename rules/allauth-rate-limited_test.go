package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// samples/rate-limited (a real capture): tester011..tester016 have wrong
// passwords and were refused by the limit, the others kept logging in
// from the same address. Per account, not per IP, with the accounts named.
func TestRateLimitedPerAccount(t *testing.T) {
	a, err := pipeline([]string{"../samples/rate-limited"})
	if err != nil {
		t.Fatal(err)
	}
	res := builtinOnly(t, "allauth-rate-limited").Evaluate(a, DefaultTargets)
	if len(res) != 1 || len(res[0].Findings) != 1 {
		t.Fatalf("got %+v", res)
	}
	f := res[0].Findings[0]
	for _, want := range []string{"Per account, not per IP", "tester011–tester016", "kept logging in from the same address"} {
		if !strings.Contains(f.Summary, want) {
			t.Errorf("summary lacks %q: %s", want, f.Summary)
		}
	}
	if strings.Contains(f.Summary, "the limit is per IP") || f.Metrics["per_account"] != 1 {
		t.Errorf("per-IP claim or metric: %s %v", f.Summary, f.Metrics)
	}
}

// When no account logged in after the limit tripped, the data are
// consistent with a per-IP limit, and the finding says only that.
func TestRateLimitedPerIP(t *testing.T) {
	at := time.Date(2026, 11, 29, 13, 47, 3, 0, time.UTC)
	ev := func(sec int, e parsers.Event) parsers.Event {
		e.Time = at.Add(time.Duration(sec) * time.Second)
		return e
	}
	i302 := int64(302)
	run := &correlate.Run{Name: "hasil_test_x", Events: correlate.EventsOf(
		ev(-5, parsers.Event{Source: "auth_debug", File: "logs/auth_debug.log", Line: 1, Kind: parsers.KindAuthResponse, Method: "POST", Path: "/accounts/login/", Status: &i302, User: "alice", Message: "auth_response status=302 method=POST path=/accounts/login/ user=alice"}),
		ev(0, parsers.Event{Source: "locust_auth", File: "logs/locust_login_failures.log", Line: 2, Kind: parsers.KindLoginFailure, User: "alice", Message: "login_page_returned username=alice url=http://x/accounts/login/ error=Too many failed login attempts. Try again later."}),
		ev(1, parsers.Event{Source: "locust_auth", File: "logs/locust_login_failures.log", Line: 3, Kind: parsers.KindLoginFailure, User: "bob", Message: "login_page_returned username=bob url=http://x/accounts/login/ error=Too many failed login attempts. Try again later."}),
	)}
	fs := runCheck(t, "allauth-rate-limited", nil, run)
	if len(fs) != 1 || !strings.Contains(fs[0].Summary, "consistent with a per-IP limit") || strings.Contains(fs[0].Summary, "Per account") {
		t.Errorf("got %+v", fs)
	}
}
