package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/station"
)

// Donors and donations: new donors, gifts of goods (into stock at their
// points price) and of funds (backing points at the community's rate),
// purchases made from the funds, and the latest donations.
func init() {
	staff := []civic.Role{civic.RoleClerk, civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/clerk/donations", Roles: staff, Nav: "station.nav.donations", Handler: (*Server).clerkDonations})
	AddPage(Page{Method: "POST", Path: "/clerk/donations/donor", Roles: staff, Handler: (*Server).clerkDonationsDonor})
	AddPage(Page{Method: "POST", Path: "/clerk/donations/goods", Roles: staff, Handler: (*Server).clerkDonationsGoods})
	AddPage(Page{Method: "POST", Path: "/clerk/donations/funds", Roles: staff, Handler: (*Server).clerkDonationsFunds})
	AddPage(Page{Method: "POST", Path: "/clerk/donations/purchase", Roles: staff, Handler: (*Server).clerkDonationsPurchase})
}

type donationsData struct {
	Donors     []station.DonorTotal
	DonorKinds []station.DonorKind
	Goods      []station.Good
	Recent     []donationView
	Funds      string
	Rate       string
	Key        string // the forms' idempotency key, new on every render
}

type donationView struct {
	station.Donation
	When, Yuan string
}

func (s *Server) donationsPage(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) error {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	d := donationsData{DonorKinds: station.DonorKinds, Key: newFormKey()}
	var err error
	if d.Donors, err = station.Donors(ctx, s.DB, a.CommunityID, false); err != nil {
		return err
	}
	if d.Goods, err = station.AllGoods(ctx, s.DB, a.CommunityID); err != nil {
		return err
	}
	recent, err := station.RecentDonations(ctx, s.DB, a.CommunityID, 0, 30)
	if err != nil {
		return err
	}
	for _, dn := range recent {
		d.Recent = append(d.Recent, donationView{Donation: dn, When: when(dn.At), Yuan: station.Yuan(dn.AmountFen)})
	}
	st, err := station.GetSettings(ctx, s.DB, a.CommunityID)
	if err != nil {
		return err
	}
	d.Funds, d.Rate = station.Yuan(st.FundsFen), station.Yuan(st.FenPerPoint)
	return s.RenderStatus(w, r, status, "clerk_donations", View{Flash: flash, Error: errMsg, Data: d})
}

func (s *Server) clerkDonations(w http.ResponseWriter, r *http.Request) error {
	return s.donationsPage(w, r, http.StatusOK, "", "")
}

// donationAnswer shows the donations page again after a command.
func (s *Server) donationAnswer(w http.ResponseWriter, r *http.Request, err error, flashKey string) error {
	return s.stationAnswer(r, err, flashKey, func(status int, flash, errMsg string) error {
		return s.donationsPage(w, r, status, flash, errMsg)
	})
}

func (s *Server) clerkDonationsDonor(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	if err == nil {
		_, err = s.Station.CreateDonor(r.Context(), a, key, station.DonorRequest{Community: a.CommunityID, Name: r.PostFormValue("name"),
			Kind: station.DonorKind(r.PostFormValue("kind")), Thanks: r.PostFormValue("thanks") != ""})
	}
	return s.donationAnswer(w, r, err, "station.donations.donor_added")
}

func (s *Server) clerkDonationsGoods(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var q int64
	if err == nil {
		q, err = stationInt(r, "quantity")
	}
	if err == nil {
		_, err = s.Station.DonateGoods(r.Context(), a, key, station.DonateGoodsRequest{Community: a.CommunityID, Donor: r.PostFormValue("donor"),
			Good: r.PostFormValue("good"), Quantity: q, Note: r.PostFormValue("note")})
	}
	return s.donationAnswer(w, r, err, "station.donations.recorded")
}

func (s *Server) clerkDonationsFunds(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var fen int64
	if err == nil {
		fen, err = station.ParseYuan(strings.TrimSpace(r.PostFormValue("yuan")))
	}
	if err == nil {
		_, err = s.Station.DonateFunds(r.Context(), a, key, station.DonateFundsRequest{Community: a.CommunityID, Donor: r.PostFormValue("donor"),
			AmountFen: fen, Note: r.PostFormValue("note")})
	}
	return s.donationAnswer(w, r, err, "station.donations.recorded")
}

func (s *Server) clerkDonationsPurchase(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var q, fen int64
	if err == nil {
		q, err = stationInt(r, "quantity")
	}
	if err == nil {
		fen, err = station.ParseYuan(strings.TrimSpace(r.PostFormValue("yuan")))
	}
	if err == nil {
		_, err = s.Station.RecordPurchase(r.Context(), a, key, station.PurchaseRequest{Community: a.CommunityID, Good: r.PostFormValue("good"),
			Quantity: q, AmountFen: fen, Supplier: r.PostFormValue("supplier")})
	}
	return s.donationAnswer(w, r, err, "station.donations.purchased")
}
