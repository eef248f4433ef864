package core

import "slices"

// Tail is what a conversation keeps of its messages (docs/design.md, "What is
// kept"): not every message ever applied, only those that can still count as
// unread or show as lastMessage, with what makes applying them again exact.
// A store keeps a conversation's tail in the same write as its record, so a
// call that changes a conversation writes one thing for it, however many of
// its messages the call applied.
//
// A message is forgotten (prune) once it is at or before the read time and
// older than the conversation's keep newest messages that may be last: it
// can no longer count (a read time only moves forward) nor show (a newer
// one always takes lastMessage before it). Floor is the newest message
// forgotten; a message at or before it, applied again or for the first
// time, is a duplicate that changes nothing.
type Tail struct {
	// Messages are every kept message, oldest first by (createTime,
	// messageClientId): deleted and revoked ones too, so that they never
	// come back.
	Messages []*MessageRecord
	// Floor, if HasFloor, is the order of the newest message forgotten.
	Floor    MessageOrder
	HasFloor bool
	// ClearedTo, if Cleared, is the time the conversation's history is
	// cleared up to (docs/api.md "Clear history"): a message created at or
	// before it is gone, however often it comes again.
	ClearedTo int64
	Cleared   bool
	// SpilledKeys are, when a conversation keeps many messages (unread ones
	// pile up), the keys (spillKey) of those it keeps apart (Tx.Spilled),
	// each older than every one of Messages, and SpilledOldest the
	// createTime of the oldest: so a tail written with its record stays
	// small, and a message that comes is looked for apart only if its key
	// is among these (a key found may be another's: then it is not there).
	SpilledKeys   []uint32
	SpilledOldest int64
}

// spillKey is a message's key among a tail's SpilledKeys: FNV-1a of its
// messageClientId, 4 bytes where the id takes 32.
func spillKey(messageClientID string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(messageClientID); i++ {
		h = (h ^ uint32(messageClientID[i])) * 16777619
	}
	return h
}

// spillReached reports whether forgetting at readTime may reach what the
// tail keeps apart: then it must be read first (txn.readSpilled).
func (t *Tail) spillReached(readTime int64) bool {
	return len(t.SpilledKeys) > 0 && readTime >= t.SpilledOldest
}

// maybeSpilled reports whether the message of that id may be one kept apart.
func (t *Tail) maybeSpilled(messageClientID string) bool {
	if len(t.SpilledKeys) == 0 {
		return false
	}
	return slices.Contains(t.SpilledKeys, spillKey(messageClientID))
}

// MessageOrder is where a message sorts among its conversation's: by
// createTime, then messageClientId in UTF-16 order (as IndexedDB compares).
type MessageOrder struct {
	CreateTime      int64
	MessageClientID string
}

// Compare orders o before (-1), at (0) or after (1) p.
func (o MessageOrder) Compare(p MessageOrder) int {
	switch {
	case o.CreateTime < p.CreateTime:
		return -1
	case o.CreateTime > p.CreateTime:
		return 1
	}
	return CompareStrings(o.MessageClientID, p.MessageClientID)
}

// Order is where m sorts.
func (m *MessageRecord) Order() MessageOrder {
	return MessageOrder{m.CreateTime, m.MessageClientID}
}

// DefaultKeepNewest is Options.KeepNewest's default: the fallbacks a
// conversation keeps behind its last message. Measured: a deleted or revoked
// last message is nearly always among the newest few, and a message of 200
// bytes stored 8 times over 100,000 conversations is 160 MB at most.
const DefaultKeepNewest = 8

// clone is a copy whose messages can be changed (each replaced, never
// modified in place) without touching t's.
func (t *Tail) clone() *Tail {
	c := *t
	c.Messages = slices.Clone(t.Messages)
	c.SpilledKeys = slices.Clone(t.SpilledKeys)
	return &c
}

// DefaultTailHead is Options.TailHead's default.
const DefaultTailHead = 8

// spill keeps apart the oldest of Messages when there are more than twice
// head of them, down to head: it returns those to store apart.
func (t *Tail) spill(head int) []*MessageRecord {
	if len(t.Messages) <= 2*head {
		return nil
	}
	n := len(t.Messages) - head
	out := slices.Clone(t.Messages[:n])
	t.Messages = slices.Clone(t.Messages[n:])
	for _, m := range out {
		t.SpilledKeys = append(t.SpilledKeys, spillKey(m.MessageClientID))
		if len(t.SpilledKeys) == 1 || m.CreateTime < t.SpilledOldest {
			t.SpilledOldest = m.CreateTime
		}
	}
	return out
}

// find returns the index and the kept message of that messageClientId, or -1, nil.
func (t *Tail) find(messageClientID string) (int, *MessageRecord) {
	for i := len(t.Messages) - 1; i >= 0; i-- {
		if t.Messages[i].MessageClientID == messageClientID {
			return i, t.Messages[i]
		}
	}
	return -1, nil
}

// forgets reports whether a message at o was forgotten, or would be: at or
// before Floor.
func (t *Tail) forgets(o MessageOrder) bool {
	return t.HasFloor && o.Compare(t.Floor) <= 0
}

// clears reports whether a message created at createTime is gone with a
// clear of the history.
func (t *Tail) clears(createTime int64) bool {
	return t.Cleared && createTime <= t.ClearedTo
}

// insert keeps m, in order.
func (t *Tail) insert(m *MessageRecord) {
	i, _ := slices.BinarySearchFunc(t.Messages, m.Order(), func(x *MessageRecord, o MessageOrder) int {
		return x.Order().Compare(o)
	})
	t.Messages = slices.Insert(t.Messages, i, m)
}

// replace puts m in the place of the message at i, which it is a version of
// (an update may move its createTime), in order.
func (t *Tail) replace(i int, m *MessageRecord) {
	t.Messages = slices.Delete(t.Messages, i, i+1)
	t.insert(m)
}

// newestLast is the newest kept message that may be lastMessage, or nil.
func (t *Tail) newestLast() *MessageRecord {
	for i := len(t.Messages) - 1; i >= 0; i-- {
		if t.Messages[i].canBeLast() {
			return t.Messages[i]
		}
	}
	return nil
}

// prune forgets what can no longer count or show against readTime: every
// message at or before the newest one created at or before readTime that
// has keep messages which may be last after it.
func (t *Tail) prune(readTime int64, keep int) {
	last := 0
	for i := len(t.Messages) - 1; i >= 0; i-- {
		m := t.Messages[i]
		if last >= keep && m.CreateTime <= readTime {
			t.Floor, t.HasFloor = m.Order(), true
			t.Messages = slices.Clone(t.Messages[i+1:])
			return
		}
		if m.canBeLast() {
			last++
		}
	}
}
