package mlregistry

// ForgetHash clears the cached hash of x, so that the next HashOf
// computes it: for the benchmarks of HashOf's first call.
func ForgetHash(x any) {
	if rec := recordOf(x); rec != nil {
		rec.hash.Store(nil)
	}
}
