package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// js/methods.js is what core's table says: a method or a parameter added,
// renamed or removed in the table without `go generate ./core` fails here.
func TestJSMethodsAreUpToDate(t *testing.T) {
	onDisk, err := os.ReadFile("../../js/methods.js")
	require.NoError(t, err)
	require.Equal(t, source(), string(onDisk), "run `go generate ./core`")
}
