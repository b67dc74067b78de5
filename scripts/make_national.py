"""Write the national-size example bundle (fictitious, deterministic) to data/bundles/nationaal/.

Usage: python scripts/make_national.py [--fraction 1.0] [--out FOLDER] [--no-publish]

About 1.4 million rows (300 MB of text); not kept in git (see .gitignore). Every row is example data. Then, as
``ks-data publish`` does, every province's disclosure decisions are taken and stored (about 3 minutes on 2 cores),
so that the app's first view of the bundle reads them instead of taking them while a reader waits.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ks_data.sources.national_example import write_bundle  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the municipalities (0–1)")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "bundles" / "nationaal")
    parser.add_argument("--no-publish", action="store_true", help="do not take the disclosure decisions ahead")
    args = parser.parse_args()
    start = time.perf_counter()
    rows = write_bundle(args.out, args.fraction)
    print(f"{rows:,} rows written to {args.out} in {time.perf_counter() - start:.1f} s")
    if args.no_publish or args.out.resolve() != (ROOT / "data" / "bundles" / "nationaal").resolve():
        return  # a bundle elsewhere is published where it is used (ks-data publish --bundle NAME)
    from ks_data.cli import main as ks_data

    ks_data(["publish", "--bundle", "nationaal"])


if __name__ == "__main__":
    main()
