"""Stage 6: transforms, pure passes from tree to tree."""
