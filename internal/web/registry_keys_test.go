package web_test

import (
	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// newKey is a fresh idempotency key: each registry command a test sends is
// a new request.
func newKey() idem.Key { return idem.Key("test-" + civic.NewID()) }

// idOf is the id a registry command's answer names.
func idOf(ch registry.Change, err error) (string, error) { return ch.ID, err }

// errOf drops a registry command's answer.
func errOf(_ registry.Change, err error) error { return err }
