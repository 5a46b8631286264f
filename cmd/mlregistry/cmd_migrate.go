package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mlregistry/mlregistry/store"
)

func init() {
	addCommand(command{
		name:    "migrate",
		summary: "bring a store written by an older mlregistry up to this version's schema",
		run:     runMigrate,
	})
}

const migrateAbout = `
Migrate the store to the schema this program reads and writes. The commands
that only read (ls, show, diff, rebuild, hash --db) never migrate: on a store
an older mlregistry wrote they stop and name this command. train migrates the
store it records in. A database that holds no mlregistry store is refused, not
turned into one, and a missing SQLite file is not created.

  mlregistry migrate --db sqlite:///srv/mlregistry/runs.db`

func runMigrate(args []string, stdout, stderr io.Writer) error {
	f := newCmdFlags("migrate", "migrate [flags]", migrateAbout)
	if _, err := f.parse(args, 0, stdout); err != nil {
		return err
	}
	ctx := context.Background()
	u := storeURL(f.db)
	s, err := f.open(ctx)
	if err == nil {
		s.Close()
		return reportMigrate(f, stdout, u, false)
	}
	if !errors.Is(err, store.ErrSchemaVersion) {
		return err
	}
	var se *store.SchemaError
	if errors.As(err, &se) && !se.Outdated() {
		return err
	}
	if s, err = store.Open(ctx, u); err != nil {
		return storeErr(fmt.Errorf("migrating the store %s: %w", store.Redact(u), err))
	}
	s.Close()
	return reportMigrate(f, stdout, u, true)
}

// reportMigrate says what migrate did.
func reportMigrate(f *cmdFlags, stdout io.Writer, u string, migrated bool) error {
	if f.json {
		return writeJSON(stdout, struct {
			Store    string `json:"store"`
			Migrated bool   `json:"migrated"`
		}{store.Redact(u), migrated})
	}
	if migrated {
		fmt.Fprintf(stdout, "migrated %s to the current schema\n", store.Redact(u))
	} else {
		fmt.Fprintf(stdout, "%s has the current schema already: nothing to do\n", store.Redact(u))
	}
	return nil
}
