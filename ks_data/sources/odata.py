"""A small client for the CBS OData services (v3 ``TypedDataSet``, v4 ``Observations``) on requests.

Why: CBS StatLine (and RIVM's tables on dataderden.cbs.nl) is the only open source of several
monitor figures, and its services fail in known ways: connection resets and 500s, pages that
never end, region codes padded with spaces, measure keys renumbered in each year's table. This
module retries GETs with backoff, follows ``nextLink`` pages (refusing loops, other hosts and
runaway paging), finds a measure by its key prefix or title rather than its full key, and turns
every failure into one :class:`ODataError` whose text is a Dutch sentence naming the table — so
a refresh can report it and keep the last good data. It knows nothing of the monitor itself.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

V3, V4 = "v3", "v4"
DEFAULT_TIMEOUT = (10.0, 60.0)  # seconds to connect, seconds between bytes of the answer
MAX_PAGES = 200  # the v3 feed pages by 10,000 rows: 2 million rows is far beyond any table used here
RETRY_STATUS = (429, 500, 502, 503, 504)
SUPPRESSED = {"", ".", "x", "-", "?"}  # how an untyped data set writes a missing or hidden value
_KEY_NUMBER = re.compile(r"_\d+$")


class ODataError(ValueError):
    """A CBS service could not deliver a table; ``str()`` is a Dutch sentence naming the table."""

    def __init__(self, table: str, problem: str):
        self.table, self.problem = table, problem
        super().__init__(f"CBS-tabel {table}: {problem}")


@dataclass(frozen=True)
class Measure:
    key: str  # e.g. HuishOnderOfRondSociaalMinimum_79 (v3) or M001924 (v4)
    title: str
    unit: str = ""
    decimals: int | None = None
    group: str = ""  # the titles of the topic groups above it, e.g. "Minderjarige kinderen"


def make_session(retries: int = 3, backoff: float = 0.5) -> requests.Session:
    """A session that retries GETs on resets and 429/5xx with exponential backoff (0, 1, 2 s …)."""
    retry = Retry(total=retries, backoff_factor=backoff, status_forcelist=list(RETRY_STATUS),
                  allowed_methods=["GET"], raise_on_status=False, respect_retry_after_header=False)
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"Accept": "application/json", "User-Agent": "kansrijke-start-monitor"})
    return session


def key_prefix(key: str) -> str:
    """'HuishOnderOfRondSociaalMinimum_72' → 'HuishOnderOfRondSociaalMinimum' (the part that stays)."""
    return _KEY_NUMBER.sub("", key.strip())


def _plain(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _timeout_kind(err: Exception) -> str:
    """'connect' or 'read' when the request timed out, '' otherwise (a refused connection is no time-out)."""
    reason = err.args[0] if err.args else None
    reason = getattr(reason, "reason", reason)  # a MaxRetryError carries the last error as its reason
    if isinstance(reason, NewConnectionError):  # urllib3 derives it from ConnectTimeoutError
        return ""
    if isinstance(err, requests.exceptions.ConnectTimeout) or isinstance(reason, ConnectTimeoutError):
        return "connect"
    if isinstance(err, requests.exceptions.Timeout) or isinstance(reason, ReadTimeoutError | TimeoutError):
        return "read"
    return ""


def _server_message(response: requests.Response) -> str:
    """The service's own error text (CBS says e.g. 'query returns more than 10000 records'), made harmless."""
    try:
        error = response.json().get("odata.error", {}).get("message", {}).get("value", "")
    except (ValueError, AttributeError):
        return ""
    text = re.sub(r"[^\w .,:;'()%-]", " ", str(error))[:150].strip()
    return f" (melding van de dienst: {text})" if text else ""


class Client:
    """One table on one service: metadata, measures and rows, every failure an :class:`ODataError`."""

    def __init__(self, table: str, base_url: str, *, service: str = V3, session: requests.Session | None = None,
                 timeout: float | tuple[float, float] = DEFAULT_TIMEOUT, max_pages: int = MAX_PAGES):
        if service not in (V3, V4):
            raise ODataError(table, f"onbekende dienst '{service}' (kies v3 of v4).")
        self.table, self.service, self.timeout, self.max_pages = table, service, timeout, max_pages
        self.base_url = base_url.rstrip("/")
        self.session = session or make_session()
        self._meta: tuple[list[Measure], dict[str, str]] | None = None

    def fail(self, problem: str) -> ODataError:
        return ODataError(self.table, problem)

    def url(self, endpoint: str) -> str:
        return f"{self.base_url}/{self.table}/{endpoint}"

    # ---- one request ----------------------------------------------------------------------------
    def _body_retries(self, url: str) -> int:
        retry = getattr(self.session.get_adapter(url), "max_retries", None)
        return retry.total if isinstance(getattr(retry, "total", None), int) else 0

    def get_page(self, url: str, params: dict | None = None) -> dict:
        """One page as a dict with a ``value`` list; an answer cut off halfway is asked for again."""
        attempts = 1 + self._body_retries(url)
        for attempt in range(attempts):
            try:
                return self._get_once(url, params)
            except _Truncated as cut:
                if attempt == attempts - 1:
                    raise self.fail(f"het antwoord kwam onvolledig binnen ({cut}), ook na {attempts} pogingen.") from None
        raise AssertionError("unreachable")

    def _get_once(self, url: str, params: dict | None) -> dict:
        host = urlsplit(url).netloc
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.exceptions.SSLError:
            raise self.fail(f"de beveiligde verbinding met {host} kon niet worden gecontroleerd (certificaat).") from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise _Truncated("verbinding verbroken tijdens het lezen") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as err:
            if kind := _timeout_kind(err):
                seconds = self.timeout[kind == "read"] if isinstance(self.timeout, tuple) else self.timeout
                raise self.fail(f"{host} antwoordde niet binnen {seconds:g} seconden (time-out).") from None
            raise self.fail(f"geen verbinding met {host}: geweigerd of verbroken, ook na nieuwe pogingen.") from None
        except requests.exceptions.RequestException as err:
            raise self.fail(f"het verzoek aan {host} mislukte ({type(err).__name__}).") from None
        try:
            response.raise_for_status()
        except requests.exceptions.HTTPError:
            raise self._status_error(response) from None
        try:
            page = json.loads(response.content)
        except json.JSONDecodeError as err:
            if err.pos >= len(err.doc.rstrip()):
                raise _Truncated("het antwoord houdt midden in de gegevens op") from None
            raise self.fail(f"het antwoord is geen geldige JSON (positie {err.pos}).") from None
        except (UnicodeDecodeError, ValueError):
            raise self.fail("het antwoord is geen leesbare JSON-tekst.") from None
        if not isinstance(page, dict) or not isinstance(page.get("value"), list) \
                or not all(isinstance(row, dict) for row in page["value"]):
            raise self.fail("het antwoord heeft een andere vorm dan verwacht (geen lijst 'value' met rijen); "
                            "mogelijk is de dienst gewijzigd.")
        return page

    def _status_error(self, response: requests.Response) -> ODataError:
        code = response.status_code
        if code == 404:
            return self.fail("de tabel of het onderdeel bestaat niet (HTTP 404); controleer het tabelnummer — CBS "
                             "vervangt tabellen soms door een nieuwe, bijvoorbeeld voor een nieuw jaar.")
        if code in RETRY_STATUS:
            return self.fail(f"de dienst gaf een serverfout (HTTP {code}), ook na nieuwe pogingen"
                             f"{_server_message(response)}.")
        return self.fail(f"de dienst weigerde het verzoek (HTTP {code}){_server_message(response)}.")

    # ---- all pages ------------------------------------------------------------------------------
    def pages(self, url: str, params: dict | None = None,
              progress: Callable[[float], None] | None = None) -> Iterator[list[dict]]:
        """Every page's rows, following ``odata.nextLink`` (v3) or ``@odata.nextLink`` (v4)."""
        origin = urlsplit(self.base_url)
        seen: set[str] = set()
        done = rows = 0
        while url:
            if url in seen:
                raise self.fail("de verwijzing naar de volgende pagina keert terug naar een eerdere pagina (lus).")
            if len(seen) >= self.max_pages:
                raise self.fail(f"meer dan {self.max_pages} pagina's; het ophalen is gestopt.")
            seen.add(url)
            page = self.get_page(url, params)
            params = None  # a next link carries its own query
            done, rows = done + 1, rows + len(page["value"])
            yield page["value"]
            link = page.get("odata.nextLink") or page.get("@odata.nextLink")
            if link is not None and not isinstance(link, str):
                raise self.fail("de verwijzing naar de volgende pagina is geen adres.")
            url = urljoin(url, link) if link else ""
            target = urlsplit(url)
            if url and (target.scheme, target.netloc.lower()) != (origin.scheme, origin.netloc.lower()):
                raise self.fail(f"de volgende pagina verwijst naar een andere server ({target.netloc}); "
                                "die wordt niet gevolgd.")
            if progress:
                total = page.get("@odata.count")
                progress(min(rows / total, 1.0) if isinstance(total, int) and total > 0 else done / (done + 1))

    def rows(self, endpoint: str, params: dict | None = None,
             progress: Callable[[float], None] | None = None, keep: Callable[[dict], bool] | None = None) -> list[dict]:
        """All rows of an endpoint (those ``keep`` accepts), text values stripped of their padding
        (``"GM0597    "`` → ``"GM0597"``). Rows are sorted out page by page, so a table of a million rows of
        which a few hundred are wanted never holds more than one page of the rest in memory."""
        out = []
        for page in self.pages(self.url(endpoint), params, progress):
            cleaned = ({k: v.strip() if isinstance(v, str) else v for k, v in row.items()} for row in page)
            out += [row for row in cleaned if keep is None or keep(row)]
        return out

    # ---- metadata and measures --------------------------------------------------------------------
    def metadata(self) -> tuple[list[Measure], dict[str, str]]:
        """The measures, and the dimensions by name with their kind ('geo', 'time' or 'other')."""
        if self._meta is None:
            self._meta = self._v3_metadata() if self.service == V3 else self._v4_metadata()
        return self._meta

    def _v3_metadata(self) -> tuple[list[Measure], dict[str, str]]:
        props = self.rows("DataProperties")
        by_id = {p.get("ID"): p for p in props}

        def group(p: dict) -> str:
            parent, names = by_id.get(p.get("ParentID")), []
            while parent is not None and len(names) < 10:
                names.insert(0, str(parent.get("Title") or ""))
                parent = by_id.get(parent.get("ParentID"))
            return " ".join(names)

        kinds = {}
        for p in props:
            kind = str(p.get("odata.type") or p.get("Type") or "")
            if kind.endswith("Dimension") and p.get("Key"):
                kinds[p["Key"]] = "geo" if "Geo" in kind else "time" if "Time" in kind else "other"
        measures = [Measure(str(p["Key"]), str(p.get("Title") or ""), str(p.get("Unit") or ""),
                            p.get("Decimals") if isinstance(p.get("Decimals"), int) else None, group(p))
                    for p in props if str(p.get("odata.type") or p.get("Type") or "").endswith("Topic") and p.get("Key")]
        if not measures:
            raise self.fail("de beschrijving van de tabel (DataProperties) noemt geen onderwerpen; "
                            "mogelijk is de dienst gewijzigd.")
        return measures, kinds

    def _v4_metadata(self) -> tuple[list[Measure], dict[str, str]]:
        codes, dims = self.rows("MeasureCodes"), self.rows("Dimensions")
        measures = [Measure(str(c["Identifier"]), str(c.get("Title") or ""), str(c.get("Unit") or ""),
                            c.get("Decimals") if isinstance(c.get("Decimals"), int) else None)
                    for c in codes if c.get("Identifier")]
        if not measures:
            raise self.fail("de lijst met onderwerpen (MeasureCodes) is leeg; mogelijk is de dienst gewijzigd.")
        kinds = {str(d["Identifier"]): "geo" if "Geo" in str(d.get("Kind")) else
                 "time" if "Time" in str(d.get("Kind")) else "other" for d in dims if d.get("Identifier")}
        return measures, kinds

    def find_measure(self, wanted: str) -> Measure:
        """The measure meant by ``wanted``: its exact key, else the same key prefix, else its title."""
        measures = self.metadata()[0]
        exact = [m for m in measures if m.key == wanted.strip()]
        if exact:
            return exact[0]
        prefix = key_prefix(wanted).casefold()
        found = [m for m in measures if key_prefix(m.key).casefold() == prefix]
        if not found:
            plain = _plain(wanted)
            found = [m for m in measures if plain and plain in {_plain(m.title), _plain(f"{m.group} {m.title}")}]
        if len(found) == 1:
            return found[0]
        if found:
            shown = ", ".join(f"{m.key} ('{m.group + ' / ' if m.group else ''}{m.title}')" for m in found[:6])
            raise self.fail(f"meerdere onderwerpen passen bij '{wanted}': {shown}; maak de naam specifieker.")
        names = [m.key for m in measures] + [m.title for m in measures]
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
        hint = f" Bedoelt u: {', '.join(close)}?" if close else ""
        raise self.fail(f"het onderwerp '{wanted}' bestaat niet (meer) in deze tabel.{hint}")

    # ---- data ----------------------------------------------------------------------------------
    def observations(self, measures: list[Measure], filters: dict[str, set[str]] | None = None, *,
                     server_filters: dict[str, set[str]] | None = None,
                     progress: Callable[[float], None] | None = None) -> list[dict]:
        """Rows with the dimensions (codes stripped) and one column per measure key, filtered exactly.

        ``filters`` maps a dimension to the codes to keep; the exact match is made here. The
        service is asked only for ``server_filters`` (default: the same), as a superset: on v3
        ``substringof(code, dimension)``, which holds whatever the padding; ``{}`` asks for all.
        """
        filters = {dim: set(codes) for dim, codes in (filters or {}).items()}
        hints = filters if server_filters is None else server_filters
        keys = [m.key for m in measures]

        def wanted(row: dict) -> bool:
            return all(str(row.get(dim, "")) in codes for dim, codes in filters.items())

        if self.service == V3:
            dims = [*self.metadata()[1], *(d for d in filters if d not in self.metadata()[1])]
            params = {"$format": "json", "$select": ",".join([*dims, *keys])}
            if hints:
                params["$filter"] = " and ".join(
                    "(" + " or ".join(f"substringof('{_quoted(c)}',{dim})" for c in sorted(codes)) + ")"
                    for dim, codes in hints.items())
            seen = []  # the first row of the answer, kept or not, is checked for every column asked

            def keep(row: dict) -> bool:
                if not seen:
                    seen.append(True)
                    if missing := [k for k in [*dims, *keys] if k not in row]:
                        raise self.fail(f"de kolom(men) {', '.join(missing)} ontbreken in de gegevens; mogelijk is "
                                        "de tabel gewijzigd.")
                return wanted(row)
            return self.rows("TypedDataSet", params, progress, keep)
        return self._v4_rows(keys, hints, progress, wanted)

    def _v4_rows(self, keys: list[str], hints: dict[str, set[str]], progress: Callable[[float], None] | None,
                 wanted: Callable[[dict], bool]) -> list[dict]:
        clauses = ["(" + " or ".join(f"Measure eq '{_quoted(k)}'" for k in keys) + ")"]
        clauses += ["(" + " or ".join(f"{dim} eq '{_quoted(c)}'" for c in sorted(codes)) + ")"
                    for dim, codes in hints.items()]
        wide: dict[tuple, dict] = {}
        for row in self.rows("Observations", {"$filter": " and ".join(clauses), "$count": "true"}, progress, wanted):
            if "Measure" not in row or "Value" not in row:
                raise self.fail("de rijen missen 'Measure' of 'Value'; mogelijk is de dienst gewijzigd.")
            dims = {k: v for k, v in row.items() if k not in {"Id", "Measure", "Value", "ValueAttribute", "StringValue"}}
            target = wide.setdefault(tuple(sorted(dims.items())), dict(dims))
            target[row["Measure"]] = row["Value"]
        return list(wide.values())


def _quoted(text: str) -> str:
    return str(text).replace("'", "''")  # OData string literal


class _Truncated(Exception):
    """An answer that stopped before its end (asked for again before it becomes an ODataError)."""


def number(value, table: str = "") -> float | None:
    """A data value as a float: typed numbers as they are, untyped text stripped; None when missing."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if text in SUPPRESSED:
        return None
    try:
        return float(text)
    except ValueError:
        raise ODataError(table, f"de waarde '{text[:20]}' is geen getal.") from None
