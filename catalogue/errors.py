"""What the catalogue raises that its callers handle."""


class CatalogueUnavailable(Exception):
    """The catalogue database did not answer (down, unreachable or too slow)."""
