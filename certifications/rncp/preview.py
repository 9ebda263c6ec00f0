"""Side by side: what a fiche would give, next to the current version of the certification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from certifications.models import Block, Certification, Competency

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"


@dataclass
class FieldRow:
    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


@dataclass
class BlocRow:
    code: str
    current_title: str = ""
    proposed_title: str = ""
    current: list[dict[str, str]] = field(default_factory=list)
    proposed: list[dict[str, str]] = field(default_factory=list)
    in_current: bool = False
    in_proposed: bool = False

    @property
    def status(self) -> str:
        if not self.in_current:
            return ADDED
        if not self.in_proposed:
            return REMOVED
        same = self.current_title == self.proposed_title and self.current == self.proposed
        return SAME if same else CHANGED


def current_version(code: str) -> Certification | None:
    """The latest version holding ``code``, with its blocs and compétences in two queries."""
    return (
        Certification.objects.filter(code=code)
        .order_by("-version")
        .prefetch_related(
            "certifiers",
            Prefetch(
                "blocks",
                queryset=Block.objects.order_by("order").prefetch_related(
                    Prefetch("competencies", queryset=Competency.objects.order_by("order"))
                ),
            ),
        )
        .first()
    )


def _competency(code: str, group: str, text: str) -> dict[str, str]:
    return {"code": code, "group": group, "text": text}


def _text_list(values) -> str:
    return ", ".join(values)


def field_rows(current: Certification | None, data: dict[str, Any]) -> list[FieldRow]:
    def now(name: str, render=str) -> str:
        if current is None:
            return ""
        value = getattr(current, name)
        return "" if value in (None, "") else render(value)

    proposed_certifiers = _text_list(
        f"{c['commercial_name'] or c['name']} ({c['siret'] or '—'})" for c in data["certifiers"]
    )
    current_certifiers = (
        _text_list(f"{c} ({c.siret or '—'})" for c in current.certifiers.all()) if current is not None else ""
    )
    return [
        FieldRow(_("Intitulé"), now("title"), data["title"]),
        FieldRow(_("Niveau européen"), now("level"), str(data["level"] or "")),
        FieldRow(
            _("Fin d'enregistrement"),
            now("end_of_registration", lambda d: d.isoformat()),
            data["end_of_registration"] or "",
        ),
        FieldRow(
            _("Date de décision"),
            now("rncp_decision_date", lambda d: d.isoformat()),
            data["rncp_decision_date"] or "",
        ),
        FieldRow(_("Codes NSF"), now("nsf_codes", _text_list), _text_list(data["nsf_codes"])),
        FieldRow(_("Codes ROME"), now("rome_codes", _text_list), _text_list(data["rome_codes"])),
        FieldRow(_("Formacodes"), now("formacodes", _text_list), _text_list(data["formacodes"])),
        FieldRow(_("Certificateurs"), current_certifiers, proposed_certifiers),
        FieldRow(_("Composition du jury VAE"), now("jury_composition"), data["jury_composition"]),
        FieldRow(_("Prérequis"), now("prerequisites"), data["prerequisites"]),
        FieldRow(_("Remplace"), now("replaces_code"), data["replaces_code"]),
    ]


def bloc_rows(current: Certification | None, data: dict[str, Any]) -> list[BlocRow]:
    """Blocs matched by code (by order when a bloc has no code), proposed order first."""
    rows: dict[tuple[str, int | str], BlocRow] = {}

    def key(code: str, order: int) -> tuple[str, int | str]:
        return ("code", code) if code else ("order", order)

    for b in data["blocks"]:
        row = rows.setdefault(key(b["code"], b["order"]), BlocRow(code=b["code"]))
        if row.in_proposed:  # a code repeated in the fiche: keep the second one apart
            row = rows.setdefault(("order", b["order"]), BlocRow(code=b["code"]))
        row.in_proposed, row.proposed_title = True, b["title"]
        row.proposed = [_competency(c["code"], c["group"], c["text"]) for c in b["competencies"]]
    for block in current.blocks.all() if current is not None else []:
        row = rows.setdefault(key(block.code, block.order), BlocRow(code=block.code))
        if row.in_current:
            row = rows.setdefault(("current", block.order), BlocRow(code=block.code))
        row.in_current, row.current_title = True, block.title
        row.current = [_competency(c.code, c.group, c.text) for c in block.competencies.all()]
    return list(rows.values())
