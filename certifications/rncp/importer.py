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
- planned fiches are written in batches (``BATCH_SIZE``), one insert per table per batch, in a
  savepoint; a batch the database refuses is written again fiche by fiche, each in its own
  savepoint, so a fiche at fault is skipped and leaves nothing of itself, as before;
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
from django.db import DataError, IntegrityError, connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certifications.enums import CertificationStatus, RncpStatus
from certifications.models import (
    Block,
    Certification,
    CertificationEvent,
    Certifier,
    Competency,
    certification_code_validator,
)
from certifications.permissions import may_version_lineage
from certifications.referential import ReferentialFormatError, certification_row, read_certification
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
# Fiches written together: each table gets one insert per batch instead of one per fiche (a few
# hundred keep the batch's rows to a few megabytes). Outcomes wait for their batch; past this many
# (a long run of skipped fiches) the batch is written early, to keep memory flat.
BATCH_SIZE = 250
MAX_WAITING_OUTCOMES = 2000


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


@dataclass
class _Draft:
    """A planned fiche waiting in the batch: what its rows are made of, and its outcome to fill."""

    code: str
    plan: Plan
    rncp_fields: dict[str, Any]
    flux_version: str
    outcome: Outcome


def _latest_versions(codes: Collection[str]) -> dict[str, Certification]:
    """The latest version of each code, in one query (``find_lineage`` / ``find_replaced`` for
    a whole batch)."""
    latest: dict[str, Certification] = {}
    if codes:
        rows = Certification.objects.filter(code__in=codes).only("code", "lineage", "version", "slug")
        for row in rows.order_by("code", "-version"):
            latest.setdefault(row.code, row)
    return latest


def _certifier_key(data: dict[str, str]) -> tuple[str, str]:
    """How the exchange format's creator matches a certifier: by SIRET, by name when none."""
    return ("siret", data["siret"]) if data["siret"] else ("name", data["name"])


def _certifiers_of(drafts: list[_Draft]) -> dict[tuple[str, str], int]:
    """The certifier id of every certifier named in the batch, matched as ``_get_certifier`` does
    (by SIRET, by name among those without one; the oldest when a name is shared); the unknown
    ones are created in the order they are met, with the first fiche's name and website."""
    wanted: dict[tuple[str, str], dict[str, str]] = {}
    for d in drafts:
        for c in d.plan.data["certifiers"]:
            wanted.setdefault(_certifier_key(c), c)  # the first fiche's details, as get_or_create
    sirets = [value for kind, value in wanted if kind == "siret"]
    names = [value for kind, value in wanted if kind == "name"]
    ids: dict[tuple[str, str], int] = {}
    if sirets:
        found = Certifier.objects.filter(siret__in=sirets).values_list("siret", "pk")
        ids.update((("siret", siret), pk) for siret, pk in found)
    if names:
        found = Certifier.objects.filter(siret="", legal_name__in=names).order_by("-pk").values_list("legal_name", "pk")
        ids.update((("name", name), pk) for name, pk in found)  # the lowest pk wins
    missing = [(key, c) for key, c in wanted.items() if key not in ids]
    created = Certifier.objects.bulk_create(
        Certifier(
            legal_name=c["name"],
            siret=c["siret"],
            commercial_name=c["commercial_name"],
            website=c["website"],
        )
        for _key, c in missing
    )
    ids.update((key, row.pk) for (key, _c), row in zip(missing, created, strict=True))
    return ids


def _insert_certifications(drafts: list[_Draft]) -> list[Certification]:
    """One version per draft, as ``referential.create_certification`` makes it: the next version
    of the code's lineage, replacing the latest version of ``replaces_code`` *at the fiche's
    place in the file* (a certification written earlier in the batch counts, a later one not)."""
    codes = {d.code for d in drafts}
    latest = _latest_versions(codes | {d.plan.data["replaces_code"] for d in drafts} - {""})
    rows: list[Certification] = []
    written: dict[str, Certification] = {}  # code → the row this batch writes for it
    replaced_later: list[tuple[Certification, Certification]] = []
    for d in drafts:
        replaces_code = d.plan.data["replaces_code"]
        row = certification_row(d.plan.data, latest.get(d.code))
        if replaces_code in written:
            replaced_later.append((row, written[replaces_code]))
        else:
            row.replaces = latest.get(replaces_code)
        row.open_to_vae = d.rncp_fields["open_to_vae"]
        row.rncp_status = d.rncp_fields["rncp_status"]
        row.replaced_by_code = d.rncp_fields["replaced_by_code"]
        row.rncp_content_hash = d.plan.content_hash
        rows.append(row)
        written[d.code] = row
    Certification.objects.bulk_create(rows)
    if replaced_later:
        for row, target in replaced_later:
            row.replaces = target
        Certification.objects.bulk_update([row for row, _target in replaced_later], ["replaces"])
    return rows


def _insert_certifier_links(drafts: list[_Draft], rows: list[Certification]) -> None:
    ids = _certifiers_of(drafts)
    Link = Certification.certifiers.through
    links = []
    for d, row in zip(drafts, rows, strict=True):
        certifier_ids = dict.fromkeys(ids[_certifier_key(c)] for c in d.plan.data["certifiers"])
        links += [Link(certification_id=row.pk, certifier_id=pk) for pk in certifier_ids]
    Link.objects.bulk_create(links)


def _insert_rows(model, names: list[str], rows: list[tuple], *, returning_ids: bool = False) -> list[int]:
    """Insert plain rows of ``model`` (values of the fields ``names``, ready for the database) in
    multi-row INSERTs, without a model instance per row: for the tens of thousands of blocs and
    compétences of a national file, building instances and having the ORM compile each value cost
    more than the database did. The model's other fields take their default, as an instance
    would give them (a callable default is called per row). Returns the new ids, in order, when
    asked (PostgreSQL and SQLite return them in the order of the VALUES, as ``bulk_create`` relies on)."""
    if not rows:
        return []
    meta = model._meta
    given = [meta.get_field(name) for name in names]
    template = model()
    constant, per_row = [], []
    for other in meta.concrete_fields:
        if other.primary_key or other in given:
            continue
        if other.has_default() and callable(other.default):
            per_row.append(other)
        else:
            constant.append((other, other.get_db_prep_save(other.pre_save(template, add=True), connection)))
    columns = given + [f for f, _v in constant] + per_row
    tail = tuple(v for _f, v in constant)
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) VALUES "
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    returning = f" RETURNING {quote(meta.pk.column)}" if returning_ids else ""
    size = connection.ops.bulk_batch_size(columns, rows)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [
                value
                for row in chunk
                for value in (*row, *tail, *(f.get_db_prep_save(f.get_default(), connection) for f in per_row))
            ]
            cursor.execute(head + ", ".join([placeholders] * len(chunk)) + returning, params)
            if returning_ids:
                ids += [pk for (pk,) in cursor.fetchall()]
    return ids


BLOCK_COLUMNS = [
    "certification",
    "code",
    "title",
    "order",
    "domain",
    "description",
    "raw_competencies",
    "raw_assessment",
]
COMPETENCY_COLUMNS = ["block", "code", "group", "text", "order"]


def _insert_blocks(drafts: list[_Draft], rows: list[Certification]) -> None:
    """The blocs and their proposed compétences, with the raw texts the exchange format does not
    carry; plain rows with no grille to link."""
    blocks: list[tuple] = []
    competencies: list[list[dict[str, Any]]] = []
    for d, row in zip(drafts, rows, strict=True):
        for b, (raw_competencies, raw_assessment) in zip(d.plan.data["blocks"], d.plan.data["_raws"], strict=True):
            texts = (b["code"], b["title"], b["order"], b["domain"], b["description"])
            blocks.append((row.pk, *texts, raw_competencies, raw_assessment))
            competencies.append(b["competencies"])
    block_ids = _insert_rows(Block, BLOCK_COLUMNS, blocks, returning_ids=True)
    _insert_rows(
        Competency,
        COMPETENCY_COLUMNS,
        [
            (block_id, c["code"], c["group"], c["text"], c["order"])
            for block_id, items in zip(block_ids, competencies, strict=True)
            for c in items
        ],
    )


def _insert_history(drafts: list[_Draft], rows: list[Certification], actor) -> None:
    CertificationEvent.objects.bulk_create(
        CertificationEvent(
            certification=row,
            actor=actor,
            from_status="",
            to_status=CertificationStatus.DRAFT,
            comment=_("Import de la fiche %(code)s (flux RNCP %(version)s)")
            % {"code": d.code, "version": d.flux_version or "?"},
        )
        for d, row in zip(drafts, rows, strict=True)
    )


def _write_batch(drafts: list[_Draft], actor) -> list[Certification]:
    """Save planned fiches in one savepoint, each table in one insert whatever the number of
    fiches: the rows of ``referential.create_certification`` plus the RNCP columns, blocs with
    their raw texts, compétences and a history line each. All of them or none."""
    with transaction.atomic():
        rows = _insert_certifications(drafts)
        _insert_certifier_links(drafts, rows)
        _insert_blocks(drafts, rows)
        _insert_history(drafts, rows, actor)
    return rows


class _Batch:
    """The fiches planned since the last write, written together (``BATCH_SIZE`` at a time).

    Each fiche keeps the guarantee of its own savepoint: when the database refuses a batch, it is
    rolled back and its fiches are written again one by one, each in its savepoint, so that only
    the fiche at fault is skipped and nothing of it is left. Outcomes are reported in the file's
    order once their batch is written; a fiche whose code is already waiting in the batch sends
    the batch first, so that it is planned knowing what the first one became (as before)."""

    def __init__(self, known: KnownCertifications, report: ImportReport, actor, on_outcome):
        self.known, self.report, self.actor, self.on_outcome = known, report, actor, on_outcome
        self.drafts: list[_Draft] = []
        self.codes: set[str] = set()
        self.outcomes: list[Outcome] = []

    def add(self, outcome: Outcome, draft: _Draft | None = None) -> None:
        if draft is not None:
            self.drafts.append(draft)
            self.codes.add(draft.code)
        if self.drafts:
            self.outcomes.append(outcome)
        else:
            self._report(outcome)
        if len(self.drafts) >= BATCH_SIZE or len(self.outcomes) >= MAX_WAITING_OUTCOMES:
            self.flush()

    def flush(self) -> None:
        if self.drafts:
            try:
                self._written(self.drafts, _write_batch(self.drafts, self.actor))
            except (IntegrityError, DataError):
                for draft in self.drafts:
                    try:
                        self._written([draft], _write_batch([draft], self.actor))
                    except (IntegrityError, DataError) as exc:
                        # Confined to this fiche (its savepoint is rolled back): skip it, go on.
                        draft.outcome.action, draft.outcome.reason_key = SKIPPED, "database"
                        draft.outcome.reason = f"{SKIP_REASONS['database']} : {exc}"
        for outcome in self.outcomes:
            self._report(outcome)
        self.drafts, self.codes, self.outcomes = [], set(), []

    def _written(self, drafts: list[_Draft], rows: list[Certification]) -> None:
        for draft, row in zip(drafts, rows, strict=True):
            draft.outcome.certification_id, draft.outcome.version = row.pk, row.version
            self.known.add_draft(draft.code, row.version, draft.plan.content_hash)

    def _report(self, outcome: Outcome) -> None:
        self.report.add(outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome)


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
    batch = _Batch(known, report, actor, on_outcome)
    seen: set[str] = set()
    for fiche in fiches:
        report.fiches_read += 1
        if wanted is not None and fiche.number not in wanted:
            continue
        seen.add(fiche.number)
        if fiche.number in batch.codes:
            batch.flush()
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
        draft = None
        if plan.action in (CREATED, UPDATED):
            if dry_run:
                outcome.version = plan.previous[0] + 1 if plan.previous else 1
                known.add_draft(fiche.number, outcome.version, plan.content_hash)
            else:
                draft = _Draft(fiche.number, plan, rncp_fields(fiche), version, outcome)
        batch.add(outcome, draft)
    batch.flush()
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
