"""The large demo data set's dossiers (``seed_demo --candidates N``): one candidate's dossier in a
given state, with what a real one holds at that point: experiences, proofs (small generated
files), statements with narratives of realistic length, the transition log and the submitted
snapshots. Rows are written through ``core.bulk`` (no services: the data is made, not lived).

The orchestration (candidates, states, jury sessions) is in ``vae_portal.bulk_demo``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from certifications.models import Certification
from core.bulk import RawJSON, Table, TableGroup
from dossiers.enums import DossierStatus, ExperienceKind, ProofKind, ScanStatus, SelfAssessment, SnapshotKind
from dossiers.models import (
    STAGE2_STATES,
    CompetencyStatement,
    Dossier,
    Experience,
    Proof,
    Snapshot,
    TransitionLog,
)

S = DossierStatus
ASSESSMENTS = list(SelfAssessment.values)
EXPERIENCE_KINDS = list(ExperienceKind.values)
PROOF_KIND_LABELS = {k.value: str(k.label) for k in ProofKind}

# The path that leads to each state (the withdrawn ones left during stage 2).
PATHS: dict[str, list[str]] = {
    S.DRAFT: [S.DRAFT],
    S.FEASIBILITY_SUBMITTED: [S.DRAFT, S.FEASIBILITY_SUBMITTED],
    S.FEASIBILITY_INCOMPLETE: [S.DRAFT, S.FEASIBILITY_SUBMITTED, S.FEASIBILITY_INCOMPLETE],
    S.INADMISSIBLE: [S.DRAFT, S.FEASIBILITY_SUBMITTED, S.INADMISSIBLE],
    S.ADMISSIBLE: [S.DRAFT, S.FEASIBILITY_SUBMITTED, S.ADMISSIBLE],
    S.VALIDATION_SUBMITTED: [S.DRAFT, S.FEASIBILITY_SUBMITTED, S.ADMISSIBLE, S.VALIDATION_SUBMITTED],
    S.VALIDATION_INCOMPLETE: [
        S.DRAFT,
        S.FEASIBILITY_SUBMITTED,
        S.ADMISSIBLE,
        S.VALIDATION_SUBMITTED,
        S.VALIDATION_INCOMPLETE,
    ],
    S.READY_FOR_JURY: [S.DRAFT, S.FEASIBILITY_SUBMITTED, S.ADMISSIBLE, S.VALIDATION_SUBMITTED, S.READY_FOR_JURY],
    S.SCHEDULED: [
        S.DRAFT,
        S.FEASIBILITY_SUBMITTED,
        S.ADMISSIBLE,
        S.VALIDATION_SUBMITTED,
        S.READY_FOR_JURY,
        S.SCHEDULED,
    ],
    S.DECIDED: [
        S.DRAFT,
        S.FEASIBILITY_SUBMITTED,
        S.ADMISSIBLE,
        S.VALIDATION_SUBMITTED,
        S.READY_FOR_JURY,
        S.SCHEDULED,
        S.DECIDED,
    ],
    S.WITHDRAWN: [S.DRAFT, S.FEASIBILITY_SUBMITTED, S.ADMISSIBLE, S.WITHDRAWN],
}

COMMENTS = {
    S.FEASIBILITY_INCOMPLETE: "Merci de préciser la durée de votre expérience de coordination.",
    S.INADMISSIBLE: "L'expérience décrite ne se rapporte pas aux activités de la certification visée.",
    S.ADMISSIBLE: "Votre expérience est en rapport direct avec la certification.",
    S.VALIDATION_INCOMPLETE: "Il manque une preuve pour le bloc 2 : ajoutez un compte rendu de réunion.",
    S.READY_FOR_JURY: "Dossier complet.",
    S.WITHDRAWN: "Le candidat abandonne sa démarche.",
}

ORGANISATIONS = [
    "Association Solidarités Nouvelles",
    "Centre social des Trois Cités",
    "Mairie de Villeurbanne",
    "Secours populaire — fédération du Rhône",
    "Emmaüs Connect",
    "Régie de quartier Nord",
    "Maison des jeunes et de la culture",
    "Coopérative Oxalis",
    "Restos du Cœur — antenne de Lille",
    "EHPAD Les Tilleuls",
    "Fondation Abbé Pierre",
    "Croix-Rouge française",
    "Banque alimentaire de l'Hérault",
    "Le Mouvement associatif",
]
ROLES = [
    "coordinatrice de projets",
    "chargé de mission",
    "animateur socioculturel",
    "responsable d'antenne",
    "bénévole référente",
    "chef de projet",
    "conseiller en insertion",
    "directrice adjointe",
    "trésorier",
]
ACTIVITIES = [
    "J'ai organisé les permanences d'accueil et suivi une file active de quarante familles.",
    "J'ai préparé le budget prévisionnel annuel et les demandes de subvention auprès du département.",
    "J'ai animé les réunions d'équipe hebdomadaires et rédigé les comptes rendus.",
    "J'ai recruté, formé et accompagné une vingtaine de bénévoles.",
    "J'ai conduit le diagnostic de territoire avec les partenaires locaux.",
    "J'ai coordonné un projet de jardin partagé avec les habitants du quartier.",
    "J'ai représenté la structure au comité de pilotage du contrat de ville.",
    "J'ai mis en place un tableau de bord de suivi des actions et de leurs résultats.",
]
SENTENCES = [
    "En septembre, la structure a dû réorganiser l'accueil après le départ de deux salariés.",
    "J'ai d'abord réuni l'équipe pour faire le point sur les besoins et les moyens disponibles.",
    "Nous avons établi ensemble un calendrier et réparti les rôles de chacun.",
    "J'ai rédigé une note de cadrage présentée au bureau de l'association, qui l'a validée.",
    "Avec la chargée de communication, j'ai préparé des supports adaptés aux différents publics.",
    "Les premières semaines, la fréquentation a été plus faible que prévu.",
    "J'ai alors proposé d'ouvrir un créneau le samedi matin et de nous associer à la médiathèque.",
    "J'ai suivi les indicateurs chaque mois et présenté un bilan intermédiaire aux financeurs.",
    "Le partenariat avec le centre communal d'action sociale a permis d'orienter de nouvelles familles.",
    "Une difficulté est apparue lorsque deux bénévoles se sont opposés sur l'organisation des distributions.",
    "J'ai reçu chacun séparément, puis nous avons trouvé un compromis lors d'une réunion commune.",
    "À la fin de l'année, nous avions accompagné cent vingt personnes, soit trente de plus que l'objectif.",
    "Cette expérience m'a appris à anticiper les tensions et à m'appuyer sur les compétences de l'équipe.",
    "J'ai construit un budget de 48 000 € en distinguant les charges fixes et les charges liées au projet.",
    "Pour évaluer l'action, j'ai conçu un questionnaire rempli par les participants à chaque atelier.",
    "Les résultats ont été présentés à l'assemblée générale et ont servi à préparer l'année suivante.",
    "J'ai veillé au respect du règlement général sur la protection des données dans nos fichiers.",
    "La collectivité a renouvelé son soutien sur trois ans, sur la base du bilan que j'avais rédigé.",
    "J'ai formé deux nouveaux salariés à l'utilisation de l'outil de suivi des bénéficiaires.",
    "Nous avons adapté le projet en cours de route, quand le local prévu est devenu indisponible.",
    "J'ai sollicité un bailleur social qui nous a prêté un appartement en rez-de-chaussée.",
    "Chaque trimestre, je réunissais le comité de suivi avec les partenaires et des habitants.",
    "J'ai négocié avec le fournisseur un tarif solidaire pour le matériel des ateliers.",
    "Ce projet a renforcé la place de l'association dans le réseau local de l'économie sociale et solidaire.",
]
PROOF_TITLES = [
    ("Attestation d'emploi", ProofKind.ATTESTATION),
    ("Compte rendu du comité de pilotage", ProofKind.WORK_DOCUMENT),
    ("Budget prévisionnel du projet", ProofKind.PRODUCTION),
    ("Bilan d'activité annuel", ProofKind.PRODUCTION),
    ("Photo de l'atelier de quartier", ProofKind.PHOTO),
    ("Fiche de poste", ProofKind.WORK_DOCUMENT),
    ("Attestation de bénévolat", ProofKind.ATTESTATION),
    ("Convention de partenariat", ProofKind.WORK_DOCUMENT),
]


@dataclass
class BlockPlan:
    id: int
    code: str
    title: str
    order: int
    competencies: list[dict[str, Any]]


@dataclass
class CertificationPlan:
    """What a generated dossier needs of a published certification, read once."""

    id: int
    code: str
    title: str
    level: int | None
    version: int
    certifiers: list[str]
    blocks: list[BlockPlan] = field(default_factory=list)


def certification_plans() -> list[CertificationPlan]:
    plans = []
    certifications = (
        Certification.objects.published().prefetch_related("certifiers", "blocks__competencies").order_by("pk")
    )
    for cert in certifications:
        blocks = [
            BlockPlan(
                id=b.pk,
                code=b.code,
                title=b.title,
                order=b.order,
                competencies=[
                    {"id": c.pk, "code": c.code, "group": c.group, "text": c.text}
                    for c in sorted(b.competencies.all(), key=lambda c: c.order)
                ],
            )
            for b in sorted(cert.blocks.all(), key=lambda b: b.order)
        ]
        if blocks:
            plans.append(
                CertificationPlan(
                    id=cert.pk,
                    code=cert.code,
                    title=cert.title,
                    level=cert.level,
                    version=cert.version,
                    certifiers=[str(c) for c in cert.certifiers.all()],
                    blocks=blocks,
                )
            )
    return plans


class DossierTables(TableGroup):
    """The tables a batch of generated dossiers fills, flushed together (parents first)."""

    def __init__(self, now: dt.datetime):
        self.dossier = Table(Dossier, now)
        self.target_blocks = Table(Dossier.target_blocks.through, now)
        self.transition = Table(TransitionLog, now)
        self.experience = Table(Experience, now)
        self.proof = Table(Proof, now)
        self.statement = Table(CompetencyStatement, now)
        self.statement_proofs = Table(CompetencyStatement.proofs.through, now)
        self.statement_experiences = Table(CompetencyStatement.experiences.through, now)
        self.snapshot = Table(Snapshot, now)

    def tables(self) -> list[Table]:
        return [
            self.dossier,
            self.target_blocks,
            self.transition,
            self.experience,
            self.proof,
            self.statement,
            self.statement_proofs,
            self.statement_experiences,
            self.snapshot,
        ]


@dataclass
class BuiltDossier:
    id: int
    candidate_id: int
    status: str
    plan: CertificationPlan
    blocks: list[BlockPlan]
    targets_all_blocks: bool
    last_at: dt.datetime
    snapshots: dict[str, tuple[int, dt.datetime]] = field(default_factory=dict)  # kind → (id, submitted at)


def narrative(rng: random.Random) -> str:
    """Four to ten sentences: 400 to 1,300 characters, what candidates write for one compétence."""
    return " ".join(rng.sample(SENTENCES, rng.randint(4, 10)))


def _proof_file(dossier_id: int, proof_id: int, title: str) -> tuple[str, bytes]:
    """A small one-page PDF naming the proof (written once; the name is unique per proof)."""
    return f"proofs/{dossier_id}/bulk-{proof_id}.pdf", small_pdf(title)


def small_pdf(title: str) -> bytes:
    """A valid one-page PDF of a few hundred bytes showing ``title``."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
        b"4 0 obj<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream endobj\n"
        b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body


def build_dossier(
    tables: DossierTables,
    rng: random.Random,
    *,
    candidate_id: int,
    candidate_name: str,
    candidate_email: str,
    plan: CertificationPlan,
    status: str,
    started_at: dt.datetime,
    reviewer_id: int | None,
    write_files: bool = True,
) -> BuiltDossier:
    dossier_id = tables.dossier.new_id()
    targets_all = len(plan.blocks) == 1 or rng.random() < 0.6
    blocks = plan.blocks if targets_all else rng.sample(plan.blocks, rng.randint(1, len(plan.blocks) - 1))
    blocks = sorted(blocks, key=lambda b: b.order)
    if not targets_all:
        for b in blocks:
            tables.target_blocks.add(dossier_id=dossier_id, block_id=b.id)

    # The transition log, a few days to a few weeks apart.
    path = PATHS[status]
    at = started_at
    times: dict[str, dt.datetime] = {}
    previous = S.DRAFT
    for step in path:
        if step == S.DRAFT:
            tables.transition.add(
                dossier_id=dossier_id,
                from_status=S.DRAFT,
                to_status=S.DRAFT,
                actor_id=candidate_id,
                comment="Dossier créé",
                created_at=at,
            )
        else:
            at += dt.timedelta(days=rng.randint(3, 30), minutes=rng.randint(0, 600))
            candidate_moves = step in {S.FEASIBILITY_SUBMITTED, S.VALIDATION_SUBMITTED, S.WITHDRAWN}
            tables.transition.add(
                dossier_id=dossier_id,
                from_status=previous,
                to_status=step,
                actor_id=candidate_id if candidate_moves else reviewer_id,
                comment=COMMENTS.get(step, ""),
                created_at=at,
            )
        times.setdefault(step, at)
        previous = step

    # Experiences: one to four.
    experience_ids = []
    start = started_at.date() - dt.timedelta(days=rng.randint(3 * 365, 15 * 365))
    for order in range(rng.randint(1, 4)):
        end = start + dt.timedelta(days=rng.randint(200, 1500))
        ongoing = end >= started_at.date()
        experience_ids.append(
            tables.experience.add(
                dossier_id=dossier_id,
                kind=rng.choice(EXPERIENCE_KINDS),
                organisation=rng.choice(ORGANISATIONS),
                role=rng.choice(ROLES),
                start_date=start,
                end_date=None if ongoing else end,
                hours_per_week=rng.choice([None, 17.5, 24, 35]),
                total_hours=rng.choice([None, 800, 1600, 3200]),
                activities=" ".join(rng.sample(ACTIVITIES, rng.randint(2, 5))),
                order=order,
            )
        )
        start = end + dt.timedelta(days=rng.randint(0, 120))

    # Proofs: from the recevabilité request on, one to four small PDFs.
    proofs: list[dict[str, Any]] = []
    if write_files:
        folder = Path(settings.MEDIA_ROOT) / "proofs" / str(dossier_id)
    if status != S.DRAFT or rng.random() < 0.5:
        if write_files:
            os.makedirs(folder, exist_ok=True)
        for title, kind in rng.sample(PROOF_TITLES, rng.randint(1, 4)):
            proof_id = tables.proof.new_id()
            name, body = _proof_file(dossier_id, proof_id, f"{title} — {candidate_name}")
            if write_files:
                with open(folder / name.rsplit("/", 1)[1], "wb") as f:
                    f.write(body)
            sha = hashlib.sha256(body).hexdigest()
            proof = {
                "id": proof_id,
                "dossier_id": dossier_id,
                "title": title,
                "kind": kind,
                "date": (started_at - dt.timedelta(days=rng.randint(30, 900))).date(),
                "description": "",
                "file": name,
                "original_name": f"{title.lower().replace(' ', '-')}.pdf",
                "content_type": "application/pdf",
                "size": len(body),
                "sha256": sha,
                "pages": 1,
                "uploaded_at": started_at + dt.timedelta(days=1),
                "scan_status": ScanStatus.CLEAN,
                "scan_updated_at": started_at + dt.timedelta(days=1),
            }
            tables.proof.add(**proof)
            proofs.append(proof)

    # Statements: self-positioning in stage 1, narratives in stage 2 (all of them once submitted).
    in_stage2 = status in STAGE2_STATES or (status == S.WITHDRAWN)
    submitted2 = S.VALIDATION_SUBMITTED in path
    content_blocks = []
    for block in blocks:
        competencies = []
        for comp in block.competencies:
            written = in_stage2 and (submitted2 or rng.random() < 0.6)
            positioned = written or rng.random() < 0.3
            statement = {"self_assessment": "", "narrative": "", "experiences": [], "proofs": []}
            if positioned:
                statement = {
                    "self_assessment": rng.choices(ASSESSMENTS, weights=[6, 3, 1])[0],
                    "narrative": narrative(rng) if written else "",
                    "experiences": sorted(rng.sample(experience_ids, 1)) if written else [],
                    "proofs": sorted(p["id"] for p in rng.sample(proofs, min(len(proofs), rng.randint(0, 2))))
                    if written
                    else [],
                }
            # Every targeted compétence has its statement from the start (dossiers.services.start_dossier).
            statement_id = tables.statement.add(
                dossier_id=dossier_id,
                competency_id=comp["id"],
                self_assessment=statement["self_assessment"],
                narrative=statement["narrative"],
                version=(rng.randint(2, 40) if written else 1) if positioned else 0,
                updated_at=at if positioned else started_at,
            )
            for e in statement["experiences"]:
                tables.statement_experiences.add(competencystatement_id=statement_id, experience_id=e)
            for p in statement["proofs"]:
                tables.statement_proofs.add(competencystatement_id=statement_id, proof_id=p)
            competencies.append(
                {
                    **comp,
                    "self_assessment": statement["self_assessment"],
                    "self_comment": "",
                    "narrative": statement["narrative"],
                    "experiences": statement["experiences"],
                    "proofs": statement["proofs"],
                }
            )
        content_blocks.append(
            {
                "id": block.id,
                "code": block.code,
                "title": block.title,
                "order": block.order,
                "competencies": competencies,
            }
        )

    # The snapshots of what was submitted (content as dossiers.snapshots.build_content makes it).
    snapshots: dict[str, tuple[int, dt.datetime]] = {}

    def snapshot(kind: str, number: int, when: dt.datetime) -> None:
        blocks = content_blocks
        if kind == SnapshotKind.FEASIBILITY:
            # Stage 1 froze the self-positioning only: the narratives came after admissibility.
            blocks = [
                {
                    **b,
                    "competencies": [
                        {**c, "narrative": "", "experiences": [], "proofs": []} for c in b["competencies"]
                    ],
                }
                for b in content_blocks
            ]
        content = {
            "dossier": dossier_id,
            "candidate": {"name": candidate_name, "email": candidate_email},
            "certification": {
                "id": plan.id,
                "code": plan.code,
                "title": plan.title,
                "level": plan.level,
                "version": plan.version,
                "certifiers": plan.certifiers,
            },
            "targets_all_blocks": targets_all,
            "acquired_blocks": [],
            "sworn_statement_at": times[S.FEASIBILITY_SUBMITTED].isoformat(),
            "identity_document": None,
            "experiences": [],
            "proofs": [
                {
                    "id": p["id"],
                    "title": p["title"],
                    "kind": p["kind"],
                    "kind_label": PROOF_KIND_LABELS[p["kind"]],
                    "date": p["date"].isoformat(),
                    "description": "",
                    "file_name": p["original_name"],
                    "content_type": p["content_type"],
                    "size": p["size"],
                    "sha256": p["sha256"],
                }
                for p in proofs
            ],
            "blocks": blocks,
        }
        # Serialised once, as dossiers.snapshots.canonical_sha256 does, for the hash and the row.
        raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        snapshots[kind] = (tables.snapshot.new_id(), when)
        tables.snapshot.add(
            id=snapshots[kind][0],
            dossier_id=dossier_id,
            kind=kind,
            number=number,
            content=RawJSON(raw),
            sha256=hashlib.sha256(raw.encode()).hexdigest(),
            created_at=when,
            created_by_id=candidate_id,
        )

    if S.FEASIBILITY_SUBMITTED in times:
        snapshot(SnapshotKind.FEASIBILITY, 1, times[S.FEASIBILITY_SUBMITTED])
    if S.VALIDATION_SUBMITTED in times:
        snapshot(SnapshotKind.VALIDATION, 1, times[S.VALIDATION_SUBMITTED])

    tables.dossier.add(
        id=dossier_id,
        candidate_id=candidate_id,
        certification_id=plan.id,
        status=status,
        targets_all_blocks=targets_all,
        sworn_statement_at=times.get(S.FEASIBILITY_SUBMITTED),
        feasibility_submitted_at=times.get(S.FEASIBILITY_SUBMITTED),
        validation_submitted_at=times.get(S.VALIDATION_SUBMITTED),
        created_at=started_at,
        updated_at=at,
    )
    return BuiltDossier(
        id=dossier_id,
        candidate_id=candidate_id,
        status=status,
        plan=plan,
        blocks=blocks,
        targets_all_blocks=targets_all,
        last_at=at,
        snapshots=snapshots,
    )
