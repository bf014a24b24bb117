package parsers

import "github.com/logcorr/logcorr/model/schema"

// Audit is the per-file account of what was read (schema.Audit: the file
// table carries it).
type Audit = schema.Audit

// Example is a line kept for the audit.
type Example = schema.Example
