"""Conversations the assistant held, reported by the action server: the base of containment."""
