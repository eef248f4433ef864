package core

import "slices"

// txn is one call's working set inside its store transaction: the records it
// changes, staged until the transaction commits. It reads the cache, which the
// transaction has just brought up to date with the database (see catchUpIn)
// and which holds every conversation record, tombstones too; of the database
// it reads only tails (tail.go), those of the conversations it touches.
type txn struct {
	h          *hub
	tx         Tx
	now        int64
	staged     map[string]*ConversationRecord
	order      []string
	readMarked map[string]bool
	// rewritten are written even if unchanged (clearType).
	rewritten map[string]bool
	// updateAt is, per conversation, the updateTime the call gives it if it
	// changes it visibly and that time is later than now (applyClearHistory:
	// the time of the clear).
	updateAt map[string]int64
	// marks, if set, are the read marks as the call leaves them (readmarks.go).
	marks *ReadMarks
	// tails are the tails the call read, to change: a conversation whose
	// tail changed is written (rewritten) with it.
	tails        map[string]*Tail
	tailsChanged map[string]bool
	// spillsRead are, per conversation whose messages kept apart the call
	// read (readSpilled), those messages by messageClientId.
	spillsRead map[string]map[string]*MessageRecord
	// afterCommit, if set, runs once the call committed, with the cache locked.
	afterCommit func()

	// set by write
	written []*ConversationRecord
	newSeq  uint64
}

func newTxn(h *hub, tx Tx) *txn {
	return &txn{
		h:          h,
		tx:         tx,
		now:        h.now(),
		staged:     map[string]*ConversationRecord{},
		readMarked: map[string]bool{},
	}
}

// base is the record as it was before this call: live, tombstone or nil.
func (t *txn) base(id string) *ConversationRecord { return t.h.cache.record(id) }

// get is the record as this call has it so far: live, tombstone or nil.
func (t *txn) get(id string) *ConversationRecord {
	if r := t.staged[id]; r != nil {
		return r
	}
	return t.base(id)
}

// live is the conversation if it exists.
func (t *txn) live(id string) *ConversationRecord {
	if r := t.get(id); r.live() {
		return r
	}
	return nil
}

// mustLive is the conversation, or 191004 naming the parameter if it does not exist.
func (t *txn) mustLive(name, id string) (*ConversationRecord, error) {
	if r := t.live(id); r != nil {
		return r, nil
	}
	return nil, noSuchConversation(name, id)
}

// edit returns the conversation's staged record to change in place.
func (t *txn) edit(id string) *ConversationRecord {
	if r := t.staged[id]; r != nil {
		return r
	}
	r := t.base(id).clone()
	t.stage(r)
	return r
}

func (t *txn) stage(r *ConversationRecord) {
	if _, ok := t.staged[r.ConversationID]; !ok {
		t.order = append(t.order, r.ConversationID)
	}
	t.staged[r.ConversationID] = r
}

// create stages a new conversation; one that was deleted keeps its read time,
// so its stored messages do not count again.
func (t *txn) create(id string, typ ConversationType, sortTime int64) *ConversationRecord {
	r := &ConversationRecord{Conversation: Conversation{
		ConversationID: id,
		Type:           typ,
		SortOrder:      sortTime,
		CreateTime:     t.now,
		UpdateTime:     t.now,
	}}
	if old := t.get(id); old != nil {
		r.ReadTime, r.MaxMessageTime, r.ReadMarkSeq = old.ReadTime, old.MaxMessageTime, old.ReadMarkSeq
	}
	t.stage(r)
	return r
}

// remove stages the conversation's tombstone; it is marked read first, so
// its messages never count again if it comes back.
func (t *txn) remove(id string) {
	ts := t.markRead(id).tombstone()
	t.stage(ts)
}

// followCurrent clears unread messages that other tabs counted in a
// conversation on screen here: it takes no unread (docs/api.md §3).
func (t *txn) followCurrent() {
	t.h.mu.RLock()
	var ids []string
	for _, s := range t.h.sessions {
		if s.current != "" {
			ids = append(ids, s.current)
		}
	}
	t.h.mu.RUnlock()
	for _, id := range ids {
		if r := t.live(id); r != nil && r.UnreadCount > 0 {
			t.markRead(id)
		}
	}
}

// rewrite has the conversation written even if the call leaves it as it was.
func (t *txn) rewrite(id string) {
	t.edit(id)
	if t.rewritten == nil {
		t.rewritten = map[string]bool{}
	}
	t.rewritten[id] = true
}

// updateAtLeast has the conversation's updateTime, if the call changes it
// visibly, be at least at (see write).
func (t *txn) updateAtLeast(id string, at int64) {
	if t.updateAt == nil {
		t.updateAt = map[string]int64{}
	}
	t.updateAt[id] = max(t.updateAt[id], at)
}

// noteReadMark notes that the call marked the conversation's read time, which
// other tabs learn as conversationReadTimeUpdated.
func (t *txn) noteReadMark(id string) { t.readMarked[id] = true }

// markRead marks every message of the conversation read, wherever the module
// marks read (markConversationRead, clearing, the current conversation,
// deleting): the read time moves to the latest of itself, now and the newest
// message ever applied (even one that did not become lastMessage), and
// nothing stays unread. It returns the record as the call now has it.
func (t *txn) markRead(id string) *ConversationRecord {
	r := t.get(id)
	rt := readTimeMarked(r, t.now)
	if rt == r.ReadTime && r.UnreadCount == 0 {
		return r
	}
	e := t.edit(id)
	e.ReadTime, e.UnreadCount = rt, 0
	return e
}

// readTimeMarked is the read time marking r read at now gives it.
func readTimeMarked(r *ConversationRecord, now int64) int64 {
	return max(r.ReadTime, now, r.MaxMessageTime)
}

// writeTails writes the written records with their tails, forgotten what
// their read times let go and their oldest messages kept apart if they are
// many (Tail.spill), and what is kept apart changed.
func (t *txn) writeTails() error {
	ids := make([]string, len(t.written))
	for i, r := range t.written {
		ids[i] = r.ConversationID
	}
	if err := t.loadTails(ids); err != nil {
		return err
	}
	if err := t.forget(ids, func(i int) (int64, bool) { return t.written[i].ReadTime, true }); err != nil {
		return err
	}
	tails := make([]*Tail, len(ids))
	var puts []*MessageRecord
	var drops []MessageKey
	for i := range t.written {
		tl := t.tails[ids[i]]
		out := tl.spill(t.h.head)
		was := t.spillsRead[ids[i]]
		for _, m := range out {
			if was[m.MessageClientID] != m {
				puts = append(puts, m)
			}
		}
		if len(was) > 0 {
			still := make(map[string]bool, len(out))
			for _, m := range out {
				still[m.MessageClientID] = true
			}
			for mid := range was {
				if !still[mid] {
					drops = append(drops, MessageKey{ids[i], mid})
				}
			}
		}
		tails[i] = tl
	}
	if err := t.tx.PutConversations(t.written, tails); err != nil {
		return err
	}
	if len(drops) > 0 {
		if err := t.tx.DeleteSpilled(drops); err != nil {
			return err
		}
	}
	if len(puts) > 0 {
		return t.tx.PutSpilled(puts)
	}
	return nil
}

// loadTails reads the tails of the conversations that the call has not read
// yet, in one request. What the conversation's read time (as the call began)
// lets go is forgotten at once (Tail.prune), so that whatever the call does
// sees what every call would: forgetting never waits for a write. A tail
// whose messages kept apart that read time may reach is read whole first.
func (t *txn) loadTails(ids []string) error {
	var read []string
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := t.tails[id]; !ok && !seen[id] {
			seen[id] = true
			read = append(read, id)
		}
	}
	if len(read) == 0 {
		return nil
	}
	tails, err := t.tx.Tails(read)
	if err != nil {
		return err
	}
	if t.tails == nil {
		t.tails = make(map[string]*Tail, len(read))
	}
	for i, id := range read {
		t.tails[id] = tails[i]
	}
	return t.forget(read, func(i int) (int64, bool) {
		if b := t.base(read[i]); b != nil {
			return b.ReadTime, true
		}
		return 0, false
	})
}

// forget prunes the loaded tails of ids, each against its read time
// (readTime; false leaves it as it is), reading first, in one request, what
// they keep apart that the read time reaches (Tail.spillReached).
func (t *txn) forget(ids []string, readTime func(i int) (int64, bool)) error {
	var whole []string
	for i, id := range ids {
		if rt, ok := readTime(i); ok && t.tails[id].spillReached(rt) {
			whole = append(whole, id)
		}
	}
	if err := t.readSpilled(whole); err != nil {
		return err
	}
	for i, id := range ids {
		if rt, ok := readTime(i); ok {
			t.tails[id].prune(rt, t.h.keep)
		}
	}
	return nil
}

// readSpilled reads the messages the conversations keep apart into their
// tails (loaded already), in one request, and remembers what it read, so
// that write stores apart again only what changed.
func (t *txn) readSpilled(ids []string) error {
	var read []string
	for _, id := range ids {
		if len(t.tails[id].SpilledKeys) > 0 && t.spillsRead[id] == nil {
			read = append(read, id)
		}
	}
	if len(read) == 0 {
		return nil
	}
	lists, err := t.tx.Spilled(read)
	if err != nil {
		return err
	}
	if t.spillsRead == nil {
		t.spillsRead = map[string]map[string]*MessageRecord{}
	}
	for i, id := range read {
		was := make(map[string]*MessageRecord, len(lists[i]))
		for _, m := range lists[i] {
			was[m.MessageClientID] = m
		}
		t.spillsRead[id] = was
		tl := t.tails[id]
		all := append(lists[i], tl.Messages...)
		slices.SortFunc(all, func(a, b *MessageRecord) int { return a.Order().Compare(b.Order()) })
		tl.Messages, tl.SpilledKeys, tl.SpilledOldest = all, nil, 0
	}
	return nil
}

// tail is the conversation's whole tail as the call has it, what it keeps
// apart included.
func (t *txn) tail(id string) (*Tail, error) {
	if err := t.loadTails([]string{id}); err != nil {
		return nil, err
	}
	if err := t.readSpilled([]string{id}); err != nil {
		return nil, err
	}
	return t.tails[id], nil
}

// tailChanged has the conversation written with its tail, even if its
// record stays as it was (write; by then the call has staged a record for
// every conversation whose tail it changed, a tombstone at least).
func (t *txn) tailChanged(id string) {
	if t.tailsChanged == nil {
		t.tailsChanged = map[string]bool{}
	}
	t.tailsChanged[id] = true
}

// pinned is the number of pinned conversations as this call has it.
func (t *txn) pinned() int {
	n := t.h.cache.pinned
	for id, r := range t.staged {
		if b := t.base(id); b.live() && b.StickTop {
			n--
		}
		if r.live() && r.StickTop {
			n++
		}
	}
	return n
}

// write stamps and writes what changed, read marks too. Records that end as
// they began are dropped; updateTime moves only when something the app sees
// moved.
func (t *txn) write() error {
	for id := range t.tailsChanged {
		t.rewrite(id)
	}
	seq, err := t.tx.Seq()
	if err != nil {
		return err
	}
	newSeq := seq + 1
	for _, id := range t.order {
		r, b := t.staged[id], t.base(id)
		if b != nil && r.sameRecord(b) && !t.rewritten[id] {
			continue
		}
		if r.live() && b.live() && !r.sameContent(&b.Conversation) {
			r.UpdateTime = max(t.now, t.updateAt[id])
		}
		if t.readMarked[id] {
			r.ReadMarkSeq = newSeq
		}
		r.Seq = newSeq
		t.written = append(t.written, r)
	}
	if t.marks != nil && t.marks.equal(&t.h.cache.marks) {
		t.marks = nil
	}
	if len(t.written) == 0 && t.marks == nil {
		return nil
	}
	if len(t.written) > 0 {
		ids := make([]string, len(t.written))
		for i, r := range t.written {
			ids[i] = r.ConversationID
		}
		if err := t.writeTails(); err != nil {
			return err
		}
	}
	if t.marks != nil {
		for i := range t.marks {
			for j := range t.marks[i] {
				if t.marks[i][j].Seq == 0 {
					t.marks[i][j].Seq = newSeq
				}
			}
		}
		if err := t.tx.PutReadMarks(*t.marks); err != nil {
			return err
		}
	}
	if err := t.tx.SetSeq(newSeq); err != nil {
		return err
	}
	t.newSeq = newSeq
	return nil
}
