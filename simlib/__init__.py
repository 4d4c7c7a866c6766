"""Simulation of microcredential approval pipelines."""
