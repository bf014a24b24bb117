package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// pgbouncerPoolExhausted: clients queued in PgBouncer longer than
// query_wait_timeout and were cut off, as the pooler's or the driver's own
// lines say.
var pgbouncerPoolExhausted = &Check[pgbouncerPoolExhaustedParams]{
	ID:    "pgbouncer-pool-exhausted",
	Doc:   "PgBouncer pool exhausted (query_wait_timeout)",
	Needs: []Need{{SrcPgBouncer, SrcDjango, SrcRunserver}},
	Run:   runPgbouncerPoolExhausted,
}

func init() { register(pgbouncerPoolExhausted) }

type pgbouncerPoolExhaustedParams struct {
	ceilingParams `yaml:",inline"` // request names stopping at the timeout are cited
	// WaitMeaningfulSince is the first PgBouncer version whose stats
	// "wait" is the average wait of the clients assigned a server in the
	// period; before it, it is wait accumulated per second (how many
	// clients waited on average), not a wait time. "" (the default): no
	// version is trusted to report it per client.
	WaitMeaningfulSince string `yaml:"wait_meaningful_since"`
}

// gatherPool is what the run's logs say about the pool: correlate's
// classification of the run's own stretch, computed once per run
// (correlate.ComputeOwn) and read as it is.
func gatherPool(ctx *Context) *correlate.PoolFacts { return ctx.facts().pool }

func runPgbouncerPoolExhausted(ctx *Context, p *pgbouncerPoolExhaustedParams) []Finding {
	pf := gatherPool(ctx)
	if pf.Found() {
		return []Finding{poolFromLogs(ctx, pf, p)}
	}
	// No cause without its evidence: a latency ceiling at PgBouncer's
	// default timeout, from the CSVs alone, is latency-ceiling's finding
	// (which names the log that would confirm it), not this one.
	return nil
}

// linked5xx counts server errors whose chain holds the pool timeout, by
// endpoint; without chains, the app-side records' paths.
func linked5xx(ctx *Context, p *correlate.PoolFacts) (int64, map[string]int64, []Evidence) {
	byPath := map[string]int64{}
	var ev []Evidence
	var n int64
	for _, c := range ownChains(ctx) {
		pool := c.Pooler != nil || strings.Contains(c.ExcType+": "+c.ExcMessage, "query_wait_timeout")
		if !pool || c.Status < 500 {
			continue
		}
		n++
		byPath[strings.TrimSpace(c.Method+" "+templatePath(c.Path))]++
		// Only the first and the last are cited (poolFromLogs).
		if len(ev) < 2 {
			ev = append(ev, RefEvidence(&c.Anchor))
		} else {
			ev[1] = RefEvidence(&c.Anchor)
		}
	}
	if n > 0 {
		return n, byPath, ev
	}
	// No chains: the django.request records of the file that holds most.
	best, _ := maxPerFile(p.DriverByFile)
	var file string
	for f, c := range p.DriverByFile {
		if c == best && (file == "" || f < file) {
			file = f
		}
	}
	for _, e := range p.Driver {
		if e.File() == file && e.Path() != "" {
			n += 1 + e.Duplicates()
			byPath[templatePath(e.Path())] += 1 + e.Duplicates()
		}
	}
	return n, byPath, nil
}

func poolFromLogs(ctx *Context, p *correlate.PoolFacts, pp *pgbouncerPoolExhaustedParams) Finding {
	cp := &pp.ceilingParams
	run := ctx.Run
	m := map[string]float64{
		"pooler_errors":        float64(len(p.Pooler)),
		"closed_waiting":       float64(len(p.Closing)),
		"driver_errors":        0,
		"linked_server_errors": 0,
	}
	var sentences []string
	var ev, evPooler, evDriver, evServer, evCSV []Evidence

	if len(p.Pooler) > 0 || len(p.Closing) > 0 {
		n := int64(len(p.Pooler))
		if n == 0 {
			n = int64(len(p.Closing))
		}
		s := fmt.Sprintf("PgBouncer turned away %s waiting %s with `query_wait_timeout`", humanize.Thousands(n), humanize.Plural(n, "client", "clients"))
		if f := firstOf(p.Pooler, p.Closing); f != nil {
			s += " in " + f.File()
			if !p.First.IsZero() {
				s += " from " + fmtTime(p.First)
			}
		}
		if len(p.Ages) > 0 {
			// age= is the client connection's age when cut off: never below
			// the timeout, so the youngest is the configured value.
			lo, _ := minMax(p.Ages)
			m["query_wait_timeout_s"] = float64(lo)
			s += fmt.Sprintf(" (youngest client cut off: %d s old, so query_wait_timeout ≈ %d s)", lo, lo)
		}
		sentences = append(sentences, s)
		evPooler = endsCited(EventEvidence, p.Pooler, p.Closing)
	}
	driverN, driverFiles := maxPerFile(p.DriverByFile)
	m["driver_errors"] = float64(driverN)
	if driverN > 0 {
		sentences = append(sentences, fmt.Sprintf("the app's database driver raised it in %s %s (%s)",
			humanize.Thousands(driverN), humanize.Plural(driverN, "request", "requests"), strings.Join(driverFiles, ", ")))
		evDriver = endsCited(EventEvidence, p.Driver)
	}
	linked, byPath, chainEv := linked5xx(ctx, p)
	m["linked_server_errors"] = float64(linked)
	evServer = chainEv
	if linked > 0 {
		sentences = append(sentences, fmt.Sprintf("%s %s answered 5xx because of it: %s",
			humanize.Thousands(linked), humanize.Plural(linked, "request was", "requests were"), countBy(byPath, 8)))
	}
	rows5xx, n5xx := csv5xx(run)
	m["locust_5xx_failures"] = float64(n5xx)
	sort.SliceStable(rows5xx, func(i, j int) bool { return rows5xx[i].Occurrences > rows5xx[j].Occurrences })
	if n5xx > 0 {
		names := map[string]int64{}
		for _, r := range rows5xx {
			names[r.Name] += r.Occurrences
			evCSV = append(evCSV, FailureEvidence(r))
		}
		sentences = append(sentences, fmt.Sprintf("Locust recorded %s 5xx failures: %s", humanize.Thousands(n5xx), countBy(names, 6)))
	}
	if users, h := usersAt(run, p.First); h != nil {
		m["onset_users"] = float64(users)
		sentences = append(sentences, fmt.Sprintf("it began with %d users running", users))
	}
	if rec := reconcile5xx(ctx); rec != "" {
		sentences = append(sentences, rec)
	}
	if len(p.Settings) > 0 {
		sentences = append(sentences, "PgBouncer's own settings in the log: "+strings.Join(p.Settings, ", ")+
			" (default_pool_size is not logged; the pool is smaller than the load needed)")
		evPooler = append(evPooler, EventEvidence(*p.SettingsAt))
	}
	timeoutMS := cp.CeilingMS
	if t, ok := m["query_wait_timeout_s"]; ok {
		timeoutMS = t * 1000
	}
	ceil := ceilingRows(ctx.Run, cp, timeoutMS)
	for _, r := range ceil {
		evCSV = append(evCSV, StatEvidence(r))
	}
	if len(ceil) > 0 {
		sentences = append(sentences, "latency ceiling at the timeout on "+ceilingNames(ceil))
	}

	// Citations: the first pooler error, the first app-side record, the
	// first 5xx, one Locust row, then the last of each. (A storm has
	// hundreds of thousands of each: evPooler, evDriver and evServer hold
	// their first and last only.)
	ev = append(ev, first(evPooler)...)
	ev = append(ev, first(evDriver)...)
	ev = append(ev, first(evServer)...)
	ev = append(ev, first(evCSV)...)
	for _, rest := range [][]Evidence{evPooler, evDriver, evServer, evCSV} {
		if len(rest) > 1 {
			ev = append(ev, rest[len(rest)-1])
		}
	}

	sev := High.String()
	if linked > 0 || n5xx > 0 {
		sev = Critical.String()
	}
	conf := 0.55
	var missing []string
	if len(p.Pooler)+len(p.Closing) > 0 {
		conf += 0.2
	} else {
		missing = append(missing, missingFrom(ctx, "PgBouncer log with `pooler error: query_wait_timeout`", SrcPgBouncer))
	}
	if driverN > 0 {
		conf += 0.1
	} else {
		missing = append(missing, missingFrom(ctx, "Django traceback naming query_wait_timeout (django_errors.log or runserver stderr)", SrcDjango, SrcRunserver))
	}
	if linked > 0 {
		conf += 0.1
	} else if n5xx > 0 {
		conf += 0.05
	}
	summary := capitalize(strings.Join(sentences, "; ")) + "."
	// PgBouncer's stats wait is said on its own, never beside the
	// timeout: what it means depends on the version.
	if p.MaxWait != nil {
		w, note, meaningful := statsWait(p, pp.WaitMeaningfulSince)
		summary += " " + w
		ev = append(ev, noted(EventEvidence(*p.MaxWait), note))
		if meaningful {
			m["max_avg_wait_s"] = round3(p.MaxWaitUS / 1e6)
		} else {
			m["max_clients_waiting"] = round3(p.MaxWaitUS / 1e6)
		}
		if p.VersionAt != nil {
			ev = append(ev, noted(EventEvidence(*p.VersionAt), "PgBouncer's version, which decides what its stats' wait means"))
		}
	}
	f := Finding{
		Role:       RoleCause,
		Severity:   sev,
		Confidence: math.Min(conf, 0.97),
		Summary:    summary,
		Headline:   poolHeadline(p, linked, n5xx),
		Impact:     poolImpact(run, n5xx, rows5xx),
		RuledOut: []string{"a login or authentication bug: the failing requests (logins among them) waited for a database connection and were cut off",
			"slow endpoints alone: the requests failed in PgBouncer's queue, before any query ran"},
		Interpretation: "PgBouncer had no free server connection for these clients: every slot of the pool was held by " +
			"slower transactions, the queue grew, and after query_wait_timeout PgBouncer cut the waiting clients off. " +
			"Django saw a database error and answered 500; Locust counted the 500s as failures and the waits as latency.",
		Recommendation: "Raise default_pool_size (and reserve_pool_size) in PgBouncer within PostgreSQL's max_connections, " +
			"shorten the transactions that hold connections (the slow endpoints), and keep query_wait_timeout above the " +
			"longest legitimate wait; rerun with the same users to confirm the pooler errors are gone.",
		Evidence: ev,
		Missing:  missing,
		Metrics:  m,
	}
	return f
}

// ceilingParams say where a request name's slow responses stop at a
// pooler timeout: max within [low, high] × the timeout and p95 at least
// p95 ratio × it.
type ceilingParams struct {
	CeilingMS        float64 `yaml:"ceiling_ms"`
	CeilingLowRatio  float64 `yaml:"ceiling_low_ratio"`
	CeilingHighRatio float64 `yaml:"ceiling_high_ratio"`
	CeilingP95Ratio  float64 `yaml:"ceiling_p95_ratio"`
}

// ceilingRows are request rows whose slow responses pile up at the
// timeout.
func ceilingRows(run *correlate.Run, cp *ceilingParams, timeoutMS float64) []*parsers.StatRow {
	lo := cp.CeilingLowRatio * timeoutMS
	hi := cp.CeilingHighRatio * timeoutMS
	p95min := cp.CeilingP95Ratio * timeoutMS
	var out []*parsers.StatRow
	for _, row := range model.RequestRows(run) {
		if row.Max == nil || *row.Max < lo || *row.Max > hi {
			continue
		}
		p := row.P95
		if p == nil || *p < p95min {
			continue
		}
		out = append(out, row)
	}
	return out
}

func ceilingNames(rows []*parsers.StatRow) string {
	var parts []string
	for _, r := range rows {
		s := fmt.Sprintf("%s (max %s, p95 %s", r.Name, humanize.Millis(*r.Max), humanize.Millis(*r.P95))
		if r.P99 != nil {
			s += ", p99 " + humanize.Millis(*r.P99)
		}
		parts = append(parts, s+")")
	}
	return strings.Join(parts, ", ")
}

// statsWait says what PgBouncer's highest stats "wait" means. Since
// PgBouncer made avg_wait_time the average wait of the clients given a
// server in the period (PR #727) it is a wait time; before, it is wait
// accumulated per second of the period, i.e. how many clients waited on
// average. It is read as a time only when the log names a version at or
// after since, and never when it exceeds the timeout the log shows (no
// client can have waited longer than it on average).
func statsWait(p *correlate.PoolFacts, since string) (sentence, note string, meaningful bool) {
	us := p.MaxWaitUS
	clients := fmt.Sprintf("about %.1f clients waiting on average", us/1e6)
	timeoutUS := 0.0
	if len(p.Ages) > 0 {
		lo, _ := minMax(p.Ages)
		timeoutUS = float64(lo) * 1e6
	}
	switch {
	case timeoutUS > 0 && us > timeoutUS:
		v := "PgBouncer"
		if p.Version != "" {
			v += " " + p.Version
		}
		return fmt.Sprintf("%s's stats `wait` peaks at %.0f us, more than the %.0f s query_wait_timeout: no client waited that long on average, so it is wait accumulated per second of the period (%s), not a wait time.", v, us, timeoutUS/1e6, clients),
			"stats wait: accumulated per second (it exceeds the timeout), not a wait time", false
	case p.Version != "" && since != "" && versionAtLeast(p.Version, since):
		return fmt.Sprintf("PgBouncer %s's stats put the average wait of clients given a server at up to %s in a stats period.", p.Version, humanize.Millis(us/1e3)),
			"stats wait: average wait of clients assigned a server in the period (PgBouncer " + p.Version + ")", true
	case p.Version != "" && since != "":
		return fmt.Sprintf("PgBouncer %s's stats `wait` peaks at %.0f us: before %s that is wait accumulated per second of the period (%s), not a wait time.", p.Version, us, since, clients),
			"stats wait: accumulated per second (PgBouncer " + p.Version + "), not a wait time", false
	}
	return fmt.Sprintf("PgBouncer's stats lines peak at `wait %.0f us`; what that figure means depends on PgBouncer's version (a wait time in newer releases, wait accumulated per second, %s, in older ones), so it is not read as a wait time.", us, clients),
		"stats wait: meaning depends on PgBouncer's version", false
}

// versionAtLeast compares dotted versions ("1.18.0" >= "1.18"); false when
// v is unknown.
func versionAtLeast(v, min string) bool {
	if v == "" {
		return false
	}
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x, _ = strconv.Atoi(a[i])
		}
		if i < len(b) {
			y, _ = strconv.Atoi(b[i])
		}
		if x != y {
			return x > y
		}
	}
	return true
}

func poolHeadline(p *correlate.PoolFacts, linked, n5xx int64) string {
	n := int64(len(p.Pooler))
	if n == 0 {
		n = int64(len(p.Closing))
	}
	s := "PgBouncer's pool was exhausted"
	switch {
	case n > 0:
		s += fmt.Sprintf(": it cut off %s waiting %s with query_wait_timeout", humanize.Thousands(n), humanize.Plural(n, "client", "clients"))
	case len(p.Driver) > 0:
		s += fmt.Sprintf(": the app's driver reported query_wait_timeout %s times", humanize.Thousands(int64(len(p.Driver))))
	}
	if linked > 0 {
		s += fmt.Sprintf(", and %s requests answered 5xx because of it", humanize.Thousands(linked))
	} else if n5xx > 0 {
		s += fmt.Sprintf("; Locust recorded %s 5xx", humanize.Thousands(n5xx))
	}
	return s
}

// poolImpact says what the pool's failures did to the run's figures.
func poolImpact(run *correlate.Run, n5xx int64, rows []*parsers.FailureRow) string {
	total := aggRequests(run)
	if n5xx == 0 || total == 0 {
		return ""
	}
	s := fmt.Sprintf("%s of the run's %s requests (%s) failed with 5xx", humanize.Thousands(n5xx), humanize.Thousands(total), humanize.Pct(pct(n5xx, total)))
	if _, post := model.LoginRows(run); post != nil {
		var n int64
		for _, r := range rows {
			if r.Name == post.Name {
				n += r.Occurrences
			}
		}
		if n > 0 {
			s += fmt.Sprintf(", %s of %s logins among them (those users ran anonymously)", humanize.Thousands(n), humanize.Thousands(post.Requests))
		}
	}
	return s + "; latencies include the queue wait up to query_wait_timeout"
}

// endsCited cites the first and the last row of the lists taken as one
// (one citation when they hold one row, none when empty).
func endsCited[T any](cite func(T) Evidence, lists ...[]T) []Evidence {
	var firstRow, lastRow *T
	n := 0
	for _, l := range lists {
		if len(l) == 0 {
			continue
		}
		if firstRow == nil {
			firstRow = &l[0]
		}
		lastRow, n = &l[len(l)-1], n+len(l)
	}
	switch n {
	case 0:
		return nil
	case 1:
		return []Evidence{cite(*firstRow)}
	}
	return []Evidence{cite(*firstRow), cite(*lastRow)}
}
