"""Command line: ``ks-data`` (or ``python -m ks_data``): export, validate, audit, import, refresh, history, undo.

``export`` writes the published view — what the app shows, small counts hidden — unless
``--unsuppressed`` asks for the raw table (with a warning). Every error a user can cause ends in
one Dutch line on stderr and exit status 2 (1 for a file with validation problems); never a
traceback.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
from pathlib import Path

import pandas as pd

from ks_data.memory import keep_freed_memory
from ks_data.sources.refresh import SourceError
from ks_data.sources.store import StoreError
from ks_data.sources.wide import MappingError
from ks_data.table.config import ConfigError, load_municipality, load_settings, municipality_codes
from ks_data.table.observations import check_table, load_observations, to_text
from ks_data.table.reading import ReadError, read_table
from ks_data.table.validation import ValidationError
from ks_data.views.safe_export import csv_bytes, xlsx_bytes
from ks_data.vocab import EXAMPLE_MARK

UNSUPPRESSED_WARNING = ("Let op: deze uitvoer bevat alle aantallen, ook kleine (minder dan {t}). Niet publiceren "
                        "en niet delen buiten wie de brongegevens mag zien.")


def _published(bundle: str | None, municipalities: list[str]) -> pd.DataFrame:
    from ks_data.publish.publication import Publication
    from ks_data.publish.published import export_table
    from ks_data.views.monitor import Monitor

    publication = Publication(bundle)
    parts = [to_text(export_table(Monitor.load(bundle, code, publication=publication).view))
             for code in municipalities]
    # NL and the province appear in every municipality's view with the same figures: keep them once.
    return pd.concat(parts, ignore_index=True).drop_duplicates(
        subset=["indicator_id", "area_code", "period_start", "period_end", "period_label"])


def _export(args: argparse.Namespace) -> int:
    if args.unsuppressed:
        print(UNSUPPRESSED_WARNING.format(t=load_settings().suppression_threshold), file=sys.stderr)
        text = to_text(load_observations(args.bundle))
    else:
        codes = [args.gemeente] if args.gemeente else municipality_codes()
        for code in codes:
            load_municipality(code)  # an unknown municipality is a ConfigError with its name
        text = _published(args.bundle, codes)
    if args.indicator:
        text = text[text["indicator_id"] == args.indicator]
    if args.area:
        text = text[text["area_code"] == args.area]
    if args.format == "csv":
        data = csv_bytes(text, excel=False)
    elif args.format == "parquet":
        buffer = io.BytesIO()
        text.to_parquet(buffer, index=False)
        data = buffer.getvalue()
    else:
        example = text["is_example"].eq("true").any()
        data = xlsx_bytes(text, EXAMPLE_MARK.replace("—", "-") if example else "Waarnemingen")
    _write(data, args.out, "export.csv")
    return 0


def _write(data: bytes, out: str | None, example_name: str) -> None:
    """Write atomically to ``out``, or to stdout without one."""
    if not out:
        sys.stdout.buffer.write(data)
        return
    from ks_data.storage import atomic_write_bytes

    path = Path(out)
    if path.is_dir():
        raise _UserError(f"'{path}' is een map; geef een bestandsnaam op, bijvoorbeeld {path / example_name}.")
    try:
        atomic_write_bytes(path, data)
    except OSError as err:
        raise _UserError(f"Kan niet schrijven naar '{path}' ({err.strerror or 'schrijffout'}); kies een map "
                         f"waarin u mag schrijven.") from None


def _report(args: argparse.Namespace) -> int:
    from ks_data.views import evaluation, report
    from ks_data.views.monitor import Monitor

    monitor = Monitor.load(args.bundle, args.municipality)
    until = None if args.all else args.until if args.until is not None else evaluation.default_until(monitor)
    built = report.build(monitor, evaluation.Choice(until=until, baseline=args.baseline))
    data = {"html": lambda: report.to_html(built).encode("utf-8"), "xlsx": lambda: report.to_xlsx(built),
            "csv": lambda: report.to_csv(built)}[args.format]()
    _write(data, args.out, built.file_name(args.format))
    if args.out:
        print(f"Rapport geschreven: {args.out} ({len(built.table)} rijen; {built.moment}).", file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        table = check_table(read_table(path, args.sheet), source=path.name)
    except ValidationError as err:
        for problem in err.problems:
            print(f"{path}: {problem}")
        print(f"{len(err.problems)} probleem/problemen gevonden.", file=sys.stderr)
        return 1
    print(f"{path}: in orde ({len(table)} rijen).")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from ks_data.publish.audit import roomy, unsafe
    from ks_data.publish.publication import Publication
    from ks_data.views.monitor import Monitor

    floor = load_settings().min_hidden_range
    publication = Publication(args.bundle)
    if args.joint:
        return _joint_audit(publication, floor)
    coalitions = [c for c, g in publication.groups().items() if g.kind == "coalitie"]
    codes = [args.gemeente] if args.gemeente else [*municipality_codes(), *coalitions]
    worst = None
    for code in codes:
        monitor = Monitor.load(args.bundle, code, publication=publication)
        audit = monitor.view.full_audit()
        hidden = int(monitor.published["suppressed"].sum())
        print(f"{monitor.municipality.name} ({code}), bundel {monitor.bundle.name}: {hidden} verborgen cijfers; "
              f"voor {len(audit)} met een noemer is berekend tussen welke waarden het aantal moet liggen.")
        sensitive = roomy(audit, floor)  # hidden for their own small count, narrowest first
        if len(sensitive):
            row = sensitive.iloc[0]
            where = f"  smalste klein aantal: {row['indicator_id']}, {row['area_code']}, {row['period_label']}: "
            if monitor.view.exact:
                print(f"{where}tussen {row['low'] + 0.0:.0f} en {row['high'] + 0.0:.0f} ({row['values']} mogelijke "
                      f"waarden)")
            else:  # a coalition's own audit stops once a range is wide enough (see published.build)
                print(f"{where}ten minste {row['values']} mogelijke waarden (niet verder uitgerekend)")
        unsafe_here = len(unsafe(audit, floor))
        worst = unsafe_here if worst is None else worst + unsafe_here
    if worst:
        print(f"Niet veilig: een verborgen aantal is tot minder dan {floor} waarden terug te rekenen.", file=sys.stderr)
        return 1
    print(f"In orde: geen verborgen aantal is tot minder dan {floor} mogelijke waarden terug te rekenen.")
    return 0


def _joint_audit(publication, floor: int) -> int:
    """Per province of the bundle: the joint audit over every cell its views publish, and the narrowest count."""
    from ks_data.publish.audit import SENSITIVE, roomy, unsafe
    from ks_data.publish.national import provinces_in

    narrow_total, hidden_total = 0, 0
    for province in provinces_in(publication.observations, publication.areas):
        result, disagree = publication.joint_audit(province)
        sensitive = result[result["kind"] == SENSITIVE]
        narrow = unsafe(result, floor)
        narrow_total += len(narrow) + len(disagree)
        hidden_total += len(sensitive)
        free = roomy(result, floor)
        least = f"; smalste: {int(free['values'].min())} mogelijke waarden" if len(free) else ""
        print(f"{province}: {len(sensitive)} klein verborgen aantallen{least}; te smal: {len(narrow)}; "
              f"oneens tussen weergaven: {len(disagree)}")
    if narrow_total:
        print(f"Niet veilig: {narrow_total} verborgen aantallen zijn tot minder dan {floor} waarden terug te "
              f"rekenen.", file=sys.stderr)
        return 1
    print(f"In orde: geen van de {hidden_total} kleine verborgen aantallen is tot minder dan {floor} mogelijke "
          f"waarden terug te rekenen (alle weergaven samen, coalities en regio's inbegrepen).")
    return 0


def _publish(args: argparse.Namespace) -> int:
    import time

    from ks_data.publish.publication import Publication

    start = time.perf_counter()
    publication = Publication(args.bundle)
    national = publication.national()  # every province's joint decisions, stored for the app to read
    hidden = int(national.table["suppressed"].sum())
    print(f"Bundel '{publication.bundle}': beslissingen van {len(publication.provinces())} provincie(s) genomen en "
          f"bewaard in {time.perf_counter() - start:.1f} s; landelijk beeld: {hidden} verborgen cijfers.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from ks_data.sources import store

    bundle = args.bundle or load_settings().default_bundle
    size = Path(args.file).stat().st_size if Path(args.file).is_file() else 0
    if size > args.max_mb * 1024 * 1024:  # read whole into memory: refuse what would exhaust it
        raise _UserError(f"{Path(args.file).name} is {size / 1024 / 1024:.0f} MB, meer dan de grens van "
                         f"{args.max_mb} MB; splits het bestand of geef een hogere grens met --max-mb.")
    if args.mapping:  # a wide portal export, reshaped by a saved mapping
        from ks_data.sources import wide

        mapping = wide.load_mapping(args.mapping)
        long = wide.to_long(Path(args.file), None, mapping)
        result = store.preview(bundle, long, source=args.source or mapping.source or Path(args.file).name,
                               trace=lambda problems: wide.trace(problems, long))
    else:
        raw = read_table(Path(args.file), args.sheet)
        result = store.preview(bundle, raw, source=args.source or Path(args.file).name)
    print(f"Voorvertoning voor bundel '{bundle}': {result.summary()}.")
    for row in result.added.head(20).itertuples():
        other = f" [andere definitie: {row.definition}]" if row.definition else ""
        print(f"  nieuw: {row.indicator_id} {row.area_code} {row.period_label}: {row.value or '–'} ({row.source})"
              f"{other}")
    for row in result.changed.head(20).itertuples():
        print(f"  gewijzigd: {row.indicator_id} {row.area_code} {row.period_label}: {row.old_value or '–'} "
              f"({row.old_source}) → {row.value or '–'} ({row.source})")
    for line in result.refused[:20]:
        print(f"  geweigerd: {line}")
    if args.dry_run:
        print("Proefrun: er is niets opgeslagen.")
        return 0
    if result.refused and not args.skip_refused:  # bad input leaves the store as it was, unless asked otherwise
        print(f"Fout: {len(result.refused)} regel(s) geweigerd; er is niets opgeslagen. Herstel het bestand, of sla "
              f"de geweigerde regels over met --skip-refused (de andere {len(result.added) + len(result.changed)} "
              f"worden dan opgeslagen).", file=sys.stderr)
        return 1
    entry = store.apply(result, who=args.who or store.default_user())
    print(f"Opgeslagen als wijziging {entry['id']} door {entry['who']}; terugdraaien met 'ks-data undo'.")
    return 0


def _refresh(args: argparse.Namespace) -> int:
    from ks_data.sources import store
    from ks_data.sources.refresh import refresh
    from ks_data.sources.store import Preview

    if args.check:
        return _check_sources(args.source)
    bundle = args.bundle or load_settings().default_bundle
    results = refresh(bundle, names=[args.source] if args.source else None, dry_run=args.dry_run,
                      who=args.who or store.default_user())
    failed = 0
    for name, result in results:
        if isinstance(result, Preview):
            print(f"{name}: {result.summary()}")
        else:
            failed += 1
            print(f"{name}: niet bijgewerkt — {result}", file=sys.stderr)
    if args.dry_run:
        print("Proefrun: er is niets opgeslagen.")
    if failed:
        print(f"{failed} bron(nen) niet bijgewerkt; de vorige gegevens blijven staan.", file=sys.stderr)
    return 1 if failed else 0


def _check_sources(only: str | None) -> int:
    """Each configured source's keys and codes, looked up in its table's description; exit 1 if one is missing."""
    from ks_data.sources.check import check_source
    from ks_data.sources.refresh import source_names

    names = [only] if only else source_names(enabled_only=False)
    missing = 0
    for name in names:
        found = check_source(name)
        print(f"{name}: tabel '{found.title or 'titel onbekend'}'" + (" — in orde" if not found.problems else
                                                                         f" — {found.problems} fout(en)"))
        for line in found.lines:
            print(line)
        missing += bool(found.problems)
    print(f"{len(names) - missing} van {len(names)} bronnen in orde." if names else "Geen bronnen ingesteld.")
    return 1 if missing else 0


def _history(args: argparse.Namespace) -> int:
    from ks_data.sources import store

    bundle = args.bundle or load_settings().default_bundle
    entries = store.history(bundle)
    if not entries:
        print(f"Bundel '{bundle}' is nog niet gewijzigd.")
    for e in entries:
        print(f"{e['id']:>4}  {e['time']}  {e['who']}  {e['action']}: {e['detail']}")
    return 0


def _undo(args: argparse.Namespace) -> int:
    from ks_data.sources import store

    bundle = args.bundle or load_settings().default_bundle
    if args.to is not None:
        entry = store.restore(bundle, args.to, who=args.who or store.default_user())
    else:
        entry = store.undo(bundle, who=args.who or store.default_user())
    print(f"Hersteld ({entry['detail']}); dit is zelf wijziging {entry['id']}.")
    return 0


def _hash_password(args: argparse.Namespace) -> int:
    import getpass

    from ks_data.passwords import MIN_LENGTH, hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Wachtwoord voor redacteuren: ")
        if getpass.getpass("Nog een keer: ") != password:
            raise _UserError("De twee wachtwoorden verschillen.")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < MIN_LENGTH:
        raise _UserError(f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens.")
    print("# in .streamlit/secrets.toml (niet in git):")
    print("[editors]")
    print(f'password_hash = "{hash_password(password)}"')
    return 0


class _UserError(Exception):
    """An error the user can fix; its text is the Dutch message."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ks-data", description="Kansrijke Start monitor: data layer")
    sub = parser.add_subparsers(dest="command", required=True)
    exp = sub.add_parser("export", help="write the published observations (small counts hidden)")
    exp.add_argument("--bundle", default=None, help="data bundle (default: the settings' default, 'echt')")
    exp.add_argument("--gemeente", help="only this municipality's published view (default: every configured one)")
    exp.add_argument("--format", choices=["csv", "parquet", "xlsx"], default="csv")
    exp.add_argument("--indicator", help="only this indicator id")
    exp.add_argument("--area", help="only this area code")
    exp.add_argument("--out", help="output file (default: stdout)")
    exp.add_argument("--unsuppressed", action="store_true",
                     help="the raw table with every small count: not for publication")
    val = sub.add_parser("validate", help="check a file in the tidy format")
    val.add_argument("file")
    val.add_argument("--sheet", default=None, help="the worksheet of an Excel file (default: the first)")
    aud = sub.add_parser("audit", help="how narrowly can each hidden count be worked back from what is published?")
    aud.add_argument("--bundle", default=None)
    aud.add_argument("--gemeente", help="only this municipality (default: every configured one)")
    aud.add_argument("--joint", action="store_true",
                     help="per province, one audit over everything its views publish together (coalitions and "
                          "regions included) instead of each view's own audit")
    pub = sub.add_parser("publish", help="take and store every province's disclosure decisions ahead of the app")
    pub.add_argument("--bundle", default=None)
    imp = sub.add_parser("import", help="add or update figures from a file in the tidy format, with a preview")
    imp.add_argument("file")
    imp.add_argument("--bundle", default=None)
    imp.add_argument("--sheet", default=None)
    imp.add_argument("--mapping", help="a mapping file (TOML) for a wide portal export; see data/mappings/")
    imp.add_argument("--source", help="source text for rows that name none (default: the file name)")
    imp.add_argument("--who", help="who makes the change (default: $KS_USER or the login name)")
    imp.add_argument("--dry-run", action="store_true", help="only show the preview")
    imp.add_argument("--skip-refused", action="store_true",
                     help="store the good rows of a file with refused rows (default: refuse the whole file)")
    imp.add_argument("--max-mb", type=int, default=250, help="refuse larger files (default 250 MB)")
    ref = sub.add_parser("refresh", help="fetch the sources in data/sources.toml from the open-data services")
    ref.add_argument("--bundle", default=None)
    ref.add_argument("--source", help="only this source (see data/sources.toml)")
    ref.add_argument("--who", default=None)
    ref.add_argument("--dry-run", action="store_true", help="only show what would change")
    ref.add_argument("--check", action="store_true",
                     help="only look up every configured key and code in each table's description (no figures)")
    his = sub.add_parser("history", help="every change to a bundle")
    his.add_argument("--bundle", default=None)
    und = sub.add_parser("undo", help="undo the last change, or restore the state before change N")
    und.add_argument("--bundle", default=None)
    und.add_argument("--to", type=int, default=None, help="restore the state before this change")
    und.add_argument("--who", default=None)
    rep = sub.add_parser("report", help="the evaluation report (published figures only) as HTML, Excel or CSV")
    rep.add_argument("--format", choices=["html", "xlsx", "csv"], default="html")
    rep.add_argument("--out", help="output file (default: stdout)")
    rep.add_argument("--bundle", default=None)
    rep.add_argument("--municipality", default=None, help="municipality code, e.g. GM0597 (default: the settings')")
    rep.add_argument("--until", type=int, default=None, help="periods ending by this year (default: the last review moment)")
    rep.add_argument("--all", action="store_true", help="every period in the data, not only up to the review moment")
    rep.add_argument("--baseline", default=None, help="baseline period label (default: the configuration's)")
    sub.add_parser("hash-password", help="make the editor password hash for .streamlit/secrets.toml")
    args = parser.parse_args(argv)
    keep_freed_memory()  # a national file is read and checked in a few hundred MB of short-lived arrays
    try:
        return {"export": _export, "validate": _validate, "audit": _audit, "import": _import,
                "refresh": _refresh, "publish": _publish, "history": _history, "undo": _undo, "hash-password": _hash_password,
                "report": _report}[args.command](args)
    except ValidationError as err:
        print(f"Fout: de gegevens bevatten {len(err.problems)} probleem/problemen; controleer ze met "
              f"'ks-data validate'.\n{err}", file=sys.stderr)
        return 1
    except (ConfigError, ReadError, _UserError, StoreError, MappingError, SourceError) as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 — a user gets a sentence, the details go to the log
        logging.getLogger("ks_data").debug("unexpected error", exc_info=True)
        print(f"Fout: onverwachte fout ({type(err).__name__}); controleer de invoer of meld dit aan de beheerder.",
              file=sys.stderr)
        return 2
