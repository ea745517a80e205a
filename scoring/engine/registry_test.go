package engine

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

// TestEveryDetectorPackageIsRegistered: each package under scoring/ that
// declares a scoring.Detector (a type with Name and Inspect methods) has
// its line in Detectors, and the registry holds nothing else.
func TestEveryDetectorPackageIsRegistered(t *testing.T) {
	found := detectorPackages(t)
	var registered []string
	for _, s := range DefaultConfig().Sections() {
		registered = append(registered, path.Base(reflect.TypeOf(s.Config).PkgPath()))
	}
	slices.Sort(registered)
	if !slices.Equal(found, registered) {
		t.Errorf("detector packages under scoring/: %v\nregistered in engine.Detectors: %v\n"+
			"add the missing ones to engine.Detectors (docs/extending.md)", found, registered)
	}
	if len(found) < 9 {
		t.Fatalf("only %d detector packages found: %v", len(found), found)
	}
}

// detectorPackages lists, sorted, the directories under scoring/ whose
// non-test files declare methods Name and Inspect on one type.
func detectorPackages(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, dir := range dirs {
		methods := map[string]map[string]bool{} // receiver type -> method names
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, p := range files {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			addMethods(f, methods)
		}
		for _, m := range methods {
			if m["Name"] && m["Inspect"] {
				out = append(out, filepath.Base(dir))
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

func addMethods(f *ast.File, methods map[string]map[string]bool) {
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		typ := fn.Recv.List[0].Type
		if star, ok := typ.(*ast.StarExpr); ok {
			typ = star.X
		}
		id, ok := typ.(*ast.Ident)
		if !ok {
			continue
		}
		if methods[id.Name] == nil {
			methods[id.Name] = map[string]bool{}
		}
		methods[id.Name][fn.Name.Name] = true
	}
}

// TestOneNamePerDetector: a registry entry's yaml key is its package's
// name and its detector's Name(), its defaults are valid, and its key is
// unique (deprecated names included).
func TestOneNamePerDetector(t *testing.T) {
	seen := map[string]bool{}
	typ := reflect.TypeOf(Detectors{})
	for i, s := range DefaultConfig().Sections() {
		pkg := path.Base(reflect.TypeOf(s.Config).PkgPath())
		if s.Name != pkg {
			t.Errorf("registry key %q for package %s: use the package's name", s.Name, pkg)
		}
		if err := s.Config.Validate(); err != nil {
			t.Errorf("%s: the defaults do not validate: %v", s.Name, err)
		}
		if name := s.Config.NewDetector().Name(); name != s.Name {
			t.Errorf("%s: Name() is %q", s.Name, name)
		}
		names := []string{s.Name}
		if old := typ.Field(i).Tag.Get("deprecated"); old != "" {
			names = append(names, strings.Split(old, ",")...)
		}
		for _, n := range append(names, "suppress", "intel") {
			if seen[n] {
				t.Errorf("%s: the key %q is taken", s.Name, n)
			}
		}
		for _, n := range names {
			seen[n] = true
		}
	}
}

// TestEveryEnabledDetectorRuns: the engine builds exactly the enabled
// sections' detectors, in registry order; disabling one drops it alone.
func TestEveryEnabledDetectorRuns(t *testing.T) {
	cfg := DefaultConfig()
	var want []string
	for _, s := range cfg.Sections() {
		if s.Config.On() {
			want = append(want, s.Name)
		}
	}
	if got := engineDetectors(t, cfg); !slices.Equal(got, want) {
		t.Errorf("engine runs %v, the registry enables %v", got, want)
	}
	cfg.DNSTunnel.Enabled = false
	want = slices.DeleteFunc(want, func(n string) bool { return n == "dnstunnel" })
	if got := engineDetectors(t, cfg); !slices.Equal(got, want) {
		t.Errorf("dnstunnel disabled: engine runs %v, want %v", got, want)
	}
}

func engineDetectors(t *testing.T, cfg Config) []string {
	t.Helper()
	e, err := New(cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range e.detectors {
		names = append(names, d.Name())
	}
	return names
}

// TestSectionErrorsNameTheSection: a detector section's error key is
// prefixed with the section's name.
func TestSectionErrorsNameTheSection(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ICMPTunnel.MaxKeys = 0
	err := cfg.Validate()
	if ce, ok := err.(*scoring.ConfigError); !ok || ce.Key != "icmptunnel.max_keys" {
		t.Errorf("err = %v", err)
	}
}
