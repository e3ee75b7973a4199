"""How many examples the slowest property tests try.

All of them under CI (CI=true) or with KINDRED_THOROUGH=1; a quarter otherwise, so that
`uv run pytest tests/core` stays a quick loop while working. Hypothesis keeps each failing
example it finds and tries it first the next time, whatever the count.
"""

import os

THOROUGH = bool(os.environ.get("KINDRED_THOROUGH")) or os.environ.get("CI") == "true"


def examples(thorough: int) -> int:
    return thorough if THOROUGH else max(10, thorough // 4)
