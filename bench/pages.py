#!/usr/bin/env python3
"""Page bench: each main page of each role, timed in one process through Django's test client
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
their time, and the plan of the slowest when it takes 2 ms or more.
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


def run(args) -> None:  # noqa: C901 — one list of pages, read top to bottom
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.decorators import login_not_required
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import path, reverse
    from django.utils import timezone

    from api import demo as api_demo
    from certifications.models import Certification
    from dossiers.enums import DossierStatus
    from dossiers.models import Dossier
    from juries.enums import MinutesStatus
    from juries.models import JuryMember

    @login_not_required
    def trivial(request):
        return HttpResponse("ok")

    urls = types.ModuleType("bench_pages_urls")
    from vae_portal.urls import urlpatterns

    urls.urlpatterns = [path("__bench__/trivial", trivial), *urlpatterns]
    sys.modules["bench_pages_urls"] = urls

    User = get_user_model()
    dossiers = Dossier.objects.count()
    certifier = User.objects.get(email="certif.aptim@vae.example")
    cert = Certification.objects.get(code="RNCP35203", status="published")
    stage2 = (
        Dossier.objects.filter(certification=cert, status=DossierStatus.ADMISSIBLE, targets_all_blocks=True)
        .exclude(candidate__email__endswith="@vae.example")
        .order_by("-pk")
        .first()
    )
    submitted = (
        Dossier.objects.filter(certification=cert, status=DossierStatus.VALIDATION_SUBMITTED).order_by("pk").first()
    )
    block = stage2.certification.blocks.order_by("order").first()
    competency = block.competencies.order_by("order").first()
    statement = stage2.statements.get(competency=competency)
    # A jury member of the most recent closed session (their pages stay open a while after it).
    seat = (
        JuryMember.objects.filter(session__minutes__status=MinutesStatus.FINAL, role="president")
        .select_related("session")
        .order_by("-session__starts_at")
        .first()
    )
    convocation = seat.session.convocations.filter(decisions__isnull=False).order_by("starts_at").first()
    rubric = convocation.evaluations.filter(member=seat).first().rubric
    api_secret = api_demo.seed()
    surname = stage2.candidate.last_name

    anonymous, candidate, staff, juror, api = Client(), Client(), Client(), Client(), Client()
    candidate.force_login(stage2.candidate)
    staff.force_login(certifier)
    juror.force_login(seat.user)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api_secret}"}
    queue = reverse("backoffice:queue")
    pages: list[tuple[str, Client, str, dict]] = [
        ("catalogue", anonymous, reverse("certifications:catalogue"), {}),
        ("certification", anonymous, reverse("certifications:detail", args=[cert.slug]), {}),
        ("candidat : mes dossiers", candidate, reverse("dossiers:list"), {}),
        ("candidat : dossier", candidate, reverse("dossiers:detail", args=[stage2.pk]), {}),
        ("candidat : bloc", candidate, reverse("dossiers:block", args=[stage2.pk, block.pk]), {}),
        ("candidat : compétence", candidate, reverse("dossiers:competency", args=[stage2.pk, competency.pk]), {}),
        ("candidat : preuves", candidate, reverse("dossiers:proofs", args=[stage2.pk]), {}),
        ("certificateur : tableau de bord", staff, reverse("backoffice:dashboard"), {}),
        ("certificateur : file", staff, queue, {}),
        ("certificateur : file, état", staff, queue + "?status=validation_submitted", {}),
        ("certificateur : file, recherche", staff, queue + f"?q={surname.lower()}", {}),
        ("certificateur : file, page 40", staff, queue + "?page=40", {}),
        ("certificateur : dossier", staff, reverse("backoffice:dossier", args=[submitted.pk]), {}),
        ("certificateur : historique", staff, reverse("backoffice:dossier_history", args=[submitted.pk]), {}),
        ("certificateur : sessions", staff, reverse("backoffice:sessions"), {}),
        ("jury : sessions", juror, reverse("jury:sessions"), {}),
        ("jury : session", juror, reverse("jury:session", args=[seat.session.pk]), {}),
        ("jury : candidat", juror, reverse("jury:candidate", args=[convocation.pk]), {}),
        ("jury : notation", juror, reverse("jury:score", args=[convocation.pk, rubric.pk]), {}),
        ("jury : délibération", juror, reverse("jury:deliberate", args=[convocation.pk]), {}),
        ("jury : procès-verbal", juror, reverse("jury:minutes", args=[seat.session.pk]), {}),
        ("API : candidatures", api, "/api/v1/candidatures", bearer),
        ("API : sessions de jury", api, "/api/v1/sessionsJury", bearer),
    ]
    session_page = seat.session
    if session_page.certification.certifiers.filter(staff=certifier).exists():
        pages.append(("certificateur : session", staff, reverse("backoffice:session", args=[session_page.pk]), {}))

    def measure(client, url, extra, method="get", data=None) -> tuple[list[float], int, int]:
        send = getattr(client, method)
        for _ in range(3):
            send(url, data, secure=True, **extra) if data is not None else send(url, secure=True, **extra)
        times = []
        status = 0
        for _ in range(args.iterations):
            start = time.perf_counter()
            response = send(url, data, secure=True, **extra) if data is not None else send(url, secure=True, **extra)
            times.append((time.perf_counter() - start) * 1000)
            status = response.status_code
        with CaptureQueriesContext(connection) as queries:
            send(url, data, secure=True, **extra) if data is not None else send(url, secure=True, **extra)
        if args.queries:
            slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
            print(f"\n-- {url} : {len(queries)} requêtes, les plus lentes :")
            for q in slowest:
                print(f"   {float(q['time']) * 1000:7.2f} ms  {q['sql'][:400]}")
            if slowest and float(slowest[0]["time"]) >= 0.002 and slowest[0]["sql"].lstrip().startswith("SELECT"):
                print("\n".join("   " + line for line in explain(slowest[0]["sql"])))
        return times, len(queries), status

    results = {}
    # Static files are not collected: their URLs need no manifest here.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    bench_settings = override_settings(ROOT_URLCONF="bench_pages_urls", STORAGES=storages)
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
        version = {"v": statement.version}
        save_url = reverse("dossiers:statement_save", args=[stage2.pk, competency.pk])
        times = []
        for i in range(args.iterations + 3):
            data = {"version": version["v"], "narrative": f"{statement.narrative} Ajout {i}."}
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = candidate.post(save_url, data, secure=True, HTTP_X_AUTOSAVE="1")
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code == 200:
                version["v"] = response.json()["version"]
            if i >= 3:
                times.append(elapsed)
        results["candidat : enregistrement automatique"] = (times, len(queries), response.status_code)

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
    _ = timezone


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
