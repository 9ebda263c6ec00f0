"""A candidate's copy of their data: one ZIP with a JSON document and every file they uploaded.

The archive is written to a temporary file, file by file in chunks (never a whole file in
memory), then streamed by the view. What it holds (``export_data``): the account, and for each
dossier its certification, states and dates, blocs, experiences, statements, proofs (metadata,
and the file itself), identity document, transitions (with the certifier's motifs), every
submitted version with its full content, convocations, the generated PDFs when there are any,
the audit rows of what the candidate did, the dossier's message thread (with its attachments
and read receipts) and the certifier staff's annotations on the dossier (docs/messaging.md: the
right of access covers opinions about the person). Other people appear only as a role
("certificateur ou jury"), never by name.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from typing import IO, Any

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import get_valid_filename

from accompaniment import privacy as accompaniment_privacy
from audit.models import AuditEvent
from dossiers.models import CivilIdentity, CompetencyStatement, Dossier, Feasibility, TransitionLog
from dossiers.snapshots import feasibility_content
from juries.enums import MinutesStatus
from juries.models import Convocation, Decision
from messaging.models import Annotation, Message, MessageRead, Side

JSON_NAME = "mes-donnees.json"
README_NAME = "LISEZMOI.txt"
CHUNK = 1024 * 1024
README = """Vos données du portail VAE, exportées le {date}.

- {json} : votre compte et chacun de vos dossiers (expériences, déclarations de compétence,
  preuves, versions déposées, changements d'état et décisions, convocations, messages échangés
  avec le certificateur et ses annotations sur votre dossier), au format JSON.
- dossiers/<numéro>/ : les fichiers que vous avez déposés (preuves, pièce d'identité, pièces
  jointes des messages) et les PDF produits par le portail. Chaque fichier est cité dans le
  JSON avec son empreinte SHA-256.
"""


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _by(actor_id: int | None, user) -> str:
    if actor_id is None:
        return "système"
    return "vous" if actor_id == user.pk else "certificateur ou jury"


def _safe(name: str, default: str) -> str:
    try:
        return get_valid_filename(name)[:120] or default
    except Exception:  # get_valid_filename refuses names it would empty
        return default


class _Files:
    """The files to put in the archive, each under a unique path, cited in the JSON."""

    def __init__(self):
        self.items: list[tuple[str, Any]] = []

    def add(self, folder: str, name: str, field) -> str | None:
        if not field:
            return None
        path = f"{folder}/{name}"
        self.items.append((path, field))
        return path


def _dossiers(user):
    return (
        Dossier.objects.filter(candidate=user)
        .select_related("certification")
        .prefetch_related(
            "target_blocks",
            "acquired_blocks",
            "experiences",
            "proofs",
            "snapshots",
            Prefetch("transitions", queryset=TransitionLog.objects.order_by("created_at", "pk")),
            Prefetch(
                "statements",
                queryset=CompetencyStatement.objects.select_related("competency__block")
                .prefetch_related("experiences", "proofs")
                .order_by("competency__block__order", "competency__order"),
            ),
            Prefetch("convocations", queryset=_convocations()),
            Prefetch(
                "messages",
                queryset=Message.objects.select_related("organisation")
                .prefetch_related(
                    "attachments", Prefetch("reads", queryset=MessageRead.objects.order_by("read_at", "pk"))
                )
                .order_by("created_at", "pk"),
            ),
            Prefetch("annotations", queryset=Annotation.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk")
    )


def _convocations():
    return Convocation.objects.select_related("session").order_by("starts_at")


def _documents(dossier: Dossier, files: _Files, folder: str) -> list[dict]:
    try:
        GeneratedDocument = apps.get_model("documents", "GeneratedDocument")
    except LookupError:
        return []
    result = []
    for doc in GeneratedDocument.objects.filter(dossier=dossier).order_by("created_at", "pk"):
        result.append(
            {
                "kind": doc.kind,
                "status": doc.status,
                "created_at": _iso(doc.created_at),
                "sha256": doc.sha256,
                "file": files.add(f"{folder}/documents", f"{doc.pk}-{_safe(doc.download_name, 'doc.pdf')}", doc.file),
            }
        )
    return result


def _dossier(dossier: Dossier, user, files: _Files) -> dict[str, Any]:
    folder = f"dossiers/{dossier.pk}"
    cert = dossier.certification
    identity = None
    if dossier.identity_document:
        name = _safe(dossier.identity_document_name, "piece-identite")
        identity = {
            "name": dossier.identity_document_name,
            "sha256": dossier.identity_document_sha256,
            "file": files.add(f"{folder}/piece-identite", name, dossier.identity_document),
        }
    return {
        "id": dossier.pk,
        "certification": {"code": cert.code, "title": cert.title, "version": cert.version, "level": cert.level},
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "created_at": _iso(dossier.created_at),
        "updated_at": _iso(dossier.updated_at),
        "feasibility_submitted_at": _iso(dossier.feasibility_submitted_at),
        "validation_submitted_at": _iso(dossier.validation_submitted_at),
        "sworn_statement_at": _iso(dossier.sworn_statement_at),
        "targets_all_blocks": dossier.targets_all_blocks,
        "target_blocks": [{"code": b.code, "title": b.title} for b in dossier.target_blocks.all()],
        "acquired_blocks": [{"code": b.code, "title": b.title} for b in dossier.acquired_blocks.all()],
        "identity_document": identity,
        "experiences": [
            {
                "id": e.pk,
                "kind": e.kind,
                "kind_label": str(e.get_kind_display()),
                "organisation": e.organisation,
                "role": e.role,
                "start_date": _iso(e.start_date),
                "end_date": _iso(e.end_date),
                "hours_per_week": str(e.hours_per_week) if e.hours_per_week is not None else None,
                "total_hours": e.total_hours,
                "activities": e.activities,
            }
            for e in dossier.experiences.all()
        ],
        "statements": [
            {
                "competency": {
                    "block": s.competency.block.code or s.competency.block.title,
                    "code": s.competency.code,
                    "text": s.competency.text,
                },
                "self_assessment": s.self_assessment,
                "self_comment": s.self_comment,
                "narrative": s.narrative,
                "version": s.version,
                "updated_at": _iso(s.updated_at),
                "experiences": sorted(e.pk for e in s.experiences.all()),
                "proofs": sorted(p.pk for p in s.proofs.all()),
            }
            for s in dossier.statements.all()
        ],
        "proofs": [
            {
                "id": p.pk,
                "title": p.title,
                "kind": p.kind,
                "kind_label": str(p.get_kind_display()),
                "date": _iso(p.date),
                "description": p.description,
                "original_name": p.original_name,
                "content_type": p.content_type,
                "size": p.size,
                "sha256": p.sha256,
                "uploaded_at": _iso(p.uploaded_at),
                "file": files.add(f"{folder}/preuves", f"{p.pk}-{_safe(p.original_name, 'preuve')}", p.file),
            }
            for p in dossier.proofs.all()
        ],
        "transitions": [
            {
                "at": _iso(t.created_at),
                "from": t.from_status,
                "to": t.to_status,
                "to_label": str(t.get_to_status_display()),
                "by": _by(t.actor_id, user),
                "comment": t.comment,
            }
            for t in dossier.transitions.all()
        ],
        "submitted_versions": [
            {
                "kind": s.kind,
                "number": s.number,
                "created_at": _iso(s.created_at),
                "sha256": s.sha256,
                "content": s.content,
            }
            for s in sorted(dossier.snapshots.all(), key=lambda s: (s.kind, s.number))
        ],
        "convocations": [
            {
                "session_starts_at": _iso(c.session.starts_at),
                "place": c.session.place,
                "video_link": c.session.video_link,
                "starts_at": _iso(c.starts_at),
                "ends_at": _iso(c.ends_at),
                "status": c.status,
                "attendance": c.attendance,
                "notice": c.notice,
            }
            for c in dossier.convocations.all()
        ],
        "documents": _documents(dossier, files, folder),
        "jury_decisions": _jury_decisions(dossier, files, folder),
        # The dossier de faisabilité as it stands (what was submitted is in "submitted_versions"),
        # and the civil identity the candidate gave for it and for the Caisse des Dépôts.
        "dossier_de_faisabilite": feasibility_content(dossier)
        if Feasibility.objects.filter(dossier=dossier).exists()
        else None,
        "civil_identity": _civil_identity(dossier),
        "messages": _messages(dossier, user, files, folder),
        "certifier_annotations": [
            {
                "written_at": _iso(a.created_at),
                "by": "certificateur",
                "text": a.text,
                "to_handle_before_decision": a.blocks_decision,
                "handled_at": _iso(a.resolved_at),
            }
            for a in dossier.annotations.all()
        ],
        "accompaniments": accompaniment_privacy.export(dossier),
    }


def _message_side(message: Message) -> str:
    """Who wrote a message, as a role (staff never by name)."""
    if message.side == Side.CANDIDATE:
        return "vous"
    if message.side == Side.ACCOMPAGNATEUR:
        return f"accompagnateur ({message.organisation.name})" if message.organisation else "accompagnateur"
    return "certificateur"


def _messages(dossier: Dossier, user, files: _Files, folder: str) -> list[dict]:
    """The thread: each message, its attachments (files in the archive) and when it was read."""
    return [
        {
            "sent_at": _iso(m.created_at),
            "by": _message_side(m),
            "text": m.text,
            "requests_correction": m.requests_correction,
            "attachments": [
                {
                    "name": a.original_name,
                    "sha256": a.sha256,
                    "file": files.add(f"{folder}/messages", f"{a.pk}-{_safe(a.original_name, 'piece-jointe')}", a.file),
                }
                for a in m.attachments.all()
            ],
            "read_at": [_iso(r.read_at) for r in m.reads.all() if r.reader_id != user.pk],
        }
        for m in dossier.messages.all()
    ]


def _jury_decisions(dossier: Dossier, files: _Files, folder: str) -> list[dict]:
    """The jury's decisions once their procès-verbal is final (what the candidate can read), with
    the letter and attestation; the members' scorings are the jury's working papers."""
    decisions = (
        Decision.objects.filter(dossier=dossier, convocation__session__minutes__status=MinutesStatus.FINAL)
        .prefetch_related(
            "items__block", "items__assessment_method", "items__competencies_to_prove", "convocation__documents"
        )
        .order_by("decided_at", "pk")
    )
    return [
        {
            "result": d.result,
            "decided_at": _iso(d.decided_at),
            "comment": d.comment,
            "revoked_at": _iso(d.revoked_at),
            "revocation_reason": d.revocation_reason,
            "blocks": [
                {
                    "block": i.label,
                    "validated": i.validated,
                    "justification": i.justification,
                    "competencies_to_prove": [f"{c.code} {c.text}".strip() for c in i.competencies_to_prove.all()],
                    "recommendations": i.recommendations,
                }
                for i in d.items.all()
            ],
            "documents": [
                {
                    "kind": doc.kind,
                    "sha256": doc.sha256,
                    "file": files.add(f"{folder}/jury", f"{doc.pk}-{_safe(doc.download_name, 'doc.pdf')}", doc.file),
                }
                for doc in (d.convocation.documents.all() if d.in_force else [])  # the letters state it
            ],
        }
        for d in decisions
    ]


def export_data(user, files: _Files | None = None) -> dict[str, Any]:
    """Everything the portal holds about ``user`` as a candidate, as one JSON-ready document."""
    files = files if files is not None else _Files()
    dossiers = list(_dossiers(user))
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "dossiers": [_dossier(d, user, files) for d in dossiers],
        "your_actions": [
            {
                "at": _iso(e.created_at),
                "until": _iso(e.updated_at) if e.saves > 1 else None,
                "action": e.action,
                "label": e.label,
                "dossier": e.dossier_id,
                "object": e.target_repr,
                "changes": e.changes,
                "saves": e.saves,
            }
            for e in AuditEvent.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }


def archive_name() -> str:
    return f"mes-donnees-vae-{timezone.localdate().isoformat()}.zip"


def write_archive(user, out: IO[bytes]) -> dict[str, Any]:
    """Write ``user``'s ZIP to the binary file ``out``; returns the JSON document."""
    files = _Files()
    data = export_data(user, files)
    missing = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, field in files.items:
            try:
                source = field.open("rb")
            except FileNotFoundError:
                missing.append(path)
                continue
            with source, archive.open(zipfile.ZipInfo(path, _now_tuple()), "w") as target:
                shutil.copyfileobj(source, target, CHUNK)
        data["missing_files"] = missing
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(README_NAME, README.format(date=timezone.localdate().isoformat(), json=JSON_NAME))
    return data


def _now_tuple() -> tuple:
    return timezone.localtime().timetuple()[:6]


def _civil_identity(dossier: Dossier) -> dict[str, Any] | None:
    identity = CivilIdentity.objects.filter(dossier=dossier).first()
    if identity is None:
        return None
    return {
        f.name: (value.isoformat() if hasattr(value, "isoformat") else value)
        for f in CivilIdentity._meta.concrete_fields
        if f.name not in ("id", "dossier") and not f.is_relation
        for value in [getattr(identity, f.name)]
    }
