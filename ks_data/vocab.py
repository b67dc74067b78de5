"""The monitor's vocabulary, in one leaf module that imports nothing of the project.

Units, polarities, period types, groups, phases, interval methods, every verdict word, the
example mark and the wording of a hidden figure live here, so that the catalogue, the
statistics, the formatting, the exports and the pages all say the same thing (as Fingertips
keeps its enumerations in one place).
"""

from __future__ import annotations

# ---- units: the value is the proportion times the multiplier (also the value's upper bound) --------
UNIT_MULTIPLIER = {"per1000": 1000.0, "%": 100.0}
UNIT_LABEL = {"per1000": "per 1000", "%": "%"}
# What one unit of a difference is called ("3,2 procentpunt", "12,0 per 1000").
DIFFERENCE_LABEL = {"per1000": "per 1000", "%": "procentpunt"}

POLARITIES = {"lower": "lager", "higher": "hoger"}  # which direction is favourable, in Dutch
PERIOD_TYPES = {"year": "per jaar", "5year": "vijf jaar samen", "survey": "peiljaar (enquête)"}
GROUPS = ["perinatale kerncijfers", "fysieke en mentale gezondheid", "gezinssituatie", "werk en inkomen"]
PHASES = {"voor": "vóór de zwangerschap", "tijdens": "tijdens de zwangerschap", "na": "na de geboorte"}
CI_METHOD_NAMES = {"wilson": "Wilson-scoreinterval (aandeel)",
                   "poisson_exact": "exact Poisson-interval (cijfer per geboorten)"}

# ---- area against a benchmark (Fingertips' single overlapping interval) ------------------------------
SIMILAR, BETTER, WORSE = "vergelijkbaar", "beter", "slechter"
CLEARLY_BETTER, CLEARLY_WORSE = "duidelijk beter", "duidelijk slechter"
NOT_ASSESSED = "niet te beoordelen"
VERDICTS = [CLEARLY_BETTER, BETTER, SIMILAR, WORSE, CLEARLY_WORSE, NOT_ASSESSED]  # best first

# ---- funnel positions --------------------------------------------------------------------------------
HIGH_998, HIGH_95 = "hoog (99,8%)", "hoog (95%)"
LOW_998, LOW_95 = "laag (99,8%)", "laag (95%)"
INSIDE_FUNNEL = "binnen de trechter"

# ---- recent trend ------------------------------------------------------------------------------------
RISING, FALLING, NO_CHANGE = "stijgend", "dalend", "geen significante verandering"
TREND_NOT_TESTED = "niet getoetst"

# ---- the plan's target (non-inferiority against a margin) ---------------------------------------------
# Keyed by the favourable direction; the words mirror for indicators where higher is better.
TARGET_WORDS = {
    "lower": {"improved": "gedaald — doel gehaald", "held": "geen stijging groter dan de marge — doel gehaald",
              "within_margin": "gestegen, maar binnen de marge — doel gehaald",
              "worsened": "gestegen — doel niet gehaald",
              "uncertain": "onzeker — een stijging groter dan de marge is niet uitgesloten"},
    "higher": {"improved": "gestegen — doel gehaald", "held": "geen daling groter dan de marge — doel gehaald",
               "within_margin": "gedaald, maar binnen de marge — doel gehaald",
               "worsened": "gedaald — doel niet gehaald",
               "uncertain": "onzeker — een daling groter dan de marge is niet uitgesloten"},
}
NOT_YET = "nog niet te beoordelen"
# For indicators the plan only follows: the change, never a target word.
CHANGE_WORDS = {"up": "gestegen", "down": "gedaald", "none": "niet aantoonbaar veranderd"}
RULE_TARGET, RULE_FOLLOW = "stabilisatie", "volgen"

# Verdict colours (colour-blind-safe blue/orange) and symbols, shared by the pages and the report.
VERDICT_COLOUR = {
    CLEARLY_BETTER: "#0B4F9C",
    BETTER: "#5AA0E6",
    SIMILAR: "#C8C8C8",
    WORSE: "#FFA500",
    CLEARLY_WORSE: "#A35200",
    NOT_ASSESSED: "#FFFFFF",
}
# One convention on every page, chart and export: words and colour (and these signs) say better/worse;
# arrows are kept for higher/lower (the funnel), so a ▼ never means "worse" in one column and "low" in the next.
# Marks that say better or worse, never higher or lower: "−" beside a higher BIG2 read as a lower value.
VERDICT_SYMBOL = {
    CLEARLY_BETTER: "✓✓", BETTER: "✓", SIMILAR: "=",
    WORSE: "!", CLEARLY_WORSE: "!!", NOT_ASSESSED: "○",
}

# ---- marks -------------------------------------------------------------------------------------------
EXAMPLE_MARK = "Voorbeelddata — fictief"
EXAMPLE_WORDS = {True: "ja (fictief)", False: "nee"}  # the example flag in a table or download
MISSING = "–"
HIDDEN_SHORT = "verborgen"


def hidden_reason(threshold: int) -> str:
    """Why a figure is hidden: one wording for every hidden figure (the threshold from the settings).

    A figure hidden because its own count is small and one hidden to protect a small count
    elsewhere read the same, so the wording tells a reader nothing about which it is.
    """
    return (f"minder dan {threshold} in de teller of in de rest van de noemer, hier of in een cijfer dat "
            f"hiermee terug te rekenen zou zijn")


def hidden_text(reason: str) -> str:
    """The one wording for the place of a hidden figure: 'verborgen (…)'."""
    return f"{HIDDEN_SHORT} ({reason})" if reason else HIDDEN_SHORT
