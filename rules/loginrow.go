package rules

import (
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// LoginRow returns the run's login POST row: the row whose name contains
// "Login POST", else a POST whose name contains "login"; nil when none.
// It is the one row the report's auth-success line and the auth_success
// gate read, so the two always name the same figure. Rules that sum every
// login POST (and let the rule file set the name) use LoginRows.
func LoginRow(r *correlate.Run) *parsers.StatRow {
	for i := range r.Stats {
		if strings.Contains(r.Stats[i].Name, "Login POST") {
			return &r.Stats[i]
		}
	}
	for i := range r.Stats {
		if strings.EqualFold(r.Stats[i].Type, "POST") && strings.Contains(strings.ToLower(r.Stats[i].Name), "login") {
			return &r.Stats[i]
		}
	}
	return nil
}
