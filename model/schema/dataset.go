package schema

import (
	"sort"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// FileID names an input file: its index in the Dataset's file table, which
// is discovery order. The events' and the other tables' `file` column
// holds it as its dictionary index.
type FileID uint32

// File is a row of the file table: one input, how it was read, and where
// its rows are.
type File struct {
	ID   FileID
	Path string // display path: relative to the folder given, or as given (the `file` column)
	Open string // path to open for read-back
	// Root is the folder given on the command line the file was found in
	// (cleaned, slashes; Open is Root/Path), "" for a file named on the
	// command line itself: what tells the files of several folders apart
	// (display names, which runs a log may feed).
	Root string
	// Format is the format the file was read as (SourceUnknown, Empty and
	// Duplicate for files no parser read).
	Format SourceKind
	// Encoding is how the bytes were decoded, as the audit prints it:
	// "utf-8", "gzip/utf-8", "utf-16le+bom", "gbk(guessed)"... Offsets
	// (Ref.Offset) are in the decoded stream this names; read-back decodes
	// the same way (see parsers.ReadLines).
	Encoding string
	// Size and ModTime are the file's at parse time, so read-back can
	// tell that a file changed since.
	Size    int64
	ModTime time.Time
	// ParseTime is how long parsing the file took (wall, its chunks
	// in parallel), for per-format throughput; 0 for a file not parsed
	// (a duplicate).
	ParseTime time.Duration
	// Rows is where the file's rows are in each table: one contiguous
	// range, in line order (tables are in FileID order, then line order).
	Rows  [NumTables]RowRange
	Audit Audit
}

// RowRange is a half-open range of row indices [Start, End) of a table,
// counted over all its batches.
type RowRange struct{ Start, End int64 }

// Len is the number of rows.
func (r RowRange) Len() int64 { return r.End - r.Start }

// Ref is a position in an input file: what every row carries (file, line,
// end_line, offset columns) and what evidence cites. Offset is the byte
// offset of line Line's first byte in the file's decoded stream (after
// gunzip and the text decoder), so the line can be read back.
type Ref struct {
	File   FileID
	Line   int64 // 1-based, first line of the record
	End    int64 // last line of the record (≥ Line; a traceback's last line)
	Offset int64
}

// Dataset is what the parse stage returns: the file table and the tables,
// each a list of record batches.
//
//   - Files are in FileID order (discovery order); Audits gives the
//     audits sorted by path, as reports print them.
//   - Tables[t] holds t's batches with t.Schema(), rows ordered by file
//     (FileID), then line; each batch holds rows of one file only, so a
//     file's rows are whole batches (File.Rows says which rows).
//   - Enum columns use the fixed dictionaries (EnumDictionary); each Dict
//     column carries one dictionary shared by every batch of the table,
//     with values in first-appearance order, so the same value has the same
//     index in every batch, whatever the concurrency or chunking. A
//     BatchDict column (message, exc_message) carries its batch's own
//     dictionary instead.
//   - Batches are bounded (rows and bytes), so no column is one huge
//     array.
type Dataset struct {
	Files    []File
	Messages []string // about the walk itself (unreadable folders, links not followed)
	Tables   [NumTables][]arrow.RecordBatch
}

// Rows counts the rows of table t.
func (d *Dataset) Rows(t Table) int64 {
	var n int64
	for _, b := range d.Tables[t] {
		n += b.NumRows()
	}
	return n
}

// Audits returns the files' audits, sorted by path.
func (d *Dataset) Audits() []Audit {
	out := make([]Audit, len(d.Files))
	for i := range d.Files {
		out[i] = d.Files[i].Audit
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Parsed reports whether any file yielded at least one record.
func (d *Dataset) Parsed() bool {
	for i := range d.Files {
		if d.Files[i].Audit.Records > 0 {
			return true
		}
	}
	return false
}

// Release frees the tables' memory.
func (d *Dataset) Release() {
	for t := range d.Tables {
		d.ReleaseTable(Table(t))
	}
}

// ReleaseTable drops table t: for a stage after which nothing reads it.
// A batch already released and set to nil (a stage that frees a table as
// it reads it) is skipped.
func (d *Dataset) ReleaseTable(t Table) {
	for _, b := range d.Tables[t] {
		if b != nil {
			b.Release()
		}
	}
	d.Tables[t] = nil
}
