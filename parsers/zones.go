package parsers

// Zones as lines print them. One table serves the parsers that convert a
// printed zone to UTC and the correlate stage that states each file's
// offset, so the two never disagree about what a zone means.

// zoneOffsets maps unambiguous zone abbreviations to their UTC offset in
// seconds. Abbreviations are not unique worldwide; only those with one
// common reading are here.
var zoneOffsets = map[string]int{
	"UTC": 0, "UCT": 0, "GMT": 0, "Z": 0, "WET": 0,
	"WEST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200, "EEST": 3 * 3600, "MSK": 3 * 3600,
	"ICT": 7 * 3600, "WIB": 7 * 3600, "WITA": 8 * 3600, "WIT": 9 * 3600,
	"SGT": 8 * 3600, "HKT": 8 * 3600, "PHT": 8 * 3600, "AWST": 8 * 3600, "MYT": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600,
	"AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CDT": -5 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600,
	"PST": -8 * 3600, "PDT": -7 * 3600, "AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
}

// zoneAmbiguous lists abbreviations in common use for several zones.
var zoneAmbiguous = map[string]string{
	"IST": "India +05:30, Israel +02:00, Ireland +01:00",
	"CST": "US Central -06:00, China +08:00, Cuba -05:00",
	"BST": "British Summer +01:00, Bangladesh +06:00",
	"AST": "Atlantic -04:00, Arabia +03:00",
	"GST": "Gulf +04:00, South Georgia -02:00",
	"SST": "Samoa -11:00, Singapore +08:00",
}

// ZoneOffset reads a printed zone: an unambiguous abbreviation ("WIB",
// "CEST") or a numeric offset ("Z", "+07", "+0700", "+07:00"). ok is false
// for anything else; ambiguous then names the readings of an abbreviation
// in common use for several zones ("IST", "CST"...), or is empty.
func ZoneOffset(abbr string) (seconds int, ambiguous string, ok bool) {
	if off, ok := zoneOffsets[abbr]; ok {
		return off, "", true
	}
	if off, n, ok := parseOffset([]byte(abbr)); ok && n == len(abbr) {
		return off, "", true
	}
	return 0, zoneAmbiguous[abbr], false
}
