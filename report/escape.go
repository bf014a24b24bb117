package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SanitizeTerminal removes from log text everything a terminal would act
// on rather than print: ANSI CSI sequences (ESC [ ... final byte), OSC
// sequences (ESC ] ... BEL or ESC \), other ESC sequences, C1 controls,
// and every other C0 control. A tab becomes a space and a line break is
// kept only as " ⏎ " so that one log line stays one line of output.
// Invalid UTF-8 becomes U+FFFD.
func SanitizeTerminal(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b: // ESC
			i = skipEscape(s, i)
			continue
		case c == '\t':
			b.WriteByte(' ')
		case c == '\n':
			b.WriteString(" ⏎ ")
		case c == '\r':
			// dropped: a bare CR would move the cursor back over text
		case c < 0x20 || c == 0x7f:
			// other C0 controls and DEL: dropped
		case c < utf8.RuneSelf:
			b.WriteByte(c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b.WriteRune(utf8.RuneError)
			case r == 0x9b: // C1 CSI
				i = skipCSI(s, i+size)
				continue
			case r == 0x9d: // C1 OSC
				i = skipOSC(s, i+size)
				continue
			case r >= 0x80 && r < 0xa0: // other C1 controls
			default:
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		i++
	}
	return b.String()
}

// skipEscape returns the index after the escape sequence starting at s[i]
// (s[i] == ESC).
func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return i + 1
	}
	switch s[i+1] {
	case '[':
		return skipCSI(s, i+2)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: string until ST or BEL
		return skipOSC(s, i+2)
	default:
		// two-byte sequence (ESC c, ESC 7 ...), or intermediates then final
		j := i + 1
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) {
			j++
		}
		return j
	}
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, j int) int {
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f {
		j++
	}
	if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
		j++
	}
	return j
}

// skipOSC skips a control string up to BEL, ESC \ or C1 ST, included.
func skipOSC(s string, j int) int {
	for j < len(s) {
		switch {
		case s[j] == 0x07:
			return j + 1
		case s[j] == 0x1b:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return j + 1
		case strings.HasPrefix(s[j:], "\u009c"):
			return j + len("\u009c")
		}
		j++
	}
	return j
}

// maxCodeText bounds a log line quoted in a document.
const maxCodeText = 500

// MarkdownCode quotes log text as an inline code span that nothing in the
// text can close early: the fence is one backtick longer than the longest
// backtick run inside, padded with a space when the text starts or ends
// with a backtick. Line breaks become " ⏎ " (a code span cannot hold a
// line of its own, and a line starting with ``` would open a fenced
// block), control characters are removed, and the text is cut at 500
// bytes. HTML inside a code span is shown, not interpreted, so
// "</table><script>" stays text.
//
// In a table cell use MarkdownCodeCell: GitHub splits cells on "|" even
// inside code spans.
func MarkdownCode(s string) string {
	s = clipText(SanitizeTerminal(s), maxCodeText)
	if s == "" {
		return "` `"
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// MarkdownCodeCell is MarkdownCode for a GFM table cell: "|" is written
// "\|", which GFM reads as a literal pipe inside the cell's code span.
func MarkdownCodeCell(s string) string {
	return strings.ReplaceAll(MarkdownCode(s), "|", `\|`)
}

// MarkdownText escapes text (a finding's summary, a message) for a
// paragraph, list item or table cell so that it renders as exactly the
// characters given and cannot change the document's structure:
//
//   - "\\", "`", "*", "[", "]", "|", "~" are always backslash-escaped
//     (no code span, emphasis, link, table cell or strike-through can
//     start), "_" unless it stands between two letters or digits (such an
//     underscore cannot delimit emphasis, so snake_case names stay
//     readable);
//   - "<", ">", "&" become entities: no HTML tag, autolink or entity forms;
//   - a leading "#", "-", "+", "=", ">" or "1." / "1)" is escaped, so the
//     text never starts a heading, list, quote or rule where it begins a
//     line or list item;
//   - line breaks become spaces, leading spaces (four would start a code
//     block) and control characters are removed.
func MarkdownText(s string) string {
	s = SanitizeTerminal(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", " "), "\n", " "))
	var b strings.Builder
	b.Grow(len(s) + 8)
	// Leading spaces go: four of them would start an indented code block.
	s = strings.TrimLeft(s, " ")
	if s != "" {
		switch s[0] {
		case '#', '-', '+', '=':
			b.WriteByte('\\')
		default:
			if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') {
				b.WriteString(s[:i])
				b.WriteByte('\\')
				b.WriteByte(s[i])
				s = s[i+1:]
			}
		}
	}
	var prev rune = ' '
	for i, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '_':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !isWordRune(prev) || !isWordRune(next) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case r < utf8.RuneSelf && strings.ContainsRune("\\`*[]|~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// isWordRune: a "_" between two of these cannot open or close emphasis.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// clipText cuts s to at most n bytes on a rune boundary, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
