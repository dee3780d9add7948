// Command ferretdb-embedded runs FerretDB 1.24 with its SQLite backend through
// FerretDB's embeddable Go package. `go install` of FerretDB's own command does
// not work without internet (the module proxy refuses its version list, and a
// build outside FerretDB's repository panics for want of version.txt), so the
// project builds this small wrapper instead: scripts/build-ferretdb.js.
package main

import (
	"bufio"
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("data", "", "directory for the SQLite databases")
	level := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-with-stdin", false, "exit when standard input closes (the parent died)")
	flag.Parse()

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		lvl = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))

	if *dir == "" {
		logger.Error("-data is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		logger.Error("cannot create data directory", "err", err)
		os.Exit(1)
	}

	// WAL (FerretDB's default) with synchronous=NORMAL: a commit is written to the log without waiting
	// for the disk, so a crash of this process loses nothing, and a power cut may lose the last commits,
	// as MongoDB's default write concern (journal flushed every 100 ms) may. FULL waited for the disk on
	// every write, and SQLite takes one writer at a time: 2.6 ms per write instead of 0.6 ms here.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/?_pragma=synchronous(normal)",
	})
	if err != nil {
		logger.Error("cannot start FerretDB", "err", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if *watchStdin {
		// A parent killed with SIGKILL cannot stop us; its end of our stdin closing tells us.
		go func() {
			r := bufio.NewReader(os.Stdin)
			for {
				if _, err := r.ReadByte(); err != nil {
					stop()
					return
				}
			}
		}()
	}

	f.Run(ctx)
}
