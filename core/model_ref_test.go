package core

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// refModel is a deliberately simple reference model of docs/api.md §2–§4, written
// from docs/api.md rather than from the Service: plain maps and slices, every
// message ever applied kept in a list per conversation (those docs/api.md
// "What is kept" lets go only marked forgotten), unread counted from
// scratch by docs/api.md §3's rule every time it is asked, list order by sorting
// everything. Obviously correct beats fast.
//
// The deliberate choices of core that the contract leaves open are modelled as such
// and marked "choice:".
type refModel struct {
	now int64
	// convs holds every conversation ever created; one that is not live was
	// deleted and keeps only its read time (choice: the tombstone's read time
	// is moved past its messages and a conversation that comes back inherits it).
	convs map[string]*refConv
	// msgs holds every message ever applied, per conversation, revoked and
	// deleted ones included: they stay known, so applying them again is a duplicate.
	msgs map[string][]*refMsg
	keys []MessageKey // every message key ever applied, in order
	tabs []*refTab
	// currentRule applies docs/api.md §3's "the conversation is not the current one"
	// literally. With several tabs each tab has its own current conversation
	// but they share the counts, so the model then counts by read time only:
	// a message applied through a tab moves the read time of that tab's
	// current conversation, and the other tabs catch up with followCurrent.
	currentRule bool
	// note, if set, counts interesting situations for the coverage check.
	note func(string)
	// updateAt is, per conversation, the updateTime the call gives it if it
	// changes it visibly and that is later than now (applyClearHistory).
	updateAt map[string]int64
	// keep is how many of its newest messages that may be last a
	// conversation keeps (Options.KeepNewest); floors is, per conversation,
	// the newest message it forgot (forget).
	keep   int
	floors map[string]*refMsg
	// forgottenNewest is, per conversation, the newest createTime of the
	// forgotten messages dropped from msgs (newestTime counts them).
	forgottenNewest map[string]int64
}

type refMsg struct {
	m Message // as first applied, then as applying it again updated it
	// newest is the newest createTime it had while its conversation was
	// live (choice: a send's outcome moves a deleted conversation's
	// newest message time no more than its list position).
	newest          int64
	revoked         bool
	revokeAccountID string
	revokeType      int
	postscript      string
	deleted         bool
	// forgotten: its conversation let it go (forget); applied again it is a
	// duplicate that changes nothing, and nothing falls back to it.
	forgotten bool
}

type refConv struct {
	live                   bool
	typ                    ConversationType
	name, avatar, ext      string
	mute, pinned           bool
	lastID                 string // messageClientId of lastMessage, "" for none
	sortTime               int64  // the contract's t
	createTime, updateTime int64
	readTime               int64
	// cleared: its history was cleared up to clearedTo (applyClearHistory);
	// kept across a delete and a come-back, as the read time is.
	cleared   bool
	clearedTo int64
}

// refTab is what each tab (Service) keeps for itself.
type refTab struct {
	current string
	filters []Filter
	cursors []refCursor // handed-out paging offsets, most recent first
}

type refCursor struct {
	option    string
	offset    float64
	sortOrder int64
	lastID    string
}

// refOpResult is an OperationResult reduced to what the model predicts.
type refOpResult struct {
	ConversationID string
	Code           int
}

// refResult is what the model predicts for one call.
type refResult struct {
	code  int
	value func() any // the call's result, evaluated once updateTime is stamped
	marks []ReadTimeUpdate
	extra []Event // events beyond those that follow from the state change
}

func refOK(v func() any) refResult { return refResult{value: v} }

var refBad = refResult{code: CodeInvalidParam}

func newRefModel(tabs int, currentRule bool) *refModel {
	m := &refModel{convs: map[string]*refConv{}, msgs: map[string][]*refMsg{}, currentRule: currentRule,
		keep: DefaultKeepNewest, floors: map[string]*refMsg{}, forgottenNewest: map[string]int64{}}
	for range tabs {
		m.tabs = append(m.tabs, &refTab{})
	}
	return m
}

func (m *refModel) noteIf(cond bool, what string) {
	if cond && m.note != nil {
		m.note(what)
	}
}

// clone is a deep copy, to run a call whose storage will fail.
func (m *refModel) clone() *refModel {
	c := &refModel{now: m.now, convs: map[string]*refConv{}, msgs: map[string][]*refMsg{},
		keys: slices.Clone(m.keys), currentRule: m.currentRule, keep: m.keep, floors: map[string]*refMsg{},
		forgottenNewest: maps.Clone(m.forgottenNewest)}
	for id, x := range m.floors {
		cx := *x
		c.floors[id] = &cx
	}
	for id, v := range m.convs {
		cv := *v
		c.convs[id] = &cv
	}
	for id, list := range m.msgs {
		for _, x := range list {
			cx := *x
			c.msgs[id] = append(c.msgs[id], &cx)
		}
	}
	for _, t := range m.tabs {
		c.tabs = append(c.tabs, &refTab{current: t.current, filters: slices.Clone(t.filters), cursors: slices.Clone(t.cursors)})
	}
	return c
}

// --- validation, from docs/api.md §1, §2 and §5 ---

func refValidID(id string) bool {
	parts := strings.SplitN(id, "|", 3)
	return len(parts) == 3 && parts[0] == me && len(parts[1]) == 1 &&
		parts[1] >= "1" && parts[1] <= "3" && parts[2] != ""
}

func refValidIDs(ids []string, maxLen int) bool {
	if len(ids) == 0 || len(ids) > maxLen {
		return false
	}
	for _, id := range ids {
		if !refValidID(id) {
			return false
		}
	}
	return true
}

func refTypeOf(id string) ConversationType { return ConversationType(id[len(me)+1] - '0') }
func refTargetOf(id string) string         { return id[len(me)+3:] }
func refValidTime(t int64) bool            { return t >= 0 && t < 1e15 }

func refValidTypes(types []ConversationType, required bool) bool {
	if required && len(types) == 0 {
		return false
	}
	for _, t := range types {
		if t < 1 || t > 3 {
			return false
		}
	}
	return true
}

// refTypeSet is the sorted set of types.
func refTypeSet(types []ConversationType) []ConversationType {
	var out []ConversationType
	for t := ConversationType(1); t <= 3; t++ {
		if slices.Contains(types, t) {
			out = append(out, t)
		}
	}
	return out
}

// refFilter validates a filter and returns it as its sorted type set.
func refFilter(f Filter) (Filter, bool) {
	if !refValidTypes(f.ConversationTypes, false) || (len(f.ConversationTypes) == 0 && !f.IgnoreMuted) {
		return f, false
	}
	return Filter{refTypeSet(f.ConversationTypes), f.IgnoreMuted}, true
}

func refSameFilter(a, b Filter) bool {
	return a.IgnoreMuted == b.IgnoreMuted && slices.Equal(a.ConversationTypes, b.ConversationTypes)
}

var refMessageTypes = []int{-1, 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 100}

func refValidMessage(x *Message) bool {
	if !refValidID(x.ConversationID) || x.MessageClientID == "" || x.SenderID == "" ||
		!refValidTime(x.CreateTime) || !refValidTime(x.ModifyTime) || !slices.Contains(refMessageTypes, x.MessageType) ||
		x.SendingState < 0 || x.SendingState > 3 {
		return false
	}
	if refTypeOf(x.ConversationID) == TypeP2P {
		peer := refTargetOf(x.ConversationID)
		mine := x.SenderID == me
		if !mine && x.SenderID != peer {
			return false // a P2P message is from me or from the peer
		}
		want := me // a P2P message to me is received by me
		if mine {
			want = peer
		}
		if x.ReceiverID != "" && x.ReceiverID != want {
			return false
		}
	}
	return true
}

func refValidRefer(k MessageKey) bool { return refValidID(k.ConversationID) && k.MessageClientID != "" }

// --- state read from scratch ---

func (m *refModel) live(id string) *refConv {
	if c := m.convs[id]; c != nil && c.live {
		return c
	}
	return nil
}

func (m *refModel) isCurrent(id string) bool {
	for _, t := range m.tabs {
		if t.current == id {
			return true
		}
	}
	return false
}

// refCounts is docs/api.md §3's rule for one message, the current conversation aside.
func refCounts(x *refMsg, readTime int64) bool {
	return !x.deleted && !x.revoked && x.m.SenderID != me && x.m.UnreadEnabled && x.m.CreateTime > readTime
}

func (m *refModel) unread(id string) int {
	c := m.live(id)
	if m.currentRule && m.isCurrent(id) {
		return 0
	}
	n := 0
	for _, x := range m.msgs[id] {
		if refCounts(x, c.readTime) {
			n++
		}
	}
	return n
}

// newestTime is the newest createTime of every message ever applied to id.
func (m *refModel) newestTime(id string) int64 {
	t := m.forgottenNewest[id]
	for _, x := range m.msgs[id] {
		t = max(t, x.newest)
	}
	return t
}

func (m *refModel) find(k MessageKey) *refMsg {
	for _, x := range m.msgs[k.ConversationID] {
		if x.m.MessageClientID == k.MessageClientID {
			return x
		}
	}
	return nil
}

// forget lets go what docs/api.md "What is kept" lets go: in each
// conversation, the newest message created at or before its read time that
// has keep messages which may be last after it, and every older one. A read
// time only moves forward, so what is forgotten stays forgotten; the model
// forgets before and after every call, the Service whenever it reads a tail,
// and both see the same.
func (m *refModel) forget() {
	for id, list := range m.msgs {
		c := m.convs[id]
		if c == nil {
			continue
		}
		kept := make([]*refMsg, 0, len(list))
		for _, x := range list {
			if !x.forgotten {
				kept = append(kept, x)
			}
		}
		sort.Slice(kept, func(i, j int) bool { return refAfter(kept[i], kept[j]) }) // newest first
		last := 0
		for i, x := range kept {
			if last >= m.keep && x.m.CreateTime <= c.readTime {
				for _, y := range kept[i:] {
					y.forgotten = true
				}
				f := *x
				m.floors[id] = &f
				m.noteIf(true, "messages forgotten")
				break
			}
			if !x.deleted && x.m.LastMessageUpdateEnabled {
				last++
			}
		}
	}
}

// forgets reports whether a message not kept in conversation id would be
// forgotten: at or before its floor.
func (m *refModel) forgets(id string, x *refMsg) bool {
	f := m.floors[id]
	return f != nil && !refAfter(x, f)
}

// refAfter orders messages by (createTime, messageClientId), ids by their
// UTF-16 code units as JavaScript and IndexedDB compare them.
func refAfter(a, b *refMsg) bool {
	if a.m.CreateTime != b.m.CreateTime {
		return a.m.CreateTime > b.m.CreateTime
	}
	return utf16Compare(a.m.MessageClientID, b.m.MessageClientID) > 0
}

func refLastMessage(x *refMsg) *LastMessage {
	id := x.m.ConversationID
	typ := refTypeOf(id)
	mine := x.m.SenderID == me
	receiver := x.m.ReceiverID
	if receiver == "" { // choice: the peer or me in P2P, the team otherwise
		receiver = refTargetOf(id)
		if typ == TypeP2P && !mine {
			receiver = me
		}
	}
	lm := &LastMessage{
		MessageRefer: MessageRefer{
			SenderID:         x.m.SenderID,
			ReceiverID:       receiver,
			MessageClientID:  x.m.MessageClientID,
			MessageServerID:  x.m.MessageServerID,
			ConversationType: typ,
			ConversationID:   id,
			CreateTime:       x.m.CreateTime,
		},
		MessageContent: x.m.MessageContent, // the content as applied
	}
	if mine {
		lm.SenderName = ""
	}
	if x.revoked { // docs/api.md: the postscript replaces the text, the content is gone
		lm.LastMessageState = LastMessageStateRevoked
		lm.RevokeAccountID, lm.RevokeType = x.revokeAccountID, x.revokeType
		lm.Text, lm.Attachment, lm.ServerExtension, lm.CallbackExtension = x.postscript, "", "", ""
	}
	return lm
}

// conv is the live conversation as every API returns it.
func (m *refModel) conv(id string) Conversation {
	c := m.live(id)
	out := Conversation{
		ConversationID: id,
		Type:           c.typ,
		Name:           c.name,
		Avatar:         c.avatar,
		Mute:           c.mute,
		StickTop:       c.pinned,
		LocalExtension: c.ext,
		UnreadCount:    m.unread(id),
		SortOrder:      c.sortTime,
		CreateTime:     c.createTime,
		UpdateTime:     c.updateTime,
	}
	if c.pinned {
		out.SortOrder += 1e15
	}
	if c.lastID != "" {
		x := m.find(MessageKey{id, c.lastID})
		if x == nil || x.deleted {
			panic("model: lastMessage " + c.lastID + " of " + id + " is not stored")
		}
		out.LastMessage = refLastMessage(x)
	}
	return out
}

func (m *refModel) snapshot() map[string]Conversation {
	out := map[string]Conversation{}
	for id, c := range m.convs {
		if c.live {
			out[id] = m.conv(id)
		}
	}
	return out
}

// sorted is every live conversation of the given types (all when none),
// only unread ones if onlyUnread, in list order: sortOrder descending, ties by
// conversationId ascending.
func (m *refModel) sorted(types []ConversationType, onlyUnread bool) []Conversation {
	var out []Conversation
	for id, c := range m.convs {
		if !c.live || (len(types) > 0 && !slices.Contains(types, c.typ)) {
			continue
		}
		cv := m.conv(id)
		if onlyUnread && cv.UnreadCount == 0 {
			continue
		}
		out = append(out, cv)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].SortOrder != out[j].SortOrder {
			return out[i].SortOrder > out[j].SortOrder
		}
		return utf16Compare(out[i].ConversationID, out[j].ConversationID) < 0
	})
	return out
}

func (m *refModel) total() int64 {
	var n int64
	for id, c := range m.convs {
		if c.live {
			n += int64(m.unread(id))
		}
	}
	return n
}

func (m *refModel) filterCount(f Filter) int64 {
	var n int64
	for id, c := range m.convs {
		if c.live && (len(f.ConversationTypes) == 0 || slices.Contains(f.ConversationTypes, c.typ)) &&
			!(f.IgnoreMuted && c.mute) {
			n += int64(m.unread(id))
		}
	}
	return n
}

func (m *refModel) pinnedCount() int {
	n := 0
	for _, c := range m.convs {
		if c.live && c.pinned {
			n++
		}
	}
	return n
}

// sameButUpdateTime reports whether two conversations look the same, updateTime aside.
func sameButUpdateTime(a, b Conversation) bool {
	a.UpdateTime, b.UpdateTime = 0, 0
	if (a.LastMessage == nil) != (b.LastMessage == nil) || (a.LastMessage != nil && *a.LastMessage != *b.LastMessage) {
		return false
	}
	a.LastMessage, b.LastMessage = nil, nil
	return a == b
}

// stamp sets updateTime to now on every conversation whose content the call
// changed (choice: updateTime moves whenever something the app sees moved;
// to the clear's time if a clear of history made it and that is later).
func (m *refModel) stamp(before map[string]Conversation) {
	for id, b := range before {
		if m.live(id) != nil && !sameButUpdateTime(b, m.conv(id)) {
			m.convs[id].updateTime = max(m.now, m.updateAt[id])
		}
	}
	m.updateAt = nil
}

// --- changes ---

// create makes a conversation; one that comes back inherits its read time.
func (m *refModel) create(id string, sortTime int64) *refConv {
	c := &refConv{live: true, typ: refTypeOf(id), sortTime: sortTime, createTime: m.now, updateTime: m.now}
	if old := m.convs[id]; old != nil {
		c.readTime, c.cleared, c.clearedTo = old.readTime, old.cleared, old.clearedTo
		m.noteIf(true, "conversation comes back")
	}
	m.convs[id] = c
	return c
}

// remove deletes a conversation: it is marked read first.
func (m *refModel) remove(id string, clearMessage bool) {
	m.noteIf(m.unread(id) > 0, "delete unread conversation")
	if clearMessage {
		for _, x := range m.msgs[id] {
			x.deleted = true
		}
	}
	c := m.convs[id]
	m.convs[id] = &refConv{typ: c.typ, readTime: m.readTimeMarked(id), cleared: c.cleared, clearedTo: c.clearedTo}
}

// readTimeMarked is the contract's read time of a conversation marked read: the
// latest of its read time, now and the createTime of its newest message.
func (m *refModel) readTimeMarked(id string) int64 {
	return max(m.convs[id].readTime, m.now, m.newestTime(id))
}

// clear marks every message of a conversation read.
func (m *refModel) clear(id string) {
	m.convs[id].readTime = m.readTimeMarked(id)
}

// followCurrent is what a tab does when it catches up and finds that its
// current conversation gained unread messages through another tab: it marks
// them read, as the current conversation takes no unread (docs/api.md §3; choice:
// the read time moves as a clear moves it). It reports whether it did.
func (m *refModel) followCurrent(tab int) bool {
	id := m.tabs[tab].current
	if m.live(id) == nil || m.unread(id) == 0 {
		return false
	}
	before := m.snapshot()
	m.clear(id)
	m.stamp(before)
	m.noteIf(true, "tab follows its current conversation")
	return true
}

// --- the API ---

func (m *refModel) createConversation(id string) refResult {
	if !refValidID(id) {
		return refBad
	}
	if m.live(id) == nil {
		m.create(id, m.now)
	}
	return refOK(func() any { return m.conv(id) })
}

func (m *refModel) updateLocalExtension(id, ext string) refResult {
	if !refValidID(id) || len(ext) > 64<<10 || m.live(id) == nil {
		return refBad
	}
	m.convs[id].ext = ext
	return refOK(nil)
}

func (m *refModel) deleteConversation(id string, clearMessage bool) refResult {
	if !refValidID(id) || m.live(id) == nil {
		return refBad
	}
	m.remove(id, clearMessage)
	return refOK(nil)
}

func (m *refModel) deleteConversationListByIds(ids []string, clearMessage bool) refResult {
	if !refValidIDs(ids, 100) {
		m.noteIf(len(ids) > 100, "delete limit")
		return refBad
	}
	existed := map[string]bool{}
	for _, id := range ids {
		existed[id] = m.live(id) != nil
	}
	var res []refOpResult
	for _, id := range ids {
		if !existed[id] {
			res = append(res, refOpResult{id, CodeInvalidParam})
			continue
		}
		if m.live(id) != nil {
			m.remove(id, clearMessage)
		}
		res = append(res, refOpResult{id, 0})
	}
	return refOK(func() any { return res })
}

func (m *refModel) stickTop(id string, pin bool) refResult {
	if !refValidID(id) || m.live(id) == nil {
		return refBad
	}
	c := m.convs[id]
	if c.pinned == pin {
		return refOK(nil)
	}
	if pin && m.pinnedCount() >= 100 {
		m.noteIf(true, "pin limit")
		return refBad
	}
	c.pinned, c.sortTime = pin, m.now
	return refOK(nil)
}

func (m *refModel) getConversation(id string) refResult {
	if !refValidID(id) || m.live(id) == nil {
		return refBad
	}
	return refOK(func() any { return m.conv(id) })
}

func (m *refModel) getConversationListByIds(ids []string) refResult {
	if !refValidIDs(ids, MaxListLength) {
		return refBad
	}
	var out []Conversation
	seen := map[string]bool{}
	for _, id := range ids {
		if m.live(id) != nil && !seen[id] { // choice: each conversation once
			seen[id] = true
			out = append(out, m.conv(id))
		}
	}
	return refOK(func() any { return out })
}

func (m *refModel) getStickTopConversationList() refResult {
	var out []Conversation
	for _, c := range m.sorted(nil, false) {
		if c.StickTop {
			out = append(out, c)
		}
	}
	return refOK(func() any { return out })
}

func (m *refModel) getTotalUnreadCount() refResult {
	n := m.total()
	return refOK(func() any { return n })
}

func (m *refModel) getUnreadCountByIds(ids []string) refResult {
	if !refValidIDs(ids, MaxListLength) {
		return refBad
	}
	var n int64
	seen := map[string]bool{}
	for _, id := range ids {
		if m.live(id) != nil && !seen[id] { // choice: each conversation once
			seen[id] = true
			n += int64(m.unread(id))
		}
	}
	return refOK(func() any { return n })
}

func (m *refModel) getUnreadCountByFilter(f Filter) refResult {
	f, ok := refFilter(f)
	if !ok {
		return refBad
	}
	n := m.filterCount(f)
	return refOK(func() any { return n })
}

// clearUnreadCountByTypes clears the conversations of the types (all when
// nil) that have unread messages.
func (m *refModel) clearUnreadCountByTypes(types []ConversationType, required bool) refResult {
	if !refValidTypes(types, required) {
		return refBad
	}
	for id, c := range m.convs {
		if c.live && (len(types) == 0 || slices.Contains(types, c.typ)) {
			m.clear(id)
		}
	}
	return refOK(nil)
}

func (m *refModel) clearUnreadCountByIds(ids []string) refResult {
	if !refValidIDs(ids, 10) {
		m.noteIf(len(ids) > 10, "clear limit")
		return refBad
	}
	var res []refOpResult
	for _, id := range ids {
		if m.live(id) == nil {
			res = append(res, refOpResult{id, CodeInvalidParam})
			continue
		}
		m.clear(id)
		res = append(res, refOpResult{id, 0})
	}
	return refOK(func() any { return res })
}

func (m *refModel) subscribe(tab int, f Filter) refResult {
	f, ok := refFilter(f)
	if !ok {
		return refBad
	}
	t := m.tabs[tab]
	for _, g := range t.filters {
		if refSameFilter(f, g) {
			m.noteIf(true, "subscribe again")
			return refOK(nil)
		}
	}
	t.filters = append(t.filters, f)
	return refResult{extra: []Event{{EventUnreadCountChangedByFilter, FilterCount{f, m.filterCount(f)}}}}
}

func (m *refModel) unsubscribe(tab int, f Filter) refResult {
	f, ok := refFilter(f)
	if !ok {
		return refBad
	}
	t := m.tabs[tab]
	t.filters = slices.DeleteFunc(t.filters, func(g Filter) bool { return refSameFilter(f, g) })
	return refOK(nil)
}

func (m *refModel) markConversationRead(id string) refResult {
	if !refValidID(id) || m.live(id) == nil {
		return refBad
	}
	c := m.convs[id]
	target := m.readTimeMarked(id)
	var res refResult
	if target > c.readTime {
		c.readTime = target
		res.marks = []ReadTimeUpdate{{id, target}}
		m.noteIf(true, "markRead moved")
	}
	m.noteIf(c.lastID != "" && m.newestTime(id) > m.find(MessageKey{id, c.lastID}).m.CreateTime, "markRead past lastMessage")
	rt := c.readTime
	res.value = func() any { return rt }
	return res
}

func (m *refModel) getConversationReadTime(id string) refResult {
	if !refValidID(id) || m.live(id) == nil {
		return refBad
	}
	rt := m.convs[id].readTime
	return refOK(func() any { return rt })
}

func (m *refModel) applyMessages(tab int, msgs []Message) refResult {
	if len(msgs) == 0 {
		return refBad
	}
	for i := range msgs {
		if !refValidMessage(&msgs[i]) {
			m.noteIf(true, "invalid message")
			return refBad
		}
	}
	var res ApplyResult
	// The conversations deleted when the call began, and the read times
	// their deletions marked.
	deletedAt := map[string]int64{}
	for id, c := range m.convs {
		if !c.live {
			deletedAt[id] = c.readTime
		}
	}
	for _, msg := range msgs {
		id := msg.ConversationID
		k := MessageKey{id, msg.MessageClientID}
		cleared := false
		if c := m.convs[id]; c != nil && c.cleared && msg.CreateTime <= c.clearedTo {
			cleared = true
		}
		if x := m.find(k); x != nil && !(x.forgotten && !cleared && !m.forgets(id, &refMsg{m: msg})) {
			res.Duplicates++
			if !cleared && !x.forgotten {
				m.update(x, msg)
			}
			m.noteIf(x.forgotten, "forgotten message applied again")
			continue
		} else if x != nil {
			// docs/api.md "What is kept": a forgotten message is known by its
			// time only; one of its id after what is kept is a new message.
			m.noteIf(true, "forgotten id comes with a later time")
			m.forgottenNewest[id] = max(m.forgottenNewest[id], x.newest)
			m.msgs[id] = slices.DeleteFunc(m.msgs[id], func(y *refMsg) bool { return y == x })
		}
		if cleared {
			// docs/api.md "Clear history": gone with the history, a duplicate.
			m.noteIf(true, "message at or before a clear")
			res.Duplicates++
			continue
		}
		x := &refMsg{m: msg, newest: msg.CreateTime}
		if m.forgets(id, x) {
			// docs/api.md "What is kept": it can neither count nor show.
			m.noteIf(true, "message older than what is kept")
			res.Duplicates++
			continue
		}
		res.Applied++
		m.msgs[id] = append(m.msgs[id], x)
		m.keys = append(m.keys, k)
		if rt, ok := deletedAt[id]; ok && msg.CreateTime <= rt {
			// docs/api.md: a deleted conversation stays deleted when a
			// message not newer than its deletion comes (again); stored,
			// known, and no candidate for lastMessage if a newer one brings
			// the conversation back.
			m.noteIf(true, "old message leaves a conversation deleted")
			continue
		}
		c := m.live(id)
		if c == nil {
			c = m.create(id, msg.CreateTime) // docs/api.md: starts with the message's createTime
		}
		if m.tabs[tab].current == id {
			m.noteIf(msg.CreateTime > c.readTime, "message in current conversation")
			c.readTime = max(c.readTime, msg.CreateTime) // its read time follows new messages
		}
		if msg.LastMessageUpdateEnabled && (c.lastID == "" || refAfter(x, m.find(MessageKey{id, c.lastID}))) {
			c.lastID = msg.MessageClientID
			c.sortTime = msg.CreateTime
		}
	}
	m.noteIf(res.Duplicates > 0, "duplicate messages")
	return refOK(func() any { return res })
}

// update applies a known message again (docs/api.md, applyMessages): the
// outcome of my send, and a modification, update the stored message unless
// it was deleted or revoked.
func (m *refModel) update(x *refMsg, v Message) {
	if x.deleted || x.revoked {
		return
	}
	before := x.m
	if x.m.SenderID == me && v.SenderID == me && (x.m.SendingState == 3 || x.m.SendingState == 2) &&
		(v.SendingState == 1 || v.SendingState == 2 || v.SendingState == 3) && v.SendingState != x.m.SendingState {
		x.m.SendingState = v.SendingState
		if v.SendingState == 1 { // succeeded: the server's createTime and id
			x.m.CreateTime = v.CreateTime
			if v.MessageServerID != "" {
				x.m.MessageServerID = v.MessageServerID
			}
		}
		m.noteIf(true, "send outcome")
	}
	if v.ModifyTime > x.m.ModifyTime {
		x.m.ModifyTime = v.ModifyTime
		x.m.Text, x.m.Attachment, x.m.SubType = v.Text, v.Attachment, v.SubType
		x.m.ServerExtension, x.m.CallbackExtension = v.ServerExtension, v.CallbackExtension
		m.noteIf(true, "message modified")
	}
	c := m.live(x.m.ConversationID)
	if c == nil || x.m == before {
		return
	}
	x.newest = max(x.newest, x.m.CreateTime)
	// lastMessage shows it (refLastMessage reads x); the list moves up to a
	// later createTime as for a new last message, never for a modification.
	if c.lastID == x.m.MessageClientID && x.m.CreateTime > c.sortTime {
		c.sortTime = x.m.CreateTime
		m.noteIf(true, "send outcome moves the conversation")
	}
}

func (m *refModel) revokeMessage(k MessageKey, info RevokeInfo) refResult {
	if !refValidRefer(k) || m.live(k.ConversationID) == nil {
		return refBad
	}
	x := m.find(k)
	if (x == nil || x.forgotten) && m.floors[k.ConversationID] != nil {
		// docs/api.md "What is kept": maybe a message the conversation
		// forgot; accepted, it changes nothing.
		m.noteIf(true, "revoke of a message not kept")
		return refOK(nil)
	}
	if x == nil || x.deleted {
		return refBad
	}
	m.noteIf(m.convs[k.ConversationID].lastID == k.MessageClientID, "revoke last message")
	x.revoked, x.revokeAccountID, x.revokeType, x.postscript = true, info.RevokeAccountID, info.RevokeType, info.Postscript
	return refOK(nil)
}

func (m *refModel) deleteMessages(keys []MessageKey) refResult {
	if len(keys) == 0 {
		return refBad
	}
	for _, k := range keys {
		if !refValidRefer(k) {
			return refBad
		}
	}
	var lost []string // live conversations whose last message goes
	for _, k := range keys {
		x := m.find(k)
		if x == nil || x.deleted || x.forgotten {
			m.noteIf(x != nil && x.forgotten, "delete of a forgotten message")
			continue // not kept: skipped
		}
		x.deleted = true
		if c := m.live(k.ConversationID); c != nil && c.lastID == k.MessageClientID {
			lost = append(lost, k.ConversationID)
		}
	}
	for _, id := range lost {
		// Falls back to the newest remaining stored message (choice: one that
		// may be last; sortOrder stays, as a fallback is no new last message).
		c := m.convs[id]
		var best *refMsg
		for _, x := range m.msgs[id] {
			if !x.deleted && !x.forgotten && x.m.LastMessageUpdateEnabled && (best == nil || refAfter(x, best)) {
				best = x
			}
		}
		c.lastID = ""
		if best != nil {
			c.lastID = best.m.MessageClientID
		}
		m.noteIf(best == nil, "last message falls back to null")
		m.noteIf(best == nil && m.floors[id] != nil, "fallback past what is kept")
		m.noteIf(best != nil, "last message falls back")
	}
	return refOK(nil)
}

func (m *refModel) updateConversationInfo(id string, info ConversationInfo) refResult {
	if !refValidID(id) || m.live(id) == nil {
		return refBad
	}
	c := m.convs[id]
	if info.Name != nil {
		c.name = *info.Name
	}
	if info.Avatar != nil {
		c.avatar = *info.Avatar
	}
	if info.Mute != nil {
		c.mute = *info.Mute
	}
	return refOK(nil)
}

func (m *refModel) setCurrentConversation(tab int, id string) refResult {
	if id != "" && !refValidID(id) {
		return refBad
	}
	if m.live(id) != nil {
		m.clear(id)
	}
	m.tabs[tab].current = id
	return refOK(nil)
}

func (m *refModel) applyReadTime(id string, readTime int64) refResult {
	if !refValidID(id) || !refValidTime(readTime) || m.live(id) == nil {
		return refBad
	}
	c := m.convs[id]
	if readTime <= c.readTime {
		return refOK(nil) // a read time only moves forward
	}
	c.readTime = readTime
	return refResult{marks: []ReadTimeUpdate{{id, readTime}}}
}

// applyReadTimes is applyReadTime for each entry whose conversation exists,
// in one call: one event per conversation whose read time moved, with its
// last read time.
func (m *refModel) applyReadTimes(entries []ConversationReadTime) refResult {
	if len(entries) == 0 || len(entries) > MaxListLength {
		return refBad
	}
	for _, e := range entries {
		if !refValidID(e.ConversationID) || !refValidTime(e.ReadTime) {
			return refBad
		}
	}
	var out refResult
	at := map[string]int{}
	for _, e := range entries {
		if m.live(e.ConversationID) == nil {
			continue
		}
		for _, mk := range m.applyReadTime(e.ConversationID, e.ReadTime).marks {
			if i, ok := at[mk.ConversationID]; ok {
				out.marks[i] = mk
			} else {
				at[mk.ConversationID] = len(out.marks)
				out.marks = append(out.marks, mk)
			}
		}
	}
	return out
}

// applyClearHistory clears a conversation's history up to deleteTime
// (docs/api.md "Clear history").
func (m *refModel) applyClearHistory(id string, deleteTime int64) refResult {
	if !refValidID(id) || !refValidTime(deleteTime) {
		return refBad
	}
	for _, x := range m.msgs[id] {
		if x.m.CreateTime <= deleteTime {
			x.deleted = true
		}
	}
	c := m.convs[id]
	if c == nil {
		// choice: a conversation never seen keeps its clear as a deleted one
		// keeps its read time.
		c = &refConv{typ: refTypeOf(id)}
		m.convs[id] = c
		m.noteIf(true, "clear history of an unknown conversation")
	} else {
		m.noteIf(!c.live, "clear history of a deleted conversation")
	}
	if !c.cleared || deleteTime > c.clearedTo {
		c.cleared, c.clearedTo = true, deleteTime
	}
	if !c.live {
		c.readTime = max(c.readTime, deleteTime)
		return refOK(nil)
	}
	var res refResult
	if deleteTime > c.readTime {
		c.readTime = deleteTime
		res.marks = []ReadTimeUpdate{{id, deleteTime}}
	}
	if c.lastID != "" && m.find(MessageKey{id, c.lastID}).m.CreateTime <= deleteTime {
		c.lastID = "" // not replaced by an older message
		m.noteIf(true, "clear history drops lastMessage")
	}
	if c.sortTime < deleteTime {
		c.sortTime = deleteTime
		m.noteIf(c.pinned, "clear history moves a pinned conversation")
	}
	if m.updateAt == nil {
		m.updateAt = map[string]int64{}
	}
	m.updateAt[id] = deleteTime
	return res
}

// --- paging ---

func refOptionKey(types []ConversationType, onlyUnread bool) string {
	var b strings.Builder
	for _, t := range types {
		b.WriteString(strconv.Itoa(int(t)))
	}
	if onlyUnread {
		b.WriteString("u")
	}
	return b.String()
}

// page is getConversationList (opt nil) and getConversationListByOption. The
// tab remembers, per option, the position each offset it handed out stands
// for: after the last item of that page (the most recent cursorMemorySize of
// them). Offset 0 is always the top. choice: an offset is the position's
// sortOrder, or the next representable number above it not held by another
// remembered position of the option (above 0 when the sortOrder is 0).
func (m *refModel) page(tab int, offset float64, limit int, opt *Option) refResult {
	var types []ConversationType
	onlyUnread := false
	if opt != nil {
		if !refValidTypes(opt.ConversationTypes, false) {
			return refBad
		}
		types, onlyUnread = refTypeSet(opt.ConversationTypes), opt.OnlyUnread
	}
	if math.IsNaN(offset) || math.IsInf(offset, 0) || offset < 0 {
		return refBad
	}
	return m.pageIn(m.sorted(types, onlyUnread), tab, offset, limit, refOptionKey(types, onlyUnread))
}

// pageIn pages through all, the conversations matching the option whose key is given, in list order.
func (m *refModel) pageIn(all []Conversation, tab int, offset float64, limit int, key string) refResult {
	if limit <= 0 {
		limit = 100
	}
	t := m.tabs[tab]
	rest := all
	remembered := -1
	if offset > 0 {
		remembered = slices.IndexFunc(t.cursors, func(c refCursor) bool { return c.option == key && c.offset == offset })
	}
	switch {
	case remembered >= 0:
		at := t.cursors[remembered]
		rest = nil
		for _, c := range all {
			if c.SortOrder < at.sortOrder || (c.SortOrder == at.sortOrder && utf16Compare(c.ConversationID, at.lastID) > 0) {
				rest = append(rest, c)
			}
		}
	case offset > 0:
		rest = nil
		for _, c := range all {
			if float64(c.SortOrder) < offset {
				rest = append(rest, c)
			}
		}
	}
	var res ConversationResult
	if len(rest) > limit {
		last := rest[limit-1]
		res.ConversationList, res.Offset = rest[:limit], t.hand(key, last.SortOrder, last.ConversationID)
		m.noteIf(rest[limit].SortOrder == last.SortOrder, "page splits a tie")
		m.noteIf(res.Offset != float64(last.SortOrder), "offset above its sortOrder")
	} else {
		res.ConversationList, res.Finished = rest, true
	}
	return refOK(func() any { return res })
}

// hand returns the offset for a position, remembering it.
func (t *refTab) hand(option string, sortOrder int64, lastID string) float64 {
	if i := slices.IndexFunc(t.cursors, func(c refCursor) bool {
		return c.option == option && c.sortOrder == sortOrder && c.lastID == lastID
	}); i >= 0 {
		c := t.cursors[i]
		t.cursors = append([]refCursor{c}, slices.Delete(t.cursors, i, i+1)...)
		return c.offset
	}
	base := float64(sortOrder)
	off := base
	if off == 0 {
		off = math.SmallestNonzeroFloat64
	}
	taken := func(o float64) int {
		return slices.IndexFunc(t.cursors, func(c refCursor) bool { return c.option == option && c.offset == o })
	}
	for taken(off) >= 0 {
		if next := math.Nextafter(off, math.Inf(1)); next < base+1 {
			off = next
			continue
		}
		// All taken: the least recent of them goes.
		for i := len(t.cursors) - 1; i >= 0; i-- {
			if c := t.cursors[i]; c.option == option && c.offset >= base && c.offset < base+1 {
				off = c.offset
				t.cursors = slices.Delete(t.cursors, i, i+1)
				break
			}
		}
		break
	}
	t.cursors = append([]refCursor{{option, off, sortOrder, lastID}}, t.cursors...)
	if len(t.cursors) > cursorMemorySize {
		t.cursors = t.cursors[:cursorMemorySize]
	}
	return off
}
