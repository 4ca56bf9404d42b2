// Package listing lists a registry's repositories by the best means its
// kind has: the catalog; a Docker Hub namespace through Hub's web API; a
// GitLab project's repositories through GitLab's API; a Harbor's projects
// when it refuses its catalog. The window and the headless catalog command
// list alike through it, and keep what they listed under CatalogKey.
package listing
