package provider

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// The provider stops serving when its parent (the CLI) is gone.
func TestStopWithParent(t *testing.T) {
	var ppid atomic.Int64
	ppid.Store(4242)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan struct{})
	go func() {
		stopWithParent(ctx, stop, func() int { return int(ppid.Load()) }, 5*time.Millisecond, time.Hour)
		close(done)
	}()
	time.Sleep(30 * time.Millisecond)
	if ctx.Err() != nil {
		t.Fatal("stopped while the parent is alive")
	}
	ppid.Store(1) // re-parented: the CLI died
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("did not notice the parent's death")
	}
	if ctx.Err() == nil {
		t.Fatal("serving was not stopped")
	}
}
