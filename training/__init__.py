"""Trainer tools: safe NLU example editing, parity report, model registry, evaluation gate."""
