package credit_test

import (
	"context"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

// The consent gate: a minor cannot consent; an adult who never consented,
// or withdrew, is refused; one who consented passes, per use. A worker
// records only a paper consent, with a reason, and it is audited.
func TestConsentGate(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		a, _ := newApp(t, d)
		p := newPlace(t, a)
		adult := p.resident(t, a, "毛小波", "1960-05-01")
		minor := p.resident(t, a, "毛小青", "2010-03-02")   // 15 on 2025-06-01
		turning := p.resident(t, a, "毛小红", "2007-06-01") // 18 today
		me := func(r string) civic.Actor {
			return civic.Actor{UserID: "u-" + r, Name: "居民", Role: civic.RoleResident, CommunityID: p.Community, ResidentID: r}
		}
		gate := func(name, r string, purpose credit.Purpose, want string) {
			t.Helper()
			err := a.Credit.Allowed(ctx, p.Community, r, purpose)
			got := ""
			if e := civic.AsError(err); e != nil {
				got = e.Key
			} else if err != nil {
				got = err.Error()
			}
			if got != want {
				t.Errorf("%s: Allowed = %q, want %q", name, got, want)
			}
		}
		set := func(by civic.Actor, k idem.Key, r string, purpose credit.Purpose, grant, paper bool, reason string) error {
			_, err := a.Credit.SetConsent(ctx, by, k, credit.ConsentRequest{Community: p.Community, Resident: r, Purpose: purpose,
				Grant: grant, Paper: paper, Reason: reason})
			return err
		}
		wantKey := func(name string, err error, key string) {
			t.Helper()
			if e := civic.AsError(err); e == nil || e.Key != key {
				t.Errorf("%s: %v, want %s", name, err, key)
			}
		}
		gate("never consented", adult, credit.PurposeMerchants, "credit.not_consented")
		gate("minor", minor, credit.PurposeMerchants, "credit.minor")
		wantKey("a minor grants", set(me(minor), key(), minor, credit.PurposeMerchants, true, false, ""), "credit.minor")
		if err := set(me(minor), key(), minor, credit.PurposeMerchants, false, false, ""); err != nil {
			t.Errorf("a minor withdraws (nothing to withdraw, but always allowed): %v", err)
		}
		gate("minor after withdrawing", minor, credit.PurposeMerchants, "credit.minor")

		k := key()
		if err := set(me(adult), k, adult, credit.PurposeMerchants, true, false, ""); err != nil {
			t.Fatal(err)
		}
		if err := set(me(adult), k, adult, credit.PurposeMerchants, true, false, ""); err != nil {
			t.Errorf("replay: %v", err)
		}
		wantKey("another request under the key", set(me(adult), k, adult, credit.PurposeReports, true, false, ""), "idem.key_conflict")
		gate("consented to merchants", adult, credit.PurposeMerchants, "")
		gate("not to reports", adult, credit.PurposeReports, "credit.not_consented")
		if err := set(me(adult), key(), adult, credit.PurposeMerchants, false, false, ""); err != nil {
			t.Fatal(err)
		}
		gate("withdrawn", adult, credit.PurposeMerchants, "credit.not_consented")
		if err := set(me(turning), key(), turning, credit.PurposeReports, true, false, ""); err != nil {
			t.Errorf("18 today may consent: %v", err)
		}

		wantKey("for someone else", set(me(adult), key(), turning, credit.PurposeMerchants, true, false, ""), "credit.own_consent")
		wantKey("a worker, not on paper", set(p.Worker, key(), adult, credit.PurposeReports, true, false, "x"), "credit.paper_only")
		wantKey("a worker, no reason", set(p.Worker, key(), adult, credit.PurposeReports, true, true, " "), "credit.paper_reason")
		other := newPlace(t, a)
		wantKey("another community's worker", set(other.Worker, key(), adult, credit.PurposeReports, true, true, "签字"), "civic.other_community")
		wantKey("unknown use", set(me(adult), key(), adult, credit.Purpose("bank"), true, false, ""), "credit.bad_purpose")
		if err := set(p.Worker, key(), adult, credit.PurposeReports, true, true, "本人在窗口签署授权书"); err != nil {
			t.Fatal(err)
		}
		gate("paper consent", adult, credit.PurposeReports, "")
		var audited int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE community_id = $1 AND action = 'credit.consent_paper_grant' AND subject_id = $2",
			p.Community, adult).Scan(&audited); err != nil || audited != 1 {
			t.Errorf("paper consent audited %d times (%v), want 1", audited, err)
		}
		hist, err := a.Credit.ConsentHistory(ctx, p.Community, adult, 10)
		if err != nil || len(hist) != 3 || !hist[0].Paper || hist[0].Purpose != credit.PurposeReports || hist[1].Granted || !hist[2].Granted {
			t.Errorf("history = %+v, %v", hist, err)
		}
	})
}
