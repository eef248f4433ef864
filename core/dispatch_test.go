package core

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The marker strings the JS wrapper's JSON.stringify replacer writes for the
// values JSON cannot carry (the contract with js/, spelled out here on purpose
// rather than taken from args.go).
const (
	jsUndefined   = "\x00u"
	jsNaN         = "\x00N"
	jsInfinity    = "\x00I"
	jsNegInfinity = "\x00i"
	jsFunction    = "\x00f"
	jsBigint      = "\x00b"
	jsSymbol      = "\x00y"
)

// jsEscaped is how the wrapper sends a real string that starts with U+0000.
func jsEscaped(s string) string { return "\x00s" + s }

// jsArgs encodes a call's arguments as the wrapper does. json.RawMessage
// arguments (or values inside them) go as they are, for what Go cannot marshal.
func jsArgs(t testing.TB, args ...any) []byte {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	b, err := json.Marshal(args)
	require.NoError(t, err)
	return b
}

// callJS runs method through Call, the JSON path the wasm bridge takes.
func (f *specFixture) callJS(method string, args ...any) ([]byte, error) {
	return f.Call(f.ctx, method, jsArgs(f.t, args...))
}

func (f *specFixture) mustCallJS(method string, args ...any) []byte {
	f.t.Helper()
	out, err := f.callJS(method, args...)
	require.NoError(f.t, err)
	return out
}

// jsValue is a JS value as the wrapper sends it and the type name an error
// message gives for it.
type jsValue struct {
	label string
	v     any
	kind  string
}

var jsValues = []jsValue{
	{"null", nil, "null"},
	{"undefined", jsUndefined, "undefined"},
	{"NaN", jsNaN, "NaN"},
	{"Infinity", jsInfinity, "Infinity"},
	{"-Infinity", jsNegInfinity, "-Infinity"},
	{"function", jsFunction, "a function"},
	{"bigint", jsBigint, "a bigint"},
	{"symbol", jsSymbol, "a symbol"},
	{"boolean", true, "a boolean"},
	{"number", 7, "a number"},
	{"string", "7", "a string"},
	{"object", map[string]any{"length": 1, "0": "alice|1|bob"}, "an object"},
	{"array", []any{"alice|1|bob"}, "an array"},
	// What the wrapper sends for values JSON would convert: never converted.
	{"Date", "\x00cDate", "a Date object"},
	{"boxed String", "\x00cString", "a String object"},
	{"object with toJSON", "\x00j", "an object with a toJSON method"},
	{"lone surrogate", "\x00w1", "a string that is not well-formed UTF-16 (a lone surrogate at index 1"},
}

// paramKind is the JS type a parameter takes.
type paramKind int

const (
	kString         paramKind = iota
	kNullableString           // string, null or undefined (setCurrentConversation)
	kBool
	kOptBool
	kNumber
	kArray
	kObject
	kOptObject
)

func (k paramKind) accepts(jsKind string) bool {
	switch k {
	case kString:
		return jsKind == "a string"
	case kNullableString:
		return jsKind == "a string" || jsKind == "null" || jsKind == "undefined"
	case kBool:
		return jsKind == "a boolean"
	case kOptBool:
		return jsKind == "a boolean" || jsKind == "undefined"
	case kNumber:
		return jsKind == "a number"
	case kArray:
		return jsKind == "an array"
	case kObject:
		return jsKind == "an object"
	case kOptObject:
		return jsKind == "an object" || jsKind == "undefined"
	}
	panic("unknown kind")
}

func (k paramKind) required() bool {
	return k != kNullableString && k != kOptBool && k != kOptObject
}

// badArg is a value of the right JS type that the parameter still rejects.
type badArg struct {
	label string
	v     any
	want  string // the message holds it, besides the parameter's name
}

type dispatchParam struct {
	name  string
	kind  paramKind
	extra []badArg
}

type dispatchCase struct {
	method string
	args   []any // a valid call on the seeded fixture
	params []dispatchParam
	// check asserts the valid call's JSON result and its effect.
	check func(f *specFixture, out []byte)
}

func jsonArray(elem string, n int) json.RawMessage {
	var b strings.Builder
	b.Grow(n * (len(elem) + 1))
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(elem)
	}
	b.WriteByte(']')
	return json.RawMessage(b.String())
}

const hugeLen = 1_000_000

// Huge arrays, built on first use: fuzz workers never need them.
var (
	hugeIDs     = sync.OnceValue(func() json.RawMessage { return jsonArray(`"alice|1|bob"`, hugeLen) })
	hugeNumbers = sync.OnceValue(func() json.RawMessage { return jsonArray(`1`, hugeLen) })
	hugeObjects = sync.OnceValue(func() json.RawMessage { return jsonArray(`{}`, hugeLen) })
)

func hugeArg(v json.RawMessage) badArg {
	return badArg{"1,000,000 entries", v, fmt.Sprintf("has %d entries, at most %d are allowed", hugeLen, MaxListLength)}
}

func idList(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = p2p(fmt.Sprintf("u%d", i))
	}
	return out
}

// conversationIDArgs are the bad ids any conversationId parameter rejects;
// mustExist adds an id of no conversation.
func conversationIDArgs(mustExist bool) []badArg {
	var out []badArg
	for _, c := range badConversationIDs {
		out = append(out, badArg{c.name, c.id, ""})
	}
	if mustExist {
		out = append(out, badArg{"unknown conversation", p2p("nobody"), "no such conversation"})
	}
	return out
}

// nonEmpty drops the empty id, which setCurrentConversation rejects with a message of its own.
func nonEmpty(args []badArg) []badArg {
	var out []badArg
	for _, a := range args {
		if a.v != "" {
			out = append(out, a)
		}
	}
	return out
}

func idListArgs(max int) []badArg {
	return []badArg{
		{"empty", []any{}, "must not be empty"},
		{"number entry", []any{1}, "conversationIds[0] must be a string, got a number"},
		{"null entry", []any{p2p("bob"), nil}, "conversationIds[1] must be a string, got null"},
		{"undefined entry", []any{jsUndefined}, "conversationIds[0] must be a string, got undefined"},
		{"object entry", []any{map[string]any{}}, "conversationIds[0] must be a string, got an object"},
		{"malformed entry", []any{p2p("bob"), "alice|4|x"}, "conversationIds[1]"},
		{"another account's entry", []any{"bob|1|alice"}, "conversationIds[0]"},
		{"one too many", idList(max + 1), fmt.Sprintf("at most %d", max)},
		hugeArg(hugeIDs()),
	}
}

func typeListArgs(name string) []badArg {
	return []badArg{
		{"type 0", []any{0}, name + "[0] must be a conversation type 1, 2 or 3, got 0"},
		{"type 4", []any{1, 4}, name + "[1] must be a conversation type 1, 2 or 3, got 4"},
		{"fraction", []any{1.5}, name + "[0] must be an integer"},
		{"string type", []any{"1"}, name + "[0] must be a finite number, got a string"},
		{"null type", []any{nil}, name + "[0] must be a finite number, got null"},
		{"NaN type", []any{jsNaN}, name + "[0] must be a finite number, got NaN"},
		{"types not an array", map[string]any{"0": 1}, name + " must be an array, got an object"},
		{"types null", nil, name + " must be an array, got null"},
	}
}

func filterArgs() []badArg {
	out := []badArg{
		{"selects nothing", map[string]any{}, "filter selects nothing"},
		{"no types, not ignoreMuted", map[string]any{"conversationTypes": []any{}, "ignoreMuted": false}, "filter selects nothing"},
		{"ignoreMuted null", map[string]any{"conversationTypes": []any{1}, "ignoreMuted": nil}, "filter.ignoreMuted must be a boolean, got null"},
		{"ignoreMuted string", map[string]any{"ignoreMuted": "true"}, "filter.ignoreMuted must be a boolean, got a string"},
		{"ignoreMuted Infinity", map[string]any{"ignoreMuted": jsInfinity}, "filter.ignoreMuted must be a boolean, got Infinity"},
		{"many types", map[string]any{"conversationTypes": hugeNumbers()}, "filter.conversationTypes has 1000000 entries"},
	}
	for _, a := range typeListArgs("filter.conversationTypes") {
		out = append(out, badArg{a.label, map[string]any{"conversationTypes": a.v, "ignoreMuted": true}, a.want})
	}
	return out
}

func optionArgs() []badArg {
	out := []badArg{
		{"onlyUnread null", map[string]any{"onlyUnread": nil}, "option.onlyUnread must be a boolean, got null"},
		{"onlyUnread number", map[string]any{"onlyUnread": 1}, "option.onlyUnread must be a boolean, got a number"},
		{"onlyUnread symbol", map[string]any{"onlyUnread": jsSymbol}, "option.onlyUnread must be a boolean, got a symbol"},
	}
	for _, a := range typeListArgs("option.conversationTypes") {
		out = append(out, badArg{a.label, map[string]any{"conversationTypes": a.v}, a.want})
	}
	return out
}

func referArgs(name string) []badArg {
	bob := p2p("bob")
	return []badArg{
		{"no conversationId", map[string]any{"messageClientId": "m1"}, name + ".conversationId must be a string, got undefined"},
		{"number conversationId", map[string]any{"conversationId": 1, "messageClientId": "m1"}, name + ".conversationId must be a string, got a number"},
		{"no messageClientId", map[string]any{"conversationId": bob}, name + ".messageClientId must be a string, got undefined"},
		{"null messageClientId", map[string]any{"conversationId": bob, "messageClientId": nil}, name + ".messageClientId must be a string, got null"},
		{"bigint messageClientId", map[string]any{"conversationId": bob, "messageClientId": jsBigint}, name + ".messageClientId must be a string, got a bigint"},
		{"empty messageClientId", map[string]any{"conversationId": bob, "messageClientId": ""}, name + ".messageClientId must not be empty"},
		{"malformed conversationId", map[string]any{"conversationId": "alice|9|bob", "messageClientId": "m1"}, name + ".conversationId"},
		{"another account's conversationId", map[string]any{"conversationId": "carol|1|bob", "messageClientId": "m1"}, name + ".conversationId"},
	}
}

// inArray makes each value the single entry of an array.
func inArray(args []badArg) []badArg {
	out := make([]badArg, len(args))
	for i, a := range args {
		out[i] = badArg{a.label, []any{a.v}, a.want}
	}
	return out
}

// validMessage is a new message to bob, as JS would send it.
func validMessage() map[string]any {
	return map[string]any{
		"conversationId":  p2p("bob"),
		"messageClientId": "m9",
		"senderId":        "bob",
		"createTime":      300,
		"messageType":     0,
	}
}

func messageWith(edit func(m map[string]any)) map[string]any {
	m := validMessage()
	edit(m)
	return m
}

func messageFieldArgs() []badArg {
	set := func(k string, v any) map[string]any { return messageWith(func(m map[string]any) { m[k] = v }) }
	drop := func(k string) map[string]any { return messageWith(func(m map[string]any) { delete(m, k) }) }
	one := func(m map[string]any) []any { return []any{m} }
	var out []badArg
	add := func(label string, m map[string]any, want string) {
		out = append(out, badArg{label, one(m), want})
	}
	fields := []struct {
		key      string
		kind     paramKind
		required bool
	}{
		{"conversationId", kString, true}, {"messageClientId", kString, true}, {"senderId", kString, true},
		{"messageServerId", kString, false}, {"receiverId", kString, false}, {"text", kString, false},
		{"serverExtension", kString, false}, {"callbackExtension", kString, false}, {"senderName", kString, false},
		{"createTime", kNumber, true}, {"messageType", kNumber, true}, {"subType", kNumber, false},
		{"sendingState", kNumber, false}, {"unreadEnabled", kBool, false}, {"lastMessageUpdateEnabled", kBool, false},
	}
	for _, fl := range fields {
		name := "messages[0]." + fl.key
		for _, v := range jsValues {
			if fl.kind.accepts(v.kind) || (!fl.required && v.kind == "undefined") {
				continue
			}
			add(fl.key+" "+v.label, set(fl.key, v.v), name+" must be ")
		}
		if fl.required {
			add(fl.key+" missing", drop(fl.key), name+" must be ")
		}
		if fl.kind == kNumber {
			add(fl.key+" fraction", set(fl.key, 1.5), name+" must be an integer")
			add(fl.key+" beyond float64", set(fl.key, json.RawMessage("1e400")), name+" must be a finite number")
		}
	}
	for _, c := range []struct {
		label string
		m     map[string]any
		want  string
	}{
		{"createTime negative", set("createTime", -1), "messages[0].createTime must be a time in milliseconds in [0, 1e15), got -1"},
		{"createTime 1e15", set("createTime", 1e15), "messages[0].createTime must be a time in milliseconds in [0, 1e15), got 1000000000000000"},
		// An integer, if not a safe one: the error is the range, not the type.
		{"createTime 2^53", set("createTime", json.RawMessage("9007199254740992")), "messages[0].createTime must be a time in milliseconds in [0, 1e15), got 9007199254740992"},
		{"createTime 1e300", set("createTime", 1e300), "messages[0].createTime must be a time in milliseconds in [0, 1e15), got a number of 2^63 or more"},
		{"messageType unknown", set("messageType", 8), "messages[0].messageType 8 is not a known message type: one of -1, 0 to 7, 10, 11, 12 or 100"},
		{"subType beyond safe integers", set("subType", json.RawMessage("9007199254740993")), "messages[0].subType must be an integer in [-(2^53-1), 2^53-1]"},
		{"sendingState 4", set("sendingState", 4), "messages[0].sendingState must be 0..3 (unknown, succeeded, failed, sending), got 4"},
		{"sendingState -1", set("sendingState", -1), "messages[0].sendingState must be 0..3"},
		{"empty messageClientId", set("messageClientId", ""), "messages[0].messageClientId must not be empty"},
		{"empty senderId", set("senderId", ""), "messages[0].senderId must not be empty"},
		{"another account's conversation", set("conversationId", "bob|1|alice"), "messages[0].conversationId"},
		{"malformed conversationId", set("conversationId", "alice|1|"), "messages[0].conversationId"},
		{"P2P sender neither me nor the peer", set("senderId", "carol"), "messages[0].senderId"},
		{"P2P receiver neither me nor the peer", set("receiverId", "carol"), "messages[0].receiverId"},
		{"messageConfig null", set("messageConfig", nil), "messages[0].messageConfig must be an object, got null"},
		{"messageConfig array", set("messageConfig", []any{}), "messages[0].messageConfig must be an object, got an array"},
		{"messageConfig string", set("messageConfig", "x"), "messages[0].messageConfig must be an object, got a string"},
		{"messageConfig.unreadEnabled null", set("messageConfig", map[string]any{"unreadEnabled": nil}), "messages[0].messageConfig.unreadEnabled must be a boolean, got null"},
		{"messageConfig.unreadEnabled bigint", set("messageConfig", map[string]any{"unreadEnabled": jsBigint}), "messages[0].messageConfig.unreadEnabled must be a boolean, got a bigint"},
		{"messageConfig.lastMessageUpdateEnabled string", set("messageConfig", map[string]any{"lastMessageUpdateEnabled": "no"}), "messages[0].messageConfig.lastMessageUpdateEnabled must be a boolean, got a string"},
		{"attachment null", set("attachment", nil), "messages[0].attachment must be an object or a string, got null"},
		{"attachment number", set("attachment", 1), "messages[0].attachment must be an object or a string, got a number"},
		{"attachment array", set("attachment", []any{}), "messages[0].attachment must be an object or a string, got an array"},
		{"attachment function", set("attachment", jsFunction), "messages[0].attachment must be an object or a string, got a function"},
		{"attachment holding NaN", set("attachment", map[string]any{"w": jsNaN}), "messages[0].attachment.w must not hold NaN"},
		{"attachment holding a function deep inside", set("attachment", map[string]any{"a": map[string]any{"b": []any{1, jsFunction}}}), "messages[0].attachment.a.b[1] must not hold a function"},
		{"attachment holding undefined in an array", set("attachment", map[string]any{"list": []any{jsUndefined}}), "messages[0].attachment.list[0] must not hold undefined"},
		{"attachment holding a Date", set("attachment", map[string]any{"at": "\x00cDate"}), "messages[0].attachment.at must not hold a Date object"},
		{"attachment holding an object with toJSON", set("attachment", map[string]any{"a": []any{"\x00j"}}), "messages[0].attachment.a[0] must not hold an object with a toJSON method"},
		{"attachment holding a lone surrogate", set("attachment", map[string]any{"s": "\x00w0"}), "messages[0].attachment.s must not hold a string that is not well-formed UTF-16"},
		{"attachment a Date", set("attachment", "\x00cDate"), "messages[0].attachment must be an object or a string, got a Date object"},
		{"attachment a lone surrogate", set("attachment", "\x00w3"), "messages[0].attachment must be a well-formed UTF-16 string, got a string that is not well-formed UTF-16 (a lone surrogate at index 3"},
	} {
		add(c.label, c.m, c.want)
	}
	out = append(out,
		badArg{"second message bad", []any{validMessage(), messageWith(func(m map[string]any) { m["createTime"] = "now" })},
			"messages[1].createTime must be a finite number, got a string"},
		badArg{"empty", []any{}, "messages must not be empty"},
		badArg{"number entry", []any{1}, "messages[0] must be an object, got a number"},
		badArg{"array entry", []any{[]any{}}, "messages[0] must be an object, got an array"},
		badArg{"null entry", []any{nil}, "messages[0] must be an object, got null"},
		badArg{"undefined entry", []any{jsUndefined}, "messages[0] must be an object, got undefined"},
		badArg{"one too many", jsonArray(`{}`, MaxListLength+1), fmt.Sprintf("has %d entries, at most %d", MaxListLength+1, MaxListLength)},
		hugeArg(hugeObjects()),
	)
	return out
}

func dispatchCases() []dispatchCase {
	bob, t1, s1, carol, nobody := p2p("bob"), team("t1"), superTeam("s1"), p2p("carol"), p2p("nobody")
	idParam := dispatchParam{"conversationId", kString, conversationIDArgs(true)}
	bobRefer := map[string]any{"conversationId": bob, "messageClientId": "m2"}
	offsetParam := dispatchParam{"offset", kNumber, []badArg{
		{"negative", -1, "offset must be a finite number >= 0, got -1"},
		{"negative fraction", -0.5, "offset must be a finite number >= 0"},
		{"beyond float64", json.RawMessage("1e400"), "offset must be a finite number, got 1e400"},
	}}
	limitParam := dispatchParam{"limit", kNumber, []badArg{
		{"fraction", 10.5, "limit must be an integer, got 10.5"},
		{"beyond float64", json.RawMessage("-1e400"), "limit must be a finite number, got -1e400"},
	}}
	ids := func(t *testing.T, out []byte) []string {
		var cs []Conversation
		require.NoError(t, json.Unmarshal(out, &cs))
		return idsOf(cs)
	}
	page := func(t *testing.T, out []byte) ConversationResult {
		var r ConversationResult
		require.NoError(t, json.Unmarshal(out, &r))
		require.NotNil(t, r.ConversationList, "conversationList is never null")
		return r
	}
	results := func(t *testing.T, out []byte) []map[string]any {
		var rs []map[string]any
		require.NoError(t, json.Unmarshal(out, &rs))
		return rs
	}
	return []dispatchCase{
		{"createConversation", []any{p2p("dave")}, []dispatchParam{{"conversationId", kString, conversationIDArgs(false)}},
			func(f *specFixture, out []byte) {
				require.JSONEq(f.t, `{"conversationId":"alice|1|dave","type":1,"name":"","avatar":"","mute":false,
					"stickTop":false,"localExtension":"","lastMessage":null,"unreadCount":0,"sortOrder":1000,
					"createTime":1000,"updateTime":1000}`, string(out))
				f.requireEvents(wantCreated(f.conv(p2p("dave"))))
			}},
		{"updateConversationLocalExtension", []any{bob, "ext"}, []dispatchParam{idParam, {"localExtension", kString, []badArg{
			{"over 64 KiB", strings.Repeat("é", MaxLocalExtensionBytes/2+1), "localExtension is 65538 bytes, at most 65536"},
		}}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				require.Equal(f.t, "ext", f.conv(bob).LocalExtension)
				f.requireEvents(wantChanged(f.conv(bob)))
			}},
		{"deleteConversation", []any{bob, true}, []dispatchParam{idParam, {"clearMessage", kOptBool, nil}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				_, err := f.GetConversation(bob)
				requireCode(f.t, CodeInvalidParam, err)
				require.True(f.t, f.stored(bob, "m1").Deleted, "clearMessage deletes the stored messages")
				f.requireEvents(wantDeleted(bob), wantTotal(2))
			}},
		{"deleteConversationListByIds", []any{[]any{bob, nobody}, false}, []dispatchParam{
			{"conversationIds", kArray, idListArgs(MaxDeleteIDs)}, {"clearMessage", kOptBool, nil}},
			func(f *specFixture, out []byte) {
				rs := results(f.t, out)
				require.Len(f.t, rs, 2)
				require.Equal(f.t, map[string]any{"conversationId": bob}, rs[0])
				require.Equal(f.t, nobody, rs[1]["conversationId"])
				e := rs[1]["error"].(map[string]any)
				require.EqualValues(f.t, CodeInvalidParam, e["code"])
				require.Contains(f.t, e["message"], nobody)
				require.False(f.t, f.stored(bob, "m1").Deleted, "clearMessage false keeps the messages")
				f.requireEvents(wantDeleted(bob), wantTotal(2))
			}},
		{"stickTopConversation", []any{bob, true}, []dispatchParam{idParam, {"stickTop", kBool, nil}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				c := f.conv(bob)
				require.True(f.t, c.StickTop)
				require.EqualValues(f.t, 1e15+1000, c.SortOrder)
				f.requireEvents(wantChanged(c))
			}},
		{"getConversation", []any{bob}, []dispatchParam{idParam},
			func(f *specFixture, out []byte) {
				require.JSONEq(f.t, `{"conversationId":"alice|1|bob","type":1,"name":"","avatar":"","mute":false,
					"stickTop":false,"localExtension":"","unreadCount":2,"sortOrder":200,"createTime":1000,"updateTime":1000,
					"lastMessage":{"lastMessageState":0,"messageRefer":{"senderId":"bob","receiverId":"alice",
					"messageClientId":"m2","messageServerId":"","conversationType":1,"conversationId":"alice|1|bob",
					"createTime":200},"messageType":0,"subType":0,"sendingState":0,"text":"hello m2",
					"revokeAccountId":"","revokeType":0,"serverExtension":"","callbackExtension":""}}`, string(out))
				f.requireNoEvents()
			}},
		{"getConversationList", []any{0, 2}, []dispatchParam{offsetParam, limitParam},
			func(f *specFixture, out []byte) {
				r := page(f.t, out)
				require.Equal(f.t, []string{carol, bob}, idsOf(r.ConversationList))
				require.False(f.t, r.Finished)
				require.EqualValues(f.t, 200, r.Offset)
				r = page(f.t, f.mustCallJS("getConversationList", r.Offset, 2))
				require.Equal(f.t, []string{t1, s1}, idsOf(r.ConversationList))
				require.True(f.t, r.Finished)
				require.Zero(f.t, r.Offset)
				r = page(f.t, f.mustCallJS("getConversationList", 0, 0))
				require.Len(f.t, r.ConversationList, 4, "limit 0 means 100")
				f.requireNoEvents()
			}},
		{"getConversationListByOption", []any{0, 10, map[string]any{"conversationTypes": []any{3, 2}, "onlyUnread": true}},
			[]dispatchParam{offsetParam, limitParam, {"option", kOptObject, optionArgs()}},
			func(f *specFixture, out []byte) {
				r := page(f.t, out)
				require.Equal(f.t, []string{t1, s1}, idsOf(r.ConversationList))
				require.True(f.t, r.Finished)
				f.requireNoEvents()
			}},
		{"getConversationListByIds", []any{[]any{s1, nobody, bob, s1}}, []dispatchParam{{"conversationIds", kArray, idListArgs(MaxListLength)}},
			func(f *specFixture, out []byte) {
				require.Equal(f.t, []string{s1, bob}, ids(f.t, out))
				require.JSONEq(f.t, `[]`, string(f.mustCallJS("getConversationListByIds", []any{nobody})), "none found is [], not null")
			}},
		{"getStickTopConversationList", nil, nil,
			func(f *specFixture, out []byte) {
				require.Equal(f.t, []string{carol}, ids(f.t, out))
				require.NoError(f.t, f.StickTopConversation(f.ctx, carol, false))
				require.JSONEq(f.t, `[]`, string(f.mustCallJS("getStickTopConversationList")), "none pinned is [], not null")
			}},
		{"getTotalUnreadCount", nil, nil,
			func(f *specFixture, out []byte) { require.JSONEq(f.t, `4`, string(out)) }},
		{"getUnreadCountByIds", []any{[]any{bob, s1, nobody, bob}}, []dispatchParam{{"conversationIds", kArray, idListArgs(MaxListLength)}},
			func(f *specFixture, out []byte) { require.JSONEq(f.t, `3`, string(out)) }},
		{"getUnreadCountByFilter", []any{map[string]any{"conversationTypes": []any{3, 2}, "ignoreMuted": true}},
			[]dispatchParam{{"filter", kObject, filterArgs()}},
			func(f *specFixture, out []byte) {
				require.JSONEq(f.t, `1`, string(out), "t1 only: s1 is muted")
				require.JSONEq(f.t, `2`, string(f.mustCallJS("getUnreadCountByFilter", map[string]any{"conversationTypes": []any{3, 2}})))
				require.JSONEq(f.t, `3`, string(f.mustCallJS("getUnreadCountByFilter", map[string]any{"ignoreMuted": true})))
			}},
		{"clearTotalUnreadCount", nil, nil,
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				require.Zero(f.t, f.total())
			}},
		{"clearUnreadCountByIds", []any{[]any{bob, nobody}}, []dispatchParam{{"conversationIds", kArray, idListArgs(MaxClearIDs)}},
			func(f *specFixture, out []byte) {
				rs := results(f.t, out)
				require.Len(f.t, rs, 2)
				require.Equal(f.t, map[string]any{"conversationId": bob}, rs[0])
				require.EqualValues(f.t, CodeInvalidParam, rs[1]["error"].(map[string]any)["code"])
				require.EqualValues(f.t, 2, f.total())
			}},
		{"clearUnreadCountByTypes", []any{[]any{1, 3}}, []dispatchParam{{"conversationTypes", kArray, append(typeListArgs("conversationTypes"),
			badArg{"empty", []any{}, "conversationTypes must not be empty"}, hugeArg(hugeNumbers()))}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				require.EqualValues(f.t, 1, f.total(), "t1 keeps its unread")
			}},
		{"subscribeUnreadCountByFilter", []any{map[string]any{"conversationTypes": []any{2, 1, 2}}}, []dispatchParam{{"filter", kObject, filterArgs()}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				flt := Filter{ConversationTypes: []ConversationType{1, 2}}
				f.requireEvents(wantFilter(flt, 3))
				f.apply(msg(bob, "m3", 300))
				f.requireEvents(wantChanged(f.conv(bob)), wantTotal(5), wantFilter(flt, 4))
			}},
		{"unsubscribeUnreadCountByFilter", []any{map[string]any{"conversationTypes": []any{1}}}, []dispatchParam{{"filter", kObject, filterArgs()}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				f.apply(msg(bob, "m3", 300))
				f.requireEvents(wantChanged(f.conv(bob)), wantTotal(5))
			}},
		{"markConversationRead", []any{bob}, []dispatchParam{idParam},
			func(f *specFixture, out []byte) {
				require.JSONEq(f.t, `1000`, string(out), "max(read time, now, newest message)")
				require.Zero(f.t, f.unread(bob))
			}},
		{"getConversationReadTime", []any{bob}, []dispatchParam{idParam},
			func(f *specFixture, out []byte) {
				require.JSONEq(f.t, `0`, string(out))
				_, err := f.MarkConversationRead(f.ctx, bob)
				require.NoError(f.t, err)
				require.JSONEq(f.t, `1000`, string(f.mustCallJS("getConversationReadTime", bob)))
			}},
		{"applyMessages", []any{[]any{validMessage(), map[string]any{"conversationId": bob, "messageClientId": "m1", "senderId": "bob", "createTime": 100, "messageType": 0}}},
			[]dispatchParam{{"messages", kArray, messageFieldArgs()}},
			func(f *specFixture, out []byte) {
				require.JSONEq(f.t, `{"applied":1,"duplicates":1}`, string(out))
				c := f.conv(bob)
				require.Equal(f.t, 3, c.UnreadCount)
				require.Equal(f.t, "m9", c.LastMessage.MessageRefer.MessageClientID)
			}},
		{"revokeMessage", []any{bobRefer, map[string]any{"revokeAccountId": "bob", "revokeType": 1}},
			[]dispatchParam{{"refer", kObject, append(referArgs("refer"),
				badArg{"not stored", map[string]any{"conversationId": bob, "messageClientId": "nope"}, "refer: message \"nope\" is not stored"},
				badArg{"unknown conversation", map[string]any{"conversationId": nobody, "messageClientId": "m1"}, "refer.conversationId"},
			)}, {"revokeInfo", kOptObject, []badArg{
				{"revokeAccountId number", map[string]any{"revokeAccountId": 1}, "revokeInfo.revokeAccountId must be a string, got a number"},
				{"revokeAccountId null", map[string]any{"revokeAccountId": nil}, "revokeInfo.revokeAccountId must be a string, got null"},
				{"revokeType fraction", map[string]any{"revokeType": 1.5}, "revokeInfo.revokeType must be an integer"},
				{"postscript number", map[string]any{"postscript": 1}, "revokeInfo.postscript must be a string, got a number"},
				{"postscript Date", map[string]any{"postscript": "\x00cDate"}, "revokeInfo.postscript must be a string, got a Date object"},
				{"revokeType string", map[string]any{"revokeType": "1"}, "revokeInfo.revokeType must be a finite number, got a string"},
			}}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				c := f.conv(bob)
				require.Equal(f.t, LastMessageStateRevoked, c.LastMessage.LastMessageState)
				require.Equal(f.t, "bob", c.LastMessage.RevokeAccountID)
				require.Equal(f.t, 1, c.LastMessage.RevokeType)
				require.Equal(f.t, 1, c.UnreadCount)
			}},
		{"deleteMessages", []any{[]any{bobRefer}}, []dispatchParam{{"refers", kArray, append(inArray(referArgs("refers[0]")),
			badArg{"empty", []any{}, "refers must not be empty"},
			badArg{"number entry", []any{1}, "refers[0] must be an object, got a number"},
			badArg{"second entry bad", []any{bobRefer, map[string]any{"conversationId": bob}}, "refers[1].messageClientId must be a string, got undefined"},
			hugeArg(hugeObjects()),
		)}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				c := f.conv(bob)
				require.Equal(f.t, "m1", c.LastMessage.MessageRefer.MessageClientID)
				require.Equal(f.t, 1, c.UnreadCount)
			}},
		{"updateConversationInfo", []any{bob, map[string]any{"name": "Bob", "avatar": "b.png", "mute": true}},
			[]dispatchParam{idParam, {"info", kObject, []badArg{
				{"name number", map[string]any{"name": 1}, "info.name must be a string, got a number"},
				{"avatar null", map[string]any{"avatar": nil}, "info.avatar must be a string, got null"},
				{"mute string", map[string]any{"mute": "yes"}, "info.mute must be a boolean, got a string"},
				{"mute null", map[string]any{"name": "Bob", "mute": nil}, "info.mute must be a boolean, got null"},
				{"mute NaN", map[string]any{"mute": jsNaN}, "info.mute must be a boolean, got NaN"},
			}}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				c := f.conv(bob)
				require.Equal(f.t, "Bob", c.Name)
				require.Equal(f.t, "b.png", c.Avatar)
				require.True(f.t, c.Mute)
				f.requireEvents(wantChanged(c))
			}},
		{"setCurrentConversation", []any{bob}, []dispatchParam{{"conversationId", kNullableString, append(nonEmpty(conversationIDArgs(false)),
			badArg{"empty", "", "conversationId must not be empty (pass null"})}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				require.Zero(f.t, f.unread(bob))
				f.apply(msg(bob, "m3", 1300))
				require.Zero(f.t, f.unread(bob), "the current conversation takes no unread")
				f.mustCallJS("setCurrentConversation", nil)
				f.apply(msg(bob, "m4", 1400))
				require.Equal(f.t, 1, f.unread(bob))
			}},
		{"applyReadTime", []any{bob, 150}, []dispatchParam{idParam, {"readTime", kNumber, []badArg{
			{"negative", -1, "readTime must be a time"},
			{"1e15", 1e15, "readTime must be a time"},
			{"fraction", 150.5, "readTime must be an integer"},
		}}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				require.Equal(f.t, 1, f.unread(bob))
				require.Equal(f.t, int64(150), f.readTime(bob))
				f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 150), wantTotal(3))
			}},
		{"applyReadTimes", []any{[]any{map[string]any{"conversationId": bob, "readTime": 150}}}, []dispatchParam{{"readTimes", kArray, []badArg{
			{"empty", []any{}, "readTimes must not be empty"},
			{"entry not an object", []any{1}, "readTimes[0] must be an object"},
			{"id missing", []any{map[string]any{"readTime": 1}}, "readTimes[0].conversationId"},
			{"time a string", []any{map[string]any{"conversationId": bob, "readTime": "1"}}, "readTimes[0].readTime must be a finite number, got a string"},
			{"time negative", []any{map[string]any{"conversationId": bob, "readTime": -1}}, "readTimes[0].readTime must be a time"},
		}}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				require.Equal(f.t, 1, f.unread(bob))
				require.Equal(f.t, int64(150), f.readTime(bob))
				f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 150), wantTotal(3))
			}},
		{"applyClearHistory", []any{bob, 150}, []dispatchParam{{"conversationId", kString, conversationIDArgs(false)}, {"deleteTime", kNumber, []badArg{
			{"negative", -1, "deleteTime must be a time"},
			{"1e15", 1e15, "deleteTime must be a time"},
			{"fraction", 150.5, "deleteTime must be an integer"},
		}}},
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				require.Equal(f.t, 1, f.unread(bob))
				require.Equal(f.t, int64(150), f.readTime(bob))
				require.True(f.t, f.stored(bob, "m1").Deleted)
				f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 150), wantTotal(3))
			}},
		{"close", nil, nil,
			func(f *specFixture, out []byte) {
				require.Nil(f.t, out)
				_, err := f.callJS("getTotalUnreadCount")
				requireCode(f.t, CodeClosed, err)
			}},
	}
}

// dispatchSetup prepares the seeded fixture further for some methods.
var dispatchSetup = map[string]func(f *specFixture){
	// Something to unsubscribe from, which a rejected call must leave subscribed.
	"unsubscribeUnreadCountByFilter": func(f *specFixture) {
		f.subscribe(Filter{ConversationTypes: []ConversationType{TypeP2P}})
	},
}

// seededFor is the fixture every dispatch test of method starts from.
func seededFor(t *testing.T, method string) *specFixture {
	f := newSpec(t)
	f.seeded()
	if setup := dispatchSetup[method]; setup != nil {
		setup(f)
	}
	return f
}

func TestDispatchCoversEveryMethod(t *testing.T) {
	var names []string
	for _, c := range dispatchCases() {
		names = append(names, c.method)
	}
	got := Methods()
	sort.Strings(names)
	sort.Strings(got)
	require.Equal(t, got, names, "every method Call takes has its case here, and no other")
}

// TestDispatchNormalCall makes one valid call of every method through Call
// and checks its JSON result.
func TestDispatchNormalCall(t *testing.T) {
	for _, c := range dispatchCases() {
		t.Run(c.method, func(t *testing.T) {
			f := seededFor(t, c.method)
			out, err := f.callJS(c.method, c.args...)
			require.NoError(t, err)
			if out != nil {
				require.True(t, json.Valid(out), "%s", out)
			}
			c.check(f, out)
		})
	}
}

// TestDispatchRejectsBadArguments gives every parameter of every method each
// JS value of a wrong type, leaves required ones out, and gives values of the
// right type that break a rule: each call fails with 191004 naming the
// parameter, changes nothing and emits nothing.
func TestDispatchRejectsBadArguments(t *testing.T) {
	for _, c := range dispatchCases() {
		t.Run(c.method, func(t *testing.T) {
			f := seededFor(t, c.method)
			for i, p := range c.params {
				with := func(v any) []any {
					args := append([]any(nil), c.args...)
					args[i] = v
					return args
				}
				for _, v := range jsValues {
					if p.kind.accepts(v.kind) {
						continue
					}
					t.Run(p.name+"/"+v.label, func(t *testing.T) {
						f.t = t
						f.requireRejectedJS(c.method, with(v.v), p.name, "must be ", "got "+v.kind)
					})
				}
				if p.kind.required() {
					t.Run(p.name+"/missing", func(t *testing.T) {
						f.t = t
						f.requireRejectedJS(c.method, c.args[:i], p.name, "got undefined")
					})
				}
				for _, b := range p.extra {
					t.Run(p.name+"/"+b.label, func(t *testing.T) {
						f.t = t
						f.requireRejectedJS(c.method, with(b.v), p.name, b.want)
					})
				}
			}
		})
	}
}

// requireRejectedJS calls method through Call, which must fail with 191004
// naming param (and holding each of want), changing and emitting nothing.
func (f *specFixture) requireRejectedJS(method string, args []any, param string, want ...string) {
	f.t.Helper()
	f.requireRejected(CodeInvalidParam, param, func() error {
		out, err := f.callJS(method, args...)
		require.Nil(f.t, out)
		if e, ok := err.(*Error); ok {
			for _, w := range want {
				require.Contains(f.t, e.Message, w)
			}
		}
		return err
	})
}

func TestDispatchRejectsMalformedJSON(t *testing.T) {
	bad := []struct{ label, data string }{
		{"empty", ``},
		{"whitespace", " \n"},
		{"unterminated", `["alice|1|bob"`},
		{"trailing comma", `["alice|1|bob",]`},
		{"two arrays", `["alice|1|bob"] ["alice|1|bob"]`},
		{"trailing bracket", `["alice|1|bob"]]`},
		{"trailing garbage", `["alice|1|bob"] x`},
		{"object", `{"0":"alice|1|bob"}`},
		{"null", `null`},
		{"string", `"alice|1|bob"`},
		{"number", `1`},
		{"NaN literal", `[NaN]`},
		{"undefined literal", `[undefined]`},
		{"single quotes", `['alice|1|bob']`},
		{"raw control character", "[\"alice|1|b\x00ob\"]"},
		{"unquoted key", `[{conversationId: "alice|1|bob"}]`},
	}
	for _, method := range Methods() {
		t.Run(method, func(t *testing.T) {
			f := seededFor(t, method)
			for _, b := range bad {
				t.Run(b.label, func(t *testing.T) {
					f.t = t
					f.requireRejected(CodeInvalidParam, "arguments", func() error {
						out, err := f.Call(f.ctx, method, []byte(b.data))
						require.Nil(t, out)
						return err
					})
				})
			}
		})
	}
}

func TestDispatchRejectsUnknownMethod(t *testing.T) {
	f := newSpec(t)
	f.seeded()
	for _, name := range []string{"", "getconversation", "GetConversation", "constructor", "__proto__", "toString"} {
		f.requireRejected(CodeInvalidParam, "no method named", func() error {
			out, err := f.Call(f.ctx, name, []byte(`[]`))
			require.Nil(t, out)
			return err
		})
	}
}

// TestDispatchRejectsHugeArraysWithoutDecodingThem: an array of a million
// entries is counted, not decoded, so its rejection allocates next to nothing
// (decoding it would allocate at least once per entry).
func TestDispatchRejectsHugeArraysWithoutDecodingThem(t *testing.T) {
	f := newSpec(t)
	f.seeded()
	for _, c := range []struct {
		method string
		arg    json.RawMessage
		param  string
	}{
		{"getConversationListByIds", hugeIDs(), "conversationIds"},
		{"deleteConversationListByIds", hugeIDs(), "conversationIds"},
		{"clearUnreadCountByTypes", hugeNumbers(), "conversationTypes"},
		{"applyMessages", hugeObjects(), "messages"},
		{"deleteMessages", hugeObjects(), "refers"},
		{"getConversation", hugeIDs(), "conversationId"},
	} {
		data := jsArgs(t, c.arg, false)
		allocs := testing.AllocsPerRun(1, func() {
			_, err := f.Call(f.ctx, c.method, data)
			requireCode(t, CodeInvalidParam, err)
			require.Contains(t, err.(*Error).Message, c.param)
		})
		require.Less(t, allocs, 200.0, c.method)
	}
}

// TestDispatchOptionalArguments: an optional parameter may be left out or be
// undefined, at the end of the list or inside an object.
func TestDispatchOptionalArguments(t *testing.T) {
	bob, t1, s1 := p2p("bob"), team("t1"), superTeam("s1")
	t.Run("deleteConversation without clearMessage", func(t *testing.T) {
		for _, args := range [][]any{{bob}, {bob, jsUndefined}} {
			f := newSpec(t)
			f.seeded()
			f.mustCallJS("deleteConversation", args...)
			require.False(t, f.stored(bob, "m1").Deleted, "clearMessage defaults to false")
			f.requireEvents(wantDeleted(bob), wantTotal(2))
		}
	})
	t.Run("deleteConversationListByIds without clearMessage", func(t *testing.T) {
		f := newSpec(t)
		f.seeded()
		require.JSONEq(t, `[{"conversationId":"alice|1|bob"}]`, string(f.mustCallJS("deleteConversationListByIds", []any{bob})))
		require.False(t, f.stored(bob, "m1").Deleted)
	})
	t.Run("getConversationListByOption without option", func(t *testing.T) {
		f := newSpec(t)
		f.seeded()
		for _, args := range [][]any{{0, 10}, {0, 10, jsUndefined}, {0, 10, map[string]any{}},
			{0, 10, map[string]any{"conversationTypes": jsUndefined, "onlyUnread": jsUndefined}},
			{0, 10, map[string]any{"conversationTypes": []any{}, "onlyUnread": false}}} {
			var r ConversationResult
			require.NoError(t, json.Unmarshal(f.mustCallJS("getConversationListByOption", args...), &r))
			require.Len(t, r.ConversationList, 4, "%v", args)
		}
	})
	t.Run("filter without ignoreMuted", func(t *testing.T) {
		f := newSpec(t)
		f.seeded()
		for _, flt := range []map[string]any{{"conversationTypes": []any{3}}, {"conversationTypes": []any{3}, "ignoreMuted": jsUndefined}} {
			require.JSONEq(t, `1`, string(f.mustCallJS("getUnreadCountByFilter", flt)))
		}
		require.JSONEq(t, `3`, string(f.mustCallJS("getUnreadCountByFilter", map[string]any{"conversationTypes": jsUndefined, "ignoreMuted": true})))
	})
	t.Run("revokeMessage without revokeInfo", func(t *testing.T) {
		for _, args := range [][]any{{map[string]any{"conversationId": bob, "messageClientId": "m2"}},
			{map[string]any{"conversationId": bob, "messageClientId": "m2"}, jsUndefined},
			{map[string]any{"conversationId": bob, "messageClientId": "m2"}, map[string]any{}}} {
			f := newSpec(t)
			f.seeded()
			f.mustCallJS("revokeMessage", args...)
			lm := f.conv(bob).LastMessage
			require.Equal(t, LastMessageStateRevoked, lm.LastMessageState)
			require.Empty(t, lm.RevokeAccountID)
			require.Zero(t, lm.RevokeType)
		}
	})
	t.Run("a full messageRefer is a refer", func(t *testing.T) {
		f := newSpec(t)
		f.seeded()
		refer, err := json.Marshal(f.conv(bob).LastMessage.MessageRefer)
		require.NoError(t, err)
		f.mustCallJS("deleteMessages", []any{json.RawMessage(refer)})
		require.Equal(t, "m1", f.conv(bob).LastMessage.MessageRefer.MessageClientID)
	})
	t.Run("updateConversationInfo with nothing set", func(t *testing.T) {
		f := newSpec(t)
		f.seeded()
		before := f.snapshot()
		f.mustCallJS("updateConversationInfo", t1, map[string]any{"name": jsUndefined})
		require.Equal(t, before, f.snapshot())
		f.requireNoEvents()
	})
	t.Run("setCurrentConversation with no conversation", func(t *testing.T) {
		for _, args := range [][]any{{}, {nil}, {jsUndefined}} {
			f := newSpec(t)
			f.seeded()
			f.mustCallJS("setCurrentConversation", s1)
			f.mustCallJS("setCurrentConversation", args...)
			f.apply(msg(s1, "s1b", 1300)) // after the read time it was marked with (now, 1000)
			require.Equal(t, 1, f.unread(s1), "%v clears the current conversation", args)
		}
	})
	t.Run("message optional fields undefined", func(t *testing.T) {
		f := newSpec(t)
		f.seeded()
		m := validMessage()
		for _, k := range []string{"messageServerId", "receiverId", "text", "serverExtension", "callbackExtension",
			"senderName", "subType", "sendingState", "unreadEnabled", "lastMessageUpdateEnabled", "attachment", "messageConfig"} {
			m[k] = jsUndefined
		}
		require.JSONEq(t, `{"applied":1,"duplicates":0}`, string(f.mustCallJS("applyMessages", []any{m})))
		stored := f.stored(bob, "m9")
		require.True(t, stored.UnreadEnabled)
		require.True(t, stored.LastMessageUpdateEnabled)
		require.Equal(t, "alice", stored.ReceiverID, "receiverId of a P2P message to me defaults to me")
		require.Empty(t, stored.Attachment)
		require.Equal(t, 3, f.unread(bob))
	})
}

// TestDispatchNullIsNotAnOptionalValue: docs/api.md §2 "null is not a boolean".
func TestDispatchNullIsNotAnOptionalValue(t *testing.T) {
	bob := p2p("bob")
	f := newSpec(t)
	f.seeded()
	f.requireRejectedJS("deleteConversation", []any{bob, nil}, "clearMessage", "clearMessage must be a boolean, got null")
	f.requireRejectedJS("deleteConversationListByIds", []any{[]any{bob}, nil}, "clearMessage", "got null")
	f.requireRejectedJS("getConversationListByOption", []any{0, 10, nil}, "option", "option must be an object, got null")
	f.requireRejectedJS("revokeMessage", []any{map[string]any{"conversationId": bob, "messageClientId": "m2"}, nil}, "revokeInfo", "got null")
	m := validMessage()
	m["unreadEnabled"] = nil
	f.requireRejectedJS("applyMessages", []any{[]any{m}}, "messages[0].unreadEnabled", "got null")
}

// TestDispatchEscapedStrings: a real string starting with U+0000 arrives
// escaped and is kept as the app wrote it, markers included, wherever it is.
func TestDispatchEscapedStrings(t *testing.T) {
	bob := p2p("bob")
	f := newSpec(t)
	f.seeded()
	for _, s := range []string{"\x00", "\x00u", "\x00N", "\x00s", "\x00s\x00u", "\x00 plain"} {
		f.mustCallJS("updateConversationLocalExtension", bob, jsEscaped(s))
		var c Conversation
		require.NoError(t, json.Unmarshal(f.mustCallJS("getConversation", bob), &c))
		require.Equal(t, s, c.LocalExtension, "%q", s)
	}
	f.mustCallJS("updateConversationInfo", bob, map[string]any{"name": jsEscaped("\x00f"), "avatar": jsEscaped("\x00I")})
	c := f.conv(bob)
	require.Equal(t, "\x00f", c.Name)
	require.Equal(t, "\x00I", c.Avatar)

	m := validMessage()
	m["text"] = jsEscaped("\x00y")
	m["attachment"] = map[string]any{"k": jsEscaped("\x00b"), "list": []any{jsEscaped("\x00u")}}
	f.mustCallJS("applyMessages", []any{m})
	var got struct {
		LastMessage struct {
			Text       string          `json:"text"`
			Attachment json.RawMessage `json:"attachment"`
		} `json:"lastMessage"`
	}
	require.NoError(t, json.Unmarshal(f.mustCallJS("getConversation", bob), &got))
	require.Equal(t, "\x00y", got.LastMessage.Text)
	require.JSONEq(t, `{"k":"\u0000b","list":["\u0000u"]}`, string(got.LastMessage.Attachment))

	// A string that is not a marker the wrapper writes passes through unchanged.
	f.mustCallJS("updateConversationLocalExtension", bob, "not \x00 at the start")
	require.Equal(t, "not \x00 at the start", f.conv(bob).LocalExtension)
}

// TestDispatchMessageConfig: unreadEnabled and lastMessageUpdateEnabled may
// come in messageConfig, as in the NIM SDK's V2NIMMessage; a top-level value
// wins over messageConfig's.
func TestDispatchMessageConfig(t *testing.T) {
	bob := p2p("bob")
	cases := []struct {
		label                string
		edit                 func(m map[string]any)
		unread, lastMsgMoves bool
	}{
		{"defaults", func(m map[string]any) {}, true, true},
		{"empty messageConfig", func(m map[string]any) { m["messageConfig"] = map[string]any{} }, true, true},
		{"undefined messageConfig", func(m map[string]any) { m["messageConfig"] = jsUndefined }, true, true},
		{"undefined flags in messageConfig", func(m map[string]any) {
			m["messageConfig"] = map[string]any{"unreadEnabled": jsUndefined, "lastMessageUpdateEnabled": jsUndefined}
		}, true, true},
		{"messageConfig.unreadEnabled false", func(m map[string]any) {
			m["messageConfig"] = map[string]any{"unreadEnabled": false}
		}, false, true},
		{"messageConfig.lastMessageUpdateEnabled false", func(m map[string]any) {
			m["messageConfig"] = map[string]any{"lastMessageUpdateEnabled": false}
		}, true, false},
		{"both false in messageConfig, its other fields ignored", func(m map[string]any) {
			m["messageConfig"] = map[string]any{"unreadEnabled": false, "lastMessageUpdateEnabled": false, "readReceiptEnabled": true}
		}, false, false},
		{"top-level false", func(m map[string]any) {
			m["unreadEnabled"], m["lastMessageUpdateEnabled"] = false, false
		}, false, false},
		{"top-level true wins", func(m map[string]any) {
			m["unreadEnabled"], m["lastMessageUpdateEnabled"] = true, true
			m["messageConfig"] = map[string]any{"unreadEnabled": false, "lastMessageUpdateEnabled": false}
		}, true, true},
		{"top-level false wins", func(m map[string]any) {
			m["unreadEnabled"] = false
			m["messageConfig"] = map[string]any{"unreadEnabled": true}
		}, false, true},
		{"top-level undefined falls back to messageConfig", func(m map[string]any) {
			m["unreadEnabled"] = jsUndefined
			m["messageConfig"] = map[string]any{"unreadEnabled": false}
		}, false, true},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.mustCallJS("applyMessages", []any{messageWith(c.edit)})
			stored := f.stored(bob, "m9")
			require.Equal(t, c.unread, stored.UnreadEnabled)
			require.Equal(t, c.lastMsgMoves, stored.LastMessageUpdateEnabled)
			conv := f.conv(bob)
			wantUnread, wantLast := 2, "m2"
			if c.unread {
				wantUnread = 3
			}
			if c.lastMsgMoves {
				wantLast = "m9"
			}
			require.Equal(t, wantUnread, conv.UnreadCount)
			require.Equal(t, wantLast, conv.LastMessage.MessageRefer.MessageClientID)
		})
	}
}

// TestDispatchAttachment: an attachment (an object or a string) reaches
// lastMessage.attachment as the app gave it; none means no attachment field.
func TestDispatchAttachment(t *testing.T) {
	bob := p2p("bob")
	cases := []struct {
		label string
		in    any
		want  string // lastMessage.attachment as JSON; "" for absent
	}{
		{"object", map[string]any{"url": "https://x/a.png", "w": 640, "h": 480.5, "ok": true, "none": nil},
			`{"url":"https://x/a.png","w":640,"h":480.5,"ok":true,"none":null}`},
		{"nested", map[string]any{"a": []any{1, "two", nil, map[string]any{"b": []any{}}}, "c": map[string]any{}},
			`{"a":[1,"two",null,{"b":[]}],"c":{}}`},
		{"numbers kept exactly", json.RawMessage(`{"id":12345678901234567890,"f":1.10,"e":-2e-7}`),
			`{"id":12345678901234567890,"f":1.10,"e":-2e-7}`},
		{"unicode and escapes", map[string]any{"名": "值 \"quoted\" \\ \n ☃"}, `{"名":"值 \"quoted\" \\ \n ☃"}`},
		{"undefined properties dropped", map[string]any{"a": 1, "b": jsUndefined}, `{"a":1}`},
		{"string", `{"raw":1}`, `"{\"raw\":1}"`},
		{"empty string", "", `""`},
		{"empty object", map[string]any{}, `{}`},
		{"absent", jsUndefined, ``},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.mustCallJS("applyMessages", []any{messageWith(func(m map[string]any) { m["attachment"] = c.in })})
			var got struct {
				LastMessage map[string]json.RawMessage `json:"lastMessage"`
			}
			require.NoError(t, json.Unmarshal(f.mustCallJS("getConversation", bob), &got))
			att, ok := got.LastMessage["attachment"]
			if c.want == "" {
				require.False(t, ok, "no attachment, no field: %s", att)
				return
			}
			require.True(t, ok)
			require.JSONEq(t, c.want, string(att))
			if c.label == "numbers kept exactly" {
				for _, n := range []string{`12345678901234567890`, `1.10`, `-2e-7`} {
					require.Contains(t, string(att), n, "numbers are not rounded through float64")
				}
			}
			// The page JSON carries the same attachment.
			var r struct {
				ConversationList []struct {
					LastMessage map[string]json.RawMessage `json:"lastMessage"`
				} `json:"conversationList"`
			}
			require.NoError(t, json.Unmarshal(f.mustCallJS("getConversationListByOption", 0, 1, map[string]any{"conversationTypes": []any{1}, "onlyUnread": true}), &r))
			require.JSONEq(t, c.want, string(r.ConversationList[0].LastMessage["attachment"]))
		})
	}
}

// TestDispatchPinLimit: the 101st pin is 191004 naming the limit.
func TestDispatchPinLimit(t *testing.T) {
	f := newSpec(t)
	ids := idList(MaxPinned + 1)
	for _, id := range ids {
		f.create(id)
	}
	f.pin(ids[:MaxPinned]...)
	f.requireRejectedJS("stickTopConversation", []any{ids[MaxPinned], true}, "stickTop", "100")
	f.mustCallJS("stickTopConversation", ids[0], false)
	f.mustCallJS("stickTopConversation", ids[MaxPinned], true)
	require.True(t, f.conv(ids[MaxPinned]).StickTop)
}
