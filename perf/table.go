package perf

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints the stats as `analyze --stats` puts them on standard
// error: the stages, the input formats, then the peak RSS.
func (s *Stats) WriteTable(w io.Writer) error {
	// Numbers align right; names are padded to one width first, so they
	// read left-aligned.
	width := len("discover")
	for _, f := range s.Formats {
		width = max(width, len(f.Format))
	}
	name := func(n string) string { return fmt.Sprintf("%-*s", width, n) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\twall ms\tCPU ms\tallocated\tGC\tMB/s\t\n", name("stage"))
	for _, st := range s.Stages {
		rate := ""
		if st.MBPerS > 0 {
			rate = fmt.Sprintf("%.1f", st.MBPerS)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%s\t%d\t%s\t\n", name(st.Name), st.WallMS, st.CPUMS, Bytes(int64(st.AllocBytes)), st.GCCycles, rate)
	}
	fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%s\t\t\t\n", name("total"), s.WallMS, s.CPUMS, Bytes(int64(s.AllocBytes)))
	fmt.Fprintln(tw, "\t\t\t\t\t\t")
	fmt.Fprintf(tw, "%s\tfiles\tbytes\tlines\trecords\tparse ms\tMB/s\t\n", name("format"))
	for _, f := range s.Formats {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%.1f\t%.1f\t\n", name(f.Format), f.Files, Bytes(f.Bytes), f.Lines, f.Records, f.WallMS, f.MBPerS)
	}
	fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t\t\t\n", name("input"), s.Input.Files, Bytes(s.Input.Bytes), s.Input.Lines, s.Input.Records)
	if err := tw.Flush(); err != nil {
		return err
	}
	ratio := ""
	if s.Input.Bytes > 0 && s.PeakRSSBytes > 0 {
		ratio = fmt.Sprintf(" (%.2fx the input)", float64(s.PeakRSSBytes)/float64(s.Input.Bytes))
	}
	_, err := fmt.Fprintf(w, "peak RSS %s%s, GOMAXPROCS %d\n", Bytes(s.PeakRSSBytes), ratio, s.GOMAXPROCS)
	return err
}

// Bytes writes a byte count in binary units: 512 B, 1.5 KiB, 20.3 MiB.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
