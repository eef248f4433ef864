// Command devserver serves the repository for the demo and the browser tests:
// .wasm as application/wasm, and NAME.br / NAME.gz instead of NAME when they
// exist and the browser accepts them.
package main

import (
	"flag"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on (port 0 picks a free one)")
	root := flag.String("root", ".", "directory to serve")
	open := flag.String("path", "/web/", "path printed as the address to open")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// Tests read this line to find the port.
	fmt.Printf("serving %s on http://%s%s\n", *root, ln.Addr(), *open)
	log.Fatal(http.Serve(ln, handler(*root)))
}

func handler(root string) http.Handler {
	_ = mime.AddExtensionType(".wasm", "application/wasm")
	_ = mime.AddExtensionType(".mjs", "text/javascript")
	files := http.FileServer(http.Dir(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		if enc, ext := precompressed(root, r); enc != "" {
			ctype := mime.TypeByExtension(filepath.Ext(r.URL.Path))
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.Header().Set("Content-Encoding", enc)
			w.Header().Add("Vary", "Accept-Encoding")
			r2 := r.Clone(r.Context())
			r2.URL.Path += ext
			files.ServeHTTP(w, r2)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// precompressed picks the best precompressed variant the browser accepts.
func precompressed(root string, r *http.Request) (encoding, ext string) {
	accept := r.Header.Get("Accept-Encoding")
	for _, c := range []struct{ enc, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !strings.Contains(accept, c.enc) {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(r.URL.Path))
		src, err := os.Stat(p)
		if err != nil || src.IsDir() {
			return "", ""
		}
		// A variant older than its source is stale (the source was rebuilt).
		if st, err := os.Stat(p + c.ext); err == nil && !st.ModTime().Before(src.ModTime()) {
			return c.enc, c.ext
		}
	}
	return "", ""
}
