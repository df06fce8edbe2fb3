"""Snooze: hide a ticket from the queue until a time or until the customer answers."""
