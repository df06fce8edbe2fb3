"""Linde & Co's shop data, shared by the action server: products, orders, returns, events.

- `models.py`       typed SQLAlchemy models (version table `alembic_version_catalogue`)
- `migrations/`     the Alembic environment; `python -m catalogue migrate`
- `seed.py`         demo data with the fixed anchors, dated from the seeding day;
                    `python -m catalogue seed` (idempotent)
- `repository.py`   `Catalogue`: every query the assistant asks, one session per call
- `search.py`       normalising, synonyms, typo tolerance and the in-memory word index
- `vocabulary.py`   category, colour and size words in Dutch and English
- `verification.py` email/postcode and order-number parsing
- `return_policy.py` the policy's numbers and date rules (window, refund business days)
"""
