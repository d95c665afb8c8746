package civic

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Message is text kept as what it is made of: a catalogue key and the
// arguments that fill its verbs (strings and integers only, so it survives
// storage exactly). A capability that composes text a person reads later
// (a transfer's reason) stores a Message, and each reader sees it in their
// own language. The zero Message is "no message".
type Message struct {
	Key  string
	Args []any
}

// Msg builds a Message. Call it with a literal key: the i18n tests check
// that the arguments fit the key's texts, as they do for Errorf.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// IsZero reports whether m carries no message.
func (m Message) IsZero() bool { return m.Key == "" }

type messageJSON struct {
	Key  string            `json:"key"`
	Args []json.RawMessage `json:"args,omitempty"`
}

// MarshalJSON writes {"key":…,"args":[…]}; an argument that is neither a
// string nor an integer is refused, since it would not read back the same.
func (m Message) MarshalJSON() ([]byte, error) {
	out := messageJSON{Key: m.Key}
	for i, a := range m.Args {
		switch a.(type) {
		case string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		default:
			return nil, fmt.Errorf("civic.Message %s: argument %d is a %T, not a string or an integer", m.Key, i+1, a)
		}
		b, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, b)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote: integers come back as int64.
func (m *Message) UnmarshalJSON(b []byte) error {
	var in messageJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*m = Message{Key: in.Key}
	for i, raw := range in.Args {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			m.Args = append(m.Args, s)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var n json.Number
		if err := dec.Decode(&n); err != nil {
			return fmt.Errorf("civic.Message %s: argument %d: %w", in.Key, i+1, err)
		}
		v, err := n.Int64()
		if err != nil {
			return fmt.Errorf("civic.Message %s: argument %d is %s, not an integer", in.Key, i+1, n)
		}
		m.Args = append(m.Args, v)
	}
	return nil
}
