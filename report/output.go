package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// Output is where a command writes its report: standard output, or a file
// named with --out.
//
// A file is written to a temporary file in the same folder and renamed
// over the final name only by Close, once everything was written: a
// crash, a kill or a full disk part-way leaves the previous file whole
// under its name (and two writers at once leave one of their files, never
// a mix). Discard drops the temporary file instead.
type Output struct {
	io.Writer
	file   *os.File
	path   string // the final name
	tmp    string
	closed bool
}

// OpenOutput returns stdout for "" or "-", else a file that becomes path
// on Close. A path that is a symbolic link or anything but a regular
// file, or whose folder does not exist, is refused: --out writes exactly
// where it was told and nowhere a link points.
func OpenOutput(path string, stdout io.Writer) (*Output, error) {
	if path == "" || path == "-" {
		return &Output{Writer: stdout}, nil
	}
	if err := checkTarget(path); err != nil {
		return nil, err
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s: folder does not exist", filepath.Dir(path))
	}
	return createOutput(path)
}

// createOutput creates the temporary file for path, in path's folder so
// that the final rename never crosses a file system.
func createOutput(path string) (*Output, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	o := &Output{Writer: f, file: f, path: path, tmp: f.Name()}
	pending.add(o.tmp)
	return o, nil
}

// Close finishes the file: it is synced, given the mode of an ordinary
// output file, and renamed over the final name. On any error the
// temporary file is removed and the final name keeps what it held. Close
// after Close or Discard does nothing.
func (o *Output) Close() (err error) {
	if o.file == nil || o.closed {
		return nil
	}
	o.closed = true
	defer func() {
		if err != nil {
			os.Remove(o.tmp)
		}
		pending.remove(o.tmp)
	}()
	if err = o.file.Sync(); err != nil {
		o.file.Close()
		return fmt.Errorf("%s: %w", o.path, err)
	}
	if err = o.file.Close(); err != nil {
		return fmt.Errorf("%s: %w", o.path, err)
	}
	// CreateTemp makes the file 0600; reports are ordinary output files.
	if err = os.Chmod(o.tmp, 0o644); err != nil {
		return fmt.Errorf("%s: %w", o.path, err)
	}
	if err = checkTarget(o.path); err != nil { // again, just before replacing it
		return err
	}
	if err = os.Rename(o.tmp, o.path); err != nil {
		return fmt.Errorf("%s: %w", o.path, err)
	}
	return nil
}

// Discard drops what was written: the temporary file is removed and the
// final name keeps what it held. It is what a writer that failed calls.
func (o *Output) Discard() {
	if o.file == nil || o.closed {
		return
	}
	o.closed = true
	o.file.Close()
	os.Remove(o.tmp)
	pending.remove(o.tmp)
}

// IsFile reports whether the output goes to a file (no colour there).
func (o *Output) IsFile() bool { return o.file != nil }

// RefuseInputs returns an error when an output path is one of the input
// files (the same file, by any name): --out must never overwrite what it
// was asked to read. Outputs that do not exist yet cannot be inputs.
func RefuseInputs(flag string, outs, inputs []string) error {
	for _, out := range outs {
		if out == "" || out == "-" {
			continue
		}
		ost, err := os.Stat(out)
		if err != nil {
			continue
		}
		for _, in := range inputs {
			if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
				return fmt.Errorf("%s %s is one of the inputs (%s); refusing to overwrite it", flag, out, in)
			}
		}
	}
	return nil
}

// checkTarget refuses a target that is a symbolic link or not a regular
// file. os.Lstat does not follow the link.
func checkTarget(target string) error {
	fi, err := os.Lstat(target)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s: is a symbolic link; refusing to write through it", target)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: exists and is not a regular file", target)
	}
	return nil
}

// pending holds the temporary files not yet closed, so that Ctrl-C or
// SIGTERM removes them before the process ends (SIGKILL cannot be caught:
// its temporary file stays, hidden, and the final name is still whole).
var pending = &tempFiles{files: map[string]bool{}}

type tempFiles struct {
	mu      sync.Mutex
	files   map[string]bool
	watched bool
}

func (p *tempFiles) add(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.files[path] = true
	if !p.watched {
		p.watched = true
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		go p.cleanOn(sigs)
	}
}

func (p *tempFiles) remove(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.files, path)
}

// cleanOn removes the pending temporary files on the first signal, then
// lets the signal end the process as it would have.
func (p *tempFiles) cleanOn(sigs chan os.Signal) {
	sig := <-sigs
	p.mu.Lock()
	for f := range p.files {
		os.Remove(f)
	}
	p.mu.Unlock()
	signal.Reset(sig)
	if self, err := os.FindProcess(os.Getpid()); err == nil && self.Signal(sig) == nil {
		select {} // the signal ends the process
	}
	os.Exit(130)
}
