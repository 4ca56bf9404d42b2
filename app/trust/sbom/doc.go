// Package sbom reads the package list of an SBOM: SPDX 2.2 and 2.3 JSON
// and CycloneDX 1.4 to 1.6 JSON, bare or as the predicate of an in-toto
// statement (BuildKit's and cosign's SBOM attestations). It decodes as a
// stream under bounds on bytes and packages, so a 2 GB SBOM costs what its
// bound allows and no more; filters and sorts the list for a table; and
// compares two images' lists (packages added, removed, upgraded).
package sbom
