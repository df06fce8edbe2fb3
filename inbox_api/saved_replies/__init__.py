"""Saved replies: bilingual answers with variables and fill-in placeholders, managed by admins."""
