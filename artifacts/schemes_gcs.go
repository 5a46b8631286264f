//go:build gcs

package artifacts

import _ "gocloud.dev/blob/gcsblob" // gs://

func init() { schemes = append(schemes, "gs") }
