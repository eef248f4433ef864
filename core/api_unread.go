package core

import "context"

// GetTotalUnreadCount returns the unread count over all conversations.
func (s *Service) GetTotalUnreadCount() (int64, error) {
	var n int64
	err := s.read(func(c *cache) error {
		n = c.total()
		return nil
	})
	return n, err
}

// GetUnreadCountByIds returns the unread count summed over the existing
// conversations among ids (each counted once).
func (s *Service) GetUnreadCountByIds(ids []string) (int64, error) {
	if err := s.checkIDs("conversationIds", ids, MaxListLength); err != nil {
		return 0, err
	}
	var n int64
	err := s.read(func(c *cache) error {
		seen := map[string]bool{}
		for _, id := range ids {
			if r := c.convs[id]; r != nil && !seen[id] {
				seen[id] = true
				n += int64(r.UnreadCount)
			}
		}
		return nil
	})
	return n, err
}

// GetUnreadCountByFilter returns the unread count over the conversations f matches.
func (s *Service) GetUnreadCountByFilter(f Filter) (int64, error) {
	f, err := checkFilter(f)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.read(func(c *cache) error {
		n = c.filterCount(f)
		return nil
	})
	return n, err
}

// ClearTotalUnreadCount marks every conversation read (see txn.clearType).
func (s *Service) ClearTotalUnreadCount(ctx context.Context) error {
	return s.clearUnreadByTypes(ctx, nil)
}

// ClearUnreadCountByTypes marks every conversation of the given types read.
func (s *Service) ClearUnreadCountByTypes(ctx context.Context, types []ConversationType) error {
	if err := checkTypes("conversationTypes", types, true); err != nil {
		return err
	}
	return s.clearUnreadByTypes(ctx, normalizeTypes(types))
}

func (s *Service) clearUnreadByTypes(ctx context.Context, types []ConversationType) error {
	return s.update(ctx, func(t *txn) error {
		for ty := TypeP2P; ty <= TypeSuperTeam; ty++ {
			if typeSelected(types, ty) {
				t.clearType(ty)
			}
		}
		return nil
	})
}

// ClearUnreadCountByIds clears up to 10 conversations; each id gets its own
// result, a missing one a 191004 error.
func (s *Service) ClearUnreadCountByIds(ctx context.Context, ids []string) ([]OperationResult, error) {
	if err := s.checkIDs("conversationIds", ids, MaxClearIDs); err != nil {
		return nil, err
	}
	var results []OperationResult
	err := s.update(ctx, func(t *txn) error {
		results = results[:0]
		for _, id := range ids {
			if _, err := t.mustLive("conversationIds", id); err != nil {
				results = append(results, OperationResult{id, err.(*Error)})
				continue
			}
			t.markRead(id)
			results = append(results, OperationResult{ConversationID: id})
		}
		return nil
	})
	return results, err
}

// SubscribeUnreadCountByFilter subscribes to a filter's unread count and emits
// it at once; subscribing to the same filter again has no further effect.
func (s *Service) SubscribeUnreadCountByFilter(f Filter) error {
	f, err := checkFilter(f)
	if err != nil {
		return err
	}
	// Under writeMu, so the count cannot be overtaken by a call's events.
	s.h.writeMu.Lock()
	defer s.h.writeMu.Unlock()
	var events []Event
	err = s.readWrite(func(c *cache) error {
		for _, g := range s.filters {
			if sameFilter(f, g) {
				return nil
			}
		}
		s.filters = append(s.filters, f)
		events = []Event{{EventUnreadCountChangedByFilter, FilterCount{f, c.filterCount(f)}}}
		return nil
	})
	s.emitOwn(events)
	return err
}

// UnsubscribeUnreadCountByFilter ends a subscription; an unknown filter is no error.
func (s *Service) UnsubscribeUnreadCountByFilter(f Filter) error {
	f, err := checkFilter(f)
	if err != nil {
		return err
	}
	s.h.writeMu.Lock()
	defer s.h.writeMu.Unlock()
	return s.readWrite(func(c *cache) error {
		for i, g := range s.filters {
			if sameFilter(f, g) {
				s.filters = append(s.filters[:i:i], s.filters[i+1:]...)
				break
			}
		}
		return nil
	})
}

// recount sets the conversation's unread count from its kept messages (docs/api.md §3).
func (t *txn) recount(e *ConversationRecord) error {
	tl, err := t.tail(e.ConversationID)
	if err != nil {
		return err
	}
	n := 0
	for _, m := range tl.Messages {
		if m.countsAsUnread(e.ReadTime) {
			n++
		}
	}
	e.UnreadCount = n
	return nil
}

// moveReadTime moves the read time forward to rt and recounts; marked says
// whether other tabs hear of it as conversationReadTimeUpdated.
func (t *txn) moveReadTime(id string, rt int64, marked bool) error {
	if rt <= t.get(id).ReadTime {
		return nil
	}
	e := t.edit(id)
	e.ReadTime = rt
	if marked {
		t.noteReadMark(id)
	}
	if e.UnreadCount == 0 {
		// A later read time only takes messages out of the count: none to
		// take, no messages to read (a login sync moves thousands so).
		return nil
	}
	return t.recount(e)
}

// MarkConversationRead marks the conversation read (see txn.markRead) and
// returns its read time.
func (s *Service) MarkConversationRead(ctx context.Context, id string) (int64, error) {
	if _, err := s.checkID("conversationId", id); err != nil {
		return 0, err
	}
	var rt int64
	err := s.update(ctx, func(t *txn) error {
		r, err := t.mustLive("conversationId", id)
		if err != nil {
			return err
		}
		before := r.ReadTime
		if r = t.markRead(id); r.ReadTime != before {
			t.noteReadMark(id)
		}
		rt = r.ReadTime
		return nil
	})
	return rt, err
}

// GetConversationReadTime returns the read time, 0 when never marked.
func (s *Service) GetConversationReadTime(id string) (int64, error) {
	if _, err := s.checkID("conversationId", id); err != nil {
		return 0, err
	}
	var rt int64
	err := s.read(func(c *cache) error {
		r := c.convs[id]
		if r == nil {
			return noSuchConversation("conversationId", id)
		}
		rt = r.ReadTime
		return nil
	})
	return rt, err
}

// ApplyReadTime takes a read time from the server or another device; an older
// one changes nothing.
func (s *Service) ApplyReadTime(ctx context.Context, id string, readTime int64) error {
	if _, err := s.checkID("conversationId", id); err != nil {
		return err
	}
	if err := checkTime("readTime", readTime); err != nil {
		return err
	}
	return s.update(ctx, func(t *txn) error {
		if _, err := t.mustLive("conversationId", id); err != nil {
			return err
		}
		return t.moveReadTime(id, readTime, true)
	})
}
