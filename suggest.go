package mlregistry

import (
	"sort"
	"strings"
)

// Suggest returns up to three of candidates close to name, closest first:
// the same but for case, a prefix of it (or it of them), or a few edits
// away. It is what "did you mean" messages here use; other packages of a
// project (a CLI's flags, a config loader's fields) may use it too.
func Suggest(name string, candidates []string) []string {
	return suggest(name, candidates)
}

// suggest is Suggest.
func suggest(name string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	lname := strings.ToLower(name)
	var found []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance([]rune(lname), []rune(lc))
		limit := max(2, len(name)/3)
		switch {
		case lc == lname:
			d = 0
		case len(lname) >= 3 && (strings.HasPrefix(lc, lname) || strings.HasPrefix(lname, lc)):
			d = min(d, 1)
		case d > limit:
			continue
		}
		found = append(found, scored{c, d})
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].s < found[j].s
	})
	out := make([]string, 0, 3)
	for i := 0; i < len(found) && i < 3; i++ {
		out = append(out, found[i].s)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// didYouMean renders suggestions as ` (did you mean "a" or "b"?)`, or "".
func didYouMean(s []string) string {
	if len(s) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" (did you mean ")
	for i, x := range s {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString(`"` + x + `"`)
	}
	b.WriteString("?)")
	return b.String()
}
