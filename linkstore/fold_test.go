package linkstore

import "testing"

func TestFoldHit(t *testing.T) {
	for _, c := range []struct{ in, want Hit }{
		{Hit{Profile: "u1", Day: "2026-11-24", Host: "forged.example"}, Hit{Profile: "u1", Day: "2026-11-24"}},
		{Hit{Profile: "u1", Day: "2026-11-24", UTM: "forged", Device: "mobile", Browser: "safari"},
			Hit{Profile: "u1", Day: "2026-11-24", Device: "mobile", Browser: "safari"}},
		{Hit{Profile: "u1", Day: "2026-11-24"}, Hit{Profile: "u1", Day: "2026-11-24"}},
		{Hit{Link: "l1", Profile: "u1", Day: "2026-11-24"}, Hit{Link: "l1", Profile: "u1", Day: "2026-11-24"}},
	} {
		if got, ok := foldHit(c.in); !ok || got != c.want {
			t.Errorf("foldHit(%+v) = %+v, %v; want %+v", c.in, got, ok, c.want)
		}
	}
}
