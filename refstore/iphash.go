package refstore

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Hash is a salted hash of parts (an IP, a user agent, a visitor id):
// stable for one install, useless to anyone without its salt, so raw IPs
// are never stored.
func (s *Store) Hash(kind string, parts ...string) (string, error) {
	salt, err := s.salt.Bytes()
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, salt)
	mac.Write([]byte(kind))
	for _, p := range parts {
		mac.Write([]byte{0})
		mac.Write([]byte(p))
	}
	return hex.EncodeToString(mac.Sum(nil)[:16]), nil
}

// HashIP is the salted hash of a client IP, for fraud signals; "" (no
// signal) for a loopback address during a local trial.
func (s *Store) HashIP(ip string) (string, error) {
	if isLoopback(ip) && InLocalTrial(s.app) {
		return "", nil
	}
	return s.Hash("ip", ip)
}
