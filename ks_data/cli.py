"""Command line: ``python -m ks_data export`` and ``python -m ks_data validate FILE``."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from ks_data.config import ConfigError
from ks_data.observations import check_table, load_observations, read_raw, to_text
from ks_data.validation import ValidationError


def _export(args: argparse.Namespace) -> int:
    table = load_observations(args.bundle)
    if args.indicator:
        table = table[table["indicator_id"].astype(str) == args.indicator]
    if args.area:
        table = table[table["area_code"].astype(str) == args.area]
    text = to_text(table)
    if args.format == "csv":
        data = text.to_csv(index=False, lineterminator="\n").encode("utf-8")
    elif args.format == "parquet":
        buffer = io.BytesIO()
        text.to_parquet(buffer, index=False)
        data = buffer.getvalue()
    else:
        buffer = io.BytesIO()
        sheet = "Voorbeelddata - fictief" if text["is_example"].eq("true").any() else "Waarnemingen"
        text.to_excel(buffer, index=False, sheet_name=sheet)
        data = buffer.getvalue()
    if args.out:
        from ks_data.storage import atomic_write_bytes

        atomic_write_bytes(Path(args.out), data)
    elif args.format == "csv":
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.buffer.write(data)
    return 0


def _validate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        table = check_table(read_raw(path), source=str(path))
    except FileNotFoundError:
        print(f"Bestand niet gevonden: {path}", file=sys.stderr)
        return 2
    except ValidationError as err:
        for problem in err.problems:
            print(f"{path}: {problem}")
        print(f"{len(err.problems)} probleem/problemen gevonden.", file=sys.stderr)
        return 1
    print(f"{path}: in orde ({len(table)} rijen).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ks_data", description="Kansrijke Start monitor: data layer")
    sub = parser.add_subparsers(dest="command", required=True)
    exp = sub.add_parser("export", help="write the tidy observations table")
    exp.add_argument("--bundle", default=None, help="data bundle (default: the settings' default, 'echt')")
    exp.add_argument("--format", choices=["csv", "parquet", "xlsx"], default="csv")
    exp.add_argument("--indicator", help="only this indicator id")
    exp.add_argument("--area", help="only this area code")
    exp.add_argument("--out", help="output file (default: stdout)")
    val = sub.add_parser("validate", help="check a file in the tidy format")
    val.add_argument("file")
    args = parser.parse_args(argv)
    try:
        return _export(args) if args.command == "export" else _validate(args)
    except (ConfigError, ValidationError) as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 1
