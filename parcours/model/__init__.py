"""Stage 4: the typed, immutable, source-mapped course tree every emitter reads."""
