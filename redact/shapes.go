package redact

import "strings"

// Key shapes. A key is cut into words at '_', '-', '.' and camel-case
// boundaries (apiKey → api Key, APIKey → API Key, PGPASSWORD stays one
// word); it names a secret when one of its words does.

// secretWord is what one word of a key says.
type secretWord struct {
	kind   Kind
	strong bool
}

// wordKinds are the words that name a secret on their own. Strong words
// mask any value but the harmless ones; weak ones ("key", "auth") only
// opaque values, because a sort key, an author or a React key:!0 is no
// secret.
var wordKinds = map[string]secretWord{
	"password": {KindPassword, true}, "passwd": {KindPassword, true}, "pwd": {KindPassword, true},
	"pass": {KindPassword, true}, "passphrase": {KindPassword, true}, "passcode": {KindPassword, true},
	"secret": {KindSecret, true}, "secrets": {KindSecret, true}, "credential": {KindSecret, true},
	"credentials": {KindSecret, true}, "creds": {KindSecret, true},
	"token": {KindToken, true}, "tokens": {KindToken, true},
	"cookie": {KindCookie, true}, "cookies": {KindCookie, true},
	"authorization": {KindAuth, true},
	"session":       {KindSession, true}, "sessionid": {KindSession, true}, "sessid": {KindSession, true},
	"sessionkey": {KindSession, true},
	"apikey":     {KindKey, true}, "secretkey": {KindKey, true}, "accesskey": {KindKey, true},
	"privatekey": {KindKey, true}, "signingkey": {KindKey, true},
	"key": {KindKey, false}, "auth": {KindAuth, false},
}

// wordSuffixes name a secret at the end of a longer word written without
// separators: PGPASSWORD, csrfmiddlewaretoken, x-csrftoken, dbpasswd.
var wordSuffixes = []struct {
	suffix string
	kind   Kind
}{
	{"password", KindPassword}, {"passwd", KindPassword}, {"pwd", KindPassword}, {"passphrase", KindPassword},
	{"secret", KindSecret}, {"credentials", KindSecret}, {"credential", KindSecret},
	{"token", KindToken}, {"cookie", KindCookie}, {"sessionid", KindSession},
	{"apikey", KindKey}, {"secretkey", KindKey}, {"accesskey", KindKey}, {"privatekey", KindKey},
}

// keyQualifiers make a following "key" strong: api_key, SECRET_KEY,
// aws_access_key, private-key, session_key.
var keyQualifiers = map[string]bool{"api": true, "secret": true, "access": true, "private": true, "signing": true,
	"session": true, "client": true, "master": true, "encryption": true, "auth": true, "license": true}

// cookieQualifiers keep a following "cookie" strong (Set-Cookie,
// HTTP_COOKIE, session_cookie); after any other word it is weak.
var cookieQualifiers = map[string]bool{"set": true, "http": true, "session": true, "auth": true, "request": true}

// maxKeyBytes bounds the keys considered: longer tokens are text, not keys.
const maxKeyBytes = 64

// keyShape reports whether tok, a key, names a secret, the kind, and
// whether the name is strong.
func keyShape(tok string) (k Kind, strong, ok bool) {
	if len(tok) > maxKeyBytes || !mayHold(tok) {
		return 0, false, false
	}
	if equalFold(tok, "test_user_pool") {
		return KindUserPool, true, true
	}
	if exceptionName(tok) || fileName(tok) {
		return 0, false, false
	}
	prev := ""
	for w := (words{tok: tok}); ; {
		word, more := w.next()
		if !more {
			break
		}
		sw, found := wordShape(word)
		if found {
			if sw.kind == KindKey && !sw.strong && lookupFold(keyQualifiers, prev) {
				sw.strong = true
			}
			if sw.kind == KindCookie && prev != "" && !lookupFold(cookieQualifiers, prev) {
				// csrf_cookie=True: auth-debug's flag saying whether
				// a cookie came; a value there must look opaque.
				sw.strong = false
			}
			if !ok || sw.strong && !strong {
				k, strong, ok = sw.kind, sw.strong, true
			}
			if strong {
				break
			}
		}
		prev = word
	}
	return k, strong, ok
}

// exceptionWords end the names of exceptions and warnings, which a
// traceback prints before a colon: "SessionInterrupted: The request's
// session was deleted", "InvalidTokenError: Signature has expired".
var exceptionWords = map[string]bool{"error": true, "exception": true, "warning": true, "interrupted": true,
	"expired": true, "invalid": true, "missing": true, "mismatch": true, "required": true, "failed": true,
	"failure": true, "denied": true, "notfound": true, "doesnotexist": true}

// exceptionName reports whether tok names an exception rather than a key:
// its last word ends an exception name, or it is a dotted path ending in a
// CamelCase class (django.contrib.sessions.exceptions.SuspiciousSession).
func exceptionName(tok string) bool {
	if lookupFold(exceptionWords, lastWord(tok)) {
		return true
	}
	dot := strings.LastIndexByte(tok, '.')
	if dot < 0 {
		return false
	}
	cls := tok[dot+1:]
	if len(cls) < 2 || cls[0] < 'A' || cls[0] > 'Z' {
		return false
	}
	humps, lowerSeen := 0, false
	for i := 0; i < len(cls); i++ {
		switch c := cls[i]; {
		case c >= 'A' && c <= 'Z':
			if i > 0 && !lowerSeen {
				return false // two capitals in a row: SECRET_KEY, not a class
			}
			humps, lowerSeen = humps+1, false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			lowerSeen = true
		default:
			return false
		}
	}
	return humps >= 2 && lowerSeen
}

// fileExts end file names, which messages print before a colon
// ("hasil_test_secret_failures.csv:11: ...", "secret_views.py:12"): a
// name ending in one is a file, not a key.
var fileExts = map[string]bool{"csv": true, "log": true, "gz": true, "txt": true, "html": true, "htm": true,
	"json": true, "jsonl": true, "yaml": true, "yml": true, "py": true, "go": true, "js": true, "err": true,
	"out": true, "arrow": true, "parquet": true, "md": true, "xml": true}

func fileName(tok string) bool {
	dot := strings.LastIndexByte(tok, '.')
	return dot > 0 && lookupFold(fileExts, tok[dot+1:])
}

// wordShape classifies one word of a key.
func wordShape(w string) (secretWord, bool) {
	if len(w) < 3 {
		return secretWord{}, false
	}
	if sw, ok := lookupFoldOK(wordKinds, w); ok {
		return sw, true
	}
	for _, s := range wordSuffixes {
		if len(w) > len(s.suffix) && hasSuffixFold(w, s.suffix) {
			return secretWord{s.kind, true}, true
		}
	}
	return secretWord{}, false
}

// lookupFoldOK looks w up, ignoring ASCII case, in a map keyed by lower-
// case words, without allocating (keys are short; longer words are in no
// map).
func lookupFoldOK[T any](m map[string]T, w string) (T, bool) {
	var buf [maxKeyBytes]byte
	if len(w) > len(buf) {
		var zero T
		return zero, false
	}
	b := buf[:len(w)]
	for i := 0; i < len(w); i++ {
		b[i] = lower(w[i])
	}
	v, ok := m[string(b)] // the compiler does not copy b for a lookup
	return v, ok
}

// lookupFold is lookupFoldOK for a set.
func lookupFold(m map[string]bool, w string) bool {
	v, _ := lookupFoldOK(m, w)
	return v
}

// words cuts a key into its words: at '_', '-' and '.', and where the case
// changes (apiKey → api Key; APIKey → API Key; digits go with the letters
// before them).
type words struct {
	tok   string
	start int
}

func (w *words) next() (string, bool) {
	tok := w.tok
	for w.start < len(tok) && (tok[w.start] == '_' || tok[w.start] == '-' || tok[w.start] == '.') {
		w.start++
	}
	if w.start >= len(tok) {
		return "", false
	}
	s := w.start
	for i := s + 1; i <= len(tok); i++ {
		cut := i == len(tok) || tok[i] == '_' || tok[i] == '-' || tok[i] == '.' ||
			isUpper(tok[i]) && isLowerOrDigit(tok[i-1]) || // apiKey
			i+1 < len(tok) && isUpper(tok[i]) && isUpper(tok[i-1]) && tok[i+1] >= 'a' && tok[i+1] <= 'z' // APIKey
		if cut {
			w.start = i
			return tok[s:i], true
		}
	}
	w.start = len(tok)
	return tok[s:], true
}

// lastWord is the key's last word.
func lastWord(tok string) string {
	last := ""
	for w := (words{tok: tok}); ; {
		word, more := w.next()
		if !more {
			return last
		}
		last = word
	}
}

func isUpper(c byte) bool        { return c >= 'A' && c <= 'Z' }
func isLowerOrDigit(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// Value shapes: tokens that are secrets wherever they stand.

type prefixShape struct {
	prefix string
	kind   Kind
	min    int // characters after the prefix
}

var prefixShapes = []prefixShape{
	{"ghp_", KindGitHubToken, 30}, {"gho_", KindGitHubToken, 30}, {"ghu_", KindGitHubToken, 30},
	{"ghs_", KindGitHubToken, 30}, {"ghr_", KindGitHubToken, 30}, {"github_pat_", KindGitHubToken, 22},
	{"glpat-", KindGitLabToken, 20}, {"gldt-", KindGitLabToken, 20}, {"glrt-", KindGitLabToken, 20},
	{"glptt-", KindGitLabToken, 20}, {"glcbt-", KindGitLabToken, 20},
	{"sk_live_", KindStripeKey, 16}, {"sk_test_", KindStripeKey, 16}, {"rk_live_", KindStripeKey, 16},
	{"rk_test_", KindStripeKey, 16}, {"whsec_", KindStripeKey, 24},
	{"xoxb-", KindSlackToken, 10}, {"xoxp-", KindSlackToken, 10}, {"xoxa-", KindSlackToken, 10},
	{"xoxr-", KindSlackToken, 10}, {"xoxs-", KindSlackToken, 10}, {"xoxe-", KindSlackToken, 10},
	{"npm_", KindNpmToken, 36}, {"pypi-", KindPyPIToken, 50},
	{"AIza", KindGoogleKey, 35},
}

// valueShape reports whether tok (or its first n bytes: a sentence's full
// stop is not part of a token) is a secret by its shape alone.
func valueShape(tok string) (n int, k Kind, ok bool) {
	if len(tok) < 20 {
		return 0, 0, false
	}
	tok = strings.TrimRight(tok, ".-")
	if len(tok) < 20 {
		return 0, 0, false
	}
	switch tok[0] {
	case 'e':
		if isJWT(tok) {
			return len(tok), KindJWT, true
		}
		return 0, 0, false
	case 'A':
		if len(tok) == 20 && (strings.HasPrefix(tok, "AKIA") || strings.HasPrefix(tok, "ASIA")) && upperAlnum(tok[4:]) {
			return len(tok), KindAWSKey, true
		}
	}
	for _, p := range prefixShapes {
		if p.prefix[0] == tok[0] && strings.HasPrefix(tok, p.prefix) {
			rest := tok[len(p.prefix):]
			if len(rest) >= p.min && tokenBody(rest) {
				return len(tok), p.kind, true
			}
		}
	}
	return 0, 0, false
}

// isJWT: two or three base64url segments joined by dots, the first (the
// header, a JSON object) starting eyJ.
func isJWT(tok string) bool {
	if !strings.HasPrefix(tok, "eyJ") {
		return false
	}
	segs, seg := 1, 0
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c == '.':
			if seg < 4 {
				return false
			}
			segs, seg = segs+1, 0
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_':
			seg++
		default:
			return false
		}
	}
	return segs >= 2 && segs <= 5
}

func upperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// tokenBody: the characters of a generated token, with at least one digit
// or upper-case letter (a word such as sk_test_helpers_module is none).
func tokenBody(s string) bool {
	mixed := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9' || c >= 'A' && c <= 'Z':
			mixed = true
		case c >= 'a' && c <= 'z' || c == '_' || c == '-':
		default:
			return false
		}
	}
	return mixed
}
