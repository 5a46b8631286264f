// Package s3test gives tests an S3-compatible bucket on loopback: a real
// versitygw server (its POSIX backend in a temporary directory) started for
// the test, or, for fast unit tests, the in-process gofakes3. Either sets
// the AWS credential variables for the test: the bucket URL holds none.
package s3test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// EnvVersitygw names the variable that gives the versitygw binary's path;
// when it is not set, versitygw is looked for on $PATH and in $GOPATH/bin.
const EnvVersitygw = "MLREGISTRY_TEST_VERSITYGW"

// Credentials the servers started here accept; tests put them in the
// environment, never in a URL.
const (
	AccessKey = "mlregistry-test"
	SecretKey = "mlregistry-test-secret"
)

// Server is an S3-compatible server started for a test.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Dir      string // versitygw's POSIX backend: one folder per bucket ("" for gofakes3)
}

// BucketURL returns the artifacts URL of bucket on s.
func (s *Server) BucketURL(bucket string) string {
	return fmt.Sprintf("s3://%s?endpoint=%s&use_path_style=true&region=us-east-1", bucket, s.Endpoint)
}

// Env returns the environment variables that give a process the
// credentials of s.
func (s *Server) Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + AccessKey, "AWS_SECRET_ACCESS_KEY=" + SecretKey, "AWS_REGION=us-east-1"}
}

// setEnv sets the credentials in the test's environment.
func (s *Server) setEnv(t testing.TB) {
	t.Setenv("AWS_ACCESS_KEY_ID", AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", SecretKey)
	t.Setenv("AWS_REGION", "us-east-1")
}

// Binary returns the path of the versitygw binary, or "" when there is none.
func Binary() string {
	if p := os.Getenv(EnvVersitygw); p != "" {
		return p
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	if p := filepath.Join(gopath, "bin", "versitygw"); fileExists(p) {
		return p
	}
	return ""
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// Versitygw starts a versitygw server for t on a free loopback port, with
// the given buckets, stopped when t ends; it skips t when there is no
// versitygw binary.
func Versitygw(t testing.TB, buckets ...string) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("S3 not tested against versitygw: no versitygw binary (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0, or set " + EnvVersitygw + ")")
	}
	dir := t.TempDir()
	for _, b := range buckets {
		if err := os.Mkdir(filepath.Join(dir, b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "--access", AccessKey, "--secret", SecretKey, "--port", addr, "posix", dir)
	logFile, err := os.Create(filepath.Join(t.TempDir(), "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting versitygw: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logFile.Close()
	})
	s := &Server{Endpoint: "http://" + addr, Dir: dir}
	waitListening(t, addr, logFile.Name())
	s.setEnv(t)
	return s
}

// Fake starts the in-process gofakes3 server for t with the given buckets.
func Fake(t testing.TB, buckets ...string) *Server {
	t.Helper()
	backend := s3mem.New()
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(ts.Close)
	s := &Server{Endpoint: ts.URL}
	s.setEnv(t)
	return s
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitListening waits up to 20 s for an HTTP answer at addr.
func waitListening(t testing.TB, addr, log string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	data, _ := os.ReadFile(log)
	t.Fatalf("versitygw did not answer on %s within 20 s; its log:\n%s", addr, data)
}
