package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Output is where a command writes its report: standard output, or a file
// named with --out.
type Output struct {
	io.Writer
	file *os.File
	path string
}

// OpenOutput returns stdout for "" or "-", else creates path. A path that
// is a symbolic link, or whose folder does not exist, is refused: --out
// writes exactly where it was told and nowhere a link points.
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
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	return &Output{Writer: f, file: f, path: path}, nil
}

// Close closes the file, if any, and reports write errors.
func (o *Output) Close() error {
	if o.file == nil {
		return nil
	}
	return o.file.Close()
}

// IsFile reports whether the output goes to a file (no colour there).
func (o *Output) IsFile() bool { return o.file != nil }
