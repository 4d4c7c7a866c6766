"""File formats: reading YAML, key paths, YAML text edits, validation messages, tables
(CSV, TSV and xlsx: :func:`simlib.formats.sheets.read_sheet`), atomic files and JSON
output."""
