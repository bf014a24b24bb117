package parsers

import (
	"bytes"
	"strconv"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// Readers shared by the formats written through Python's logging module
// (django, auth_debug, runserver, locust_auth): the
// "%(asctime)s %(levelname)s %(name)s %(message)s" prefix, and the folding
// of a traceback (with its exception chain) into the record above it.

// pyLevels are the level names Python's logging prints. Matching against a
// fixed table keeps the level string allocation-free.
var pyLevels = [...]string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "WARN", "FATAL", "NOTSET"}

// pyLevel returns the canonical level string for b, or "".
func pyLevel(b []byte) string {
	for _, lv := range pyLevels {
		if string(b) == lv {
			return lv
		}
	}
	return ""
}

// pyWord splits b at its first space: the word and what follows the space.
// PgBouncer's prefix is split with it too.
func pyWord(b []byte) (w, rest []byte) {
	i := bytes.IndexByte(b, ' ')
	if i < 0 {
		return b, nil
	}
	return b[:i], b[i+1:]
}

// pyHead reads "YYYY-MM-DD HH:MM:SS,mmm LEVEL " from the start of b: the
// wall clock, the level and the rest of the line (logger and message, or
// the message alone for a "%(asctime)s %(levelname)s %(message)s" format).
func pyHead(b []byte) (t time.Time, level string, rest []byte, ok bool) {
	if len(b) < 20 || b[10] != ' ' {
		return time.Time{}, "", nil, false
	}
	t, n, ok := parseDateTime(b)
	if !ok || n >= len(b) || b[n] != ' ' {
		return time.Time{}, "", nil, false
	}
	lv, rest := pyWord(b[n+1:])
	level = pyLevel(lv)
	if level == "" {
		return time.Time{}, "", nil, false
	}
	return t, level, rest, true
}

// pyRecord is one parsed "asctime LEVEL logger message" line, or one of
// Django's "verbose" formatter, "LEVEL asctime module process thread
// message".
type pyRecord struct {
	T      time.Time
	Level  string
	Logger []byte
	Msg    []byte
	// Process and Thread are the verbose formatter's %(process)d and
	// %(thread)d, nil when the line has none.
	Process, Thread []byte
}

// pyRecords is the read loop of a file of Django-formatter records
// (auth_debug.log, django_errors.log): a record line ends the pending
// record and starts the next, its row built by authEvent (with the auth
// row when withRow) and refined by record when set; every other line goes
// to other, which folds it into the pending record, starts a record of its
// own, or reports it unparsed.
func pyRecords(c *Context, source schema.SourceKind, withRow bool, other func(p *pyPending, l Line), record func(r *evRow, rec pyRecord)) {
	var p pyPending
	var kvs []pyKV
	var r evRow
	var ar authRow
	for {
		l, ok := c.Next()
		if !ok {
			break
		}
		rec, ok := parsePyRecord(l.Text)
		if !ok {
			other(&p, l)
			continue
		}
		p.flush(c)
		r.reset()
		kvs = authEvent(c, source, l, rec, kvs, &r, &ar, withRow)
		if record != nil {
			record(&r, rec)
		}
		p.start(&r, l.Text, false)
	}
	p.flush(c)
}

// parsePyRecord reads a full Django-formatter line: the user's
// "%(asctime)s %(levelname)s %(name)s %(message)s", or Django's documented
// "verbose" formatter with the level first, "{levelname} {asctime}
// {module} {process:d} {thread:d} {message}" (process and thread optional
// together; a padded level, "%(levelname)-8s", reads too).
func parsePyRecord(b []byte) (pyRecord, bool) {
	if t, level, rest, ok := pyHead(b); ok {
		if len(rest) == 0 || rest[0] == ' ' {
			return pyRecord{}, false
		}
		logger, msg := pyWord(rest)
		return pyRecord{T: t, Level: level, Logger: logger, Msg: msg}, true
	}
	t, level, rest, ok := pyVerboseHead(b)
	if !ok || len(rest) == 0 || rest[0] == ' ' {
		return pyRecord{}, false
	}
	logger, msg := pyWord(rest)
	rec := pyRecord{T: t, Level: level, Logger: logger, Msg: msg}
	if p, after := pyWord(msg); pyDigits(p, false) {
		if th, after2 := pyWord(after); pyDigits(th, true) {
			rec.Process, rec.Thread, rec.Msg = p, th, after2
		}
	}
	return rec, true
}

// pyVerboseHead reads "LEVEL YYYY-MM-DD HH:MM:SS,mmm " from the start of b:
// Django's verbose formatter puts the level before the time.
func pyVerboseHead(b []byte) (t time.Time, level string, rest []byte, ok bool) {
	if len(b) < 24 || b[0] < 'A' || b[0] > 'Z' {
		return time.Time{}, "", nil, false
	}
	lv, r := pyWord(b)
	if level = pyLevel(lv); level == "" {
		return time.Time{}, "", nil, false
	}
	r = bytes.TrimLeft(r, " ")
	t, n, ok := parseDateTime(r)
	if !ok || n >= len(r) || r[n] != ' ' {
		return time.Time{}, "", nil, false
	}
	return t, level, r[n+1:], true
}

// pyDigits reports a decimal integer token (a leading '-' when signed:
// %(thread)d can print negative on 32-bit builds).
func pyDigits(b []byte, signed bool) bool {
	if signed && len(b) > 1 && b[0] == '-' {
		b = b[1:]
	}
	return len(b) > 0 && pgbDigits(b)
}

var (
	tbHeader      = []byte("Traceback (most recent call last):")
	tbDuring      = []byte("During handling of the above exception, another exception occurred:")
	tbDirectCause = []byte("The above exception was the direct cause of the following exception:")
	tbFile        = []byte(`  File "`)
	// gevent reports a greenlet that died of an exception after its
	// traceback: "2026-01-11T03:42:27Z <Greenlet at 0x7f: run> failed with
	// KeyError". It ends the exception's message, not continues it.
	tbGreenletFailed = []byte("> failed with ")
)

// pyIsTracebackLine reports whether a line is characteristic of a Python
// traceback (used by detection; parsing folds by position instead). An
// indented line counts only inside a traceback (after its header, a frame
// or the exception line): indented JSON or HTML is not a traceback.
func pyIsTracebackLine(b []byte, inTB bool) bool {
	switch {
	case len(b) == 0:
		return false
	case bytes.HasPrefix(b, tbFile):
		return true
	case b[0] == ' ' || b[0] == '\t':
		return inTB
	case bytes.HasPrefix(b, tbHeader), bytes.HasPrefix(b, tbDuring), bytes.HasPrefix(b, tbDirectCause):
		return true
	}
	return pyExceptionHead(b)
}

// pyExceptionHead reports whether a line at column 0 reads like
// "pkg.mod.SomeError: message" (or a bare exception name): a dotted
// identifier, either containing a dot or ending in a word exceptions end in.
func pyExceptionHead(b []byte) bool {
	name := b
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		name = b[:i]
	}
	if len(name) == 0 || !pyIdentStart(name[0]) {
		return false
	}
	dot := false
	for _, c := range name {
		switch {
		case c == '.':
			dot = true
		case pyIdentStart(c) || (c >= '0' && c <= '9'):
		default:
			return false
		}
	}
	if dot && name[len(name)-1] != '.' {
		return true
	}
	for _, suf := range []string{"Error", "Exception", "Warning", "Interrupt", "Exit", "Violation", "Timeout"} {
		if bytes.HasSuffix(name, []byte(suf)) {
			return true
		}
	}
	return false
}

func pyIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// pyTBInfo is what a traceback tells: the final exception of its chain (the
// one raised last, printed last), its message (continuation lines
// included), and the innermost frame of its traceback, preferring the
// application's own code over library frames.
type pyTBInfo struct {
	Type, Message, Frame string
	// Cut is set when the text ends inside a traceback: frames with no
	// exception line after them.
	Cut bool
}

// pyAnalyzeTraceback reads the folded text of a traceback, possibly a chain
// joined by "During handling..." / "The above exception..." lines, possibly
// without its "Traceback" header (as quoted after the user's "Unhandled
// exception" lines).
func pyAnalyzeTraceback(text []byte) pyTBInfo {
	var sc tbScratch
	b := sc.analyze(text)
	return pyTBInfo{Type: string(b.Type), Message: string(b.Message), Frame: string(b.Frame), Cut: b.Cut}
}

// tbInfo is pyTBInfo with its text borrowed from the traceback and the
// scratch that analysed it: valid until the scratch is used again.
type tbInfo struct {
	Type, Message, Frame []byte
	Cut                  bool
}

// tbScratch is the working space of a traceback's analysis, reused from
// one traceback to the next.
type tbScratch struct {
	frames  [][]byte // "  File ..." lines of the current section
	earlier [][]byte // frames of the chain's earlier sections
	msg     []byte   // message of the exception being read
	done    []byte   // message of the last exception read
	frame   []byte   // the chosen frame, formatted
}

func (sc *tbScratch) analyze(text []byte) tbInfo {
	var info tbInfo
	frames, earlier, msg := sc.frames[:0], sc.earlier[:0], sc.msg[:0]
	defer func() { sc.frames, sc.earlier, sc.msg = frames, earlier, msg }()
	var frame []byte // the frame line the exception's Frame is cut from
	inExc := false
	open := false // a traceback section whose exception line has not come
	finish := func() {
		if inExc {
			sc.done = append(sc.done[:0], bytes.TrimRight(msg, " \t")...)
			info.Message = sc.done
		}
		inExc = false
	}
	for len(text) > 0 {
		var l []byte
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			l, text = text[:i], text[i+1:]
		} else {
			l, text = text, nil
		}
		switch {
		case len(bytes.TrimSpace(l)) == 0, bytes.Contains(l, tbGreenletFailed):
			finish()
		case bytes.HasPrefix(l, tbHeader):
			finish()
			open = true
			earlier = append(earlier, frames...)
			frames = frames[:0]
		case bytes.HasPrefix(l, tbDuring), bytes.HasPrefix(l, tbDirectCause):
			finish()
		case bytes.HasPrefix(l, tbFile):
			finish()
			open = true
			frames = append(frames, l)
		case l[0] == ' ' || l[0] == '\t':
			if inExc {
				msg = append(append(msg, '\n'), l...)
			}
			// else: source or caret line under a frame
		default:
			if inExc && !pyExceptionHead(l) {
				msg = append(append(msg, '\n'), l...)
				continue
			}
			finish()
			inExc = true
			open = false
			typ, m := pySplitException(l)
			info.Type = typ
			msg = append(msg[:0], m...)
			frame = pyPickFrame(frames, earlier)
		}
	}
	finish()
	info.Cut = open
	if frame != nil {
		sc.frame = pyAppendFrame(sc.frame[:0], frame)
		info.Frame = sc.frame
	}
	return info
}

// pySplitException splits "pkg.Error: message" into type and message. A line
// that does not start with an exception name is all message.
func pySplitException(l []byte) ([]byte, []byte) {
	if i := bytes.Index(l, []byte(": ")); i > 0 && pyExceptionHead(l[:i]) {
		return l[:i], l[i+2:]
	}
	if l[len(l)-1] == ':' && pyExceptionHead(l[:len(l)-1]) {
		return l[:len(l)-1], nil
	}
	if pyExceptionHead(l) && bytes.IndexByte(l, ' ') < 0 {
		return l, nil
	}
	return nil, l
}

// pyPickFrame returns, as "file:line in func", the innermost frame outside
// installed libraries and the standard library: from the final exception's
// own frames, else from the chain's earlier tracebacks (the application
// call that led to a library failure); when every frame is library code, the
// innermost frame of the final exception.
func pyPickFrame(frames, earlier [][]byte) []byte {
	for _, fs := range [2][][]byte{frames, earlier} {
		for i := len(fs) - 1; i >= 0; i-- {
			if path, ok := pyFramePath(fs[i]); ok && pyInApp(path) {
				return fs[i]
			}
		}
	}
	for i := len(frames) - 1; i >= 0; i-- {
		if _, ok := pyFramePath(frames[i]); ok {
			return frames[i]
		}
	}
	return nil
}

// pyFramePath is the file of a `  File "p", line 12, in f` line.
func pyFramePath(l []byte) ([]byte, bool) {
	rest := l[len(tbFile):]
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return nil, false
	}
	return rest[:q], true
}

// pyAppendFrame appends `  File "p", line 12, in f` as "p:12 in f".
func pyAppendFrame(dst, l []byte) []byte {
	rest := l[len(tbFile):]
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return dst
	}
	path, rest := rest[:q], rest[q+1:]
	if !bytes.HasPrefix(rest, []byte(", line ")) {
		return append(dst, path...)
	}
	rest = rest[len(", line "):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	dst = append(append(append(dst, path...), ':'), rest[:j]...)
	if k := bytes.Index(rest[j:], []byte(", in ")); k >= 0 {
		dst = append(append(dst, " in "...), rest[j+k+len(", in "):]...)
	}
	return dst
}

// pyInApp reports whether a frame's file is the application's own code rather
// than an installed package or the standard library.
func pyInApp(path []byte) bool {
	if len(path) == 0 || path[0] == '<' {
		return false
	}
	for _, s := range [][]byte{[]byte("site-packages"), []byte("dist-packages"), []byte("/lib/python"), []byte(`\Lib\`), []byte("/lib64/python")} {
		if bytes.Contains(path, s) {
			return false
		}
	}
	return true
}

// pyPending is a record being built: its first line is known, and lines
// that continue it (a multi-line message, a traceback, blank separators)
// are folded into it until the next record starts. It owns a copy of the
// first line, which its row's fields point into, so the row survives the
// reads of the lines it folds.
type pyPending struct {
	active bool
	ev     evRow
	line   []byte     // the first line: ev's fields borrow from it
	msg    recordText // multi-line message continuation, before any traceback
	tb     recordText // traceback text
	inTB   bool       // continuation lines go to tb
	blanks int64      // blank lines after EndLine, not yet inside the record
	chain  bool       // the last non-blank line joined a chain ("During handling...")
	full   []byte     // the message with its continuation, built at flush
	tbs    tbScratch
}

// start begins the record r read from line (flush the previous one
// first): r is copied, and its fields that pointed into line point into
// the record's own copy of it.
func (p *pyPending) start(r *evRow, line []byte, tbOnly bool) {
	p.active = true
	p.line = append(p.line[:0], line...)
	kv := p.ev.Attrs.kv[:0]
	p.ev = *r
	p.ev.Attrs.kv = append(kv, r.Attrs.kv...)
	p.ev.rebase(line, p.line)
	p.msg.reset()
	p.tb.reset()
	p.inTB = tbOnly
	p.blanks = 0
	p.chain = false
}

// startTraceback begins a record that is a traceback on its own (no log
// prefix, no time).
func (p *pyPending) startTraceback(source schema.SourceKind, l Line) {
	var r evRow
	r.Source, r.Line, r.Kind = source, l.N, schema.KindTraceback
	p.start(&r, nil, true)
}

// newTraceback reports whether l starts a traceback of its own rather than
// continuing the record: a "Traceback" header after the record's traceback
// ended, not announced by a chain line.
func (p *pyPending) newTraceback(l []byte) bool {
	return p.active && !p.tb.empty() && !p.chain && bytes.HasPrefix(l, tbHeader)
}

// add folds a continuation line into the record.
func (p *pyPending) add(l Line) {
	if len(bytes.TrimSpace(l.Text)) == 0 {
		p.blanks++
		return
	}
	if !p.inTB && bytes.HasPrefix(l.Text, tbHeader) {
		p.inTB = true
		p.blanks = 0
	}
	if p.inTB {
		var breaks int64 // none before the traceback's first line
		if !p.tb.empty() {
			breaks = p.blanks + 1
		}
		p.tb.add(breaks, l.Text)
		p.chain = bytes.HasPrefix(l.Text, tbDuring) || bytes.HasPrefix(l.Text, tbDirectCause)
	} else {
		p.msg.add(p.blanks+1, l.Text)
	}
	p.blanks = 0
	p.ev.EndLine = l.N
}

// flush writes the record, if any, and folds its trailing blank lines.
func (p *pyPending) flush(c *Context) {
	if !p.active {
		return
	}
	if !p.msg.empty() {
		p.full = append(append(p.full[:0], p.ev.Message...), p.msg.text()...)
		p.ev.Message = p.full
	}
	if n := p.msg.dropped + p.tb.dropped; n > 0 {
		warnKept(c, p.ev.Line, p.ev.EndLine, n)
	}
	if !p.tb.empty() {
		tb := p.tb.text()
		info := p.tbs.analyze(tb)
		p.ev.ExcType, p.ev.ExcMessage, p.ev.ExcFrame = info.Type, info.Message, info.Frame
		p.ev.Traceback = tb
		if info.Cut {
			c.Warnf(p.ev.EndLine, "traceback of the record at line %d ends without its exception line (file cut short or lines lost); kept as far as it goes", p.ev.Line)
		}
	}
	c.Emit(&p.ev)
	c.Fold(p.blanks)
	p.active = false
	p.blanks = 0
}

// pyIsBlank reports whether a line holds only white space.
func pyIsBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// pySetWall fills an event's time from a naive wall clock.
func pySetWall(c *Context, e *Event, t time.Time) {
	e.Time, e.Naive, e.Zone = c.Wall(t)
}

// rowWall fills a row's time from a naive wall clock.
func rowWall(c *Context, r *evRow, t time.Time) {
	r.Time, r.Naive, r.Zone = c.wallUS(t)
	r.HasTime = true
}

// pyKV is one key=value pair of a message.
type pyKV struct{ Key, Val []byte }

// pyParseKV reads the key=value tokens of msg, separated by spaces. Keys in
// restKeys take the rest of the line (a free-text error message); tokens
// without '=' are skipped.
func pyParseKV(msg []byte, dst []pyKV, restKeys ...string) []pyKV {
	for len(msg) > 0 {
		for len(msg) > 0 && msg[0] == ' ' {
			msg = msg[1:]
		}
		tok, rest := pyWord(msg)
		eq := bytes.IndexByte(tok, '=')
		if eq <= 0 {
			msg = rest
			continue
		}
		key := tok[:eq]
		for _, rk := range restKeys {
			if string(key) == rk {
				dst = append(dst, pyKV{key, msg[eq+1:]})
				return dst
			}
		}
		dst = append(dst, pyKV{key, tok[eq+1:]})
		msg = rest
	}
	return dst
}

// pyAtoi parses a decimal integer, without allocating.
func pyAtoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	neg := false
	if b[0] == '-' {
		neg, b = true, b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// pyAtof parses a decimal number. What strconv.ParseFloat would refuse
// is refused before calling it (its error allocates): a value such as
// "n/a" costs nothing.
func pyAtof(b []byte) (float64, bool) {
	if v, ok := lexDecimal(bstring(b)); ok {
		return v, true
	}
	if !pyFloatShape(b) {
		return 0, false
	}
	f, err := strconv.ParseFloat(bstring(b), 64)
	return f, err == nil
}

// pyFloatShape reports whether b can be a float ParseFloat reads: a sign,
// then a digit or a point, or inf, infinity or nan in any case.
func pyFloatShape(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	if c := b[0]; c >= '0' && c <= '9' || c == '.' {
		return true
	}
	if len(b) > 8 {
		return false
	}
	var low [8]byte
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	switch string(low[:len(b)]) {
	case "inf", "infinity", "nan":
		return true
	}
	return false
}

// pySniff is the classification of a detection sample's lines that the
// Python-logging formats score from. Every Sniff of those formats derives
// its score from the same counts, so the scores stay comparable.
type pySniff struct {
	n       int // non-blank lines
	auth    int // records whose message is auth_request/auth_response/auth_failure
	django  int // records of a django.* logger other than django.server
	server  int // django.server records and runserver request lines
	other   int // records of other loggers
	locust  int // "asctime LEVEL message" lines of locust.auth
	raw     int // "isoformat message" lines of locust.auth
	console int // runserver-only lines: banner, "Unhandled exception", bare "Forbidden"
	tb      int // traceback lines
}

// pySniffer is a Python-logging format: its Sniff is sniffPy of the
// sample's pyClassify, so Detect classifies a sample once for all of them.
type pySniffer interface{ sniffPy(pySniff) float64 }

func pyClassify(sample []Line) pySniff {
	var s pySniff
	inTB := false
	for _, l := range sample {
		b := l.Text
		if pyIsBlank(b) {
			continue
		}
		s.n++
		wasTB := inTB
		inTB = false
		if _, _, rest, ok := pyHead(b); ok {
			logger, msg := pyWord(rest)
			switch {
			case isAuthMessage(msg):
				s.auth++
			case locustAuthHead(rest) != "":
				s.locust++
			case string(logger) == "django.server":
				s.server++
			case bytes.HasPrefix(logger, []byte("django.")):
				s.django++
			default:
				s.other++
			}
			continue
		}
		if rec, ok := parsePyRecord(b); ok {
			// Level first: the logger is a module name ("log",
			// "basehttp"), so the message tells what the record is.
			switch {
			case isAuthMessage(rec.Msg):
				s.auth++
			case string(rec.Logger) == "basehttp" || isRequestMsg(rec.Msg):
				s.server++
			default:
				// Django's documented formatter, whatever the module.
				s.django++
			}
			continue
		}
		if isDjangoReason(b) {
			// Django's default console line, "Not Found: /x".
			s.django++
			continue
		}
		if locustRawLine(b) {
			s.raw++
			continue
		}
		if _, ok := parseRequestLine(b); ok {
			s.server++
			continue
		}
		if _, rest, ok := parseServerTime(b); ok && channelsLine(rest) {
			s.server++
			continue
		}
		if _, _, ok := parseSimpleRequest(b); ok || channelsLine(b) {
			s.server++
			continue
		}
		if runserverConsoleLine(b) {
			s.console++
			continue
		}
		if pyIsTracebackLine(b, wasTB) {
			s.tb++
			inTB = true
		}
	}
	return s
}

// isRequestMsg reports a django.server message, `"GET /x HTTP/1.1" 200 12`.
func isRequestMsg(msg []byte) bool {
	_, ok := parseRequest(msg)
	return ok
}
