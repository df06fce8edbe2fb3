"""Saved replies use the answers tests' shop (catalogue and inbox in one database)."""

from tests.inbox_api.answers.conftest import shop, shop_url

__all__ = ["shop", "shop_url"]
