"""Stand-ins for the demo and the tests only: a fake of Meta's Graph API and signed webhooks.

Nothing of the product imports this package (import-linter contract in pyproject.toml):
`make run` starts the fake as its own process for the demo's mock brand page, and the tests
start it the same way. See docs/channels.md, "The fake Graph API".
"""
