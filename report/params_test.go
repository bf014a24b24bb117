package report

import (
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

func TestHeaderLabelLeavesOutUsersTheHeaderAlreadySays(t *testing.T) {
	const name = "hasil_test_v19_100u_pool140_nolimit"
	if got := ParseRunName(name).Users; got != 100 {
		t.Fatalf("fixture: ParseRunName(%q).Users = %d, want 100", name, got)
	}
	for _, tc := range []struct {
		run  correlate.Run
		want string
	}{
		{correlate.Run{Name: name, UsersMax: 100}, "v19 · pool 140 · rate limits off"},
		// ramped to fewer users than configured: both numbers say something
		{correlate.Run{Name: name, UsersMax: 60}, "v19 · 100 users · pool 140 · rate limits off"},
		// no user count in the files: the header says "unknown", the label keeps the name's
		{correlate.Run{Name: name, UsersUnknown: true}, "v19 · 100 users · pool 140 · rate limits off"},
	} {
		if got := headerLabel(&tc.run); got != tc.want {
			t.Errorf("UsersMax %d unknown %v: headerLabel = %q, want %q", tc.run.UsersMax, tc.run.UsersUnknown, got, tc.want)
		}
	}
}
