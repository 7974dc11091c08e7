"""A tally of the cases the reliability tests ran, per fault or bad-input class."""

from __future__ import annotations

from collections import Counter

CASES: Counter[str] = Counter()


def count(kind: str, n: int = 1) -> None:
    CASES[kind] += n
