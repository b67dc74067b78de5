"""Plain-Dutch explanations of the methods, generated from the constants the code uses."""

from __future__ import annotations

from ks_data import fmt
from ks_data.stats import compare, funnel, target, trend
from ks_data.stats.intervals import METHOD_NAMES, z_value


def explanations(threshold: int = 10) -> dict[str, str]:
    z95, z998 = fmt.number(z_value(0.95), 2), fmt.number(z_value(0.998), 2)
    return {
        "Betrouwbaarheidsintervallen": (
            f"Elk cijfer met bekende aantallen krijgt een 95%-betrouwbaarheidsinterval: de marge waarbinnen de "
            f"'echte' waarde waarschijnlijk ligt. Voor aandelen (zoals BIG2 en percentages) is dat het "
            f"{METHOD_NAMES['wilson']}; voor sterfte per 1000 geboorten het {METHOD_NAMES['poisson_exact']}. "
            f"Hoe kleiner het gebied, hoe breder het interval. Zonder teller en noemer is er geen interval."),
        "Vergelijken met Nederland, de provincie of de gemeente": (
            f"Ligt de vergelijkingswaarde binnen het 95%-interval van het gebied, dan heet het "
            f"'{compare.SIMILAR}'. Ligt hij erbuiten, dan '{compare.BETTER}' of '{compare.WORSE}', afhankelijk van "
            f"of een lager of hoger cijfer gunstig is. Ligt hij ook buiten het 99,8%-interval, dan "
            f"'{compare.CLEARLY_BETTER}' of '{compare.CLEARLY_WORSE}'. Zonder aantallen: '{compare.NOT_ASSESSED}'. "
            f"Dit is de werkwijze van het Engelse Fingertips."),
        "Trechter (funnel plot)": (
            f"De trechter toont per postcodegebied het cijfer tegen het aantal geboorten. De lijnen liggen op "
            f"{z95} en {z998} standaardfouten rond het gemeentegemiddelde. Een gebied buiten de trechter "
            f"('{funnel.HIGH_95}', '{funnel.HIGH_998}') wijkt meer af dan toeval bij die omvang verklaart."),
        "Trend": (
            f"Een trend wordt alleen getoetst bij minstens {trend.MIN_POINTS} losse jaren met aantallen; de "
            f"{trend.MIN_POINTS} meest recente jaren gaan in een chi-kwadraattoets voor trend (Cochran–Armitage) "
            f"op 99,8%-niveau (chi-kwadraat groter dan {fmt.number(trend.CHI2_THRESHOLD, 2)}). Uitkomst: "
            f"'{trend.RISING}', '{trend.FALLING}', '{trend.NO_CHANGE}' of '{trend.TOO_FEW}'. Vijfjaarsperioden "
            f"overlappen elkaar en worden nooit op trend getoetst."),
        "Doel van het plan": (
            f"Het plan streeft naar minstens stabilisatie van de perinatale kerncijfers. De laatste periode wordt "
            f"vergeleken met de basiswaarde: '{target.DECREASED}' of '{target.INCREASED}' als het 95%-interval van "
            f"het verschil (of de verhouding bij sterfte) helemaal aan één kant van nul (of één) ligt, anders "
            f"'{target.STABLE}'. Een verslechtering betekent: doel niet gehaald. Zonder aantallen is de uitkomst "
            f"alleen indicatief. Overlappende perioden worden niet vergeleken."),
        "Kleine aantallen": (
            f"Een aantal onder de {threshold} wordt niet getoond, en dan ook het cijfer en het interval niet. Een "
            f"postcodecijfer dat uit het gemeentetotaal min de andere gebieden te berekenen zou zijn, wordt ook "
            f"verborgen. Waar nodig worden jaren samengevoegd tot alle gebieden genoeg aantallen hebben."),
    }
