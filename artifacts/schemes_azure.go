//go:build azure

package artifacts

import _ "gocloud.dev/blob/azureblob" // azblob://

func init() { schemes = append(schemes, "azblob") }
