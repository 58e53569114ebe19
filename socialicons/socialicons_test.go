package socialicons

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"strings"
	"testing"

	"linkbase/linkbio"
)

var update = flag.Bool("update", false, "rewrite pb_public/assets/social-icons.svg")

func TestEveryPlatformHasAnIcon(t *testing.T) {
	for _, p := range linkbio.Platforms {
		svg := string(SVG(p))
		if !strings.HasPrefix(svg, "<svg ") || !strings.Contains(svg, "<path d=") || Label(p) == "" {
			t.Errorf("%s: icon %q, label %q", p, svg, Label(p))
		}
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Errorf("%s: not well-formed: %v", p, err)
		}
		for _, bad := range []string{"<script", "<style", " on", "href", "style="} {
			if strings.Contains(svg, bad) {
				t.Errorf("%s: icon contains %q", p, bad)
			}
		}
	}
	if SVG("myspace") != "" || Label("myspace") != "" {
		t.Error("an unknown platform has an icon")
	}
}

func TestPathDataKeepsOnlyPaths(t *testing.T) {
	d, err := pathData([]byte(`<svg><path stroke="none" d="M0 0h24v24H0z"/><script>alert(1)</script><path d="M1 1" onclick="x()"/></svg>`))
	if err != nil || len(d) != 1 || d[0] != "M1 1" {
		t.Fatalf("pathData = %q, %v", d, err)
	}
	if _, err := pathData([]byte(`<svg></svg>`)); err == nil {
		t.Fatal("an icon without a path is accepted")
	}
}

// TestSpriteFile keeps the dashboard's copy of the icons equal to the
// embedded ones: go test ./socialicons -run SpriteFile -update rewrites it.
func TestSpriteFile(t *testing.T) {
	const file = "../pb_public/assets/social-icons.svg"
	if *update {
		if err := os.WriteFile(file, Sprite(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil || !bytes.Equal(got, Sprite()) {
		t.Fatalf("%s is out of date (%v): go test ./socialicons -run SpriteFile -update", file, err)
	}
	for _, p := range linkbio.Platforms {
		if !bytes.Contains(got, []byte(`id="icon-`+p+`"`)) {
			t.Errorf("no symbol for %s", p)
		}
	}
}
