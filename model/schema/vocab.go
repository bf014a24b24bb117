package schema

import "fmt"

// SourceKind is the format a file was read as, and the source of an event
// row: which parser wrote it. Unknown, Empty and Duplicate are the audit's
// answers for files no parser read.
type SourceKind uint8

const (
	SourceUnknown       SourceKind = iota // "unknown": no format fits
	SourceDjango                          // "django": Django's logging (django_errors.log)
	SourceAuthDebug                       // "auth_debug": the auth-debug key=value log
	SourceLocustAuth                      // "locust_auth": locust_login_failures.log
	SourceRunserver                       // "runserver": runserver's stderr
	SourcePgBouncer                       // "pgbouncer": PgBouncer's log
	SourceLocustConsole                   // "locust_console": Locust's console log
	SourceLocustCSV                       // "locust_csv": Locust's --csv set
	SourceLocustHTML                      // "locust_html": Locust's --html report
	SourceEmpty                           // "empty": a file with no lines
	SourceDuplicate                       // "duplicate": same bytes as another input, skipped
	numSources
)

var sourceNames = [numSources]string{"unknown", "django", "auth_debug", "locust_auth", "runserver",
	"pgbouncer", "locust_console", "locust_csv", "locust_html", "empty", "duplicate"}

func (s SourceKind) String() string { return name(sourceNames[:], s) }

// MarshalText writes the name.
func (s SourceKind) MarshalText() ([]byte, error) { return marshal(sourceNames[:], s) }

// UnmarshalText reads a name.
func (s *SourceKind) UnmarshalText(b []byte) error {
	return unmarshal(sourceNames[:], b, s, "source kind")
}

// ParseSourceKind reads a name ("pgbouncer").
func ParseSourceKind(s string) (SourceKind, bool) { return parse[SourceKind](sourceNames[:], s) }

// Process is the program that wrote a source: files of one process share a
// clock (Django's logs, runserver's stderr and auth_debug are one process).
type Process uint8

const (
	ProcessNone      Process = iota // "": CSV and HTML artifacts, unknown files
	ProcessDjango                   // "django": django, auth_debug, runserver
	ProcessLocust                   // "locust": locust_auth, locust_console
	ProcessPgBouncer                // "pgbouncer"
	numProcesses
)

var processNames = [numProcesses]string{"", "django", "locust", "pgbouncer"}

func (p Process) String() string { return name(processNames[:], p) }

// MarshalText writes the name.
func (p Process) MarshalText() ([]byte, error) { return marshal(processNames[:], p) }

// Process is the program that writes files of this kind.
func (s SourceKind) Process() Process {
	switch s {
	case SourceDjango, SourceAuthDebug, SourceRunserver:
		return ProcessDjango
	case SourceLocustAuth, SourceLocustConsole:
		return ProcessLocust
	case SourcePgBouncer:
		return ProcessPgBouncer
	}
	return ProcessNone
}

// EventKind is what an events row is. Its names are the `kind` column's
// values and the keys rules match on.
type EventKind uint8

const (
	KindLog           EventKind = iota // "log": a plain log record
	KindRequest                        // "request": an HTTP request line (runserver)
	KindServerError                    // "server_error": "Internal Server Error: /path" (django.request)
	KindTraceback                      // "traceback": a bare traceback with no log prefix
	KindUnhandled                      // "unhandled": "Unhandled exception [ID]: msg"
	KindForbidden                      // "forbidden": "Forbidden (CSRF ...): /path"
	KindClientError                    // "client_error": other 4xx Django logs ("Not Found: /path")
	KindAuthRequest                    // "auth_request": auth_debug
	KindAuthResponse                   // "auth_response": auth_debug
	KindAuthFailure                    // "auth_failure": auth_debug
	KindLoginFailure                   // "login_failure": locust_auth
	KindPoolConfig                     // "pool_config": locust_auth user pool messages
	KindPoolerError                    // "pooler_error": PgBouncer "pooler error: X"
	KindClosing                        // "closing": PgBouncer "closing because: X"
	KindLoginAttempt                   // "login_attempt": PgBouncer "login attempt: db=..."
	KindNewConnection                  // "new_connection": PgBouncer "new connection to server"
	KindStats                          // "stats": PgBouncer "stats: ..." (values in attrs)
	KindBanner                         // "banner": startup/shutdown lines
	KindCommandLine                    // "command_line": options Locust's console printed
	KindStatsTable                     // "stats_table": a stats table Locust's console printed
	numKinds
)

var kindNames = [numKinds]string{"log", "request", "server_error", "traceback", "unhandled", "forbidden",
	"client_error", "auth_request", "auth_response", "auth_failure", "login_failure", "pool_config",
	"pooler_error", "closing", "login_attempt", "new_connection", "stats", "banner", "command_line", "stats_table"}

func (k EventKind) String() string { return name(kindNames[:], k) }

// MarshalText writes the name.
func (k EventKind) MarshalText() ([]byte, error) { return marshal(kindNames[:], k) }

// UnmarshalText reads a name.
func (k *EventKind) UnmarshalText(b []byte) error { return unmarshal(kindNames[:], b, k, "event kind") }

// ParseEventKind reads a name ("pooler_error").
func ParseEventKind(s string) (EventKind, bool) { return parse[EventKind](kindNames[:], s) }

// Level is a record's severity as the line printed it. LevelNone is a line
// that printed none (a request line, a bare traceback).
type Level uint8

const (
	LevelNone     Level = iota // ""
	LevelDebug                 // "DEBUG"
	LevelInfo                  // "INFO"
	LevelWarning               // "WARNING"
	LevelError                 // "ERROR"
	LevelCritical              // "CRITICAL"
	LevelWarn                  // "WARN": Python's alias, kept as printed
	LevelFatal                 // "FATAL": Python's alias, PgBouncer's FATAL
	LevelNotSet                // "NOTSET"
	LevelLog                   // "LOG": PgBouncer's routine level
	LevelNoise                 // "NOISE": PgBouncer's verbose level
	numLevels
)

var levelNames = [numLevels]string{"", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "WARN", "FATAL", "NOTSET", "LOG", "NOISE"}

func (l Level) String() string { return name(levelNames[:], l) }

// MarshalText writes the name.
func (l Level) MarshalText() ([]byte, error) { return marshal(levelNames[:], l) }

// UnmarshalText reads a name.
func (l *Level) UnmarshalText(b []byte) error { return unmarshal(levelNames[:], b, l, "level") }

// ParseLevel reads a level as printed ("WARNING"); case matters, as in the
// lines.
func ParseLevel(s string) (Level, bool) { return parse[Level](levelNames[:], s) }

// LevelOf is ParseLevel over bytes, without allocating: the parsers' hot
// path.
func LevelOf(b []byte) (Level, bool) {
	for i, n := range levelNames {
		if i > 0 && string(b) == n {
			return Level(i), true
		}
	}
	return LevelNone, len(b) == 0
}

// ClockMethod is how a file's clock was put on UTC (correlate decides it).
type ClockMethod uint8

const (
	ClockUnknown          ClockMethod = iota // "unknown"
	ClockExplicit                            // "explicit": a zone or epoch in the lines
	ClockTZFlag                              // "tz-flag": --tz
	ClockTZSource                            // "tz-source": --tz-source for this source
	ClockFileNameStamp                       // "file-name-stamp": a local stamp in a CSV set's name
	ClockCrossCorrelation                    // "cross-correlation": inferred against the load curve
	ClockSameHost                            // "same-host": taken from another file of the same process
	numClockMethods
)

var clockNames = [numClockMethods]string{"unknown", "explicit", "tz-flag", "tz-source", "file-name-stamp", "cross-correlation", "same-host"}

func (m ClockMethod) String() string { return name(clockNames[:], m) }

// MarshalText writes the name.
func (m ClockMethod) MarshalText() ([]byte, error) { return marshal(clockNames[:], m) }

// UnmarshalText reads a name.
func (m *ClockMethod) UnmarshalText(b []byte) error {
	return unmarshal(clockNames[:], b, m, "clock method")
}

// ParseClockMethod reads a name ("cross-correlation").
func ParseClockMethod(s string) (ClockMethod, bool) { return parse[ClockMethod](clockNames[:], s) }

// Origin is the artifact a Locust table row was read from: the --csv set or
// the --html report (the `source` column of the locust_* tables).
type Origin uint8

const (
	OriginNone Origin = iota // ""
	OriginCSV                // "csv"
	OriginHTML               // "html"
	numOrigins
)

var originNames = [numOrigins]string{"", "csv", "html"}

func (o Origin) String() string { return name(originNames[:], o) }

// MarshalText writes the name.
func (o Origin) MarshalText() ([]byte, error) { return marshal(originNames[:], o) }

// UnmarshalText reads a name.
func (o *Origin) UnmarshalText(b []byte) error { return unmarshal(originNames[:], b, o, "origin") }

// ParseOrigin reads a name ("csv").
func ParseOrigin(s string) (Origin, bool) { return parse[Origin](originNames[:], s) }

// The helpers every vocabulary type shares.

func name[T ~uint8](names []string, v T) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%T(%d)", v, uint8(v))
}

func marshal[T ~uint8](names []string, v T) ([]byte, error) {
	if int(v) >= len(names) {
		return nil, fmt.Errorf("schema: %T(%d) has no name", v, uint8(v))
	}
	return []byte(names[v]), nil
}

func parse[T ~uint8](names []string, s string) (T, bool) {
	for i, n := range names {
		if n == s {
			return T(i), true
		}
	}
	return 0, false
}

func unmarshal[T ~uint8](names []string, b []byte, dst *T, what string) error {
	v, ok := parse[T](names, string(b))
	if !ok {
		return fmt.Errorf("schema: unknown %s %q", what, b)
	}
	*dst = v
	return nil
}
