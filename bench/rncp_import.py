#!/usr/bin/env python3
"""Benchmark of the RNCP import: generate a ~100 MB flux, then time ``import_rncp --dry-run`` and a
real import into a throw-away PostgreSQL database, measuring each run's peak memory.

    .venv/bin/python bench/rncp_import.py [--size-mb 100] [--keep FILE] [--json]

Each run is a separate process (the parser alone, then ``manage.py import_rncp``): its wall-clock
time (Django start-up included) gives the fiches per second, and the kernel's peak resident set
size of that process (``wait4``) gives the peak memory. The dry run is also timed on a file ten
times smaller, to show that the peak does not grow with the file, and the real import is run
twice (the second finds every fiche unchanged). PostgreSQL at 127.0.0.1:5432, user postgres,
trust authentication (override with ``--pg``); the database is created and dropped by the bench.

Goals: parse ≥ 2,000 fiches/s, peak memory ≤ 150 MB whatever the file size (issue 7); the real
import into PostgreSQL ≥ 1,500 fiches/s (issue 21: blocs and compétences written in bulk). The
machine's load average is printed with the figures (and in ``--json``): they move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent

WORDS = [
    "analyser",
    "concevoir",
    "piloter",
    "organiser",
    "évaluer",
    "accompagner",
    "mettre",
    "en",
    "œuvre",
    "coordonner",
    "animer",
    "gérer",
    "identifier",
    "rédiger",
    "négocier",
    "conduire",
    "contrôler",
    "assurer",
    "élaborer",
    "déployer",
    "suivre",
    "adapter",
    "développer",
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "de",
    "d’",
    "l’",
    "au",
    "aux",
    "en",
    "dans",
    "pour",
    "afin",
    "avec",
    "selon",
    "sur",
    "par",
    "et",
    "ou",
    "son",
    "sa",
    "ses",
    "leur",
    "projet",
    "équipe",
    "public",
    "besoins",
    "territoire",
    "client",
    "service",
    "qualité",
    "sécurité",
    "réglementation",
    "budget",
    "partenaires",
    "acteurs",
    "structure",
    "organisation",
    "démarche",
    "diagnostic",
    "plan",
    "actions",
    "ressources",
    "données",
    "procédures",
    "outils",
    "numériques",
    "environnement",
    "contexte",
    "objectifs",
    "résultats",
    "risques",
    "indicateurs",
    "professionnel",
    "social",
    "solidaire",
    "durable",
    "technique",
    "commercial",
    "financier",
    "administratif",
    "opérationnel",
    "stratégique",
    "pédagogique",
    "éthique",
    "collectif",
    "individuel",
    "adapté",
    "pertinent",
    "efficace",
    "conforme",
]
VERBS = WORDS[:22]
STATES = ["Publiée"] * 6 + ["Dépubliée/Archivée"] * 3 + ["Modifications à valider"]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(VERBS).capitalize()] + [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words)


def _html_list(rng: random.Random, items: list[str]) -> str:
    style = rng.random()
    if style < 0.4:
        return "".join(f"<p>{item}</p>" for item in items)
    if style < 0.7:
        return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    if style < 0.85:
        return "<p>" + "<br>".join(f"- {item} ;" for item in items) + "</p>"
    return "\n".join(f"C{rng.randint(1, 9)}.{i} {item}" for i, item in enumerate(items, start=1))


def _field(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>"


def _fiche(rng: random.Random, n: int, sirets: list[str]) -> str:
    rs = rng.random() < 0.3
    number = f"RS{n + 1000}" if rs else f"RNCP{n + 30000}"
    active = rng.random() < 0.25
    # Old archived fiches (registered before blocs existed) carry little more than their identity.
    sparse = not active and rng.random() < 0.3
    blocs = 0 if rs or sparse or rng.random() < 0.1 else rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 8])
    parts = [
        _field("ID_FICHE", str(n + 100000)),
        _field("NUMERO_FICHE", number),
        _field("INTITULE", _sentence(rng, 4, 14)),
    ]
    if rng.random() < 0.5:
        parts.append(f"<ABREGE><CODE>TP</CODE><LIBELLE>{_sentence(rng, 1, 3)}</LIBELLE></ABREGE>")
    parts += [_field("ETAT_FICHE", rng.choice(STATES)), _field("ACTIF", "Oui" if active else "Non")]
    parts.append(_field("TYPE_ENREGISTREMENT", "Enregistrement sur demande"))
    if not rs:
        level = rng.randint(3, 8)
        tag = "LIBELLE" if rng.random() < 0.8 else "INTITULE"
        parts.append(
            f"<NOMENCLATURE_EUROPE><NIVEAU>NIV{level}</NIVEAU><{tag}>Niveau {level}</{tag}></NOMENCLATURE_EUROPE>"
        )
    parts.append(
        _field(
            "DATE_FIN_ENREGISTREMENT",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2020, 2030)}",
        )
    )
    parts.append(
        _field("DATE_DECISION", f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2015, 2025)}")
    )
    for tag, low, high in [
        ("ACTIVITES_VISEES", 1, 2),
        ("CAPACITES_ATTESTEES", 1, 2),
        ("SECTEURS_ACTIVITE", 0, 1),
        ("TYPE_EMPLOI_ACCESSIBLES", 0, 1),
        ("OBJECTIFS_CONTEXTE", 0, 1),
        ("REGLEMENTATIONS_ACTIVITES", 0, 1),
        ("PREREQUIS_ENTREE_FORMATION", 0, 1),
    ]:
        items = [] if sparse else [_sentence(rng, 3, 10) for _ in range(rng.randint(low, high))]
        if items:
            parts.append(_field(tag, _html_list(rng, items)))
    parts.append(_field("VALIDATION_PARTIELLE", rng.choice(["Oui", "Non"])))
    for route in ("FI", "CA", "FC", "CQ", "CL", "VAE"):
        open_route = rng.random() < (0.65 if route == "VAE" else 0.5)
        with_jury = open_route and (route == "VAE" or rng.random() < 0.2)
        composition = _html_list(rng, [_sentence(rng, 3, 7) for _ in range(rng.randint(1, 2))]) if with_jury else ""
        parts.append(
            f"<SI_JURY_{route}>{_field('ACTIF', 'Oui' if open_route else 'Non')}"
            f"{_field('COMPOSITION', composition) if composition else ''}</SI_JURY_{route}>"
        )
    for container, item, count, make in [
        ("CODES_NSF", "NSF", rng.randint(0, 3), lambda: f"{rng.randint(100, 346)}{rng.choice('mnpstuvw')}"),
        (
            "CODES_ROME",
            "ROME",
            rng.randint(0, 3),
            lambda: f"{rng.choice('ABCDEFGHIJKLMN')}{rng.randint(1101, 1908)}",
        ),
        ("FORMACODES", "FORMACODE", rng.randint(0, 3), lambda: str(rng.randint(11000, 46000))),
    ]:
        if count:
            inner = "".join(
                f"<{item}><CODE>{make()}</CODE><LIBELLE>{_sentence(rng, 0, 2)}</LIBELLE></{item}>" for _ in range(count)
            )
            parts.append(f"<{container}>{inner}</{container}>")
    certifiers = "".join(
        f"<CERTIFICATEUR><NOM_CERTIFICATEUR>{_sentence(rng, 0, 2).upper()}</NOM_CERTIFICATEUR>"
        f"<SIRET_CERTIFICATEUR>{rng.choice(sirets)}</SIRET_CERTIFICATEUR>"
        f"<NOM_COMMERCIAL>{rng.choice(WORDS).upper()}</NOM_COMMERCIAL>"
        f"<SITE_INTERNET>https://www.exemple-{rng.randint(1, 9999)}.fr</SITE_INTERNET></CERTIFICATEUR>"
        for _ in range(rng.choice([1, 1, 1, 2]))
    )
    parts.append(f"<CERTIFICATEURS>{certifiers}</CERTIFICATEURS>")
    if blocs:
        inner = []
        for b in range(1, blocs + 1):
            competencies = _html_list(rng, [_sentence(rng, 4, 9) for _ in range(rng.randint(2, 6))])
            assessment = _html_list(rng, [_sentence(rng, 4, 10)])
            inner.append(
                f"<BLOC_COMPETENCES>{_field('CODE', f'{number}BC{b:02d}')}"
                f"{_field('LIBELLE', _sentence(rng, 4, 12))}{_field('LISTE_COMPETENCES', competencies)}"
                f"{_field('MODALITES_EVALUATION', assessment)}</BLOC_COMPETENCES>"
            )
        parts.append(f"<BLOCS_COMPETENCES>{''.join(inner)}</BLOCS_COMPETENCES>")
    if rng.random() < 0.3:
        parts.append(
            f"<ANCIENNES_CERTIFICATIONS><ANCIENNE_CERTIFICATION>RNCP{rng.randint(1000, 29999)}"
            "</ANCIENNE_CERTIFICATION></ANCIENNES_CERTIFICATIONS>"
        )
    if not active and rng.random() < 0.3:
        parts.append(
            f"<NOUVELLES_CERTIFICATIONS><NOUVELLE_CERTIFICATION>RNCP{rng.randint(30000, 60000)}"
            "</NOUVELLE_CERTIFICATION></NOUVELLES_CERTIFICATIONS>"
        )
    stats = "".join(
        f"<STATISTIQUES_PROMOTION><ANNEE>{year}</ANNEE>"
        f"<NOMBRE_CERTIFIES>{rng.randint(0, 400)}</NOMBRE_CERTIFIES>"
        f"<NOMBRE_CERTIFIES_VAE>{rng.randint(0, 40)}</NOMBRE_CERTIFIES_VAE></STATISTIQUES_PROMOTION>"
        for year in (2022, 2023)[: 0 if sparse else rng.randint(0, 2)]
    )
    if stats:
        parts.append(f"<STATISTIQUES_PROMOTIONS>{stats}</STATISTIQUES_PROMOTIONS>")
    return "<FICHE>\n" + "\n".join(parts) + "\n</FICHE>\n"


def generate(path: Path, size_mb: float, seed: int = 7) -> tuple[int, int]:
    """Write a flux of about ``size_mb`` megabytes; return (fiches, size in bytes)."""
    rng = random.Random(seed)
    sirets = [f"{rng.randint(10**13, 10**14 - 1)}" for _ in range(3000)]
    target = size_mb * 1e6
    written = fiches = 0
    with path.open("wb") as out:
        written += out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n')
        while written < target:
            written += out.write(_fiche(rng, fiches, sirets).encode())
            fiches += 1
        written += out.write(b"</FICHES>\n")
    return fiches, written


PARSE_ONLY = (
    "import sys\n"
    "from certifications.rncp.parser import read_flux\n"
    "print(sum(len(f.blocs) for f in read_flux(sys.argv[1])), 'blocs')\n"
)


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a manage.py command (or, for ``-c``, a script); return (seconds, peak resident memory
    in MB, output)."""
    started = time.monotonic()
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, str(ROOT / "manage.py"), *args]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} a échoué :\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output


def psql(pg: str, sql: str) -> None:
    subprocess.run(["psql", pg, "-qc", sql], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=100, help="size of the generated flux")
    parser.add_argument("--keep", type=Path, help="write the generated flux here and keep it")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON figures")
    options = parser.parse_args()
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="rncp-bench-") as tmp:
        tmp_dir = Path(tmp)
        flux = options.keep or tmp_dir / "export_fiches_RNCP_V4_1_bench.xml"
        started = time.monotonic()
        fiches, size = generate(flux, options.size_mb)
        took = time.monotonic() - started
        print(f"Flux généré : {fiches} fiches, {size / 1e6:.1f} Mo en {took:.1f} s ({flux})")
        small = tmp_dir / "small.xml"
        small_fiches, _ = generate(small, options.size_mb / 10, seed=8)

        database = f"vae_bench_{os.getpid()}"
        env = {
            **os.environ,
            "DATABASE_URL": f"{options.pg.rsplit('/', 1)[0]}/{database}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-0123456789abcdef",
            "DATA_DIR": str(tmp_dir / "data"),
            "LOG_LEVEL": "WARNING",
        }
        psql(options.pg, f"DROP DATABASE IF EXISTS {database}")
        psql(options.pg, f"CREATE DATABASE {database}")
        try:
            run(["migrate", "--noinput", "-v0"], env)
            parse_time, parse_peak, _ = run(["-c", PARSE_ONLY, str(flux)], env)
            _, small_peak, _ = run(["import_rncp", str(small), "--dry-run"], env)
            dry_time, dry_peak, dry_output = run(["import_rncp", str(flux), "--dry-run"], env)
            import_time, import_peak, import_output = run(["import_rncp", str(flux)], env)
            again_time, again_peak, again_output = run(["import_rncp", str(flux)], env)
        finally:
            psql(options.pg, f"DROP DATABASE IF EXISTS {database}")

    figures = {
        "fiches": fiches,
        "file_mb": round(size / 1e6, 1),
        "parse_fiches_per_s": round(fiches / parse_time),
        "parse_peak_mb": round(parse_peak, 1),
        "dry_run_fiches_per_s": round(fiches / dry_time),
        "import_fiches_per_s": round(fiches / import_time),
        "reimport_fiches_per_s": round(fiches / again_time),
        "dry_run_peak_mb": round(dry_peak, 1),
        "dry_run_small_file_peak_mb": round(small_peak, 1),
        "import_peak_mb": round(import_peak, 1),
        "peak_mb": round(max(dry_peak, import_peak, again_peak), 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    for title, output in [("--dry-run", dry_output), ("import", import_output), ("réimport", again_output)]:
        print(f"{title} :", output.strip().replace("\n", "\n    "))
    print(f"Lecture seule (parser, sans Django) : {figures['parse_fiches_per_s']} fiches/s, pic {parse_peak:.0f} Mo")
    print(
        f"Simulation (--dry-run) : {figures['dry_run_fiches_per_s']} fiches/s, pic mémoire {dry_peak:.0f} Mo "
        f"(fichier de {small_fiches} fiches : {small_peak:.0f} Mo)"
    )
    print(f"Import PostgreSQL : {figures['import_fiches_per_s']} fiches/s, pic mémoire {import_peak:.0f} Mo")
    print(f"Réimport du même fichier : {figures['reimport_fiches_per_s']} fiches/s, pic mémoire {again_peak:.0f} Mo")
    print(
        "Charge de la machine (1, 5, 15 min) : avant {} ; après {}".format(
            *(" / ".join(f"{x:.2f}" for x in figures[key]) for key in ("load_average_before", "load_average_after"))
        )
    )
    goals_met = (
        figures["dry_run_fiches_per_s"] >= 2000 and figures["import_fiches_per_s"] >= 1500 and figures["peak_mb"] <= 150
    )
    print(
        "Objectifs (lecture ≥ 2 000 fiches/s, import ≥ 1 500 fiches/s, ≤ 150 Mo) :",
        "atteints" if goals_met else "NON atteints",
    )
    if options.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
