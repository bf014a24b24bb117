package model

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/correlate"
)

// RunParams are the parameters of a run that can be read without running
// anything: from its name (the user encodes them there:
// hasil_test_v19_100u_nolimit_pool140_no_export) and from Locust's own
// record of its options (console log command line, HTML report meta).
type RunParams struct {
	Version  string `json:"version,omitempty"` // "v19": a vN before the users token (the load test's version)
	Users    int64  `json:"users,omitempty"`   // "100u", or -u from the command line
	Pool     int64  `json:"pool,omitempty"`    // "pool140"
	NoExport bool   `json:"no_export,omitempty"`
	NoAdmin  bool   `json:"no_admin,omitempty"`
	NoLimit  bool   `json:"nolimit,omitempty"`
	// Stamp is a name suffix _YYYYMMDD_HHMMSS: the load host's local wall
	// clock at start, written "2026-01-11 11:42:25 (local)".
	Stamp string `json:"stamp,omitempty"`
	// Words are the name's other tokens ("pgbouncer", "redis", "multi").
	Words []string `json:"words,omitempty"`
	// Attempt is a vN after the users token: the user numbers retests of
	// one scenario that way (auth_only_50u_multi_nolimit_v3_pool100 is
	// the third attempt, not load test v3).
	Attempt string `json:"attempt,omitempty"`

	// From Locust's meta (console log or HTML report), when present.
	CommandLine string `json:"command_line,omitempty"`
	SpawnRate   string `json:"spawn_rate,omitempty"`
	RunTime     string `json:"run_time,omitempty"`
	Tags        string `json:"tags,omitempty"`
	ExcludeTags string `json:"exclude_tags,omitempty"`
	Host        string `json:"host,omitempty"`
}

// ParseRunName reads the parameters encoded in a run name.
func ParseRunName(name string) RunParams {
	var p RunParams
	toks := strings.Split(name, "_")
	// The user's prefix "hasil_test" ("test result") carries nothing.
	if len(toks) >= 2 && toks[0] == "hasil" && toks[1] == "test" {
		toks = toks[2:]
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		low := strings.ToLower(t)
		switch {
		case t == "":
		case isVersion(low) && p.Users == 0 && p.Version == "":
			p.Version = low
		case isVersion(low):
			p.Attempt = low
		case strings.HasSuffix(low, "u") && isDigits(low[:len(low)-1]):
			p.Users, _ = strconv.ParseInt(low[:len(low)-1], 10, 64)
		case strings.HasPrefix(low, "pool") && isDigits(low[4:]):
			p.Pool, _ = strconv.ParseInt(low[4:], 10, 64)
		case low == "nolimit":
			p.NoLimit = true
		case low == "noexport":
			p.NoExport = true
		case low == "noadmin":
			p.NoAdmin = true
		case low == "no" && i+1 < len(toks) && strings.EqualFold(toks[i+1], "export"):
			p.NoExport = true
			i++
		case low == "no" && i+1 < len(toks) && strings.EqualFold(toks[i+1], "admin"):
			p.NoAdmin = true
			i++
		case len(t) == 8 && isDigits(t) && i+1 < len(toks) && len(toks[i+1]) == 6 && isDigits(toks[i+1]):
			d, c := t, toks[i+1]
			p.Stamp = d[:4] + "-" + d[4:6] + "-" + d[6:] + " " + c[:2] + ":" + c[2:4] + ":" + c[4:] + " (local)"
			i++
		default:
			p.Words = append(p.Words, t)
		}
	}
	return p
}

// ParamsOf reads a run's parameters from its name and its meta rows
// (command line, spawn rate, tags...). Meta wins over the name for users.
func ParamsOf(r *correlate.Run) RunParams {
	p := ParseRunName(r.Name)
	p.CommandLine = r.MetaValue("command_line")
	p.SpawnRate = r.MetaValue("spawn_rate")
	p.RunTime = r.MetaValue("run_time")
	p.Tags = r.MetaValue("tags")
	p.ExcludeTags = r.MetaValue("exclude_tags")
	p.Host = r.MetaValue("host")
	if u, err := strconv.ParseInt(r.MetaValue("users"), 10, 64); err == nil && u > 0 {
		p.Users = u
	}
	return p
}

// Label is a short human form: "v19 · 100 users · pool 140 · no export".
func (p RunParams) Label() string {
	var parts []string
	if p.Version != "" {
		parts = append(parts, p.Version)
	}
	if p.Users > 0 {
		parts = append(parts, strconv.FormatInt(p.Users, 10)+" users")
	}
	if p.Pool > 0 {
		parts = append(parts, "pool "+strconv.FormatInt(p.Pool, 10))
	}
	if p.NoLimit {
		parts = append(parts, "rate limits off")
	}
	if p.NoExport {
		parts = append(parts, "no export")
	}
	if p.NoAdmin {
		parts = append(parts, "no admin")
	}
	if len(p.Words) > 0 {
		// The name's remaining words describe the run together
		// ("pool exhaustion", "pgbouncer redis"), not one parameter each.
		parts = append(parts, strings.Join(p.Words, " "))
	}
	if p.Attempt != "" {
		parts = append(parts, "attempt "+p.Attempt)
	}
	if p.Tags != "" {
		parts = append(parts, "tags "+p.Tags)
	}
	if p.ExcludeTags != "" {
		parts = append(parts, "exclude-tags "+p.ExcludeTags)
	}
	return strings.Join(parts, " · ")
}

func isVersion(s string) bool { return len(s) >= 2 && s[0] == 'v' && isDigits(s[1:]) }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParamChanges lists what differs between two runs' parameters
// ("pool 100 → 140"); a parameter one name does not carry is unknown,
// not changed.
func ParamChanges(a, b RunParams) []string {
	out := []string{}
	num := func(name string, x, y int64) {
		// A parameter the name does not carry is unknown, not changed.
		if x != y && x != 0 && y != 0 {
			out = append(out, fmt.Sprintf("%s %s → %s", name, strconv.FormatInt(x, 10), strconv.FormatInt(y, 10)))
		}
	}
	flag := func(name string, x, y bool) {
		switch {
		case !x && y:
			out = append(out, name+" added")
		case x && !y:
			out = append(out, name+" removed")
		}
	}
	str := func(name, x, y string) {
		if x != y && x != "" && y != "" {
			out = append(out, fmt.Sprintf("%s %q → %q", name, x, y))
		}
	}
	if a.Version != b.Version && a.Version != "" && b.Version != "" {
		out = append(out, "version "+a.Version+" → "+b.Version)
	}
	num("users", a.Users, b.Users)
	num("pool", a.Pool, b.Pool)
	flag("no_export", a.NoExport, b.NoExport)
	flag("no_admin", a.NoAdmin, b.NoAdmin)
	flag("nolimit", a.NoLimit, b.NoLimit)
	str("tags", a.Tags, b.Tags)
	str("exclude-tags", a.ExcludeTags, b.ExcludeTags)
	str("spawn rate", a.SpawnRate, b.SpawnRate)
	str("run time", a.RunTime, b.RunTime)
	return out
}
