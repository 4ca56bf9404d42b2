package peerbench
