#!/usr/bin/env python3
"""Load bench: 50 simulated candidates reading their dossier's pages and autosaving their
narratives for 60 s, against gunicorn + PostgreSQL + Redis, on the loopback only.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--json]
    .venv/bin/python bench/load.py --contention [--seconds 60]   # two tabs + twenty clients, one dossier

The bench makes everything it uses and removes it afterwards: a throw-away PostgreSQL database
(``--pg``: PostgreSQL at 127.0.0.1:5432, user postgres, trust authentication), a private
redis-server on a free port (the Celery broker and the shared cache, as in docker-compose), the
candidates with their sessions and their admissible dossiers on a reference certification, and
gunicorn on a free port (production settings, DEBUG off; static files are not collected: the
candidates fetch pages, not assets). It needs the test dependencies (``pip install -e .[test]``).

Each candidate loops: open a page of their dossier (overview, a bloc, a compétence, the
proofs), then autosave the narrative of a compétence two to six times, pausing about two seconds
between requests (``--think``): the pace of static/js/autosave.js, which saves every two seconds
of continuous typing (``--think 1`` doubles the load). Each one keeps
what the server acknowledged; at the end the database must hold exactly that (``lost_writes``).
Clients are threads using http.client: no dependency, and 50 clients idle most of the time.

Printed: requests, requests per second, p50/p95/p99 latency, errors (any answer but the expected
one, or none), lost writes, and gunicorn's own processor time (user + system of its processes)
per request: over the whole run, then per kind of request from two short phases of pages only and
of autosaves only (``--kind-seconds``); with the machine's load (``uptime``) at the start and the
end. ``--json`` ends with those figures as one JSON line (``server_cpu_ms_per_request``:
``{"all": …, "page": …, "autosave": …}``, ``load``). Goal (issue 8):
zero errors, zero lost writes, p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Gunicorn, free_port, wait_for  # noqa: E402


def uptime() -> str:
    """The machine's load, time in UTC (the figures say what else was running)."""
    return subprocess.run(["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class PrivateRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        wait_for(lambda: self._ping(redis), 10, "redis-server")

    def _ping(self, redis) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def admin_sql(pg: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(pg)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def prepare(clients: int, contention: bool) -> dict:
    """Migrate, then make the candidates, their dossiers and sessions (in this process)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nobody logs in
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the decisions' e-mails
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_certifications", verbosity=0)
    from certifications.models import Certification
    from dossiers.enums import DossierStatus as S
    from tests.candidates import session_for
    from tests.factories import UserFactory, dossier_in_state, fill_validation

    certification = max(
        Certification.objects.published(), key=lambda c: sum(b.competencies.count() for b in c.blocks.all())
    )
    certifier = UserFactory(admin=True)
    people = []
    for _ in range(1 if contention else clients):
        dossier = dossier_in_state(S.ADMISSIBLE, certification=certification, certifier_user=certifier)
        fill_validation(dossier)
        statements = list(dossier.statements.select_related("competency").order_by("pk")[:3])
        people.append(
            {
                "dossier": dossier.pk,
                "session": session_for(dossier.candidate),
                "sessions": [session_for(dossier.candidate) for _ in range(21)] if contention else [],
                "pages": [
                    f"/dossiers/{dossier.pk}/",
                    f"/dossiers/{dossier.pk}/blocs/{statements[0].competency.block_id}/",
                    f"/dossiers/{dossier.pk}/competences/{statements[0].competency_id}/",
                    f"/dossiers/{dossier.pk}/preuves/",
                ],
                "statements": [(s.pk, s.competency_id, s.version) for s in statements],
            }
        )
    from django.db import connections

    connections.close_all()
    return {"certification": certification.code or certification.title, "people": people}


def final_states(statement_ids) -> dict[int, tuple[int, str]]:
    from django.db import connections

    from dossiers.models import CompetencyStatement

    states = {s.pk: (s.version, s.narrative) for s in CompetencyStatement.objects.filter(pk__in=statement_ids)}
    connections.close_all()
    return states


def warm_up(base_url: str, people: list[dict], workers: int) -> None:
    """Every gunicorn worker has imported everything and compiled the templates, as in production
    after the first minutes: a few rounds of every page, not measured."""
    from tests.candidates import Browser

    person = people[0]
    browser = Browser(base_url, person["session"])
    for _ in range(3 * workers):
        for page in person["pages"]:
            browser.get(page)


def make_writers(base_url: str, people: list[dict]) -> list[tuple]:
    """Each candidate's browser and writers, kept across the phases (their versions follow)."""
    from tests.candidates import Browser, Writer

    made = []
    for n, person in enumerate(people, 1):
        browser = Browser(base_url, person["session"])
        writers = [
            Writer(f"candidat {n} / {pk}", browser, person["dossier"], competency, pk, version)
            for pk, competency, version in person["statements"]
        ]
        made.append((browser, writers))
    return made


def run_candidates(
    people: list[dict], clients: list[tuple], ledger, seconds: float, think: float, only: str | None = None
):
    """Every candidate reads pages and autosaves (``only``: "page" or "autosave", one kind)."""
    timings: dict[str, list[float]] = {"page": [], "autosave": []}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    start = threading.Barrier(len(people))

    def candidate(n: int, person: dict, browser, writers):
        rng = random.Random(n)
        mine: dict[str, list[float]] = {"page": [], "autosave": []}
        start.wait()
        time.sleep(rng.uniform(0, think))  # candidates do not all arrive in the same millisecond
        while time.monotonic() < deadline:
            if only != "autosave":
                page = browser.get(rng.choice(person["pages"]))
                mine["page"].append(page.ms)
                if page.status != 200:
                    with lock:
                        errors.append(f"GET HTTP {page.status}")
                time.sleep(rng.uniform(0.5, 1.5) * think)
            if only == "page":
                continue
            writer = rng.choice(writers)
            for _ in range(rng.randint(2, 6)):
                if time.monotonic() >= deadline:
                    break
                reply = writer.step(ledger)
                mine["autosave"].append(reply.ms)
                time.sleep(rng.uniform(0.5, 1.5) * think)
        with lock:
            for kind, values in mine.items():
                timings[kind].extend(values)

    threads = [
        threading.Thread(target=candidate, args=(n, p, *c), daemon=True)
        for n, (p, c) in enumerate(zip(people, clients, strict=True), 1)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.monotonic() - started
    return timings, errors, elapsed


def ledger_errors(ledger) -> list[str]:
    # One writer per statement here: a conflict would be a bug, so it counts as an error too.
    conflicts = [f"conflict on statement {pk}" for pk, items in ledger.conflicts.items() for _ in items]
    return ledger.errors + conflicts


def run_contention(base_url: str, person: dict, seconds: float):
    from tests.candidates import Browser, Ledger, Writer, run_writers

    ledger = Ledger()
    (first_pk, first_competency, first_version), *others = person["statements"]
    shared = person["session"]
    writers = [
        Writer(f"onglet {n}", Browser(base_url, shared), person["dossier"], first_competency, first_pk, first_version)
        for n in (1, 2)
    ]
    for n, session in enumerate(person["sessions"][:20]):
        pk, competency, version = (first_pk, first_competency, first_version) if n < 10 else others[n % 2]
        writers.append(
            Writer(f"client {n + 1}", Browser(base_url, session), person["dossier"], competency, pk, version)
        )
    started = time.monotonic()
    run_writers(writers, seconds, ledger)
    return ledger, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean pause between a candidate's requests, in seconds (2: the "
        "pace of static/js/autosave.js, one save every two seconds of continuous typing)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--contention", action="store_true", help="two tabs and twenty clients on one dossier")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON figures")
    parser.add_argument(
        "--kind-seconds",
        type=float,
        default=15,
        help="then, seconds of pages only and of autosaves only: gunicorn's processor time per kind of request",
    )
    options = parser.parse_args()
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server est requis (paquet Debian redis-server).")

    database = f"vae_load_{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="vae-load-"))
    redis_server = server = None
    admin_sql(options.pg, f"DROP DATABASE IF EXISTS {database}")
    admin_sql(options.pg, f"CREATE DATABASE {database}")
    try:
        redis_server = PrivateRedis(tmp)
        env = {
            "DATABASE_URL": f"{options.pg.rsplit('/', 1)[0]}/{database}",
            "REDIS_URL": redis_server.url(0),
            "CACHE_URL": redis_server.url(1),
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATA_DIR": str(tmp / "data"),
            "MEDIA_ROOT": str(tmp / "media"),
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        }
        if options.contention:  # twenty-two clients as one candidate: conflicts, not the per-user limit
            env["AUTOSAVE_RATE_PER_MINUTE"] = "1000000"
        os.environ.update(env)
        began = time.monotonic()
        world = prepare(options.clients, options.contention)
        print(
            f"Préparation : {len(world['people'])} dossier(s) sur {world['certification']} "
            f"en {time.monotonic() - began:.0f} s",
            flush=True,
        )
        server = Gunicorn(
            env,
            tmp / "gunicorn.log",
            workers=options.workers,
            threads=options.threads,
            settings_module="tests.server_settings",
        ).start()
        print(f"gunicorn : {options.workers} worker(s) × {options.threads} thread(s) sur {server.base_url}", flush=True)

        warm_up(server.base_url, world["people"], options.workers)
        load_before = os.getloadavg()[0]
        uptime_before = uptime()
        cpu_per_kind: dict[str, tuple[float, int]] = {}
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu_before = server.cpu_seconds()
        if options.contention:
            ledger, elapsed = run_contention(server.base_url, world["people"][0], options.seconds)
            timings = {"autosave": []}
            errors = list(ledger.errors)
        else:
            from tests.candidates import Ledger

            ledger = Ledger()
            clients = make_writers(server.base_url, world["people"])
            timings, errors, elapsed = run_candidates(world["people"], clients, ledger, options.seconds, options.think)
        server_cpu = server.cpu_seconds() - server_cpu_before
        if not options.contention:
            # Then each kind of request alone, to divide gunicorn's processor time among them
            # (``--kind-seconds 0``: not measured, not printed).
            for kind in ("page", "autosave") if options.kind_seconds > 0 else ():
                before = server.cpu_seconds()
                alone, kind_errors, _ = run_candidates(
                    world["people"], clients, ledger, options.kind_seconds, options.think, only=kind
                )
                cpu_per_kind[kind] = (server.cpu_seconds() - before, len(alone[kind]))
                errors += kind_errors
            errors += ledger_errors(ledger)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        from tests.candidates import lost_writes

        initial = {pk: version for p in world["people"] for pk, _c, version in p["statements"]}
        problems = lost_writes(ledger, initial, final_states(list(initial)))
    finally:
        if server:
            server.stop()
        if redis_server:
            redis_server.stop()
        admin_sql(options.pg, f"DROP DATABASE IF EXISTS {database}")
        shutil.rmtree(tmp, ignore_errors=True)

    saves = sum(len(v) for v in ledger.saves.values())
    conflicts = sum(len(v) for v in ledger.conflicts.values())
    if options.contention:
        requests = saves + conflicts + len(ledger.errors)
        figures = {
            "requests": requests,
            "rps": round(requests / elapsed, 1),
            "saves": saves,
            "conflicts": conflicts,
            "errors": len(errors),
            "lost_writes": len(problems),
        }
        print(f"\n{options.seconds:.0f} s, deux onglets et vingt clients sur un dossier :")
        print(
            f"  {saves} enregistrements, {conflicts} conflits signalés, {len(errors)} erreurs, "
            f"{len(problems)} écritures perdues"
        )
    else:
        every = timings["page"] + timings["autosave"]
        figures = {
            "requests": len(every),
            "rps": round(len(every) / elapsed, 1),
            "p50_ms": round(percentile(every, 50), 1),
            "p95_ms": round(percentile(every, 95), 1),
            "p99_ms": round(percentile(every, 99), 1),
            "errors": len(errors),
            "lost_writes": len(problems),
            # gunicorn's own processor time (its processes' user + system time) per request.
            "server_cpu_ms_per_request": {
                "all": round(server_cpu * 1000 / max(1, len(every)), 1),
                **{kind: round(cpu * 1000 / max(1, n), 1) for kind, (cpu, n) in cpu_per_kind.items()},
            },
            "load": uptime_before.split("load average:")[-1].strip(),
        }
        print(f"\n{options.clients} candidats pendant {options.seconds:.0f} s :")
        print(f"  requêtes           {figures['requests']} ({figures['rps']} par seconde)")
        for kind, label in (("page", "pages"), ("autosave", "enregistrements")):
            values = timings[kind]
            if values:
                print(
                    f"  {label:<18} {len(values):>6}  p50 {percentile(values, 50):6.1f} ms  "
                    f"p95 {percentile(values, 95):6.1f} ms  p99 {percentile(values, 99):6.1f} ms  "
                    f"moyenne {statistics.fmean(values):6.1f} ms"
                )
        print(
            f"  latence (tout)     p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms"
        )
        cpu_figures = figures["server_cpu_ms_per_request"]
        print(
            "  processeur gunicorn par requête : " + ", ".join(f"{kind} {ms} ms" for kind, ms in cpu_figures.items())  # type: ignore[union-attr]
        )
        print(f"  erreurs            {figures['errors']}")
        print(f"  écritures perdues  {figures['lost_writes']}")
    # The machine is shared by the clients, gunicorn, PostgreSQL and whatever else runs: say so.
    print(
        f"  ({os.cpu_count()} processeurs ; charge moyenne au départ {load_before:.1f} ; "
        f"processeur consommé : gunicorn {server_cpu:.0f} s, clients du banc {client_cpu:.1f} s)"
    )
    print(f"  uptime au départ : {uptime_before}")
    print(f"  uptime à la fin  : {uptime()}")
    for line in (errors + problems)[:10]:
        print(f"  ! {line}")
    if options.json:
        print(json.dumps(figures))
    return 0 if not errors and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
