"""Stage 3: validation. Data is checked against the JSON Schemas before any node is built."""
