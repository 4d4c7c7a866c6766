"""The simulation engine (SimPy, no I/O): randomness, durations, calendars, the bodies that
review, probes and the warm-start pipeline, the model, and the event log it returns."""
