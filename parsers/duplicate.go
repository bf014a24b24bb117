package parsers

import (
	"fmt"
	"hash/maphash"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// fingerprintBytes is how much of each end of a file the duplicate check
// reads: enough that two different logs of the same size practically never
// collide, little enough that the check costs nothing next to parsing.
const fingerprintBytes = 64 << 10

// fingerprint identifies a file's content by its size and a hash of its
// first and last fingerprintBytes. ok is false when the file cannot be read
// (parsing will report why).
func fingerprint(path string) (fp string, size int64, ok bool) {
	f, st, err := OpenRegular(path) // never blocks on a pipe swapped in after the walk
	if err != nil {
		return "", 0, false
	}
	defer f.Close()
	if st.Size() == 0 {
		return "", 0, false
	}
	var h maphash.Hash
	h.SetSeed(fingerprintSeed)
	buf := fingerprintBufs.Get().(*[fingerprintBytes]byte)
	defer fingerprintBufs.Put(buf)
	n, err := io.ReadFull(f, buf[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", st.Size(), false
	}
	h.Write(buf[:n])
	if size := st.Size(); size > 2*fingerprintBytes {
		if _, err := f.ReadAt(buf[:], size-fingerprintBytes); err != nil && err != io.EOF {
			return "", size, false
		}
		h.Write(buf[:])
	}
	return fmt.Sprintf("%d:%x", st.Size(), h.Sum64()), st.Size(), true
}

// fingerprintSeed seeds the fingerprints' hash. They are only compared
// with each other within one process, so the hash is maphash (vectorised;
// the FNV-1a it replaces hashed a byte a step, over the whole of every
// small file of a folder), seeded once per process.
var fingerprintSeed = maphash.MakeSeed()

// fingerprintBufs are the duplicate check's read buffers, reused from
// file to file.
var fingerprintBufs = sync.Pool{New: func() any { return new([fingerprintBytes]byte) }}

// duplicateOf returns, for each target, the index of the target with the
// same content that is kept, or -1 for a kept one. A log copied next to
// itself (logs/ and logs/backup/) would otherwise count every error twice.
// The copy nearest the top of the folder is kept, then the first by name.
// sizes are the targets' sizes, as the check found them (0 when it could
// not read one).
func duplicateOf(targets []Target) (dup []int, sizes []int64) {
	// The fingerprints are read in parallel (a folder of a thousand small
	// files pays an open and a read each before any parse starts), then
	// grouped in target order, so the result does not depend on scheduling.
	fps := make([]string, len(targets))
	oks := make([]bool, len(targets))
	sizes = make([]int64, len(targets))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(targets), max(1, runtime.GOMAXPROCS(0))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(targets); i = int(next.Add(1) - 1) {
				fps[i], sizes[i], oks[i] = fingerprint(targets[i].Path)
			}
		}()
	}
	wg.Wait()
	groups := map[string][]int{}
	var order []string
	for i, t := range targets {
		fp, ok := fps[i], oks[i]
		if !ok {
			continue
		}
		// A Locust file belongs to the run its name gives: two runs'
		// header-only _failures.csv are the same bytes but not the same
		// artifact. Only a copy of the same run's file is a duplicate.
		fp += "|" + runName(filepath.Base(t.Name))
		if _, seen := groups[fp]; !seen {
			order = append(order, fp)
		}
		groups[fp] = append(groups[fp], i)
	}
	dup = make([]int, len(targets))
	for i := range dup {
		dup[i] = -1
	}
	for _, fp := range order {
		g := groups[fp]
		keep := g[0]
		for _, i := range g[1:] {
			if depth(targets[i].Name) < depth(targets[keep].Name) {
				keep = i
			}
		}
		for _, i := range g {
			if i != keep {
				dup[i] = keep
			}
		}
	}
	return dup, sizes
}

func depth(name string) int { return strings.Count(name, "/") }
