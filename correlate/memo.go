package correlate

import "sync"

// TracebackID is the record's traceback's number in the events table's
// dictionary, -1 when it has none. The table has one dictionary per
// column, across files and batches, so equal numbers are equal texts: a
// check that judges tracebacks judges each distinct one once (a failing
// view prints the same traceback thousands of times; see TracebackMemo).
func (e Event) TracebackID() int32 {
	c := e.bt().traceback
	if c.idx.IsNull(int(e.i)) {
		return -1
	}
	id := c.idx.Value(int(e.i))
	if c.vals.ValueLen(int(id)) == 0 {
		return -1
	}
	return id
}

// TracebackMemo keeps one judgement per distinct traceback of one table
// (by TracebackID). Tracebacks are the longest texts a record has and
// they repeat, within a run and from run to run (the stack corpus'
// pool_exhaustion: 186 records, 22 distinct tracebacks), so a judgement
// that runs a pattern over one is made once per text for all the runs
// whose passes share the memo. (Messages are mostly distinct, 1.5 records
// per text there: a memo's lookup would cost what it saves.)
//
// A memo is safe for concurrent use. The passes over an analysis' runs
// share one, each through its own Pass, which keeps what its pass met
// without locking and asks the shared memo only on meeting a traceback
// first. Its zero value is ready. Every call of one memo (and of its
// passes) must pass the same judge, a function of the text alone.
type TracebackMemo[T any] struct {
	mu   sync.Mutex // not taken by a pass's own memo
	t    *Table
	seen map[int32]T
	// shared is, for a pass's memo (Pass), the memo it asks.
	shared *TracebackMemo[T]
}

// Pass returns a memo for one pass (one goroutine): not safe for
// concurrent use, it asks m for each traceback the first time it meets it.
func (m *TracebackMemo[T]) Pass() *TracebackMemo[T] { return &TracebackMemo[T]{shared: m} }

// Of is judge(e.Traceback()), judged once per distinct traceback; a
// record without one is judge("").
func (m *TracebackMemo[T]) Of(e Event, judge func(string) T) T {
	id := e.TracebackID()
	if id < 0 {
		return judge("")
	}
	if m.shared == nil {
		return m.lockedOf(id, e, judge)
	}
	if m.t != e.t || m.seen == nil {
		// Numbers are a table's own: another table starts afresh.
		m.t, m.seen = e.t, map[int32]T{}
	}
	if v, ok := m.seen[id]; ok {
		return v
	}
	v := m.shared.lockedOf(id, e, judge)
	m.seen[id] = v
	return v
}

func (m *TracebackMemo[T]) lockedOf(id int32, e Event, judge func(string) T) T {
	m.mu.Lock()
	if m.t != e.t || m.seen == nil {
		m.t, m.seen = e.t, map[int32]T{}
	}
	v, ok := m.seen[id]
	m.mu.Unlock()
	if ok {
		return v
	}
	// Judged unlocked: another pass may judge the same text meanwhile and,
	// the judge being a function of the text, store the same value.
	v = judge(e.Traceback())
	m.mu.Lock()
	if m.t == e.t {
		m.seen[id] = v
	}
	m.mu.Unlock()
	return v
}
