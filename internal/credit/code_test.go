package credit

import (
	"context"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/i18n"
	"civicpoints/internal/registry"
)

func TestCodes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		clock := civic.NewFixedClock(time.Date(2025, 6, 1, 4, 0, 10, 0, time.UTC))
		reg := registry.New(d, clock, nil, strings.Repeat("q", 32))
		codes := NewCodes(d, clock, reg)
		c := dbtest.Community(t, d, "code"+strings.ToLower(civic.NewID()[20:]))
		other := dbtest.Community(t, d, "other"+strings.ToLower(civic.NewID()[20:]))
		worker := civic.Actor{UserID: "w", Name: "w", Role: civic.RoleWorker, CommunityID: c}
		e, _ := reg.CreateEstate(ctx, worker, newKey(), registry.CreateEstateRequest{Community: c, Name: "春江花园"})
		h, _ := reg.CreateHousehold(ctx, worker, newKey(), registry.CreateHouseholdRequest{Community: c, Estate: e.ID, Building: "1", Room: "101"})
		rid, err := idOf(reg.CreateResident(ctx, worker, newKey(), registry.CreateResidentRequest{Community: c, NewResident: registry.NewResident{HouseholdID: h.ID, Name: "毛小波", Gender: "男", BirthDate: "1950-01-01"}}))
		if err != nil {
			t.Fatal(err)
		}
		qr, exp, err := codes.Rotating(ctx, c, rid)
		if err != nil || !exp.After(clock.Now()) || strings.Contains(qr, rid) {
			t.Fatalf("Rotating = %q %v %v", qr, exp, err)
		}
		if v, err := codes.Verify(ctx, c, qr); err != nil || v.ResidentID != rid {
			t.Fatalf("Verify = %+v %v", v, err)
		}
		if _, err := QRSVG(qr); err != nil {
			t.Fatal(err)
		}
		card, err := codes.IssueCard(ctx, worker, c, rid)
		if err != nil {
			t.Fatal(err)
		}
		tampered := strings.Replace(qr, ".CP", ".CP", 1)
		tampered = tampered[:len(tampered)-60] + strings.Repeat("A", 10) + tampered[len(tampered)-50:]
		second, err := codes.IssueCard(ctx, worker, c, rid)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := codes.Verify(ctx, c, second.Payload); err != nil {
			t.Fatalf("new card: %v", err)
		}
		check := func(name, community, payload, key string) {
			t.Helper()
			_, err := codes.Verify(ctx, community, payload)
			if e := civic.AsError(err); e == nil || e.Key != key {
				t.Errorf("%s: got %v, want %s", name, err, key)
			}
			// The counter shows the message as is: no Go verb junk.
			for _, lang := range i18n.Langs {
				if got, want := i18n.Error(lang, err), i18n.T(lang, key); got != want {
					t.Errorf("%s in %s: message %q, want %q", name, lang, got, want)
				}
			}
		}
		check("garbage", c, "hello", "credit.code_malformed")
		check("tampered", c, tampered, "credit.code_tampered")
		check("other community", other, qr, "credit.code_other_community")
		check("reissued card", c, card.Payload, "credit.code_revoked")
		clock.Advance(2 * time.Minute)
		check("expired", c, qr, "credit.code_expired")
		if err := codes.RevokeCards(ctx, worker, c, rid, "lost"); err != nil {
			t.Fatal(err)
		}
		check("revoked card", c, second.Payload, "credit.code_revoked")
	})
}
