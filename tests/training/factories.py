"""Small Rasa projects in tmp dirs for the trainer tool tests (never the real data/)."""

from __future__ import annotations

import shutil
from pathlib import Path

from training.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[2]

# Written for these tests; the layouts are the ones the round-trip editor must keep intact.
EN_SHOPPING = """\
version: "3.1"

# Shopping questions. Keep the product names realistic.
nlu:
- intent: product_price
  examples: |
    - how much is the [Lina wrap dress](product)?
    - what does the [Noor blazer](product) cost
    - price of the [Mila jeans](product) please

    - is the [Sanne coat](product) on sale
- intent: order_status
  # written by hand, indented oddly on purpose
  examples: |
      - where is my order [100234](order_number)
      - has my parcel shipped yet
- synonym: Lina wrap dress
  examples: |
    - lina dress
- intent: greet
  examples: |-
    - hello there
    - good morning to you"""

NL_SHOPPING = """\
version: "3.1"
nlu:
  - intent: product_price
    examples: |
      - wat kost de [Lina wrap dress](product)?
      - hoeveel kost de [Noor blazer](product)
  - intent: order_status
    examples: |
      - waar blijft mijn bestelling [100234](order_number)
      - is mijn pakketje al verstuurd
  - intent: greet
    examples: |
      - goedemorgen
"""


def make_project(root: Path) -> ProjectPaths:
    """A project with the real domain and a few hand-written NLU files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "domain.yml", root / "domain.yml")
    (root / "data" / "nlu" / "en").mkdir(parents=True)
    (root / "data" / "nlu" / "nl").mkdir(parents=True)
    (root / "data" / "nlu" / "en" / "shopping.yml").write_text(EN_SHOPPING, encoding="utf-8")
    (root / "data" / "nlu" / "nl" / "shopping.yml").write_text(NL_SHOPPING, encoding="utf-8")
    return ProjectPaths.at(root)
