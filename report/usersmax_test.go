package report

import (
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

// TestUsersMaxUnknown: a run whose files wrote no user count has users_max
// null, not 0, and the text says so.
func TestUsersMaxUnknown(t *testing.T) {
	if p := UsersMaxOf(&correlate.Run{UsersUnknown: true}); p != nil {
		t.Errorf("unknown users: %d", *p)
	}
	if p := UsersMaxOf(&correlate.Run{UsersMax: 60}); p == nil || *p != 60 {
		t.Errorf("known users: %v", p)
	}
	if s := peakUsers(nil); s != "peak users unknown (no user count in the files)" {
		t.Errorf("text %q", s)
	}
}
