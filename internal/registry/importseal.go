package registry

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"math"

	"civicpoints/internal/civic"
)

// An import job's rows and bad rows hold ID numbers and phones in clear, so
// they are kept as the registry keeps every sensitive field: sealed with
// its key (gzipped JSON first: a 50 MB sheet's rows take a few MB).

func sealJSON(k *Keys, v any) (string, error) {
	var b bytes.Buffer
	z, err := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	if err != nil {
		return "", err
	}
	if err := json.NewEncoder(z).Encode(v); err != nil {
		return "", err
	}
	if err := z.Close(); err != nil {
		return "", err
	}
	return k.Seal(b.String()), nil
}

func openJSON(k *Keys, sealed string, v any) error {
	plain, err := k.Open(sealed)
	if err != nil {
		return err
	}
	z, err := gzip.NewReader(bytes.NewReader([]byte(plain)))
	if err != nil {
		return err
	}
	defer z.Close()
	return json.NewDecoder(io.Reader(z)).Decode(v)
}

// storedError is an error as a job keeps it: enough to translate it again
// on the page (code, catalogue key, arguments). An internal error keeps
// only its code: its text is for the log, not for the page or the table.
type storedError struct {
	Code    civic.Code `json:"code"`
	Key     string     `json:"key,omitempty"`
	Message string     `json:"message,omitempty"`
	Args    []any      `json:"args,omitempty"`
}

func storeError(err error) storedError {
	e := civic.AsError(err)
	if e == nil || e.Code == civic.Internal {
		return storedError{Code: civic.Internal}
	}
	return storedError{Code: e.Code, Key: e.Key, Message: e.Message, Args: e.Args}
}

// loadError gives a stored error back, its key as it was checked where the
// error was made. JSON reads every number as a float64; the catalogue's %d
// needs the int it was.
func loadError(e storedError) error {
	if e.Code == civic.Internal || e.Key == "" {
		return civic.Errorf(civic.Internal, "error.internal", "the import failed")
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if f, ok := a.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			a = int(f)
		}
		args[i] = a
	}
	return &civic.Error{Code: e.Code, Key: e.Key, Args: args, Message: e.Message}
}

type storedRowError struct {
	Line  int         `json:"line"`
	Field string      `json:"field"`
	Err   storedError `json:"err"`
}

func storeRowErrors(in []RowError) []storedRowError {
	out := make([]storedRowError, len(in))
	for i, e := range in {
		out[i] = storedRowError{Line: e.Line, Field: e.Field, Err: storeError(e.Err)}
	}
	return out
}

func loadRowErrors(in []storedRowError) []RowError {
	var out []RowError
	for _, e := range in {
		out = append(out, RowError{Line: e.Line, Field: e.Field, Err: loadError(e.Err)})
	}
	return out
}
