"""Tickets: one per open customer conversation, with its escalation packet and messages."""
