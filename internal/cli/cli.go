// Package cli is the civicpoints command line: one file per command, each
// registering itself here. Main is reused by end-to-end tests.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/config"
)

// Env is what a command may touch outside its arguments.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Flags  *flag.FlagSet // the parsed flags of the running command
}

type command struct {
	name    string
	summary string
	usage   string // arguments after the command name
	fields  []string
	run     func(ctx context.Context, env Env, cfg *config.Config, args []string) error
	// flags adds command-specific flags beyond the shared configuration.
	flags func(fs *flag.FlagSet)
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// Main runs the command named by args[0] and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := Env{Stdout: stdout, Stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name := args[0]
	switch name {
	case "token", "import", "district", "community": // commands with a verb: `token create`, `district create`
		if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
			name, args = name+" "+args[1], args[1:]
		}
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "civicpoints: unknown command %q; run civicpoints --help\n", args[0])
		return 2
	}
	fs := flag.NewFlagSet("civicpoints "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var cfg config.Config
	cfg.Bind(fs, c.fields...)
	if c.flags != nil {
		c.flags(fs)
	}
	if err := applyEnv(fs); err != nil {
		return fail(stderr, err)
	}
	// The flag package prints the usage itself on -h and on a bad flag; keep
	// that quiet so help is printed once (to stdout) and a bad flag is one line.
	fs.Usage = func() {}
	if err := fs.Parse(interleave(args[1:], fs)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "civicpoints %s %s\n\n%s\n\nFlags (each has a CIVICPOINTS_* environment twin):\n", c.name, c.usage, c.summary)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "civicpoints %s: %v; run civicpoints %s --help\n", c.name, err, c.name)
		return 2
	}
	if err := cfg.Validate(); err != nil {
		return fail(stderr, err)
	}
	env.Flags = fs
	if err := c.run(ctx, env, &cfg, fs.Args()); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// interleave moves flags after positional arguments to the front, so that
// `import residents FILE --community c` works as users type it.
func interleave(args []string, fs *flag.FlagSet) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func fail(stderr io.Writer, err error) int {
	msg := err.Error()
	if e := civic.AsError(err); e != nil {
		msg = e.Message
	}
	fmt.Fprintf(stderr, "civicpoints: %s\n", msg)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "civicpoints: the community credit + volunteer points platform")
	fmt.Fprintln(w, "\nUsage: civicpoints COMMAND [flags]\n\nCommands:")
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-18s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun civicpoints COMMAND --help for the flags of a command.")
}

// applyEnv gives every flag its CIVICPOINTS_* environment twin: a variable
// that is set becomes the flag's default, and the command line still wins.
func applyEnv(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := config.EnvName(f.Name)
		if !strings.Contains(f.Usage, name) {
			f.Usage += " (env " + name + ")"
		}
		if v, ok := os.LookupEnv(name); ok && err == nil {
			if serr := f.Value.Set(v); serr != nil {
				err = fmt.Errorf("environment %s=%q: %v", name, v, serr)
			}
			f.DefValue = v
		}
	})
	return err
}
