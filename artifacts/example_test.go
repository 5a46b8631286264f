package artifacts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlregistry/mlregistry/artifacts"
)

// A run's files go to a bucket under its ID and attempt; the Ref the store
// records brings them back, checked.
func Example() {
	ctx := context.Background()
	root, _ := os.MkdirTemp("", "bucket-")
	defer os.RemoveAll(root)
	runDir := filepath.Join(root, "local-run")
	_ = os.MkdirAll(filepath.Join(runDir, "checkpoint"), 0o755)
	_ = os.WriteFile(filepath.Join(runDir, "pipeline.json"), []byte(`{"model": {}}`), 0o644)
	_ = os.WriteFile(filepath.Join(runDir, "checkpoint", "weights.bin"), []byte("weights"), 0o644)

	b, err := artifacts.Open(ctx, "file://"+filepath.Join(root, "bucket")) // or s3://BUCKET?endpoint=…&use_path_style=true
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	ref, err := b.Upload(ctx, runDir, "run-20261202-071813-61350ec0", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sha256 digits:", len(ref.SHA256))

	dst := filepath.Join(root, "fetched")
	if err := artifacts.Fetch(ctx, ref, dst); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(filepath.Join(dst, "checkpoint", "weights.bin"))
	fmt.Println(string(data))
	// Output:
	// sha256 digits: 64
	// weights
}
