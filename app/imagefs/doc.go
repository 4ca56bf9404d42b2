// Package imagefs reads the files inside an image: a layer's tar stream,
// decompressed and walked as it arrives with only the headers kept, and the
// merged filesystem of an image's layers as a container sees it (OCI
// whiteouts and opaque directories honoured), with what makes it big.
// It reads streams; where they come from is the caller's business.
package imagefs
