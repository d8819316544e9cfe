"""Stage 7: emitters. Each writes one package format from the same checked, rendered tree."""
