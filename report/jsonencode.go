package report

import (
	"bytes"
	"encoding/json"
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
	iw := &indentWriter{w: w}
	err := encodeCompact(iw, v)
	if unencodable(err) && !iw.wrote {
		return encodeFinite(w, v)
	}
	if err != nil {
		return err
	}
	return iw.flush()
}

// encodeIndented writes v as an Encoder with SetEscapeHTML(false) and
// SetIndent("", "  ") does: the compact encoding, then indented by an
// indentWriter (encoding/json's indenter rescans every byte with its
// validating scanner, the larger part of a 100 MB analysis' report).
func encodeIndented(w io.Writer, v any) error {
	iw := &indentWriter{w: w}
	if err := encodeCompact(iw, v); err != nil {
		return err
	}
	return iw.flush()
}

// encodeCompact writes v's compact encoding (HTML not escaped, a final
// newline) to w. The Encoder marshals the whole value before its one
// Write, so a value it cannot encode writes nothing (writeJSON checks).
func encodeCompact(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// indentWriter indents the compact JSON written to it (see indenter) and
// writes it on to w in pieces of about indentChunk bytes: the report is
// never held indented as a whole besides its compact encoding (a 1 GB
// folder's analysis is some 130 MB of JSON; its compact bytes, a buffer
// of them and the indented copy were the run's last peak).
type indentWriter struct {
	w     io.Writer
	x     indenter
	wrote bool // something was written to w
}

const indentChunk = 64 << 10

func (iw *indentWriter) Write(p []byte) (int, error) {
	for off := 0; off < len(p); off += indentChunk {
		iw.x.add(p[off:min(off+indentChunk, len(p))])
		if len(iw.x.dst) >= indentChunk {
			if err := iw.flush(); err != nil {
				return off, err
			}
		}
	}
	return len(p), nil
}

func (iw *indentWriter) flush() error {
	if len(iw.x.dst) == 0 {
		return nil
	}
	iw.wrote = true
	_, err := iw.w.Write(iw.x.dst)
	iw.x.dst = iw.x.dst[:0]
	return err
}

// appendIndented appends src, the compact JSON an Encoder writes (one
// value, no space outside strings, then a newline), indented by two
// spaces per level as json.Indent(dst, src, "", "  ") would: a newline
// and the indent after '{', '[' and ',' and before the closing bracket,
// ": " after a key, "{}" and "[]" kept as they are.
func appendIndented(dst, src []byte) []byte {
	x := indenter{dst: dst}
	x.add(src)
	return x.dst
}

// indenter is appendIndented's state, kept between the pieces of src it
// is given (add): the depth, whether the last byte opened an object or
// array, whether a string is open and its last byte was a backslash.
type indenter struct {
	dst        []byte
	depth      int
	open       bool
	inStr, esc bool
}

func (x *indenter) newline(d int) {
	x.dst = append(x.dst, '\n')
	for range d {
		x.dst = append(x.dst, "  "...)
	}
}

// add appends the next piece of src, indented.
func (x *indenter) add(src []byte) {
	for i := 0; i < len(src); i++ {
		if x.inStr {
			// The rest of the string, escapes and all, as it is.
			j := i
			for ; j < len(src); j++ {
				if x.esc {
					x.esc = false
				} else if src[j] == '\\' {
					x.esc = true
				} else if src[j] == '"' {
					x.inStr = false
					j++
					break
				}
			}
			x.dst = append(x.dst, src[i:j]...)
			i = j - 1
			continue
		}
		c := src[i]
		if x.open && c != '}' && c != ']' {
			x.open = false
			x.depth++
			x.newline(x.depth)
		}
		switch c {
		case '"':
			x.inStr = true
			x.dst = append(x.dst, c)
		case '{', '[':
			x.open = true
			x.dst = append(x.dst, c)
		case ',':
			x.dst = append(x.dst, c)
			x.newline(x.depth)
		case ':':
			x.dst = append(x.dst, ':', ' ')
		case '}', ']':
			if x.open {
				x.open = false
			} else {
				x.depth--
				x.newline(x.depth)
			}
			x.dst = append(x.dst, c)
		default:
			x.dst = append(x.dst, c)
		}
	}
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
