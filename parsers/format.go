package parsers

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/logcorr/logcorr/model/schema"
)

// Format is one artifact format. Implementations live one per file.
type Format interface {
	// Name is the stable identifier used by --format and in the audit.
	Name() string
	// Doc describes the format for `logcorr formats`.
	Doc() Doc
	// Sniff scores, from content alone, how well a sample of the file's
	// first lines fits this format: 0 (not at all) to 1 (every line is
	// characteristic of it). Lines that several formats share (a bare
	// traceback line) should count less than lines only this format has.
	Sniff(sample []Line) float64
	// NameHint reports whether a base file name is typical of the format.
	// It only breaks ties between close content scores.
	NameHint(base string) bool
	// Parse reads every line of c.In through c.Next and writes rows and
	// line accounting through c.
	Parse(c *Context) error
}

// Doc is what `logcorr formats` prints about a format.
type Doc struct {
	Summary  string   // one line
	Sample   string   // a real line of the format
	Extracts []string // what becomes a column
	Notes    string   // caveats, e.g. "best effort"
	// Variants are the shapes of the format other versions and projects
	// write, each with a real line of it (the fixtures in testdata/public).
	Variants []Variant
}

// Variant is one shape of a format: which versions write it, a real line,
// and where that line was published.
type Variant struct {
	Name     string
	Versions string
	Sample   string
	Source   string
}

var registry = map[string]Format{}

// Register adds a format; called from each format file's init.
func Register(f Format) {
	if _, dup := registry[f.Name()]; dup {
		panic("parsers: format registered twice: " + f.Name())
	}
	registry[f.Name()] = f
}

// Formats returns every registered format, sorted by name.
func Formats() []Format {
	out := make([]Format, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Lookup returns the format with the given name.
func Lookup(name string) (Format, bool) {
	f, ok := registry[name]
	return f, ok
}

// MaxUnparsedExamples is how many unparsed lines per file the audit keeps.
const MaxUnparsedExamples = 5

// Context is what a format's Parse reads from and writes to.
type Context struct {
	In   *Input
	File string // the file's display name, for rows and messages
	// Run is the Locust run a file belongs to, derived from its name
	// (PREFIX of PREFIX_stats.csv, HTML name without .html); formats may
	// overwrite it from content.
	Run string
	// runHeader is set by a format that recognised a file of Locust's
	// own (a stats, history, failures or exceptions header): such a
	// file belongs to its run even without rows, since a header-only
	// _failures.csv says the run had no failures, which is evidence.
	runHeader bool
	// Loc is the zone given with --tz for naive wall clocks; nil when none
	// was given.
	Loc *time.Location

	audit *Audit
	res   *Result
	last  int64
	// recent keeps copies of the last lines read, so that an event emitted
	// after its continuation lines can still carry its first line's text.
	// The ring is pages of slots allocated as lines reach them: a small
	// file (most CSV files) needs one page, not the whole ring.
	recent [recentLines / ringPage]*[ringPage]ringSlot
	arena  []byte // where new ring slots' text is carved from
	// arenaSlots is how many slots the last arena held.
	arenaSlots int
	// like marks the lines that begin like a log record (recordStart), so
	// that a record folding one of them can be told apart from a record
	// folding its traceback.
	like likeBits

	// tables receives the rows (Parse); nil sends them to res (ParseFile).
	tables *fileTables
	fileID schema.FileID
	// hold keeps the rows of a revisiting format in res until it returns
	// (its events until it releases them; released counts those).
	hold     bool
	released int
	noRedact bool
	// lineRecords: the format's records are each the line just read, and
	// it gives their text and offset itself (lineRecorder), so no line is
	// kept for later.
	lineRecords bool
	memo        redactMemo // long texts' redactions (secrets.go)
	omitText    bool
	omitRoutine bool
	row         evRow  // Event → row scratch
	locName     []byte // Loc's name, as the zone column writes it
	checks      rowChecks
	rows        [schema.NumTables]int64 // rows added per table
	zones       []zoneNote
	once        map[string]bool // warnOnce keys said
	onceAt      map[int]string  // index in audit.Messages → its warnOnce key

	// omitTraceback is Options.OmitTraceback (text and routine messages
	// above are OmitText and OmitRoutineMessages), omitAuth OmitAuth.
	omitTraceback bool
	omitAuth      bool

	// A chunk of a file (chunks.go): lines up to its first record start
	// belong to the chunk before (skipLead), and it stops at the first
	// record start after stopAfter (0: reads to the end).
	starts       func([]byte) bool
	skipLead     bool
	stopAfter    int64
	stopped      bool
	carriesState bool // the format learnt something later lines depend on
}

// recentLines is how far back an event's first line can be recalled: a
// record spanning more lines keeps an empty Text and evidence falls back to
// its message.
const recentLines = 4096

// recentSlotBytes is a ring slot's first capacity.
const recentSlotBytes = 256

// Next returns the next line of the input.
func (c *Context) Next() (Line, bool) {
	if c.stopped {
		return Line{}, false
	}
	l, ok := c.In.Next()
	for ok && c.starts != nil {
		if c.skipLead && !c.starts(l.Text) {
			c.In.uncount(l) // the chunk before has it
			l, ok = c.In.Next()
			continue
		}
		c.skipLead = false
		if c.stopAfter > 0 && l.N > c.stopAfter && c.starts(l.Text) {
			c.In.uncount(l) // the chunk after begins here
			c.stopped = true
			return Line{}, false
		}
		break
	}
	if ok {
		c.last = l.N
		if c.lineRecords {
			return l, ok
		}
		sl := c.slot(l.N, true)
		if sl.text == nil {
			// Slots are carved from a shared arena, so filling the ring
			// costs an allocation per 64 lines, not per line; a longer
			// line grows its slot once. A small file's first arenas are
			// smaller (8 slots, then 16, 32, 64): most files of a folder
			// are CSVs of a few dozen lines, and each paid for 64 slots.
			// A file of 16 KiB or more takes 64 at once, as always.
			if len(c.arena) < recentSlotBytes {
				slots := ringPage
				if c.In != nil && c.In.size < ringPage*recentSlotBytes {
					slots = min(max(2*c.arenaSlots, 8), ringPage)
				}
				c.arenaSlots = slots
				c.arena = make([]byte, slots*recentSlotBytes)
			}
			sl.text, c.arena = c.arena[:0:recentSlotBytes], c.arena[recentSlotBytes:]
		}
		sl.text = append(sl.text[:0], l.Text...)
		sl.num, sl.off = l.N, l.Off
		if recordStart(l.Text) {
			c.like.set(l.N)
		}
	}
	return l, ok
}

// ringSlot is a recently read line: its number, offset and a copy of
// its text.
type ringSlot struct {
	text     []byte
	num, off int64
}

// ringPage is how many slots the ring allocates at once.
const ringPage = 64

// slot is the ring slot of line n (allocating its page when make), nil
// when its page was never needed.
func (c *Context) slot(n int64, make bool) *ringSlot {
	i := n % recentLines
	p := c.recent[i/ringPage]
	if p == nil {
		if !make {
			return nil
		}
		p = new([ringPage]ringSlot)
		c.recent[i/ringPage] = p
	}
	return &p[i%ringPage]
}

// held is the slot still holding line n, nil when none does.
func (c *Context) held(n int64) *ringSlot {
	if n <= 0 {
		return nil
	}
	if sl := c.slot(n, false); sl != nil && sl.num == n {
		return sl
	}
	return nil
}

// lineText returns the text of a recently read line, "" when it is no
// longer held.
func (c *Context) lineText(n int64) string {
	if sl := c.held(n); sl != nil {
		return string(sl.text)
	}
	return ""
}

// lineBytes returns the bytes of a recently read line, nil when it is no
// longer held; they are valid until that slot is read again.
func (c *Context) lineBytes(n int64) []byte {
	if sl := c.held(n); sl != nil {
		return sl.text
	}
	return nil
}

// lineOff returns the byte offset of a recently read line, 0 when it is
// no longer held.
func (c *Context) lineOff(n int64) int64 {
	if sl := c.held(n); sl != nil {
		return sl.off
	}
	return 0
}

// Wall turns a naive wall-clock reading (its fields read as UTC) into the
// time stored in rows: with --tz the zone is applied and the result is real
// UTC; without, the wall clock is kept and marked naive.
func (c *Context) Wall(t time.Time) (utc time.Time, naive bool, zone string) {
	if c.Loc == nil {
		return t, true, ""
	}
	local := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), c.Loc)
	return local.UTC(), false, c.Loc.String()
}

// wallUS is Wall for the byte path: the time in Unix µs, and the zone
// applied as bytes (nil when none).
func (c *Context) wallUS(t time.Time) (us int64, naive bool, zone []byte) {
	if c.Loc == nil {
		return t.UnixMicro(), true, nil
	}
	utc, _, _ := c.Wall(t)
	if c.locName == nil {
		c.locName = []byte(c.Loc.String())
	}
	return utc.UnixMicro(), false, c.locName
}

// Event adds a row to the events table and accounts for its lines: one
// record line plus EndLine-Line folded lines.
func (c *Context) Event(e Event) {
	e.File = c.File
	if e.EndLine < e.Line {
		e.EndLine = e.Line
	}
	if e.Text == "" {
		e.Text = c.lineText(e.Line)
	}
	if e.Offset == 0 {
		e.Offset = c.lineOff(e.Line)
	}
	c.audit.Records++
	c.audit.Folded += e.EndLine - e.Line
	c.foldedRecordLike(e.Line, e.EndLine)
	if c.hold {
		c.res.Events = append(c.res.Events, e)
		return
	}
	c.row.fromEvent(&e)
	c.emit(&c.row)
}

// Emit is Event for a row filled on the byte path: its text and offset
// come from the line it starts on when left empty. r's bytes need only
// live until Emit returns.
func (c *Context) Emit(r *evRow) {
	if r.EndLine < r.Line {
		r.EndLine = r.Line
	}
	if len(r.Text) == 0 {
		r.Text = c.lineBytes(r.Line)
	}
	if r.Offset == 0 {
		r.Offset = c.lineOff(r.Line)
	}
	c.audit.Records++
	c.audit.Folded += r.EndLine - r.Line
	c.foldedRecordLike(r.Line, r.EndLine)
	c.emit(r)
}

// Record accounts for a non-event record (a CSV row, a JSON document)
// spanning first..end.
func (c *Context) Record(first, end int64) {
	if end < first {
		end = first
	}
	c.audit.Records++
	c.audit.Folded += end - first
	c.foldedRecordLike(first, end)
}

// foldedRecordLike counts the record-like lines a record starting at first
// folded (first+1..end), keeping a few as examples: they are lines this
// parser did not understand as records of their own.
func (c *Context) foldedRecordLike(first, end int64) {
	if len(c.like) == 0 {
		return
	}
	for n := first + 1; n <= end; n++ {
		if !c.like.has(n) {
			continue
		}
		c.audit.RecordLikeFolded++
		if len(c.audit.RecordLikeExamples) < MaxUnparsedExamples {
			c.audit.RecordLikeExamples = append(c.audit.RecordLikeExamples, Example{Line: n,
				Text: exampleText(c.lineText(n)), Why: fmt.Sprintf("begins like a log record but was folded into the record at line %d", first)})
		}
	}
}

// Fold accounts for n lines that belong to a record without being one (a
// CSV header, HTML markup, a blank separator).
func (c *Context) Fold(n int64) { c.audit.Folded += n }

// Unparsed accounts for a line that fits no record, keeping an example.
func (c *Context) Unparsed(l Line, why string) {
	c.audit.Unparsed++
	if len(c.audit.UnparsedExamples) < MaxUnparsedExamples {
		c.audit.UnparsedExamples = append(c.audit.UnparsedExamples, Example{Line: l.N, Text: exampleText(string(l.Text)), Why: why})
	}
}

// exampleText is a line as an audit example shows it: at most 200 bytes,
// cut at a rune boundary, binary bytes escaped.
func exampleText(s string) string {
	raw := s
	if len(raw) > 200 {
		raw = raw[:200]
		// Do not split a UTF-8 sequence: back off to a rune start.
		for k := 0; k < 3 && len(raw) > 0 && !utf8.RuneStart(raw[len(raw)-1]); k++ {
			raw = raw[:len(raw)-1]
		}
		if len(raw) > 0 && !utf8.FullRuneInString(raw[len(raw)-1:]) {
			raw = raw[:len(raw)-1]
		}
	}
	text := raw
	if isBinary([]byte(raw)) {
		// Keep the example printable: binary bytes become escapes.
		text = strconv.QuoteToASCII(text)
		text = text[1 : len(text)-1]
	}
	if len(s) > 200 {
		text += "…"
	}
	return text
}

// Warnf records a message about a line of the file ("file:line: ...").
// line 0 means the file as a whole.
func (c *Context) Warnf(line int64, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		c.audit.Messages = append(c.audit.Messages, fmt.Sprintf("%s:%d: %s", c.File, line, msg))
	} else {
		c.audit.Messages = append(c.audit.Messages, fmt.Sprintf("%s: %s", c.File, msg))
	}
}

// Lossf is Warnf for what was not read as written (a field cut, a row
// left out): the message is also one of the audit's warnings, which
// every report shows.
func (c *Context) Lossf(line int64, format string, args ...any) {
	c.Warnf(line, format, args...)
	c.audit.Warnings = append(c.audit.Warnings, c.audit.Messages[len(c.audit.Messages)-1])
}

// noteZone notes a zone the file's lines printed and how it was read; the
// audit's zone lists them in the order first seen, each with its last
// reason.
func (c *Context) noteZone(name, reason string) {
	for i := range c.zones {
		if c.zones[i].name == name {
			c.zones[i].reason = reason
			return
		}
	}
	c.zones = append(c.zones, zoneNote{name, reason})
}

// zoneNote is a zone a file printed and how it was read.
type zoneNote struct{ name, reason string }

// finishZones sets the audit's zone from the notes.
func (c *Context) finishZones() {
	if len(c.zones) == 0 {
		return
	}
	names, reasons := make([]string, len(c.zones)), make([]string, len(c.zones))
	for i, z := range c.zones {
		names[i], reasons[i] = z.name, z.reason
	}
	c.SetZone(strings.Join(names, ","), "printed in each line: "+strings.Join(reasons, "; "))
}

// warnOnce is Warnf for a message said once per file and key (the first
// time a zone is met).
func (c *Context) warnOnce(key string, line int64, format string, args ...any) {
	if c.once[key] {
		return
	}
	if c.once == nil {
		c.once = map[string]bool{}
	}
	c.once[key] = true
	c.Warnf(line, format, args...)
	if c.onceAt == nil {
		c.onceAt = map[int]string{}
	}
	c.onceAt[len(c.audit.Messages)-1] = key
}

// SetZone records how the file's times were read, for the audit.
func (c *Context) SetZone(zone, reason string) {
	c.audit.Zone, c.audit.ZoneReason = zone, reason
}

// Merged counts duplicate lines merged into an existing event.
func (c *Context) Merged(n int64) { c.audit.Merged += n }

// AuthRow adds a row, filled on the byte path, to the auth table (no line
// accounting: the same line is also an Event).
func (c *Context) AuthRow(r *authRow) {
	r.Offset = c.lineOff(r.Line)
	if c.hold {
		c.res.Auth = append(c.res.Auth, r.toAuthRow(c.File))
		return
	}
	c.emitAuthRow(r)
}

// Stat adds a row to the locust_stats table.
func (c *Context) Stat(r StatRow) {
	r.File, r.Offset = c.File, c.lineOff(r.Line)
	add(c, &r, (*Context).emitStat, &c.res.Stats)
}

// History adds a row to the locust_history table. (Called directly,
// not through add: a history file has a row per line, and r stays on the
// stack.)
func (c *Context) History(r HistoryRow) {
	r.File, r.Offset = c.File, c.lineOff(r.Line)
	if c.hold {
		c.res.History = append(c.res.History, r)
		return
	}
	c.emitHistory(&r)
}

// Failure adds a row to the locust_failures table.
func (c *Context) Failure(r FailureRow) {
	r.File, r.Offset = c.File, c.lineOff(r.Line)
	add(c, &r, (*Context).emitFailure, &c.res.Failures)
}

// Exception adds a row to the locust_exceptions table.
func (c *Context) Exception(r ExceptionRow) {
	r.File, r.Offset = c.File, c.lineOff(r.Line)
	add(c, &r, (*Context).emitException, &c.res.Exceptions)
}

// Meta adds a row to the locust_meta table.
func (c *Context) Meta(r MetaRow) {
	r.File, r.Offset = c.File, c.lineOff(r.Line)
	add(c, &r, (*Context).emitMeta, &c.res.Meta)
}

// Task adds a row to the locust_tasks table.
func (c *Context) Task(r TaskRow) {
	r.File = c.File
	add(c, &r, (*Context).emitTask, &c.res.Tasks)
}

// add holds row r of a revisiting format in held, or emits it.
func add[T any](c *Context, r *T, emit func(*Context, *T), held *[]T) {
	if c.hold {
		*held = append(*held, *r)
		return
	}
	emit(c, r)
}

// Revisiting formats (merging a duplicate into an earlier event, marking
// a run's last table) hold their events until they say an event can no
// longer change (releaseBefore): only the events a format may still
// revisit are kept, not the file. Events are numbered from 0 in the order
// added, whatever was released.

// nextEvent is the number the next event added will have.
func (c *Context) nextEvent() int {
	c.mustHold()
	return c.released + len(c.res.Events)
}

// heldEvent is event i, which must not have been released.
func (c *Context) heldEvent(i int) *Event {
	c.mustHold()
	return &c.res.Events[i-c.released]
}

// releaseBefore writes the held events numbered below i, in order: the
// format will not change them again. On the struct path (ParseFile) the
// events stay held: they are the Result.
func (c *Context) releaseBefore(i int) {
	c.mustHold()
	n := i - c.released
	if c.tables == nil || n <= 0 {
		return
	}
	evs := c.res.Events
	for j := range n {
		c.row.fromEvent(&evs[j])
		c.emit(&c.row)
	}
	k := copy(evs, evs[n:])
	clear(evs[k:]) // the strings of the events written can go
	c.res.Events = evs[:k]
	c.released = i
}

func (c *Context) mustHold() {
	if !c.hold {
		panic("parsers: held events of a format that does not revisit its rows")
	}
}
