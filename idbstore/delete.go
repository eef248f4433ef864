//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
	"time"
)

// Delete deletes the database named dbName. Connections to it are asked to
// close (a Store closes at once and reports ErrVersionChange); if one does not
// within ten seconds, or ctx ends first, Delete gives up with an error (the
// deletion still happens once the last connection closes).
func Delete(ctx context.Context, dbName string) error {
	factory := js.Global().Get("indexedDB")
	if factory.Type() != js.TypeObject {
		return fmt.Errorf("idbstore %q: deleting: %w", dbName, ErrUnavailable)
	}
	var req js.Value
	if err := catchJS(func() { req = factory.Call("deleteDatabase", dbName) }); err != nil {
		return fmt.Errorf("idbstore %q: deleting: %w", dbName, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := awaitRequest(ctx, req); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (another connection stays open)", ErrBlocked)
		}
		return fmt.Errorf("idbstore %q: deleting: %w", dbName, err)
	}
	return nil
}
