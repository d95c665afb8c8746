package garden

import (
	"context"
	"crypto/rand"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// AdopterProfile is a family as the garden knows it. Only the family itself
// sees its phone number in full (Phone); every other page shows PhoneMasked.
type AdopterProfile struct {
	UserID      string `json:"user_id"`
	Name        string `json:"name"`
	PhoneMasked string `json:"phone_masked"`
	Phone       string `json:"-"`
}

// RegisterRequest is a family signing up with a phone number and a password.
// The password is never part of the request's hash or answer (see auth's
// note on secrets); the page logs the family in with it afterwards.
type RegisterRequest struct {
	Phone    string `json:"phone"`
	Name     string `json:"name"`
	Password string `json:"-"`
}

// ValidPhone is an 11-digit mainland mobile number, spaces and dashes dropped.
func ValidPhone(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
	if len(s) != 11 || s[0] != '1' {
		return s, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return s, false
		}
	}
	return s, true
}

// MaskPhone shows a mobile as 138****5678.
func MaskPhone(p string) string {
	if len(p) != 11 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + "****" + p[7:]
}

// loginName is the username a family's phone logs in as: a keyed hash, so
// the users table (and the admin's user list) never holds the number.
func loginName(k Sealer, phone string) string { return "tel-" + k.Hash("garden-login:" + phone)[:24] }

// LoginName turns what a family typed at the login page into its username:
// a phone number becomes its hashed login name, anything else is unchanged.
func (s *Service) LoginName(ctx context.Context, typed string) string {
	phone, ok := ValidPhone(typed)
	if !ok {
		return typed
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return typed
	}
	return loginName(k, phone)
}

// Register makes a family's login and profile. Anyone may (the page
// throttles it by address); a phone number registered already is refused.
func (s *Service) Register(ctx context.Context, key idem.Key, r RegisterRequest) (p AdopterProfile, err error) {
	defer civic.Wrap(&err, "garden.Register")
	phone, ok := ValidPhone(r.Phone)
	if !ok {
		return p, civic.Errorf(civic.Invalid, "garden.bad_phone", "%q is not a mobile number (11 digits, starting with 1)", r.Phone)
	}
	r.Phone = phone
	if r.Name, err = text(r.Name, MaxFamilyName, true, "name"); err != nil {
		return p, err
	}
	var k Sealer
	var hash, username string
	check := func(ctx context.Context) (err error) {
		if k, err = s.Keys(ctx); err != nil {
			return err
		}
		username = loginName(k, phone)
		if err := auth.CheckPasswordStrength(phone, r.Password); err != nil {
			return err
		}
		hash, err = s.Users.HashNewPassword(r.Password)
		return err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: adopterKeys, Key: key, Command: "garden.register",
		Shard: idem.Community(adopterKeys), Request: r, Check: check}, func(tx *db.Tx) (AdopterProfile, error) {
		return s.registerTx(ctx, tx, k, username, hash, r)
	})
}

func (s *Service) registerTx(ctx context.Context, tx *db.Tx, k Sealer, username, hash string, r RegisterRequest) (p AdopterProfile, err error) {
	phoneHash := k.Hash("garden-phone:" + r.Phone)
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM garden_adopters WHERE phone_hash = $1", phoneHash).Scan(&n); err != nil {
		return p, err
	}
	if n > 0 {
		return p, phoneTaken()
	}
	u, err := s.Users.CreateUserHashed(ctx, tx, auth.NewUser{Username: username, Name: r.Name, Role: civic.RoleGardenAdopter}, hash)
	if civic.ErrorCode(err) == civic.Conflict {
		return p, phoneTaken()
	}
	if err != nil {
		return p, err
	}
	p = AdopterProfile{UserID: u.ID, Name: r.Name, PhoneMasked: MaskPhone(r.Phone)}
	err = tx.Savepoint(ctx, func() error {
		_, err := tx.Exec(ctx, `INSERT INTO garden_adopters (user_id, name, phone_enc, phone_hash, phone_masked, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, u.ID, r.Name, k.Seal(r.Phone), phoneHash, p.PhoneMasked, db.Millis(tx.Now()))
		return err
	})
	if db.ErrorIs(err, db.ErrUnique) {
		return p, phoneTaken()
	}
	return p, err
}

func phoneTaken() error {
	return civic.Errorf(civic.Conflict, "garden.phone_taken", "this phone number is registered already: log in with it")
}

// AddAdopterTx gives an existing login (the demo's) a family profile, in tx.
func (s *Service) AddAdopterTx(ctx context.Context, tx *db.Tx, userID, name, phone string) error {
	k, err := s.Keys(ctx)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO garden_adopters (user_id, name, phone_enc, phone_hash, phone_masked, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO NOTHING`,
		userID, name, k.Seal(phone), k.Hash("garden-phone:"+phone), MaskPhone(phone), db.Millis(tx.Now()))
	return err
}

// Profile is a family's own profile, with the phone number opened: for the
// family's own page only.
func (s *Service) Profile(ctx context.Context, by civic.Actor) (p AdopterProfile, err error) {
	defer civic.Wrap(&err, "garden.Profile(%s)", by.UserID)
	if by.Role != civic.RoleGardenAdopter {
		return p, civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
	}
	var enc string
	err = s.DB.QueryRow(ctx, "SELECT user_id, name, phone_masked, phone_enc FROM garden_adopters WHERE user_id = $1", by.UserID).
		Scan(&p.UserID, &p.Name, &p.PhoneMasked, &enc)
	if noRows(err) {
		return p, notFound("adopter", by.UserID)
	}
	if err != nil {
		return p, err
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return p, err
	}
	p.Phone, err = k.Open(enc)
	return p, err
}

// linkAlphabet leaves out letters and digits read alike (0/O, 1/I/L).
const linkAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

func newLinkCode() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = linkAlphabet[int(b[i])%len(linkAlphabet)]
	}
	return string(b[:])
}

// LinkRequest links an adoption, by the code its family sees, to the
// resident account of whoever enters it.
type LinkRequest struct {
	Community string `json:"community"`
	Resident  string `json:"resident"`
	Code      string `json:"code"`
}

// LinkResident links the adoption whose code a resident enters to that
// resident, so a district resident's garden shows beside their points. Only
// the resident themself may, with the code from the family's adoption page.
func (s *Service) LinkResident(ctx context.Context, by civic.Actor, key idem.Key, r LinkRequest) (a Adoption, err error) {
	defer civic.Wrap(&err, "garden.LinkResident")
	if err := by.May(r.Community, civic.RoleResident); err != nil {
		return a, err
	}
	if by.ResidentID != r.Resident {
		return a, civic.Errorf(civic.Forbidden, "garden.link_self", "a resident links an adoption to their own account only")
	}
	r.Code = strings.ToUpper(strings.TrimSpace(r.Code))
	if len(r.Code) != 8 {
		return a, civic.Errorf(civic.Invalid, "garden.bad_link_code", "the code has 8 letters and digits, as the adoption page shows it")
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: adopterKeys, Key: key, Command: "garden.link_resident",
		Shard: idem.Community(adopterKeys), Request: r,
		Check: func(ctx context.Context) error { return s.Residents.ResidentActive(ctx, r.Community, r.Resident) }},
		func(tx *db.Tx) (Adoption, error) {
			a, err := scanAdoption(tx.QueryRow(ctx, "SELECT "+adoptionCols+" FROM garden_adoptions WHERE link_code = $1", r.Code))
			if noRows(err) {
				return a, civic.Errorf(civic.NotFound, "garden.no_link_code", "no adoption has the code %s", r.Code)
			}
			if err != nil {
				return a, err
			}
			a.ResidentCommunity, a.ResidentID = r.Community, r.Resident
			_, err = tx.Exec(ctx, `UPDATE garden_adoptions SET resident_community = $3, resident_id = $4 WHERE operator_id = $1 AND id = $2`,
				a.Operator, a.ID, r.Community, r.Resident)
			return a, err
		})
}

// LinkedAdoptions lists the adoptions linked to a resident (a family adopts
// a few at most).
func (s *Service) LinkedAdoptions(ctx context.Context, communityID, residentID string) (_ []Adoption, err error) {
	defer civic.Wrap(&err, "garden.LinkedAdoptions(%s)", residentID)
	rows, err := s.DB.Query(ctx, "SELECT "+adoptionCols+` FROM garden_adoptions WHERE resident_community = $1 AND resident_id = $2
		ORDER BY created_at DESC LIMIT $3`, communityID, residentID, listLimit)
	return db.Collect(rows, err, scanAdoption)
}
