package core

//go:generate go run ../cmd/genmethods -o ../js/methods.js

import (
	"context"
)

// methodSpec is one method of docs/api.md §2 as JS calls it: its name, its
// parameters (each a name, which error messages use and the JS wrapper's
// stubs take from js/methods.js, generated from this table, and a decoder
// that checks the JS type), whether it only reads, and the Service call its
// decoded arguments make.
type methodSpec struct {
	name   string
	params []param
	// query: it only reads the cache, never waiting on the store or on
	// another call, so the bridge may answer it at once.
	query bool
	// run makes the call; a[i] is what params[i] decoded, of the type its
	// decoder returns.
	run func(ctx context.Context, s *Service, a []any) (any, error)
}

// param is one parameter of a method: its name and its decoder (args.go),
// which checks JS types only; ranges, lengths and ids are the Service's rules
// (validate.go).
type param struct {
	name   string
	decode func(v any, name string) (any, error)
}

// p makes a param of a typed decoder.
func p[T any](name string, decode func(any, string) (T, error)) param {
	return param{name, func(v any, name string) (any, error) {
		x, err := decode(v, name)
		return x, err
	}}
}

// Parameters that several methods share.
var (
	pConversationID  = p("conversationId", argString)
	pConversationIDs = p("conversationIds", argStrings)
	pClearMessage    = p("clearMessage", optBool(false))
	pFilter          = p("filter", argFilter)
	pOffset          = p("offset", argNumber)
	pLimit           = p("limit", argInt)
)

func params(ps ...param) []param { return ps }

// methodTable is the one list of methods: dispatch, the query/mutation split
// and the JS side (js/methods.js) all follow from it.
var methodTable = []methodSpec{
	{name: "createConversation", params: params(pConversationID), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.CreateConversation(ctx, a[0].(string)))
	}},
	{name: "updateConversationLocalExtension", params: params(pConversationID, p("localExtension", argString)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.UpdateConversationLocalExtension(ctx, a[0].(string), a[1].(string))
	}},
	{name: "deleteConversation", params: params(pConversationID, pClearMessage), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.DeleteConversation(ctx, a[0].(string), a[1].(bool))
	}},
	{name: "deleteConversationListByIds", params: params(pConversationIDs, pClearMessage), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.DeleteConversationListByIds(ctx, a[0].([]string), a[1].(bool)))
	}},
	{name: "stickTopConversation", params: params(pConversationID, p("stickTop", argBool)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.StickTopConversation(ctx, a[0].(string), a[1].(bool))
	}},
	{name: "getConversation", params: params(pConversationID), query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetConversation(a[0].(string)))
	}},
	{name: "getConversationList", params: params(pOffset, pLimit), query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetConversationList(a[0].(float64), int(a[1].(int64))))
	}},
	{name: "getConversationListByIds", params: params(pConversationIDs), query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetConversationListByIds(a[0].([]string)))
	}},
	{name: "getConversationListByOption", params: params(pOffset, pLimit, p("option", argOption)), query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetConversationListByOption(a[0].(float64), int(a[1].(int64)), a[2].(Option)))
	}},
	{name: "getStickTopConversationList", query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		list, err := s.GetStickTopConversationList()
		if list == nil {
			list = []Conversation{}
		}
		return list, err
	}},
	{name: "getTotalUnreadCount", query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetTotalUnreadCount())
	}},
	{name: "getUnreadCountByIds", params: params(pConversationIDs), query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetUnreadCountByIds(a[0].([]string)))
	}},
	{name: "getUnreadCountByFilter", params: params(pFilter), query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetUnreadCountByFilter(a[0].(Filter)))
	}},
	{name: "clearTotalUnreadCount", run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.ClearTotalUnreadCount(ctx)
	}},
	{name: "clearUnreadCountByIds", params: params(pConversationIDs), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.ClearUnreadCountByIds(ctx, a[0].([]string)))
	}},
	{name: "clearUnreadCountByTypes", params: params(p("conversationTypes", argTypes)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.ClearUnreadCountByTypes(ctx, a[0].([]ConversationType))
	}},
	{name: "subscribeUnreadCountByFilter", params: params(pFilter), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.SubscribeUnreadCountByFilter(a[0].(Filter))
	}},
	{name: "unsubscribeUnreadCountByFilter", params: params(pFilter), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.UnsubscribeUnreadCountByFilter(a[0].(Filter))
	}},
	{name: "markConversationRead", params: params(pConversationID), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.MarkConversationRead(ctx, a[0].(string)))
	}},
	{name: "getConversationReadTime", params: params(pConversationID), query: true, run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.GetConversationReadTime(a[0].(string)))
	}},
	{name: "applyMessages", params: params(p("messages", argMessages)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return orNil(s.ApplyMessages(ctx, a[0].([]Message)))
	}},
	{name: "revokeMessage", params: params(p("refer", argRefer), p("revokeInfo", argRevokeInfo)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.RevokeMessage(ctx, a[0].(MessageKey), a[1].(RevokeInfo))
	}},
	{name: "deleteMessages", params: params(p("refers", argRefers)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.DeleteMessages(ctx, a[0].([]MessageKey))
	}},
	{name: "updateConversationInfo", params: params(pConversationID, p("info", argConversationInfo)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.UpdateConversationInfo(ctx, a[0].(string), a[1].(ConversationInfo))
	}},
	{name: "setCurrentConversation", params: params(p("conversationId", argCurrentConversation)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.SetCurrentConversation(ctx, a[0].(string))
	}},
	{name: "applyReadTime", params: params(pConversationID, p("readTime", argInt)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.ApplyReadTime(ctx, a[0].(string), a[1].(int64))
	}},
	{name: "applyReadTimes", params: params(p("readTimes", argReadTimes)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.ApplyReadTimes(ctx, a[0].([]ConversationReadTime))
	}},
	{name: "applyClearHistory", params: params(pConversationID, p("deleteTime", argInt)), run: func(ctx context.Context, s *Service, a []any) (any, error) {
		return nil, s.ApplyClearHistory(ctx, a[0].(string), a[1].(int64))
	}},
	{name: "close", run: func(ctx context.Context, s *Service, a []any) (any, error) {
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

// decode decodes a call's JS arguments by the method's params, in order, so
// the first bad one is the one named.
func (m *methodSpec) decode(args []any) ([]any, error) {
	out := make([]any, len(m.params))
	for i, p := range m.params {
		v, err := p.decode(arg(args, i), p.name)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

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
func MethodParams(method string) []string {
	ps := methodsByName[method].params
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.name
	}
	return out
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
