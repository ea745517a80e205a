package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/netflightrecorder/nfr/scoring/engine"
)

// module is the import path prefix of the repository's packages.
const module = "github.com/netflightrecorder/nfr"

// docs are the doc comments of the packages the config is made of.
type docs struct {
	// fields maps "dir.Type.Field" (dir relative to the root, e.g.
	// scoring/dga) to the field's doc comment, joined to one line:
	// packages share type names (every detector has a Config), so the
	// directory is part of the key.
	fields map[string]string
	// packages maps a directory to its package comment.
	packages map[string]string
}

// readDocs parses the comments of formats/config and every scoring package.
func readDocs(root string) docs {
	d := docs{fields: map[string]string{}, packages: map[string]string{}}
	dirs, _ := filepath.Glob(filepath.Join(root, "scoring", "*"))
	dirs = append(dirs, filepath.Join(root, "formats", "config"), filepath.Join(root, "formats", "sink"))
	fset := token.NewFileSet()
	for _, path := range dirs {
		dir, _ := filepath.Rel(root, path)
		dir = filepath.ToSlash(dir)
		for _, f := range parsePackage(fset, path) {
			if f.Doc != nil {
				d.packages[dir] += f.Doc.Text()
			}
			d.addFields(dir, f)
		}
	}
	return d
}

// addFields records the doc comments of the struct fields declared in f.
func (d docs) addFields(dir string, f *ast.File) {
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
				d.fields[dir+"."+ts.Name.Name+"."+name.Name] = strings.Join(strings.Fields(text), " ")
			}
		}
		return true
	})
}

// key returns the doc of field f of struct owner, on one line. A
// detector's section (a field of engine.Detectors) is described by the
// first sentence of its package comment ("dga detects ...").
func (d docs) key(owner reflect.Type, f reflect.StructField) string {
	if doc := d.fields[pkgDir(owner)+"."+owner.Name()+"."+f.Name]; doc != "" {
		return doc
	}
	if owner == reflect.TypeOf(engine.Detectors{}) {
		doc := firstSentence(strings.Join(strings.Fields(d.packages[pkgDir(f.Type)]), " "))
		return strings.TrimPrefix(doc, "Package ")
	}
	if f.Name == "Enabled" {
		return "Turns this stage on or off."
	}
	return ""
}

// pkgDir is the directory of t's package relative to the module root.
func pkgDir(t reflect.Type) string { return strings.TrimPrefix(t.PkgPath(), module+"/") }

// detectorDirs are the directories of the registered detectors, in
// pipeline order.
func detectorDirs() []string {
	var dirs []string
	for _, s := range engine.DefaultConfig().Sections() {
		dirs = append(dirs, pkgDir(reflect.TypeOf(s.Config)))
	}
	return dirs
}

// firstSentence returns text up to the end of its first sentence: a period
// followed by a space and a capital letter, or the end.
func firstSentence(text string) string {
	for i := 0; i+2 < len(text); i++ {
		if text[i] == '.' && text[i+1] == ' ' && text[i+2] >= 'A' && text[i+2] <= 'Z' {
			return text[:i+1]
		}
	}
	return text
}

// parsePackage parses the non-test Go files of dir, in name order, with
// their comments; files that do not parse are left out.
func parsePackage(fset *token.FileSet, dir string) []*ast.File {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		if f, err := parser.ParseFile(fset, p, nil, parser.ParseComments); err == nil {
			files = append(files, f)
		}
	}
	return files
}
