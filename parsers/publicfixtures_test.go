package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// publicFixture is a small excerpt of an artifact another team published
// (an issue thread, a README, a committed report), kept verbatim in
// testdata/public/ unless Note says otherwise. Source names the project and
// where the excerpt is; Versions the tool versions that wrote it.
type publicFixture struct {
	File     string
	Variant  string
	Versions string
	Source   string
	Format   string // the format content detection must choose
	Note     string // how the file differs from the published text, if at all
}

// publicFixtures are the variants logcorr learnt from other teams' files.
var publicFixtures = []publicFixture{
	{File: "locust2_console_traceback.log", Variant: "Locust console log, record with a traceback", Versions: "Locust 2.2x (Feb 2024, Python 3.11)",
		Source: "locustio/locust issue #2575 (https://github.com/locustio/locust/issues/2575)", Format: "locust_console",
		Note: "the issue's excerpt ends inside the traceback"},
	{File: "locust1_console_traceback.log", Variant: "Locust console log, record with a traceback", Versions: "Locust 1.2.1",
		Source: "locustio/locust issue #1537 (https://github.com/locustio/locust/issues/1537)", Format: "locust_console"},
	{File: "django_verbose.log", Variant: "Django verbose formatter, level first (levelname asctime module process thread message)", Versions: "Django 1.5 era (2013)",
		Source: "django/django pull request #787 (https://github.com/django/django/pull/787)", Format: "django"},
	{File: "django_console_ise.log", Variant: "Django default console: untimed \"Internal Server Error: /\" before its traceback", Versions: "Django 3.1, Python 3.7, Windows",
		Source: "sclorg/django-ex issue #71 (https://github.com/sclorg/django-ex/issues/71)", Format: "django",
		Note: "the comment's excerpt ends inside the traceback"},
	{File: "runserver_not_found.log", Variant: "runserver console: untimed \"Not Found: /x\" between request lines", Versions: "Django 3.x, Python 3.6, Windows (2020)",
		Source: "CleverProgrammer/youtube_django issue #4 (https://github.com/CleverProgrammer/youtube_django/issues/4)", Format: "runserver",
		Note: "the first ten lines of the paste"},
	{File: "runserver_channels_ws.log", Variant: "runserver console with banner, \"Not Found: /ws/...\"", Versions: "Django 4.1.3, Windows 11",
		Source: "django/channels issue #1956 (https://github.com/django/channels/issues/1956)", Format: "runserver"},
	{File: "runserver_channels1_http.log", Variant: "channels runserver request lines \"[YYYY/MM/DD HH:MM:SS] HTTP GET /x 304 [0.05, client]\"", Versions: "channels 0.11, daphne 0.10.3, Django 1.9.5",
		Source: "django/channels issue #127 (https://github.com/django/channels/issues/127)", Format: "runserver",
		Note: "the first six lines of the paste"},
	{File: "runserver_channels3_ws.log", Variant: "channels runserver WebSocket lines without a time", Versions: "channels 3, Django 3.2.7",
		Source: "Bearle/django_private_chat2 issue #35 (https://github.com/Bearle/django_private_chat2/issues/35)", Format: "runserver"},
	{File: "runserver_simple_formatter.log", Variant: "django.server through a simple formatter: `WARNING basehttp \"GET ...\" 404 2001`", Versions: "Django 4/5 (2025)",
		Source: "LeonYe612/WFGameAI wfgame-ai-server/reports_system_fix_guide.md", Format: "runserver"},
	{File: "pgbouncer17_heroku.log", Variant: "PgBouncer \"Pooler Error:\" (capitalised), bare pid, no zone, through a Heroku log drain", Versions: "PgBouncer ≤ 1.7 (Heroku buildpack, May 2017)",
		Source: "travis-ci/travis-logs pull request #111 (https://github.com/travis-ci/travis-logs/pull/111)", Format: "pgbouncer"},
	{File: "es_prechaos_requests.csv", Variant: "Locust 0.x PREFIX_requests.csv (Method, # requests, ..., \"None\",\"Total\" row)", Versions: "Locust 0.8 (2017)",
		Source: "jmeagher/playground kubernetes/README.md (pre-chaos stats)", Format: "locust_csv",
		Note: "the README quotes /stats/requests/csv, which 0.8 wrote with the same function as --csv PREFIX_requests.csv; named as --csv would name it"},
	{File: "es_prechaos_distribution.csv", Variant: "Locust 0.x PREFIX_distribution.csv (\"METHOD name\", percentiles, \"None Total\")", Versions: "Locust 0.8 (2017)",
		Source: "jmeagher/playground kubernetes/README.md (pre-chaos stats)", Format: "locust_csv",
		Note: "from /stats/distribution/csv, named as --csv would name it"},
	{File: "example_requests.csv", Variant: "Locust 0.x PREFIX_requests.csv", Versions: "Locust 0.8.1",
		Source: "locustio/locust docs/retrieving-stats.rst (added in pull request #747)", Format: "locust_csv"},
	{File: "example_distribution.csv", Variant: "Locust 0.x PREFIX_distribution.csv, N/A rows, a name without its method", Versions: "Locust 0.8.1",
		Source: "locustio/locust docs/retrieving-stats.rst (added in pull request #747)", Format: "locust_csv"},
	{File: "locust013_stats_history.csv", Variant: "Locust 0.13 stats_history.csv: \"Requests Failed/s\", cumulative \"# requests\", no user count, a lost quote in the header", Versions: "Locust 0.13 (Nov 2019)",
		Source: "locustio/locust pull request #1146 (https://github.com/locustio/locust/pull/1146)", Format: "locust_csv"},
	{File: "oc_p11_locust_report.html", Variant: "Locust 2021 Jinja --html report: \"During\" in local time (UTC+2), chart history in UTC, no median column", Versions: "Locust 2.x (October 2021)",
		Source: "ajurquet/Openclassroom_projet_11 locust_report.html", Format: "locust_html",
		Note: "the report's CSS and its inlined jQuery/ECharts bundle left out; every table row, the task ratios and the whole stats_history kept"},
	{File: "mlops_locust_report.html", Variant: "early React --html report: history points with bare numbers and a UTC time of day, zoneless start_time/end_time", Versions: "Locust 2.2x (early web UI report)",
		Source: "DanielDiazCruz/MLOps-Engineering locust_report.html", Format: "locust_html",
		Note: "history cut to its first three and last two points, the React bundle left out; the rest of window.templateArgs as written"},
	{File: "win_zh_failures.csv", Variant: "Locust _failures.csv in the zh-CN Windows code page, GBK (cp936)", Versions: "Locust 1.x on zh-CN Windows",
		Source: "guapier/zi5book issue #1 (https://github.com/guapier/zi5book/issues/1)", Format: "locust_csv",
		Note: "composed: Locust's failures row around Windows' own 10061 message as that issue quotes it, encoded in GBK (cp936)"},
	{File: "win_ko_failures.csv", Variant: "Locust _failures.csv in the ko-KR Windows code page, CP949", Versions: "Locust 1.x on ko-KR Windows",
		Source: "mdsnins/IZPM-Backup issue #13 (https://github.com/mdsnins/IZPM-Backup/issues/13)", Format: "locust_csv",
		Note: "composed: Locust's failures row around Windows' own 10061 message as that issue quotes it, encoded in CP949"},
	{File: "win_ru_failures.csv", Variant: "Locust _failures.csv in the ru-RU Windows code page, CP1251", Versions: "Locust 1.x on ru-RU Windows",
		Source: "abbat/ydcmd issue #22 (https://github.com/abbat/ydcmd/issues/22)", Format: "locust_csv",
		Note: "composed: Locust's failures row around Windows' own 10061 message as that issue quotes it, encoded in CP1251"},
}

func publicPath(name string) string { return filepath.Join("testdata", "public", name) }

// publicSeeds returns the public fixtures a format reads, for fuzz seeds.
func publicSeeds(t testing.TB, format string) [][]byte {
	var out [][]byte
	for _, f := range publicFixtures {
		if f.Format != format {
			continue
		}
		b, err := os.ReadFile(publicPath(f.File))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// TestPublicFixtures: every published excerpt is detected by content as its
// format (under a neutral name, so the name cannot help), and every line is
// understood: no unparsed line, no record-like line folded into another
// record.
func TestPublicFixtures(t *testing.T) {
	for _, f := range publicFixtures {
		t.Run(f.File, func(t *testing.T) {
			raw, err := os.ReadFile(publicPath(f.File))
			if err != nil {
				t.Fatal(err)
			}
			neutral := "artifact" + filepath.Ext(f.File)
			if strings.HasSuffix(f.File, ".csv") || strings.HasSuffix(f.File, ".html") {
				neutral = f.File // CSV runs and reports are named by their run
			}
			tmp := filepath.Join(t.TempDir(), neutral)
			if err := os.WriteFile(tmp, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			a := ParseFile(tmp, f.File, Options{}).Audit
			if a.Format != f.Format {
				t.Fatalf("detected %s (%.2f), want %s; runner-up %s (%.2f); messages %v", a.Format, a.Confidence, f.Format, a.RunnerUp, a.RunnerUpConfidence, a.Messages)
			}
			if a.Unparsed != 0 || a.RecordLikeFolded != 0 || !a.Balanced() {
				t.Errorf("lines %d records %d folded %d unparsed %d record-like folded %d: %v %v", a.Lines, a.Records, a.Folded, a.Unparsed, a.RecordLikeFolded, a.UnparsedExamples, a.RecordLikeExamples)
			}
			if a.Understood() != a.Lines {
				t.Errorf("understood %d of %d lines", a.Understood(), a.Lines)
			}
		})
	}
}
