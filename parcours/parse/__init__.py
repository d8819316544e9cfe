"""Stage 2: parsing. YAML and Markdown sources become data with a position for every value."""
