package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/logcorr/logcorr/internal/fanout"
	"github.com/logcorr/logcorr/internal/parquet"
	"github.com/logcorr/logcorr/report"
)

// Dataset names the dataset's contract, written into every file's footer
// (key "logcorr.dataset"). Columns and tables are only ever added under
// it, never renamed, retyped or removed.
const Dataset = "logcorr.dataset/v1"

// Options steer an export.
type Options struct {
	// NoRedact keeps secrets (--no-redact); by default every text value is
	// masked on its way into a table.
	NoRedact bool
}

// Summary says what Write wrote.
type Summary struct {
	Runs  []string         // the runs whose partitions were written, in order
	Files int              // Parquet files written
	Bytes int64            // their total size
	Rows  map[string]int64 // rows written per table, all partitions
	// Outside is the number of events that belong to no run: written to
	// OutsideFile (events/run=__none__/part-….parquet), or, with --run,
	// left out (OutsideFile is then "").
	Outside     int64
	OutsideFile string
	// Messages say which files' lines could not be read back for the
	// events' text (Input.Files), each once.
	Messages []string
}

// Write exports the input as a hive-partitioned Parquet dataset under
// root: root/<table>/run=<escaped run name>/part-0.parquet for every
// table and run, and root/<table>/run=__none__/part-<input key>.parquet
// for what belongs to no run (docs/schema.md).
//
// Each run is written as a unit: all its files go to hidden temporary
// files beside their final names first, and only when every one was
// written are they renamed into place, the runs table's last, so a reader
// that sees the run in `runs` sees its other tables complete. A failure
// before that leaves the run's previous partitions as they were; other
// runs' partitions are never touched, so many exports (a CI job per run,
// one per night) can write into one dataset. The same input gives the
// same bytes.
func Write(root string, in Input, opt Options) (*Summary, error) {
	if in.Analysis == nil {
		return nil, errors.New("export: no analysis")
	}
	s := &sink{redact: !opt.NoRedact}
	parts, err := readParts(in, s)
	if err != nil {
		return nil, err
	}
	if err := CheckRoot(root); err != nil {
		return nil, err
	}
	if err := checkExistingPartitions(root, parts); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	// The partitions are written on every core, each committed on its
	// own as before; what each wrote is merged in partition order. After
	// a failure no partition is started (those under way finish).
	type result struct {
		started bool
		sum     Summary
		msgs    map[string]bool
		err     error
	}
	results := make([]result, len(parts))
	var failed atomic.Bool
	fanout.Each(len(parts), func(i int) {
		if failed.Load() {
			return
		}
		r := &results[i]
		r.started, r.sum.Rows, r.msgs = true, map[string]int64{}, map[string]bool{}
		if r.err = writePart(root, parts[i], &in, s, &r.sum, r.msgs); r.err != nil {
			failed.Store(true)
		}
	})
	sum := &Summary{Rows: map[string]int64{}, Outside: int64(in.Analysis.Outside.Len())}
	msgs := map[string]bool{}
	var first error
	for i, p := range parts {
		r := &results[i]
		maps.Copy(msgs, r.msgs)
		if r.err != nil && first == nil {
			first = r.err
		}
		if !r.started || r.err != nil {
			continue
		}
		for k, v := range r.sum.Rows {
			sum.Rows[k] += v
		}
		sum.Files += r.sum.Files
		sum.Bytes += r.sum.Bytes
		if p.doc != nil {
			sum.Runs = append(sum.Runs, p.run)
		} else {
			sum.OutsideFile = filepath.Join(root, eventsTable.name, partitionDir(p.run), p.file)
		}
	}
	sum.Messages = slices.Sorted(maps.Keys(msgs))
	return sum, first
}

// CheckRoot says whether root can hold a dataset: a folder, or nothing
// yet. Callers check it before the analysis, so a typo fails at once.
func CheckRoot(root string) error {
	st, err := os.Stat(root)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s: exists and is not a folder", root)
	}
	return nil
}

// writePart writes one partition of every table it has, then commits.
// Each file goes through report.Output: written to a hidden temporary file
// in the partition folder (".part-0.parquet.tmp…", which neither a
// `*.parquet` glob nor Spark, which skips names starting with '.', ever
// reads), then renamed over its final name by Close, after fsync; Discard
// drops it and the final name keeps what it held. The run's files are all
// written before the first Close, and runs is closed last.
func writePart(root string, p *part, in *Input, s *sink, sum *Summary, msgs map[string]bool) error {
	var outs []*report.Output
	discard := func() {
		for _, o := range outs {
			o.Discard()
		}
	}
	p.listed, p.in, p.noRedact, p.msgs = listEvents(p.events), in, !s.redact, msgs
	defer func() { p.listed, p.in, p.msgs = nil, nil, nil }()
	var rows = map[string]int64{}
	var bytes int64
	for _, t := range tableDefs {
		spec := t.spec()
		if p.doc == nil && !spec.Outside {
			continue
		}
		dir := filepath.Join(root, spec.Name)
		pdir := filepath.Join(dir, partitionDir(p.run))
		if err := makeDir(dir); err != nil {
			discard()
			return err
		}
		if err := makeDir(pdir); err != nil {
			discard()
			return err
		}
		o, err := report.OpenOutput(filepath.Join(pdir, p.file), nil)
		if err != nil {
			discard()
			return err
		}
		outs = append(outs, o)
		n, nrows, err := writeParquet(o, spec.Name, t, p, s)
		rows[spec.Name] += nrows
		if err != nil {
			discard()
			return fmt.Errorf("%s: %w", filepath.Join(pdir, p.file), err)
		}
		bytes += n
	}
	for i, o := range outs {
		if err := o.Close(); err != nil {
			for _, rest := range outs[i+1:] {
				rest.Discard()
			}
			return fmt.Errorf("run %s: %w (%d of its %d files were already replaced, its runs row was not)", p.run, err, i, len(outs))
		}
	}
	for k, v := range rows {
		sum.Rows[k] += v
	}
	sum.Files += len(outs)
	sum.Bytes += bytes
	return nil
}

// writeParquet writes the partition's rows of table t as one Parquet file,
// a slice of rows at a time: zstd, and no library version or time in the
// footer, so the same rows give the same bytes. It returns the file's size
// and its rows.
func writeParquet(w io.Writer, table string, t tableDef, p *part, s *sink) (size, rows int64, err error) {
	bw := fileBuffers.Get().(*bufio.Writer)
	bw.Reset(w)
	defer func() {
		bw.Reset(nil)
		fileBuffers.Put(bw)
	}()
	pw, err := parquet.NewWriter(bw, t.arrowSchema(), parquet.Options{Codec: parquet.Zstd, CreatedBy: "logcorr",
		Metadata: [][2]string{{"logcorr.dataset", Dataset}, {"logcorr.table", table}}})
	if err != nil {
		return 0, 0, err
	}
	if rows, err = t.write(p, s, pw.Append); err != nil {
		pw.Close()
		return 0, 0, err
	}
	if err := pw.Close(); err != nil {
		return 0, 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, 0, err
	}
	return pw.Size(), rows, nil
}

// fileBuffers hold the buffer each Parquet file is written through: a run
// is a dozen small files and a folder hundreds of runs, and a buffer
// allocated per file was a quarter of what an export allocated (bench100:
// 977 MB of 256 KiB buffers for 3,100 files).
var fileBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 256<<10) }}

// makeDir creates dir (a table or partition folder below the dataset
// root) and refuses one that exists as a symbolic link or a file.
func makeDir(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return err
		}
		fi, err = os.Lstat(dir)
		if err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s: is a symbolic link; refusing to write through it", dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: exists and is not a folder", dir)
	}
	return nil
}
