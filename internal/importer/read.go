package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// MaxBytes is the largest file accepted: 50 MB.
const MaxBytes = 50 << 20

// ReadFile reads residents from an xlsx or csv file on disk.
func ReadFile(path string) (rows []registry.ImportRow, err error) {
	defer civic.Wrap(&err, "importer.ReadFile(%s)", path)
	f, err := os.Open(path)
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "import.open", "cannot open %s: %v", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return Read(f, st.Size())
}

// Read reads residents from an xlsx or csv file of size bytes, telling the
// two apart by content, not by name. Rows come numbered as in the file
// (the header is row 1).
func Read(r io.Reader, size int64) (_ []registry.ImportRow, err error) {
	defer civic.Wrap(&err, "importer.Read(%d bytes)", size)
	switch {
	case size == 0:
		return nil, civic.Errorf(civic.Invalid, "import.empty", "the file is empty")
	case size > MaxBytes:
		return nil, civic.Errorf(civic.Invalid, "import.too_big", "the file is larger than 50 MB: split it into several files")
	}
	br := bufio.NewReaderSize(io.LimitReader(r, MaxBytes+1), 64<<10)
	head, _ := br.Peek(8)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return readXLSX(br)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, civic.Errorf(civic.Invalid, "import.xls", "this is an old Excel file (.xls): save it as .xlsx or .csv and try again")
	case looksText(br):
		return readCSV(br)
	}
	return nil, civic.Errorf(civic.Invalid, "import.format", "the file is neither xlsx nor csv")
}

// looksText accepts UTF-8 or GB18030 text without NUL bytes.
func looksText(br *bufio.Reader) bool {
	b, _ := br.Peek(4096)
	if len(b) == 0 || bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	return true
}

func readXLSX(r io.Reader) ([]registry.ImportRow, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "import.bad_xlsx", "the Excel file cannot be read: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, civic.Errorf(civic.Invalid, "import.empty", "the file is empty")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "import.bad_xlsx", "the Excel file cannot be read: %v", err)
	}
	defer it.Close()
	var m rowMapper
	for it.Next() {
		cols, err := it.Columns()
		if err != nil {
			return nil, civic.Errorf(civic.Invalid, "import.bad_xlsx", "the Excel file cannot be read: %v", err)
		}
		if err := m.add(cols); err != nil {
			return nil, err
		}
	}
	return m.done()
}

func readCSV(br *bufio.Reader) ([]registry.ImportRow, error) {
	all, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	if len(all) > MaxBytes {
		return nil, civic.Errorf(civic.Invalid, "import.too_big", "the file is larger than 50 MB: split it into several files")
	}
	all = bytes.TrimPrefix(all, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(all) {
		// Excel in China saves CSV as GBK/GB18030 by default.
		dec, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), all)
		if err != nil || !utf8.Valid(dec) {
			return nil, civic.Errorf(civic.Invalid, "import.format", "the file is neither xlsx nor csv")
		}
		all = dec
	}
	cr := csv.NewReader(bytes.NewReader(all))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var m rowMapper
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, civic.Errorf(civic.Invalid, "import.bad_csv", "the CSV file cannot be read: %v", err)
		}
		if err := m.add(rec); err != nil {
			return nil, err
		}
	}
	return m.done()
}

// rowMapper maps records, one at a time as they are read, by the header in
// the first non-empty one; a large file is never held twice.
type rowMapper struct {
	line int            // records seen, blank ones included: the file's row number
	idx  map[string]int // field → column, once the header is seen
	rows []registry.ImportRow
}

func (m *rowMapper) add(rec []string) error {
	m.line++
	if blank(rec) {
		return nil
	}
	if m.idx == nil {
		idx, missing := mapHeader(rec)
		if len(missing) > 0 {
			return civic.Errorf(civic.Invalid, "import.missing_columns", "the header row lacks the column(s) %s: download the template to see the expected headers", strings.Join(missing, "、"))
		}
		m.idx = idx
		return nil
	}
	get := func(field string) string {
		j, ok := m.idx[field]
		if !ok || j >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[j])
	}
	m.rows = append(m.rows, registry.ImportRow{Line: m.line,
		Estate: get("estate"), Building: get("building"), Unit: get("unit"), Room: get("room"),
		Tenure: get("tenure"), Disability: get("disability"),
		Name: get("name"), Gender: get("gender"), BirthDate: get("birth_date"), IDNumber: get("id_number"),
		Phone: get("phone"), Relation: get("relation"), MovedIn: get("moved_in")})
	return nil
}

func (m *rowMapper) done() ([]registry.ImportRow, error) {
	switch {
	case m.idx == nil:
		return nil, civic.Errorf(civic.Invalid, "import.empty", "the file is empty")
	case len(m.rows) == 0:
		return nil, civic.Errorf(civic.Invalid, "import.no_rows", "the file has a header but no residents")
	}
	return m.rows, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
