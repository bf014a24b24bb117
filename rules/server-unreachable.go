package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// serverUnreachable: failures without an HTTP response.
var serverUnreachable = &Check[noParams]{
	ID:    "server-unreachable",
	Doc:   "server unreachable or dropping connections",
	Needs: []Need{{SrcFailures}},
	Run:   runServerUnreachable,
}

func init() { register(serverUnreachable) }

var unreachableMarks = []string{"ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError", "RemoteDisconnected",
	"NewConnectionError", "Max retries exceeded", "Connection refused", "Connection reset", "Connection aborted", "ConnectTimeout", "status code 0", "status 0"}

func isUnreachable(e string) bool {
	for _, m := range unreachableMarks {
		if strings.Contains(e, m) {
			return true
		}
	}
	return false
}

func runServerUnreachable(ctx *Context, _ *noParams) []Finding {
	r := ctx.Run
	var rows []*parsers.FailureRow
	var n int64
	for _, fr := range model.FailureRows(r) {
		if isUnreachable(fr.Error) {
			rows = append(rows, fr)
			n += fr.Occurrences
		}
	}
	if len(rows) == 0 {
		return nil
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Occurrences > rows[j].Occurrences })
	total := aggRequests(r)
	f := Finding{
		Severity:   "high",
		Confidence: 0.9,
		Summary: fmt.Sprintf("%s requests over %d request name(s) failed without an HTTP response (connection refused/reset/aborted): %.1f%% of %s requests.",
			humanize.Thousands(n), len(rows), pct(n, total), humanize.Thousands(total)),
		Interpretation: "The server was down, restarting (runserver's autoreloader), or dropping connections (listen backlog full, worker crashed). These failures say nothing about endpoint latency; during that time the test measured an absent server.",
		Recommendation: "Check the server's log around the onset for a restart or crash, run without the autoreloader (--noreload) and rerun.",
		Metrics:        map[string]float64{"failures": float64(n), "share_pct": pct(n, total)},
	}
	if n*2 >= total && total > 0 {
		f.Severity = "critical"
	}
	// Onset: the first history second with failures (the history does not
	// say which kind; stated as such).
	for i := range r.History {
		h := &r.History[i]
		if h.TotalFailures > 0 {
			f.Evidence = append(f.Evidence, noted(HistoryEvidence(h), "first failures in the history (any kind)"))
			f.Metrics["onset_users"] = float64(h.Users)
			break
		}
	}
	for _, fr := range rows {
		f.Evidence = append(f.Evidence, FailureEvidence(fr))
	}
	return []Finding{f}
}
