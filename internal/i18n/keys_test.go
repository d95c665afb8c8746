package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every error key the code raises has a catalogue entry, so no user ever
// gets an untranslated message.
func TestEveryErrorKeyIsTranslated(t *testing.T) {
	re := regexp.MustCompile(`civic\.Errorf\(civic\.[A-Za-z]+, "([a-z_]+\.[a-z_0-9.]+)"`)
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if !Has(m[1]) {
				t.Errorf("%s raises %q, which the catalogue lacks", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every key a page template translates has a catalogue entry.
func TestEveryTemplateKeyIsTranslated(t *testing.T) {
	re := regexp.MustCompile(`\bt "([A-Za-z_]+\.[A-Za-z_0-9.]+)"`)
	files, err := filepath.Glob(filepath.Join("..", "web", "templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found (%v)", err)
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if !Has(m[1]) {
				t.Errorf("%s translates %q, which the catalogue lacks", filepath.Base(path), m[1])
			}
		}
	}
}
