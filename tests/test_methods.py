"""The methods' explanations are generated from the settings and constants the code uses, not typed twice."""

from __future__ import annotations

from dataclasses import replace

from ks_data.table.config import load_municipality, load_settings
from ks_data.views.methods import explanations


def test_explanations_follow_the_settings_and_the_plan():
    settings = load_settings()
    text = " ".join(explanations(settings, load_municipality("GM0597")).values())
    assert f"minder dan {settings.suppression_threshold}" in text or str(settings.suppression_threshold) in text
    assert "10%" in text  # Ridderkerk's margin, from its configuration
    other = " ".join(explanations(replace(settings, suppression_threshold=7, min_hidden_range=9)).values())
    assert "7" in other and "9" in other and "een door de coalitie gekozen percentage" in other
