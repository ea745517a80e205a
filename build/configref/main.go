// Command configref writes docs/configuration.md from the config structs:
// every key, its default, and the doc comment of its Go field. Run it with
// `make docs`; a test in formats/config keeps the page and the structs equal.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/netflightrecorder/nfr/formats/config"
)

func main() {
	comments := fieldComments(append([]string{"formats/config"}, globDirs("scoring/*")...))
	var b strings.Builder
	b.WriteString(header)
	section := ""
	for _, k := range config.Keys() {
		top, _, _ := strings.Cut(k.Path, ".")
		top = strings.TrimSuffix(top, "[]")
		if top != section {
			section = top
			fmt.Fprintf(&b, "\n## %s\n\n| key | default | meaning |\n|---|---|---|\n", section)
		}
		doc := comments[k.Owner.Name()+"."+k.Field.Name]
		if doc == "" && k.Field.Name == "Enabled" {
			doc = "Turns this stage on or off."
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", k.Path, k.Default, strings.ReplaceAll(doc, "|", "\\|"))
	}
	if err := os.WriteFile("docs/configuration.md", []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

const header = `# Configuration reference

Generated from the config structs by ` + "`make docs`" + ` (build/configref); a test checks that
every key here exists in the code and every key in the code is here. nfr reads
/etc/nfr/config.yml (or ` + "`--config`" + `, or ` + "`$NFR_CONFIG`" + `). Every key is optional; unknown keys
are errors naming file, line and key. Durations use Go syntax (90s, 5m, 1h). Keys ending in
` + "`[]`" + ` belong to the items of a list.
`

func globDirs(pattern string) []string {
	dirs, _ := filepath.Glob(pattern)
	return dirs
}

// fieldComments maps "Type.Field" to the field's doc comment, joined to one line.
func fieldComments(dirs []string) map[string]string {
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
		if err != nil {
			continue
		}
		for _, pkg := range pkgs {
			for _, f := range pkg.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					ts, ok := n.(*ast.TypeSpec)
					if !ok {
						return true
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						return true
					}
					for _, fld := range st.Fields.List {
						text := fld.Doc.Text()
						if text == "" {
							text = fld.Comment.Text()
						}
						for _, name := range fld.Names {
							out[ts.Name.Name+"."+name.Name] = strings.Join(strings.Fields(text), " ")
						}
					}
					return true
				})
			}
		}
	}
	return out
}
