package parsers

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// pgbouncer reads PgBouncer's log, as written to its logfile or to a
// container's output (`docker logs`, with or without -t):
//
//	[DOCKER_RFC3339 ]YYYY-MM-DD HH:MM:SS.mmm ZONE [PID] LEVEL message
//
// Older releases printed no zone and a bare pid ("... 12.345 1234 LOG ...");
// both shapes are read. ZONE is the process's zone abbreviation (or a
// numeric offset): unambiguous ones are turned into UTC, the rest are kept
// as naive wall clocks and reported.
type pgbouncer struct{}

func init() { Register(pgbouncer{}) }

func (pgbouncer) Name() string { return "pgbouncer" }

func (pgbouncer) Doc() Doc {
	return Doc{
		Summary: "PgBouncer log (logfile or docker logs, with or without -t)",
		Sample:  "2026-11-29 18:57:27.303 WIB [19202] WARNING C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout",
		Extracts: []string{
			"time (zone abbreviation → UTC when unambiguous)", "level", "kind (pooler_error, closing, login_attempt, new_connection, stats, banner, log)",
			"user", "exc_message (pooler error)", "attrs: pid, conn, side, db, user, client/server, local, error, reason, age_s, tls, docker_time, stats values (xacts_per_s, queries_per_s, in_bytes_per_s, out_bytes_per_s, xact_us, query_us, wait_us, req_per_s...)",
		},
		Variants: []Variant{
			{"zone abbreviation and [pid]", "PgBouncer 1.8-1.24", "2026-11-29 18:57:27.303 WIB [19202] WARNING C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout", "corpus/stack (Debian's PgBouncer 1.18)"},
			{"no zone, bare pid, \"Pooler Error:\" capitalised; here through a Heroku log drain", "PgBouncer up to 1.7",
				"2017-05-10T20:17:33.496510+00:00 app[worker_high.1]: 2017-05-10 20:17:33.496 37 WARNING C-0x151f1e8: db1/u456eks4prrd16@127.0.0.1:51306 Pooler Error: query_wait_timeout", "travis-ci/travis-logs pull request #111"},
		},
		Notes: "Ambiguous zone abbreviations (IST, CST, BST...) and unknown ones leave times naive unless --tz is given or a docker -t time pins the offset. PgBouncer 1.7 and older write \"Pooler Error:\" (typed as pooler_error too) and no zone; a Heroku log drain's \"RFC3339 app[dyno]: \" prefix reads like docker -t.",
	}
}

// pgbLevels are the levels PgBouncer prints (usual/logging.c).
var pgbLevels = []string{"LOG", "WARNING", "ERROR", "FATAL", "NOISE", "DEBUG"}

// pgbLevelOf is the level of a printed level word, LevelNone for a word
// that is not one of pgbLevels (read once per line: a switch, not a
// search of the vocabulary).
func pgbLevelOf(w []byte) schema.Level {
	switch string(w) {
	case "LOG":
		return pgbLevelVals[0]
	case "WARNING":
		return pgbLevelVals[1]
	case "ERROR":
		return pgbLevelVals[2]
	case "FATAL":
		return pgbLevelVals[3]
	case "NOISE":
		return pgbLevelVals[4]
	case "DEBUG":
		return pgbLevelVals[5]
	}
	return schema.LevelNone
}

// pgbLevelVals are pgbLevels as the vocabulary types them.
var pgbLevelVals = func() (v [6]schema.Level) {
	for i, l := range pgbLevels {
		v[i], _ = schema.LevelOf([]byte(l))
	}
	return v
}()

// pgbPid reads a pid token, bracketed ([19202]) or bare (4321).
func pgbPid(tok []byte) ([]byte, bool) {
	switch {
	case len(tok) > 2 && tok[0] == '[' && tok[len(tok)-1] == ']':
		return tok[1 : len(tok)-1], true
	case pgbDigits(tok):
		return tok, true
	}
	return nil, false
}

// pgbLine is one line split into its prefix fields; byte slices point into
// the line.
type pgbLine struct {
	docker    time.Time // UTC, from a docker -t prefix
	hasDocker bool
	wall      time.Time // the printed clock, fields read as UTC
	hasWall   bool
	zone      []byte
	pid       []byte
	level     schema.Level
	msg       []byte
}

// pgbSplit reads the prefix of a PgBouncer line. ok means the PgBouncer
// prefix (time, pid, level) was found; a docker prefix alone leaves ok
// false with hasDocker set and msg the rest of the line.
func pgbSplit(b []byte) (p pgbLine, ok bool) { return pgbSplitWith(b, nil) }

// pgbSplitWith is pgbSplit reading PgBouncer's clock through dc (nil: none),
// as Parse does line after line.
func pgbSplitWith(b []byte, dc *dateCache) (p pgbLine, ok bool) {
	if len(b) > 20 && b[10] == 'T' {
		if t, n, ok := parseDateTime(b); ok {
			if off, m, ok := parseOffset(b[n:]); ok && n+m < len(b) && b[n+m] == ' ' {
				p.docker, p.hasDocker = t.Add(-time.Duration(off)*time.Second), true
				b = b[n+m+1:]
				b = b[herokuSource(b):]
				p.msg = b
			}
		}
	}
	t, n, ok := dc.parse(b)
	if !ok || n >= len(b) || b[n] != ' ' {
		return p, false
	}
	rest := b[n+1:]
	// Optional zone, then [pid] or a bare pid.
	tok, after := pyWord(rest)
	var zone []byte
	pid, isPid := pgbPid(tok)
	if !isPid {
		zone = tok
		tok, after = pyWord(after)
		if pid, isPid = pgbPid(tok); !isPid {
			return p, false
		}
	}
	if !pgbDigits(pid) || len(zone) > 8 {
		return p, false
	}
	lv, msg := pyWord(after)
	level := pgbLevelOf(lv)
	if level == schema.LevelNone {
		return p, false
	}
	p.wall, p.hasWall, p.zone, p.pid, p.level, p.msg = t, true, zone, pid, level, msg
	return p, true
}

// herokuSource returns the length of a Heroku log drain's source tag after
// its RFC 3339 time ("app[worker_high.1]: "), or 0.
func herokuSource(b []byte) int {
	i := bytes.IndexByte(b, '[')
	if i <= 0 || i > 32 {
		return 0
	}
	j := bytes.Index(b[i:], []byte("]: "))
	if j < 0 || j > 64 {
		return 0
	}
	for _, c := range b[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return 0
		}
	}
	return i + j + 3
}

func pgbDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Sniff: PgBouncer's prefix; lines that carry only a container's (docker -t,
// Heroku drain) prefix count half when PgBouncer lines are among them: the
// entrypoint's or another process's output in the same stream.
func (pgbouncer) Sniff(sample []Line) float64 {
	n, hit, wrapped := 0, 0.0, 0
	for _, l := range sample {
		if len(bytes.TrimSpace(l.Text)) == 0 {
			continue
		}
		n++
		p, ok := pgbSplit(l.Text)
		if !ok && p.hasDocker {
			wrapped++
		}
		if ok {
			hit += 0.8
			// Connection ids and stats are PgBouncer's own.
			if bytes.HasPrefix(p.msg, []byte("C-0x")) || bytes.HasPrefix(p.msg, []byte("S-0x")) ||
				bytes.HasPrefix(p.msg, []byte("stats: ")) || bytes.HasPrefix(p.msg, []byte("Stats: ")) ||
				bytes.Contains(p.msg, []byte("PgBouncer")) {
				hit += 0.2
			}
		}
	}
	if n == 0 {
		return 0
	}
	if hit > 0 {
		hit += 0.5 * float64(wrapped)
	}
	return hit / float64(n)
}

func (pgbouncer) NameHint(base string) bool {
	return strings.Contains(strings.ToLower(base), "pgbouncer")
}

// pgbZoneState resolves zone abbreviations line by line (a restart after a
// TZ change mixes zones in one file), caching the last one seen; what to
// tell the audit goes to the Context (noteZone, warnOnce).
type pgbZoneState struct {
	c        *Context
	last     string
	lastOff  int
	lastOK   bool
	inferred map[string]int // offsets pinned by docker -t times
	// pinned is set once a zoneless line's offset came from its docker
	// time, pinnedOff that offset.
	pinned    bool
	pinnedOff time.Duration
}

// resolve returns the zone text and, when known, the offset in seconds.
func (z *pgbZoneState) resolve(zone []byte, line int64) (string, int, bool) {
	if z.last != "" && string(zone) == z.last {
		return z.last, z.lastOff, z.lastOK
	}
	name := string(zone)
	off, amb, ok := ZoneOffset(name)
	reason := ""
	if ok {
		reason = fmt.Sprintf("%s = UTC%s", name, pgbFormatOffset(off))
	} else if o, inf := z.inferred[name]; inf {
		off, ok = o, true
		reason = fmt.Sprintf("%s = UTC%s (from the docker -t times)", name, pgbFormatOffset(off))
	}
	if !ok && z.c.Loc == nil {
		if amb != "" {
			z.c.warnOnce("zone "+name, line, "zone abbreviation %s is ambiguous (%s); times left naive — give --tz", name, amb)
		} else {
			z.c.warnOnce("zone "+name, line, "zone abbreviation %s is not known; times left naive — give --tz", name)
		}
	}
	if !ok {
		if z.c.Loc != nil {
			reason = fmt.Sprintf("%s read in --tz %s", name, z.c.Loc)
		} else {
			reason = fmt.Sprintf("%s not known or ambiguous: naive", name)
		}
	}
	z.c.noteZone(name, reason)
	z.last, z.lastOff, z.lastOK = name, off, ok
	return name, off, ok
}

// infer pins an unknown abbreviation's offset from a docker -t time on the
// same line: the difference between the two clocks, if it is a whole
// quarter hour within a second or two, is the zone's offset.
func (z *pgbZoneState) infer(zone []byte, wall, docker time.Time) {
	name := string(zone)
	if _, _, ok := ZoneOffset(name); ok {
		return
	}
	if _, ok := z.inferred[name]; ok {
		return
	}
	q, ok := dockerOffset(wall, docker)
	if !ok {
		return
	}
	if z.inferred == nil {
		z.inferred = map[string]int{}
	}
	z.inferred[name] = int(q / time.Second)
	// Later lines read this zone as known: a chunk of the file that
	// learnt it cannot be parsed apart from the chunks after it.
	z.c.carriesState = true
	if z.last == name {
		z.last = ""
	}
}

// dockerOffset is the offset of a printed wall clock from the container's
// UTC time on the same line: their difference, if it is a whole quarter hour
// within a second or two.
func dockerOffset(wall, docker time.Time) (time.Duration, bool) {
	d := wall.Sub(docker)
	q := d.Round(15 * time.Minute)
	if diff := d - q; diff < -2*time.Second || diff > 2*time.Second || q > 14*time.Hour || q < -12*time.Hour {
		return 0, false
	}
	return q, true
}

// noteOnce notes a zone pinned by the container's times, formatting the
// reason only when the offset changes (every line of such a file has it).
func (z *pgbZoneState) noteOnce(name string, off time.Duration) {
	if z.pinned && z.pinnedOff == off {
		return
	}
	z.pinned, z.pinnedOff = true, off
	z.c.noteZone(name, fmt.Sprintf("no zone in the lines; UTC%s from the container's UTC times", pgbFormatOffset(int(off/time.Second))))
}

func pgbFormatOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60)
}

// pgbBanners start the messages PgBouncer prints when it starts or stops.
var pgbBanners = [][]byte{
	[]byte("process up:"), []byte("listening on "), []byte("kernel file descriptor limit"), []byte("File descriptor limit"),
	[]byte("got SIGTERM"), []byte("got SIGINT"), []byte("got SIGQUIT"), []byte("got SIGHUP"), []byte("got SIGUSR"), []byte("server lifetime over"),
	[]byte("shutting down"), []byte("shutdown"), []byte("PgBouncer"), []byte("unix socket"), []byte("Unix socket"), []byte("RESUME"), []byte("PAUSE"), []byte("SUSPEND"),
}

func (pgbouncer) Parse(c *Context) error {
	z := &pgbZoneState{c: c}
	var dc dateCache
	var r evRow
	var docker []byte // the docker -t time as the attrs column keeps it
	for {
		l, ok := c.Next()
		if !ok {
			return nil
		}
		b := l.Text
		if len(bytes.TrimSpace(b)) == 0 {
			c.Fold(1) // blank separator
			continue
		}
		p, ok := pgbSplitWith(b, &dc)
		r.reset()
		r.Source, r.Line, r.Kind = schema.SourcePgBouncer, l.N, schema.KindLog
		r.Text, r.Offset = b, l.Off // the Context keeps no copy (lineRecorder)
		r.Message = p.msg
		if p.hasDocker {
			docker = p.docker.AppendFormat(docker[:0], time.RFC3339Nano)
		}
		if !ok {
			if p.hasDocker {
				// Output of the container's entrypoint, not PgBouncer's.
				r.Time, r.HasTime, r.Zone = p.docker.UnixMicro(), true, zoneUTC
				r.Attrs.addString("docker_time", docker)
				c.Emit(&r)
				continue
			}
			c.Unparsed(l, "no PgBouncer prefix (time [pid] LEVEL)")
			continue
		}
		r.Level = p.level
		r.Attrs.addString("pid", p.pid)
		if p.hasDocker {
			r.Attrs.addString("docker_time", docker)
		}
		switch {
		case len(p.zone) > 0:
			if p.hasDocker {
				z.infer(p.zone, p.wall, p.docker)
			}
			name, off, known := z.resolve(p.zone, l.N)
			r.Zone = sbytes(name)
			if known {
				r.Time, r.HasTime = p.wall.Add(-time.Duration(off)*time.Second).UnixMicro(), true
			} else {
				r.Time, r.Naive, _ = c.wallUS(p.wall)
				r.HasTime = true
			}
		case p.hasDocker && c.Loc == nil:
			// No zone printed (PgBouncer 1.7 and older), but the
			// container's UTC time pins the process clock's offset.
			if off, ok := dockerOffset(p.wall, p.docker); ok {
				r.Time, r.HasTime = p.wall.Add(-off).UnixMicro(), true
				z.noteOnce("(none)", off)
			} else {
				r.Time, r.Naive, r.Zone = c.wallUS(p.wall)
				r.HasTime = true
			}
		default:
			r.Time, r.Naive, r.Zone = c.wallUS(p.wall)
			r.HasTime = true
		}
		pgbMessage(&r, p.msg)
		c.Emit(&r)
	}
}

// zoneUTC is the zone column's text for times read from a UTC clock.
var zoneUTC = []byte("UTC")

var (
	pgbClient = []byte("client")
	pgbServer = []byte("server")
	pgbPoolEv = []byte("reserve_pool")
)

// pgbMessage classifies a message and pulls out its fields; the attrs
// borrow msg's bytes.
func pgbMessage(r *evRow, msg []byte) {
	rest := msg
	conn := false
	if len(rest) > 4 && (rest[0] == 'C' || rest[0] == 'S') && rest[1] == '-' && rest[2] == '0' && rest[3] == 'x' {
		if i := bytes.IndexByte(rest, ':'); i > 0 {
			conn = true
			r.Attrs.addString("conn", rest[:i])
			side := pgbClient
			if rest[0] == 'S' {
				side = pgbServer
			}
			r.Attrs.addString("side", side)
			rest = bytes.TrimLeft(rest[i+1:], " ")
			// db/user@addr, as in "rabdb/rabapp@127.0.0.1:44202".
			tok, after := pyWord(rest)
			if at := bytes.LastIndexByte(tok, '@'); at > 0 {
				if sl := bytes.IndexByte(tok[:at], '/'); sl >= 0 {
					r.Attrs.addString("db", tok[:sl])
					r.Attrs.addString("user", tok[sl+1:at])
					r.Attrs.add(side, tok[at+1:])
					rest = after
				}
			}
		}
	}
	switch {
	case bytes.HasPrefix(rest, []byte("pooler error: ")) || bytes.HasPrefix(rest, []byte("Pooler Error: ")):
		// PgBouncer 1.7 and older capitalised it.
		r.Kind = schema.KindPoolerError
		v := bytes.TrimSpace(rest[len("pooler error: "):])
		r.Attrs.addString("error", v)
		r.ExcMessage = v
	case bytes.HasPrefix(rest, []byte("closing because: ")):
		r.Kind = schema.KindClosing
		rs := bytes.TrimSpace(rest[len("closing because: "):])
		if i := pgbLastAge(rs); i >= 0 && rs[len(rs)-1] == ')' {
			age := rs[i+len(pgbAge) : len(rs)-1]
			age = bytes.TrimSuffix(age, []byte("s"))
			if pgbDigits(age) {
				r.Attrs.addString("age_s", age)
			}
			rs = rs[:i]
		}
		r.Attrs.addString("reason", rs)
	case bytes.HasPrefix(rest, []byte("login attempt: ")):
		r.Kind = schema.KindLoginAttempt
		kv := rest[len("login attempt: "):]
		for len(kv) > 0 {
			var tok []byte
			tok, kv = pyWord(kv)
			if eq := bytes.IndexByte(tok, '='); eq > 0 {
				r.Attrs.set(tok[:eq], tok[eq+1:])
			}
		}
	case bytes.HasPrefix(rest, []byte("new connection to server")):
		r.Kind = schema.KindNewConnection
		rs := rest[len("new connection to server"):]
		if i := bytes.Index(rs, []byte("(from ")); i >= 0 && len(rs) > 0 && rs[len(rs)-1] == ')' {
			r.Attrs.addString("local", rs[i+len("(from "):len(rs)-1])
		}
	case bytes.HasPrefix(rest, []byte("taking connection from reserve_pool")):
		r.Attrs.addString("event", pgbPoolEv)
	case !conn && (bytes.HasPrefix(rest, []byte("stats: ")) || bytes.HasPrefix(rest, []byte("Stats: "))):
		r.Kind = schema.KindStats
		pgbStats(&r.Attrs, rest[len("stats: "):])
	case !conn:
		for _, bn := range pgbBanners {
			if bytes.HasPrefix(rest, bn) {
				r.Kind = schema.KindBanner
				break
			}
		}
	}
	if u := r.Attrs.get("user"); len(u) > 0 {
		r.User = u
	}
}

// pgbAge introduces a closing's connection age.
const pgbAge = " (age="

// pgbLastAge is bytes.LastIndex(rs, pgbAge), searched from the end byte by
// byte: the age closes the line, a few bytes from its end, and
// bytes.LastIndex's Rabin-Karp set-up cost more than the search.
func pgbLastAge(rs []byte) int {
	for i := len(rs) - len(pgbAge); i >= 0; i-- {
		if rs[i] == ' ' && string(rs[i:i+len(pgbAge)]) == pgbAge {
			return i
		}
	}
	return -1
}

// pgbStats reads every "N name" or "name N unit" pair of a stats line into
// attrs with normalised keys, so that every PgBouncer release's wording
// (older "12 req/s, in 1234 b/s", 1.8+ "xacts/s ... wait N us", 1.21+
// "client parses/s ...") lands in the same columns:
// "21 xacts/s" → xacts_per_s, "in 4772 B/s" → in_bytes_per_s,
// "xact 219145 us" → xact_us.
func pgbStats(attrs *kvList, b []byte) {
	var buf [16][]byte
	for len(b) > 0 {
		var part []byte
		if i := bytes.IndexByte(b, ','); i >= 0 {
			part, b = b[:i], b[i+1:]
		} else {
			part, b = b, nil
		}
		fields := pgbFields(buf[:0], part)
		at := -1
		for i, f := range fields {
			if pgbNumber(f) {
				at = i
				break
			}
		}
		if at < 0 || len(fields) < 2 {
			continue
		}
		var name, unit [][]byte
		if at == 0 {
			name = fields[1:]
		} else {
			name, unit = fields[:at], fields[at+1:]
		}
		key := pgbStatKey(name, unit)
		if key != "" {
			attrs.setString(key, fields[at])
		}
	}
}

// pgbFields is bytes.Fields (space-separated) into dst, without allocating
// for the few words a stats part has.
func pgbFields(dst [][]byte, b []byte) [][]byte {
	for {
		for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
			b = b[1:]
		}
		if len(b) == 0 {
			return dst
		}
		i := 0
		for i < len(b) && b[i] != ' ' && b[i] != '\t' {
			i++
		}
		dst, b = append(dst, b[:i]), b[i:]
	}
}

// pgbStatKeys interns the normalised stats keys: a file prints the same
// dozen on every stats line.
var pgbStatKeys sync.Map // raw words → key

func pgbNumber(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	dot := false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return true
}

func pgbStatKey(name, unit [][]byte) string {
	var raw [128]byte
	r := raw[:0]
	for _, w := range name {
		r = append(append(r, w...), ' ')
	}
	r = append(r, '|')
	for _, w := range unit {
		r = append(append(r, w...), ' ')
	}
	if k, ok := pgbStatKeys.Load(string(r)); ok {
		return k.(string)
	}
	key := pgbBuildStatKey(name, unit)
	pgbStatKeys.Store(string(r), key)
	return key
}

func pgbBuildStatKey(name, unit [][]byte) string {
	var sb strings.Builder
	for i, w := range name {
		if i > 0 {
			sb.WriteByte('_')
		}
		s := strings.ToLower(string(w))
		if strings.HasSuffix(s, "/s") {
			s = strings.TrimSuffix(s, "/s") + "_per_s"
		}
		sb.WriteString(s)
	}
	for _, w := range unit {
		s := string(w)
		switch s {
		case "B/s", "b/s":
			s = "bytes_per_s"
		case "us", "ms", "s":
		default:
			s = strings.ToLower(s)
			if strings.HasSuffix(s, "/s") {
				s = strings.TrimSuffix(s, "/s") + "_per_s"
			}
		}
		sb.WriteByte('_')
		sb.WriteString(s)
	}
	return sb.String()
}
