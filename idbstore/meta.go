//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

// The small records of meta (schema.go): the change sequence, the account,
// the read marks and the first page. The snapshot, the big one, has
// snapshot.go.

// claim readies a database just opened: it writes the change sequence (0)
// if there is none yet, since every transaction begins by reading it (run);
// and it makes sure the database is account's. The first account to open it
// owns it, recorded in the same read-write transaction that found no owner,
// so that two tabs opening a new database at once cannot both; any other
// account is refused with core.ErrOtherAccount. account "" checks nothing
// (the store's own tests).
func claim(ctx context.Context, db *idb.DB, account string) error {
	tx, err := db.Begin(ctx, idb.ReadWrite, storeMeta)
	if err != nil {
		return fmt.Errorf("preparing the change sequence: %w", err)
	}
	var refused error
	err = func() error {
		seqReq, err := tx.Fetch(storeMeta, metaSeq)
		if err != nil {
			return err
		}
		ownerReq, err := tx.Fetch(storeMeta, metaAccount)
		if err != nil {
			return err
		}
		seq, err := seqReq.Value()
		if err != nil {
			return err
		}
		owner, err := ownerReq.Value()
		if err != nil {
			return err
		}
		if seq.Missing() {
			if err := tx.Put(storeMeta, metaSeq, 0); err != nil {
				return err
			}
		}
		name, isText := owner.Text()
		switch {
		case account == "":
		case owner.Missing():
			return tx.Put(storeMeta, metaAccount, account)
		case !isText || name != account:
			refused = fmt.Errorf("%w: it belongs to account %s", core.ErrOtherAccount, owner)
			return tx.Abort()
		}
		return nil
	}()
	if err != nil {
		_ = tx.Abort()
		_ = tx.Wait()
		return fmt.Errorf("preparing the change sequence: %w", err)
	}
	tx.Commit()
	if err := tx.Wait(); refused != nil {
		return refused
	} else if err != nil {
		return fmt.Errorf("preparing the change sequence: %w", err)
	}
	return nil
}

func (x *transaction) Seq() (uint64, error) { return x.seq, nil }

// SetSeq moves the change sequence. A change makes the first page stale (the
// wrapper serves it only at its seq), and it may hold what the change took
// away, a revoked text: it goes with every change, until a close or a
// snapshot writes it again.
func (x *transaction) SetSeq(seq uint64) error {
	if !seqInJS(seq) {
		return fmt.Errorf("change sequence %d is beyond what a JS number holds exactly", seq)
	}
	if err := x.tx.Put(storeMeta, metaSeq, float64(seq)); err != nil {
		return err
	}
	if err := x.tx.Delete(storeMeta, metaFirstPage); err != nil {
		return err
	}
	x.seq = seq
	x.wroteConversations = true
	return nil
}

// seqOf reads a stored change sequence; missing is 0.
func seqOf(v idb.Value) (uint64, error) {
	if v.Missing() {
		return 0, nil
	}
	if n, ok := v.Number(); ok && n >= 0 {
		return uint64(n), nil
	}
	return 0, fmt.Errorf("the stored change sequence is not a number: %s", v)
}

// ReadMarks reads the read marks (core/readmarks.go), stored as a flat list
// of numbers, [type, seq, time] for each mark, oldest first. A database
// without them has none.
func (x *transaction) ReadMarks() (core.ReadMarks, error) {
	v, err := x.tx.Get(storeMeta, metaReadMarks)
	if err != nil {
		return core.ReadMarks{}, err
	}
	return readMarksOf(v)
}

func (x *transaction) PutReadMarks(m core.ReadMarks) error {
	flat := []any{}
	for i, ms := range m {
		for _, mk := range ms {
			if !seqInJS(mk.Seq) || !exactInJS(mk.Time) || mk.Time < 0 {
				return fmt.Errorf("read mark %+v is beyond what a JS number holds exactly", mk)
			}
			flat = append(flat, i+1, float64(mk.Seq), float64(mk.Time))
		}
	}
	return x.tx.Put(storeMeta, metaReadMarks, flat)
}

func readMarksOf(v idb.Value) (core.ReadMarks, error) {
	var m core.ReadMarks
	if v.Missing() {
		return m, nil
	}
	list, ok := v.List()
	if !ok || len(list)%3 != 0 {
		return m, fmt.Errorf("the read marks (meta %q) are not a list of [type, seq, time]: %s", metaReadMarks, v)
	}
	for i := 0; i < len(list); i += 3 {
		typ, ok1 := list[i].Number()
		seq, ok2 := list[i+1].Number()
		t, ok3 := list[i+2].Number()
		if !ok1 || !ok2 || !ok3 || int(typ) < 1 || int(typ) > len(m) {
			return m, fmt.Errorf("the read marks (meta %q) hold a bad mark at %d: %s", metaReadMarks, i/3, v)
		}
		m[int(typ)-1] = append(m[int(typ)-1], core.ReadMark{Seq: uint64(seq), Time: int64(t)})
	}
	return m, nil
}

var _ core.FirstPageTx = (*transaction)(nil)

// PutFirstPage keeps the first page (core/firstpage.go) as a string, which
// the wrapper parses as it is.
func (x *transaction) PutFirstPage(page []byte) error {
	return x.tx.Put(storeMeta, metaFirstPage, string(page))
}

// FirstPage is the kept first page, nil when there is none (every change
// deletes it: SetSeq).
func (x *transaction) FirstPage() ([]byte, error) {
	v, err := x.tx.Get(storeMeta, metaFirstPage)
	if err != nil {
		return nil, err
	}
	if page, ok := v.Text(); ok {
		return []byte(page), nil
	}
	return nil, nil
}
