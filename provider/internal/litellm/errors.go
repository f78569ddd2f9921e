package litellm

import (
	"errors"
	"strconv"
	"time"
)

// Kind says what a failed call means to the caller. Every failure of the
// client is classified exactly once, here in this package (see classify.go);
// callers branch on the Kind, never on message text.
type Kind int

const (
	KindUnknown      Kind = iota
	KindNotFound          // the object does not exist (per-endpoint rules, classify.go)
	KindConflict          // a create found the ID or name taken
	KindUnauthorized      // 401: the key is missing, wrong, expired, or not an admin key
	KindForbidden         // 403, or an Enterprise-only feature ("not_premium_user")
	KindInvalid           // 400/404-route/405/422 and other bad input: permanent
	KindConfig            // the proxy (or the TLS setup) is not configured for this call: permanent
	KindTransient         // 408, 429, 5xx, connection errors, timeouts: may work when tried again
	// KindNotLive: the write was committed to the proxy's database, but the
	// answering worker does not serve the object yet (LiteLLM's "… was saved
	// to the database, but … not live in this pod's router" 500, PR #34861).
	// The write happened: never send it again.
	KindNotLive
)

func (k Kind) String() string {
	switch k {
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindUnauthorized:
		return "unauthorized"
	case KindForbidden:
		return "forbidden"
	case KindInvalid:
		return "invalid request"
	case KindConfig:
		return "proxy configuration"
	case KindTransient:
		return "transient"
	case KindNotLive:
		return "saved but not live"
	}
	return "unknown"
}

// Error is the one error type of the client. Callers inspect it with
// errors.As or the Is* helpers.
//
// Nothing in an Error comes from a request body or a header value: Message is
// the proxy's own message (any of LiteLLM's four error shapes), with the API
// key, anything that looks like a LiteLLM key and every secret of the request
// redacted, and bounded to about 500 characters.
type Error struct {
	Kind       Kind
	Op         string        // method and path, e.g. "POST /model/new", "PATCH /model/m1/update" (never a query)
	Status     int           // HTTP status; 0 for transport errors
	Message    string        // the proxy's message, redacted
	Type       string        // LiteLLM's error "type", when given
	RetryAfter time.Duration // from the Retry-After header; 0 if absent
	// Ambiguous: the request may have reached the proxy and been applied
	// (transport failure after connecting, timeout, 5xx on a write). A create
	// must be checked by reading before it is sent again.
	Ambiguous bool
	Err       error // underlying transport or context error, if any

	unreachable  bool   // nothing answered: connection refused, unknown host
	signature    string // what tells this failure apart from others (Signature)
	code         string // error code from a 200 answer that carried an error object
	hint         string // what the operator should do (KindConfig, KindUnauthorized, ...)
	routeMissing bool   // the proxy has no such route (FastAPI's bare 404 "Not Found")
}

// Error renders "litellm: <op>: <status>: <message>[ (hint)]". It never
// contains request bodies or header values.
func (e *Error) Error() string {
	s := "litellm: " + e.Op + ": "
	if e.Status != 0 {
		s += strconv.Itoa(e.Status)
		if e.code != "" && e.code != strconv.Itoa(e.Status) {
			s += " (error code " + e.code + ")"
		}
		s += ": "
	}
	if e.Message != "" {
		s += e.Message
	} else {
		s += e.Kind.String()
	}
	if e.hint != "" {
		s += " (" + e.hint + ")"
	}
	return s
}

// Unwrap returns the underlying transport or context error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports a transient failure (the consistency package's Retryable interface).
func (e *Error) Retryable() bool { return e.Kind == KindTransient }

// RetryAfterDelay is the server's Retry-After hint (the consistency package's RetryAfterer interface).
func (e *Error) RetryAfterDelay() time.Duration { return e.RetryAfter }

// Unreachable reports that nothing answered at all (connection refused,
// unknown host): the consistency package's Unreachabler interface.
func (e *Error) Unreachable() bool { return e.unreachable }

// Signature tells this failure apart from others, so that the same failure
// again and again can end a wait early (the consistency package's Signer
// interface): the status and message of an answer, "timeout",
// "unreachable", or the transport error. Empty for throttling (429, which
// Retry-After paces) and for cancellations.
func (e *Error) Signature() string { return e.signature }

// KindOf returns the Kind of err (or of the *Error it wraps); KindUnknown
// when err is not from this client.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// IsNotFound reports that the object does not exist.
func IsNotFound(err error) bool { return KindOf(err) == KindNotFound }

// IsConflict reports that a create found the ID or name taken.
func IsConflict(err error) bool { return KindOf(err) == KindConflict }

// IsTransient reports a failure that may go away when tried again.
func IsTransient(err error) bool { return KindOf(err) == KindTransient }

// IsCommitted reports a write that was committed although the call failed
// (KindNotLive): treat the write as done.
func IsCommitted(err error) bool { return KindOf(err) == KindNotLive }

// IsAmbiguous reports a write whose outcome is unknown: read before retrying it.
func IsAmbiguous(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Ambiguous
}
