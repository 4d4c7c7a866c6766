"""Reports: every reader-facing word, table and plot, and the notebooks rendered into HTML."""
