"""The customer satisfaction survey after a resolved ticket, and follow-ups of bad ratings."""
