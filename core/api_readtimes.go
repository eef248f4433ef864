package core

import (
	"context"
	"strconv"
)

// ConversationReadTime is one entry of applyReadTimes.
type ConversationReadTime struct {
	ConversationID string
	ReadTime       int64
}

// ApplyReadTimes is ApplyReadTime for many conversations in one call (and one
// transaction): what a login sync delivers, a read time for every
// conversation read on another device. A conversation that is not in the
// list is skipped, not refused: the host learns read times of conversations
// it never fed. Each conversation's read time only moves forward.
func (s *Service) ApplyReadTimes(ctx context.Context, entries []ConversationReadTime) error {
	if err := checkList("readTimes", len(entries)); err != nil {
		return err
	}
	for i, e := range entries {
		name := "readTimes[" + strconv.Itoa(i) + "]"
		if _, err := s.checkID(name+".conversationId", e.ConversationID); err != nil {
			return err
		}
		if err := checkTime(name+".readTime", e.ReadTime); err != nil {
			return err
		}
	}
	return s.update(ctx, func(t *txn) error {
		for _, e := range entries {
			if t.live(e.ConversationID) == nil {
				continue
			}
			if err := t.moveReadTime(e.ConversationID, e.ReadTime, true); err != nil {
				return err
			}
		}
		return nil
	})
}

func argReadTimes(v any, name string) ([]ConversationReadTime, error) {
	return argList(v, name, func(v any, name string) (ConversationReadTime, error) {
		var e ConversationReadTime
		o, err := argObject(v, name)
		if err != nil {
			return e, err
		}
		if e.ConversationID, err = argString(field(o, "conversationId"), name+".conversationId"); err != nil {
			return e, err
		}
		e.ReadTime, err = argInt(field(o, "readTime"), name+".readTime")
		return e, err
	})
}
