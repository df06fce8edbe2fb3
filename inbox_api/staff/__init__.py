"""Staff members, their roles and language skills, login and tokens."""
