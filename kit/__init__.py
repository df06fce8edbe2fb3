"""Shared plumbing of the app-side packages: database engine and sessions, UTC type, clock.

The kit imports nothing of ours; `catalogue`, `inbox_api`, `training` and `actions` may import it.
"""
