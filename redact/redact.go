// Package redact removes secrets from log text before it reaches any
// output. It recognises a secret two ways:
//
//   - by the shape of its key: the value after '=' or ':' of any key whose
//     words include password, passwd, pwd, pass, secret, token, key, auth,
//     credential, session or cookie, in snake, kebab, dotted, camel or
//     upper case (access_token=, DB_PASSWORD=, PGPASSWORD=, SECRET_KEY=,
//     aws_secret_access_key=, HTTP_AUTHORIZATION, X-Api-Key:, "password":),
//     plus TEST_USER_POOL's user:password list;
//   - by the shape of its value, wherever it stands: JSON Web Tokens
//     (eyJ...), cloud keys (AKIA..., AIza...), VCS and package-registry
//     tokens (ghp_..., github_pat_..., glpat-..., npm_..., pypi-...),
//     payment and chat tokens (sk_live_..., xoxb-...), and the password of
//     a URL's user:password@.
//
// Values are replaced by Mask; the key stays, so a reader still sees that
// a password or a cookie was there. Counts says how many of each kind
// were masked, never what.
//
// It runs on every text column the parsers produce, so it is a byte scan
// with no regular expression: a pre-check looks for trigger words in one
// pass (most log lines hold none), and lines that hold one are cut into
// tokens once, each token tested against the key and value shapes.
package redact

import (
	"strings"
)

// Mask replaces a secret value.
const Mask = "[REDACTED]"

// Kind is the shape a masked secret was recognised by.
type Kind uint8

// The kinds, in the order Counts reports them.
const (
	KindPassword    Kind = iota // a key naming a password (password=, PGPASSWORD=, pwd:)
	KindSecret                  // a key naming a secret or credential (client_secret=)
	KindToken                   // a key naming a token (access_token=, csrfmiddlewaretoken=)
	KindKey                     // a key naming a key (api_key=, X-Api-Key:, SECRET_KEY=)
	KindAuth                    // an Authorization header or auth= value
	KindSession                 // a session key (session=, sessionid=)
	KindCookie                  // a Cookie header or cookie value
	KindUserPool                // TEST_USER_POOL's user:password entries
	KindURLUserinfo             // the password of scheme://user:password@host
	KindJWT                     // a JSON Web Token, eyJ...
	KindAWSKey                  // an AWS access key ID, AKIA... / ASIA...
	KindGoogleKey               // a Google API key, AIza...
	KindGitHubToken             // ghp_, gho_, ghu_, ghs_, ghr_, github_pat_
	KindGitLabToken             // glpat-, gldt-, glrt-, glptt-, glcbt-
	KindStripeKey               // sk_live_, sk_test_, rk_live_, rk_test_, whsec_
	KindSlackToken              // xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-
	KindNpmToken                // npm_
	KindPyPIToken               // pypi-
	numKinds
)

var kindNames = [numKinds]string{
	"password", "secret", "token", "key", "authorization", "session", "cookie", "user-pool",
	"url-userinfo", "jwt", "aws-access-key", "google-api-key", "github-token", "gitlab-token",
	"stripe-key", "slack-token", "npm-token", "pypi-token",
}

// String names the kind, as the audit counts it.
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "unknown"
}

// Kinds lists every kind, in report order.
func Kinds() []Kind {
	out := make([]Kind, numKinds)
	for i := range out {
		out[i] = Kind(i)
	}
	return out
}

// Counts is how many values of each kind were masked.
type Counts [numKinds]int64

// Total is the number of values masked.
func (c *Counts) Total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// Map returns the non-zero counts by kind name (nil when none).
func (c *Counts) Map() map[string]int64 {
	var m map[string]int64
	for k, v := range c {
		if v > 0 {
			if m == nil {
				m = map[string]int64{}
			}
			m[Kind(k).String()] = v
		}
	}
	return m
}

func (c *Counts) add(k Kind) {
	if c != nil {
		c[k]++
	}
}

// String returns s with secrets masked.
func String(s string) string { return Count(s, nil) }

// Count is String that adds what it masked to c (c may be nil).
func Count(s string, c *Counts) string {
	if s == "" || !mayHold(s) {
		return s
	}
	s = scan(s, c)
	return maskPoolEntries(s, c)
}

// MayHold reports whether s could hold a secret logcorr masks. When it is
// false for a line, every substring of that line is also free of secrets
// (every shape needs one of the trigger words, and a substring holds no
// word its line lacks), so callers can skip redacting the fields they cut
// from it.
func MayHold(s string) bool { return mayHold(s) }

// FirstTrigger returns where the first trigger word of s begins, -1 when
// s holds none (MayHold is false). Nothing before it can be masked: a
// caller may redact s from the last space before it on (see
// parsers.redactMemo.line).
//
// It walks the byte pairs at even offsets, eight bytes read at once (the
// compiler makes the eight byte loads one) and their four pairs' bits
// tested with one branch, and at a pair that hits compares the
// candidates at j-1 then j: the positions are compared in
// increasing order, each once (a trigger at p shows its pair 0 at p or
// its pair 1 at p+1, whichever offset is even), so the first found is the
// first there is.
func FirstTrigger(s string) int {
	j := 0
	for ; j+8 <= len(s); j += 8 {
		b := s[j : j+8]
		w := uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
			uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
		x0, x1, x2, x3 := uint16(w>>48), uint16(w>>32), uint16(w>>16), uint16(w)
		if (bigrams[x0>>6]>>(x0&63)|bigrams[x1>>6]>>(x1&63)|bigrams[x2>>6]>>(x2&63)|bigrams[x3>>6]>>(x3&63))&1 == 0 {
			continue
		}
		for k := j; k < j+8; k += 2 {
			if p := pairFirst(s, k); p >= 0 {
				return p
			}
		}
	}
	for ; j+1 < len(s); j += 2 {
		if p := pairFirst(s, j); p >= 0 {
			return p
		}
	}
	return -1
}

// pairFirst is where the trigger the pair at even offset j (j+1 < len(s))
// may belong to starts: at j-1, else at j; -1 when neither (or the pair
// is no trigger's).
func pairFirst(s string, j int) int {
	x := uint16(s[j])<<8 | uint16(s[j+1])
	if bigrams[x>>6]&(1<<(x&63)) == 0 {
		return -1
	}
	if j > 0 && trigrams.has(s, j-1) && startsTrigger(s, j-1) {
		return j - 1
	}
	if j+2 < len(s) && trigrams.has(s, j) && startsTrigger(s, j) {
		return j
	}
	return -1
}

// foldTriggers are found ignoring case: every secret key word contains
// one. caseTriggers are the value prefixes, which have one spelling.
var (
	foldTriggers = []string{"pass", "pwd", "secret", "token", "key", "auth", "credential", "cred", "session", "cookie", "user_pool", "://"}
	caseTriggers = []string{"eyJ", "AKIA", "ASIA", "AIza", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
		"glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_",
		"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "npm_", "pypi-"}
)

// triggerIndex holds the triggers by their first byte (both cases for the
// case-insensitive ones), so the pre-check compares only the words that
// could start at a given byte.
var triggerIndex = func() (idx [256][]trigger) {
	for _, t := range foldTriggers {
		idx[t[0]] = append(idx[t[0]], trigger{t, true})
		if c := t[0]; c >= 'a' && c <= 'z' {
			up := c - 'a' + 'A'
			idx[up] = append(idx[up], trigger{t, true})
		}
	}
	for _, t := range caseTriggers {
		idx[t[0]] = append(idx[t[0]], trigger{t, false})
	}
	return idx
}()

type trigger struct {
	word string
	fold bool
}

// bigrams is a bit set of the byte pairs at offsets 0-1 and 1-2 of every
// trigger (in both cases for the case-insensitive ones). Every trigger is
// at least 3 bytes long, so an occurrence starting at p covers the pair
// at p or the one at p+1, whichever starts at an even offset: the
// pre-check looks up only the pairs at even offsets, half the bytes, and
// compares whole triggers only on a hit, at that offset and the one
// before it. Few pairs of ordinary log text hit.
var bigrams = func() (set [1 << 16 / 64]uint64) {
	add := func(a, b byte) {
		x := uint16(a)<<8 | uint16(b)
		set[x>>6] |= 1 << (x & 63)
	}
	cases := func(c byte, fold bool) []byte {
		if fold && c >= 'a' && c <= 'z' {
			return []byte{c, c - 'a' + 'A'}
		}
		return []byte{c}
	}
	pairs := func(t string, fold bool) {
		if len(t) < minTrigger {
			panic("redact: trigger shorter than the pre-check's stride allows: " + t)
		}
		for k := 0; k < 2; k++ {
			for _, a := range cases(t[k], fold) {
				for _, b := range cases(t[k+1], fold) {
					add(a, b)
				}
			}
		}
	}
	for _, t := range foldTriggers {
		pairs(t, true)
	}
	for _, t := range caseTriggers {
		pairs(t, false)
	}
	return set
}()

// minTrigger is the shortest trigger's length, which lets mayHold look at
// every other byte pair.
const minTrigger = 3

// mayHold is the per-line pre-check: whether s holds any trigger, without
// allocating. It is FirstTrigger's pass (the byte pairs at even offsets,
// eight bytes read at once and four pairs' bits tested with one branch):
// ordinary text hits a pair seldom (one pair of a PgBouncer line's 64), so
// stopping at the first trigger costs what stopping at any would.
func mayHold(s string) bool { return FirstTrigger(s) >= 0 }

// trigramSet is a hashed bit set of the first three bytes of every
// trigger, folded to lower case: after a byte pair hits, a candidate
// start is compared with the triggers only when its three bytes may begin
// one. (Ordinary log text hits the pairs often — "se", "re", "co", "to"
// — and the trigrams seldom.)
type trigramSet [1 << trigramBits / 64]uint64

const trigramBits = 12

// trigramHash folds case by setting bit 5 rather than by lower's compare
// and branch (the pre-check hashes a candidate on most pair hits): an upper
// case letter becomes its lower case one, as lower makes it, and the few
// other bytes that fold together ('@' and '`', '[' and '{'...) only share a
// bit of the set, which startsTrigger's comparison then settles.
func trigramHash(a, b, c byte) uint32 {
	x := uint32(a|0x20)<<16 | uint32(b|0x20)<<8 | uint32(c|0x20)
	return x * 2654435761 >> (32 - trigramBits)
}

// has reports whether the three bytes at s[i] may begin a trigger
// (i+2 < len(s)).
func (t *trigramSet) has(s string, i int) bool {
	h := trigramHash(s[i], s[i+1], s[i+2])
	return t[h>>6]&(1<<(h&63)) != 0
}

var trigrams = func() (t trigramSet) {
	for _, w := range append(append([]string{}, foldTriggers...), caseTriggers...) {
		h := trigramHash(w[0], w[1], w[2])
		t[h>>6] |= 1 << (h & 63)
	}
	return t
}()

// startsTrigger reports whether a trigger starts at s[i].
func startsTrigger(s string, i int) bool {
	for _, t := range triggerIndex[s[i]] {
		if t.fold && hasPrefixFold(s[i:], t.word) || !t.fold && strings.HasPrefix(s[i:], t.word) {
			return true
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

func hasSuffixFold(s, t string) bool {
	return len(s) >= len(t) && hasPrefixFold(s[len(s)-len(t):], t)
}

func equalFold(s, t string) bool { return len(s) == len(t) && hasPrefixFold(s, t) }

// indexFold is strings.Index ignoring ASCII case, for a lower-case needle.
func indexFold(s, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		if hasPrefixFold(s[i:], needle) {
			return i
		}
	}
	return -1
}

// byteClass marks the bytes of a token: the characters of a key
// (letters, digits, '_', '-', '.') and of every token shape.
var tokenByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['_'], t['-'], t['.'] = true, true, true
	return t
}()

// masker builds the masked copy of s only once something is masked.
type masker struct {
	s    string
	b    []byte
	last int
}

// mask replaces s[i:j] by Mask.
func (m *masker) mask(i, j int) {
	if m.b == nil {
		m.b = make([]byte, 0, len(m.s)+len(Mask))
	}
	m.b = append(m.b, m.s[m.last:i]...)
	m.b = append(m.b, Mask...)
	m.last = j
}

// replace replaces s[i:j] by r.
func (m *masker) replace(i, j int, r string) {
	if m.b == nil {
		m.b = make([]byte, 0, len(m.s)+len(r))
	}
	m.b = append(m.b, m.s[m.last:i]...)
	m.b = append(m.b, r...)
	m.last = j
}

func (m *masker) result() string {
	if m.b == nil {
		return m.s
	}
	return string(append(m.b, m.s[m.last:]...))
}

// scan cuts s into tokens and masks what their shapes say is secret.
func scan(s string, c *Counts) string {
	m := masker{s: s}
	i := 0
	for i < len(s) {
		if !tokenByte[s[i]] {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && tokenByte[s[j]] {
			j++
		}
		tok := s[i:j]
		if n, k, ok := valueShape(tok); ok {
			m.mask(i, i+n)
			c.add(k)
			i = j
			continue
		}
		if strings.HasPrefix(s[j:], "://") {
			i = maskUserinfo(&m, s, j+3, c)
			continue
		}
		if v, sep, q := valueStart(s, j); v >= 0 {
			if k, strength, ok := keyShape(tok); ok {
				end := valueEnd(s, k, strength, v, sep, q)
				val := s[v:end]
				if end > v && !strings.HasPrefix(s[v:], Mask) && secretValue(tok, val, k, strength) {
					if k == KindUserPool {
						m.replace(v, end, maskPool(val))
					} else {
						m.mask(v, end)
					}
					c.add(k)
					i = end
					continue
				}
			}
		}
		i = j
	}
	return m.result()
}

// maskUserinfo masks the password of the URL authority starting at i
// (just after "://") and returns where scanning goes on: at the
// authority's start, so that tokens inside the URL (a token in its user
// part, ?token= in its query) are still seen.
func maskUserinfo(m *masker, s string, i int, c *Counts) int {
	end := i
	for end < len(s) && !isURLStop(s[end]) {
		end++
	}
	auth := s[i:end]
	at := strings.LastIndexByte(auth, '@')
	if at <= 0 {
		return i
	}
	colon := strings.IndexByte(auth[:at], ':')
	if colon < 0 || colon == at-1 || auth[colon+1:at] == Mask {
		return i
	}
	m.mask(i+colon+1, i+at)
	c.add(KindURLUserinfo)
	return i + at
}

func isURLStop(c byte) bool {
	return c == '/' || c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '?' || c == '#' || c == '>' || c == '<' || c == '\n' || c == '\r'
}

// valueStart finds the value after a key ending at j: an optional closing
// quote of a quoted key (escaped or not), spaces, then '=' or ':' (also
// "==", "=>" and ":=", as code compares and assigns), spaces and an
// optional opening quote. It returns -1 when no separator follows, else
// the value's start, the separator and the opening quote (0 if none).
func valueStart(s string, j int) (int, byte, byte) {
	if j < len(s) && s[j] == '\\' && j+1 < len(s) && (s[j+1] == '"' || s[j+1] == '\'') {
		j += 2
	} else if j < len(s) && (s[j] == '"' || s[j] == '\'') {
		j++
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j >= len(s) || (s[j] != '=' && s[j] != ':') {
		return -1, 0, 0
	}
	sep := s[j]
	if sep == ':' && (strings.HasPrefix(s[j:], "://") || strings.HasPrefix(s[j:], "::")) {
		return -1, 0, 0
	}
	j++
	if j < len(s) && (s[j] == '=' || s[j] == '>') {
		j++
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	var q byte
	if j+1 < len(s) && s[j] == '\\' && (s[j+1] == '"' || s[j+1] == '\'') {
		j++
	}
	if j < len(s) && (s[j] == '"' || s[j] == '\'') {
		q = s[j]
		j++
	}
	return j, sep, q
}

// authSchemes precede the credential in an Authorization value.
var authSchemes = []string{"bearer", "basic", "token", "digest", "negotiate", "ntlm", "apikey", "aws4-hmac-sha256"}

// valueEnd finds where a secret value stops. A quoted value runs to its
// closing quote. A header (Authorization: or Cookie: with a colon) runs to
// the end of the line; a TEST_USER_POOL list to white space; others stop
// at white space, quotes, commas, ampersands, semicolons or closing
// brackets, except that an authorization scheme (Bearer, Basic, ...) takes
// the credential after it along.
func valueEnd(s string, k Kind, strong bool, i int, sep, q byte) int {
	if q != 0 {
		for j := i; j < len(s); j++ {
			if s[j] == q || s[j] == '\n' || s[j] == '\r' || s[j] == '\\' && j+1 < len(s) && s[j+1] == q {
				return j
			}
		}
		return len(s)
	}
	header := sep == ':' && strong && (k == KindAuth || k == KindCookie)
	start := i
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\'' || c == '\n' || c == '\r':
			return i
		case header:
		case k == KindUserPool:
			if c == ' ' || c == '\t' {
				return i
			}
		case c == ' ' || c == '\t':
			if isAuthScheme(s[start:i]) && i+1 < len(s) && s[i+1] != ' ' {
				continue
			}
			return i
		case c == '&' || c == ';' || c == ',' || c == ')' || c == ']' || c == '}' || c == '>' || c == '<':
			return i
		}
	}
	return i
}

func isAuthScheme(w string) bool {
	for _, a := range authSchemes {
		if equalFold(w, a) {
			return true
		}
	}
	return false
}

// isHarmless spares values that are not secrets: Django's "None", the
// auth-debug booleans (csrf_cookie=True), "n/a", and empty markers.
func isHarmless(v string) bool {
	if len(v) > len(Mask) {
		return false
	}
	for _, h := range harmless {
		if equalFold(v, h) {
			return true
		}
	}
	return false
}

var harmless = []string{"none", "null", "nil", "true", "false", "n/a", "-", "", "***", "<redacted>", "[redacted]"}

// secretValue decides whether the value of a secret-shaped key is to be
// masked. Strong keys (password, token, secret, cookie, session, ...)
// mask every value but the harmless ones. Weak ones (a bare "key" or
// "auth", as in a sort key or a JavaScript bundle's React key:!0) mask
// only values that look opaque. The shell's PWD and OLDPWD hold folders,
// not passwords.
func secretValue(key, v string, k Kind, strong bool) bool {
	if isHarmless(v) {
		return false
	}
	if (equalFold(key, "pwd") || equalFold(key, "oldpwd")) && (v[0] == '/' || v[0] == '~') {
		return false
	}
	if codeExpr(v) || !hasAlnum(v) || v == key {
		// Source code: a call, an attribute, or a keyword argument passed
		// on by name (filter(session_key=session_key)).
		return false
	}
	if k == KindSession || k == KindKey || k == KindAuth {
		// session_count=3, key=42: a count or an index, not a secret.
		if len(v) < 8 && allDigits(v) {
			return false
		}
	}
	if strong {
		return true
	}
	return opaque(v)
}

// codeExpr reports whether v is Python source rather than a value, as a
// traceback quotes it: a call or a self./cls. attribute
// (self._session_cache = self.load()).
func codeExpr(v string) bool {
	call := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '(' && i > 0 {
			call = true
			break
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return call || strings.HasPrefix(v, "self.") || strings.HasPrefix(v, "cls.")
}

func hasAlnum(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

func allDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return v != ""
}

// opaque reports whether v looks like a generated secret rather than a
// word or a phrase: long and unbroken, or mixing letters and digits.
func opaque(v string) bool {
	if len(v) < 8 {
		return false
	}
	var digit, letter, dot bool
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			letter = true
		case c == '.':
			dot = true // a dotted name (allauth.account.auth_backends...)
		case c == ' ':
			return false
		}
	}
	return digit && letter || len(v) >= 24 && !dot
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

// maskPoolEntries handles the locustfile's warning about a malformed
// TEST_USER_POOL entry ("invalid entry (missing ':password'): 'bob;pw'"):
// the entry was meant to be user:password, so whatever follows a separator
// inside the quotes is a password typed with the wrong separator.
func maskPoolEntries(s string, c *Counts) string {
	if !strings.Contains(s, "): '") { // cheap, and the entry always follows it
		return s
	}
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
		c.add(KindUserPool)
	}
	return head + rest[:start] + entry + rest[start+end:]
}

// KeyValue returns the value of a key=value pair with secrets masked: the
// whole value when the key names a secret, else whatever String masks in
// it. It saves callers building "key=value" strings to redact.
func KeyValue(key, value string) string { return KeyValueCount(key, value, nil) }

// KeyValueCount is KeyValue that adds what it masked to c (c may be nil).
func KeyValueCount(key, value string, c *Counts) string {
	if value == "" {
		return value
	}
	if k, strong, ok := keyShape(key); ok && !strings.HasPrefix(value, Mask) && secretValue(key, value, k, strong) {
		c.add(k)
		if k == KindUserPool {
			return maskPool(value)
		}
		return Mask
	}
	return Count(value, c)
}
