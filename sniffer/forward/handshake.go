package forward

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"net"
	"os"

	"github.com/tinylib/msgp/msgp"
)

// handshake answers the server's HELO with PING and checks its PONG
// (Forward protocol v1, shared_key authentication).
func handshake(conn net.Conn, r *msgp.Reader, cfg Config) error {
	nonce, authSalt, err := readHELO(r)
	if err != nil {
		return fmt.Errorf("forward: HELO: %w", err)
	}
	host := cfg.Hostname
	if host == "" {
		host, _ = os.Hostname()
	}
	var saltBytes [16]byte
	rand.Read(saltBytes[:])
	salt := hex.EncodeToString(saltBytes[:])
	passDigest := ""
	if authSalt != "" {
		passDigest = Digest(authSalt, cfg.Username, cfg.Password)
	}
	ping := msgp.AppendArrayHeader(nil, 6)
	ping = msgp.AppendString(ping, "PING")
	ping = msgp.AppendString(ping, host)
	ping = msgp.AppendString(ping, salt)
	ping = msgp.AppendString(ping, Digest(salt, host, nonce, cfg.SharedKey))
	ping = msgp.AppendString(ping, cfg.Username)
	ping = msgp.AppendString(ping, passDigest)
	if _, err := conn.Write(ping); err != nil {
		return fmt.Errorf("forward: PING: %w", err)
	}
	return readPONG(r, salt, nonce, cfg.SharedKey)
}

// Digest is hex(sha512(concatenation of parts)), the handshake's digest.
func Digest(parts ...string) string {
	h := sha512.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func readHELO(r *msgp.Reader) (nonce, auth string, err error) {
	n, err := r.ReadArrayHeader()
	if err != nil {
		return "", "", err
	}
	if n < 2 {
		return "", "", fmt.Errorf("array of %d elements", n)
	}
	if kind, err := readText(r); err != nil || kind != "HELO" {
		return "", "", fmt.Errorf("got %q (%v)", kind, err)
	}
	m, err := r.ReadMapHeader()
	if err != nil {
		return "", "", err
	}
	for range m {
		k, err := readText(r)
		if err != nil {
			return "", "", err
		}
		switch k {
		case "nonce":
			nonce, err = readText(r)
		case "auth":
			auth, err = readText(r)
		default:
			err = r.Skip()
		}
		if err != nil {
			return "", "", err
		}
	}
	for i := uint32(2); i < n; i++ {
		if err := r.Skip(); err != nil {
			return "", "", err
		}
	}
	return nonce, auth, nil
}

func readPONG(r *msgp.Reader, salt, nonce, key string) error {
	n, err := r.ReadArrayHeader()
	if err != nil {
		return fmt.Errorf("forward: PONG: %w", err)
	}
	if n < 5 {
		return fmt.Errorf("forward: PONG: array of %d elements", n)
	}
	kind, err := readText(r)
	if err != nil || kind != "PONG" {
		return fmt.Errorf("forward: PONG: got %q (%v)", kind, err)
	}
	ok, err := r.ReadBool()
	if err != nil {
		return fmt.Errorf("forward: PONG: %w", err)
	}
	reason, _ := readText(r)
	host, _ := readText(r)
	digest, err := readText(r)
	if err != nil {
		return fmt.Errorf("forward: PONG: %w", err)
	}
	if !ok {
		return fmt.Errorf("forward: authentication refused: %s", reason)
	}
	if digest != Digest(salt, host, nonce, key) {
		return fmt.Errorf("forward: server %q failed shared key check", host)
	}
	return nil
}
