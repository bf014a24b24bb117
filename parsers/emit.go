package parsers

import (
	"fmt"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/redact"
)

// What happens to a row between a format adding it and its table: the
// checks that read rows one by one (implausible and backward times,
// implausible history rows, impossible figures), redaction, and the sink
// — the file's table writers (Parse) or the Result's slices (ParseFile).
// Rows arrive in line order, so every check sees them in the order it
// always did; what they found is turned into messages once the file ends
// (finishChecks), in the order the audit has always listed them.

// revisiter is a format that changes rows it already added (merging a
// duplicate into an earlier event, marking a run's last table, shifting
// times learnt later): its rows are held as structs until Parse returns,
// then checked, redacted and written.
type revisiter interface{ revisitsRows() }

func (locustAuth) revisitsRows()    {}
func (locustConsole) revisitsRows() {}
func (locustHTML) revisitsRows()    {}

// finishChecks turns what the checks found into the audit's messages:
// times first, then left-out history rows, then impossible figures.
func (c *Context) finishChecks() {
	k, a := &c.checks, c.audit
	if k.odd > 0 {
		a.Messages = append(a.Messages, k.firstOdd+more(k.odd))
	}
	if k.backs > 0 {
		a.Messages = append(a.Messages, k.firstBack+more(k.backs))
	}
	if k.histDropped > 0 {
		a.Warn(k.firstHist + more(k.histDropped))
	}
	if n := k.figStat + k.figHist; n > 0 {
		msg := k.firstFigStat
		if k.figStat == 0 {
			msg = k.firstFig
		}
		if n > 1 {
			msg += fmt.Sprintf(" (%d such values)", n)
		}
		a.Warn(msg)
	}
}

// emit checks, redacts and writes an events row whose lines are already
// accounted for.
func (c *Context) emit(r *evRow) {
	c.checkEvent(r)
	if !c.noRedact {
		c.redactRow(r)
	}
	if c.omitText {
		r.Text = nil
	}
	if c.omitTraceback {
		r.Traceback = nil
	}
	if c.omitRoutine && routine[r.Kind] {
		r.Message = nil
	}
	c.rows[schema.TableEvents]++
	if c.tables != nil {
		writeRow(c.tables.writer(schema.TableEvents, c.fileID), r)
		return
	}
	c.res.Events = append(c.res.Events, r.toEvent(c.File))
}

func (c *Context) emitAuth(r *AuthRow) {
	if c.omitAuth {
		c.rows[schema.TableAuth]++
		return
	}
	if !c.noRedact {
		if r.Session != "" && r.Session != "None" {
			r.Session = redact.Mask
		}
		r.Path, r.User = redact.String(r.Path), redact.String(r.User)
		redactMap(r.Attrs)
	}
	sink(c, schema.TableAuth, r, writeAuth, &c.res.Auth)
}

// sink counts row r of table t and writes it to the file's tables, or
// appends it to the Result's rows (the struct path).
func sink[T any](c *Context, t schema.Table, r *T, write func(*tableWriter, *T), rows *[]T) {
	c.rows[t]++
	if c.tables != nil {
		write(c.tables.writer(t, c.fileID), r)
		return
	}
	*rows = append(*rows, *r)
}

// emitAuthRow is emitAuth for the byte path.
func (c *Context) emitAuthRow(r *authRow) {
	if c.omitAuth {
		c.rows[schema.TableAuth]++
		return
	}
	if !c.noRedact {
		if len(r.Session) > 0 && string(r.Session) != "None" {
			r.Session = sbytes(redact.Mask)
		}
		r.Path, r.User = redacted(r.Path, nil), redacted(r.User, nil)
		redactKVs(&r.Attrs)
	}
	c.rows[schema.TableAuth]++
	if c.tables != nil {
		writeAuthRow(c.tables.writer(schema.TableAuth, c.fileID), r)
		return
	}
	c.res.Auth = append(c.res.Auth, r.toAuthRow(c.File))
}

// emitStat keeps the row as a struct in both modes: mergeDistributions may
// complete it from another file before it is written.
func (c *Context) emitStat(r *StatRow) {
	c.checkStat(r)
	if !c.noRedact {
		r.Name = redact.Count(r.Name, &c.checks.counts)
	}
	c.rows[schema.TableStats]++
	c.res.Stats = append(c.res.Stats, *r)
}

func (c *Context) emitHistory(r *HistoryRow) {
	if !c.historyPlausible(r) {
		return
	}
	c.checkHistoryFigures(r)
	if !c.noRedact {
		r.Name = redact.Count(r.Name, &c.checks.counts)
	}
	c.rows[schema.TableHistory]++
	if c.tables != nil {
		writeHistory(c.tables.writer(schema.TableHistory, c.fileID), r)
		return
	}
	c.res.History = append(c.res.History, *r)
}

func (c *Context) emitFailure(r *FailureRow) {
	if !c.noRedact {
		r.Error, r.Name = redact.Count(r.Error, &c.checks.counts), redact.Count(r.Name, &c.checks.counts)
	}
	sink(c, schema.TableFailures, r, writeFailure, &c.res.Failures)
}

func (c *Context) emitException(r *ExceptionRow) {
	if !c.noRedact {
		n := &c.checks.counts
		r.Message, r.Traceback, r.Nodes = redact.Count(r.Message, n), redact.Count(r.Traceback, n), redact.Count(r.Nodes, n)
	}
	sink(c, schema.TableExceptions, r, writeException, &c.res.Exceptions)
}

func (c *Context) emitMeta(r *MetaRow) {
	if !c.noRedact {
		r.Value = redact.KeyValueCount(r.Key, r.Value, &c.checks.counts)
	}
	sink(c, schema.TableMeta, r, writeMeta, &c.res.Meta)
}

func (c *Context) emitTask(r *TaskRow) {
	sink(c, schema.TableTasks, r, writeTask, &c.res.Tasks)
}

// routine are the kinds whose message OmitRoutineMessages drops.
var routine = [256]bool{schema.KindRequest: true, schema.KindAuthRequest: true, schema.KindAuthResponse: true,
	schema.KindLoginAttempt: true, schema.KindClosing: true, schema.KindNewConnection: true, schema.KindStats: true}

// prepare readies c for a format's Parse: a revisiter's rows are held.
func (c *Context) prepare(f Format) {
	_, c.hold = f.(revisiter)
	_, c.lineRecords = f.(lineRecorder)
}

// lineRecorder is a format whose every record is the one line just read
// (never a fold of lines, never a row about an earlier line), emitted
// before the next is read, with its Text and Offset set from that line:
// the Context then keeps no copy of the recent lines.
type lineRecorder interface{ recordsAreLines() }

func (pgbouncer) recordsAreLines() {}

// flushHeld writes the rows a revisiting format held, in the order the
// tables always had them.
func (c *Context) flushHeld() {
	if !c.hold {
		return
	}
	c.hold = false
	r := c.res
	events, auth, stats, hist, fails, excs, meta, tasks := r.Events, r.Auth, r.Stats, r.History, r.Failures, r.Exceptions, r.Meta, r.Tasks
	r.Events, r.Auth, r.Stats, r.History, r.Failures, r.Exceptions, r.Meta, r.Tasks = nil, nil, nil, nil, nil, nil, nil, nil
	for i := range events {
		c.row.fromEvent(&events[i])
		c.emit(&c.row)
	}
	for i := range auth {
		c.emitAuth(&auth[i])
	}
	for i := range stats {
		c.emitStat(&stats[i])
	}
	for i := range hist {
		c.emitHistory(&hist[i])
	}
	for i := range fails {
		c.emitFailure(&fails[i])
	}
	for i := range excs {
		c.emitException(&excs[i])
	}
	for i := range meta {
		c.emitMeta(&meta[i])
	}
	for i := range tasks {
		c.emitTask(&tasks[i])
	}
}
