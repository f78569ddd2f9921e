package consistency

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

type transientErr struct{ after time.Duration }

func (e transientErr) Error() string                  { return "503 service unavailable" }
func (e transientErr) Retryable() bool                { return true }
func (e transientErr) RetryAfterDelay() time.Duration { return e.after }

var errPermanent = errors.New("401 unauthorized")

// visibleAfter returns a probe that is Pending until lag has passed on clock.
func visibleAfter(clock Clock, lag time.Duration, reads *int) Probe[string] {
	start := clock.Now()
	return func(context.Context) (string, State, error) {
		*reads++
		if clock.Now().Sub(start) >= lag {
			return "model", Ready, nil
		}
		return "", Pending, nil
	}
}

func TestReadyAtOnceProbesOnce(t *testing.T) {
	clock := NewVirtualClock()
	reads := 0
	start := clock.Now()
	v, err := Await(context.Background(), Default(), "x", visibleAfter(clock, 0, &reads), WithClock(clock))
	if err != nil || v != "model" {
		t.Fatalf("got %q, %v", v, err)
	}
	if reads != 1 || clock.Now() != start {
		t.Fatalf("reads=%d waited=%v, want 1 read and no wait", reads, clock.Now().Sub(start))
	}
}

func TestPendingThenReady(t *testing.T) {
	clock := NewVirtualClock()
	reads := 0
	start := clock.Now()
	var progress []Progress
	_, err := Await(context.Background(), Default(), "model m to become visible", visibleAfter(clock, 3*time.Second, &reads),
		WithClock(clock), WithProgress(func(p Progress) { progress = append(progress, p) }))
	if err != nil {
		t.Fatal(err)
	}
	took := clock.Now().Sub(start)
	if took < 3*time.Second || took > 3*time.Second+Default().Cap*12/10 {
		t.Fatalf("confirmed after %v, want within one capped wait of 3s", took)
	}
	if reads < 3 || len(progress) != reads-1 {
		t.Fatalf("reads=%d progress=%d", reads, len(progress))
	}
	msg := progress[len(progress)-1].String()
	if !strings.HasPrefix(msg, "waiting for model m to become visible: attempt ") {
		t.Fatalf("progress message %q", msg)
	}
}

func TestWaitsGrowAndAreCapped(t *testing.T) {
	clock := NewVirtualClock()
	p := Default()
	p.JitterPercent = 0
	var waits []time.Duration
	_, _ = Await(context.Background(), p.WithMaxWait(time.Minute), "x",
		func(context.Context) (int, State, error) { return 0, Pending, nil },
		WithClock(clock), WithProgress(func(pr Progress) { waits = append(waits, pr.NextWait) }))
	for i := 1; i < len(waits); i++ {
		if waits[i] < waits[i-1] && waits[i] != p.Cap && i < len(waits)-1 {
			t.Fatalf("wait %d shrank: %v", i, waits)
		}
		if waits[i] > p.Cap {
			t.Fatalf("wait %d = %v exceeds cap %v", i, waits[i], p.Cap)
		}
	}
	if waits[0] != p.First {
		t.Fatalf("first wait %v, want %v", waits[0], p.First)
	}
	exp := p
	exp.Backoff = Exponential
	var ewaits []time.Duration
	_, _ = Await(context.Background(), exp.WithMaxWait(5*time.Second), "x",
		func(context.Context) (int, State, error) { return 0, Pending, nil },
		WithClock(NewVirtualClock()), WithProgress(func(pr Progress) { ewaits = append(ewaits, pr.NextWait) }))
	if ewaits[1] != 2*ewaits[0] || ewaits[2] != 4*ewaits[0] {
		t.Fatalf("exponential waits %v", ewaits[:3])
	}
}

func TestPermanentErrorStopsAtOnce(t *testing.T) {
	clock := NewVirtualClock()
	reads := 0
	_, err := Await(context.Background(), Default(), "x", func(context.Context) (int, State, error) {
		reads++
		return 0, Pending, errPermanent
	}, WithClock(clock))
	if !errors.Is(err, errPermanent) || reads != 1 {
		t.Fatalf("err=%v reads=%d", err, reads)
	}
}

func TestTransientErrorIsRetriedHonouringRetryAfter(t *testing.T) {
	clock := NewVirtualClock()
	start := clock.Now()
	calls := 0
	v, err := Await(context.Background(), Default(), "x", func(context.Context) (int, State, error) {
		calls++
		if calls == 1 {
			return 0, Pending, transientErr{after: 7 * time.Second}
		}
		return 42, Ready, nil
	}, WithClock(clock))
	if err != nil || v != 42 {
		t.Fatalf("v=%d err=%v", v, err)
	}
	if got := clock.Now().Sub(start); got != 7*time.Second {
		t.Fatalf("waited %v, want the 7s Retry-After", got)
	}
}

func TestGoneStopsWithoutWaiting(t *testing.T) {
	clock := NewVirtualClock()
	start := clock.Now()
	_, err := Await(context.Background(), Default(), "model m", func(context.Context) (int, State, error) {
		return 0, Gone, nil
	}, WithClock(clock))
	if !errors.Is(err, ErrGone) || clock.Now() != start {
		t.Fatalf("err=%v waited=%v", err, clock.Now().Sub(start))
	}
}

func TestCancellationReturnsAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Await(ctx, Default().WithMaxWait(time.Hour), "x", func(context.Context) (int, State, error) {
			return 0, Pending, nil
		})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err=%v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Await did not return after cancellation")
	}
}

func TestDeadlineFromContextLeavesReserve(t *testing.T) {
	// Real clock: the context deadline (customTimeouts) bounds the wait, and
	// the wait ends early enough to leave time to record partial state.
	p := Default()
	p.Reserve = 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Await(ctx, p, "model m to become visible", func(context.Context) (int, State, error) {
		return 0, Pending, nil
	})
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err=%v, want *TimeoutError", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("wait used the whole deadline; no time left to record state")
	}
	if el := time.Since(start); el < 1500*time.Millisecond {
		t.Fatalf("gave up after %v, too early", el)
	}
	if !strings.Contains(te.Error(), "model m to become visible") || te.Attempts < 3 {
		t.Fatalf("timeout error %q attempts=%d", te, te.Attempts)
	}
}

func TestMaxWaitBoundsWithoutDeadline(t *testing.T) {
	clock := NewVirtualClock()
	start := clock.Now()
	_, err := Await(context.Background(), Default().WithMaxWait(30*time.Second), "x", func(context.Context) (int, State, error) {
		return 0, Pending, nil
	}, WithClock(clock))
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err=%v", err)
	}
	if el := clock.Now().Sub(start); el != 30*time.Second {
		t.Fatalf("gave up after %v, want exactly the 30s budget (last probe at the deadline)", el)
	}
}

func TestConsecutiveConfirmations(t *testing.T) {
	clock := NewVirtualClock()
	// Ready, Ready(stale regresses), Pending, Ready, Ready, Ready.
	seq := []State{Ready, Pending, Ready, Ready, Ready}
	i := 0
	_, err := Await(context.Background(), Default().WithConfirmations(3), "x", func(context.Context) (int, State, error) {
		s := seq[i]
		i++
		return i, s, nil
	}, WithClock(clock))
	if err != nil || i != 5 {
		t.Fatalf("err=%v probes=%d, want 5 (streak reset by the regression)", err, i)
	}
}

func TestDoRetriesTransientOnly(t *testing.T) {
	clock := NewVirtualClock()
	calls := 0
	err := Do(context.Background(), Default(), "create model", func(context.Context) error {
		calls++
		if calls < 3 {
			return transientErr{}
		}
		return nil
	}, WithClock(clock))
	if err != nil || calls != 3 {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
	calls = 0
	err = Do(context.Background(), Default(), "create model", func(context.Context) error {
		calls++
		return errPermanent
	}, WithClock(clock))
	if !errors.Is(err, errPermanent) || calls != 1 {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
	err = Do(context.Background(), Default().WithMaxWait(3*time.Second), "create model", func(context.Context) error {
		return transientErr{}
	}, WithClock(clock))
	if err == nil || !strings.Contains(err.Error(), "503 service unavailable") || !IsRetryable(err) {
		t.Fatalf("err=%v: the last transient error must be kept", err)
	}
}

func TestInvalidPolicy(t *testing.T) {
	p := Default()
	p.Backoff = "linear"
	if _, err := Await(context.Background(), p, "x", func(context.Context) (int, State, error) { return 0, Ready, nil }); err == nil {
		t.Fatal("want an error for an unknown backoff")
	}
}

// failure is a transient error with a signature, optionally "unreachable"
// (nothing answered).
type failure struct {
	sig         string
	unreachable bool
}

func (e failure) Error() string     { return "failure " + e.sig }
func (e failure) Retryable() bool   { return true }
func (e failure) Signature() string { return e.sig }
func (e failure) Unreachable() bool { return e.unreachable }

func failing(err error, calls *int) Probe[int] {
	return func(context.Context) (int, State, error) {
		*calls++
		return 0, Pending, err
	}
}

// An operation whose first requests cannot reach the server at all fails
// after UnreachableFor, not after MaxWait.
func TestUnreachableFromTheStartFailsFast(t *testing.T) {
	clock := NewVirtualClock()
	start := clock.Now()
	calls := 0
	ctx := WithOperation(context.Background())
	_, err := Await(ctx, Default().WithMaxWait(time.Hour), "x", failing(failure{sig: "unreachable", unreachable: true}, &calls), WithClock(clock))
	el := clock.Now().Sub(start)
	if err == nil || !strings.Contains(err.Error(), "failure unreachable") {
		t.Fatalf("err=%v", err)
	}
	p := Default()
	if el < p.UnreachableFor || el > p.UnreachableFor+p.Cap {
		t.Fatalf("gave up after %v, want about %v", el, p.UnreachableFor)
	}
	var te *TimeoutError
	if errors.As(err, &te) {
		t.Fatalf("an unreachable server is not a timeout: %v", err)
	}
}

// Once the operation has had an answer, a connection failure (a restart)
// is retried longer: until the same-failure rule ends it.
func TestUnreachableAfterAnAnswerIsRetriedLonger(t *testing.T) {
	clock := NewVirtualClock()
	ctx := WithOperation(context.Background())
	if _, err := Await(ctx, Default(), "first", visibleAfter(clock, 0, new(int)), WithClock(clock)); err != nil {
		t.Fatal(err)
	}
	start := clock.Now()
	calls := 0
	_, err := Await(ctx, Default().WithMaxWait(time.Hour), "x", failing(failure{sig: "unreachable", unreachable: true}, &calls), WithClock(clock))
	el := clock.Now().Sub(start)
	p := Default()
	if err == nil || el < p.SameFailureFor || el > p.SameFailureFor+p.Cap*2 {
		t.Fatalf("gave up after %v (%v), want about SameFailureFor=%v", el, err, p.SameFailureFor)
	}
}

// The same failure again and again (a gateway's 502, a request that hangs
// until its timeout) ends the wait long before MaxWait, with that failure.
func TestRepeatedIdenticalFailureStopsEarly(t *testing.T) {
	clock := NewVirtualClock()
	start := clock.Now()
	calls := 0
	_, err := Await(context.Background(), Default().WithMaxWait(time.Hour), "x", failing(failure{sig: "502 Bad Gateway"}, &calls), WithClock(clock))
	el := clock.Now().Sub(start)
	p := Default()
	if err == nil || !strings.Contains(err.Error(), "failure 502 Bad Gateway") || el > p.SameFailureFor+p.Cap*2 {
		t.Fatalf("gave up after %v with %v", el, err)
	}
	if calls < p.SameFailureLimit {
		t.Fatalf("%d calls, want at least %d", calls, p.SameFailureLimit)
	}
}

// Failures that differ (random 5xx, 429) are not cut short, but their
// count is bounded as well as their time.
func TestConsecutiveFailuresAreBoundedByCount(t *testing.T) {
	clock := NewVirtualClock()
	calls := 0
	n := 0
	probe := func(context.Context) (int, State, error) {
		calls++
		n++
		return 0, Pending, failure{sig: fmt.Sprint(n)}
	}
	p := Default().WithMaxWait(24 * time.Hour)
	_, err := Await(context.Background(), p, "x", probe, WithClock(clock))
	if err == nil || calls != p.MaxFailures {
		t.Fatalf("calls=%d err=%v, want %d calls", calls, err, p.MaxFailures)
	}
	// A Pending answer resets the count: a long visibility wait is bounded by time only.
	calls = 0
	_, err = Await(context.Background(), Default().WithMaxWait(time.Hour), "x", func(context.Context) (int, State, error) {
		calls++
		return 0, Pending, nil
	}, WithClock(clock))
	var te *TimeoutError
	if !errors.As(err, &te) || calls <= p.MaxFailures {
		t.Fatalf("pending probes: calls=%d err=%v", calls, err)
	}
}

// A cancelled wait says it was cancelled; one whose deadline passed says so.
func TestStopReasonsNameTheCause(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Await(ctx, Default(), "create of model m", func(context.Context) (int, State, error) { return 0, Pending, nil })
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "create of model m") || !strings.Contains(err.Error(), "cancelled") ||
		strings.Contains(err.Error(), "customTimeouts") {
		t.Fatalf("cancel: %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	_, err = Await(ctx, Default(), "create of model m", func(context.Context) (int, State, error) { return 0, Pending, nil })
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "customTimeouts") {
		t.Fatalf("deadline: %v", err)
	}
}

type notYetErr struct{}

func (notYetErr) Error() string   { return "not yet" }
func (notYetErr) Retryable() bool { return true }
func (notYetErr) Waiting() bool   { return true }

// "Not yet" answers are waits, not failures: no failure count ends them.
func TestWaitingErrorsAreNotFailures(t *testing.T) {
	clock := NewVirtualClock()
	calls := 0
	_, err := Await(context.Background(), Default().WithMaxWait(time.Hour), "x", failing(notYetErr{}, &calls), WithClock(clock))
	var te *TimeoutError
	if !errors.As(err, &te) || calls <= Default().MaxFailures {
		t.Fatalf("calls=%d err=%v, want a timeout after the whole hour", calls, err)
	}
}
