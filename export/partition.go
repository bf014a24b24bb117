package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/logcorr/logcorr/parsers"
)

// NoRun is the partition value of rows that belong to no run: events
// outside every run's window or with no UTC time, clock decisions and
// audits of files no run used, findings about no single run.
const NoRun = "__none__"

// hiveNull is what Hive, Spark and DuckDB read as a NULL partition value;
// a run by that name would read back as NULL, so it is refused like NoRun.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// runFile is a run partition's only file.
const runFile = "part-0.parquet"

// maxName is the longest file name most file systems take.
const maxName = 255

// escapeValue makes a run name safe as the value of a `run=` folder:
// ASCII letters, digits, '-', '_' and '.' stay, and so do non-ASCII
// letters, marks, numbers, punctuation and symbols (Spark, like Hive,
// leaves those as they are); every other byte is %XX with upper-case hex.
// So '/', '\', '=', '%', ':', spaces, quotes, control characters and
// format characters (bidi overrides, zero-width) never reach a path, and
// no value is "." or "..": a '.' that would make up the whole value is
// escaped too. DuckDB and Spark decode %XX when they read the value back,
// so the partition column equals the run column.
func escapeValue(name string) string {
	if name == "." || name == ".." {
		return strings.Repeat("%2E", len(name))
	}
	var b strings.Builder
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(name[i:])
		if r != utf8.RuneError && unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S) {
			b.WriteString(name[i : i+n])
		} else {
			for _, x := range []byte(name[i : i+n]) {
				fmt.Fprintf(&b, "%%%02X", x)
			}
		}
		i += n
	}
	return b.String()
}

// unescapeValue reverses escapeValue (and decodes any %XX, as readers do).
func unescapeValue(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '%' && i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2]) {
			b.WriteByte(unhex(v[i+1])<<4 | unhex(v[i+2]))
			i += 2
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// partitionDir is the folder name of a partition.
func partitionDir(run string) string {
	return "run=" + escapeValue(run) // NoRun's letters and underscores are kept as they are
}

// checkRunNames refuses run names that cannot be partitions: empty, the
// reserved values, too long for a folder name once escaped, or two runs
// that would share a folder (the same name after cleaning, or names that
// differ only by case, which a case-insensitive file system would merge).
// It runs before anything is written.
func checkRunNames(parts []*part) error {
	folded := map[string]string{}
	for _, p := range parts {
		switch p.run {
		case "":
			return fmt.Errorf("a run has an empty name; it cannot be a partition")
		case NoRun, hiveNull:
			return fmt.Errorf("run %q: the name is reserved in the dataset (%s holds what belongs to no run); rename its Locust files", p.run, NoRun)
		}
		dir := partitionDir(p.run)
		if len(dir) > maxName {
			return fmt.Errorf("run %q: its partition folder name would be %d bytes once escaped, over the %d a file system takes; rename its Locust files", p.run, len(dir), maxName)
		}
		key := strings.ToLower(dir)
		if other, dup := folded[key]; dup {
			return fmt.Errorf("runs %q and %q would share the partition folder %s (on a case-insensitive file system); rename one", other, p.run, dir)
		}
		folded[key] = p.run
	}
	return nil
}

// checkExistingPartitions refuses a run whose partition folder differs
// only by case from one an earlier export left in the dataset (run `A`
// tonight, `a` tomorrow): on a case-insensitive file system the two would
// be one folder, and the second export would replace the first run's files
// under the other's name. It reads each table folder that exists, before
// anything is written.
func checkExistingPartitions(root string, parts []*part) error {
	mine := map[string]string{} // lower-cased folder → this export's folder
	for _, p := range parts {
		dir := partitionDir(p.run)
		mine[strings.ToLower(dir)] = dir
	}
	for _, t := range tableDefs {
		entries, err := os.ReadDir(filepath.Join(root, t.spec().Name))
		if err != nil {
			continue // no such table yet (or unreadable: writing it will say so)
		}
		for _, e := range entries {
			if dir, ok := mine[strings.ToLower(e.Name())]; ok && dir != e.Name() {
				return fmt.Errorf("%s: the dataset already holds the partition %s, which differs from this export's %s only by case (a case-insensitive file system would merge them); rename the run or export into another folder",
					filepath.Join(root, t.spec().Name), e.Name(), dir)
			}
		}
	}
	return nil
}

// outsideFile names the run=__none__ partition's file after the input:
// part-<16 hex digits of SHA-256 over the sorted paths of the files
// analysed>.parquet. Two exports of the same folder replace the same file;
// exports of other folders into the same dataset (the next night's) keep
// theirs beside it.
func outsideFile(sources []parsers.Audit) string {
	paths := make([]string, len(sources))
	for i, a := range sources {
		paths[i] = a.Path
	}
	sort.Strings(paths)
	h := sha256.Sum256([]byte(strings.Join(paths, "\n")))
	return "part-" + hex.EncodeToString(h[:8]) + ".parquet"
}
