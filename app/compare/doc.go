// Package compare says what changed between two images: their layers
// (shared, added, removed), their configs field by field, their histories
// line by line, and their files, from the merged filesystems of the layers
// they do not share; and a text file's lines. It compares what it is given;
// reading is the caller's.
package compare
