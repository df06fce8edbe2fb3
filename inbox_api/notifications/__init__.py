"""In-app notifications for staff: a colleague @mentioned them in an internal note."""
