// Package consistency is the one place in pulumi-litellm that waits.
//
// LiteLLM is eventually consistent: a model written through one worker is
// served by the other workers only after their next reload. Every resource
// therefore confirms its writes by polling a probe until the probe reports the
// target state. This package owns that loop: the backoff schedule
// (fibonacci by default, exponential as an option, each wait capped and
// jittered; built on github.com/sethvargo/go-retry), the total budget (the
// context deadline that Pulumi's customTimeouts produce, or a default), N
// consecutive confirmations, Retry-After hints, and progress reports.
//
// The package knows nothing about LiteLLM or Pulumi: a probe is a function,
// errors say whether they are transient through the Retryable interface, and
// progress goes to a callback.
package consistency

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/sethvargo/go-retry"
)

// State is what a probe saw.
type State int

const (
	// Pending: the target state is not reached yet; poll again.
	Pending State = iota
	// Ready: the target state is reached.
	Ready
	// Gone: the object does not exist and never will in this wait; stop at once.
	Gone
)

func (s State) String() string {
	switch s {
	case Ready:
		return "ready"
	case Gone:
		return "gone"
	default:
		return "pending"
	}
}

// Probe checks the current state once. A nil error with Pending means "not
// yet". An error is retried only when it is transient (see Retryable);
// any other error stops the wait and is returned as is.
type Probe[T any] func(ctx context.Context) (T, State, error)

// Retryable is implemented by errors that may succeed when tried again
// (429, 5xx, dropped connections).
type Retryable interface {
	Retryable() bool
}

// RetryAfterer is implemented by errors that carry the server's Retry-After hint.
type RetryAfterer interface {
	RetryAfterDelay() time.Duration
}

// Signer is implemented by errors that can be told apart from others
// (e.g. "502 Bad Gateway", "timeout"): the same signature again and again
// is a failure that is not going away (Policy.SameFailureLimit).
type Signer interface {
	Signature() string
}

// Unreachabler is implemented by errors that tell whether nothing answered
// at all (connection refused, unknown host): Policy.UnreachableFor.
type Unreachabler interface {
	Unreachable() bool
}

// Waiting is implemented by errors that mean "not yet" rather than a
// failure (a probe that explains why it is still pending): they never count
// as failures.
type Waiting interface {
	Waiting() bool
}

func waiting(err error) bool {
	var w Waiting
	return errors.As(err, &w) && w.Waiting()
}

func signature(err error) string {
	var s Signer
	if errors.As(err, &s) {
		return s.Signature()
	}
	return ""
}

func unreachable(err error) bool {
	var u Unreachabler
	return errors.As(err, &u) && u.Unreachable()
}

type operationKey struct{}

// operation is what the waits of one operation (one resource call) share:
// whether any of its requests was answered.
type operation struct{ answered atomic.Bool }

// WithOperation returns a context for one operation (a create, a read, an
// update or a delete, with all its waits): once a request of it has been
// answered, a server that cannot be reached is retried as a restart rather
// than failing after Policy.UnreachableFor.
func WithOperation(ctx context.Context) context.Context {
	return context.WithValue(ctx, operationKey{}, &operation{})
}

func operationOf(ctx context.Context) *operation {
	if o, ok := ctx.Value(operationKey{}).(*operation); ok {
		return o
	}
	return &operation{} // one wait on its own
}

// FailingError is returned when a transient failure is judged not to be
// going away (the server cannot be reached, the same failure repeats, too
// many failures in a row) before the time budget ran out.
type FailingError struct {
	What     string
	Reason   string
	Attempts int
	Elapsed  time.Duration
	Err      error
}

func (e *FailingError) Error() string {
	return fmt.Sprintf("%s: %v (%s; gave up after %d attempts in %.1f s)", e.What, e.Err, e.Reason, e.Attempts, e.Elapsed.Seconds())
}

func (e *FailingError) Unwrap() error { return e.Err }

// stopped is the error of a wait whose context ended: a cancellation says
// so, and a deadline names where it comes from.
func stopped(what string, ctx context.Context) error {
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, context.Canceled):
		return fmt.Errorf("%s: cancelled before it finished: %w", what, cause)
	case errors.Is(cause, context.DeadlineExceeded):
		return fmt.Errorf("%s: the operation's time limit (the resource's customTimeouts) ran out: %w", what, cause)
	}
	return cause
}

// IsRetryable reports whether err (or an error it wraps) is transient.
func IsRetryable(err error) bool {
	var r Retryable
	return errors.As(err, &r) && r.Retryable()
}

func retryAfter(err error) time.Duration {
	var r RetryAfterer
	if errors.As(err, &r) {
		return r.RetryAfterDelay()
	}
	return 0
}

// BackoffKind selects the growth of the waits between probes.
type BackoffKind string

const (
	Fibonacci   BackoffKind = "fibonacci"
	Exponential BackoffKind = "exponential"
)

// Policy describes one kind of wait. The zero value is not useful: start
// from Default() or another preset and adjust.
type Policy struct {
	Backoff BackoffKind
	// First is the wait after the first probe (the first probe runs at once).
	First time.Duration
	// Cap bounds each single wait.
	Cap time.Duration
	// JitterPercent spreads each wait by ±JitterPercent % so that parallel
	// waits do not poll in lockstep.
	JitterPercent uint64
	// Confirmations is the number of consecutive Ready probes required
	// (read-after-update uses 2 or more). Values below 1 mean 1.
	Confirmations int
	// ConfirmInterval is the wait between confirmation probes once the first
	// Ready was seen; 0 means First.
	ConfirmInterval time.Duration
	// MaxWait bounds the whole wait when the context has no deadline, or a
	// later one.
	MaxWait time.Duration
	// Reserve is kept back from the context deadline so that the caller still
	// has time to record partial state after the wait gives up.
	Reserve time.Duration
	// Settle is how long after a write an answer served from one replica's
	// own copy may still be stale (for LiteLLM: every worker has reloaded by
	// then). Callers use Settled to decide whether such an answer is
	// authoritative; the wait loop itself does not use it.
	Settle time.Duration
	// UnreachableFor: when no request of the operation (WithOperation) has
	// been answered at all and the server cannot be reached (an error whose
	// Unreachable() is true: connection refused, unknown host), the wait
	// ends after this long instead of MaxWait.
	UnreachableFor time.Duration
	// SameFailureLimit and SameFailureFor: the same failure (equal
	// Signature()) SameFailureLimit times in a row, over at least
	// SameFailureFor, ends the wait: a gateway whose upstream is down, a
	// server that never answers. Zero disables the rule.
	SameFailureLimit int
	SameFailureFor   time.Duration
	// MaxFailures bounds the failed probes in a row (any transient errors),
	// so that retries are bounded by a count as well as by time. A probe
	// that gets an answer resets the count. Zero: no bound.
	MaxFailures int
}

// Settled reports whether the settle time has passed since a write at t
// (a zero t is long past).
func (p Policy) Settled(t, now time.Time) bool {
	return t.IsZero() || now.Sub(t) >= p.Settle
}

// Default is the policy for read-after-write confirmation, chosen from the
// benchmark in tests/bench (README, "Benchmark"): the first probe runs at
// once, so a write that is visible at once costs one read and no wait; a
// 20 ms first wait keeps short lags cheap; fibonacci growth capped at 4 s
// keeps the reads for a 30 s lag under 20 (a 2 s cap needed 25) while a
// confirmation comes at most about 4 s after the object becomes visible
// (a 5 s cap saves one read but costs 0.3 s more overhead at long lags).
func Default() Policy {
	return Policy{
		Backoff:         Fibonacci,
		First:           20 * time.Millisecond,
		Cap:             4 * time.Second,
		JitterPercent:   20,
		Confirmations:   1,
		ConfirmInterval: 250 * time.Millisecond,
		MaxWait:         5 * time.Minute,
		Reserve:         2 * time.Second,
		Settle:          time.Minute,
		UnreachableFor:  2 * time.Second,
		// A gateway's 502 for 20 s: the upstream is down, not restarting
		// (a rolling restart behind a gateway lasts seconds); three request
		// timeouts in a row: the server is stuck.
		SameFailureLimit: 3,
		SameFailureFor:   20 * time.Second,
		// About 80 s of failures in a row at the default backoff.
		MaxFailures: 30,
	}
}

// WithConfirmations returns a copy of p that needs n consecutive Ready probes.
func (p Policy) WithConfirmations(n int) Policy {
	p.Confirmations = n
	return p
}

// WithMaxWait returns a copy of p bounded by d when d > 0.
func (p Policy) WithMaxWait(d time.Duration) Policy {
	if d > 0 {
		p.MaxWait = d
	}
	return p
}

// Validate reports a policy that cannot work.
func (p Policy) Validate() error {
	switch p.Backoff {
	case Fibonacci, Exponential, "":
	default:
		return fmt.Errorf("backoff must be %q or %q, got %q", Fibonacci, Exponential, p.Backoff)
	}
	if p.First <= 0 {
		return errors.New("first wait must be positive")
	}
	if p.Cap < p.First {
		return errors.New("cap must be at least the first wait")
	}
	if p.JitterPercent > 100 {
		return errors.New("jitter must be at most 100 percent")
	}
	return nil
}

// newBackoff builds a fresh (stateful) go-retry backoff for one wait.
func (p Policy) newBackoff() retry.Backoff {
	var b retry.Backoff
	if p.Backoff == Exponential {
		b = retry.NewExponential(p.First)
	} else {
		b = retry.NewFibonacci(p.First)
	}
	b = retry.WithCappedDuration(p.Cap, b)
	if p.JitterPercent > 0 {
		b = retry.WithJitterPercent(p.JitterPercent, b)
	}
	return b
}

// Progress is reported after every probe that did not end the wait.
type Progress struct {
	What     string        // e.g. "model gpt-4o (id 1234) to become visible"
	Attempt  int           // probes so far
	Elapsed  time.Duration // since the wait began
	State    State         // what the last probe saw
	Err      error         // the transient error of the last probe, if any
	NextWait time.Duration // the wait before the next probe
}

func (p Progress) String() string {
	s := fmt.Sprintf("waiting for %s: attempt %d, %.1f s", p.What, p.Attempt, p.Elapsed.Seconds())
	if p.Err != nil {
		s += " (retrying after a transient error)"
	}
	return s
}

// TimeoutError is returned when the budget ran out before the target state
// was confirmed. The object may still reach it later.
type TimeoutError struct {
	What     string
	Attempts int
	Elapsed  time.Duration
	Last     State
	LastErr  error
}

func (e *TimeoutError) Error() string {
	s := fmt.Sprintf("gave up waiting for %s after %d attempts in %.1f s (last seen: %s)",
		e.What, e.Attempts, e.Elapsed.Seconds(), e.Last)
	if e.LastErr != nil {
		s += ": " + e.LastErr.Error()
	}
	return s
}

func (e *TimeoutError) Unwrap() error { return e.LastErr }

// ErrGone is returned (wrapped) when a probe reports Gone.
var ErrGone = errors.New("object is gone")

// Clock abstracts time so that benchmarks can run the real loop on a virtual clock.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// RealClock is the wall clock.
var RealClock Clock = realClock{}

// Option adjusts one wait.
type Option func(*waiter)

// WithProgress reports progress after every probe that did not end the wait.
func WithProgress(f func(Progress)) Option { return func(w *waiter) { w.progress = f } }

// WithClock replaces the wall clock (benchmarks, tests).
func WithClock(c Clock) Option { return func(w *waiter) { w.clock = c } }

type waiter struct {
	progress func(Progress)
	clock    Clock
}

// Budget returns when a wait that starts now must end: the earlier of now +
// p.MaxWait and the context deadline minus p.Reserve.
func (p Policy) Budget(ctx context.Context, now time.Time) time.Time {
	end := now.Add(p.MaxWait)
	if dl, ok := ctx.Deadline(); ok {
		reserve := p.Reserve
		// Never reserve more than a fifth of what is left.
		if left := dl.Sub(now); reserve > left/5 {
			reserve = left / 5
		}
		if d := dl.Add(-reserve); d.Before(end) {
			end = d
		}
	}
	return end
}

// Await polls probe until it reports Ready Confirmations times in a row, a
// probe fails permanently, the probe reports Gone, the budget runs out
// (*TimeoutError) or ctx is done (the context's cause). The first probe runs
// at once.
func Await[T any](ctx context.Context, p Policy, what string, probe Probe[T], opts ...Option) (T, error) {
	w := waiter{clock: RealClock}
	for _, o := range opts {
		o(&w)
	}
	var zero T
	if err := p.Validate(); err != nil {
		return zero, fmt.Errorf("consistency policy: %w", err)
	}
	need := max(p.Confirmations, 1)
	confirmWait := p.ConfirmInterval
	if confirmWait <= 0 {
		confirmWait = p.First
	}
	start := w.clock.Now()
	deadline := p.Budget(ctx, start)
	b := p.newBackoff()
	var (
		last     T
		state    State
		lastErr  error
		streak   int
		attempts int
		failures int       // failed probes in a row
		same     int       // of which the last ones with the same signature
		sameSig  string    // that signature
		sameFrom time.Time // when the first of them was sent
		op       = operationOf(ctx)
	)
	for {
		if ctx.Err() != nil {
			return last, stopped(what, ctx)
		}
		attempts++
		sent := w.clock.Now()
		v, st, err := probe(ctx)
		if err == nil || !unreachable(err) {
			op.answered.Store(true)
		}
		switch {
		case err != nil && !IsRetryable(err):
			if ctx.Err() != nil {
				return last, stopped(what, ctx)
			}
			return v, err
		case err != nil && waiting(err):
			lastErr, state, streak, failures, same, sameSig = err, Pending, 0, 0, 0, ""
		case err != nil:
			lastErr, state, streak = err, Pending, 0
			failures++
			if sig := signature(err); sig != "" && sig == sameSig {
				same++
			} else {
				same, sameSig, sameFrom = 1, sig, sent
			}
			now := w.clock.Now()
			fail := func(reason string) (T, error) {
				return last, &FailingError{What: what, Reason: reason, Attempts: attempts, Elapsed: now.Sub(start), Err: err}
			}
			switch {
			case unreachable(err) && !op.answered.Load() && now.Sub(start) >= p.UnreachableFor:
				return fail("nothing answered")
			case sameSig != "" && p.SameFailureLimit > 0 && same >= p.SameFailureLimit && now.Sub(sameFrom) >= p.SameFailureFor:
				return fail(fmt.Sprintf("the same failure %d times in a row over %.0f s", same, now.Sub(sameFrom).Seconds()))
			case p.MaxFailures > 0 && failures >= p.MaxFailures:
				return fail(fmt.Sprintf("%d failures in a row", failures))
			}
		case st == Gone:
			return v, fmt.Errorf("%s: %w", what, ErrGone)
		case st == Ready:
			last, state, lastErr, failures, same, sameSig = v, Ready, nil, 0, 0, ""
			streak++
			if streak >= need {
				return v, nil
			}
		default:
			last, state, lastErr, streak, failures, same, sameSig = v, Pending, nil, 0, 0, 0, ""
		}

		var wait time.Duration
		if streak > 0 {
			wait = confirmWait
		} else {
			next, stop := b.Next()
			if stop {
				next = p.Cap
			}
			wait = next
			if ra := retryAfter(lastErr); ra > wait {
				wait = ra
			}
		}
		now := w.clock.Now()
		if left := deadline.Sub(now); wait > left {
			if left <= 0 {
				return last, &TimeoutError{What: what, Attempts: attempts, Elapsed: now.Sub(start), Last: state, LastErr: lastErr}
			}
			// One last probe right at the deadline rather than giving up early.
			wait = left
		}
		if w.progress != nil {
			w.progress(Progress{What: what, Attempt: attempts, Elapsed: now.Sub(start), State: state, Err: lastErr, NextWait: wait})
		}
		if err := w.clock.Sleep(ctx, wait); err != nil {
			if ctx.Err() != nil {
				return last, stopped(what, ctx)
			}
			return last, err
		}
	}
}

// Do runs op until it succeeds, fails permanently, or the budget runs out,
// retrying transient errors with p's backoff and honouring Retry-After. It is
// Await for a write that has no separate probe.
func Do(ctx context.Context, p Policy, what string, op func(ctx context.Context) error, opts ...Option) error {
	_, err := Await(ctx, p.WithConfirmations(1), what, func(ctx context.Context) (struct{}, State, error) {
		if err := op(ctx); err != nil {
			return struct{}{}, Pending, err
		}
		return struct{}{}, Ready, nil
	}, opts...)
	var te *TimeoutError
	if errors.As(err, &te) && te.LastErr != nil {
		// For a plain retry the last error says more than "gave up waiting".
		return fmt.Errorf("%s: %w (gave up after %d attempts in %.1f s)", what, te.LastErr, te.Attempts, te.Elapsed.Seconds())
	}
	return err
}
