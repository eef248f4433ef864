//go:build js && wasm

package idbstore

import (
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// polls returns a channel that receives s after each of its polls, for the
// rest of the test.
func polls(t *testing.T, s *Store) <-chan struct{} {
	ch := make(chan struct{}, 100)
	testHookPolled = func(p *Store) {
		if p == s {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
	t.Cleanup(func() { testHookPolled = nil })
	return ch
}

func waitPolls(t *testing.T, ch <-chan struct{}, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			t.Fatal("the store stopped polling")
		}
	}
}

func TestPollFindsACommitWhoseNewsWasLost(t *testing.T) {
	name := freshName(t)
	a, b := open(t, name, Options{}), open(t, name, Options{})
	mustLoad(t, a)
	mustLoad(t, b)
	polled := polls(t, b)
	// b's watcher reads the change sequence, as the Service's catch-up does.
	heard := make(chan uint64, 10)
	b.Watch(func() {
		var seq uint64
		if err := b.View(ctx, func(tx core.Tx) error {
			var err error
			seq, err = tx.Seq()
			return err
		}); err != nil {
			t.Errorf("the watcher's read: %v", err)
		}
		heard <- seq
	})

	// A commit that tells nobody: its tab died between committing and telling.
	raw := rawOpen(t, name)
	start := time.Now()
	rawPut(t, raw, storeMeta, js.ValueOf(7), js.ValueOf(metaSeq))
	select {
	case seq := <-heard:
		require.EqualValues(t, 7, seq)
		require.Less(t, time.Since(start), pollInterval+time.Second)
	case <-time.After(5 * time.Second):
		t.Fatal("the lost commit was never found")
	}

	// Then b's own commit, and a's, told as usual: nobody hears anything twice.
	putConvs(t, b, 8, liveConv("me|1|b", 100, 8))
	putConvs(t, a, 9, liveConv("me|1|a", 100, 9))
	require.EqualValues(t, 9, <-heard)
	waitPolls(t, polled, 3)
	require.Empty(t, heard, "told again of what it knew")
}

func TestPollStopsWhenTheStoreCloses(t *testing.T) {
	name := freshName(t)
	s := New(name, Options{})
	mustLoad(t, s)
	polled := polls(t, s)
	s.Watch(func() {})
	waitPolls(t, polled, 1)
	require.NoError(t, s.Close())
	select {
	case <-s.poll.stop:
	default:
		t.Fatal("closing did not stop the poll")
	}
}
