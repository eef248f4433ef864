package core

import (
	"math"
	"strconv"
	"strings"

	"github.com/localconv/localconv/internal/jsonx"
)

// Arguments cross from JavaScript as one JSON array. JSON cannot say
// undefined, NaN, Infinity, a function, a BigInt or a Symbol, so the wrapper
// encodes those as marker strings that start with U+0000, and escapes a real
// string that starts with U+0000 by prefixing "\x00s". decodeArgs turns them back
// into values whose JS type the error messages can name.
const (
	markerPrefix    = "\x00"
	markerUndefined = "\x00u"
	markerEscaped   = "\x00s"
	markerBoxed     = "\x00c" // + the constructor's name: new Boolean(false), a Date…
	markerIllFormed = "\x00w" // + the index of its first lone surrogate
)

var markerKinds = map[string]string{
	"\x00N": "NaN",
	"\x00I": "Infinity",
	"\x00i": "-Infinity",
	"\x00f": "a function",
	"\x00b": "a bigint",
	"\x00y": "a symbol",
	"\x00j": "an object with a toJSON method",
}

// undefinedValue is JS undefined: absent.
type undefinedValue struct{}

// badValue is a JS value no parameter accepts.
type badValue struct{ kind string }

// illFormedString is a JS string that is not well-formed UTF-16: Go strings
// (UTF-8) cannot hold a lone surrogate, so such a string is refused rather
// than silently changed.
type illFormedString struct{ index string }

// An argument that is an array longer than any parameter takes
// (MaxListLength) is a jsonx.LongArray: its entries are counted, not decoded,
// so that a huge array is rejected in about the time it takes to scan its text.

// decodeArgs parses the wrapper's JSON array of arguments.
func decodeArgs(data []byte) ([]any, error) {
	v, err := jsonx.ParseArgs(data, MaxListLength)
	if err != nil {
		return nil, invalid("arguments are not valid JSON: %v", err)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, invalid("arguments must be a JSON array")
	}
	for i := range list {
		list[i] = unmark(list[i])
	}
	return list, nil
}

func unmark(v any) any {
	switch x := v.(type) {
	case string:
		// v, not x, when nothing changes: x as an any again would be a new
		// allocation for every string of a call's arguments.
		if !strings.HasPrefix(x, markerPrefix) {
			return v
		}
		if strings.HasPrefix(x, markerEscaped) {
			return x[len(markerEscaped):]
		}
		if x == markerUndefined {
			return undefinedValue{}
		}
		if k, ok := markerKinds[x]; ok {
			return badValue{k}
		}
		if strings.HasPrefix(x, markerBoxed) {
			return badValue{"a " + x[len(markerBoxed):] + " object"}
		}
		if strings.HasPrefix(x, markerIllFormed) {
			return illFormedString{x[len(markerIllFormed):]}
		}
		return v
	case []any:
		for i := range x {
			x[i] = unmark(x[i])
		}
	case map[string]any:
		for k, e := range x {
			// Only a marker string changes; a property is written back only
			// then (writing a map while ranging over it allocates).
			s, ok := e.(string)
			if !ok || !strings.HasPrefix(s, markerPrefix) {
				unmark(e) // an array or object changes in place
				continue
			}
			if e = unmark(e); e == (undefinedValue{}) {
				delete(x, k) // an undefined property is an absent one
			} else {
				x[k] = e
			}
		}
	}
	return v
}

// kindOf names a value's JS type for error messages.
func kindOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case undefinedValue:
		return "undefined"
	case badValue:
		return x.kind
	case illFormedString:
		return "a string that is not well-formed UTF-16 (a lone surrogate at index " + x.index + ", which no stored string can keep)"
	case bool:
		return "a boolean"
	case jsonx.Number:
		return "a number"
	case string:
		return "a string"
	case []any, jsonx.LongArray:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "an unknown value"
}

func absent(v any) bool { return v == (undefinedValue{}) }

func wrongType(name, want string, v any) error {
	return invalid("%s must be %s, got %s", name, want, kindOf(v))
}

// arg returns argument i, undefined when it was left out.
func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefinedValue{}
}

func argString(v any, name string) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case illFormedString:
		return "", wrongType(name, "a well-formed UTF-16 string", v)
	}
	return "", wrongType(name, "a string", v)
}

func argOptString(v any, name string) (string, error) {
	if absent(v) {
		return "", nil
	}
	return argString(v, name)
}

func argBool(v any, name string) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, wrongType(name, "a boolean", v)
	}
	return b, nil
}

func argOptBool(v any, name string, def bool) (bool, error) {
	if absent(v) {
		return def, nil
	}
	return argBool(v, name)
}

// optBool is argOptBool as a parameter's decoder, with its default.
func optBool(def bool) func(any, string) (bool, error) {
	return func(v any, name string) (bool, error) { return argOptBool(v, name, def) }
}

func argNumber(v any, name string) (float64, error) {
	n, ok := v.(jsonx.Number)
	if !ok {
		return 0, wrongType(name, "a finite number", v)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, invalid("%s must be a finite number, got %s", name, n)
	}
	return f, nil
}

// argInt decodes an integer parameter. Its range is the method's rule
// (validate.go); a number too large for int64 is kept as the nearest int64,
// which is out of every range there.
func argInt(v any, name string) (int64, error) {
	f, err := argNumber(v, name)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) {
		return 0, invalid("%s must be an integer, got %s", name, formatNumber(f))
	}
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64, nil
	case f <= math.MinInt64:
		return math.MinInt64, nil
	}
	return int64(f), nil
}

func argOptInt(v any, name string, def int64) (int64, error) {
	if absent(v) {
		return def, nil
	}
	return argInt(v, name)
}

func argArray(v any, name string, max int) ([]any, error) {
	// The length is checked here, before the entries are decoded, so that a
	// huge list costs nothing; the rule is validate.go's.
	if l, ok := v.(jsonx.LongArray); ok {
		return nil, checkLength(name, l.N, max)
	}
	a, ok := v.([]any)
	if !ok {
		return nil, wrongType(name, "an array", v)
	}
	return a, checkLength(name, len(a), max)
}

func argObject(v any, name string) (map[string]any, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, wrongType(name, "an object", v)
	}
	return o, nil
}

// argList decodes an array whose every entry one decoder reads, naming each
// entry name[i]. The length limit is the method's (validate.go);
// MaxListLength only bounds the work here.
func argList[T any](v any, name string, entry func(any, string) (T, error)) ([]T, error) {
	a, err := argArray(v, name, MaxListLength)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(a))
	for i, e := range a {
		if out[i], err = entry(e, name+"["+strconv.Itoa(i)+"]"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func argStrings(v any, name string) ([]string, error) { return argList(v, name, argString) }

func argTypes(v any, name string) ([]ConversationType, error) {
	return argList(v, name, func(e any, name string) (ConversationType, error) {
		n, err := argInt(e, name)
		return ConversationType(n), err // its range is checkTypes'
	})
}

func argMessages(v any, name string) ([]Message, error) { return argList(v, name, argMessage) }

func argRefers(v any, name string) ([]MessageKey, error) { return argList(v, name, argRefer) }

func argOptTypes(v any, name string) ([]ConversationType, error) {
	if absent(v) {
		return nil, nil
	}
	return argTypes(v, name)
}

func argFilter(v any, name string) (Filter, error) {
	var f Filter
	err := argTypesAndFlag(v, name, &f.ConversationTypes, "ignoreMuted", &f.IgnoreMuted)
	return f, err
}

func argOption(v any, name string) (Option, error) {
	var opt Option
	if absent(v) {
		return opt, nil
	}
	err := argTypesAndFlag(v, name, &opt.ConversationTypes, "onlyUnread", &opt.OnlyUnread)
	return opt, err
}

// argTypesAndFlag reads the shape Filter and Option share: an object of
// optional conversationTypes and one optional boolean, false by default.
func argTypesAndFlag(v any, name string, types *[]ConversationType, flag string, set *bool) error {
	o, err := argObject(v, name)
	if err != nil {
		return err
	}
	if *types, err = argOptTypes(field(o, "conversationTypes"), name+".conversationTypes"); err != nil {
		return err
	}
	*set, err = argOptBool(field(o, flag), name+"."+flag, false)
	return err
}

// field is an object's property, undefined when absent.
func field(o map[string]any, k string) any {
	if v, ok := o[k]; ok {
		return v
	}
	return undefinedValue{}
}

// argCurrentConversation reads setCurrentConversation's id: null (or
// undefined) is "none on screen", given to the Service as "".
func argCurrentConversation(v any, name string) (string, error) {
	if v == nil || absent(v) {
		return "", nil
	}
	id, err := argString(v, name)
	if err != nil {
		return "", err
	}
	return id, checkCurrentConversationArg(name, id)
}

func argRefer(v any, name string) (MessageKey, error) {
	o, err := argObject(v, name)
	if err != nil {
		return MessageKey{}, err
	}
	var k MessageKey
	if k.ConversationID, err = argString(field(o, "conversationId"), name+".conversationId"); err != nil {
		return k, err
	}
	k.MessageClientID, err = argString(field(o, "messageClientId"), name+".messageClientId")
	return k, err
}

func argMessage(v any, name string) (Message, error) {
	o, err := argObject(v, name)
	if err != nil {
		return Message{}, err
	}
	var m Message
	str := func(k string, dst *string, required bool) {
		if err == nil {
			dec := argOptString
			if required {
				dec = argString
			}
			*dst, err = lazyName(dec, field(o, k), name, k)
		}
	}
	num := func(k string, dst *int64, required bool, def int64) {
		if err == nil {
			dec := func(v any, n string) (int64, error) { return argOptInt(v, n, def) }
			if required {
				dec = argInt
			}
			*dst, err = lazyName(dec, field(o, k), name, k)
		}
	}
	str("conversationId", &m.ConversationID, true)
	str("messageClientId", &m.MessageClientID, true)
	str("messageServerId", &m.MessageServerID, false)
	str("senderId", &m.SenderID, true)
	str("receiverId", &m.ReceiverID, false)
	str("text", &m.Text, false)
	str("serverExtension", &m.ServerExtension, false)
	str("callbackExtension", &m.CallbackExtension, false)
	str("senderName", &m.SenderName, false)
	var createTime, messageType, subType, sendingState int64
	num("createTime", &createTime, true, 0)
	num("messageType", &messageType, true, 0)
	num("subType", &subType, false, 0)
	num("sendingState", &sendingState, false, 0)
	num("modifyTime", &m.ModifyTime, false, 0)
	if err != nil {
		return m, err
	}
	m.CreateTime, m.MessageType, m.SubType, m.SendingState = createTime, int(messageType), int(subType), int(sendingState)
	if m.Attachment, err = argAttachment(field(o, "attachment"), name+".attachment"); err != nil {
		return m, err
	}
	// The NIM SDK keeps these two in messageConfig; take them from there too.
	cfg := map[string]any{}
	if c := field(o, "messageConfig"); !absent(c) {
		if cfg, err = argObject(c, name+".messageConfig"); err != nil {
			return m, err
		}
	}
	flag := func(k string) (bool, error) {
		if v := field(o, k); !absent(v) {
			return lazyName(argBool, v, name, k)
		}
		return lazyName(optBool(true), field(cfg, k), name, "messageConfig", k)
	}
	if m.UnreadEnabled, err = flag("unreadEnabled"); err != nil {
		return m, err
	}
	m.LastMessageUpdateEnabled, err = flag("lastMessageUpdateEnabled")
	return m, err
}

// lazyName decodes v, the field at path in the object called name, and
// builds the field's name (name.path…) only for the error of a value that
// fails: a call of 10,000 messages would otherwise build 120,000 names and
// use none.
func lazyName[T any](dec func(any, string) (T, error), v any, name string, path ...string) (T, error) {
	if x, err := dec(v, ""); err == nil {
		return x, nil
	}
	return dec(v, name+"."+strings.Join(path, "."))
}

// argAttachment keeps an attachment (an object or a string) as JSON text.
func argAttachment(v any, name string) (RawJSON, error) {
	switch v.(type) {
	case undefinedValue:
		return "", nil
	case illFormedString:
		_, err := argString(v, name)
		return "", err
	case string, map[string]any:
		if err := checkPlain(v, name); err != nil {
			return "", err
		}
		return RawJSON(jsonx.AppendValue(nil, v)), nil
	}
	return "", wrongType(name, "an object or a string", v)
}

// checkPlain rejects values JSON cannot keep (NaN, functions…) anywhere inside v.
func checkPlain(v any, name string) error {
	switch x := v.(type) {
	case badValue, undefinedValue, illFormedString:
		return invalid("%s must not hold %s", name, kindOf(v))
	case []any:
		for i, e := range x {
			if err := checkPlain(e, name+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range x {
			if err := checkPlain(e, name+"."+k); err != nil {
				return err
			}
		}
	}
	return nil
}
