package core

import (
	"context"
	"fmt"
)

// CreateConversation creates an empty conversation; an existing one is
// returned as it is and nothing is emitted.
func (s *Service) CreateConversation(ctx context.Context, id string) (Conversation, error) {
	cid, err := s.checkID("conversationId", id)
	if err != nil {
		return Conversation{}, err
	}
	var r *ConversationRecord
	err = s.update(ctx, func(t *txn) error {
		if r = t.live(id); r != nil {
			return nil
		}
		r = t.create(id, cid.Type, t.now)
		return nil
	})
	if err != nil {
		return Conversation{}, err
	}
	return r.Conversation, nil
}

// UpdateConversationLocalExtension sets the app's free text of a conversation.
func (s *Service) UpdateConversationLocalExtension(ctx context.Context, id, ext string) error {
	if _, err := s.checkID("conversationId", id); err != nil {
		return err
	}
	if len(ext) > MaxLocalExtensionBytes {
		return invalid("localExtension is %d bytes, at most %d (64 KiB) are allowed", len(ext), MaxLocalExtensionBytes)
	}
	return s.update(ctx, func(t *txn) error {
		r, err := t.mustLive("conversationId", id)
		if err != nil || r.LocalExtension == ext {
			return err
		}
		t.edit(id).LocalExtension = ext
		return nil
	})
}

// DeleteConversation deletes a conversation, and its stored messages if clearMessage.
func (s *Service) DeleteConversation(ctx context.Context, id string, clearMessage bool) error {
	if _, err := s.checkID("conversationId", id); err != nil {
		return err
	}
	return s.update(ctx, func(t *txn) error {
		if _, err := t.mustLive("conversationId", id); err != nil {
			return err
		}
		return t.deleteConversation(id, clearMessage)
	})
}

// DeleteConversationListByIds deletes up to 100 conversations; each id gets
// its own result, a missing one a 191004 error.
func (s *Service) DeleteConversationListByIds(ctx context.Context, ids []string, clearMessage bool) ([]OperationResult, error) {
	if err := s.checkIDs("conversationIds", ids, MaxDeleteIDs); err != nil {
		return nil, err
	}
	var results []OperationResult
	err := s.update(ctx, func(t *txn) error {
		results = results[:0]
		for _, id := range ids {
			if t.get(id).live() {
				if err := t.deleteConversation(id, clearMessage); err != nil {
					return err
				}
			} else if !t.staged[id].deletedHere(t.base(id)) {
				_, err := t.mustLive("conversationIds", id)
				results = append(results, OperationResult{id, err.(*Error)})
				continue
			}
			results = append(results, OperationResult{ConversationID: id})
		}
		return nil
	})
	return results, err
}

// deletedHere reports whether r, staged by this call, deleted the live base.
func (r *ConversationRecord) deletedHere(base *ConversationRecord) bool {
	return r != nil && !r.live() && base.live()
}

func (t *txn) deleteConversation(id string, clearMessage bool) error {
	if clearMessage {
		if err := t.deleteKept(id, func(*MessageRecord) bool { return true }); err != nil {
			return err
		}
	}
	t.remove(id)
	return nil
}

// deleteKept marks the conversation's kept messages that gone selects
// deleted; they stay known for dedup.
func (t *txn) deleteKept(id string, gone func(*MessageRecord) bool) error {
	tl, err := t.tail(id)
	if err != nil {
		return err
	}
	for i, m := range tl.Messages {
		if !m.Deleted && gone(m) {
			tl.Messages[i] = m.deleted() // same place: same order
			t.tailChanged(id)
		}
	}
	return nil
}

// StickTopConversation pins or unpins a conversation; at most 100 are pinned.
func (s *Service) StickTopConversation(ctx context.Context, id string, stickTop bool) error {
	if _, err := s.checkID("conversationId", id); err != nil {
		return err
	}
	return s.update(ctx, func(t *txn) error {
		r, err := t.mustLive("conversationId", id)
		if err != nil || r.StickTop == stickTop {
			return err
		}
		if stickTop && t.pinned() >= MaxPinned {
			return invalid("stickTop: %d conversations are pinned already, which is the limit (%d); unpin one first", MaxPinned, MaxPinned)
		}
		e := t.edit(id)
		e.StickTop = stickTop
		e.setSortTime(t.now)
		return nil
	})
}

// GetConversation returns one conversation.
func (s *Service) GetConversation(id string) (Conversation, error) {
	if _, err := s.checkID("conversationId", id); err != nil {
		return Conversation{}, err
	}
	var out Conversation
	err := s.read(func(c *cache) error {
		r := c.convs[id]
		if r == nil {
			return noSuchConversation("conversationId", id)
		}
		out = r.Conversation
		return nil
	})
	return out, err
}

// GetConversationList returns a page of all conversations.
func (s *Service) GetConversationList(offset float64, limit int) (ConversationResult, error) {
	return s.listPage(offset, limit, Option{})
}

// GetConversationListByOption returns a page of the conversations matching opt.
func (s *Service) GetConversationListByOption(offset float64, limit int, opt Option) (ConversationResult, error) {
	return s.listPage(offset, limit, opt)
}

// GetConversationListByIds returns the existing conversations among ids, in
// the order of ids (each once).
func (s *Service) GetConversationListByIds(ids []string) ([]Conversation, error) {
	if err := s.checkIDs("conversationIds", ids, MaxListLength); err != nil {
		return nil, err
	}
	out := []Conversation{}
	err := s.read(func(c *cache) error {
		seen := map[string]bool{}
		for _, id := range ids {
			if r := c.convs[id]; r != nil && !seen[id] {
				seen[id] = true
				out = append(out, r.Conversation)
			}
		}
		return nil
	})
	return out, err
}

// GetStickTopConversationList returns the pinned conversations, sortOrder descending.
func (s *Service) GetStickTopConversationList() ([]Conversation, error) {
	var out []Conversation
	err := s.read(func(c *cache) error {
		out = publicList(c.pinnedList())
		return nil
	})
	return out, err
}

// UpdateConversationInfo sets display info and mute from the host's user and team data.
func (s *Service) UpdateConversationInfo(ctx context.Context, id string, info ConversationInfo) error {
	if _, err := s.checkID("conversationId", id); err != nil {
		return err
	}
	return s.update(ctx, func(t *txn) error {
		if _, err := t.mustLive("conversationId", id); err != nil {
			return err
		}
		e := t.edit(id)
		if info.Name != nil {
			e.Name = *info.Name
		}
		if info.Avatar != nil {
			e.Avatar = *info.Avatar
		}
		if info.Mute != nil {
			e.Mute = *info.Mute
		}
		return nil
	})
}

func (s *Service) String() string { return fmt.Sprintf("localconv.Service(%s)", s.h.account) }
