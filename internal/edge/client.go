package edge

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP is the address of the client a request comes from: the peer
// address, or, when the peer is a trusted reverse proxy (--trusted-proxies),
// the nearest address in X-Forwarded-For that is not itself a trusted proxy.
// Addresses a client wrote into the header itself are never believed. Login
// limits and the /metrics guard both count this address.
func ClientIP(r *http.Request, proxies []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !In(proxies, host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if !In(proxies, hop) {
			return hop
		}
		host = hop
	}
	return host
}

// In reports whether ip parses and lies in one of prefixes.
func In(prefixes []netip.Prefix, ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, p := range prefixes {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
