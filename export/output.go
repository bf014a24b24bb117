package export

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// output is one Parquet file on its way into the dataset: it is written
// to a hidden temporary file in the partition folder (".part-0.parquet.tmp…",
// which neither a `*.parquet` glob nor Spark, which skips names starting
// with '.', ever reads) and renamed over its final name by Close, after
// fsync. Discard drops it and the final name keeps what it held.
//
// It has the shape of report.Output on the trust branch (Write, Close
// renames, Discard), so that it can become report.OpenOutput(path, nil)
// once that lands; Write's commit order (runs last) stays here.
type output struct {
	f      *os.File
	path   string
	tmp    string
	closed bool
}

func createOutput(path string) (*output, error) {
	if err := checkFile(path); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &output{f: f, path: path, tmp: f.Name()}, nil
}

func (o *output) Write(b []byte) (int, error) { return o.f.Write(b) }

// Close syncs the file and renames it over the final name; on any error
// the temporary file is removed and the final name is untouched.
func (o *output) Close() (err error) {
	if o.closed {
		return nil
	}
	o.closed = true
	defer func() {
		if err != nil {
			os.Remove(o.tmp)
		}
	}()
	if err = o.f.Sync(); err != nil {
		o.f.Close()
		return fmt.Errorf("%s: %w", o.path, err)
	}
	if err = o.f.Close(); err != nil {
		return fmt.Errorf("%s: %w", o.path, err)
	}
	// CreateTemp makes the file 0600; the dataset is for other readers too.
	if err = os.Chmod(o.tmp, 0o644); err != nil {
		return fmt.Errorf("%s: %w", o.path, err)
	}
	if err = checkFile(o.path); err != nil { // again, just before replacing it
		return err
	}
	if err = os.Rename(o.tmp, o.path); err != nil {
		return fmt.Errorf("%s: %w", o.path, err)
	}
	return nil
}

// Discard removes the temporary file.
func (o *output) Discard() {
	if o.closed {
		return
	}
	o.closed = true
	o.f.Close()
	os.Remove(o.tmp)
}

// checkFile refuses a target that exists as a symbolic link or anything
// but a regular file: the dataset is written where it was told, never
// where a link points.
func checkFile(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s: is a symbolic link; refusing to write through it", path)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: exists and is not a regular file", path)
	}
	return nil
}

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
