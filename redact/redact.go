// Package redact removes secrets from log text before it reaches any
// output: passwords (TEST_USER_POOL=user:pass, password= fields, URLs with
// credentials), Django session keys, CSRF tokens, and Authorization/Cookie
// headers. Values are replaced by Mask; the key stays, so a reader still
// sees that a password or a cookie was there.
//
// It runs on every text column the parsers produce, so it is written as a
// byte scan with a cheap keyword pre-check: most log lines contain none of
// the trigger words and cost one case-insensitive search.
package redact

import (
	"strings"
)

// Mask replaces a secret value.
const Mask = "[REDACTED]"

// keys whose value (after '=' or ':' and optional quotes/space) is secret.
// Matched case-insensitively, at a word boundary.
var secretKeys = []string{
	"password", "passwd", "pwd", "pass", "secret", "token", "api_key", "apikey",
	"sessionid", "session_key", "session", "csrftoken", "csrfmiddlewaretoken",
	"csrf_token", "x-csrftoken", "authorization", "cookie", "set-cookie",
	"test_user_pool",
}

// trigger is a cheap pre-check: a line without any of these bytes patterns
// cannot hold a secret we recognise.
var triggers = []string{"pass", "pwd", "secret", "token", "key", "session", "csrf", "authorization", "cookie", "user_pool", "://"}

// triggerIndex holds the triggers by their first byte, so the pre-check
// compares only the words that could start at a given byte.
var triggerIndex = func() (idx [256][]string) {
	for _, t := range triggers {
		idx[t[0]] = append(idx[t[0]], t)
		if c := t[0]; c >= 'a' && c <= 'z' {
			up := c - 'a' + 'A'
			idx[up] = append(idx[up], t)
		}
	}
	return idx
}()

// String returns s with secrets masked.
func String(s string) string {
	if s == "" || !mayHold(s) {
		return s
	}
	s = maskURLCredentials(s)
	s = maskKeyValues(s)
	return maskPoolEntries(s)
}

// maskPoolEntries handles the locustfile's warning about a malformed
// TEST_USER_POOL entry ("invalid entry (missing ':password'): 'bob;pw'"):
// the entry was meant to be user:password, so whatever follows a separator
// inside the quotes is a password typed with the wrong separator.
func maskPoolEntries(s string) string {
	i := indexFold(s, "invalid entry")
	if i < 0 {
		return s
	}
	head, rest := s[:i], s[i:]
	// The entry is the quoted text after "):" (the missing-part note is
	// quoted too and must stay readable).
	k := strings.Index(rest, "): '")
	if k < 0 {
		return s
	}
	start := k + 4
	end := strings.IndexByte(rest[start:], '\'')
	if end < 0 {
		end = len(rest) - start
	}
	entry := rest[start : start+end]
	if j := strings.IndexAny(entry, ":=;,| "); j >= 0 && j < len(entry)-1 && !strings.HasPrefix(entry[j+1:], Mask) {
		entry = entry[:j+1] + Mask
	}
	return head + rest[:start] + entry + rest[start+end:]
}

// indexFold is strings.Index ignoring ASCII case, for a lower-case needle.
func indexFold(s, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		if hasPrefixFold(s[i:], needle) {
			return i
		}
	}
	return -1
}

// MayHold reports whether s could hold a secret logcorr masks. When it is
// false for a line, every substring of that line is also free of secrets,
// so callers can skip redacting the fields they cut from it.
func MayHold(s string) bool { return mayHold(s) }

// mayHold is the per-line pre-check: one pass over the bytes, without
// allocating, looking for any trigger word case-insensitively.
func mayHold(s string) bool {
	for i := 0; i < len(s); i++ {
		for _, t := range triggerIndex[s[i]] {
			if hasPrefixFold(s[i:], t) {
				return true
			}
		}
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with the lower-case ASCII word t,
// ignoring case.
func hasPrefixFold(s, t string) bool {
	if len(s) < len(t) {
		return false
	}
	for j := 0; j < len(t); j++ {
		if lower(s[j]) != t[j] {
			return false
		}
	}
	return true
}

// suffixKeys are the secret keys that stay secret as the last word of a
// longer key (db_password, refresh-token). Others do not: auth_debug's
// csrf_cookie=True says whether a cookie was sent, and holds none.
var suffixKeys = map[string]bool{"password": true, "passwd": true, "pwd": true, "secret": true, "token": true, "api_key": true, "apikey": true}

// KeyValue returns the value of a key=value pair with secrets masked: the
// whole value when the key names a secret, else whatever String masks in
// it. It saves callers building "key=value" strings to redact.
func KeyValue(key, value string) string {
	if value == "" {
		return value
	}
	lk := strings.ToLower(key)
	for _, k := range secretKeys {
		n := len(lk) - len(k)
		compound := n > 0 && suffixKeys[k] && strings.HasSuffix(lk, k) && (lk[n-1] == '_' || lk[n-1] == '-')
		if lk == k || compound {
			if isHarmless(value) {
				return value
			}
			if k == "test_user_pool" {
				return maskPool(value)
			}
			return Mask
		}
	}
	return String(value)
}

// maskURLCredentials turns scheme://user:pass@host into scheme://user:[REDACTED]@host.
func maskURLCredentials(s string) string {
	var b strings.Builder
	rest := s
	changed := false
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		start := i + 3
		end := start
		for end < len(rest) && !isURLStop(rest[end]) {
			end++
		}
		auth := rest[start:end]
		at := strings.LastIndexByte(auth, '@')
		colon := strings.IndexByte(auth, ':')
		if at > 0 && colon >= 0 && colon < at {
			b.WriteString(rest[:start+colon+1])
			b.WriteString(Mask)
			b.WriteString(rest[start+at : end])
			changed = true
		} else {
			b.WriteString(rest[:end])
		}
		rest = rest[end:]
	}
	if !changed {
		return s
	}
	b.WriteString(rest)
	return b.String()
}

func isURLStop(c byte) bool {
	return c == '/' || c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '?' || c == '#' || c == '>' || c == '<'
}

// maskKeyValues masks the value after a secret key followed by '=' or ':'.
func maskKeyValues(s string) string {
	ls := strings.ToLower(s)
	var b strings.Builder
	last := 0
	i := 0
	for i < len(s) {
		key, ok := keyAt(ls, i)
		if !ok {
			i++
			continue
		}
		j := i + len(key)
		// optional closing quote of a JSON key, spaces, then = or :
		for j < len(s) && (s[j] == '"' || s[j] == '\'') {
			j++
		}
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j >= len(s) || (s[j] != '=' && s[j] != ':') {
			i += len(key)
			continue
		}
		j++
		for j < len(s) && (s[j] == ' ' || s[j] == '"' || s[j] == '\'') {
			j++
		}
		vstart := j
		if strings.HasPrefix(s[vstart:], Mask) {
			i = vstart + len(Mask)
			continue
		}
		vend := valueEnd(s, key, vstart)
		if vend <= vstart || isHarmless(s[vstart:vend]) {
			i = j
			continue
		}
		b.WriteString(s[last:vstart])
		if key == "test_user_pool" {
			b.WriteString(maskPool(s[vstart:vend]))
		} else {
			b.WriteString(Mask)
		}
		last, i = vend, vend
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// keyIndex holds the secret keys by first byte (they are lower case, and
// keyAt reads a lower-cased string).
var keyIndex = func() (idx [256][]string) {
	for _, k := range secretKeys {
		idx[k[0]] = append(idx[k[0]], k)
	}
	return idx
}()

// keyAt reports the secret key starting at i, at a word boundary.
func keyAt(ls string, i int) (string, bool) {
	if i > 0 && isWord(ls[i-1]) {
		return "", false
	}
	for _, k := range keyIndex[ls[i]] {
		if strings.HasPrefix(ls[i:], k) {
			end := i + len(k)
			if end < len(ls) && isWord(ls[end]) {
				continue
			}
			return k, true
		}
	}
	return "", false
}

func isWord(c byte) bool {
	return c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// valueEnd finds where a secret value stops. Header values (Authorization,
// Cookie) run to the end of the line or a quote; others stop at white space,
// quotes, commas, ampersands, semicolons or closing brackets.
func valueEnd(s, key string, i int) int {
	header := key == "authorization" || key == "cookie" || key == "set-cookie"
	pool := key == "test_user_pool"
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"' || c == '\'' || c == '\n' || c == '\r':
			return i
		case header:
		case pool:
			if c == ' ' || c == '\t' {
				return i
			}
		case c == ' ' || c == '\t' || c == '&' || c == ';' || c == ',' || c == ')' || c == ']' || c == '}' || c == '>':
			return i
		}
		i++
	}
	return i
}

// isHarmless spares values that are not secrets: Django's "None", the
// auth-debug booleans (csrf_cookie=True), "n/a", and empty markers.
func isHarmless(v string) bool {
	switch strings.ToLower(v) {
	case "none", "null", "true", "false", "n/a", "-", "", "***", strings.ToLower(Mask):
		return true
	}
	return false
}

// maskPool keeps the user names of a TEST_USER_POOL value
// ("a:pw,b:pw") and masks every password.
func maskPool(v string) string {
	parts := strings.Split(v, ",")
	for i, p := range parts {
		if c := strings.IndexByte(p, ':'); c >= 0 {
			parts[i] = p[:c+1] + Mask
		}
	}
	return strings.Join(parts, ",")
}
