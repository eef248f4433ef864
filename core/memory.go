package core

// largeChange reports whether a call was large enough to collect the heap
// after it: it changed changed conversations of a list of listed.
//
// While a call runs it holds a working set that grows with what it changes:
// its input, the changed records beside the ones they replace, the
// conversations its events tell of (some 30 MB for a clear of 100,000). A
// collection that runs during the call counts all that as live and sets the
// next one's goal from it (1.5 times, at the module's GOGC 50), so the next
// large call grows the heap well past what the list needs; and wasm memory
// keeps the heap's highest point for good. Collecting once such a call is
// over brings the goal back to the list's own size, for the cost of one
// collection (some 0.2 s of CPU at 100,000 conversations in wasm): worth it
// after a call that changed at least a sixteenth of the list and
// maxEventConversations, not after the many small calls of a chat's day.
func largeChange(changed, listed int) bool {
	return changed >= maxEventConversations && changed*16 >= listed
}
