//go:build js && wasm

package idb

import (
	"fmt"
	"slices"
	"strings"
	"syscall/js"

	goidb "github.com/hack-pad/go-indexeddb/idb"
)

// Schema is what Open needs to know of the store's schema.
type Schema struct {
	// Version is the database version the schema is.
	Version int
	// Upgrade brings a database of oldVersion to Version, inside the
	// versionchange transaction. An error aborts the upgrade: the database
	// stays as it was.
	Upgrade func(u *Upgrade, oldVersion int) error
	// Needs is every store and index the code uses. A database of a newer
	// version (a tab with newer code upgraded it) is opened as it is if it
	// has all of them, since a newer schema only adds.
	Needs []StoreSpec
}

// StoreSpec is an object store and the indexes of it that the code uses.
type StoreSpec struct {
	Name    string
	KeyPath any // a string, a []any of strings, or nil for out-of-line keys
	Indexes []IndexSpec
}

// IndexSpec is an index and its key path.
type IndexSpec struct {
	Name    string
	KeyPath any
}

// Upgrade is the versionchange transaction, as a migration sees it: it may
// only create and delete stores and indexes, never wait. The first JS
// exception (an index that exists already, say) is kept and the rest of the
// calls do nothing; Err reports it.
type Upgrade struct {
	db, tx js.Value
	err    error
}

// Err is the first call's failure, nil if none failed.
func (u *Upgrade) Err() error { return u.err }

func (u *Upgrade) do(fn func()) {
	if u.err == nil {
		u.err = catch(fn)
	}
}

// CreateStore creates an object store; keyPath nil gives out-of-line keys.
func (u *Upgrade) CreateStore(name string, keyPath any) {
	u.do(func() {
		if keyPath == nil {
			u.db.Call("createObjectStore", name)
		} else {
			u.db.Call("createObjectStore", name, map[string]any{"keyPath": toJS(keyPath)})
		}
	})
}

// CreateIndex creates an index on a store, new or not: adding one to a store
// that exists is why upgrades are raw (doc.go).
func (u *Upgrade) CreateIndex(store, name string, keyPath any) {
	u.do(func() { u.tx.Call("objectStore", store).Call("createIndex", name, toJS(keyPath)) })
}

// DeleteIndex deletes an index of a store.
func (u *Upgrade) DeleteIndex(store, name string) {
	u.do(func() { u.tx.Call("objectStore", store).Call("deleteIndex", name) })
}

// lacks reports what db lacks of needs, naming each. It reads the schema
// only: the transaction it starts to see the indexes is aborted.
func lacks(db *goidb.Database, needs []StoreSpec) error {
	names, err := db.ObjectStoreNames()
	if err != nil {
		return err
	}
	var missing, present []string
	for _, st := range needs {
		if slices.Contains(names, st.Name) {
			present = append(present, st.Name)
		} else {
			missing = append(missing, "store "+st.Name)
		}
	}
	if len(present) > 0 {
		t, err := db.Transaction(goidb.TransactionReadOnly, present[0], present[1:]...)
		if err != nil {
			return fmt.Errorf("checking the schema: %w", err)
		}
		defer func() { _ = t.Abort() }()
		for _, st := range needs {
			if !slices.Contains(present, st.Name) {
				continue
			}
			m, err := storeLacks(t, st)
			if err != nil {
				return fmt.Errorf("checking the schema: %w", err)
			}
			missing = append(missing, m...)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("it lacks %s", strings.Join(missing, ", "))
	}
	return nil
}

func storeLacks(t *goidb.Transaction, st StoreSpec) (missing []string, err error) {
	store, err := t.ObjectStore(st.Name)
	if err != nil {
		return nil, err
	}
	keyPath, err := store.KeyPath()
	if err != nil {
		return nil, err
	}
	if !sameKeyPath(keyPath, st.KeyPath) {
		missing = append(missing, fmt.Sprintf("store %s with key path %v", st.Name, st.KeyPath))
	}
	indexes, err := store.IndexNames()
	if err != nil {
		return nil, err
	}
	for _, ix := range st.Indexes {
		if !slices.Contains(indexes, ix.Name) {
			missing = append(missing, "index "+st.Name+"."+ix.Name)
			continue
		}
		index, err := store.Index(ix.Name)
		if err != nil {
			return nil, err
		}
		keyPath, err := index.KeyPath()
		if err != nil {
			return nil, err
		}
		if !sameKeyPath(keyPath, ix.KeyPath) {
			missing = append(missing, fmt.Sprintf("index %s.%s with key path %v", st.Name, ix.Name, ix.KeyPath))
		}
	}
	return missing, nil
}

// sameKeyPath compares a JS key path (null, a string or an array of
// strings) with a Go one (nil, a string or a []any of strings).
func sameKeyPath(v js.Value, want any) bool {
	switch w := want.(type) {
	case nil:
		return v.IsNull() || v.IsUndefined()
	case string:
		return v.Type() == js.TypeString && v.String() == w
	case []any:
		if v.Type() != js.TypeObject || v.Get("length").Type() != js.TypeNumber || v.Length() != len(w) {
			return false
		}
		for i, p := range w {
			if !sameKeyPath(v.Index(i), p) {
				return false
			}
		}
		return true
	}
	return false
}
