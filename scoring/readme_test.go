package scoring

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestReadmeListsCatalogue keeps the README's threat table equal to the code.
func TestReadmeListsCatalogue(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, th := range Catalogue {
		policy := "no"
		if th.Policy {
			policy = "yes"
		}
		row := fmt.Sprintf("| `%s` | %d | %s | %s |", th.ID, th.Severity, policy, th.Desc)
		if !strings.Contains(readme, row) {
			t.Errorf("README lacks the row %q", row)
		}
	}
	_, section, _ := strings.Cut(readme, "## Threat catalogue")
	section, _, _ = strings.Cut(section, "\n## ")
	if n := strings.Count(section, "\n| `"); n != len(Catalogue) {
		t.Errorf("README threat table has %d rows, catalogue %d", n, len(Catalogue))
	}
}
