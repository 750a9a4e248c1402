// Package atomicfile writes files so that a crash, a full disk or a failed
// write leaves either the previous contents or the complete new ones: the
// data goes to a temporary file in the same directory, is flushed to disk,
// and is renamed over the target in one step. Every fastpath file that must
// survive a crash (checkpoints, models, result tables) is written here.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// tmpMarker separates a target's base name from the random suffix in its
// temporary files: ".model.fpnn.tmp-123456".
const tmpMarker = ".tmp-"

// Write writes path through write atomically. The new file has mode 0644.
//
// A symbolic link at path is written through: its target is replaced (the
// link stays). An existing path that is not a regular file (a directory, a
// device, a pipe) is refused before anything is written. Temporary files
// left beside path by an earlier writer that crashed are removed. Errors
// name path, never the temporary file.
func Write(path string, write func(io.Writer) error) (err error) {
	target, err := Target(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	RemoveStale(target)
	f, err := os.CreateTemp(dir, "."+base+tmpMarker+"*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	fail := func(e error) error { return fmt.Errorf("writing %s: %w", path, unwrapPath(e)) }
	if err = write(bw); err != nil {
		return fail(err)
	}
	if err = bw.Flush(); err != nil {
		return fail(err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err = f.Sync(); err != nil {
		return fail(err)
	}
	if err = f.Close(); err != nil {
		return fail(err)
	}
	if err = os.Rename(tmp, target); err != nil {
		return fail(err)
	}
	if err = syncDir(dir); err != nil {
		return fail(err)
	}
	return nil
}

// Target returns the file that Write(path) replaces: path itself, or the
// file a symbolic link at path points to (resolved through every link).
// It fails when that file exists and is not a regular file, or when its
// directory does not exist.
func Target(path string) (string, error) {
	target := path
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(path)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("writing %s: %w", path, unwrapPath(err))
			}
			// A dangling link: write the file it names.
			if resolved, err = danglingTarget(path); err != nil {
				return "", fmt.Errorf("writing %s: %w", path, unwrapPath(err))
			}
		}
		target = resolved
	}
	st, err := os.Stat(target)
	switch {
	case err == nil && st.IsDir():
		return "", fmt.Errorf("writing %s: it is a directory", path)
	case err == nil && !st.Mode().IsRegular():
		return "", fmt.Errorf("writing %s: it is not a regular file (%v); refusing to replace it", path, st.Mode().Type())
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	dir := filepath.Dir(target)
	if st, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	} else if !st.IsDir() {
		return "", fmt.Errorf("writing %s: %s is not a directory", path, dir)
	}
	return target, nil
}

// danglingTarget follows a chain of links whose last target is missing.
func danglingTarget(path string) (string, error) {
	for range 64 {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", errors.New("too many levels of symbolic links")
}

// RemoveStale removes the temporary files that an interrupted Write of path
// left in its directory. Concurrent writers of one path are not supported,
// so any such file is stale.
func RemoveStale(path string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + tmpMarker
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// unwrapPath drops an *fs.PathError's path (the caller names the target)
// and keeps its operation and cause.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return err
}

// syncDir makes a rename in dir durable. Windows has no directory fsync
// (a rename there is made durable by the file system itself).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
