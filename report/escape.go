package report

import (
	"strings"
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
