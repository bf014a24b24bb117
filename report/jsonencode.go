package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// writeJSON writes v indented, without HTML escaping (log lines stay
// readable: "<" is not turned into \u003c), and a final newline.
//
// JSON has no Inf or NaN, and RFC 3339 no year past 9999, so
// encoding/json refuses a document holding one and nothing would be
// written. Such a document is written by encodeFinite instead: every such
// value becomes null, and a message naming its place joins the
// document's "messages".
func writeJSON(w io.Writer, v any) error {
	b, err := indentedJSON(v)
	var unsupported *json.UnsupportedValueError
	var marshaler *json.MarshalerError
	if errors.As(err, &unsupported) || errors.As(err, &marshaler) {
		var buf bytes.Buffer
		err = encodeFinite(&buf, v)
		b = buf.Bytes()
	}
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// encodeIndented writes v as an Encoder with SetEscapeHTML(false) and
// SetIndent("", "  ") does: the compact encoding, then indented by
// appendIndented (encoding/json's indenter rescans every byte with its
// validating scanner, the larger part of a 100 MB analysis' report).
func encodeIndented(w io.Writer, v any) error {
	b, err := indentedJSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// indentedJSON is what encodeIndented writes.
func indentedJSON(v any) ([]byte, error) {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return appendIndented(make([]byte, 0, compact.Len()+compact.Len()/2), compact.Bytes()), nil
}

// appendIndented appends src, the compact JSON an Encoder writes (one
// value, no space outside strings, then a newline), indented by two
// spaces per level as json.Indent(dst, src, "", "  ") would: a newline
// and the indent after '{', '[' and ',' and before the closing bracket,
// ": " after a key, "{}" and "[]" kept as they are.
func appendIndented(dst, src []byte) []byte {
	var in indenter
	return in.append(dst, src)
}

// indenter is appendIndented's state between pieces of one document, so
// that pieces cut at a value's boundary indent apart (on several cores)
// and join into what one pass writes.
type indenter struct {
	depth int
	open  bool // the last byte opened an object or array
}

func (in *indenter) append(dst, src []byte) []byte {
	depth, open := in.depth, in.open
	newline := func(d int) {
		dst = append(dst, '\n')
		for range d {
			dst = append(dst, "  "...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			newline(depth)
		}
		switch c {
		case '"':
			// A string, escapes and all, as it is.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(src))
			dst = append(dst, src[i:j]...)
			i = j - 1
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, ':', ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				newline(depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	in.depth, in.open = depth, open
	return dst
}

// encodeFinite writes v as encoding/json would, except that non-finite
// floats and out-of-range times are null, with messages.
func encodeFinite(w io.Writer, v any) error {
	f := &finite{}
	tree := f.value(reflect.ValueOf(v), "")
	if len(f.notes) > 0 {
		tree = withMessages(tree, f.notes)
	}
	return encodeIndented(w, tree)
}

// finite turns a value into a tree encoding/json writes the same way, with
// what it cannot write replaced by null.
type finite struct{ notes []string }

func (f *finite) null(path, format string, args ...any) any {
	f.notes = append(f.notes, fmt.Sprintf("%s: %s; written as null", strings.TrimPrefix(path, "."), fmt.Sprintf(format, args...)))
	return nil
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

func (f *finite) value(v reflect.Value, path string) any {
	if !v.IsValid() {
		return nil
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if y := t.Year(); y < 0 || y > 9999 {
			return f.null(path, "time %s has year %d, outside the 0..9999 that RFC 3339 can write", t.UTC().Format("2006-01-02T15:04:05Z07:00"), y)
		}
		return t
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Pointer && v.Type().Implements(marshalerType) && v.Elem().Type() != timeType {
			return f.marshaled(v, path)
		}
		return f.value(v.Elem(), path)
	case reflect.Float32, reflect.Float64:
		x := v.Float()
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return f.null(path, "%v is not a finite number", x)
		}
		return v.Interface()
	case reflect.Struct:
		if v.Type().Implements(marshalerType) {
			return f.marshaled(v, path)
		}
		return f.object(v, path)
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		keys := v.MapKeys()
		obj := make(orderedObject, 0, len(keys))
		for _, k := range keys {
			name := mapKey(k)
			obj = append(obj, member{name, f.value(v.MapIndex(k), path+"."+name)})
		}
		sort.Slice(obj, func(i, j int) bool { return obj[i].name < obj[j].name })
		return obj
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v.Interface() // []byte: base64, as encoding/json
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = f.value(v.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
		return out
	}
	return v.Interface()
}

// marshaled calls a value's own MarshalJSON, turning a failure into null.
func (f *finite) marshaled(v reflect.Value, path string) any {
	b, err := v.Interface().(json.Marshaler).MarshalJSON()
	if err != nil {
		return f.null(path, "%v", err)
	}
	return json.RawMessage(b)
}

func mapKey(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if tm, ok := k.Interface().(interface{ MarshalText() ([]byte, error) }); ok {
		if b, err := tm.MarshalText(); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(k.Interface())
}

// object lists a struct's fields as encoding/json names and orders them:
// the json tag's name (or the field's), fields of untagged embedded
// structs in their place, "-" and unexported fields left out, omitempty
// honoured.
func (f *finite) object(v reflect.Value, path string) orderedObject {
	var obj orderedObject
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				fv, ft = fv.Elem(), ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				obj = append(obj, f.object(fv, path)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if strings.Contains(","+opts+",", ",omitempty,") && isEmpty(fv) {
			continue
		}
		obj = append(obj, member{name, f.value(fv, path+"."+name)})
	}
	return obj
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// withMessages adds notes to a document's top-level "messages" list.
func withMessages(tree any, notes []string) any {
	obj, ok := tree.(orderedObject)
	if !ok {
		return tree
	}
	for i, m := range obj {
		if m.name != "messages" {
			continue
		}
		list, _ := m.value.([]any)
		for _, n := range notes {
			list = append(list, n)
		}
		obj[i].value = list
		return obj
	}
	list := make([]any, len(notes))
	for i, n := range notes {
		list[i] = n
	}
	return append(obj, member{"messages", list})
}

// orderedObject is a JSON object whose members keep their order.
type orderedObject []member

type member struct {
	name  string
	value any
}

// MarshalJSON writes the members in order, without HTML escaping (the
// outer encoder indents the result).
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(m.name); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(m.value); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
