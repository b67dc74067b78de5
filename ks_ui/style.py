"""Colours and symbols: a colour-blind-safe blue/orange scale, always with a word or symbol beside it."""

from __future__ import annotations

from ks_data.stats import compare as cmp
from ks_data.stats import funnel

VERDICT_COLOUR = {
    cmp.CLEARLY_BETTER: "#0B4F9C",
    cmp.BETTER: "#5AA0E6",
    cmp.SIMILAR: "#C8C8C8",
    cmp.WORSE: "#FFA500",
    cmp.CLEARLY_WORSE: "#A35200",
    cmp.NOT_ASSESSED: "#FFFFFF",
}
VERDICT_SYMBOL = {
    cmp.CLEARLY_BETTER: "▲▲", cmp.BETTER: "▲", cmp.SIMILAR: "●",
    cmp.WORSE: "▼", cmp.CLEARLY_WORSE: "▼▼", cmp.NOT_ASSESSED: "○",
}
FUNNEL_SYMBOL = {funnel.HIGH_998: "▲▲", funnel.HIGH_95: "▲", funnel.NOT_SIGNIFICANT: "●",
                 funnel.LOW_95: "▼", funnel.LOW_998: "▼▼", "": "○"}
# Series in line charts: distinct colours (Okabe–Ito) and marker shapes.
SERIES = {"area": ("#0072B2", "circle"), "NL01": ("#333333", "diamond"), "provincie": ("#009E73", "square"),
          "extra": ["#D55E00", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]}
EXAMPLE_MARK = "Voorbeelddata — fictief"


def verdict_text(verdict: str) -> str:
    return f"{VERDICT_SYMBOL.get(verdict, '')} {verdict}".strip()
