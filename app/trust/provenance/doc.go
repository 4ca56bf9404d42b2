// Package provenance decodes in-toto statements, bare or in DSSE
// envelopes, and says what a build provenance claims in words: the
// builder, the source repository and commit, the workflow, when the build
// started and ended. It reads SLSA provenance v0.2 and v1, GitHub's
// artifact attestations and BuildKit's provenance. It verifies nothing:
// package trust says whether a statement was signed and by whom.
package provenance
