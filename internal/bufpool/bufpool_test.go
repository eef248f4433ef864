package bufpool

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGetIsEmptyAndHugeBuffersAreNotKept(t *testing.T) {
	b := Get()
	require.Empty(t, *b)
	*b = append(*b, "left over"...)
	Put(b)
	require.Empty(t, *Get(), "a buffer comes back empty, whatever it held")

	huge := Get()
	*huge = make([]byte, 0, keptBytes+1)
	Put(huge)
	for range 10 {
		require.LessOrEqual(t, cap(*Get()), keptBytes)
	}
}
