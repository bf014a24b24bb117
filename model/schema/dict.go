package schema

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The fixed dictionaries of the Enum columns: built once, shared by every
// batch, never released.
var (
	enumOnce                                    sync.Once
	sourceDict, kindDict, levelDict, originDict arrow.Array
)

func buildEnums() {
	mk := func(names []string) arrow.Array {
		b := array.NewStringBuilder(memory.DefaultAllocator)
		defer b.Release()
		b.AppendValues(names, nil)
		return b.NewArray()
	}
	sourceDict, kindDict, levelDict, originDict = mk(sourceNames[:]), mk(kindNames[:]), mk(levelNames[:]), mk(originNames[:])
}

// EnumDictionary returns the fixed dictionary of an Enum column of t:
// index i is the name of value i of the column's vocabulary type. Columns:
// source (SourceKind in events, Origin in the locust_* tables), kind
// (EventKind), level (Level). nil for a column that is not an Enum.
func EnumDictionary(t Table, column string) arrow.Array {
	enumOnce.Do(buildEnums)
	switch column {
	case "source":
		if t == TableEvents {
			return sourceDict
		}
		return originDict
	case "kind":
		return kindDict
	case "level":
		return levelDict
	}
	return nil
}
