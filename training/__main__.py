"""Entry point of `python -m training`."""

from __future__ import annotations

import sys

from training.cli import main

sys.exit(main())
