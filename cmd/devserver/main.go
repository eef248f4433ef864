// Command devserver serves what the demo and the browser tests load from the
// repository, and nothing else: the folders pages need (web/, js/, bench/,
// examples/, and test/ for the tests), .wasm as application/wasm, and
// NAME.br / NAME.gz instead of NAME when they exist and the browser accepts
// them. / goes to the demo; anything else (.git/, node_modules/, the
// sources, folder listings) is 404.
package main

import (
	"flag"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// served are the repository's top-level folders a page may load from.
var served = []string{"web", "js", "bench", "examples"}

// testDeps are the dev dependencies the test pages load as an app would: the
// NIM Web SDK (two versions) and NetEase's UIKit store with mobx, beside
// which test/nim-attach.test.mjs runs the module.
var testDeps = []string{"node_modules/nim-web-sdk-ng", "node_modules/nim-web-sdk-ng-next", "node_modules/@xkit-yx/im-store-v2", "node_modules/mobx"}

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on (port 0 picks a free one)")
	root := flag.String("root", ".", "the repository")
	open := flag.String("path", "/web/", "path printed as the address to open")
	tests := flag.Bool("tests", false, "serve test/ too (its pages and helpers), for the browser tests")
	flag.Parse()
	dirs := served
	if *tests {
		dirs = append(dirs, "test")
		dirs = append(dirs, testDeps...)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// Tests read this line to find the port.
	fmt.Printf("serving %s on http://%s%s\n", *root, ln.Addr(), *open)
	log.Fatal(http.Serve(ln, handler(*root, dirs)))
}

func handler(root string, dirs []string) http.Handler {
	_ = mime.AddExtensionType(".wasm", "application/wasm")
	_ = mime.AddExtensionType(".mjs", "text/javascript")
	files := http.FileServer(http.Dir(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		p := path.Clean("/" + r.URL.Path)
		if p == "/" {
			http.Redirect(w, r, "/web/", http.StatusFound)
			return
		}
		if !allowed(root, p, dirs) {
			http.NotFound(w, r)
			return
		}
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

// allowed reports whether p (clean, rooted) is a file in one of dirs, or a
// folder there with an index.html: no listing, no hidden file.
func allowed(root, p string, dirs []string) bool {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	ok := false
	for _, d := range dirs {
		ok = ok || p == "/"+d || strings.HasPrefix(p, "/"+d+"/")
	}
	for _, part := range parts {
		ok = ok && !strings.HasPrefix(part, ".")
	}
	if !ok {
		return false
	}
	st, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
	if err != nil {
		return true // FileServer answers 404, or finds NAME.br beside a missing NAME
	}
	if st.IsDir() {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(p), "index.html"))
		return err == nil
	}
	return true
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
