"""Answers at hand: what the assistant understood and the catalogue facts an agent can insert."""
