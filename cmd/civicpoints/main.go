// Command civicpoints runs the community credit + volunteer points platform.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"civicpoints/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
