//go:build js && wasm

package idbstore

import "time"

// Options tune a Store; the zero value is fine.
type Options struct {
	// Account is the account whose database this is: the first to open a
	// database owns it, and a Store of another account is refused with
	// core.ErrOtherAccount. "" checks nothing.
	Account string
	// OnCorruptRecord is told of each stored record that cannot be decoded,
	// once per record and Store. The record is skipped: reads treat it as
	// missing, and Load goes on with the rest. key names the record, such as
	// conversations["me|1|bob"] or messages["me|1|bob", "m1"]. Nil logs it.
	OnCorruptRecord func(key string, err error)
	// OnConnectionLost is told, once, when the database connection was closed
	// from outside: another tab opened a newer schema (ErrVersionChange) or the
	// browser closed it (ErrConnectionLost). Calls fail with that error from
	// then on; the page should move to memory and ask for a reload.
	OnConnectionLost func(err error)
	// OpenTimeout bounds how long opening may wait for other connections (tabs
	// that keep an older version open, or another tab's pending upgrade).
	// Zero means 10 seconds.
	OpenTimeout time.Duration
}

func (o *Options) openTimeout() time.Duration {
	if o.OpenTimeout > 0 {
		return o.OpenTimeout
	}
	return 10 * time.Second
}
