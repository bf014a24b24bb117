package model

import "github.com/logcorr/logcorr/model/schema"

// The parse stage's contract, defined in model/schema (a leaf package, so
// that parsers and correlate can import it while this package still reads
// correlate's runs) and named here for the stages after correlation.
// Constants (schema.KindPoolerError, schema.SourcePgBouncer, ...) are
// schema's.
type (
	SourceKind  = schema.SourceKind
	Process     = schema.Process
	EventKind   = schema.EventKind
	Level       = schema.Level
	ClockMethod = schema.ClockMethod
	Origin      = schema.Origin
	Table       = schema.Table
	FileID      = schema.FileID
	File        = schema.File
	RowRange    = schema.RowRange
	Ref         = schema.Ref
	Dataset     = schema.Dataset
)
