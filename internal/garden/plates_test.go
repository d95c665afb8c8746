package garden_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/garden"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
)

// pngOf is a w×h PNG, as a phone might send (smaller).
func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x*h/w, color.RGBA{200, 120, 0, 255})
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// A plate shows a child's nickname or photo only with the guardian's
// consent, which can be withdrawn; never the family's contact or phone.
func TestPlatePrivacy(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		fam := f.family("13800000031")
		req := garden.AdoptRequest{Operator: f.op.ID, Adopter: fam.UserID, Season: f.season.ID, Plot: f.plots[0].ID,
			Mode: garden.HalfHosted, Crop: f.crop.ID, FamilyName: "向日葵之家", ChildNickname: "豆豆"}
		if _, err := f.s.Adopt(f.ctx, fam, f.key(), req); key(err) != "garden.consent_nickname" {
			t.Fatalf("a nickname without consent: %v", err)
		}
		req.ChildNickname, req.Photo = "", pngOf(40, 30)
		if _, err := f.s.Adopt(f.ctx, fam, f.key(), req); key(err) != "garden.consent_photo" {
			t.Fatalf("a photo without consent: %v", err)
		}
		req.ChildNickname, req.NicknameConsent, req.PhotoConsent = "豆豆", true, true
		a, err := f.s.Adopt(f.ctx, fam, f.key(), req)
		if err != nil {
			t.Fatal(err)
		}
		plate := func() garden.Plate {
			d, err := f.s.Detail(f.ctx, fam, f.op.ID, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			return garden.PlateOf(d)
		}
		if p := plate(); p.Name != "豆豆" || !p.Nickname || p.PhotoID == "" {
			t.Errorf("with consent: %+v", p)
		}
		pub, err := f.s.Public(f.ctx, f.op.ID, f.plots[0].ID)
		if err != nil || pub.Plate == nil || pub.Plate.Name != "豆豆" {
			t.Fatalf("public page with consent: %+v, %v", pub.Plate, err)
		}
		photoID := pub.Plate.PhotoID
		if _, _, err := f.s.PhotoFor(f.ctx, civic.Actor{}, f.op.ID, photoID); err != nil {
			t.Errorf("a consented plate photo is not public: %v", err)
		}

		if _, err := f.s.SetConsent(f.ctx, fam, f.key(), garden.ConsentRequest{Operator: f.op.ID, Adoption: a.ID}); err != nil {
			t.Fatal(err)
		}
		if p := plate(); p.Name != "向日葵之家" || p.Nickname || p.PhotoID != "" {
			t.Errorf("consent withdrawn: %+v", p)
		}
		pub, _ = f.s.Public(f.ctx, f.op.ID, f.plots[0].ID)
		if pub.Plate.Name != "向日葵之家" || pub.Plate.PhotoID != "" {
			t.Errorf("public page after withdrawal: %+v", pub.Plate)
		}
		if _, _, err := f.s.PhotoFor(f.ctx, civic.Actor{}, f.op.ID, photoID); code(err) != civic.NotFound {
			t.Errorf("the photo after withdrawal: %v, want not found", err)
		}
		if _, err := f.s.SetConsent(f.ctx, f.family("13800000032"), f.key(), garden.ConsentRequest{Operator: f.op.ID, Adoption: a.ID, Nickname: true}); code(err) != civic.NotFound {
			t.Errorf("another family sets consent: %v", err)
		}
		for _, s := range []string{"王女士", "13800000031", "138****0031"} {
			if strings.Contains(pub.Plate.Name+pub.Plate.Garden+pub.Plate.Operator, s) {
				t.Errorf("the public plate shows %q", s)
			}
		}
	})
}

// Photos are kept at most PhotoSide px as JPEG; other files are refused.
func TestPreparePhoto(t *testing.T) {
	ph, err := garden.PreparePhoto(pngOf(3000, 1500))
	if err != nil {
		t.Fatal(err)
	}
	if ph.Width != garden.PhotoSide || ph.Height != garden.PhotoSide/2 || ph.ContentType != "image/jpeg" {
		t.Errorf("resized to %d×%d %s", ph.Width, ph.Height, ph.ContentType)
	}
	if _, err := jpeg.Decode(bytes.NewReader(ph.Data)); err != nil {
		t.Errorf("kept photo is not a JPEG: %v", err)
	}
	if _, err := garden.PreparePhoto([]byte("not an image at all")); key(err) != "garden.photo_type" {
		t.Errorf("text as a photo: %v", err)
	}
	if _, err := garden.PreparePhoto(make([]byte, garden.MaxPhoto+1)); key(err) != "garden.photo_large" {
		t.Errorf("a huge upload: %v", err)
	}
	small, err := garden.PreparePhoto(pngOf(50, 40))
	if err != nil || small.Width != 50 || small.Height != 40 {
		t.Errorf("a small photo: %d×%d, %v", small.Width, small.Height, err)
	}
}

// A family registers once per phone; its phone is sealed and masked; one key
// replays, another request under it conflicts.
func TestRegisterAndReplay(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		r := garden.RegisterRequest{Phone: "138 0000 0041", Name: "李先生", Password: "garden-pass-41"}
		p, err := f.s.Register(f.ctx, "reg-1", r)
		if err != nil || p.PhoneMasked != "138****0041" {
			t.Fatalf("%+v, %v", p, err)
		}
		if again, err := f.s.Register(f.ctx, "reg-1", r); err != nil || again.UserID != p.UserID {
			t.Errorf("replay: %+v, %v", again, err)
		}
		if _, err := f.s.Register(f.ctx, "reg-2", r); key(err) != "garden.phone_taken" {
			t.Errorf("second registration: %v", err)
		}
		if _, err := f.s.Register(f.ctx, "reg-1", garden.RegisterRequest{Phone: "13800000042", Name: "x", Password: "garden-pass-42"}); code(err) != civic.IdempotencyConflict {
			t.Errorf("another request under the key: %v", err)
		}
		if _, err := f.s.Register(f.ctx, "reg-3", garden.RegisterRequest{Phone: "12345", Name: "x", Password: "garden-pass-42"}); key(err) != "garden.bad_phone" {
			t.Errorf("a bad phone: %v", err)
		}
		var stored string
		if err := d.QueryRow(f.ctx, "SELECT phone_enc FROM garden_adopters WHERE user_id = $1", p.UserID).Scan(&stored); err != nil || strings.Contains(stored, "0041") {
			t.Errorf("phone stored as %q (%v)", stored, err)
		}
		var username string
		if err := d.QueryRow(f.ctx, "SELECT username FROM users WHERE id = $1", p.UserID).Scan(&username); err != nil || strings.Contains(username, "0041") {
			t.Errorf("username %q (%v)", username, err)
		}
		if got := f.s.LoginName(f.ctx, "13800000041"); got != username {
			t.Errorf("LoginName = %q, want %q", got, username)
		}
		me := civic.Actor{UserID: p.UserID, Role: civic.RoleGardenAdopter}
		if own, err := f.s.Profile(f.ctx, me); err != nil || own.Phone != "13800000041" {
			t.Errorf("own profile: %+v, %v", own, err)
		}
		ad := garden.AdoptRequest{Operator: f.op.ID, Adopter: p.UserID, Season: f.season.ID, Plot: f.plots[0].ID,
			Mode: garden.SelfManaged, Crop: f.crop.ID, FamilyName: "李家"}
		first, err := f.s.Adopt(f.ctx, me, idem.Key("adopt-1"), ad)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := f.s.Adopt(f.ctx, me, idem.Key("adopt-1"), ad); err != nil || again.ID != first.ID {
			t.Errorf("adopt replay: %v", err)
		}
		ad.Plot = f.plots[1].ID
		if _, err := f.s.Adopt(f.ctx, me, idem.Key("adopt-1"), ad); code(err) != civic.IdempotencyConflict {
			t.Errorf("adopt conflict: %v", err)
		}
	})
}

// Picking times lie in the harvest window and respect each slot's capacity;
// the report keeps its figures and exports them.
func TestBookingAndReport(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		if _, err := d.Exec(f.ctx, "UPDATE garden_operators SET pick_capacity = 1 WHERE operator_id = $1", f.op.ID); err != nil {
			t.Fatal(err)
		}
		famA, famB := f.family("13800000051"), f.family("13800000052")
		a, b := f.adopt(famA, 0, garden.FullyHosted), f.adopt(famB, 1, garden.HalfHosted)
		book := func(fam civic.Actor, ad garden.Adoption, day, slot string) error {
			_, err := f.s.Book(f.ctx, fam, f.key(), garden.BookRequest{Operator: f.op.ID, Adoption: ad.ID, Day: day, Slot: slot})
			return err
		}
		if err := book(famA, a, "2026-06-01", "am"); key(err) != "garden.day_outside" {
			t.Errorf("before ripeness: %v", err)
		}
		if err := book(famA, a, "2026-06-10", "am"); err != nil {
			t.Fatal(err)
		}
		if err := book(famB, b, "2026-06-10", "am"); key(err) != "garden.slot_full" {
			t.Errorf("a full slot: %v", err)
		}
		if err := book(famB, a, "2026-06-11", "am"); code(err) != civic.NotFound {
			t.Errorf("booking another family's plot: %v", err)
		}
		if err := book(famA, a, "2026-06-11", "pm"); err != nil { // moves: frees the morning of the 10th
			t.Fatal(err)
		}
		if err := book(famB, b, "2026-06-10", "am"); err != nil {
			t.Errorf("the freed slot: %v", err)
		}
		if _, err := f.s.RecordHarvest(f.ctx, f.boss, f.key(), garden.HarvestRequest{Operator: f.op.ID, Adoption: a.ID, WeightG: 12500, PickedBy: garden.Adopter, Final: true}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(20 * 24 * 60 * 60 * 1e9) // 20 days: the first waterings are late now
		if _, err := f.s.Complete(f.ctx, f.stew, f.key(), garden.CompleteRequest{Operator: f.op.ID, Task: f.task(b, garden.TaskWater).ID}); err != nil {
			t.Fatal(err)
		}
		rep, err := f.s.Report(f.ctx, f.boss, f.op.ID, f.season.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Modes[2].Adoptions != 1 || rep.Modes[2].FeeFen != 69800 || rep.Modes[1].FeeFen != 39800 {
			t.Errorf("modes %+v", rep.Modes)
		}
		if len(rep.Crops) != 1 || rep.Crops[0].WeightG != 12500 || rep.Tasks[0].Late != 1 || rep.Gardens[0].Taken != 2 {
			t.Errorf("crops %+v tasks %+v gardens %+v", rep.Crops, rep.Tasks, rep.Gardens)
		}
		if _, err := f.s.Report(f.ctx, famA, f.op.ID, f.season.ID); code(err) != civic.Forbidden {
			t.Errorf("a family reads the report: %v", err)
		}
		var x bytes.Buffer
		if err := garden.WriteXLSX(&x, rep, i18n.ZH); err != nil || x.Len() < 1000 || !bytes.HasPrefix(x.Bytes(), []byte("PK")) {
			t.Errorf("xlsx %d bytes, %v", x.Len(), err)
		}
	})
}
