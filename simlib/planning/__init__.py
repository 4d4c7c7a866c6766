"""Planning: submission deadlines for a launch, and the forecast of proposals in progress."""
