"""The coalition's half-yearly registrations, entered and corrected by an editor, with history and undo.

``gemeenten/<code>/registraties.csv`` is append-only: every registration is one new row with who and when, and the
newest row per half year, kind and item counts (:func:`ks_data.views.plan.load_registrations`), so a correction
is a newer row and the older one stays as history. Undo takes the last added row away again (after a
confirmation on the page); that is logged too. Each write happens under a lock and atomically: a failed write
leaves the file as it was. Checked against the plan (its actions, activities and cost lines, its half years).
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ks_data.storage import atomic_write_text
from ks_data.table.config import Municipality, data_dir
from ks_data.views.plan import KINDS, REGISTRATION_COLUMNS, STATUSES, Plan, half_years, load_registrations

LOG = "registraties.log.jsonl"
MAX_NOTE = 500


class RegistrationError(ValueError):
    """A registration that cannot be recorded (message in Dutch)."""


def _folder(municipality: Municipality, root: Path | None) -> Path:
    return (root or data_dir()) / "gemeenten" / municipality.code


@contextmanager
def _locked(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".registraties.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def items(plan: Plan, kind: str) -> dict[str, str]:
    """What can be registered for a kind: id → the plan's words for it."""
    if kind == "actie":
        return dict(zip(plan.actions["id"].astype(str), plan.actions["title"].astype(str)))
    if kind == "activiteit":
        return dict(zip(plan.activities["id"].astype(str), plan.activities["title"].astype(str)))
    costs = plan.budget[(plan.budget["kind"] == "kosten") & (plan.budget["item"] != "totaal")]
    return {f"{y}/{i}": f"{i} ({y})" for y, i in zip(costs["year"].astype(str), costs["item"].astype(str))}


def check(municipality: Municipality, plan: Plan, entry: dict) -> dict:
    """The registration as a row of the file, or :class:`RegistrationError` saying in Dutch what is wrong."""
    kind = str(entry.get("kind", "")).strip()
    if kind not in KINDS:
        raise RegistrationError(f"Soort moet een van {', '.join(KINDS)} zijn.")
    half_year = str(entry.get("half_year", "")).strip()
    if half_year not in half_years(municipality):
        raise RegistrationError(f"Half jaar '{half_year}' valt niet binnen het plan "
                                f"({', '.join(half_years(municipality)) or 'geen looptijd ingesteld'}).")
    item = str(entry.get("id", "")).strip()
    if item not in items(plan, kind):
        raise RegistrationError(f"'{item}' staat niet in het plan als {kind}.")
    row = dict.fromkeys(REGISTRATION_COLUMNS, "")
    row.update(half_year=half_year, kind=kind, id=item)
    if kind == "actie":
        status = str(entry.get("status", "")).strip()
        if status not in STATUSES:
            raise RegistrationError(f"Status moet een van {', '.join(STATUSES)} zijn.")
        row["status"] = status
    else:
        field, word = ("count", "Aantal") if kind == "activiteit" else ("spent_eur", "Bedrag (euro)")
        value = str(entry.get(field, "")).strip().replace(".", "").replace("€", "").strip()
        if not value.isdigit() or len(value) > 12:
            raise RegistrationError(f"{word} moet een geheel getal van 0 of meer zijn (zonder decimalen), "
                                    f"niet '{str(entry.get(field, ''))[:40]}'.")
        row[field] = str(int(value))
    note = " ".join(str(entry.get("note", "")).split())
    if len(note) > MAX_NOTE:
        raise RegistrationError(f"De toelichting is langer dan {MAX_NOTE} tekens.")
    row["note"] = note
    return row


def _text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTRATION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [dict(r) for r in csv.DictReader(handle)]


def _log(folder: Path, entry: dict) -> None:
    with open(folder / LOG, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def record(municipality: Municipality, plan: Plan, entry: dict, who: str, root: Path | None = None) -> dict:
    """Add one registration (a newer one corrects an older); returns the row written."""
    row = check(municipality, plan, entry)
    row["recorded_by"] = " ".join(str(who).split())[:80] or "onbekend"
    row["recorded_on"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    folder = _folder(municipality, root)
    with _locked(folder):
        path = folder / "registraties.csv"
        load_registrations(municipality, root)  # a damaged file is refused here, before anything is written
        rows = _rows(path)
        atomic_write_text(path, _text([*rows, row]))
        _log(folder, {"action": "registratie", "row": row, "when": row["recorded_on"], "who": row["recorded_by"]})
    return row


def history(municipality: Municipality, root: Path | None = None) -> list[dict]:
    """Every registration and undo, oldest first (from the log)."""
    path = _folder(municipality, root) / LOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def undo(municipality: Municipality, who: str, root: Path | None = None) -> dict:
    """Take the last added registration away again; returns it. Refused when there is none, or when the file's
    last row is not what was last added (changed by hand since): nothing else is ever removed."""
    folder = _folder(municipality, root)
    with _locked(folder):
        path = folder / "registraties.csv"
        rows = _rows(path)
        stack = []  # what is still in the file, in the order it was added: an undo takes the last one away
        for event in history(municipality, root):
            if event["action"] == "registratie":
                stack.append(event)
            elif stack:
                stack.pop()
        if not rows or not stack:
            raise RegistrationError("Er is geen registratie om ongedaan te maken.")
        last = stack[-1]
        if rows[-1] != last["row"]:
            raise RegistrationError("De laatste regel van het registratiebestand is niet de laatst vastgelegde "
                                    "registratie (het bestand is daarna met de hand gewijzigd); er is niets "
                                    "teruggedraaid.")
        atomic_write_text(path, _text(rows[:-1]))
        when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        _log(folder, {"action": "ongedaan", "row": last["row"], "when": when, "who": " ".join(str(who).split())[:80]})
    return last["row"]
