package files

import "context"

// WriteDir writes the output directory final whole: it opens it
// (NewDir, never over inputs), has write put the files into it, and ends
// it (Dir.Finish, which writes beside it and commits, unless ctx is done
// meanwhile); on an error the unfinished directory is removed and the
// previous output stays. The directory is checked before write runs, so
// a long job refused for its output fails first.
func WriteDir(ctx context.Context, final string, inputs []string, write func(*Dir) error, beside ...func() error) error {
	d, err := NewDir(final, inputs...)
	if err != nil {
		return err
	}
	defer d.Discard()
	return d.Finish(ctx, func() error { return write(d) }, beside...)
}
