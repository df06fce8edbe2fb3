"""Linde & Co's shop data, shared by the action server: products, orders, returns, events.

- `models.py`       typed SQLAlchemy models (version table `alembic_version_catalogue`)
- `migrations/`     the Alembic environment; `python -m catalogue migrate`
- `seed_data/`      the demo data (products, events, orders) as YAML
- `seed.py`         loads it and dates it from today; `python -m catalogue seed` adds what is
                    missing and moves the demo's dates to today (idempotent);
                    `python -m catalogue demo-reset` (`make demo-reset`) restores the demo rows
- `repository.py`   `Catalogue`: every query the assistant asks, one session per call
- `search.py`       normalising, synonyms, typo tolerance and the in-memory word index
- `vocabulary.py`   category, colour and size words in Dutch and English
- `verification.py` email/postcode and order-number parsing
- `return_policy.py` the policy's numbers and date rules (window, refund business days)
"""
