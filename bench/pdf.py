"""Benchmark of the dossier PDF, through the same code path as the Celery worker.

    .venv/bin/python bench/pdf.py [--out dossier.pdf] [--json]

Builds, in a throw-away SQLite database and media folder, a dossier on the 004 certification
(coordinateur opérationnel, 63 compétences) with every compétence filled with a realistic
narrative of 1,500–3,000 characters and 20 proofs (5 multi-page PDFs, 5 photographs, 7
one-page attestations, 3 office documents), submits it, then renders it in a fresh process as a
worker would (``documents.services.run``): a first (cold) render, a second (warm) one, and
WeasyPrint alone on the same final HTML. Prints pages, wall times, peak memory (the render
process's maximum resident set size) and the ratio warm job / WeasyPrint alone.
Warm figures are the best of three runs: the machines are shared.

Then a jury session's documents: a session held today with ``--session-candidates`` candidates
(30) convoked, scored, decided (two thirds validate every bloc, the others one bloc of two) and
its procès-verbal signed, through the jury services; the documents they ask for (a convocation,
a decision letter and, when a bloc is validated, an attestation per candidate, and the
procès-verbal) are left queued, then published at once to a real Celery worker (``celery -A
vae_portal worker --concurrency 2``, as scripts/run.sh; the filesystem broker of the throw-away
folder, or ``--redis redis://127.0.0.1:6379/9``): the time from publishing them to the last one
stored. ``--session-candidates 0`` skips it. With the filesystem broker, the worker reads its
queue folder once a second: that wait, not the rendering, makes most of the time; Redis shows
the worker's own throughput.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SLUG_004 = "coordinateur-operationnel-etablissements-educatifs"

CONTEXTS = [
    "Au collège Jean-Moulin, où je coordonne le pôle vie scolaire depuis 2019,",
    "Lors de la rentrée 2022, dans le lycée professionnel où j'assure la coordination pédagogique,",
    "Dans le centre de formation d'apprentis qui m'emploie comme responsable de secteur,",
    "Pendant l'année scolaire 2021-2022, alors que l'établissement préparait son projet d'établissement,",
    "Au sein de l'ensemble scolaire Saint-Exupéry (780 élèves, 64 enseignants),",
    "À la demande du chef d'établissement, au printemps 2023,",
]
ACTIONS = [
    "j'ai conduit un diagnostic partagé avec les conseillers principaux d'éducation, en croisant les "
    "indicateurs d'absentéisme, les résultats aux évaluations nationales et les remontées des professeurs "
    "principaux.",
    "j'ai animé quatre réunions de concertation avec les équipes pédagogiques pour définir des priorités "
    "communes, en veillant à ce que chaque discipline puisse exprimer ses contraintes.",
    "j'ai rédigé une note de synthèse à destination de la direction, présentant trois scénarios chiffrés et "
    "leurs effets attendus sur l'organisation des emplois du temps.",
    "j'ai construit un tableau de bord mensuel qui rassemble les indicateurs de suivi du plan d'actions et "
    "que je présente au conseil pédagogique.",
    "j'ai organisé la formation de douze enseignants à l'accompagnement personnalisé, en lien avec le "
    "rectorat et un organisme de formation extérieur.",
    "j'ai négocié avec la collectivité de rattachement le financement d'un projet numérique, en préparant "
    "le budget prévisionnel et le calendrier de déploiement.",
    "j'ai mis en place une cellule de veille réunissant l'infirmière, l'assistante sociale et les CPE pour "
    "repérer plus tôt les élèves en situation de décrochage.",
    "j'ai accompagné individuellement deux nouveaux collègues dans la prise de fonction, en formalisant un "
    "parcours d'intégration et des points d'étape réguliers.",
    "j'ai préparé et conduit l'entretien avec une famille en désaccord avec une décision d'orientation, en "
    "recherchant une solution acceptable pour l'élève.",
    "j'ai coordonné l'organisation des examens blancs pour 210 candidats, de la constitution des jurys à la "
    "remontée des résultats.",
]
WITH_WHOM = [
    "J'ai travaillé en étroite collaboration avec la directrice adjointe, les professeurs principaux et les "
    "représentants des parents d'élèves.",
    "Ce travail s'est fait avec le conseil pédagogique, que j'ai sollicité à chaque étape pour valider les choix.",
    "J'ai associé les délégués des élèves, ce qui a permis d'ajuster le calendrier à leurs contraintes.",
    "Les partenaires extérieurs (mission locale, associations du quartier, entreprises d'accueil) ont été "
    "associés dès la phase de diagnostic.",
]
RESULTS = [
    "Le taux d'absentéisme du niveau concerné a baissé de 14 % à 9 % en un an, et le dispositif a été "
    "reconduit l'année suivante.",
    "Le plan d'actions a été adopté en conseil d'administration et je suis désormais chargée de son suivi.",
    "Les enseignants ont souligné lors du bilan la clarté du cadre proposé, et deux autres établissements du "
    "réseau ont repris notre démarche.",
    "Le projet a obtenu un financement de 18 000 euros et a été présenté comme exemple lors d'une réunion académique.",
    "Avec le recul, je mesure l'importance d'avoir formalisé les rôles de chacun dès le départ : c'est ce que "
    "je reproduis aujourd'hui dans chaque projet.",
]
LEARNED = [
    "Cette situation m'a appris à m'appuyer sur des données objectivées avant de proposer une orientation, "
    "plutôt que sur mes seules impressions.",
    "J'en retiens la nécessité de communiquer régulièrement sur l'avancement, y compris lorsque les "
    "résultats tardent à venir.",
    "J'ai compris qu'un changement d'organisation ne tient que s'il est porté par les équipes elles-mêmes.",
]


def narrative(rng: random.Random) -> str:
    """A narrative of 1,500–3,000 characters: context, actions, partners, results, lessons."""
    target = rng.randint(1500, 3000)
    paragraphs = []
    while sum(len(p) for p in paragraphs) < target - 250:
        parts = [rng.choice(CONTEXTS), *rng.sample(ACTIONS, 2), rng.choice(WITH_WHOM), rng.choice(RESULTS)]
        paragraphs.append(" ".join(parts))
    paragraphs.append(rng.choice(LEARNED))
    return "\n\n".join(paragraphs)[:3000]


def photograph(rng: random.Random, size=(4000, 3000)) -> bytes:
    """A photograph-like JPEG (smooth shapes and sensor noise), as a phone takes them."""
    from PIL import Image, ImageFilter

    small = Image.effect_noise((size[0] // 80, size[1] // 80), 60).convert("RGB")
    tint = Image.new("RGB", small.size, tuple(rng.randint(60, 200) for _ in range(3)))
    base = Image.blend(small, tint, 0.55).resize(size, Image.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise(size, 12).convert("RGB")
    out = io.BytesIO()
    Image.blend(base, grain, 0.12).save(out, "JPEG", quality=88)
    return out.getvalue()


def text_document(title: str, pages: int, rng: random.Random) -> bytes:
    """A multi-page PDF as office software exports it (embedded fonts)."""
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(
        f'<h2 style="break-before: page">{escape(title)} — partie {n}</h2>'
        + "".join(f"<p>{escape(narrative(rng))}</p>" for _ in range(2))
        for n in range(1, pages + 1)
    )
    return HTML(string=f'<html lang="fr"><body style="font-size: 11pt">{body}</body></html>').write_pdf()


def docx(text: str) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<document>{text}</document>")
    return out.getvalue()


REAL_PUBLISH = None  # documents.services.publish, kept before build() stubs it


def build() -> int:
    """Create the submitted dossier; return the id of its GeneratedDocument."""
    import datetime as dt
    import hashlib

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from certifications.models import Certification
    from documents import services as document_services
    from documents.models import GeneratedDocument
    from dossiers import services
    from dossiers.enums import DossierStatus, ExperienceKind, ProofKind, SelfAssessment
    from dossiers.models import Experience, Proof, TransversalStatement
    from dossiers.uploads import check_upload
    from tests.factories import fill_feasibility_sections

    global REAL_PUBLISH
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    REAL_PUBLISH = document_services.publish
    document_services.publish = lambda document_id, kind: True  # the benchmark renders the job itself
    rng = random.Random(4)
    call_command("migrate", verbosity=0)
    call_command("load_certifications", stdout=io.StringIO())
    certification = Certification.objects.get(slug=SLUG_004, status="published")
    candidate = User.objects.create_user("camille.bench@vae.example", first_name="Camille", last_name="Rousseau")
    admin = User.objects.create_superuser("admin.bench@vae.example")
    dossier = services.start_dossier(candidate, certification)
    experiences = [
        Experience.objects.create(
            dossier=dossier,
            kind=kind,
            organisation=org,
            role=role,
            start_date=start,
            end_date=end,
            hours_per_week=hours,
            activities=narrative(rng)[:900],
            order=n,
        )
        for n, (kind, org, role, start, end, hours) in enumerate(
            [
                (ExperienceKind.EMPLOYEE, "Collège Jean-Moulin", "Conseillère principale d'éducation",
                 dt.date(2012, 9, 1), dt.date(2019, 8, 31), 35),
                (ExperienceKind.EMPLOYEE, "Ensemble scolaire Saint-Exupéry", "Coordinatrice pédagogique",
                 dt.date(2019, 9, 1), None, 35),
                (ExperienceKind.VOLUNTEER, "Association Lire et faire lire", "Responsable d'antenne",
                 dt.date(2016, 1, 1), None, 4),
            ]
        )
    ]  # fmt: skip
    dossier.statements.update(self_assessment=SelfAssessment.YES)
    dossier.sworn_statement_at = timezone.now()
    identity = b"%PDF-1.4\n%identite\n"
    dossier.identity_document.save("identite.pdf", ContentFile(identity), save=False)
    dossier.identity_document_name = "identite.pdf"
    dossier.identity_document_sha256 = hashlib.sha256(identity).hexdigest()
    dossier.save()
    # The dossier de faisabilité's sections (identity, situation, objectives, each bloc's
    # activity), which the demande de recevabilité asks for since it follows the arrêté.
    fill_feasibility_sections(dossier)
    services.request_feasibility(dossier, candidate)
    services.decide_feasibility(dossier, admin, DossierStatus.ADMISSIBLE)

    specs = []
    for n, pages in enumerate([4, 6, 8, 10, 12], start=1):
        specs.append((f"Document de travail {n}", f"document-{n}.pdf", text_document(f"Document {n}", pages, rng)))
    for n in range(1, 6):
        specs.append((f"Photographie {n} : atelier avec les élèves", f"photo-{n}.jpg", photograph(rng)))
    for n in range(1, 8):
        specs.append((f"Attestation {n}", f"attestation-{n}.pdf", text_document(f"Attestation {n}", 1, rng)))
    for n in range(1, 4):
        specs.append((f"Compte rendu {n}", f"compte-rendu-{n}.docx", docx(f"Compte rendu {n}")))
    proofs = []
    for title, name, data in specs:
        checked = check_upload(SimpleUploadedFile(name, data))
        proof = Proof(
            dossier=dossier,
            title=title,
            kind=ProofKind.PHOTO if checked.kind == "jpeg" else ProofKind.WORK_DOCUMENT,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        proof.file.save(checked.name, ContentFile(data), save=True)
        proofs.append(proof)
    for statement in dossier.statements.all():
        statement.narrative = narrative(rng)
        statement.self_comment = "Compétence exercée au quotidien depuis plusieurs années."
        statement.save()
        statement.proofs.add(*rng.sample(proofs, rng.randint(1, 3)))
        statement.experiences.add(*rng.sample(experiences, rng.randint(1, 2)))
    # 004's transversal proof (``dossier.transversal_assessments``), asked for beside the blocs.
    for method in dossier.transversal_assessments():
        written, _created = TransversalStatement.objects.get_or_create(dossier=dossier, assessment_method=method)
        written.narrative = narrative(rng)
        written.save()
        written.proofs.add(*rng.sample(proofs, 2))
    snapshot = services.submit_validation(dossier, candidate)
    return GeneratedDocument.objects.get(snapshot=snapshot).pk


def measure(document_id: int, out: str | None) -> dict:
    """In a fresh process, as a worker: cold render, warm render, WeasyPrint alone."""
    from weasyprint import HTML

    from documents import pdf, proofs, services
    from documents.enums import DocumentStatus
    from documents.models import GeneratedDocument

    captured = {}
    render_document = pdf.render_document

    def capture(document):
        captured["rendered"] = render_document(document)
        return captured["rendered"]

    pdf.render_document = capture

    def job(task_id: str) -> tuple[float, float]:
        document = GeneratedDocument.objects.get(pk=document_id)
        if document.file:
            document.file.delete(save=False)
        GeneratedDocument.objects.filter(pk=document_id).update(status=DocumentStatus.QUEUED, attempts=0, file="")
        wall, cpu = time.perf_counter(), time.process_time()
        services.run(document_id, task_id=task_id)
        elapsed = time.perf_counter() - wall, time.process_time() - cpu
        assert GeneratedDocument.objects.get(pk=document_id).status == DocumentStatus.DONE
        return elapsed

    cold = job("bench-cold")
    # Best of three: the machines are shared, and a neighbour's load only ever adds time.
    warm = min(job(f"bench-warm-{n}") for n in range(3))
    document = GeneratedDocument.objects.select_related("snapshot").get(pk=document_id)
    html = captured["rendered"].html
    prepared = proofs.prepare(document.dossier_id, document.snapshot.content["proofs"])

    def weasyprint_alone(font_config) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        with pdf._gc_paused():
            HTML(string=html, url_fetcher=pdf._fetcher(prepared)).render(
                font_config=font_config, pdf_variant=pdf.PDF_VARIANT
            ).write_pdf(pdf_variant=pdf.PDF_VARIANT)
        return time.perf_counter() - wall, time.process_time() - cpu

    # The same WeasyPrint work as in the job (same font configuration), to isolate the job's
    # own cost (database, proofs, merge, storage); and WeasyPrint as commonly called, for scale.
    alone = min(weasyprint_alone(pdf._font_config()) for _ in range(3))
    plain = weasyprint_alone(None)
    if out:
        Path(out).write_bytes(document.file.read())
    return {
        "pages": document.pages,
        "cold_s": round(cold[0], 2),
        "warm_s": round(warm[0], 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "ratio": round(warm[0] / alone[0], 2),
        "warm_cpu_s": round(warm[1], 2),
        "ratio_cpu": round(warm[1] / alone[1], 2),
        "weasyprint_s": round(alone[0], 2),
        "weasyprint_plain_s": round(plain[0], 2),
        "size_mb": round(document.size / 1024 / 1024, 1),
        "pdfa": document.pdfa,
        "load": round(os.getloadavg()[0], 1),
    }


def build_session(candidates: int) -> int:
    """A session held today with ``candidates`` convoked, scored, decided and its procès-verbal
    signed, through the jury services (tests' helpers build the dossiers and the scorings); its
    documents are asked for and left queued (``build`` stubbed the publishing). Returns its id."""
    import datetime as dt

    from dossiers.enums import DossierStatus
    from juries import services as jury_services
    from juries.enums import JuryRole
    from tests.factories import UserFactory, dossier_built_in_state, make_session
    from tests.juries.helpers import decided, four_level_certification, move_session, session_hour, sign_all

    certification = four_level_certification()
    actor = UserFactory(admin=True)
    hour = session_hour(0)
    # Programmed tomorrow (the services only programme the future), then moved to today.
    session = make_session(certification, days=1, hour=hour, actor=actor, capacity=candidates)
    members = [
        jury_services.add_member(session, actor, email=UserFactory().email, role=role)
        for role in (JuryRole.PRESIDENT, JuryRole.PROFESSIONAL)
    ]
    slot = dt.timedelta(minutes=max(1, min(20, (23 - hour) * 60 // max(candidates, 1))))
    convocations = []
    for i in range(candidates):
        dossier = dossier_built_in_state(
            DossierStatus.READY_FOR_JURY, certification=certification, certifier_user=actor
        )
        start = session.starts_at + i * slot
        convocations.append(jury_services.convoke(session, dossier, actor, starts_at=start, ends_at=start + slot))
    move_session(session, -1)
    for i, convocation in enumerate(convocations):
        convocation.refresh_from_db()
        validated = True if i % 3 else {key: n == 0 for n, key in enumerate(_item_keys(convocation))}
        decided(session, members, convocation, validated)
    sign_all(session, members)
    return session.pk


def _item_keys(convocation) -> list:
    from juries import queries

    return [item.key for item in queries.assessed_items(convocation.dossier)]


def session_documents(session_id: int):
    from django.db.models import Q

    from documents.models import GeneratedDocument

    return GeneratedDocument.objects.filter(Q(session_id=session_id) | Q(convocation__session_id=session_id))


def start_worker(concurrency: int, log: Path) -> subprocess.Popen:
    """``celery worker`` on the documents' queue, in its own process group (stopped by it)."""
    from django.conf import settings

    command = [sys.executable, "-m", "celery", "-A", "vae_portal", "worker", "--loglevel=INFO"]
    command += [f"--concurrency={concurrency}", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"]
    command += ["--logfile", str(log)]
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and " ready." in log.read_text(errors="replace"):
            return process
        time.sleep(0.2)
    stop_worker(process)
    sys.exit(f"Le worker Celery n'a pas démarré :\n{log.read_text(errors='replace') if log.exists() else ''}")


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the worker and its pool: its own process group
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def measure_session(session_id: int, concurrency: int, timeout: float) -> dict:
    """Publish every queued document of the session at once to a started worker; the time until
    the last one is stored (done or failed)."""
    import statistics

    from documents.enums import DocumentStatus

    documents = list(session_documents(session_id).values_list("pk", "kind"))
    kinds: dict[str, int] = {}
    for _pk, kind in documents:
        kinds[kind] = kinds.get(kind, 0) + 1
    worker = start_worker(concurrency, Path(os.environ["DATA_DIR"]) / "worker.log")
    try:
        load = os.getloadavg()
        started = time.perf_counter()
        for pk, kind in documents:
            REAL_PUBLISH(pk, kind)
        finished = [DocumentStatus.DONE, DocumentStatus.FAILED]
        while session_documents(session_id).filter(status__in=finished).count() < len(documents):
            if time.perf_counter() - started > timeout:
                sys.exit(f"Documents de la session non rendus en {timeout:.0f} s")
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    finally:
        stop_worker(worker)
    rows = list(session_documents(session_id).values("status", "pages", "started_at", "finished_at"))
    renders = [(r["finished_at"] - r["started_at"]).total_seconds() for r in rows if r["started_at"]]
    return {
        "session_documents": len(documents),
        "session_kinds": kinds,
        "session_failed": sum(r["status"] == DocumentStatus.FAILED for r in rows),
        "session_pages": sum(r["pages"] or 0 for r in rows),
        "session_s": round(elapsed, 1),
        "session_documents_per_s": round(len(documents) / elapsed, 2),
        "session_render_median_s": round(statistics.median(renders), 2) if renders else None,
        "session_concurrency": concurrency,
        "session_load": [round(x, 2) for x in load],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="write the rendered PDF to this file")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON holding the figures")
    parser.add_argument(
        "--session-candidates", type=int, default=30, help="candidates of the jury session measured (0: none)"
    )
    parser.add_argument("--concurrency", type=int, default=2, help="processes of the Celery worker (2: scripts/run.sh)")
    parser.add_argument("--redis", help="broker for the session, e.g. redis://127.0.0.1:6379/9 (default: filesystem)")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # internal: the render process
    args = parser.parse_args()

    if args.measure is None:
        # A throw-away database, media and broker folder: nothing of the developer's is touched.
        workdir = tempfile.mkdtemp(prefix="vae-bench-")
        for name in ("DATABASE_URL", "REDIS_URL", "VAE_TEST_DB_NAME", "MEDIA_ROOT"):
            os.environ.pop(name, None)
        os.environ.update(DATA_DIR=workdir, DJANGO_SETTINGS_MODULE="vae_portal.settings", LOG_LEVEL="WARNING")
        if args.redis:
            os.environ["REDIS_URL"] = args.redis
    import django

    django.setup()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.out)))
        return

    started = time.perf_counter()
    document_id = build()
    print(f"Dossier 004 construit en {time.perf_counter() - started:.1f} s (base jetable : {os.environ['DATA_DIR']})")
    command = [sys.executable, __file__, "--measure", str(document_id)] + (["--out", args.out] if args.out else [])
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        shutil.rmtree(os.environ["DATA_DIR"], ignore_errors=True)
        sys.exit(result.stderr)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if args.session_candidates:
        started = time.perf_counter()
        session_id = build_session(args.session_candidates)
        print(f"Session de {args.session_candidates} candidats construite en {time.perf_counter() - started:.1f} s")
        if args.redis:
            from vae_portal.celery import app

            app.control.purge()  # messages of an earlier run concern another database
        try:
            figures.update(measure_session(session_id, args.concurrency, timeout=1800))
        finally:
            shutil.rmtree(os.environ["DATA_DIR"], ignore_errors=True)
    else:
        shutil.rmtree(os.environ["DATA_DIR"], ignore_errors=True)
    print(f"pages : {figures['pages']} ({figures['size_mb']} Mo, PDF/A-3b : {'oui' if figures['pdfa'] else 'non'})")
    print(f"premier rendu (à froid) : {figures['cold_s']} s")
    print(f"rendu suivant (à chaud, le meilleur de 3) : {figures['warm_s']} s ({figures['warm_cpu_s']} s de CPU)")
    print(
        f"WeasyPrint seul, même HTML : {figures['weasyprint_s']} s → ratio {figures['ratio']} "
        f"(en temps CPU : {figures['ratio_cpu']})"
    )
    print(f"(WeasyPrint appelé sans configuration de polices partagée : {figures['weasyprint_plain_s']} s)")
    print(f"mémoire maximale du processus de rendu : {figures['peak_mb']} Mo")
    print(f"charge de la machine pendant la mesure : {figures['load']}")
    if args.session_candidates:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(figures["session_kinds"].items()))
        print(
            f"documents d'une session de {args.session_candidates} candidats ({figures['session_documents']} : "
            f"{kinds} ; {figures['session_pages']} pages ; {figures['session_failed']} en échec), rendus en "
            f"parallèle par un worker Celery (--concurrency {figures['session_concurrency']}) : "
            f"{figures['session_s']} s ({figures['session_documents_per_s']} documents/s, "
            f"{figures['session_render_median_s']} s par document en médiane)"
        )
        print("charge de la machine au lancement de la session : " + " / ".join(map(str, figures["session_load"])))
    if args.out:
        print(f"PDF écrit dans {args.out}")
    if args.json:
        keys = ["pages", "cold_s", "warm_s", "peak_mb", "ratio", "load"]
        if args.session_candidates:
            keys += ["session_documents", "session_pages", "session_s", "session_render_median_s", "session_load"]
        print(json.dumps({k: figures[k] for k in keys} | {"session_candidates": args.session_candidates}))


if __name__ == "__main__":
    main()
