// Package schema is the contract between the parse stage and everything
// after it: the typed vocabulary of the columns (source kinds, event kinds,
// levels, clock methods), the Arrow schema of every table, the file table
// and the Dataset the parse stage returns.
//
// It is a leaf: it imports only the standard library and Arrow, so that
// parsers (which write these tables) and correlate (which reads them) can
// both import it; every stage imports it directly.
//
// The vocabulary types are small integers whose String and MarshalText are
// the names logcorr has always printed ("django", "pooler_error",
// "cross-correlation"), so JSON fields, flags and finding IDs read the same.
// In the tables they are dictionary columns with a fixed dictionary: the
// index is the value, the dictionary its names.
package schema
