"""The ``mcsim`` command line: :mod:`~simlib.cli.main` (thin), shared options, and one
module per command."""
