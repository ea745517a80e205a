package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/netflightrecorder/nfr/formats/feeds"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

// nfr feeds: load the configured intel (built-ins and feeds) and account
// for every feed line: entries loaded, duplicates, comments, blanks,
// skipped metadata and malformed lines (listed with file:line).
// Exit codes: 0 loaded (malformed lines are reported, not fatal), 1 a feed
// could not be read, 2 config error.
func init() {
	register("feeds", "load the intel feeds and report entry counts and malformed lines", func(args []string) int {
		return runFeeds(args, os.Stdout, os.Stderr)
	})
}

func runFeeds(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("feeds", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, _, code := loadConfig(*path)
	if code != 0 {
		return code
	}
	ix, reports, err := feeds.Load(cfg.Intel, cfg.Dir)
	printFeeds(stdout, ix.Lists(), reports)
	if err != nil {
		fmt.Fprintln(stderr, "nfr:", err)
		return 1
	}
	return 0
}

func printFeeds(out io.Writer, lists []intel.ListInfo, reports []feeds.Report) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "feed\tcategory\tformat\tlines\tentries\tduplicates\tcomments\tblank\tskipped\tmalformed\t")
	for _, l := range lists {
		if l.Builtin {
			fmt.Fprintf(w, "%s\t%s\tbuiltin\t-\t%d\t-\t-\t-\t-\t-\t\n", l.Name, l.Category, l.Entries)
		}
	}
	total, bad := 0, 0
	for _, r := range reports {
		status := ""
		if r.Err != nil {
			status = "  (unreadable)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.Feed.Name, r.Feed.Category, r.Feed.Format,
			r.Lines, r.Entries, r.Duplicates, r.Comments, r.Blank, r.Skipped, r.BadLines, status)
		total += r.Entries
		bad += r.BadLines
	}
	w.Flush()
	builtin, ranked := 0, 0
	for _, l := range lists {
		switch {
		case l.Category == intel.CatPopular:
			ranked += l.Entries
		case l.Builtin:
			builtin += l.Entries
		}
	}
	fmt.Fprintf(out, "\n%d feeds: %d entries loaded, %d malformed lines; %d built-in indicators; popularity prior: %d ranked domains\n",
		len(reports), total, bad, builtin, ranked)
	for _, r := range reports {
		if r.Err != nil {
			fmt.Fprintf(out, "%s: %v\n", r.Path, r.Err)
		}
		for _, le := range r.Bad {
			fmt.Fprintln(out, le.Error())
		}
		if r.BadLines > len(r.Bad) {
			fmt.Fprintf(out, "%s: ... and %d more malformed lines\n", r.Path, r.BadLines-len(r.Bad))
		}
	}
}
