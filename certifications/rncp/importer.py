"""Import RNCP fiches as draft certification versions.

Rules (docs/rncp-import.md):
- a fiche becomes a draft through the exchange format's reader and creator
  (``referential.read_certification`` / ``create_certification``): a new certification, or a new
  draft version of the one with the same code; certifiers are matched or created by SIRET;
- a fiche whose content hash is already held by a version of that code is *unchanged*: nothing
  is written, so a re-import never touches a draft being corrected;
- a changed fiche of a certification that the acting organisations do not manage is *skipped*
  (``permissions.may_version_lineage``, the rule every import shares): a certifier cannot
  version another organisation's certification; ``import_rncp`` acts for the certifiers named
  on the fiche, so it never hands a lineage to another organisation unless run with ``--force``;
- a changed fiche whose certification already has a draft is *skipped*: one draft at a time,
  as ``services.new_version`` wants, and the certifier's corrections are never overwritten;
- inactive fiches are skipped unless asked for by their code; with ``only_vae``, fiches not
  open to VAE are skipped; a certifier (``allowed_sirets``) only imports their own fiches;
- ``import_flux`` holds the whole run in one transaction: the file is read as a stream and is
  only known to be whole at its end, so a broken file must leave nothing behind;
- compétences are proposed by ``splitter.split_competencies``; the raw texts stay on the bloc;
  no grille is created (the fiche has none: the certifier adds them before publishing).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certifications.enums import CertificationStatus, RncpStatus
from certifications.models import (
    Block,
    Certification,
    CertificationEvent,
    Competency,
    certification_code_validator,
)
from certifications.permissions import may_version_lineage
from certifications.referential import ReferentialFormatError, create_certification, read_certification
from certifications.rncp.parser import Fiche, FluxReader, ParseLimits
from certifications.rncp.splitter import html_to_text, inline_text, split_competencies

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
ACTION_LABELS = {
    CREATED: gettext_lazy("créée"),
    UPDATED: gettext_lazy("nouvelle version"),
    UNCHANGED: gettext_lazy("inchangée"),
    SKIPPED: gettext_lazy("ignorée"),
}
ACTION_PLURALS = {
    CREATED: gettext_lazy("Créées"),
    UPDATED: gettext_lazy("Nouvelles versions"),
    UNCHANGED: gettext_lazy("Inchangées"),
    SKIPPED: gettext_lazy("Ignorées"),
}
SKIP_REASONS = {
    "bad_number": gettext_lazy("numéro de fiche illisible"),
    "not_yours": gettext_lazy("la fiche ne porte le SIRET d'aucune de vos organisations"),
    "not_open_to_vae": gettext_lazy("non ouverte à la VAE"),
    "inactive": gettext_lazy("fiche inactive au RNCP (importée seulement si son code est demandé)"),
    "other_certifier": gettext_lazy("la certification appartient à un autre certificateur"),
    "draft_in_progress": gettext_lazy("un brouillon de cette certification est déjà en cours"),
    "invalid": gettext_lazy("données refusées"),
    "database": gettext_lazy("refusée par la base de données"),
}
# ``acting`` of ``plan_fiche``: the organisations a new version is made for. A set of certifier
# ids (a certifier on the RNCP pages), None (no restriction: a superuser, ``import_rncp --force``)
# or FICHE_CERTIFIERS (``import_rncp``: the certifiers named on the fiche, see docs/rncp-import.md).
FICHE_CERTIFIERS = "fiche-certifiers"
Acting = Collection[int] | None | Literal["fiche-certifiers"]
MAX_KEPT_OUTCOMES = 500  # the report keeps counts for everything, details for the first ones


@dataclass
class Outcome:
    number: str
    title: str
    action: str
    reason_key: str = ""
    reason: str = ""
    certification_id: int | None = None
    version: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportReport:
    dry_run: bool
    flux_version: str = ""
    fiches_read: int = 0
    counts: Counter = field(default_factory=Counter)
    skip_reasons: Counter = field(default_factory=Counter)
    outcomes: list[Outcome] = field(default_factory=list)
    missing_codes: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def selected(self) -> int:
        return sum(self.counts.values())

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.action] += 1
        if outcome.action == SKIPPED:
            self.skip_reasons[outcome.reason_key] += 1
        if len(self.outcomes) < MAX_KEPT_OUTCOMES:
            self.outcomes.append(outcome)


@dataclass
class Plan:
    """What importing one fiche would do; ``data`` is the validated exchange-format dict."""

    action: str
    reason_key: str = ""
    reason: str = ""
    data: dict[str, Any] | None = None
    previous: tuple[int, str] | None = None  # (version, status) of the latest existing version
    warnings: list[str] = field(default_factory=list)
    content_hash: str = ""


class KnownCertifications:
    """Versions already in the portal, by code, with the organisations that manage each lineage
    (the certifiers of its latest version): two queries up front instead of several per fiche."""

    def __init__(self, codes: Iterable[str] | None = None):
        self._by_code: dict[str, dict[str, Any]] = {}
        rows = Certification.objects.exclude(code="")
        links = Certification.certifiers.through.objects.exclude(certification__code="")
        if codes is not None:
            rows = rows.filter(code__in=list(codes))
            links = links.filter(certification__code__in=list(codes))
        for code, version, status, content_hash in rows.values_list("code", "version", "status", "rncp_content_hash"):
            self._record(code, version, status, content_hash)
        for code, version, owner, siret, name in links.values_list(
            "certification__code", "certification__version", "certifier_id", "certifier__siret", "certifier__legal_name"
        ).iterator():
            entry = self._by_code.get(code)
            if entry is not None and entry["latest"][0] == version:
                entry["owners"][owner] = (siret, name)

    def _record(self, code: str, version: int, status: str, content_hash: str) -> None:
        entry = self._by_code.setdefault(code, {"latest": None, "draft": None, "hashes": {}, "owners": {}})
        if entry["latest"] is None or version > entry["latest"][0]:
            entry["latest"] = (version, status)
        if status == CertificationStatus.DRAFT:
            entry["draft"] = version
        if content_hash:
            entry["hashes"][content_hash] = version

    def get(self, code: str) -> dict[str, Any] | None:
        return self._by_code.get(code)

    def add_draft(self, code: str, version: int, content_hash: str) -> None:
        """A draft planned or written by this run: any later fiche of the same code is unchanged
        or refused as a draft in progress, so its owners need not be known (``None``)."""
        self._record(code, version, CertificationStatus.DRAFT, content_hash)
        self._by_code[code]["owners"] = None


# --- from a fiche to the exchange format ------------------------------------------------


def _certifiers(fiche: Fiche, warnings: list[str]) -> list[dict[str, str]]:
    certifiers = []
    for c in fiche.certifiers:
        siret = c.siret if len(c.siret) == 14 and c.siret.isdigit() else ""
        if c.siret and not siret:
            warnings.append(
                _("SIRET illisible %(siret)r pour « %(name)s » : ignoré.") % {"siret": c.siret, "name": c.name}
            )
        name = inline_text(c.name) or inline_text(c.commercial_name) or siret
        if not name:
            continue
        website = c.website.strip()
        certifiers.append(
            {
                "name": name[:255],
                "siret": siret,
                "commercial_name": inline_text(c.commercial_name)[:255],
                "website": website if len(website) <= 200 else "",
            }
        )
    return certifiers


def _blocks(fiche: Fiche, warnings: list[str]) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    blocks: list[dict[str, Any]] = []
    raws: list[tuple[str, str]] = []
    seen: dict[str, tuple[str, str, str]] = {}
    for bloc in fiche.blocs:
        content = (bloc.title, bloc.competencies, bloc.assessment)
        if bloc.code and bloc.code in seen:
            if seen[bloc.code] == content:
                warnings.append(
                    _("Le bloc %(code)s figure deux fois à l'identique : gardé une fois.") % {"code": bloc.code}
                )
                continue
            warnings.append(
                _(
                    "Le code de bloc %(code)s est répété avec des contenus différents : "
                    "les deux blocs sont gardés, à vérifier."
                )
                % {"code": bloc.code}
            )
        seen.setdefault(bloc.code, content)
        order = len(blocks) + 1
        proposals = split_competencies(bloc.competencies)
        if not proposals:
            warnings.append(
                _("Bloc %(label)s : aucune compétence trouvée dans la liste officielle.")
                % {"label": bloc.code or order}
            )
        blocks.append(
            {
                "code": bloc.code[:40],
                "title": inline_text(bloc.title)[:800] or bloc.code or _("Bloc %(order)s") % {"order": order},
                "order": order,
                "domain": "",
                "description": "",
                "competencies": [
                    {"code": p.code, "group": p.group, "text": p.text, "order": i}
                    for i, p in enumerate(proposals, start=1)
                ],
                "assessment_methods": [],
                "rubric": None,
            }
        )
        raws.append((bloc.competencies, bloc.assessment))
    return blocks, raws


def certification_data(fiche: Fiche, flux_version: str = "") -> tuple[dict[str, Any], list[tuple[str, str]], list[str]]:
    """The fiche in the exchange format (docs/referential-format.md), the raw texts of its blocs
    in order, and the warnings met on the way."""
    warnings = list(fiche.warnings)
    title = inline_text(fiche.title)[:800] or fiche.number
    blocks, raws = _blocks(fiche, warnings)
    certifiers = _certifiers(fiche, warnings)
    prerequisites = [html_to_text(fiche.prerequisites), html_to_text(fiche.validation_prerequisites)]
    status = fiche.state or _("état non précisé")
    if fiche.active is False:
        status += _(", inactive")
    if fiche.replaced_by:
        status += _(", remplacée par %(codes)s") % {"codes": ", ".join(fiche.replaced_by)}
    notes = [
        _(
            "Brouillon importé de la fiche %(code)s du RNCP. Les compétences sont proposées par découpage "
            "automatique de la liste officielle, gardée telle quelle sur chaque bloc : vérifiez le découpage "
            "et ajoutez les modalités d'évaluation et les grilles critériées avant de publier."
        )
        % {"code": fiche.number}
    ]
    if len(fiche.replaces) > 1:
        notes.append(_("Remplace aussi : %(codes)s.") % {"codes": ", ".join(fiche.replaces[1:])})
    notes += warnings
    data = {
        "code": fiche.number,
        "slug": slugify(f"{fiche.number} {title}")[:120].strip("-"),
        "title": title,
        "level": fiche.level,
        "status": CertificationStatus.DRAFT,
        "version": 1,
        "nsf_codes": list(fiche.nsf_codes),
        "formacodes": list(fiche.formacodes),
        "rome_codes": list(fiche.rome_codes),
        "end_of_registration": fiche.end_of_registration.isoformat() if fiche.end_of_registration else None,
        "rncp_decision_date": fiche.decision_date.isoformat() if fiche.decision_date else None,
        "replaces_code": fiche.replaces[0] if fiche.replaces else "",
        "requires_all_blocks": True,
        "requires_transversal": False,
        "partial_validation": fiche.partial_validation if fiche.partial_validation is not None else True,
        "rules": "",
        "jury_composition": html_to_text(fiche.vae_jury_composition),
        "prerequisites": "\n\n".join(p for p in prerequisites if p),
        "fees": "",
        "jury_place": "",
        "notes": "\n".join(notes),
        "source": _(
            "Répertoire national des certifications professionnelles (France Compétences), flux XML "
            "%(version)s : fiche %(code)s (identifiant %(id)s), %(status)s."
        )
        % {
            "version": flux_version or "?",
            "code": fiche.number,
            "id": fiche.fiche_id or "?",
            "status": status,
        },
        "min_narrative_length": 300,
        "certifiers": certifiers,
        "blocks": blocks,
        "transversal_assessments": [],
    }
    return data, raws, warnings


def rncp_fields(fiche: Fiche) -> dict[str, Any]:
    """The certification fields that the exchange format does not carry (hash aside)."""
    return {
        "open_to_vae": fiche.open_to_vae,
        "rncp_status": RncpStatus.INACTIVE if fiche.active is False else RncpStatus.ACTIVE,
        "replaced_by_code": fiche.replaced_by[0] if fiche.replaced_by else "",
    }


# --- deciding and writing ----------------------------------------------------------------


def _skip(key: str, detail: str = "", **kwargs) -> Plan:
    reason = str(SKIP_REASONS[key]) + (f" : {detail}" if detail else "")
    return Plan(SKIPPED, key, reason, **kwargs)


def _owners_named_on(fiche: Fiche, owners: dict[int, tuple[str, str]]) -> set[int]:
    """The organisations among ``owners`` (id → SIRET, legal name) that the fiche names, matched
    as the exchange format's creator matches certifiers: by SIRET, by name when there is none."""
    named = _certifiers(fiche, [])
    sirets = {c["siret"] for c in named if c["siret"]}
    names = {c["name"] for c in named if not c["siret"]}
    return {pk for pk, (siret, name) in owners.items() if (siret in sirets if siret else name in names)}


def _ownership_refusal(fiche: Fiche, entry: dict[str, Any], acting: Acting) -> Plan | None:
    """``permissions.may_version_lineage`` applied to a fiche whose code is in the portal."""
    owners = entry["owners"]
    if acting == FICHE_CERTIFIERS:
        if may_version_lineage(owners, _owners_named_on(fiche, owners)):
            return None
        version = entry["latest"][0]
        detail = _(
            "aucun des certificateurs de la version %(v)s (%(names)s) ne figure sur la fiche ; "
            "relancez avec --force pour changer de certificateur"
        ) % {"v": version, "names": ", ".join(sorted(name for _siret, name in owners.values())) or "—"}
    else:
        if may_version_lineage(owners, acting):
            return None
        detail = _("seul un certificateur qui la gère peut en importer une nouvelle version")
    return _skip("other_certifier", detail, previous=entry["latest"])


def plan_fiche(
    fiche: Fiche,
    known: KnownCertifications,
    *,
    explicitly_selected: bool = False,
    only_vae: bool = False,
    allowed_sirets: set[str] | None = None,
    acting: Acting = FICHE_CERTIFIERS,
    flux_version: str = "",
) -> Plan:
    """Decide what importing ``fiche`` does, without writing anything.

    ``allowed_sirets`` (a certifier's) restricts the fiches to those bearing one of them;
    ``acting`` says for which organisations a new version of an existing certification is made
    (see ``FICHE_CERTIFIERS``): one that does not manage it already is refused.
    """
    try:
        certification_code_validator(fiche.number)
    except ValidationError:
        return _skip("bad_number", repr(fiche.number))
    if allowed_sirets is not None and not fiche.sirets & allowed_sirets:
        return _skip("not_yours")
    if only_vae and not fiche.open_to_vae:
        return _skip("not_open_to_vae")
    if fiche.active is False and not explicitly_selected:
        return _skip("inactive")
    entry = known.get(fiche.number)
    previous = entry["latest"] if entry else None
    content_hash = fiche.content_hash()  # only now: most fiches of a national file stop above
    if entry and content_hash in entry["hashes"]:
        reason = _("déjà importée à l'identique (version %(v)s)") % {"v": entry["hashes"][content_hash]}
        return Plan(UNCHANGED, reason=reason, previous=previous, content_hash=content_hash)
    if entry and entry["owners"] is not None:
        # Before the draft check: another organisation's drafts are none of this caller's business.
        refusal = _ownership_refusal(fiche, entry, acting)
        if refusal is not None:
            return refusal
    if entry and entry["draft"] is not None:
        return _skip(
            "draft_in_progress",
            _("version %(v)s ; publiez-la ou supprimez-la avant de réimporter la fiche") % {"v": entry["draft"]},
            previous=previous,
        )
    data, raws, warnings = certification_data(fiche, flux_version)
    try:
        data = read_certification(data, fiche.number)
    except ReferentialFormatError as exc:
        return _skip("invalid", str(exc), previous=previous, warnings=warnings)
    data["_raws"] = raws
    action = CREATED if previous is None else UPDATED
    return Plan(action, data=data, previous=previous, warnings=warnings, content_hash=content_hash)


def _write(fiche: Fiche, plan: Plan, flux_version: str, actor) -> Certification:
    """Save one planned fiche. The exchange format's creator makes the certification version
    (lineage, version number, slug, replaced certification, certifiers by SIRET); its blocs and
    compétences, plain rows with no grille to link, are inserted in two queries rather than one
    per row, with the raw texts the exchange format does not carry."""
    raws = plan.data.pop("_raws")
    blocks, plan.data["blocks"] = plan.data["blocks"], []
    with transaction.atomic():
        certification = create_certification(plan.data)
        Certification.objects.filter(pk=certification.pk).update(
            **rncp_fields(fiche), rncp_content_hash=plan.content_hash
        )
        rows = Block.objects.bulk_create(
            Block(
                certification=certification,
                code=b["code"],
                title=b["title"],
                order=b["order"],
                domain=b["domain"],
                description=b["description"],
                raw_competencies=raw_competencies,
                raw_assessment=raw_assessment,
            )
            for b, (raw_competencies, raw_assessment) in zip(blocks, raws, strict=True)
        )
        Competency.objects.bulk_create(
            Competency(block=row, **c) for row, b in zip(rows, blocks, strict=True) for c in b["competencies"]
        )
        CertificationEvent.objects.create(
            certification=certification,
            actor=actor,
            from_status="",
            to_status=CertificationStatus.DRAFT,
            comment=_("Import de la fiche %(code)s (flux RNCP %(version)s)")
            % {"code": fiche.number, "version": flux_version or "?"},
        )
    return certification


def import_fiches(
    fiches: Iterable[Fiche],
    *,
    codes: Iterable[str] | None = None,
    only_vae: bool = False,
    dry_run: bool = False,
    allowed_sirets: set[str] | None = None,
    acting: Acting = FICHE_CERTIFIERS,
    actor=None,
    flux_version: str | Callable[[], str] = "",
    on_outcome: Callable[[Outcome], None] | None = None,
) -> ImportReport:
    """Plan and (unless ``dry_run``) write each fiche. The caller holds the transaction."""
    started = time.monotonic()
    wanted = {"".join(c.split()).upper() for c in codes} if codes else None
    known = KnownCertifications(wanted)
    report = ImportReport(dry_run=dry_run)
    seen: set[str] = set()
    for fiche in fiches:
        report.fiches_read += 1
        if wanted is not None and fiche.number not in wanted:
            continue
        seen.add(fiche.number)
        version = flux_version() if callable(flux_version) else flux_version
        plan = plan_fiche(
            fiche,
            known,
            explicitly_selected=wanted is not None,
            only_vae=only_vae,
            allowed_sirets=allowed_sirets,
            acting=acting,
            flux_version=version,
        )
        outcome = Outcome(
            fiche.number,
            inline_text(fiche.title),
            plan.action,
            plan.reason_key,
            plan.reason,
            warnings=plan.warnings,
        )
        if plan.action in (CREATED, UPDATED):
            if dry_run:
                outcome.version = plan.previous[0] + 1 if plan.previous else 1
                known.add_draft(fiche.number, outcome.version, plan.content_hash)
            else:
                try:
                    certification = _write(fiche, plan, version, actor)
                except (IntegrityError, DataError) as exc:
                    # Confined to this fiche (its savepoint is rolled back): skip it, go on.
                    outcome.action, outcome.reason_key = SKIPPED, "database"
                    outcome.reason = f"{SKIP_REASONS['database']} : {exc}"
                else:
                    outcome.certification_id, outcome.version = certification.pk, certification.version
                    known.add_draft(fiche.number, certification.version, plan.content_hash)
        report.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    report.missing_codes = sorted(wanted - seen) if wanted else []
    report.elapsed = time.monotonic() - started
    return report


def parse_limits() -> ParseLimits:
    """The reading limits of the settings (docs/security.md), for the worker reading an upload
    and for ``import_flux`` alike: a file refused on the web is refused on the command line."""
    return ParseLimits(
        xml_bytes=settings.RNCP_INFLATED_MAX_BYTES,
        text_node_chars=settings.RNCP_TEXT_NODE_MAX_CHARS,
        fiche_chars=settings.RNCP_FICHE_MAX_CHARS,
    )


def import_flux(source: str | Path | BinaryIO, *, dry_run: bool = False, **options) -> ImportReport:
    """Import a whole flux file in one transaction (none for a dry run): all or nothing.

    Raises ``RncpFormatError`` (with line and column) when the file is not a readable flux, or
    breaks one of the reading limits; the transaction is then rolled back and nothing is imported.
    """
    reader = FluxReader(source, limits=parse_limits())
    version = lambda: reader.version or ""  # noqa: E731 (known once the first fiche is read)
    if dry_run:
        report = import_fiches(reader, dry_run=True, flux_version=version, **options)
    else:
        with transaction.atomic():
            report = import_fiches(reader, flux_version=version, **options)
    report.flux_version = reader.version or ""
    return report
