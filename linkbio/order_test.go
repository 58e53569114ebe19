package linkbio

import (
	"errors"
	"testing"
)

func TestCheckOrder(t *testing.T) {
	have := []string{"a", "b", "c"}
	cases := []struct {
		name string
		ids  []string
		want error
	}{
		{"the same order", []string{"a", "b", "c"}, nil},
		{"another order", []string{"c", "a", "b"}, nil},
		{"someone else's link", []string{"a", "b", "c", "x"}, ErrOrderUnknown},
		{"a link listed twice", []string{"a", "b", "b", "c"}, ErrOrderRepeated},
		{"a link twice instead of another", []string{"a", "a", "c"}, ErrOrderRepeated},
		{"a link left out", []string{"c", "a"}, ErrOrderIncomplete},
		{"nothing listed", nil, ErrOrderIncomplete},
		{"an unknown id before a repeat", []string{"a", "a", "zz"}, ErrOrderUnknown},
		{"an empty id", []string{"a", "b", "c", ""}, ErrOrderUnknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := CheckOrder(c.ids, have); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Fatalf("CheckOrder(%v) = %v, want %v", c.ids, err, c.want)
			}
		})
	}
	if err := CheckOrder([]string{}, nil); err != nil {
		t.Fatalf("an empty order of no links: %v", err)
	}
}
