package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/civic"
)

// A counter ticket carries the resident a clerk scanned from the scan to the
// confirmation, signed so the hidden field cannot be pointed at someone
// else, and short-lived because a rotating code expires in a minute.
const ticketTTL = 15 * time.Minute

// ticketKey signs tickets. It is derived from the installation's secret, the
// configured one or (when none is configured, as in the demo) the one the
// registry keeps in the database, and never from anything held in one
// process: any server behind a balancer accepts a ticket another signed.
func (s *Server) ticketKey(ctx context.Context) ([]byte, error) {
	if s.Cfg.SecretKey != "" {
		h := sha256.Sum256([]byte("station-ticket\x00" + s.Cfg.SecretKey))
		return h[:], nil
	}
	if s.Registry == nil {
		return nil, fmt.Errorf("web: counter tickets need a secret key or the registry's")
	}
	k, err := s.Registry.Keys(ctx)
	if err != nil {
		return nil, err
	}
	return []byte(k.Hash("station-ticket")), nil
}

func (s *Server) signTicket(ctx context.Context, a civic.Actor, residentID string, now time.Time) (string, error) {
	exp := strconv.FormatInt(now.Add(ticketTTL).Unix(), 10)
	mac, err := s.ticketMAC(ctx, a, residentID, exp)
	return residentID + "." + exp + "." + mac, err
}

func (s *Server) ticketMAC(ctx context.Context, a civic.Actor, residentID, exp string) (string, error) {
	key, err := s.ticketKey(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%s|%s|%s|%s", a.CommunityID, a.UserID, residentID, exp)
	return hex.EncodeToString(m.Sum(nil)), nil
}

func (s *Server) openTicket(ctx context.Context, a civic.Actor, ticket string, now time.Time) (string, error) {
	parts := strings.Split(ticket, ".")
	if len(parts) != 3 {
		return "", civic.Errorf(civic.Invalid, "station.ticket_bad", "scan the resident's code again")
	}
	mac, err := s.ticketMAC(ctx, a, parts[0], parts[1])
	if err != nil {
		return "", err
	}
	if !hmac.Equal([]byte(parts[2]), []byte(mac)) {
		return "", civic.Errorf(civic.Invalid, "station.ticket_bad", "scan the resident's code again")
	}
	exp, _ := strconv.ParseInt(parts[1], 10, 64)
	if now.Unix() > exp {
		return "", civic.Errorf(civic.Invalid, "station.ticket_expired", "this basket was opened more than %d minutes ago: scan the resident's code again", int(ticketTTL/time.Minute))
	}
	return parts[0], nil
}
