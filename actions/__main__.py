"""Start the action server: `python -m actions --port 5055` (see actions/server.py)."""

from __future__ import annotations

import warnings

# The Rasa server runs rasa 3.6 (the newest open-source Rasa, Python <= 3.10) while this
# process runs rasa-sdk 3.21 on Python 3.11+. The webhook protocol is the same for both and
# the end-to-end tests exercise it, so the SDK's version-mismatch warning is silenced for
# exactly that pairing; any other Rasa version still warns.
warnings.filterwarnings(
    "ignore",
    message=r"Your versions of rasa and rasa_sdk might not be compatible\. "
    r"You are currently running rasa version 3\.6\.",
    category=UserWarning,
)

if __name__ == "__main__":
    from actions.server import main

    main()
