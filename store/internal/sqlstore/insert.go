package sqlstore

import (
	"context"
	"database/sql"
)

// insertRows writes n rows in tx with statements "head VALUES (…), (…) tail",
// InsertRows rows at a time; row appends the cols values of row i to args.
// The statement for a full chunk is prepared once and reused.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, head, tail string, cols, n int, row func(i int, args []any) []any) error {
	per := s.d.InsertRows
	if most := s.d.MaxParams / cols; per <= 0 || per > most {
		per = most
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, min(per, n)*cols)
	for i := 0; i < n; {
		m := min(per, n-i)
		args = args[:0]
		for j := i; j < i+m; j++ {
			args = row(j, args)
		}
		var err error
		if m == per {
			if full == nil {
				full, err = tx.PrepareContext(ctx, s.d.Rebind(head+" VALUES "+placeholders(m, cols)+" "+tail))
				if err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.d.Rebind(head+" VALUES "+placeholders(m, cols)+" "+tail), args...)
		}
		if err != nil {
			return err
		}
		i += m
	}
	return nil
}
