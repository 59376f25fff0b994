"""How fast are dyad series and top-N over a million events?

Inserts N synthetic events straight into a fresh store with one DuckDB ``INSERT ... SELECT``
over ``range()`` (no coder, no Python loop), about one real event per 1.5 records, 40
countries, four years; then times :func:`polybius.relations.relations` (series by month, both
directions and each one, with totals and per-type counts) and :func:`polybius.relations.top`.

    .venv/bin/python benchmarks/relations_speed.py [--events 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from polybius.relations import relations, timeline, top
from polybius.store import Store

COUNTRIES = ["AZE", "IRN", "ARM", "RUS", "UKR", "USA", "CHN", "TUR", "SYR", "ISR", "PSE", "IND", "PAK",
             "AFG", "IRQ", "SAU", "YEM", "EGY", "LBY", "SDN", "ETH", "SOM", "KEN", "NGA", "MLI", "FRA",
             "DEU", "GBR", "POL", "BLR", "GEO", "KAZ", "JPN", "KOR", "PRK", "TWN", "VEN", "COL", "MEX", "BRA"]

INSERT = """
INSERT INTO events (id, article_id, date, actor_country, recipient_country, actor_code, recipient_code,
                    plover, cameo, cameo_root, quad_class, goldstein, confidence, negated, hypothetical,
                    record, cluster_id, seq)
SELECT 'ev_' || i, 'art_' || (i // 3), DATE '2018-01-01' + CAST(hash(i) % 1461 AS INTEGER),
       list_extract(?, 1 + CAST(hash(i + 1) % 40 AS INTEGER)),
       list_extract(?, 1 + CAST(hash(i + 2) % 40 AS INTEGER)),
       NULL, NULL,
       list_extract(['CONSULT','AGREE','SUPPORT','AID','COOPERATE','ACCUSE','THREATEN','SANCTION','ASSAULT'], 1 + CAST(i % 9 AS INTEGER)),
       list_extract(['040','057','051','073','062','112','130','163','195'], 1 + CAST(i % 9 AS INTEGER)),
       NULL, list_extract([1,1,1,2,2,3,3,4,4], 1 + CAST(i % 9 AS INTEGER)),
       list_extract([1.0,8.0,3.4,7.4,6.4,-2.0,-4.4,-8.0,-10.0], 1 + CAST(i % 9 AS INTEGER)),
       0.8, false, false, '{}', 'cl_' || (i * 2 // 3), i
FROM range(?) t(i)
"""


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            t0 = time.perf_counter()
            store.con.execute(INSERT, [COUNTRIES, COUNTRIES, args.events])
            store.con.execute("UPDATE events SET actor_code = actor_country || 'GOV', recipient_code = recipient_country || 'GOV', cameo_root = substr(cameo, 1, 2)")
            store.con.execute("CHECKPOINT")
            load = time.perf_counter() - t0
        with Store(path, read_only=True) as store:
            n = store.query("SELECT count(*) FROM events")[0][0]
            print(f"{n:,} events inserted with SQL in {load:.2f} s ({path.stat().st_size / 1e6:.0f} MB)")
            cases = [
                ("relations AZE-IRN by month (series + totals + types)", lambda: relations(store, "AZE", "IRN", by="month")),
                ("relations AZEGOV-IRN by week (actor-code prefix)", lambda: relations(store, "AZEGOV", "IRN", by="week")),
                ("top 10 dyads", lambda: top(store, by="dyad", limit=10)),
                ("top 10 countries", lambda: top(store, by="country", limit=10)),
                ("timeline of everything by month", lambda: timeline(store, by="month")),
            ]
            for label, fn in cases:
                med, best, result = timed(fn, args.repeat)
                extra = ""
                if hasattr(result, "totals"):
                    extra = f"  [{result.totals['both']['events']:,} events, {len(result.direction('both'))} periods]"
                print(f"{label:<56} median {med * 1000:7.1f} ms  best {best * 1000:7.1f} ms{extra}")


if __name__ == "__main__":
    main()
