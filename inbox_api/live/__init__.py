"""Live updates for the staff page: events fanned out over Redis pub/sub (or in-process)."""
