package registry

// The distribution grammar for what a registry lists. A name or tag outside
// it is not shown as if it were one: a catalog that sends "\x1b]0;pwned" is
// broken or hostile, and its entry is reported, not printed.

// maxRepositoryName is distribution's limit on a repository name.
const maxRepositoryName = 255

// ValidRepositoryName reports whether s is a repository name as
// distribution defines it: path components of [a-z0-9]+ joined by one
// separator (".", "_", "__" or a run of "-"), components joined by "/",
// 255 bytes at most.
func ValidRepositoryName(s string) bool {
	if s == "" || len(s) > maxRepositoryName {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '/' {
			if !validPathComponent(s[start:i]) {
				return false
			}
			start = i + 1
		}
	}
	return true
}

func validPathComponent(s string) bool {
	if s == "" || !alnumLower(s[0]) || !alnumLower(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s); {
		if alnumLower(s[i]) {
			i++
			continue
		}
		// A separator: ".", "_", "__" or "-"+, then an alphanumeric.
		j := i
		switch s[i] {
		case '.':
			j++
		case '_':
			j++
			if j < len(s) && s[j] == '_' {
				j++
			}
		case '-':
			for j < len(s) && s[j] == '-' {
				j++
			}
		default:
			return false
		}
		if j >= len(s) || !alnumLower(s[j]) {
			return false
		}
		i = j
	}
	return true
}

func alnumLower(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// ValidTag reports whether s is a tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}.
func ValidTag(s string) bool {
	if s == "" || len(s) > 128 || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(alnumLower(c) || c >= 'A' && c <= 'Z' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
