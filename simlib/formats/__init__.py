"""File formats and reader formats: reading YAML, key paths, YAML text edits, validation
messages, tables (CSV, TSV and xlsx: :func:`simlib.formats.sheets.read_sheet`), atomic files
and JSON output; and how numbers, days, shares, ranges, dates and pathway names read to
people (:mod:`simlib.formats.words`, never "-0")."""
