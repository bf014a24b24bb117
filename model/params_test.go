package model

import "testing"

// The user's run names carry the run's parameters. A vN before the users
// token is the load test's version; one after it numbers retests of a
// scenario (auth_only_50u_multi_nolimit_v3_pool100 is the third attempt
// of an auth-only test, not "load test v3").
func TestParseRunName(t *testing.T) {
	cases := []struct {
		name         string
		want         string
		version, try string
	}{
		{"hasil_test_v18_100u_pgbouncer_redis_20260111_114225", "v18 · 100 users · pgbouncer redis", "v18", ""},
		{"hasil_test_v19_100u_nolimit_pool140_no_export", "v19 · 100 users · pool 140 · rate limits off · no export", "v19", ""},
		{"hasil_test_v24_100u_pool140_no_export_no_admin", "v24 · 100 users · pool 140 · no export · no admin", "v24", ""},
		{"hasil_test_auth_only_50u_multi_nolimit_v3_pool100", "50 users · pool 100 · rate limits off · auth only multi · attempt v3", "", "v3"},
		{"hasil_test_auth_only_50u_multi_nolimit_v2", "50 users · rate limits off · auth only multi · attempt v2", "", "v2"},
	}
	for _, c := range cases {
		p := ParseRunName(c.name)
		if got := p.Label(); got != c.want || p.Version != c.version || p.Attempt != c.try {
			t.Errorf("ParseRunName(%s) = %q (version %q, attempt %q), want %q (%q, %q)", c.name, got, p.Version, p.Attempt, c.want, c.version, c.try)
		}
	}
	if p := ParseRunName("hasil_test_v18_100u_pgbouncer_redis_20260111_114225"); p.Stamp != "2026-01-11 11:42:25 (local)" {
		t.Errorf("stamp = %q", p.Stamp)
	}
}
