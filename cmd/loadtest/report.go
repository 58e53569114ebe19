package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// report is what one scenario produced: its endpoints' results, the
// throughput ratio of a comparison, and notes (counts checked, cache
// hit rates).
type report struct {
	results []result
	ratio   float64 // ours/base; 0 for one-off scenarios
	notes   []string
	tables  []string // Markdown tables of their own, printed last
}

type entry struct {
	s scenario
	r report
}

// fullReport gathers the scenarios of a run for printing.
type fullReport struct {
	c       config
	started time.Time
	load    string
	entries []entry
}

func newReport(c config) *fullReport {
	return &fullReport{c: c, started: time.Now(), load: loadAverage()}
}

func (f *fullReport) add(s scenario, r report) { f.entries = append(f.entries, entry{s, r}) }

// failed reports whether any request failed, or a check of a one-off.
func (f *fullReport) failed() bool {
	for _, en := range f.entries {
		for _, r := range en.r.results {
			if r.errors > 0 {
				return true
			}
		}
		for _, n := range en.r.notes {
			if strings.HasPrefix(n, "FAIL") {
				return true
			}
		}
	}
	return false
}

// print writes the report as Markdown, ready for BENCHMARKS.md.
func (f *fullReport) print(w io.Writer) {
	fmt.Fprintf(w, "## Load test, %s\n\n", f.started.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "Machine: %s, %d CPUs, %s %s/%s; load average before: %s, after: %s.  \n",
		cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, f.load, loadAverage())
	fmt.Fprintf(w, "Command: `go run ./cmd/loadtest %s`\n\n", strings.Join(os.Args[1:], " "))

	fmt.Fprintln(w, "| scenario | endpoint | req/s | p50 | p95 | p99 | ok | errors | 5xx | peak RSS |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, en := range f.entries {
		for _, r := range en.r.results {
			fmt.Fprintf(w, "| %s | `%s` | %.1f | %s | %s | %s | %d | %d | %d | %s |\n",
				en.s.name, r.label, r.throughput(), ms(r.percentile(0.50)), ms(r.percentile(0.95)), ms(r.percentile(0.99)),
				r.ok, r.errors, r.status5xx, mib(r.peakRSS))
		}
	}

	var ratios []string
	for _, en := range f.entries {
		if en.r.ratio == 0 {
			continue
		}
		goal, met := "—", "—"
		if en.s.goal > 0 {
			goal = fmt.Sprintf("≥ %.2f", en.s.goal)
			met = map[bool]string{true: "yes", false: "**no**"}[en.r.ratio >= en.s.goal]
		}
		ratios = append(ratios, fmt.Sprintf("| %s | %.2f | %s | %s |", en.s.name, en.r.ratio, goal, met))
	}
	if len(ratios) > 0 {
		fmt.Fprintln(w, "\n| scenario | ratio ours/base | goal | met |")
		fmt.Fprintln(w, "| --- | ---: | ---: | --- |")
		fmt.Fprintln(w, strings.Join(ratios, "\n"))
	}

	var notes []string
	for _, en := range f.entries {
		for _, r := range en.r.results {
			if r.firstErr != "" {
				notes = append(notes, fmt.Sprintf("%s `%s`: first error: %s", en.s.name, r.label, r.firstErr))
			}
		}
		for _, n := range en.r.notes {
			notes = append(notes, en.s.name+": "+n)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, "- "+n)
		}
	}
	for _, en := range f.entries {
		for _, t := range en.r.tables {
			fmt.Fprintf(w, "\n%s:\n\n%s\n", en.s.name, t)
		}
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func mib(b int64) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func cpuModel() string {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.Lines(string(info)) {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimLeft(name, "\t :"))
		}
	}
	return "unknown CPU"
}

func loadAverage() string {
	avg, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(avg))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}
