package mlregistry

import "fmt"

// Upgrade turns the arguments of one version of a component into those of
// the next: renaming a parameter, adding one with a default. It receives
// and returns the effective arguments by name.
type Upgrade func(Kwargs) (Kwargs, error)

// upgrade is an Upgrade from one version.
type upgrade struct {
	from int
	fn   Upgrade
}

// Version declares a component's version (1 when undeclared). Metadata
// records it; Rebuild of metadata written by an older version runs the
// upgrades declared with UpgradeFrom.
func Version(v int) Option {
	return func(s *settings) {
		if v < 1 {
			s.errs = append(s.errs, fmt.Errorf("Version(%d): versions start at 1", v))
			return
		}
		s.version = v
	}
}

// UpgradeFrom declares how to turn arguments of version from into those of
// version from+1.
func UpgradeFrom(from int, fn Upgrade) Option {
	return func(s *settings) {
		if from < 1 || fn == nil {
			s.errs = append(s.errs, fmt.Errorf("UpgradeFrom(%d): want a version from 1 and a non-nil func", from))
			return
		}
		s.upgrades = append(s.upgrades, upgrade{from: from, fn: fn})
	}
}
