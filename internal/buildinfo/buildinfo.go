// Package buildinfo names the build of csplan that runs, for results,
// parts and --version.
package buildinfo

import "runtime/debug"

// Version is stamped, when the build set one (-ldflags "-X ..."), or else
// the module's version, or for a build from a work tree "dev-" and its
// commit, with "-dirty" when the tree had changes, or "dev".
func Version(stamped string) string {
	if stamped != "" {
		return stamped
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		rev, dirty := "", ""
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && len(s.Value) >= 12:
				rev = s.Value[:12]
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = "-dirty"
			}
		}
		if rev != "" {
			return "dev-" + rev + dirty
		}
	}
	return "dev"
}
