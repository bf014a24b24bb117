// Command storm writes a folder where thousands of server errors share each
// second: the chain of one pool-exhaustion failure (runserver's 500 request
// line and its django.request record with traceback, PgBouncer's
// query_wait_timeout, auth_debug's 500 response, the locustfile's two copies
// of the failure, Locust's console line) written n times over a few seconds
// of a real run, next to that run's Locust files (copied as they are).
//
//	go run ./bench/storm -out /tmp/storm -errors 200000
//	go run ./bench/storm -out /tmp/storm-s -errors 160000 -whole-seconds -one-copy
//
// The line shapes are the sample's (samples/pool-exhaustion, see
// FORMATS.md); only times, paths and users vary. Linking, the copies'
// merge and their deduplication are what it loads: each was once
// quadratic in the errors per second (BENCHMARKS.md, phase 6). The same
// flags write the same bytes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "", "folder to write (must not exist)")
	src := flag.String("src", "samples/pool-exhaustion", "the run whose Locust files (CSV set, HTML report, console log) are copied")
	n := flag.Int("errors", 20000, "server errors to write")
	secs := flag.Int("seconds", 15, "seconds they are spread over, from 20:46:14 local (WIB)")
	whole := flag.Bool("whole-seconds", false, "Django's and runserver's records without milliseconds (a datefmt without %f)")
	one := flag.Bool("one-copy", false, "the locustfile writes each failure once (its logger line only)")
	flag.Parse()
	if err := run(*out, *src, *n, *secs, *whole, *one); err != nil {
		fmt.Fprintln(os.Stderr, "storm:", err)
		os.Exit(2)
	}
}

func run(out, src string, n, secs int, whole, one bool) error {
	if out == "" || n <= 0 || secs <= 0 {
		return fmt.Errorf("-out, a positive -errors and -seconds are required")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists", out)
	}
	if err := os.MkdirAll(filepath.Join(out, "logs"), 0o755); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if name := e.Name(); !e.IsDir() && (strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".html") || name == "locust.log") {
			b, err := os.ReadFile(filepath.Join(src, name))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
				return err
			}
		}
	}
	rels := []string{"logs/django_errors.log", "logs/runserver_8000.err.log", "pgbouncer.log", "logs/auth_debug.log", "logs/locust_login_failures.log"}
	files := map[string]*bufio.Writer{}
	var opened []*os.File
	defer func() {
		for _, f := range opened {
			f.Close()
		}
	}()
	for _, rel := range rels {
		f, err := os.Create(filepath.Join(out, rel))
		if err != nil {
			return err
		}
		opened = append(opened, f)
		files[rel] = bufio.NewWriterSize(f, 1<<20)
	}
	w := func(rel string) *bufio.Writer { return files[rel] }
	start := time.Date(2026, 11, 29, 20, 46, 14, 0, time.UTC) // WIB wall clock
	span := time.Duration(secs) * time.Second
	for i := range n {
		at := start.Add(span * time.Duration(i) / time.Duration(n))
		path := "/accounts/login/"
		if i%3 != 0 {
			path = fmt.Sprintf("/api/project/%d/pricing/", i%50)
		}
		user := fmt.Sprintf("tester%03d", 1+i%35)
		stamp := at.Format("2006-01-02 15:04:05,000")
		if whole {
			stamp = at.Format("2006-01-02 15:04:05")
		}
		record := fmt.Sprintf("%s ERROR django.request Internal Server Error: %s\nTraceback (most recent call last):\n"+
			"  File \"/usr/lib/python3/dist-packages/django/db/backends/utils.py\", line 84, in _execute\n"+
			"    return self.cursor.execute(sql, params)\n"+
			"psycopg2.OperationalError: query_wait_timeout\nserver closed the connection unexpectedly\n", stamp, path)
		fmt.Fprint(w("logs/django_errors.log"), record)
		fmt.Fprint(w("logs/runserver_8000.err.log"), record)
		fmt.Fprintf(w("logs/runserver_8000.err.log"), "[%s] \"POST %s HTTP/1.1\" 500 145\n", at.Format("02/Jan/2006 15:04:05"), path)
		fmt.Fprintf(w("pgbouncer.log"), "%s WIB [25331] WARNING C-0x55e73a%06x: rabdb/rabapp@127.0.0.1:%d pooler error: query_wait_timeout\n",
			at.Add(-3*time.Millisecond).Format("2006-01-02 15:04:05.000"), i%(1<<24), 40000+i%20000)
		fmt.Fprintf(w("logs/auth_debug.log"), "%s DEBUG auth_debug auth_response status=500 method=POST path=%s user=anon duration_ms=120000.00 db_queries=n/a db_time_ms=n/a\n",
			at.Format("2006-01-02 15:04:05,000"), path)
		if path == "/accounts/login/" {
			msg := fmt.Sprintf("login_server_error username=%s status=500 url=http://127.0.0.1:58000/accounts/login/ error=unknown", user)
			fmt.Fprintf(w("logs/locust_login_failures.log"), "%s ERROR %s\n", at.Add(time.Millisecond).Format("2006-01-02 15:04:05,000"), msg)
			if !one {
				fmt.Fprintf(w("logs/locust_login_failures.log"), "%s %s\n", at.Add(time.Millisecond).Format("2006-01-02T15:04:05.000000"), msg)
			}
		}
	}
	for i, rel := range rels {
		if err := files[rel].Flush(); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if err := opened[i].Close(); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
	}
	opened = nil
	fmt.Printf("%s: %d server errors over %d s\n", out, n, secs)
	return nil
}
