"""The operations of /api/v1/. Each one: scope check → the back office's scoping queryset for the
token's account → ``get_object_or_404`` → one service call (writes) → a schema.

Reads need ``lecture``; recevabilité and validation decisions ``decisions``; convocations
``jury``; referential drafts and publication ``referentiels``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Status

from api import schemas as s
from api import services as api_services
from api.auth import require_scope
from api.main import api
from api.models import Scope
from backoffice.permissions import (
    certifications_for,
    decisions_for,
    dossiers_for,
    listed_dossiers_for,
    sessions_for,
)
from certifications import services as certification_services
from certifications.models import Block, Certification, RubricCriterion
from core import file_access
from core.errors import DomainError
from core.files import serve_file
from core.search import between_days, search_people
from documents.models import GeneratedDocument
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus, SnapshotKind
from dossiers.models import Dossier, Proof
from dossiers.permissions import file_released, is_submitted_file
from juries import services as jury_services
from juries.enums import MinutesStatus
from juries.models import Convocation, Decision, JuryDocument, JurySession

ERRORS = {400: s.Problem, 401: s.Problem, 403: s.Problem, 404: s.Problem, 422: s.Problem, 429: s.Problem}
WRITE_ERRORS = {**ERRORS, 409: s.Problem}
S = DossierStatus
MAX_ID = 2**63 - 1  # the largest primary key either database stores


class Pagination(s.Schema):
    decalage: int = s.F("Résultats à sauter", "Results to skip (offset)", 0, ge=0, le=1_000_000)
    limite: int = s.F("Résultats par page (100 au plus)", "Results per page (at most 100)", 20, ge=1, le=100)


def _page(queryset, pagination: Pagination, convert) -> dict:
    total = queryset.count()
    rows = queryset[pagination.decalage : pagination.decalage + pagination.limite]
    return {
        "total": total,
        "decalage": pagination.decalage,
        "limite": pagination.limite,
        "donnees": [convert(r) for r in rows],
    }


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


# --- certifications ------------------------------------------------------------------------


def _cert_summary(c: Certification) -> dict:
    return {
        "id": c.pk,
        "lignee": str(c.lineage),
        "version": c.version,
        "statut": c.status,
        "codeRncp": c.code,
        "intitule": c.title,
        "niveau": c.level,
        "publieeLe": c.published_at,
    }


def _cert_ref(c: Certification) -> dict:
    return {"id": c.pk, "codeRncp": c.code, "intitule": c.title, "version": c.version}


def _cert_detail(c: Certification) -> dict:
    blocks = list(c.blocks.prefetch_related("competencies").order_by("order"))
    rubrics = c.rubrics.prefetch_related(
        "levels", Prefetch("criteria", queryset=RubricCriterion.objects.prefetch_related("competencies"))
    ).order_by("pk")
    return {
        **_cert_summary(c),
        "certificateurs": [str(o) for o in c.certifiers.all()],
        "validationPartielle": c.partial_validation,
        "blocs": [
            {
                "id": b.pk,
                "code": b.code,
                "intitule": b.title,
                "ordre": b.order,
                "competences": [
                    {"id": k.pk, "code": k.code, "groupe": k.group, "enonce": k.text, "ordre": k.order}
                    for k in b.competencies.all()
                ],
            }
            for b in blocks
        ],
        "modalites": [
            {
                "id": m.pk,
                "bloc": m.block_id,
                "type": m.kind,
                "intitule": m.title,
                "description": m.description,
                "duree": m.duration,
                "longueur": m.length,
            }
            for m in c.assessment_methods.order_by("block__order", "order", "pk")
        ],
        "grilles": [
            {
                "id": r.pk,
                "bloc": r.block_id,
                "modalite": r.assessment_method_id,
                "intitule": r.title,
                "seuilReussitePourcent": r.pass_threshold_percent,
                "aucunNiveauMinimal": r.no_minimum_level,
                "niveaux": [{"id": lv.pk, "libelle": lv.label, "points": lv.points} for lv in r.levels.all()],
                "criteres": [
                    {
                        "id": cr.pk,
                        "texte": cr.text,
                        "ponderation": float(cr.weight),
                        "competences": sorted(k.pk for k in cr.competencies.all()),
                    }
                    for cr in r.criteria.all()
                ],
            }
            for r in rubrics
        ],
    }


@api.get("/certifications", response={200: s.Page[s.CertificationSummary], **ERRORS}, tags=["référentiels"])
def list_certifications(request, pagination: Query[Pagination]):
    """Les certifications (toutes versions) de l'organisme — the organisation's certifications."""
    require_scope(request, Scope.READ)
    qs = certifications_for(request.user).order_by("code", "lineage", "version", "pk")
    return _page(qs, pagination, _cert_summary)


@api.get("/certifications/{id}", response={200: s.Certification, **ERRORS}, tags=["référentiels"])
def get_certification(request, id: int):
    """Une version avec ses blocs, compétences, modalités et grilles — a version with its parts."""
    require_scope(request, Scope.READ)
    return _cert_detail(get_object_or_404(certifications_for(request.user), pk=id))


@api.post("/referentiels", response={201: list[s.CertificationSummary], **WRITE_ERRORS}, tags=["référentiels"])
def import_referential(request, document: s.ReferentialDocument):
    """Crée des brouillons depuis le format d'échange, tout ou rien — drafts from the exchange format."""
    require_scope(request, Scope.REFERENTIALS)
    # The document as sent (the schema only checks its outline): the exchange format's reader
    # says what is wrong, and where, in French.
    data = json.loads(request.body)
    created = certification_services.import_referential(data, request.user, certifications_for(request.user))
    return Status(201, [_cert_summary(c) for c in created])


@api.post(
    "/certifications/{id}/publication", response={200: s.CertificationSummary, **WRITE_ERRORS}, tags=["référentiels"]
)
def publish_certification(request, id: int):
    """Publie un brouillon (la version publiée précédente est archivée) — publish a draft."""
    require_scope(request, Scope.REFERENTIALS)
    cert = get_object_or_404(certifications_for(request.user), pk=id)
    return _cert_summary(certification_services.publish(cert, actor=request.user))


# --- candidatures --------------------------------------------------------------------------


def _candidature(d: Dossier, history: bool = False) -> dict:
    targeted = list(d.certification.blocks.all()) if d.targets_all_blocks else list(d.target_blocks.all())
    acquired = list(d.acquired_blocks.all())
    acquired_ids = {b.pk for b in acquired}

    def ref(b: Block) -> dict:
        return {"id": b.pk, "code": b.code, "intitule": b.title}

    data = {
        "id": d.pk,
        "etat": d.status,
        "etatLibelle": str(d.get_status_display()),
        "candidat": {"nom": d.candidate.last_name, "prenom": d.candidate.first_name, "email": d.candidate.email},
        "certification": _cert_ref(d.certification),
        "estViseePartiellement": not d.targets_all_blocks,
        "blocsVises": [ref(b) for b in sorted(targeted, key=lambda b: b.order) if b.pk not in acquired_ids],
        "blocsAcquis": [ref(b) for b in acquired],
        "recevabiliteDemandeeLe": d.feasibility_submitted_at,
        "dossierDeValidationDeposeLe": d.validation_submitted_at,
        "creeLe": d.created_at,
        "modifieLe": d.updated_at,
    }
    if history:
        data["historique"] = [
            {
                "de": t.from_status,
                "vers": t.to_status,
                "le": t.created_at,
                "par": t.actor.get_full_name() if t.actor else "",
                "commentaire": t.comment,
            }
            for t in d.transitions.select_related("actor").order_by("created_at", "pk")
        ]
    return data


class CandidatureFilters(Pagination):
    etat: DossierStatus | None = s.F("État du dossier", "Dossier state", None)
    certification: int | None = s.F("Version de certification", "Certification version id", None, ge=1, le=MAX_ID)
    lignee: str | None = s.F("Toutes les versions d'une certification", "Every version of a lineage", None)
    depuis: dt.date | None = s.F("Recevabilité demandée à partir du", "Recevabilité requested from", None)
    jusqua: dt.date | None = s.F("Recevabilité demandée jusqu'au", "Recevabilité requested until", None)
    recherche: str | None = s.F("Nom, prénom ou e-mail du candidat", "Candidate's name or e-mail", None, max_length=200)


def _dossiers(request):
    return dossiers_for(request.user).select_related("candidate", "certification")


def _listed_dossiers(request):
    return listed_dossiers_for(request.user).select_related("candidate", "certification")


def _dossier(request, id: int) -> Dossier:
    return get_object_or_404(_dossiers(request), pk=id)


@api.get("/candidatures", response={200: s.Page[s.Candidature], **ERRORS}, tags=["candidatures"])
def list_candidatures(request, filters: Query[CandidatureFilters]):
    """Les dossiers dont la recevabilité a été demandée, du plus ancien au plus récent — dossiers, oldest first."""
    require_scope(request, Scope.READ)
    qs = _listed_dossiers(request).prefetch_related("target_blocks", "acquired_blocks", "certification__blocks")
    if filters.etat:
        qs = qs.filter(status=filters.etat)
    if filters.certification:
        qs = qs.filter(certification_id=filters.certification)
    if filters.lignee:
        qs = qs.filter(certification__lineage__iexact=filters.lignee) if _is_uuid(filters.lignee) else qs.none()
    qs = between_days(qs, "feasibility_submitted_at", filters.depuis, filters.jusqua)
    qs = search_people(qs, filters.recherche or "")
    return _page(qs.order_by("feasibility_submitted_at", "pk"), filters, _candidature)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@api.get("/candidatures/{id}", response={200: s.CandidatureDetail, **ERRORS}, tags=["candidatures"])
def get_candidature(request, id: int):
    """Un dossier avec son historique — a dossier with its timeline."""
    require_scope(request, Scope.READ)
    return _candidature(_dossier(request, id), history=True)


def _experiences(content: dict) -> list[dict]:
    return [
        {
            "id": e["id"],
            "nature": e["kind"],
            "structure": e["organisation"],
            "fonction": e["role"],
            "debut": e["start_date"],
            "fin": e["end_date"],
            "heuresParSemaine": e["hours_per_week"],
            "heuresTotales": e["total_hours"],
            "activites": e["activities"],
        }
        for e in content.get("experiences", [])
    ]


def _documents(request, snapshot) -> list[dict]:
    return [_document(request, doc) for doc in snapshot.documents.order_by("pk")]


def _document(request, doc: GeneratedDocument) -> dict:
    return {
        "id": doc.pk,
        "nature": doc.kind,
        "statut": doc.status,
        "sha256": doc.sha256,
        "taille": doc.size,
        "pages": doc.pages,
        "url": _abs(request, reverse("api:document_content", args=[doc.pk])),
    }


def _decisions(dossier: Dossier, from_status: str) -> list[dict]:
    return [
        {
            "decision": t.to_status,
            "le": t.created_at,
            "par": t.actor.get_full_name() if t.actor else "",
            "commentaire": t.comment,
        }
        for t in dossier.transitions.filter(from_status=from_status).select_related("actor").order_by("created_at")
    ]


def _snapshot(dossier: Dossier, kind: str):
    snapshot = dossier.snapshots.filter(kind=kind).order_by("-number").first()
    if snapshot is None:
        raise Http404
    return snapshot


@api.get(
    "/candidatures/{id}/dossierDeFaisabilite", response={200: s.DossierDeFaisabilite, **ERRORS}, tags=["candidatures"]
)
def get_feasibility(request, id: int):
    """La dernière demande de recevabilité déposée, gelée — the latest recevabilité request, frozen."""
    require_scope(request, Scope.READ)
    dossier = _dossier(request, id)
    snapshot = _snapshot(dossier, SnapshotKind.FEASIBILITY)
    content = snapshot.content
    identity = content.get("identity_document")
    return {
        "candidature": dossier.pk,
        "numero": snapshot.number,
        "deposeLe": snapshot.created_at,
        "sha256": snapshot.sha256,
        "experiences": _experiences(content),
        "positionnement": [
            {
                "competence": c["id"],
                "code": c["code"],
                "enonce": c["text"],
                "autoPositionnement": c["self_assessment"],
                "commentaire": c["self_comment"],
            }
            for b in content.get("blocks", [])
            for c in b.get("competencies", [])
        ],
        "pieceIdentite": {"nom": identity["name"], "sha256": identity["sha256"]} if identity else None,
        "documents": _documents(request, snapshot),
        "decisions": _decisions(dossier, S.FEASIBILITY_SUBMITTED),
    }


@api.get(
    "/candidatures/{id}/dossierDeValidation", response={200: s.DossierDeValidation, **ERRORS}, tags=["candidatures"]
)
def get_validation(request, id: int):
    """Le dernier dossier de validation déposé, gelé : compétence → récit, preuves et leur empreinte."""
    require_scope(request, Scope.READ)
    dossier = _dossier(request, id)
    snapshot = _snapshot(dossier, SnapshotKind.VALIDATION)
    content = snapshot.content
    current = {p.pk: p for p in dossier.proofs.all()}
    proofs = []
    for p in content.get("proofs", []):
        stored = current.get(p["id"])
        released = is_submitted_file(stored, p) and file_released(stored.scan_status) and bool(stored.file)
        proofs.append(
            {
                "id": p["id"],
                "titre": p["title"],
                "nature": p["kind"],
                "nomFichier": p["file_name"],
                "typeMime": p["content_type"],
                "taille": p["size"],
                "sha256": p["sha256"],
                "telechargeable": released,
                "url": _abs(request, reverse("api:proof_content", args=[dossier.pk, p["id"]])) if released else None,
            }
        )
    return {
        "candidature": dossier.pk,
        "numero": snapshot.number,
        "deposeLe": snapshot.created_at,
        "sha256": snapshot.sha256,
        "blocs": [
            {
                "id": b["id"],
                "code": b["code"],
                "intitule": b["title"],
                "competences": [
                    {
                        "competence": c["id"],
                        "code": c["code"],
                        "enonce": c["text"],
                        "autoPositionnement": c["self_assessment"],
                        "recit": c["narrative"],
                        "preuves": c["proofs"],
                        "experiences": c["experiences"],
                    }
                    for c in b.get("competencies", [])
                ],
            }
            for b in content.get("blocks", [])
        ],
        "experiences": _experiences(content),
        "preuves": proofs,
        "documents": _documents(request, snapshot),
        "decisions": _decisions(dossier, S.VALIDATION_SUBMITTED),
    }


@api.get(
    "/candidatures/{id}/preuves/{preuve}/contenu",
    response={200: bytes, **ERRORS},
    tags=["candidatures"],
    url_name="proof_content",
)
def get_proof_content(request, id: int, preuve: int):
    """Le fichier d'une preuve déposée, libéré par l'antivirus — a submitted proof's file."""
    require_scope(request, Scope.READ)
    dossier = _dossier(request, id)
    proof = get_object_or_404(Proof.objects.select_related("dossier"), pk=preuve, dossier=dossier)
    grant = file_access.grant_or_404(request.user, "proof", proof, as_="api")  # api.files
    if not grant.is_open:
        raise Http404
    return serve_file(proof.file, proof.original_name, proof.content_type, on_read=grant.on_read)


FEASIBILITY_DECISIONS = {
    "RECEVABLE": S.ADMISSIBLE,
    "A_COMPLETER": S.FEASIBILITY_INCOMPLETE,
    "NON_RECEVABLE": S.INADMISSIBLE,
}


@api.post(
    "/candidatures/{id}/dossierDeFaisabilite/decisions",
    response={201: s.CandidatureDetail, **WRITE_ERRORS},
    tags=["candidatures"],
)
def decide_feasibility(request, id: int, body: s.FeasibilityDecisionIn):
    """Décision de recevabilité, comme sur la page du dossier — recevabilité decision, as on the page."""
    require_scope(request, Scope.DECISIONS)
    dossier = _dossier(request, id)
    dossier_services.decide_feasibility(dossier, request.user, FEASIBILITY_DECISIONS[body.decision], body.commentaire)
    return Status(201, _candidature(_dossier(request, id), history=True))


@api.post(
    "/candidatures/{id}/dossierDeValidation/decisions",
    response={201: s.CandidatureDetail, **WRITE_ERRORS},
    tags=["candidatures"],
)
def review_validation(request, id: int, body: s.ValidationDecisionIn):
    """Examen du dossier de validation : prêt pour le jury ou à compléter — review of the dossier de validation."""
    require_scope(request, Scope.DECISIONS)
    dossier = _dossier(request, id)
    dossier_services.review_validation(dossier, request.user, body.decision == "PRET_POUR_JURY", body.commentaire)
    return Status(201, _candidature(_dossier(request, id), history=True))


# --- jury ----------------------------------------------------------------------------------


def _convocation(c: Convocation) -> dict:
    return {
        "id": c.pk,
        "session": c.session_id,
        "candidature": c.dossier_id,
        "debut": c.starts_at,
        "fin": c.ends_at,
        "statut": c.status,
        "presence": c.attendance,
        "motif": c.notice,
    }


def _result(decision: Decision) -> dict:
    return {
        "candidature": decision.dossier_id,
        "convocation": decision.convocation_id,
        "resultat": decision.result,
        "resultatLibelle": str(decision.get_result_display()),
        "commentaire": decision.comment,
        "decideLe": decision.decided_at,
        "blocs": [
            {
                "bloc": item.block_id,
                "modalite": item.assessment_method_id,
                "libelle": item.label,
                "valide": item.validated,
                "justification": item.justification,
                "competencesADemontrer": sorted(k.pk for k in item.competencies_to_prove.all()),
                "preconisations": item.recommendations,
            }
            for item in decision.items.select_related("block", "assessment_method").prefetch_related(
                "competencies_to_prove"
            )
        ],
    }


def _final_decisions(user):
    """Decisions in force whose session's procès-verbal is final: before that, nothing is a result."""
    return (
        decisions_for(user)
        .in_force()
        .filter(convocation__session__minutes__status=MinutesStatus.FINAL)
        .order_by("convocation__starts_at", "pk")
    )


def _session(session: JurySession) -> dict:
    return {
        "id": session.pk,
        "certification": _cert_ref(session.certification),
        "debut": session.starts_at,
        "lieu": session.place,
        "lienVisio": session.video_link,
        "capacite": session.capacity,
        "statut": session.status,
    }


class SessionFilters(Pagination):
    statut: str | None = s.F("planned, cancelled ou closed", "planned, cancelled or closed", None, max_length=16)


@api.get("/sessionsJury", response={200: s.Page[s.SessionJury], **ERRORS}, tags=["jury"])
def list_sessions(request, filters: Query[SessionFilters]):
    """Les sessions de jury de l'organisme, de la plus récente à la plus ancienne — jury sessions, newest first."""
    require_scope(request, Scope.READ)
    qs = sessions_for(request.user).select_related("certification").order_by("-starts_at", "-pk")
    if filters.statut:
        qs = qs.filter(status=filters.statut)
    return _page(qs, filters, _session)


@api.get("/sessionsJury/{id}", response={200: s.SessionJuryDetail, **ERRORS}, tags=["jury"])
def get_session(request, id: int):
    """Une session : membres (rôles, sans coordonnées), convocations, procès-verbal, résultats."""
    require_scope(request, Scope.READ)
    session = get_object_or_404(sessions_for(request.user).select_related("certification"), pk=id)
    minutes = getattr(session, "minutes", None)
    minutes_doc = session.documents.filter(kind="minutes").first()
    return {
        **_session(session),
        "membres": [
            {
                "id": m.pk,
                "nom": m.user.get_full_name(),
                "role": m.role,
                "roleLibelle": str(m.get_role_display()),
                "present": m.present,
            }
            for m in session.members.select_related("user")
        ],
        "convocations": [_convocation(c) for c in session.convocations.order_by("starts_at", "pk")],
        "procesVerbal": {
            "statut": minutes.status,
            "sha256": minutes.content_sha256 if minutes.is_final else "",
            "definitifLe": minutes.finalised_at,
            "document": minutes_doc.pk if minutes_doc and minutes.is_final else None,
        }
        if minutes
        else None,
        "resultats": [_result(d) for d in _final_decisions(request.user).filter(convocation__session=session)],
    }


@api.get("/candidatures/{id}/informationJury", response={200: s.InformationJury, **ERRORS}, tags=["jury"])
def get_jury_information(request, id: int):
    """Convocations et résultat (par bloc) d'un dossier — a dossier's convocations and result per bloc."""
    require_scope(request, Scope.READ)
    dossier = _dossier(request, id)
    decision = _final_decisions(request.user).filter(dossier=dossier).last()
    return {
        "candidature": dossier.pk,
        "convocations": [_convocation(c) for c in dossier.convocations.order_by("-created_at", "-pk")],
        "resultat": _result(decision) if decision else None,
    }


@api.put("/convocations/{id}", response={200: s.Convocation, **WRITE_ERRORS}, tags=["jury"])
def reschedule_convocation(request, id: int, body: s.ConvocationIn):
    """Reporte une convocation (date, créneau, session), comme sur la page — reschedule a convocation."""
    require_scope(request, Scope.JURY)
    convocation = get_object_or_404(
        Convocation.objects.filter(session__in=sessions_for(request.user).values("pk")), pk=id
    )
    session = None
    if body.session is not None:
        session = get_object_or_404(sessions_for(request.user), pk=body.session)
    conv = jury_services.reschedule(
        convocation, request.user, starts_at=body.debut, ends_at=body.fin, notice=body.motif, session=session
    )
    return _convocation(conv)


@api.put("/sessionsJury/{id}/resultats", response={200: list[s.ResultatImporte], **WRITE_ERRORS}, tags=["jury"])
def import_session_results(request, id: int, body: list[s.ResultatIn]):
    """Importe les résultats d'un jury qui a délibéré hors du portail, tout ou rien ; refusé (409) si le
    procès-verbal est définitif ou si le jury a délibéré dans le portail — import results of a jury
    that deliberated outside the portal."""
    require_scope(request, Scope.JURY)
    session = get_object_or_404(sessions_for(request.user), pk=id)
    lines = [
        api_services.ResultLine(
            candidature=line.candidature,
            presence=line.presence,
            blocs={b.bloc: b.resultat == "ACQUIS" for b in line.blocs if b.bloc is not None},
            epreuves={
                b.epreuveTransversale: b.resultat == "ACQUIS"
                for b in line.blocs
                if b.bloc is None and b.epreuveTransversale is not None
            },
            commentaire=line.commentaire,
        )
        for line in body
    ]
    if any(b.bloc is None and b.epreuveTransversale is None for line in body for b in line.blocs):
        raise DomainError(_("Chaque résultat par bloc nomme un bloc ou une épreuve transversale."))
    decisions = api_services.import_results(session, request.api_token, lines)
    token_name = request.api_token.name
    return [
        {**_result(d), "importeLe": d.imported.imported_at, "importePar": token_name}
        for d in Decision.objects.filter(pk__in=[d.pk for d in decisions]).select_related("imported")
    ]


# --- documents -----------------------------------------------------------------------------


def _readable_document(request, id: int) -> GeneratedDocument:
    doc = get_object_or_404(
        GeneratedDocument.objects.select_related("dossier").filter(dossier__in=_dossiers(request).values("pk")), pk=id
    )
    file_access.grant_or_404(request.user, "document", doc, as_="api")
    return doc


@api.get("/documents/{id}", response={200: s.DocumentDossier, **ERRORS}, tags=["documents"])
def get_document(request, id: int):
    """Un PDF généré d'un dossier (demande de recevabilité, dossier de validation) et son empreinte."""
    require_scope(request, Scope.READ)
    doc = _readable_document(request, id)
    return {**_document(request, doc), "candidature": doc.dossier_id}


@api.get("/documents/{id}/contenu", response={200: bytes, **ERRORS}, tags=["documents"], url_name="document_content")
def get_document_content(request, id: int):
    """Le PDF, une fois prêt — the PDF, once ready."""
    require_scope(request, Scope.READ)
    doc = _readable_document(request, id)
    if doc.status != "done":
        raise Http404
    return serve_file(doc.file, doc.download_name, "application/pdf")


def _jury_document(request, id: int) -> JuryDocument:
    return get_object_or_404(
        JuryDocument.objects.select_related("session", "convocation").filter(
            Q(session__in=sessions_for(request.user).values("pk"))
            | Q(convocation__session__in=sessions_for(request.user).values("pk"))
        ),
        pk=id,
    )


@api.get("/documentsJury/{id}", response={200: s.DocumentJury, **ERRORS}, tags=["documents"])
def get_jury_document(request, id: int):
    """Un PDF du jury (procès-verbal, lettre de décision, attestation) et son empreinte."""
    require_scope(request, Scope.READ)
    doc = _jury_document(request, id)
    return {
        "id": doc.pk,
        "nature": doc.kind,
        "session": doc.jury_session.pk,
        "statut": doc.status,
        "sha256": doc.sha256,
        "taille": doc.size,
        "url": _abs(request, reverse("api:jury_document_content", args=[doc.pk])),
    }


@api.get(
    "/documentsJury/{id}/contenu", response={200: bytes, **ERRORS}, tags=["documents"], url_name="jury_document_content"
)
def get_jury_document_content(request, id: int):
    """Le PDF du jury, une fois prêt — the jury's PDF, once ready."""
    require_scope(request, Scope.READ)
    doc = _jury_document(request, id)
    file_access.grant_or_404(request.user, "jury_document", doc, as_="api")
    if not doc.is_ready:
        raise Http404
    return serve_file(doc.file, doc.download_name, "application/pdf")
