"""Freezing a dossier: the content a candidate submits, as one JSON document.

The jury, the certifier and the PDF read this document, never the moving draft. Files are
referenced with their SHA-256 so that what was submitted can be proven later.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from dossiers import hooks
from dossiers.enums import CandidateStatus, Objective, QualificationLevel, SelfAssessment
from dossiers.feasibility import feasibility_of, identity_of
from dossiers.models import CompetencyStatement, Dossier
from dossiers.permissions import file_released, is_submitted_file


def canonical_sha256(content: dict[str, Any]) -> str:
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def experience_months(exp) -> int:
    """Whole months between start and end (or today when ongoing)."""
    end = exp.end_date or timezone.localdate()
    return max(0, (end.year - exp.start_date.year) * 12 + end.month - exp.start_date.month)


def build_content(dossier: Dossier) -> dict[str, Any]:
    cert = dossier.certification
    statements = {
        s.competency_id: s
        for s in dossier.statements.prefetch_related(
            Prefetch("experiences", to_attr="experience_list"), Prefetch("proofs", to_attr="proof_list")
        )
    }
    blocks = []
    for block in dossier.targeted_blocks().prefetch_related("competencies"):
        competencies = []
        for comp in block.competencies.all():
            s: CompetencyStatement | None = statements.get(comp.pk)
            competencies.append(
                {
                    "id": comp.pk,
                    "code": comp.code,
                    "group": comp.group,
                    "text": comp.text,
                    "self_assessment": s.self_assessment if s else "",
                    "self_comment": s.self_comment if s else "",
                    "narrative": s.narrative if s else "",
                    "experiences": sorted(e.pk for e in s.experience_list) if s else [],
                    "proofs": sorted(p.pk for p in s.proof_list) if s else [],
                }
            )
        blocks.append(
            {
                "id": block.pk,
                "code": block.code,
                "title": block.title,
                "order": block.order,
                "competencies": competencies,
            }
        )
    content: dict[str, Any] = {
        "dossier": dossier.pk,
        "candidate": {"name": dossier.candidate.get_full_name(), "email": dossier.candidate.email},
        "certification": {
            "id": cert.pk,
            "code": cert.code,
            "title": cert.title,
            "level": cert.level,
            "version": cert.version,
            "certifiers": [str(c) for c in cert.certifiers.all()],
        },
        "targets_all_blocks": dossier.targets_all_blocks,
        "acquired_blocks": [{"code": b.code, "title": b.title} for b in dossier.acquired_blocks.all()],
        "sworn_statement_at": dossier.sworn_statement_at.isoformat() if dossier.sworn_statement_at else None,
        "identity_document": {
            "name": dossier.identity_document_name,
            "sha256": dossier.identity_document_sha256,
        }
        if dossier.identity_document
        else None,
        "experiences": [
            {
                "id": e.pk,
                "kind": e.kind,
                "kind_label": str(e.get_kind_display()),
                "organisation": e.organisation,
                "role": e.role,
                "start_date": e.start_date.isoformat(),
                "end_date": e.end_date.isoformat() if e.end_date else None,
                "months": experience_months(e),
                "hours_per_week": str(e.hours_per_week) if e.hours_per_week is not None else None,
                "total_hours": e.total_hours,
                "activities": e.activities,
                "working_context": e.working_context,
            }
            for e in dossier.experiences.all()
        ],
        "proofs": [
            {
                "id": p.pk,
                "title": p.title,
                "kind": p.kind,
                "kind_label": str(p.get_kind_display()),
                "date": p.date.isoformat() if p.date else None,
                "description": p.description,
                "file_name": p.original_name,
                "content_type": p.content_type,
                "size": p.size,
                "sha256": p.sha256,
            }
            for p in dossier.proofs.all()
        ],
        "blocks": blocks,
        "feasibility": feasibility_content(dossier),
    }
    # What the VAE route asks beside the blocs (004: the proof of a coordinated mobilisation of
    # the compétences); the key is left out when the route asks nothing.
    methods = list(dossier.transversal_assessments())
    if methods:
        written = {t.assessment_method_id: t for t in dossier.transversal_statements.prefetch_related("proofs")}
        content["transversal"] = [
            {
                "assessment_method": m.pk,
                "title": str(m),
                "asks": m.description,
                "narrative": written[m.pk].narrative if m.pk in written else "",
                "proofs": sorted(p.pk for p in written[m.pk].proofs.all()) if m.pk in written else [],
            }
            for m in methods
        ]
    return content


def feasibility_content(dossier: Dossier) -> dict[str, Any]:
    """The dossier de faisabilité as submitted, section by section (``dossiers.feasibility``):
    values and their French labels, frozen with the rest, and what the apps above add to it
    (``hooks.feasibility_parts``)."""
    f = feasibility_of(dossier)
    identity = identity_of(dossier)
    levels = dict(QualificationLevel.choices)
    statements = {b.block_id: b for b in dossier.block_statements.all()}
    return {
        "nature": f.nature,
        "nature_label": str(f.get_nature_display()) if f.nature else "",
        "earlier_decision_date": f.earlier_decision_date.isoformat() if f.earlier_decision_date else None,
        "option": f.option,
        "foreign_language": f.foreign_language,
        "parcours": f.parcours,
        "prerequisites": [
            {"text": text, "held": (f.prerequisites_held or {}).get(text)}
            for text in dossier.certification.regulatory_prerequisites
        ],
        "identity": {
            "birth_name": identity.birth_name,
            "usage_name": identity.usage_name,
            "first_names": [n for n in (identity.first_name1, identity.first_name2, identity.first_name3) if n],
            "birth_date": identity.birth_date.isoformat() if identity.birth_date else None,
            "sex": identity.sex,
            "sex_label": str(identity.get_sex_display()) if identity.sex else "",
            "nationality": identity.nationality,
        }
        if identity
        else None,
        "training_level": f.training_level,
        "training_level_label": str(levels.get(f.training_level, "")),
        "certification_level": f.certification_level,
        "certification_level_label": str(levels.get(f.certification_level, "")),
        "titles_held": f.titles_held,
        "address": {
            "street": f.street,
            "complement": f.address_complement,
            "postcode": f.postcode,
            "city": f.city,
            "country": f.country,
        },
        "phone": f.phone,
        "email": f.email,
        "status": f.status,
        "status_label": str(dict(CandidateStatus.choices).get(f.status, "")),
        "idcc": f.idcc,
        "objectives": [{"value": o, "label": str(dict(Objective.choices).get(o, o))} for o in (f.objectives or [])],
        "blocks": [
            {
                "id": block.pk,
                "code": block.code,
                "title": block.title,
                "activity": statements[block.pk].activity if block.pk in statements else "",
                "activity_label": str(statements[block.pk].get_activity_display())
                if block.pk in statements and statements[block.pk].activity
                else "",
                "comment": statements[block.pk].comment if block.pk in statements else "",
            }
            for block in dossier.targeted_blocks()
        ],
        "documents": [
            {
                "id": p.pk,
                "role": p.feasibility_role,
                "role_label": str(p.get_feasibility_role_display()),
                "prerequisite": p.prerequisite,
                "title": p.title,
                "file_name": p.original_name,
                "sha256": p.sha256,
            }
            for p in dossier.proofs.exclude(feasibility_role="").order_by("pk")
        ],
        "accompaniment": f.accompaniment,
        "accompaniment_label": str(f.get_accompaniment_display()) if f.accompaniment else "",
        "comments": f.comments,
        # What the apps above freeze with it (the accompanied version: ``hooks.feasibility_parts``).
        **hooks.frozen_feasibility_parts(dossier),
    }


def readable_content(snapshot, proofs: dict) -> dict[str, Any]:
    """A snapshot's content for reading (certifier, jury): each compétence's proofs and
    experiences resolved; only the proofs the snapshot froze are listed, each ``available``
    only while the stored file is still the one submitted (``permissions.is_submitted_file``,
    the rule of ``permissions.proof_was_submitted``), and ``released`` once the antivirus let it go
    (``permissions.file_released``). ``proofs``: the dossier's proofs by id."""
    content = snapshot.content
    snap_proofs = {p["id"]: p for p in content.get("proofs", [])}
    for p in snap_proofs.values():
        current = proofs.get(p["id"])
        p["available"] = is_submitted_file(current, p)
        # The antivirus (dossiers.scanning): only a released file gets a download link.
        p["scan_status"] = current.scan_status if p["available"] else ""
        p["scan_label"] = current.get_scan_status_display() if p["available"] else ""
        p["released"] = p["available"] and file_released(current.scan_status) and bool(current.file)
    experiences = {e["id"]: e for e in content.get("experiences", [])}
    assessment_labels = dict(SelfAssessment.choices)
    blocks = []
    for block in content.get("blocks", []):
        comps = []
        for comp in block.get("competencies", []):
            comps.append(
                {
                    **comp,
                    "self_assessment_label": assessment_labels.get(comp.get("self_assessment"), ""),
                    "proof_list": [snap_proofs[i] for i in comp.get("proofs", []) if i in snap_proofs],
                    "experience_list": [experiences[i] for i in comp.get("experiences", []) if i in experiences],
                }
            )
        blocks.append({**block, "competencies": comps})
    transversal = [
        {**t, "proof_list": [snap_proofs[i] for i in t.get("proofs", []) if i in snap_proofs]}
        for t in content.get("transversal", [])
    ]
    sworn = content.get("sworn_statement_at")
    # What a reading of the frozen content depends on besides the content itself: whether each
    # proof's file is still the one submitted and released. A page caches its rendering under
    # this key (``{% cache … content.rendering_key %}``): right for as long as the key is.
    files = sorted((p["id"], p["available"], p["released"], p["scan_status"]) for p in snap_proofs.values())
    rendering_key = hashlib.sha256(f"{snapshot.pk}:{snapshot.sha256}:{files}".encode()).hexdigest()[:32]
    return {
        **content,
        "blocks": blocks,
        "transversal": transversal,
        "proofs": list(snap_proofs.values()),
        "sworn_at": datetime.datetime.fromisoformat(sworn) if sworn else None,
        "rendering_key": rendering_key,
    }
