package core

//go:generate go run ../cmd/genmethods -o ../js/methods.js

import (
	"context"
)

// methodSpec is one method of docs/api.md §2 as JS calls it: its name, its
// parameters' names (which error messages use, and which the JS wrapper's
// stubs and argument encoder take from js/methods.js, generated from this
// table), whether it only reads, and how its JS arguments become a call of
// the Service.
type methodSpec struct {
	name   string
	params []string
	// query: it only reads the cache, never waiting on the store or on
	// another call, so the bridge may answer it at once.
	query bool
	run   func(ctx context.Context, s *Service, a callArgs) (any, error)
}

// methodTable is the one list of methods: dispatch, the query/mutation split
// and the JS side (js/methods.js) all follow from it.
var methodTable = []methodSpec{
	{name: "createConversation", params: []string{"conversationId"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		return orNil(s.CreateConversation(ctx, id))
	}},
	{name: "updateConversationLocalExtension", params: []string{"conversationId", "localExtension"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		ext, err := a.str(1)
		if err != nil {
			return nil, err
		}
		return nil, s.UpdateConversationLocalExtension(ctx, id, ext)
	}},
	{name: "deleteConversation", params: []string{"conversationId", "clearMessage"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		clear, err := a.optBool(1, false)
		if err != nil {
			return nil, err
		}
		return nil, s.DeleteConversation(ctx, id, clear)
	}},
	{name: "deleteConversationListByIds", params: []string{"conversationIds", "clearMessage"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		ids, err := a.strs(0)
		if err != nil {
			return nil, err
		}
		clear, err := a.optBool(1, false)
		if err != nil {
			return nil, err
		}
		return orNil(s.DeleteConversationListByIds(ctx, ids, clear))
	}},
	{name: "stickTopConversation", params: []string{"conversationId", "stickTop"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		pin, err := argBool(a.at(1))
		if err != nil {
			return nil, err
		}
		return nil, s.StickTopConversation(ctx, id, pin)
	}},
	{name: "getConversation", params: []string{"conversationId"}, query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		return orNil(s.GetConversation(id))
	}},
	{name: "getConversationList", params: []string{"offset", "limit"}, query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		offset, limit, err := a.page()
		if err != nil {
			return nil, err
		}
		return orNil(s.GetConversationList(offset, limit))
	}},
	{name: "getConversationListByIds", params: []string{"conversationIds"}, query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		ids, err := a.strs(0)
		if err != nil {
			return nil, err
		}
		return orNil(s.GetConversationListByIds(ids))
	}},
	{name: "getConversationListByOption", params: []string{"offset", "limit", "option"}, query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		offset, limit, err := a.page()
		if err != nil {
			return nil, err
		}
		opt, err := argOption(a.at(2))
		if err != nil {
			return nil, err
		}
		return orNil(s.GetConversationListByOption(offset, limit, opt))
	}},
	{name: "getStickTopConversationList", query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		list, err := s.GetStickTopConversationList()
		if list == nil {
			list = []Conversation{}
		}
		return list, err
	}},
	{name: "getTotalUnreadCount", query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		return orNil(s.GetTotalUnreadCount())
	}},
	{name: "getUnreadCountByIds", params: []string{"conversationIds"}, query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		ids, err := a.strs(0)
		if err != nil {
			return nil, err
		}
		return orNil(s.GetUnreadCountByIds(ids))
	}},
	{name: "getUnreadCountByFilter", params: []string{"filter"}, query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		f, err := argFilter(a.at(0))
		if err != nil {
			return nil, err
		}
		return orNil(s.GetUnreadCountByFilter(f))
	}},
	{name: "clearTotalUnreadCount", run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		return nil, s.ClearTotalUnreadCount(ctx)
	}},
	{name: "clearUnreadCountByIds", params: []string{"conversationIds"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		ids, err := a.strs(0)
		if err != nil {
			return nil, err
		}
		return orNil(s.ClearUnreadCountByIds(ctx, ids))
	}},
	{name: "clearUnreadCountByTypes", params: []string{"conversationTypes"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		types, err := argTypes(a.at(0))
		if err != nil {
			return nil, err
		}
		return nil, s.ClearUnreadCountByTypes(ctx, types)
	}},
	{name: "subscribeUnreadCountByFilter", params: []string{"filter"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		f, err := argFilter(a.at(0))
		if err != nil {
			return nil, err
		}
		return nil, s.SubscribeUnreadCountByFilter(f)
	}},
	{name: "unsubscribeUnreadCountByFilter", params: []string{"filter"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		f, err := argFilter(a.at(0))
		if err != nil {
			return nil, err
		}
		return nil, s.UnsubscribeUnreadCountByFilter(f)
	}},
	{name: "markConversationRead", params: []string{"conversationId"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		return orNil(s.MarkConversationRead(ctx, id))
	}},
	{name: "getConversationReadTime", params: []string{"conversationId"}, query: true, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		return orNil(s.GetConversationReadTime(id))
	}},
	{name: "applyMessages", params: []string{"messages"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		msgs, err := argMessages(a.at(0))
		if err != nil {
			return nil, err
		}
		return orNil(s.ApplyMessages(ctx, msgs))
	}},
	{name: "revokeMessage", params: []string{"refer", "revokeInfo"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		k, err := argRefer(a.at(0))
		if err != nil {
			return nil, err
		}
		info, err := argRevokeInfo(a.at(1))
		if err != nil {
			return nil, err
		}
		return nil, s.RevokeMessage(ctx, k, info)
	}},
	{name: "deleteMessages", params: []string{"refers"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		keys, err := argRefers(a.at(0))
		if err != nil {
			return nil, err
		}
		return nil, s.DeleteMessages(ctx, keys)
	}},
	{name: "updateConversationInfo", params: []string{"conversationId", "info"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		info, err := argConversationInfo(a.at(1))
		if err != nil {
			return nil, err
		}
		return nil, s.UpdateConversationInfo(ctx, id, info)
	}},
	{name: "setCurrentConversation", params: []string{"conversationId"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		v, name := a.at(0)
		if v == nil || absent(v) {
			return nil, s.SetCurrentConversation(ctx, "") // null: none on screen
		}
		id, err := argString(v, name)
		if err != nil {
			return nil, err
		}
		if err := checkCurrentConversationArg(name, id); err != nil {
			return nil, err
		}
		return nil, s.SetCurrentConversation(ctx, id)
	}},
	{name: "applyReadTime", params: []string{"conversationId", "readTime"}, run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		id, err := a.str(0)
		if err != nil {
			return nil, err
		}
		rt, err := argInt(a.at(1))
		if err != nil {
			return nil, err
		}
		return nil, s.ApplyReadTime(ctx, id, rt)
	}},
	{name: "close", run: func(ctx context.Context, s *Service, a callArgs) (any, error) {
		return nil, s.Close()
	}},
}

var methodsByName = func() map[string]*methodSpec {
	m := make(map[string]*methodSpec, len(methodTable))
	for i := range methodTable {
		m[methodTable[i].name] = &methodTable[i]
	}
	return m
}()

// IsQuery reports whether the method only reads the cache (methodSpec.query).
func IsQuery(method string) bool {
	m := methodsByName[method]
	return m != nil && m.query
}

// Methods lists the names Call takes, in the table's order.
func Methods() []string {
	out := make([]string, len(methodTable))
	for i, m := range methodTable {
		out[i] = m.name
	}
	return out
}

// MethodParams gives the parameter names of a method, for the generated JS.
func MethodParams(method string) []string { return methodsByName[method].params }

// callArgs are a call's decoded JS arguments with their parameters' names.
type callArgs struct {
	vals  []any
	names []string
}

// at is argument i and its parameter's name, for the arg* decoders.
func (a callArgs) at(i int) (any, string) { return arg(a.vals, i), a.names[i] }

func (a callArgs) str(i int) (string, error) { return argString(a.at(i)) }

func (a callArgs) strs(i int) ([]string, error) { return argStrings(a.at(i)) }

func (a callArgs) optBool(i int, def bool) (bool, error) {
	v, name := a.at(i)
	return argOptBool(v, name, def)
}

// page is the (offset, limit) of the paging methods.
func (a callArgs) page() (float64, int, error) {
	offset, err := argNumber(a.at(0))
	if err != nil {
		return 0, 0, err
	}
	limit, err := argInt(a.at(1))
	if err != nil {
		return 0, 0, err
	}
	return offset, int(limit), nil
}

func argRevokeInfo(v any, name string) (RevokeInfo, error) {
	var info RevokeInfo
	if absent(v) {
		return info, nil
	}
	o, err := argObject(v, name)
	if err != nil {
		return info, err
	}
	if info.RevokeAccountID, err = argOptString(field(o, "revokeAccountId"), name+".revokeAccountId"); err != nil {
		return info, err
	}
	rt, err := argOptInt(field(o, "revokeType"), name+".revokeType", 0)
	if err != nil {
		return info, err
	}
	info.RevokeType = int(rt)
	info.Postscript, err = argOptString(field(o, "postscript"), name+".postscript")
	return info, err
}

func argConversationInfo(v any, name string) (ConversationInfo, error) {
	var info ConversationInfo
	o, err := argObject(v, name)
	if err != nil {
		return info, err
	}
	for _, f := range []struct {
		key string
		dst **string
	}{{"name", &info.Name}, {"avatar", &info.Avatar}} {
		if v := field(o, f.key); !absent(v) {
			s, err := argString(v, name+"."+f.key)
			if err != nil {
				return info, err
			}
			*f.dst = &s
		}
	}
	if v := field(o, "mute"); !absent(v) {
		m, err := argBool(v, name+".mute")
		if err != nil {
			return info, err
		}
		info.Mute = &m
	}
	return info, nil
}
