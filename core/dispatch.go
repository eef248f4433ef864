package core

import (
	"context"
	"fmt"
	"strconv"
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
	fn, ok := methods[method]
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
	res, err := fn(ctx, s, args)
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

// queries are the methods that only read the cache: they never wait on the
// store or on another call, so the bridge may answer them at once.
var queries = map[string]bool{
	"getConversation": true, "getConversationList": true, "getConversationListByIds": true,
	"getConversationListByOption": true, "getStickTopConversationList": true, "getTotalUnreadCount": true,
	"getUnreadCountByIds": true, "getUnreadCountByFilter": true, "getConversationReadTime": true,
}

// IsQuery reports whether the method only reads (see queries).
func IsQuery(method string) bool { return queries[method] }

// Methods lists the names Call takes.
func Methods() []string {
	out := make([]string, 0, len(methods))
	for name := range methods {
		out = append(out, name)
	}
	return out
}

type method func(ctx context.Context, s *Service, a []any) (any, error)

var methods map[string]method

func init() {
	methods = map[string]method{
		"createConversation": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			return orNil(s.CreateConversation(ctx, id))
		},
		"updateConversationLocalExtension": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			ext, err := argString(arg(a, 1), "localExtension")
			if err != nil {
				return nil, err
			}
			return nil, s.UpdateConversationLocalExtension(ctx, id, ext)
		},
		"deleteConversation": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			clear, err := argOptBool(arg(a, 1), "clearMessage", false)
			if err != nil {
				return nil, err
			}
			return nil, s.DeleteConversation(ctx, id, clear)
		},
		"deleteConversationListByIds": func(ctx context.Context, s *Service, a []any) (any, error) {
			ids, err := argStrings(arg(a, 0), "conversationIds")
			if err != nil {
				return nil, err
			}
			clear, err := argOptBool(arg(a, 1), "clearMessage", false)
			if err != nil {
				return nil, err
			}
			return orNil(s.DeleteConversationListByIds(ctx, ids, clear))
		},
		"stickTopConversation": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			pin, err := argBool(arg(a, 1), "stickTop")
			if err != nil {
				return nil, err
			}
			return nil, s.StickTopConversation(ctx, id, pin)
		},
		"getConversation": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			return orNil(s.GetConversation(id))
		},
		"getConversationList": func(ctx context.Context, s *Service, a []any) (any, error) {
			offset, limit, err := argPage(a)
			if err != nil {
				return nil, err
			}
			return orNil(s.GetConversationList(offset, limit))
		},
		"getConversationListByOption": func(ctx context.Context, s *Service, a []any) (any, error) {
			offset, limit, err := argPage(a)
			if err != nil {
				return nil, err
			}
			opt, err := argOption(arg(a, 2), "option")
			if err != nil {
				return nil, err
			}
			return orNil(s.GetConversationListByOption(offset, limit, opt))
		},
		"getConversationListByIds": func(ctx context.Context, s *Service, a []any) (any, error) {
			ids, err := argStrings(arg(a, 0), "conversationIds")
			if err != nil {
				return nil, err
			}
			return orNil(s.GetConversationListByIds(ids))
		},
		"getStickTopConversationList": func(ctx context.Context, s *Service, a []any) (any, error) {
			list, err := s.GetStickTopConversationList()
			if list == nil {
				list = []Conversation{}
			}
			return list, err
		},
		"getTotalUnreadCount": func(ctx context.Context, s *Service, a []any) (any, error) {
			return orNil(s.GetTotalUnreadCount())
		},
		"getUnreadCountByIds": func(ctx context.Context, s *Service, a []any) (any, error) {
			ids, err := argStrings(arg(a, 0), "conversationIds")
			if err != nil {
				return nil, err
			}
			return orNil(s.GetUnreadCountByIds(ids))
		},
		"getUnreadCountByFilter": func(ctx context.Context, s *Service, a []any) (any, error) {
			f, err := argFilter(arg(a, 0), "filter")
			if err != nil {
				return nil, err
			}
			return orNil(s.GetUnreadCountByFilter(f))
		},
		"clearTotalUnreadCount": func(ctx context.Context, s *Service, a []any) (any, error) {
			return nil, s.ClearTotalUnreadCount(ctx)
		},
		"clearUnreadCountByIds": func(ctx context.Context, s *Service, a []any) (any, error) {
			ids, err := argStrings(arg(a, 0), "conversationIds")
			if err != nil {
				return nil, err
			}
			return orNil(s.ClearUnreadCountByIds(ctx, ids))
		},
		"clearUnreadCountByTypes": func(ctx context.Context, s *Service, a []any) (any, error) {
			types, err := argTypes(arg(a, 0), "conversationTypes")
			if err != nil {
				return nil, err
			}
			return nil, s.ClearUnreadCountByTypes(ctx, types)
		},
		"subscribeUnreadCountByFilter": func(ctx context.Context, s *Service, a []any) (any, error) {
			f, err := argFilter(arg(a, 0), "filter")
			if err != nil {
				return nil, err
			}
			return nil, s.SubscribeUnreadCountByFilter(f)
		},
		"unsubscribeUnreadCountByFilter": func(ctx context.Context, s *Service, a []any) (any, error) {
			f, err := argFilter(arg(a, 0), "filter")
			if err != nil {
				return nil, err
			}
			return nil, s.UnsubscribeUnreadCountByFilter(f)
		},
		"markConversationRead": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			return orNil(s.MarkConversationRead(ctx, id))
		},
		"getConversationReadTime": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			return orNil(s.GetConversationReadTime(id))
		},
		"applyMessages": func(ctx context.Context, s *Service, a []any) (any, error) {
			list, err := argArray(arg(a, 0), "messages", MaxListLength)
			if err != nil {
				return nil, err
			}
			msgs := make([]Message, len(list))
			for i, v := range list {
				if msgs[i], err = argMessage(v, "messages["+strconv.Itoa(i)+"]"); err != nil {
					return nil, err
				}
			}
			return orNil(s.ApplyMessages(ctx, msgs))
		},
		"revokeMessage": func(ctx context.Context, s *Service, a []any) (any, error) {
			k, err := argRefer(arg(a, 0), "refer")
			if err != nil {
				return nil, err
			}
			var info RevokeInfo
			if v := arg(a, 1); !absent(v) {
				o, err := argObject(v, "revokeInfo")
				if err != nil {
					return nil, err
				}
				if info.RevokeAccountID, err = argOptString(field(o, "revokeAccountId"), "revokeInfo.revokeAccountId"); err != nil {
					return nil, err
				}
				rt, err := argOptInt(field(o, "revokeType"), "revokeInfo.revokeType", 0)
				if err != nil {
					return nil, err
				}
				info.RevokeType = int(rt)
				if info.Postscript, err = argOptString(field(o, "postscript"), "revokeInfo.postscript"); err != nil {
					return nil, err
				}
			}
			return nil, s.RevokeMessage(ctx, k, info)
		},
		"deleteMessages": func(ctx context.Context, s *Service, a []any) (any, error) {
			list, err := argArray(arg(a, 0), "refers", MaxListLength)
			if err != nil {
				return nil, err
			}
			keys := make([]MessageKey, len(list))
			for i, v := range list {
				if keys[i], err = argRefer(v, "refers["+strconv.Itoa(i)+"]"); err != nil {
					return nil, err
				}
			}
			return nil, s.DeleteMessages(ctx, keys)
		},
		"updateConversationInfo": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			o, err := argObject(arg(a, 1), "info")
			if err != nil {
				return nil, err
			}
			var info ConversationInfo
			for _, f := range []struct {
				key string
				dst **string
			}{{"name", &info.Name}, {"avatar", &info.Avatar}} {
				if v := field(o, f.key); !absent(v) {
					s, err := argString(v, "info."+f.key)
					if err != nil {
						return nil, err
					}
					*f.dst = &s
				}
			}
			if v := field(o, "mute"); !absent(v) {
				m, err := argBool(v, "info.mute")
				if err != nil {
					return nil, err
				}
				info.Mute = &m
			}
			return nil, s.UpdateConversationInfo(ctx, id, info)
		},
		"setCurrentConversation": func(ctx context.Context, s *Service, a []any) (any, error) {
			v := arg(a, 0)
			id := ""
			if v != nil && !absent(v) {
				var err error
				if id, err = argString(v, "conversationId"); err != nil {
					return nil, err
				}
				if id == "" {
					return nil, invalid("conversationId must not be empty (pass null for no current conversation)")
				}
			}
			return nil, s.SetCurrentConversation(ctx, id)
		},
		"applyReadTime": func(ctx context.Context, s *Service, a []any) (any, error) {
			id, err := argString(arg(a, 0), "conversationId")
			if err != nil {
				return nil, err
			}
			rt, err := argInt(arg(a, 1), "readTime")
			if err != nil {
				return nil, err
			}
			return nil, s.ApplyReadTime(ctx, id, rt)
		},
		"close": func(ctx context.Context, s *Service, a []any) (any, error) {
			return nil, s.Close()
		},
	}
}

func argPage(a []any) (float64, int, error) {
	offset, err := argNumber(arg(a, 0), "offset")
	if err != nil {
		return 0, 0, err
	}
	limit, err := argInt(arg(a, 1), "limit")
	if err != nil {
		return 0, 0, err
	}
	return offset, int(limit), nil
}

// orNil drops a zero result when there is an error.
func orNil[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// OpenOptions are open()'s options as the wrapper sends them, one JSON object.
type OpenOptions struct {
	AccountID   string
	DBName      string
	Storage     string
	WaitForSync bool
}

// DecodeOpenOptions reads open()'s options, encoded by the wrapper as the one
// argument of a call (see decodeArgs); the wrapper checked their JS types, the
// module checks them again (and the account id's rule) here.
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
	if opts.DBName, err = argOptString(field(o, "dbName"), "options.dbName"); err != nil {
		return opts, err
	}
	if opts.Storage, err = argOptString(field(o, "storage"), "options.storage"); err != nil {
		return opts, err
	}
	opts.WaitForSync, err = argOptBool(field(o, "waitForSync"), "options.waitForSync", true)
	return opts, err
}
