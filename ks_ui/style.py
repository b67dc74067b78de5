"""Colours and symbols: a colour-blind-safe blue/orange scale, always with a word or symbol beside it."""

from __future__ import annotations

from ks_data import vocab as funnel
from ks_data.vocab import EXAMPLE_MARK, VERDICT_COLOUR, VERDICT_SYMBOL  # noqa: F401  (re-exported for the pages)

FUNNEL_SYMBOL = {funnel.HIGH_998: "▲▲", funnel.HIGH_95: "▲", funnel.INSIDE_FUNNEL: "●",
                 funnel.LOW_95: "▼", funnel.LOW_998: "▼▼", "": "○"}
# Series in line charts: distinct colours (Okabe–Ito) and marker shapes.
# The own area strongest; the benchmarks lighter (and thinner, see trend_figure) so they frame rather than compete.
SERIES = {"area": ("#0072B2", "circle"), "NL01": ("#6b6b6b", "diamond"), "provincie": ("#2f8f6f", "square"),
          "regio": ("#8a5a00", "triangle-down"), "vergelijkbaar": ("#7b3294", "star"),
          "extra": ["#D55E00", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]}


TARGET_SYMBOL = {"improved": "✓", "held": "=", "within_margin": "=", "worsened": "!", "uncertain": "?",
                 "not_yet": "○", "followed": "·"}


def target_heading(rule: str) -> str:
    """What the verdict line is called: a target where the plan sets one, otherwise just the change."""
    return "Doel van het plan" if rule == "stabilisatie" else "Verandering t.o.v. de basis (geen doel)"


def target_text(status: str, text: str) -> str:
    """A target verdict with its symbol, so it never rests on colour alone."""
    return f"{TARGET_SYMBOL.get(status, '')} {text}".strip()


def verdict_text(verdict: str) -> str:
    return f"{VERDICT_SYMBOL.get(verdict, '')} {verdict}".strip()
