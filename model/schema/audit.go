package schema

// Audit is the per-file account of what was read: the format chosen and
// why, and where every line went. Its JSON field names are a contract with
// users' scripts (`logcorr parse --json`).
type Audit struct {
	Path               string  `json:"path"`
	Format             string  `json:"format"` // "unknown" when no format fits, "empty" for a file with no lines
	Confidence         float64 `json:"confidence"`
	RunnerUp           string  `json:"runner_up"`
	RunnerUpConfidence float64 `json:"runner_up_confidence"`
	Chosen             string  `json:"chosen_by"` // "content", "content+name", "--format"
	Encoding           string  `json:"encoding"`
	// EncodingConfidence is how sure the guess of a legacy code page is
	// (GBK, CP949, CP1251...), for files that are not valid UTF-8; 0 when
	// the encoding was not guessed (a BOM, UTF-16's NULs, valid UTF-8).
	EncodingConfidence float64   `json:"encoding_confidence,omitempty"`
	Run                string    `json:"run,omitempty"`
	Lines              int64     `json:"lines"`
	Records            int64     `json:"records"`
	Folded             int64     `json:"folded"`
	Unparsed           int64     `json:"unparsed"`
	UnparsedExamples   []Example `json:"unparsed_examples"`
	// RecordLikeFolded counts folded lines that begin like a log record of
	// a known format (see parsers' recordStart): folded, so inside Folded,
	// but not understood. A parser of the wrong format or variant folds
	// them.
	RecordLikeFolded   int64            `json:"record_like_folded,omitempty"`
	RecordLikeExamples []Example        `json:"record_like_examples,omitempty"`
	CutLines           int64            `json:"cut_lines"`
	Merged             int64            `json:"merged_duplicates"`
	Zone               string           `json:"zone"`
	ZoneReason         string           `json:"zone_reason"`
	Tables             map[string]int64 `json:"tables"`
	Messages           []string         `json:"messages"`
	// Warnings are the messages that say the file was not read as it was
	// written: a read error (a truncated gzip), the decompression cap,
	// lines or CSV fields cut, rows left out for an implausible time,
	// impossible figures read as null. Each is also in Messages; reports
	// in every format show these.
	Warnings []string `json:"warnings,omitempty"`
	// Redacted counts the secret values masked in the file's records, by
	// kind (password, token, jwt, url-userinfo, ...; see redact.Kind);
	// absent when none was, or with --no-redact.
	Redacted map[string]int64 `json:"redacted,omitempty"`
	Error    string           `json:"error,omitempty"`
}

// Warn adds msg to both the messages and the warnings.
func (a *Audit) Warn(msg string) {
	a.Messages = append(a.Messages, msg)
	a.Warnings = append(a.Warnings, msg)
}

// Example is a line kept for the audit (unparsed, or record-like and
// folded).
type Example struct {
	Line int64  `json:"line"`
	Text string `json:"text"`
	Why  string `json:"why,omitempty"`
}

// Balanced reports whether every line is accounted for.
func (a *Audit) Balanced() bool { return a.Lines == a.Records+a.Folded+a.Unparsed }

// Understood counts the lines read as what they are: records and the lines
// folded into them, less the folded lines that begin like records of their
// own (RecordLikeFolded). --min-parsed and the reports' "understood" share
// count these.
func (a *Audit) Understood() int64 { return a.Records + a.Folded - a.RecordLikeFolded }

// ParsedShare is the share of lines understood (see Understood), 1 for an
// empty file.
func (a *Audit) ParsedShare() float64 {
	if a.Lines == 0 {
		return 1
	}
	return float64(a.Understood()) / float64(a.Lines)
}
