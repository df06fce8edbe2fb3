"""Customers' personal data: reveal with audit, retention, erasure and export."""
