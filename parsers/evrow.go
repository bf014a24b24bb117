package parsers

import (
	"bytes"
	"time"
	"unsafe"

	"github.com/logcorr/logcorr/model/schema"
)

// evRow is an events row as the formats fill it on the hot path: every
// text field borrows bytes (from the line being read, or the format's
// scratch) until the row is written, numbers and times are already
// numbers, vocabulary columns are their typed values. Writing it copies
// the bytes into the table's builders, so a row costs no allocation.
type evRow struct {
	Time        int64 // Unix µs; see HasTime
	HasTime     bool
	Naive       bool
	Zone        []byte
	Source      schema.SourceKind
	Line        int64
	EndLine     int64
	Offset      int64
	Level       schema.Level
	Logger      []byte
	Kind        schema.EventKind
	Method      []byte
	Path        []byte
	Status      int64
	HasStatus   bool
	Size        int64
	HasSize     bool
	User        []byte
	DurationMS  float64
	HasDuration bool
	ExcType     []byte
	ExcMessage  []byte
	ExcFrame    []byte
	Message     []byte
	Attrs       kvList
	Duplicates  int64
	Traceback   []byte
	Text        []byte
}

// kvList is a row's attrs: key=value pairs, bytes borrowed. null (no
// attrs column value) unless Set; set keeps keys unique as a map would.
type kvList struct {
	kv  []pyKV
	Set bool
}

// set sets key to val, replacing an earlier value of the same key (the
// map semantics attrs always had).
func (l *kvList) set(key, val []byte) {
	l.Set = true
	for i := range l.kv {
		// The first byte settles most keys of equal length (db, user
		// against pid, conn, side...) without a call to compare them.
		if k := l.kv[i].Key; len(k) == len(key) && (len(k) == 0 || k[0] == key[0]) && bytes.Equal(k, key) {
			l.kv[i].Val = val
			return
		}
	}
	l.push(key, val)
}

// setString is set for a key the parser names itself.
func (l *kvList) setString(key string, val []byte) { l.set(sbytes(key), val) }

// add appends a pair whose key the row cannot hold yet (the parser's own
// keys, each set once): set without the search.
func (l *kvList) add(key, val []byte) {
	l.Set = true
	l.push(key, val)
}

// push appends a pair field by field: a pyKV is too large for the
// compiler to store in registers, so appending one whole copies it with
// typedmemmove, whose bulk write barrier (rows live on the heap, and a
// parse allocates enough that the collector is often marking) cost more
// than the rest of the append; two slice stores take the barrier's fast
// path.
func (l *kvList) push(key, val []byte) {
	n := len(l.kv)
	if n == cap(l.kv) {
		l.kv = append(l.kv, pyKV{})
	} else {
		l.kv = l.kv[:n+1]
	}
	p := &l.kv[n]
	p.Key, p.Val = key, val
}

// addString is add for a key the parser names itself.
func (l *kvList) addString(key string, val []byte) { l.add(sbytes(key), val) }

// get returns key's value, nil when absent.
func (l *kvList) get(key string) []byte {
	for _, p := range l.kv {
		if string(p.Key) == key {
			return p.Val
		}
	}
	return nil
}

// reset clears a row for reuse, keeping the attrs' capacity.
func (r *evRow) reset() {
	kv := r.Attrs.kv[:0]
	*r = evRow{}
	r.Attrs.kv = kv
}

// rebase re-points every field of r that points into from at the same
// bytes of to (a copy of from), so r outlives from.
func (r *evRow) rebase(from, to []byte) {
	for _, f := range []*[]byte{&r.Zone, &r.Logger, &r.Method, &r.Path, &r.User, &r.ExcType, &r.ExcMessage,
		&r.ExcFrame, &r.Message, &r.Traceback, &r.Text} {
		*f = rebased(*f, from, to)
	}
	for i := range r.Attrs.kv {
		r.Attrs.kv[i].Key = rebased(r.Attrs.kv[i].Key, from, to)
		r.Attrs.kv[i].Val = rebased(r.Attrs.kv[i].Val, from, to)
	}
}

// rebased is b re-pointed from from to to when b lies within from.
func rebased(b, from, to []byte) []byte {
	if len(b) == 0 || len(from) == 0 {
		return b
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(from)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if p < start || p+uintptr(len(b)) > start+uintptr(len(from)) {
		return b
	}
	off := int(p - start)
	return to[off : off+len(b) : off+len(b)]
}

// sbytes views a string as bytes without copying; the bytes must not be
// written.
func sbytes(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// bstring views bytes as a string without copying, for calls that take
// strings and keep nothing (map lookups, redact's scanners). The bytes
// must not change while the string is in use.
func bstring(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// fromEvent fills r from an Event built with strings (the formats not on
// the byte path yet); the strings are viewed, not copied.
func (r *evRow) fromEvent(e *Event) {
	r.reset()
	if !e.Time.IsZero() {
		r.Time, r.HasTime = e.Time.UnixMicro(), true
	}
	r.Naive = e.Naive
	r.Zone = sbytes(e.Zone)
	r.Source = sourceOf(e.Source)
	r.Line, r.EndLine, r.Offset = e.Line, e.EndLine, e.Offset
	r.Level = levelOf(e.Level)
	r.Logger = sbytes(e.Logger)
	r.Kind = kindOf(e.Kind)
	r.Method, r.Path = sbytes(e.Method), sbytes(e.Path)
	if e.Status != nil {
		r.Status, r.HasStatus = *e.Status, true
	}
	if e.Size != nil {
		r.Size, r.HasSize = *e.Size, true
	}
	r.User = sbytes(e.User)
	if e.DurationMS != nil {
		r.DurationMS, r.HasDuration = *e.DurationMS, true
	}
	r.ExcType, r.ExcMessage, r.ExcFrame = sbytes(e.ExcType), sbytes(e.ExcMessage), sbytes(e.ExcFrame)
	r.Message = sbytes(e.Message)
	if e.Attrs != nil {
		r.Attrs.Set = true
		for k, v := range e.Attrs {
			r.Attrs.kv = append(r.Attrs.kv, pyKV{sbytes(k), sbytes(v)})
		}
	}
	r.Duplicates = e.Duplicates
	r.Traceback, r.Text = sbytes(e.Traceback), sbytes(e.Text)
}

// toEvent copies r into an Event (the struct path: ParseFile's Result).
func (r *evRow) toEvent(file string) Event {
	e := Event{Naive: r.Naive, Zone: string(r.Zone), Source: r.Source.String(), File: file,
		Line: r.Line, EndLine: r.EndLine, Offset: r.Offset, Level: r.Level.String(), Logger: string(r.Logger),
		Kind: r.Kind.String(), Method: string(r.Method), Path: string(r.Path), User: string(r.User),
		ExcType: string(r.ExcType), ExcMessage: string(r.ExcMessage), ExcFrame: string(r.ExcFrame),
		Message: string(r.Message), Duplicates: r.Duplicates, Traceback: string(r.Traceback), Text: string(r.Text)}
	if r.HasTime {
		e.Time = time.UnixMicro(r.Time).UTC()
	}
	e.Status, e.Size, e.DurationMS = optPtr(r.Status, r.HasStatus), optPtr(r.Size, r.HasSize), optPtr(r.DurationMS, r.HasDuration)
	e.Attrs = r.Attrs.toMap()
	return e
}

// toMap copies the pairs into a map, nil when unset.
func (l *kvList) toMap() map[string]string {
	if !l.Set {
		return nil
	}
	m := make(map[string]string, len(l.kv))
	for _, p := range l.kv {
		m[string(p.Key)] = string(p.Val)
	}
	return m
}

// writeRow appends r to the events table (attrs sorted first).
func writeRow(w *tableWriter, r *evRow) {
	w.time(schema.EvTime, r.Time, r.HasTime)
	w.boolv(schema.EvNaive, r.Naive)
	w.dictBytes(schema.EvZone, r.Zone)
	w.enumVal(schema.EvSource, uint8(r.Source))
	w.fileCol(schema.EvFile)
	w.int64v(schema.EvLine, r.Line)
	w.int64v(schema.EvEndLine, r.EndLine)
	w.enumVal(schema.EvLevel, uint8(r.Level))
	w.dictBytes(schema.EvLogger, r.Logger)
	w.enumVal(schema.EvKind, uint8(r.Kind))
	w.dictBytes(schema.EvMethod, r.Method)
	w.dictBytes(schema.EvPath, r.Path)
	w.optInt64(schema.EvStatus, r.Status, r.HasStatus)
	w.optInt64(schema.EvSize, r.Size, r.HasSize)
	w.dictBytes(schema.EvUser, r.User)
	w.optFloat64(schema.EvDurationMS, r.DurationMS, r.HasDuration)
	w.dictBytes(schema.EvExcType, r.ExcType)
	n := w.batchDict(schema.EvExcMessage, r.ExcMessage)
	w.dictBytes(schema.EvExcFrame, r.ExcFrame)
	n += w.batchDict(schema.EvMessage, r.Message) // counted as the bytes it says, so batches are cut where they always were
	n += w.kvs(schema.EvAttrs, &r.Attrs)
	w.int64v(schema.EvDuplicates, r.Duplicates)
	w.int64v(schema.EvOffset, r.Offset)
	w.dictBytes(schema.EvTraceback, r.Traceback) // a few distinct tracebacks, each held once
	n += w.strBytes(schema.EvText, r.Text)
	w.row(n)
}

// optBool is a nullable bool.
type optBool struct{ v, ok bool }

// authRow is an auth-table row on the byte path (see evRow).
type authRow struct {
	Time                        int64
	HasTime, Naive              bool
	Line, Offset                int64
	Level                       schema.Level
	Kind                        schema.EventKind
	Method, Path, User, Session []byte
	IP                          []byte
	CSRFCookie, CSRFHeader      optBool
	FormCSRF                    optBool
	Status, DBQueries           int64
	HasStatus, HasDBQueries     bool
	DurationMS, DBTimeMS        float64
	HasDuration, HasDBTime      bool
	Attrs                       kvList
}

func (r *authRow) reset() {
	kv := r.Attrs.kv[:0]
	*r = authRow{}
	r.Attrs.kv = kv
}

func optPtr[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

// toAuthRow copies r into an AuthRow (the struct path).
func (r *authRow) toAuthRow(file string) AuthRow {
	a := AuthRow{Naive: r.Naive, File: file, Line: r.Line, Offset: r.Offset, Level: r.Level.String(), Kind: r.Kind.String(),
		Method: string(r.Method), Path: string(r.Path), User: string(r.User), Session: string(r.Session), IP: string(r.IP),
		CSRFCookie: optPtr(r.CSRFCookie.v, r.CSRFCookie.ok), CSRFHeader: optPtr(r.CSRFHeader.v, r.CSRFHeader.ok),
		FormCSRF: optPtr(r.FormCSRF.v, r.FormCSRF.ok), Status: optPtr(r.Status, r.HasStatus),
		DurationMS: optPtr(r.DurationMS, r.HasDuration), DBQueries: optPtr(r.DBQueries, r.HasDBQueries),
		DBTimeMS: optPtr(r.DBTimeMS, r.HasDBTime)}
	if r.HasTime {
		a.Time = time.UnixMicro(r.Time).UTC()
	}
	a.Attrs = r.Attrs.toMap()
	return a
}

// writeAuthRow appends r to the auth table.
func writeAuthRow(w *tableWriter, r *authRow) {
	w.time(schema.AuTime, r.Time, r.HasTime)
	w.boolv(schema.AuNaive, r.Naive)
	w.fileCol(schema.AuFile)
	w.int64v(schema.AuLine, r.Line)
	w.enumVal(schema.AuLevel, uint8(r.Level))
	w.enumVal(schema.AuKind, uint8(r.Kind))
	w.dictBytes(schema.AuMethod, r.Method)
	w.dictBytes(schema.AuPath, r.Path)
	w.dictBytes(schema.AuUser, r.User)
	n := w.strBytes(schema.AuSession, r.Session)
	w.dictBytes(schema.AuIP, r.IP)
	w.optBoolv(schema.AuCSRFCookie, r.CSRFCookie.v, r.CSRFCookie.ok)
	w.optBoolv(schema.AuCSRFHeader, r.CSRFHeader.v, r.CSRFHeader.ok)
	w.optBoolv(schema.AuFormCSRF, r.FormCSRF.v, r.FormCSRF.ok)
	w.optInt64(schema.AuStatus, r.Status, r.HasStatus)
	w.optFloat64(schema.AuDurationMS, r.DurationMS, r.HasDuration)
	w.optInt64(schema.AuDBQueries, r.DBQueries, r.HasDBQueries)
	w.optFloat64(schema.AuDBTimeMS, r.DBTimeMS, r.HasDBTime)
	n += w.kvs(schema.AuAttrs, &r.Attrs)
	w.int64v(schema.AuOffset, r.Offset)
	w.row(n)
}

// kvs appends a key=value list to attrs column c (keys sorted), null
// when unset. Keys and values become dictionary ids, so the batch's
// variable-width bytes do not grow.
func (w *tableWriter) kvs(c int, l *kvList) int {
	m := w.cols[c]
	if !l.Set {
		m.mapNull()
		return 0
	}
	ad := w.attrs[c]
	ids, perm := ad.order(l.kv)
	for _, j := range perm {
		m.keys.int32v(ids[j])
		m.items.int32v(ad.val(ids[j], l.kv[j].Val))
	}
	m.mapEnd()
	return 0
}
