package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
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
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(fmt.Sprintf("parsing %d files", len(targets))),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionClearOnFinish(),
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				_ = bar.RenderBlank() // redraw the elapsed time
			}
		}
	}()
	done := func(t parsers.Target) { _ = bar.Add64(size[t.Path]) }
	return done, func() {
		close(stop)
		wg.Wait()
		_ = bar.Finish()
	}
}
