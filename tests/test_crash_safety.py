"""Crash safety of ``polybius ingest`` with the real coder: SIGKILL at random moments, a full
disk, a corrupt database file, a database locked by another process.

After every kill the same command is run again, and the database must equal that of an
uninterrupted run: the same articles, events, clusters and mentions (sorted ids and counts).

CI runs a few kills (``POLYBIUS_CRASH_KILLS``, default 5). The documented long run::

    POLYBIUS_CRASH_KILLS=50 .venv/bin/pytest tests/test_crash_safety.py -k kill -s

prints how many kills landed while articles were being written (the database held some but
not all of the corpus when the process died).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from polybius.store import Store

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PY = ROOT / "benchmarks" / "corpus.py"
KILLS = int(os.environ.get("POLYBIUS_CRASH_KILLS", "5"))
KILLS_PER_ROUND = 3  # kill, rerun, kill, rerun, kill, then one run to the end and compare
BATCH = "4"  # small transactions, so that there are many commits for a kill to land between
RUN_TIMEOUT_S = 240


def _corpus_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("polybius_bench_corpus_crash", CORPUS_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="module")
def corpus(work) -> Path:
    corpus = _corpus_module()
    records = list(corpus.generate(36, seed=21, words=100))
    rng = random.Random(5)
    # wire copies: near-copies and shared clusters are part of what must come out equal
    records += [
        corpus.rewrite(rng, records[i], source=f"Copy {i}", shift_days=1) for i in range(0, 12, 2)
    ]
    return corpus.write_jsonl(work / "news.jsonl", records)


_FROZEN: list[str] = []  # where this module's copy of the package lives (see ``frozen_code``)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    if _FROZEN:
        env["PYTHONPATH"] = os.pathsep.join([_FROZEN[0], *filter(None, [env.get("PYTHONPATH")])])
    return env


@pytest.fixture(scope="module", autouse=True)
def frozen_code(tmp_path_factory):
    """Every child runs one copy of the package, taken at the start: the reference run and
    each rerun must run the same code, even while the working tree is being edited."""
    import shutil

    import polybius

    root = tmp_path_factory.mktemp("code")
    shutil.copytree(
        Path(polybius.__file__).parent,
        root / "polybius",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    _FROZEN[:] = [str(root)]
    yield root
    _FROZEN.clear()


def command(corpus: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from polybius.cli import main; main()", "ingest", str(corpus),
            "--db", str(db), "--no-progress", "--batch-size", BATCH, *extra]  # fmt: skip


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=_env(), **kw
    )


def snapshot(db: Path) -> dict:
    """What must be equal: sorted ids (and the links between them) and counts per table."""
    with Store(db, read_only=True) as store:
        q = store.query
        return {
            "articles": q("SELECT id, near_dup_of, text FROM articles ORDER BY id"),
            "events": q("SELECT id, article_id, cluster_id, record FROM events ORDER BY id"),
            "clusters": q("SELECT id, event_id, num_mentions, num_sources, num_articles, first_seen, last_seen "
                          "FROM clusters ORDER BY id"),
            "mentions": q("SELECT cluster_id, event_id, article_id, source, date FROM mentions "
                          "ORDER BY cluster_id, event_id, article_id"),
            "counts": {k: v for k, v in store.counts().items() if k not in ("runs", "failures")},
            "dup_ids": q("SELECT (SELECT count(*) - count(DISTINCT id) FROM articles) + "
                         "(SELECT count(*) - count(DISTINCT id) FROM events) + "
                         "(SELECT count(*) - count(DISTINCT id) FROM clusters)")[0][0],
        }  # fmt: skip


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    with Store(db, read_only=True) as store:
        return store.counts()["articles"]


def assert_same(got: dict, want: dict) -> None:
    assert got["dup_ids"] == 0
    assert got["counts"] == want["counts"]
    for table in ("articles", "events", "clusters", "mentions"):
        assert got[table] == want[table], (
            f"{table} differ from the uninterrupted run: {_first_difference(got[table], want[table])}"
        )


def _first_difference(got: list, want: list) -> str:
    for a, b in zip(got, want, strict=False):
        if a != b:
            if isinstance(a[-1], str) and a[-1].startswith(
                "{"
            ):  # an event record: which keys differ
                ra, rb = json.loads(a[-1]), json.loads(b[-1])
                keys = sorted(k for k in set(ra) | set(rb) if ra.get(k) != rb.get(k))
                return f"{a[0]}: {[(k, ra.get(k), rb.get(k)) for k in keys]}"[:1500]
            return f"{a!r} != {b!r}"[:1500]
    return f"{len(got)} rows != {len(want)} rows"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def reference(corpus, work) -> dict:
    db = work / "reference.duckdb"
    started = time.monotonic()
    done = run(command(corpus, db))
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    snap = snapshot(db)
    assert snap["counts"]["articles"] == 42 and snap["counts"]["events"] > 0
    return {"snapshot": snap, "seconds": seconds, "db": db}


def test_sigkill_at_random_moments_then_rerun_equals_uninterrupted(corpus, work, reference):
    rng = random.Random(int(os.environ.get("POLYBIUS_CRASH_SEED", "1")))
    want = reference["snapshot"]
    total = want["counts"]["articles"]
    span = reference["seconds"]
    kills, mid_write, rounds, attempts = 0, 0, 0, 0
    landed: list[int] = []
    while kills < KILLS:
        rounds += 1
        db = work / f"crash-{rounds}.duckdb"
        for stale in work.glob(f"crash-{rounds}.duckdb*"):
            stale.unlink()
        for _ in range(min(KILLS_PER_ROUND, KILLS - kills)):
            before = stored_articles(db)
            attempts += 1
            assert attempts <= 4 * KILLS + 10, f"only {kills} kills in {attempts} attempts"
            started = time.monotonic()
            proc = subprocess.Popen(
                command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()
            )
            # From just after start-up to a little past a full run: most kills land while
            # batches are being coded and committed; some during start-up, some at the end.
            delay = rng.uniform(0.4 * span, 1.05 * span)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)
                kills += 1
            else:
                assert proc.returncode == 0, proc.stderr.read()[-3000:]
                if before == 0:  # a whole run beat the delay: the machine is faster now
                    span = min(span, time.monotonic() - started)
            proc.stderr.close()
            after = stored_articles(db)  # the killed process's file must open, whatever it held
            landed.append(after)
            assert after >= before, "a kill lost articles that were already stored"
            if 0 < after < total and after > before:
                mid_write += 1
        finished = run(command(corpus, db))
        assert finished.returncode == 0, finished.stderr[-3000:]
        assert_same(snapshot(db), want)
        again = run(command(corpus, db))  # and once more: idempotent, nothing new
        assert again.returncode == 0 and "0 new article(s)" in again.stdout, again.stdout
        assert_same(snapshot(db), want)
        for path in work.glob(f"crash-{rounds}.duckdb*"):
            path.unlink()
    figures = {"kills": kills, "attempts": attempts, "rounds": rounds, "kills_mid_write": mid_write, "articles": total,
               "stored_after_each_kill": landed}  # fmt: skip
    print(f"\ncrash figures: {json.dumps(figures)}")
    assert kills >= KILLS


def test_full_disk_is_e062_and_a_rerun_finishes(corpus, work, reference):
    """RLIMIT_FSIZE in the child makes writes fail with EFBIG (SIGXFSZ ignored): a full disk."""
    db = work / "full.duckdb"
    limited = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, resource.RLIM_INFINITY))\n"
        "from polybius.cli import main\n"
        "main()\n"
    )
    args = [sys.executable, "-c", limited, *command(corpus, db)[3:]]
    failed = run(args)
    assert failed.returncode == 3, (failed.returncode, failed.stderr[-3000:])
    assert "E062" in failed.stderr and "Traceback" not in failed.stderr, failed.stderr[-3000:]
    kept = stored_articles(db)
    assert kept < reference["snapshot"]["counts"]["articles"]
    assert kept % int(BATCH) == 0, "a batch was half kept"
    finished = run(command(corpus, db))
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert_same(snapshot(db), reference["snapshot"])


_TRUNCATED_HALF = pytest.param(
    "truncated-half",
    marks=pytest.mark.xfail(
        reason="store.py Store._check_file: a DuckDB file cut in half keeps a valid header, opens, "
        "and `polybius ingest` on it exits 0 ('42 already stored') and writes to it; the next query "
        "fails with E065 'Could not read enough bytes'. A cut before the metadata and free-list "
        "blocks the header points to is refused (E063); the header's block count is no bound "
        "(DuckDB trims free blocks at the end, so a sound file is often shorter). Left: read "
        "every table once on open, or parse the free list.",
        strict=False,
    ),
)


@pytest.mark.parametrize(
    "kind", ["random", "random-with-magic", _TRUNCATED_HALF, "truncated-head", "empty", "zeros"]
)
def test_corrupt_database_is_e063_and_left_untouched(corpus, work, reference, kind):
    db = work / f"corrupt-{kind}.duckdb"
    rng = random.Random(kind)
    good = reference["db"].read_bytes()
    data = {
        "random": bytes(rng.randrange(256) for _ in range(300_000)),
        "random-with-magic": good[:12] + bytes(rng.randrange(256) for _ in range(300_000)),
        "truncated-half": good[: len(good) // 2],
        "truncated-head": good[:4096],
        "empty": b"",
        "zeros": bytes(600_000),
    }[kind]
    db.write_bytes(data)
    before = digest(db)
    for args in (
        command(corpus, db),
        [sys.executable, "-c", "from polybius.cli import main; main()", "events", "--db", str(db)],
    ):
        res = run(args)
        assert res.returncode == 3, (kind, res.returncode, res.stdout[-500:], res.stderr[-2000:])
        assert "E063" in res.stderr or "E060" in res.stderr, res.stderr[-2000:]
        assert "Traceback" not in res.stderr, res.stderr[-3000:]
        assert digest(db) == before, f"the {kind} database file was changed"
    assert not Path(str(db) + ".wal").exists() or kind.startswith("truncated"), (
        "a WAL appeared next to it"
    )


def test_locked_database_is_e061_and_nothing_is_damaged(corpus, work, reference):
    db = work / "locked.duckdb"
    db.write_bytes(reference["db"].read_bytes())
    want = snapshot(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom polybius.store import Store\ns = Store(sys.argv[1])\n"
         "print('ready', flush=True)\nsys.stdin.read()\ns.close()\n", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (
            command(corpus, db),
            [
                sys.executable,
                "-c",
                "from polybius.cli import main; main()",
                "events",
                "--db",
                str(db),
            ],
        ):
            res = run(args)
            assert res.returncode == 3, (res.returncode, res.stderr[-2000:])
            assert "E061" in res.stderr and "Traceback" not in res.stderr, res.stderr[-2000:]
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert holder.returncode == 0
    assert_same(snapshot(db), want)


FAKE = f"{CORPUS_PY}:KeywordCoder"
_LIMITED = (
    "import resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, resource.RLIM_INFINITY))\n"
    "from polybius.cli import main\n"
    "main()\n"
)


def _limited_run_at_close(corpus: Path, db: Path) -> subprocess.CompletedProcess:
    """The batches fit in the WAL, but the checkpoint into the main file, at close, does not."""
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    return run([sys.executable, "-c", _LIMITED, *command(corpus, db, "--coder", FAKE)[3:]])


def test_disk_full_at_a_checkpoint_loses_nothing(corpus, work):
    """Every batch is checkpointed into the file; when that fails the run stops with E062, and
    the same command, with space again, stores every article."""
    db = work / "checkpoint.duckdb"
    _limited_run_at_close(corpus, db)
    again = run(command(corpus, db, "--coder", FAKE))
    assert again.returncode == 0, again.stdout + again.stderr
    assert stored_articles(db) == 42


def test_disk_full_at_a_checkpoint_is_reported(corpus, work):
    """Was a bug: DuckDB's checkpoint at close failed silently (data left only in the WAL) and
    ingest exited 0. Store.release() now checkpoints explicitly and raises E062."""
    db = work / "checkpoint-report.duckdb"
    res = _limited_run_at_close(corpus, db)
    assert res.returncode == 3 and "E062" in res.stderr, (
        res.returncode,
        res.stdout,
        res.stderr[-2000:],
    )
