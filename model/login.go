package model

import (
	"fmt"
	"math"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/parsers"
)

// Login POST signatures from the CSV alone. A real allauth login checks
// the password (hundreds of milliseconds) and redirects; Locust follows the
// redirect and records the target page's size. A rejected login answers
// the form again in tens of milliseconds, a few bytes longer than the
// login page (it carries the error and the username). A locustfile that
// does not check the answer counts both as successes; their sizes and
// times still tell them apart.

// LoginShape is what a login POST answered when it really worked, or when
// it was rejected, learned from a run where every login did one or the
// other.
type LoginShape struct {
	Bytes    float64
	MinMS    float64
	MedianMS float64
	Row      *parsers.StatRow
	Run      *correlate.Run
	// Runs counts the runs that agreed on the size.
	Runs int
}

// LoginSignature splits a run's login POST row into logins that worked and
// logins Locust counted as success that answered like a rejected one.
type LoginSignature struct {
	Row      *parsers.StatRow
	Requests int64
	Failures int64
	// Uncounted is how many of the successes answered like a rejected
	// login: exact from sizes, a lower bound from latencies.
	Uncounted float64
	// Method: "size" (exact arithmetic), "latency" (a lower bound from
	// the percentiles), "own" (every login answered one non-form body:
	// they worked), "reference" (the run is where logins worked).
	Method     string
	Exact      bool
	Arithmetic string
	Real       *LoginShape
	Rejected   *LoginShape
}

// loginShapes learns a working login's and a rejected login's answer.
// Working: the reference runs' login POST rows. Rejected: login POST rows
// whose every request failed without a server error (the form again) and
// whose responses all had one size; the size most such runs share.
func loginShapes(runs []*correlate.Run, refs []*correlate.Run, own map[*correlate.Run]*Size) (real, rejected *LoginShape) {
	if len(refs) > 0 {
		_, post := LoginRows(refs[0])
		real = shapeOf(post, refs[0])
	}
	by := map[int64][]*LoginShape{}
	for _, r := range runs {
		_, post := LoginRows(r)
		if post == nil || post.Requests == 0 || post.Failures != post.Requests || post.AvgContentSize == nil || !isWhole(*post.AvgContentSize) {
			continue
		}
		if serverErrorFailures(r, post) {
			continue
		}
		if l := own[r]; l != nil && *post.AvgContentSize == l.Bytes {
			continue
		}
		sh := shapeOf(post, r)
		by[int64(sh.Bytes)] = append(by[int64(sh.Bytes)], sh)
	}
	var best int64
	for v, l := range by {
		if rejected == nil || len(l) > len(by[best]) || len(l) == len(by[best]) && v < best {
			best, rejected = v, l[0]
		}
	}
	if rejected != nil {
		rejected.Runs = len(by[best])
	}
	return real, rejected
}

func shapeOf(post *parsers.StatRow, r *correlate.Run) *LoginShape {
	if post == nil || post.AvgContentSize == nil {
		return nil
	}
	sh := &LoginShape{Bytes: *post.AvgContentSize, Row: post, Run: r, Runs: 1}
	if post.Min != nil {
		sh.MinMS = *post.Min
	}
	if post.Median != nil {
		sh.MedianMS = *post.Median
	}
	return sh
}

// serverErrorFailures reports whether the row's failures carry a 5xx
// status (then they are server errors, not rejected logins).
func serverErrorFailures(r *correlate.Run, row *parsers.StatRow) bool {
	for _, f := range r.Failures {
		if f.Name == row.Name && FailureStatus(f.Error) >= 500 {
			return true
		}
	}
	return false
}

// percentileCuts are Locust's percentile columns up to 99 %, as fractions.
var percentileCuts = []float64{0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99}

// fasterThan is the largest share of the row's requests Locust's
// percentiles show answered faster than ms, and that percentile's column
// (0 when even the median was not).
func fasterThan(s *parsers.StatRow, ms float64) (share float64, col int) {
	ps := s.Percentiles.Ptrs()
	for i, cut := range percentileCuts {
		p := *ps[i]
		if p == nil || *p >= ms {
			break
		}
		share, col = cut, int(math.Round(cut*100))
	}
	return share, col
}

func loginSignature(r *correlate.Run, real, rej *LoginShape, login *Size) *LoginSignature {
	_, post := LoginRows(r)
	if post == nil || post.Requests == 0 || post.AvgContentSize == nil {
		return nil
	}
	sig := &LoginSignature{Row: post, Requests: post.Requests, Failures: post.Failures, Real: real, Rejected: rej}
	succ := post.Requests - post.Failures
	avg := *post.AvgContentSize
	if real != nil && real.Run == r {
		sig.Method, sig.Exact = "reference", true
		sig.Arithmetic = fmt.Sprintf("every login POST answered the same %s-byte page: the logins worked", bytesText(avg))
		return sig
	}
	// Sizes decide when nothing failed: every body is the working
	// login's target page or the rejected form.
	if post.Failures == 0 && real != nil && rej != nil && math.Abs(real.Bytes-rej.Bytes) > 0.5 {
		n := float64(post.Requests)
		kReal := (n*avg - n*rej.Bytes) / (real.Bytes - rej.Bytes)
		if kReal > -0.5 && kReal < n+0.5 {
			kReal = math.Max(0, math.Min(n, kReal))
			sig.Method = "size"
			sig.Exact = math.Abs(kReal-math.Round(kReal)) <= sizeTol
			sig.Uncounted = n - kReal
			sig.Arithmetic = fmt.Sprintf("working logins = (%s × %s − %s × %s) / (%s − %s) = %s: %s answered the %s-byte page a working login reaches (as in %s), %s the %s-byte form a rejected login gets back (as in %s)",
				humanize.Thousands(post.Requests), bytesText(avg), humanize.Thousands(post.Requests), bytesText(rej.Bytes),
				bytesText(real.Bytes), bytesText(rej.Bytes), countText(kReal), countText(kReal), bytesText(real.Bytes), real.Run.Name,
				countText(n-kReal), bytesText(rej.Bytes), rej.Run.Name)
			return sig
		}
	}
	// Every login answered one body that is neither the login page nor
	// the rejected form: they worked (the scenario may not follow the
	// redirect: 0 bytes).
	if post.Failures == 0 && isWhole(avg) && (login == nil || math.Abs(avg-login.Bytes) > 0.5) && (rej == nil || math.Abs(avg-rej.Bytes) > 0.5) {
		sig.Method, sig.Exact = "own", true
		sig.Arithmetic = fmt.Sprintf("every login POST answered the same %s-byte body, not the login form: the logins worked", bytesText(avg))
		return sig
	}
	// Latencies give a lower bound: a login answered faster than the
	// fastest working login of the reference never checked a password.
	if real != nil && real.MinMS > 0 && succ > 0 {
		share, col := fasterThan(post, real.MinMS)
		fast := math.Floor(share * float64(post.Requests))
		if lo := fast - float64(post.Failures); lo > 0 {
			sig.Method = "latency"
			sig.Uncounted = math.Min(lo, float64(succ))
			sig.Arithmetic = fmt.Sprintf("p%d is %s, under the fastest working login of %s (%s): at least %s of %s login POSTs answered too fast to have checked a password; even if all %s failures were among them, at least %s of the %s successes were not real logins",
				col, humanize.Millis(pctValue(post, col)), real.Run.Name, humanize.Millis(real.MinMS), humanize.Thousands(int64(fast)),
				humanize.Thousands(post.Requests), humanize.Thousands(post.Failures), countText(sig.Uncounted), humanize.Thousands(succ))
			return sig
		}
	}
	return nil
}

func pctValue(s *parsers.StatRow, col int) float64 {
	ps := s.Percentiles.Ptrs()
	for i, cut := range percentileCuts {
		if int(math.Round(cut*100)) == col && *ps[i] != nil {
			return **ps[i]
		}
	}
	return 0
}

// FailureStatus pulls an HTTP status out of a Locust failure message
// ("login server error: 500", "HTTP 500", "500 Server Error: ..."), 0 when
// none.
func FailureStatus(msg string) int64 {
	isDigit := func(b byte) bool { return b >= '0' && b <= '9' }
	for i := 0; i+3 <= len(msg); i++ {
		if (i > 0 && isDigit(msg[i-1])) || !isDigit(msg[i]) || !isDigit(msg[i+1]) || !isDigit(msg[i+2]) {
			continue
		}
		if i+3 < len(msg) && isDigit(msg[i+3]) {
			continue
		}
		n := int64(msg[i]-'0')*100 + int64(msg[i+1]-'0')*10 + int64(msg[i+2]-'0')
		if n >= 400 && n <= 599 {
			return n
		}
	}
	return 0
}
