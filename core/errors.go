package core

import "fmt"

// Error codes of docs/api.md §5. They are the NIM SDK's codes, so host apps that already
// switch on them keep working.
const (
	CodeInternal     = 190001 // storage failed; the call changed nothing
	CodeClosed       = 190002 // the service is closed, or not open yet
	CodeInvalidParam = 191004 // any invalid parameter
)

// Error is the only error type that crosses the public API. Message names the
// parameter and says what was wrong with it.
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return fmt.Sprintf("localconv %d: %s", e.Code, e.Message) }

func invalid(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidParam, Message: fmt.Sprintf(format, args...)}
}

func internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "storage failed, nothing was changed: " + err.Error()}
}

// ErrClosed is returned by every call after Close.
var ErrClosed = &Error{Code: CodeClosed, Message: "the service is closed"}

// AsError turns any error into an *Error: a storage error becomes 190001.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		return e
	}
	return internal(err)
}
