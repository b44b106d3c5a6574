"""A second, independent synthetic load generator for evaluating the detection of hidden induction-furnace
melting (地条钢) in 15-minute (or 30/60-minute, or daily) meter data. Pure numpy; see README.md."""

from analytics.independent.generator import ILLEGAL, KINDS, LEGIT, Dataset, generate, write

__all__ = ["ILLEGAL", "KINDS", "LEGIT", "Dataset", "generate", "write"]
