"""Policy: proposal eligibility and Credly badge files. Stands apart from the simulation: it
imports nothing from the engine or the experiments."""
