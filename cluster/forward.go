package cluster

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/handoff"
)

// Headers a replica adds to the request it forwards: the client's address
// as the replica saw it, and a signature over it and the request line, so
// that the primary trusts the address only from another node.
const (
	headerClientIP  = "X-Linkbase-Client-Ip"
	headerSignature = "X-Linkbase-Signature"
	// headerVouch carries what the forwarding node did already (a password
	// hashed, a rate limit counted), for the primary not to do it again;
	// signed with the body's digest, so it holds for this body alone.
	headerVouch = "X-Linkbase-Vouch"
)

// signatureMaxAge bounds how old (or, with skewed clocks, how new) a
// forwarded request's signature may be.
const signatureMaxAge = time.Minute

// forwardPriority runs the forwarder before PocketBase's activity log, rate
// limits and auth, so a forwarded request is logged, limited and served by
// the primary alone, with the client's address.
const forwardPriority = apis.DefaultCorsMiddlewarePriority - 10

// primaryOnlyPaths go to the primary whatever their method: realtime's
// event stream and subscriptions must meet on the node whose writes emit
// the events, and the OAuth2 redirect answers through realtime.
var primaryOnlyPaths = []string{"/api/realtime", "/api/oauth2-redirect"}

// needsPrimary reports whether r must be served by the primary.
func needsPrimary(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
	case http.MethodPost:
		return !slices.Contains(runsOnAnyNode, r.URL.Path)
	default:
		return true
	}
	for _, p := range primaryOnlyPaths {
		if r.URL.Path == p || strings.HasPrefix(r.URL.Path, p+"/") {
			return true
		}
	}
	return false
}

// sign is the signature of a forwarded request: HMAC-SHA256 over the time,
// the client's address and the request line, and, when the forwarding
// node vouches for something, over that and the body's digest.
func sign(secret []byte, at int64, clientIP string, r *http.Request) string {
	return signVouched(secret, at, clientIP, r, "", "")
}

func signVouched(secret []byte, at int64, clientIP string, r *http.Request, vouch, bodyDigest string) string {
	mac := hmac.New(sha256.New, secret)
	parts := []string{"linkbase-forward-v1", strconv.FormatInt(at, 10), clientIP, r.Method, r.Host, r.URL.RequestURI()}
	if vouch != "" {
		parts = append(parts, vouch, bodyDigest)
	}
	for _, part := range parts {
		mac.Write([]byte(part))
		mac.Write([]byte{0})
	}
	return strconv.FormatInt(at, 10) + "." + hex.EncodeToString(mac.Sum(nil))
}

// verifyForwarded returns the client address a node vouches for in r, if
// the signature holds, and removes the internal headers in any case, so
// nothing after this middleware can be fooled by a client that sent them.
// A request with vouches has its body read (and put back) for its digest;
// the vouches come back only with a valid signature.
func verifyForwarded(secret []byte, r *http.Request, now time.Time) (string, url.Values, bool) {
	ip, sig, vouch := r.Header.Get(headerClientIP), r.Header.Get(headerSignature), r.Header.Get(headerVouch)
	r.Header.Del(headerClientIP)
	r.Header.Del(headerSignature)
	r.Header.Del(headerVouch)
	if sig == "" {
		return "", nil, false
	}
	digest := ""
	if vouch != "" {
		// The body goes back whole whatever it holds: a client may send
		// a forged vouch with a large upload, which no node signed.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxVouchedBody+1))
		if err != nil || len(body) > maxVouchedBody {
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
			return "", nil, false
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		digest = bodyDigest(body)
	}
	if !verifySignature(secret, r, now, ip, sig, vouch, digest) {
		return "", nil, false
	}
	values, err := url.ParseQuery(vouch)
	if err != nil {
		return "", nil, false
	}
	return ip, values, true
}

// maxVouchedBody bounds the body a node may vouch for (an auth request's).
const maxVouchedBody = 1 << 20

func bodyDigest(body []byte) string {
	d := sha256.Sum256(body)
	return hex.EncodeToString(d[:])
}

// verifySignature reports whether sig signs r's line with ip, and vouch
// with the body's digest, within signatureMaxAge of now.
func verifySignature(secret []byte, r *http.Request, now time.Time, ip, sig, vouch, digest string) bool {
	t, ok := signedAt(sig, now)
	if !ok {
		return false
	}
	if _, err := netip.ParseAddr(ip); err != nil {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(signVouched(secret, t, ip, r, vouch, digest)))
}

// forwardTransport carries forwarded requests between nodes; one for the
// process, so connections to the primary are reused.
var forwardTransport = &http.Transport{
	Proxy:                 nil,
	DialContext:           (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	MaxIdleConnsPerHost:   64,
	IdleConnTimeout:       90 * time.Second,
	ResponseHeaderTimeout: 2 * time.Minute,
}

// forwarder is the middleware that sends a replica's writes to the primary.
// On the primary it only restores the client address of a request another
// node forwarded.
func (n *Node) forwarder() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "linkbaseClusterForward",
		Priority: forwardPriority,
		Func:     n.forward,
	}
}

func (n *Node) forward(e *core.RequestEvent) error {
	if e.Request.URL.Path == writesPath {
		return n.serveWrite(e)
	}
	clientIP, vouches, forwarded := verifyForwarded(n.cfg.Secret, e.Request, time.Now())
	if forwarded {
		// RealIP falls back to the socket address: make it the client's.
		// Proxy headers, if the settings trust any, arrive unchanged.
		e.Request.RemoteAddr = net.JoinHostPort(clientIP, "0")
		if len(vouches) > 0 {
			e.Set(handoff.VouchKey, vouches)
		}
	}
	if !needsPrimary(e.Request) || n.IsPrimary() {
		return e.Next()
	}
	if forwarded {
		// Another node took us for the primary: the role is changing.
		n.stats.forwarded.WithLabelValues("loop").Inc()
		return unavailable(e, "The primary is changing; try again.")
	}
	return n.Forward(e, nil)
}

// proxy streams the request to the primary and its answer back (event
// streams included), with the client's address, and vouches if any,
// signed. It returns an error, having written nothing, when the primary
// could not be reached.
func (n *Node) proxy(e *core.RequestEvent, primary *url.URL, vouches url.Values) error {
	clientIP := e.RealIP()
	vouch, digest := "", ""
	if len(vouches) > 0 {
		body, err := io.ReadAll(io.LimitReader(e.Request.Body, maxVouchedBody))
		if err != nil {
			return err
		}
		e.Request.Body = io.NopCloser(bytes.NewReader(body))
		e.Request.ContentLength = int64(len(body))
		vouch, digest = vouches.Encode(), bodyDigest(body)
	}
	var failed error
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(primary)
			pr.Out.Host = pr.In.Host
			// Rewrite drops X-Forwarded-*: keep them as the balancer set
			// them, so the primary reads trusted proxy headers as we did.
			for _, h := range []string{"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"} {
				if v, ok := pr.In.Header[h]; ok {
					pr.Out.Header[h] = v
				}
			}
			if pr.Out.Body != nil && pr.Out.Body != http.NoBody {
				pr.Out.Body = &readOnce{ReadCloser: pr.Out.Body}
			}
			pr.Out.Header.Set(headerClientIP, clientIP)
			if vouch != "" {
				pr.Out.Header.Set(headerVouch, vouch)
			}
			pr.Out.Header.Set(headerSignature, signVouched(n.cfg.Secret, time.Now().Unix(), clientIP, pr.Out, vouch, digest))
		},
		Transport:     forwardTransport,
		FlushInterval: -1,
		// Called before anything is written: the answer is left to forward.
		ErrorHandler: func(_ http.ResponseWriter, _ *http.Request, err error) { failed = err },
	}
	rp.ServeHTTP(e.Response, e.Request)
	return failed
}

// readOnce ends at the body's first EOF. PocketBase makes request bodies
// rereadable (at EOF they start over for the next reader), and the HTTP
// client reads once more past EOF to check the length, which would send the
// body twice.
type readOnce struct {
	io.ReadCloser
	eof bool
}

func (r *readOnce) Read(p []byte) (int, error) {
	if r.eof {
		return 0, io.EOF
	}
	n, err := r.ReadCloser.Read(p)
	if err == io.EOF {
		r.eof = true
	}
	return n, err
}

// unavailable answers 503 with Retry-After, PocketBase's error body.
func unavailable(e *core.RequestEvent, message string) error {
	e.Response.Header().Set("Retry-After", "1")
	return e.Error(http.StatusServiceUnavailable, message, nil)
}

// Forward implements handoff.Node: it sends the request, from a replica,
// to the primary with vouches, if any, signed over the body's digest, and
// answers with the primary's answer (see handoff.Forward), or 503 when no
// primary answers. The forwarder sends writes through it without vouches.
func (n *Node) Forward(e *core.RequestEvent, vouches url.Values) error {
	primary := n.Primary()
	if primary == nil {
		n.stats.forwarded.WithLabelValues("no_primary").Inc()
		return unavailable(e, "No primary is reachable; try again.")
	}
	if err := n.proxy(e, primary, vouches); err != nil {
		n.stats.forwarded.WithLabelValues("unreachable").Inc()
		n.app.Logger().Warn("cluster: forwarding to the primary failed", "primary", primary.String(), "error", err)
		return unavailable(e, "The primary did not answer; try again.")
	}
	n.stats.forwarded.WithLabelValues("forwarded").Inc()
	return nil
}

// runsOnAnyNode are the unsafe requests a replica serves itself: the
// bcrypt of a login and of a sign-up is the work that must scale with the
// nodes. A login's writes are handed over (handoff); a sign-up hashes here
// and sends the insert to the primary with handoff.Forward.
var runsOnAnyNode = []string{"/api/login", "/api/register"}
