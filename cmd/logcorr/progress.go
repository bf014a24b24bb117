package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/logcorr/logcorr/parsers"
)

// progressThreshold is the input size from which parsing shows a bar:
// below it a run takes about a second and a bar would only flicker.
const progressThreshold = 50 << 20

// wantProgress decides whether to draw a progress bar: only for inputs
// of progressThreshold or more, only when stderr is a terminal (a CI log
// or a redirected stderr gets no carriage-return noise), never with
// --quiet, and never when CI is set (some CI runners give jobs a pty).
func wantProgress(total int64, stderrTTY, quiet bool, ciEnv string) bool {
	return total >= progressThreshold && stderrTTY && !quiet && ciEnv == ""
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// parseProgress returns the Progress hook for parsers.Options and a
// function that ends the bar; both are no-ops when no bar is wanted. The
// bar counts bytes of finished files and redraws its elapsed time while a
// large file is still being read.
func parseProgress(stderr io.Writer, targets []parsers.Target, quiet bool) (func(parsers.Target), func()) {
	size := make(map[string]int64, len(targets))
	var total int64
	for _, t := range targets {
		if st, err := os.Stat(t.Path); err == nil {
			size[t.Path] = st.Size()
			total += st.Size()
		}
	}
	if !wantProgress(total, isTerminal(stderr), quiet, os.Getenv("CI")) {
		return nil, func() {}
	}
	// The bar redraws itself (elapsed time included) every 150 ms while a
	// large file is still being read, and is removed when parsing ends.
	p := mpb.New(mpb.WithOutput(stderr), mpb.WithAutoRefresh(), mpb.WithWidth(30), mpb.WithRefreshRate(150*time.Millisecond))
	bar := p.AddBar(total,
		mpb.PrependDecorators(decor.Name(fmt.Sprintf("parsing %d files ", len(targets))), decor.CountersKibiByte("% .1f / % .1f")),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO)),
		mpb.BarRemoveOnComplete(),
	)
	var mu sync.Mutex
	done := func(t parsers.Target) {
		mu.Lock()
		defer mu.Unlock()
		bar.IncrInt64(size[t.Path])
	}
	return done, func() {
		// Files that could not be sized (or were skipped) never advanced
		// the bar: complete it so it is removed, then wait for the redraw.
		bar.SetTotal(-1, true)
		p.Wait()
	}
}
