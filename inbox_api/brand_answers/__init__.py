"""The brand's answers to general shop questions, edited by trainers without retraining.

The tables belong to the catalogue (its migration creates them, its seed fills them, the action
server reads them); the inbox declares the same two tables from kit/answer_tables.py in a
MetaData of its own, so its own migrations never create or drop them (docs/contracts.md,
"Brand answers"). Every edit raises the answer's version and adds a row to its history.
"""
