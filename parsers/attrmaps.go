package parsers

import "slices"

// An attrs column (schema.Attrs) is built as its batch's distinct maps,
// each once, and each row's index of its map: the rows of a log repeat a
// few sets of pairs (a PgBouncer connection's pid, db, user and side on
// each of its lines; auth_debug's csrf flags), so a row costs 4 bytes
// where its pairs cost 8 each (100 MB folder: 1.56 M pairs, 45,670
// distinct maps in its batches). Maps are numbered in first-appearance
// order, so the same rows give the same batch, whatever the scheduling.

// attrMaps numbers the distinct maps of the batch being built.
type attrMaps struct {
	rows []int32 // each row's map (0 for a null row)
	// ids maps a map's pairs, as the bytes of its key ids then its item
	// ids (as many of each), to its index.
	ids map[string]int32
	key []byte // ids' key being looked up
	// last is the map a row took last: a run of rows with the same pairs
	// costs a comparison, not a hash.
	last    int32
	hasLast bool
}

// mapID is the index of the map whose pairs were appended to c.keys and
// c.items from start on, and whether the batch held it before: then the
// caller drops the pairs again; else they are map len(c.offs)-1.
func (c *colBuf) mapID(start int) (id int32, held bool) {
	keys, items := c.keys.i32[start:], c.items.i32[start:]
	m := &c.maps
	if m.hasLast {
		lo, hi := c.offs[m.last], c.offs[m.last+1]
		if slices.Equal(c.keys.i32[lo:hi], keys) && slices.Equal(c.items.i32[lo:hi], items) {
			return m.last, true
		}
	}
	m.key = append(append(m.key[:0], sliceBytes(keys)...), sliceBytes(items)...)
	id, held = m.ids[string(m.key)]
	if !held {
		if m.ids == nil {
			m.ids = map[string]int32{}
		}
		id = int32(len(c.offs) - 1)
		m.ids[string(m.key)] = id
	}
	m.last, m.hasLast = id, true
	return id, held
}

func (m *attrMaps) reset() {
	m.rows = m.rows[:0]
	clear(m.ids)
	m.hasLast = false
}
