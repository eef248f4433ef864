package core

import (
	"context"
	"fmt"
)

// Call runs the method named as in docs/api.md §2 with arguments encoded by the JS
// wrapper (see decodeArgs) and returns its result as JSON, or nil for a method
// that returns nothing. This is the whole surface the wasm bridge needs; it
// lives here so that every rule about arguments is tested without a browser.
func (s *Service) Call(ctx context.Context, method string, argsJSON []byte) ([]byte, error) {
	return s.AppendCall(nil, ctx, method, argsJSON)
}

// AppendCall is Call writing its result after dst, so that a caller can reuse
// one buffer across calls; a method that returns nothing gives nil.
func (s *Service) AppendCall(dst []byte, ctx context.Context, method string, argsJSON []byte) ([]byte, error) {
	m, ok := methodsByName[method]
	if !ok {
		return nil, invalid("no method named %q", method)
	}
	if s.isClosed() {
		return nil, ErrClosed // whatever the arguments: a closed service takes no calls
	}
	args, err := decodeArgs(argsJSON)
	if err != nil {
		return nil, err
	}
	vals, err := m.decode(args)
	if err != nil {
		return nil, err
	}
	res, err := m.run(ctx, s, vals)
	if err != nil {
		return nil, AsError(err)
	}
	if res == nil {
		return nil, nil
	}
	out, ok := encodeValue(dst, res)
	if !ok {
		return nil, internal(fmt.Errorf("no JSON encoding for a %T result", res))
	}
	return out, nil
}

// orNil drops a zero result when there is an error.
func orNil[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// OpenOptions are open()'s options as the module uses them: checked, with
// their defaults filled in. DecodeOpenOptions is their one owner: the JS
// wrapper checks only the options it handles itself (placement, URLs,
// listeners).
type OpenOptions struct {
	AccountID string
	// DBName is the IndexedDB database: one per account by default.
	DBName string
	// Storage is StorageIndexedDB or StorageMemory.
	Storage     string
	WaitForSync bool
}

// The values of open()'s storage option.
const (
	StorageIndexedDB = "indexeddb"
	StorageMemory    = "memory"
)

// DefaultDBName is the database of an account when open() names none.
func DefaultDBName(accountID string) string { return "localconv-" + accountID }

// DecodeOpenOptions reads open()'s options, encoded by the wrapper as the one
// argument of a call (see decodeArgs).
func DecodeOpenOptions(data []byte) (OpenOptions, error) {
	args, err := decodeArgs(data)
	if err != nil {
		return OpenOptions{}, err
	}
	o, err := argObject(arg(args, 0), "options")
	if err != nil {
		return OpenOptions{}, err
	}
	var opts OpenOptions
	if opts.AccountID, err = argString(field(o, "accountId"), "options.accountId"); err != nil {
		return opts, err
	}
	if err := CheckAccountID(opts.AccountID); err != nil {
		return opts, err
	}
	if v := field(o, "dbName"); absent(v) {
		opts.DBName = DefaultDBName(opts.AccountID)
	} else if opts.DBName, err = argString(v, "options.dbName"); err != nil {
		return opts, err
	} else if opts.DBName == "" {
		return opts, invalid("options.dbName must not be empty (leave it out for the default)")
	}
	if opts.Storage, err = argOptString(field(o, "storage"), "options.storage"); err != nil {
		return opts, err
	}
	switch opts.Storage {
	case "":
		opts.Storage = StorageIndexedDB
	case StorageIndexedDB, StorageMemory:
	default:
		return opts, invalid("options.storage must be %q or %q, got %q", StorageIndexedDB, StorageMemory, opts.Storage)
	}
	opts.WaitForSync, err = argOptBool(field(o, "waitForSync"), "options.waitForSync", true)
	return opts, err
}
