#!/usr/bin/env python3
"""Page bench: each main page of each role (those tests/perf/pages.py lists and the tests pin),
timed in one process through Django's test client
on a throw-away PostgreSQL database holding 100,000 dossiers, beside a trivial Django view.

    .venv/bin/python bench/pages.py [--candidates 100000] [--db vae_bench] [--iterations 40] [--json]

The database (``--db`` on PostgreSQL at 127.0.0.1:5432, user postgres, trust authentication)
is created, migrated and filled by ``seed_demo --candidates N`` when it does not hold the N
candidates yet, and reused otherwise (``--fresh`` drops it first). Each page is requested a few
times to warm up, then ``--iterations`` times: median and 95th percentile in ms, the number of
SQL queries, and the ratio of its median to the trivial view's (a view that answers "ok" to the
same logged-in user, through the same middleware). The queue's queries are then EXPLAINed: the
plans show which indexes they use. ``--json`` ends with one line:
``{"dossiers": N, "trivial_ms": x, "pages": {"<name>": {"median_ms": x, "p95_ms": x,
"queries": n, "ratio": x}, …}}``. ``--queries`` prints each page's slowest SQL queries with
their time, and the plan of the slowest when it takes 2 ms or more; ``--profile`` where each
page spends its processor time (cProfile: own time, then cumulative).
Production settings (DEBUG off), local-memory cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qAt"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()


def prepare_database(name: str, candidates: int, fresh: bool, data_dir: Path) -> None:
    exists = subprocess.run([*PSQL, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], capture_output=True)
    if fresh and exists.stdout.strip():
        subprocess.run([*PSQL, "-c", f"DROP DATABASE {name}"], check=True)
    if fresh or not exists.stdout.strip():
        subprocess.run([*PSQL, "-c", f"CREATE DATABASE {name}"], check=True)
    env = {**os.environ, "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    loaded = subprocess.run(
        [*PSQL, name, "-c", "SELECT count(*) FROM accounts_user WHERE email LIKE '%@s1.vae-demo.fr'"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if loaded.isdigit() and int(loaded) >= candidates:
        print(f"données : {loaded} candidats générés déjà présents dans {name}", file=sys.stderr)
        return
    started = time.monotonic()
    out = subprocess.run(
        [*manage, "seed_demo", "--candidates", str(candidates)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    last = out.stdout.strip().splitlines()[-1]
    print(f"données : {last} — {time.monotonic() - started:.0f} s au total ; {uptime()}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--db", default="vae_bench")
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--fresh", action="store_true", help="drop the database and load it again")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", default="", help="only the pages whose name contains this text")
    parser.add_argument("--queries", action="store_true", help="print each page's slowest SQL queries")
    parser.add_argument(
        "--profile", action="store_true", help="print where each page spends its processor time (cProfile)"
    )
    args = parser.parse_args()

    data_dir = Path(os.environ.get("BENCH_DATA_DIR", f"/tmp/{args.db}_data"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="vae_portal.settings",
    )
    prepare_database(args.db, args.candidates, args.fresh, data_dir)
    os.environ.update(DEBUG="0", SECRET_KEY="bench-" + "x" * 50, SECURE_SSL_REDIRECT="0", LOG_LEVEL="WARNING")

    import django

    django.setup()
    run(args)


def run(args) -> None:
    from django.conf import settings
    from django.contrib.auth.decorators import login_not_required
    from django.db import connection
    from django.http import HttpResponse
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import path, reverse

    from dossiers.models import Dossier
    from tests.perf.pages import main_pages, pick_subjects

    @login_not_required
    def trivial(request):
        return HttpResponse("ok")

    urls = types.ModuleType("bench_pages_urls")
    from vae_portal.urls import urlpatterns

    urls.urlpatterns = [path("__bench__/trivial", trivial), *urlpatterns]
    sys.modules["bench_pages_urls"] = urls

    dossiers = Dossier.objects.count()
    # The pages the tests pin (tests/perf/pages.py), with a deep page of the queue.
    subjects = pick_subjects()
    pages = main_pages(subjects)
    staff = next(client for name, client, *_ in pages if name == "certificateur : file")
    queue = reverse("backoffice:queue")
    pages.append(("certificateur : file, page 40", staff, queue + "?page=40", {}))
    candidate = next(client for name, client, *_ in pages if name == "candidat : dossier")
    competency = subjects.stage2.targeted_blocks().first().competencies.order_by("order").first()
    statement = subjects.stage2.statements.get(competency=competency)
    surname = subjects.submitted.candidate.last_name

    def measure(client, url, extra) -> tuple[list[float], int, int]:
        def request():
            return client.get(url, secure=True, **extra)

        for _ in range(3):
            request()
        times = []
        status = 0
        for _ in range(args.iterations):
            start = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - start) * 1000)
            status = response.status_code
        with CaptureQueriesContext(connection) as queries:
            request()
        if args.queries:
            slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
            print(f"\n-- {url} : {len(queries)} requêtes, les plus lentes :")
            for q in slowest:
                print(f"   {float(q['time']) * 1000:7.2f} ms  {q['sql'][:400]}")
            if slowest and float(slowest[0]["time"]) >= 0.002 and slowest[0]["sql"].lstrip().startswith("SELECT"):
                print("\n".join("   " + line for line in explain(slowest[0]["sql"])))
        count = len(queries)  # before profiling: the connection keeps only the last 9,000 queries
        if args.profile:
            print_profile(url, request)
        return times, count, status

    results = {}
    # Static files are not collected: their URLs need no manifest here.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The chosen session may be older than the jury's usual access window after its minutes
    # (as in tests/perf/test_query_counts.py).
    bench_settings = override_settings(
        ROOT_URLCONF="bench_pages_urls", STORAGES=storages, JURY_ACCESS_DAYS_AFTER_MINUTES=100_000
    )
    bench_settings.enable()
    if True:
        trivial_times, trivial_queries, _ = measure(candidate, "/__bench__/trivial", {})
        trivial_ms = statistics.median(trivial_times)
        for name, client, url, extra in pages:
            if args.only not in name:
                continue
            times, queries, status = measure(client, url, extra)
            results[name] = (times, queries, status)
        # The autosave: each save carries the version it started from.
        version = {"v": statement.version, "i": 0}
        save_url = reverse("dossiers:statement_save", args=[subjects.stage2.pk, competency.pk])

        def save():
            version["i"] += 1
            data = {"version": version["v"], "narrative": f"{statement.narrative} Ajout {version['i']}."}
            response = candidate.post(save_url, data, secure=True, HTTP_X_AUTOSAVE="1")
            if response.status_code == 200:
                version["v"] = response.json()["version"]
            return response

        times = []
        for i in range(args.iterations + 3):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = save()
            elapsed = (time.perf_counter() - start) * 1000
            if i >= 3:
                times.append(elapsed)
        results["candidat : enregistrement automatique"] = (times, len(queries), response.status_code)
        if args.profile and args.only in "candidat : enregistrement automatique":
            print_profile(save_url, save)

    print(f"{dossiers} dossiers ; vue triviale : {trivial_ms:.2f} ms ({trivial_queries} requêtes) ; {uptime()}")
    print(f"{'page':42} {'médiane':>8} {'p95':>8} {'req.':>5} {'ratio':>6}  statut")
    out = {}
    for name, (times, queries, status) in results.items():
        median, p95 = statistics.median(times), percentile(times, 95)
        out[name] = {
            "median_ms": round(median, 2),
            "p95_ms": round(p95, 2),
            "queries": queries,
            "ratio": round(median / trivial_ms, 1),
        }
        print(f"{name:42} {median:8.2f} {p95:8.2f} {queries:5d} {median / trivial_ms:6.1f}  {status}")

    explain_queue(staff, queue, surname)
    if args.json:
        print(json.dumps({"dossiers": dossiers, "trivial_ms": round(trivial_ms, 2), "pages": out}, ensure_ascii=False))


def print_profile(url: str, request, repeat: int = 20, lines: int = 25) -> None:
    """Where ``request`` spends its processor time over ``repeat`` calls: the functions with the
    most time of their own, then the project's own functions by cumulative time (cProfile)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        request()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    # The project's code only (not the virtualenv's): which of our views, tags and queries cost.
    stats.sort_stats("cumulative").print_stats(rf"{ROOT}/(?!\.venv)", lines)
    print(f"\n-- profil de {url} ({repeat} requêtes)")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()).replace(f"{ROOT}/", ""))


def explain(sql: str) -> list[str]:
    """The plan PostgreSQL ran for ``sql`` (EXPLAIN ANALYZE), line by line."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
        return [row[0] for row in cursor.fetchall()]


def explain_queue(client, queue_url: str, surname: str) -> None:
    """EXPLAIN ANALYZE of the queue's queries (counts per state, one page, a search)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print("\nEXPLAIN des requêtes de la file (certificateur) :")
    if True:
        for label, url in [
            ("file", queue_url),
            ("file, état", queue_url + "?status=validation_submitted"),
            ("file, recherche", queue_url + f"?q={surname.lower()}"),
        ]:
            with CaptureQueriesContext(connection) as queries:
                client.get(url, secure=True)
            for q in queries.captured_queries:
                sql = q["sql"]
                if "dossiers_dossier" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                    continue
                print(f"\n-- {label} : {sql[:160]}…")
                for line in explain(sql):
                    print("   " + line)


if __name__ == "__main__":
    main()
