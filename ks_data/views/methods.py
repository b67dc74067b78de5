"""Plain-Dutch explanations of the methods, generated from the constants and settings the code uses."""

from __future__ import annotations

from ks_data import fmt, vocab
from ks_data.stats import trend
from ks_data.stats.intervals import METHOD_NAMES, z_value
from ks_data.table import similar
from ks_data.table.config import Municipality, Settings


def explanations(settings: Settings, municipality: Municipality | None = None) -> dict[str, str]:
    z95, z998 = fmt.number(z_value(0.95), 2), fmt.number(z_value(0.998), 2)
    t, width, floor = settings.suppression_threshold, settings.postcode_block_years, settings.min_hidden_range
    words = vocab.TARGET_WORDS["lower"]
    margins = sorted({r.margin for r in (municipality.targets.values() if municipality else []) if r.margin})
    margin = (" en ".join(f"{fmt.number(m * 100, 0)}%" for m in margins) if margins else "een door de coalitie "
              "gekozen percentage")
    return {
        "Betrouwbaarheidsintervallen": (
            f"Elk cijfer met bekende aantallen krijgt een 95%-betrouwbaarheidsinterval: de marge waarbinnen de "
            f"'echte' waarde waarschijnlijk ligt. Voor aandelen (zoals BIG2 en percentages) is dat het "
            f"{METHOD_NAMES['wilson']}; voor sterfte per 1000 geboorten het {METHOD_NAMES['poisson_exact']}. "
            f"Hoe kleiner het gebied, hoe breder het interval. Zonder teller en noemer is er geen interval."),
        "Vergelijken met Nederland, de provincie of de gemeente": (
            f"Ligt de vergelijkingswaarde binnen het 95%-interval van het gebied, dan heet het "
            f"'{vocab.SIMILAR}'. Ligt hij erbuiten, dan '{vocab.BETTER}' of '{vocab.WORSE}', afhankelijk van "
            f"of een lager of hoger cijfer gunstig is. Ligt hij ook buiten het 99,8%-interval, dan "
            f"'{vocab.CLEARLY_BETTER}' of '{vocab.CLEARLY_WORSE}'. Zonder aantallen, of als een van beide cijfers "
            f"verborgen is: '{vocab.NOT_ASSESSED}'. De vergelijkingswaarde is het onafgeronde cijfer (uit zijn "
            f"aantallen waar die er zijn), niet het afgeronde getal dat de pagina toont. Dit is de werkwijze van "
            f"het Engelse Fingertips."),
        "Trechter (funnel plot)": (
            f"De trechter toont per postcodegebied het cijfer tegen de noemer. De lijnen liggen op "
            f"{z95} en {z998} standaardfouten rond het gemeentecijfer van dezelfde jaren. Een gebied buiten de "
            f"trechter ('{vocab.HIGH_95}', '{vocab.HIGH_998}') wijkt meer af dan toeval bij die omvang verklaart. "
            f"Is het gemeentecijfer verborgen, dan is er geen trechter."),
        "Trend": (
            f"Een trend wordt alleen getoetst over de {trend.MIN_POINTS} meest recente jaren, en alleen als dat "
            f"{trend.MIN_POINTS} opeenvolgende jaren met aantallen zijn; ontbreekt er een, dan zegt de pagina welk. "
            f"De toets is de chi-kwadraattoets voor trend (Cochran–Armitage) op 99,8%-niveau (chi-kwadraat groter dan "
            f"{fmt.number(trend.CHI2_THRESHOLD, 2)}). Een verborgen jaar telt mee in de toets, maar de toetsgrootheid "
            f"wordt dan niet getoond, en de uitkomst alleen als die hetzelfde is voor elk aantal dat dat jaar "
            f"volgens de controle kan hebben (anders zou de uitkomst iets over dat jaar verraden). "
            f"Vijfjaarsperioden overlappen elkaar en worden nooit op trend getoetst."),
        "Doel van het plan": (
            f"Het plan wil minstens een stabilisering van de perinatale kerncijfers. 'Stabiel' betekent hier: een "
            f"stijging groter dan de marge is uitgesloten. De marge is {margin} van de basiswaarde; de coalitie kiest "
            f"haar. De laatste periode (die moet eindigen in of na het eerste jaar van het plan en mag niet overlappen "
            f"met de basis) wordt vergeleken met de basis via het 95%-interval van het verschil (bij sterfte: van de "
            f"verhouding). Ligt het hele interval onder nul: '{words['improved']}'. Ligt de bovenkant onder de marge: "
            f"'{words['held']}' (of, als het hele interval toch boven nul ligt, '{words['within_margin']}'). Ligt het "
            f"hele interval boven nul en de bovenkant niet onder de marge: '{words['worsened']}'. Anders: "
            f"'{words['uncertain']}'. Zonder aantallen, met overlappende perioden of zonder periode binnen het plan: "
            f"'{vocab.NOT_YET}', met de reden. Indicatoren die het plan alleen volgt krijgen geen doeloordeel, alleen "
            f"de verandering."),
        "Kleine aantallen en privacy": (
            f"Een aantal onder de {t}, of een rest (noemer min aantal) onder de {t}, wordt niet getoond, en dan ook het "
            f"cijfer, het interval, het oordeel en de richting niet. Postcodegebieden worden nooit per los jaar "
            f"getoond, alleen over vaste blokken van {width} jaar die elkaar niet overlappen (bijvoorbeeld "
            f"2015–2019 en 2020–2024). Omdat postcodegebieden samen de gemeente vormen en jaren samen een blok, "
            f"controleert de monitor bij elke verandering van de gegevens met lineair programmeren hoe nauwkeurig een "
            f"verborgen aantal uit alle getoonde cijfers terug te rekenen is. Kan dat tot minder dan {floor} "
            f"mogelijke waarden, dan wordt nog een cijfer uit dezelfde optelling verborgen (eerst een postcodegebied, "
            f"het kleinste eerst), tot elk verborgen aantal minstens {floor} mogelijke waarden houdt. De noemers "
            f"(zoals het aantal geboorten) blijven zichtbaar. Coalities en regio's horen bij dezelfde controle: hun "
            f"cijfer is de som van dat van hun gemeenten, dus ook daaruit mag geen verborgen aantal terug te rekenen "
            f"zijn."),
        "Coalities, regio's en vergelijkbare gemeenten": (
            f"Het cijfer van een coalitie van meer gemeenten of van een regio is de optelling van de aantallen van "
            f"haar gemeenten voor dezelfde periode, en bestaat alleen als elke gemeente voor die periode aantallen "
            f"heeft. Vergelijkbare gemeenten zijn de {similar.K} gemeenten die het meest lijken in grootte (aantal "
            f"inwoners) en stedelijkheid (inwoners per km²), beide op een logaritmische schaal en gestandaardiseerd "
            f"over alle gemeenten (afstand in standaardafwijkingen). Een coalitie kan de groep zelf vastleggen. Hun "
            f"gezamenlijke cijfer wordt alleen gegeven als het cijfer van elke gemeente in de groep getoond wordt."),
    }
