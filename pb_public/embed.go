// Package pbpublic embeds the web pages of pb_public into the binary, so
// Linkbase ships as one file; LINKBASE_PUBLIC_DIR serves a folder instead.
package pbpublic

import (
	"embed"
	"io/fs"
	"os"
	"path"
)

//go:embed all:*
var embedded embed.FS

// FS returns the pages to serve: the folder named by LINKBASE_PUBLIC_DIR
// when set (to customise pages without a rebuild), else the embedded copy.
// Go source files are never served.
func FS() fs.FS {
	if dir := os.Getenv("LINKBASE_PUBLIC_DIR"); dir != "" {
		return withoutGoFiles{os.DirFS(dir)}
	}
	return withoutGoFiles{embedded}
}

type withoutGoFiles struct{ fs.FS }

func (f withoutGoFiles) Open(name string) (fs.File, error) {
	if path.Ext(name) == ".go" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.FS.Open(name)
}
