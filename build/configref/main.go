// Command configref writes the files generated from the code (run it with
// `make docs` from the repository root): docs/configuration.md from the
// config structs (every key, its default, the doc comment of its Go field),
// docs/detectors.md from the package comments of the engine and of every
// detector in the registry (engine.Detectors) and, from the same comments
// and defaults as the configuration page, the engine section of
// formats/config/config.yml.tmpl, the file nfr init writes. Its test fails
// when a committed file differs from what it would write, or when a doc
// comment states a default the code does not set. It only reads the source
// tree and writes those three files.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	files, err := generate(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "configref:", err)
		os.Exit(1)
	}
	for _, f := range files {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "configref:", err)
			os.Exit(1)
		}
	}
}

// output is one generated file, its path relative to the repository root.
type output struct {
	path string
	data []byte
}

// generate returns the generated files for the repository at root.
func generate(root string) ([]output, error) {
	docs := readDocs(root)
	tmplPath := filepath.Join("formats", "config", "config.yml.tmpl")
	tmpl, err := os.ReadFile(filepath.Join(root, tmplPath))
	if err != nil {
		return nil, err
	}
	engineYAML, err := engineSection(docs)
	if err != nil {
		return nil, err
	}
	tmpl, err = spliceEngine(tmpl, engineYAML)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tmplPath, err)
	}
	return []output{
		{filepath.Join("docs", "configuration.md"), []byte(configurationPage(docs))},
		{filepath.Join("docs", "detectors.md"), []byte(detectorsPage(docs))},
		{tmplPath, tmpl},
	}, nil
}
