package linkbio

import "fmt"

// ThemeCSS writes a theme, with its defaults filled in (WithDefaults), as
// a stylesheet. The colours are safe to write into CSS because ParseTheme
// admits only #rgb and #rrggbb; the button style and font are chosen by
// the body's data attributes.
func ThemeCSS(t Theme) []byte {
	return fmt.Appendf(nil, `:root{--bg:%s;--fg:%s;--btn:%s;--btn-fg:%s;--accent:%s}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body[data-font=serif]{font-family:Georgia,"Times New Roman",serif}
body[data-font=mono]{font-family:ui-monospace,Menlo,Consolas,monospace}
body[data-font=rounded]{font-family:ui-rounded,"Nunito","Arial Rounded MT Bold",system-ui,sans-serif}
.profile{max-width:36rem;margin:0 auto;padding:2.5rem 1rem;text-align:center}
.avatar{width:96px;height:96px;border-radius:50%%;object-fit:cover}
h1{font-size:1.4rem;margin:.75rem 0 0;overflow-wrap:anywhere}
.username{margin:0;color:var(--accent)}
.bio{margin:.75rem 0 0;white-space:pre-line;overflow-wrap:anywhere}
.socials{list-style:none;margin:1rem 0 0;padding:0;display:flex;flex-wrap:wrap;justify-content:center;gap:.25rem}
.socials a{display:flex;align-items:center;justify-content:center;min-width:44px;min-height:44px;color:var(--fg);border-radius:50%%}
.socials a:focus-visible,.socials a:hover{outline:3px solid var(--accent);outline-offset:2px}
.icon{width:26px;height:26px}
.section{margin:1.75rem 0 0}
.section h2{font-size:1rem;margin:0 0 .75rem;letter-spacing:.02em;overflow-wrap:anywhere}
.links{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.link{display:block;padding:.9rem 1rem;min-height:44px;background:var(--btn);color:var(--btn-fg);border:2px solid var(--btn);border-radius:.6rem;text-decoration:none;font-weight:600;overflow-wrap:anywhere}
.link:focus-visible,.link:hover{outline:3px solid var(--accent);outline-offset:2px}
body[data-button-style=filled] .link{border-radius:0}
body[data-button-style=pill] .link{border-radius:999px}
body[data-button-style=outline] .link{background:transparent;color:var(--btn)}
`, t.Background, t.Text, t.Button, t.ButtonText, t.Accent)
}
