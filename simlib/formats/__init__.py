"""File formats: reading YAML, key paths, YAML text edits, validation messages, atomic
files and JSON output."""
