package config

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed config.yml.tmpl
var configTemplate []byte

//go:embed scope.yml.tmpl
var scopeTemplate []byte

// WriteTemplates writes a commented config.yml at path and scope.yml beside
// it. Existing files are kept unless force is set.
func WriteTemplates(path string, force bool) ([]string, error) {
	scope := filepath.Join(filepath.Dir(path), "scope.yml")
	files := []struct {
		path string
		data []byte
	}{{path, configTemplate}, {scope, scopeTemplate}}
	if !force {
		for _, f := range files {
			if _, err := os.Stat(f.path); err == nil {
				return nil, fmt.Errorf("%s exists; use --force to overwrite", f.path)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range files {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return written, err
		}
		written = append(written, f.path)
	}
	return written, nil
}
