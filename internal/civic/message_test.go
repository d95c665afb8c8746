package civic

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestMessageJSON(t *testing.T) {
	m := Msg("earning.reason.attendance", "社区义诊", 170, int64(-3))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got Message
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := Msg("earning.reason.attendance", "社区义诊", int64(170), int64(-3))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip %s = %#v, want %#v", b, got, want)
	}
	if _, err := json.Marshal(Msg("k", 1.5)); err == nil {
		t.Errorf("a float argument was accepted")
	}
	if err := json.Unmarshal([]byte(`{"key":"k","args":[1.5]}`), &got); err == nil {
		t.Errorf("a stored float was read")
	}
}
