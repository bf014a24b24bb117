package model

import (
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// IsAggregated reports whether s is Locust's total row.
func IsAggregated(s *parsers.StatRow) bool {
	return s.Type == "" && strings.EqualFold(s.Name, "Aggregated")
}

// AggregatedRow returns the run's total row, or nil.
func AggregatedRow(r *correlate.Run) *parsers.StatRow {
	if r.Aggregated != nil {
		return r.Aggregated
	}
	for i := range r.Stats {
		if IsAggregated(&r.Stats[i]) {
			return &r.Stats[i]
		}
	}
	return nil
}

// RequestRows returns the run's request rows: not the Aggregated total,
// whether correlate picked it (run.Aggregated) or it reads as one.
func RequestRows(run *correlate.Run) []*parsers.StatRow {
	var out []*parsers.StatRow
	for i := range run.Stats {
		r := &run.Stats[i]
		if r == run.Aggregated || IsAggregated(r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// IsAuthName reports whether a Locust request name is part of logging in
// or out: the user's locustfile names them "[AUTH] ...", other locustfiles
// request the allauth URLs directly.
func IsAuthName(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "[auth]") || strings.Contains(l, "login") ||
		strings.Contains(l, "logout") || strings.Contains(l, "/accounts/")
}

// IsLoginName reports whether a Locust request name or a request path is
// the login (any case).
func IsLoginName(name string) bool {
	return strings.Contains(strings.ToLower(name), "login")
}

// LoginRows returns the login page GET row and the credentials POST row
// (the first of each whose name says login), nil when absent.
func LoginRows(r *correlate.Run) (get, post *parsers.StatRow) {
	for _, s := range RequestRows(r) {
		if !IsLoginName(s.Name) {
			continue
		}
		switch strings.ToUpper(s.Type) {
		case "GET":
			if get == nil {
				get = s
			}
		case "POST":
			if post == nil {
				post = s
			}
		}
	}
	return get, post
}

// LoginRow returns the run's login POST row: the row whose name contains
// "Login POST", else a POST whose name contains "login"; nil when none.
// It is the one row the report's auth-success line and the auth_success
// gate read, so the two always name the same figure. Rules that sum every
// login POST (and let the rule file set the name) match names themselves.
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

// FailureRows returns the run's Locust failure rows. correlate already
// took them from one source (the CSV set when it has rows, else the HTML
// report; the other copy is in run.FailuresHTML), so nothing counts twice.
func FailureRows(run *correlate.Run) []*parsers.FailureRow {
	out := make([]*parsers.FailureRow, len(run.Failures))
	for i := range run.Failures {
		out[i] = &run.Failures[i]
	}
	return out
}

// ExceptionRows is FailureRows for the exceptions table (the HTML copy is
// in run.ExceptionsHTML).
func ExceptionRows(run *correlate.Run) []*parsers.ExceptionRow {
	out := make([]*parsers.ExceptionRow, len(run.Exceptions))
	for i := range run.Exceptions {
		out[i] = &run.Exceptions[i]
	}
	return out
}

// UsersMax is the run's peak user count, from the correlation stage or the
// history.
func UsersMax(r *correlate.Run) int64 {
	m := r.UsersMax
	for _, h := range r.History {
		if h.Users > m {
			m = h.Users
		}
	}
	return m
}

// OnlyAuth reports whether every request the run recorded was part of
// the login flow (the rows' requests adding up to the Aggregated total:
// a run whose total holds more than its rows show is not).
func OnlyAuth(r *correlate.Run) bool {
	rows := RequestRows(r)
	if len(rows) == 0 {
		return false
	}
	var n int64
	for _, s := range rows {
		if s.Requests > 0 && !IsAuthName(s.Name) {
			return false
		}
		n += s.Requests
	}
	return r.Aggregated == nil || r.Aggregated.Requests <= n
}
