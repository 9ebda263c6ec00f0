"""The referential exchange format (``docs/referential-format.md``): export and import.

Export and import round-trip exactly: importing an export and exporting it again gives the
same document (except ``status`` and ``version``, which the importing portal decides).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from certifications.enums import AccessRoute, AssessmentKind, CertificationStatus
from certifications.jury_rule import JuryRule, JuryRuleError
from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    Certifier,
    Competency,
    Rubric,
    RubricCriterion,
    RubricLevel,
    certification_code_validator,
)
from core.errors import DomainError

FORMAT = "vae-portal-referential"
FORMAT_VERSION = 1

TEXT_FIELDS = [
    "rules",
    "jury_composition",
    "prerequisites",
    "fees",
    "jury_place",
    "notes",
    "source",
    "replaces_code",
]
BOOL_FIELDS = ["requires_all_blocks", "requires_transversal", "partial_validation"]
# ISO dates. The registration's length is not stored: it runs from the decision to the end.
DATE_FIELDS = ["end_of_registration", "rncp_decision_date", "jury_composition_date"]
LIST_FIELDS = [
    "nsf_codes",
    "formacodes",
    "rome_codes",
    # The dossier de faisabilité's rubriques 1 and 2 (docs/recevabilite.md).
    "regulatory_prerequisites",
    "options",
    "foreign_languages",
    "parcours",
]
METHOD_FIELDS = ["title", "description", "duration", "length", "assessors", "vae_requirement"]


class ReferentialFormatError(DomainError):
    """The document does not follow the format; the message says where and what."""


# --- export -------------------------------------------------------------------------------


def _weight(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _export_rubric(rubric: Rubric | None, block_orders: dict[int, int]) -> dict[str, Any] | None:
    if rubric is None:
        return None
    return {
        "title": rubric.title,
        "levels": [{"label": lvl.label, "points": lvl.points} for lvl in rubric.levels.all()],
        "criteria": [
            {
                "text": crit.text,
                "weight": _weight(crit.weight),
                "competencies": [
                    {"block": block_orders[c.block_id], "competency": c.order}
                    for c in sorted(crit.competencies.all(), key=lambda c: (block_orders[c.block_id], c.order))
                ],
            }
            for crit in rubric.criteria.all()
        ],
        "pass_rule": {
            "threshold_percent": rubric.pass_threshold_percent,
            "no_minimum_level": rubric.no_minimum_level,
            "description": rubric.pass_rule,
        },
        "portal_default": rubric.is_portal_default,
    }


def _export_method(method: AssessmentMethod) -> dict[str, Any]:
    data = {"kind": method.kind}
    data.update({name: getattr(method, name) for name in METHOD_FIELDS})
    data["access_routes"] = method.access_routes
    return data


def _get_rubric(obj, attr: str) -> Rubric | None:
    try:
        return getattr(obj, attr)
    except Rubric.DoesNotExist:
        return None


def export_certification(cert: Certification) -> dict[str, Any]:
    blocks = list(
        cert.blocks.prefetch_related(
            "competencies",
            "assessment_methods",
            "rubric__levels",
            "rubric__criteria__competencies",
        )
    )
    block_orders = {b.pk: b.order for b in blocks}
    data: dict[str, Any] = {
        "code": cert.code,
        "slug": cert.slug,
        "title": cert.title,
        "level": cert.level,
        "status": cert.status,
        "version": cert.version,
    }
    data.update({name: list(getattr(cert, name)) for name in LIST_FIELDS})
    data.update({name: getattr(cert, name).isoformat() if getattr(cert, name) else None for name in DATE_FIELDS})
    data.update({name: getattr(cert, name) for name in BOOL_FIELDS})
    data.update({name: getattr(cert, name) for name in TEXT_FIELDS})
    data["min_narrative_length"] = cert.min_narrative_length
    data["jury_rule"] = JuryRule.from_data(cert.jury_rule).to_data()
    data["certifiers"] = [
        {"name": c.legal_name, "siret": c.siret, "commercial_name": c.commercial_name, "website": c.website}
        for c in cert.certifiers.order_by("legal_name")
    ]
    data["blocks"] = [
        {
            "code": b.code,
            "title": b.title,
            "order": b.order,
            "domain": b.domain,
            "description": b.description,
            "competencies": [
                {"code": c.code, "group": c.group, "text": c.text, "order": c.order} for c in b.competencies.all()
            ],
            "assessment_methods": [_export_method(m) for m in b.assessment_methods.all()],
            "rubric": _export_rubric(_get_rubric(b, "rubric"), block_orders),
        }
        for b in blocks
    ]
    data["transversal_assessments"] = [
        {**_export_method(m), "rubric": _export_rubric(_get_rubric(m, "rubric"), block_orders)}
        for m in cert.assessment_methods.filter(block__isnull=True).prefetch_related(
            "rubric__levels", "rubric__criteria__competencies"
        )
    ]
    return data


def export_document(certifications) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "certifications": [export_certification(c) for c in certifications],
    }


# --- validation ---------------------------------------------------------------------------


class _Reader:
    """Reads typed values out of a JSON object, naming the path of any problem."""

    def __init__(self, data: Any, path: str):
        if not isinstance(data, dict):
            raise ReferentialFormatError(f"{path} : un objet JSON est attendu.")
        self.data = data
        self.path = path

    def _fail(self, key: str, expected: str) -> None:
        raise ReferentialFormatError(f"{self.path}.{key} : {expected} attendu, trouvé {self.data.get(key)!r}.")

    def required(self, key: str) -> Any:
        if key not in self.data:
            raise ReferentialFormatError(f"{self.path}.{key} : champ obligatoire manquant.")
        return self.data[key]

    def text(self, key: str, required: bool = False, max_length: int | None = None) -> str:
        value = self.required(key) if required else self.data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self._fail(key, "un texte")
        if required and not value.strip():
            raise ReferentialFormatError(f"{self.path}.{key} : ne doit pas être vide.")
        if max_length and len(value) > max_length:
            raise ReferentialFormatError(f"{self.path}.{key} : {max_length} caractères au plus.")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self._fail(key, "un booléen (true/false)")
        return value

    def integer(self, key: str, required: bool = False, default: int | None = None) -> int | None:
        value = self.required(key) if required else self.data.get(key, default)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._fail(key, "un entier")
        return value

    def items(self, key: str, required: bool = False) -> list[Any]:
        value = self.required(key) if required else self.data.get(key, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            self._fail(key, "une liste")
        return value


def _limit(model, name: str) -> int | None:
    """The longest text the model's field takes (``core.limits``): an import is held to it too."""
    return model._meta.get_field(name).max_length


def _read_rubric(data: Any, path: str) -> dict[str, Any] | None:
    if data is None:
        return None
    r = _Reader(data, path)
    levels = []
    for i, raw in enumerate(r.items("levels", required=True)):
        lr = _Reader(raw, f"{path}.levels[{i}]")
        points = lr.integer("points", required=True)
        if points < 0:
            raise ReferentialFormatError(f"{path}.levels[{i}].points : doit être positif ou nul.")
        levels.append({"label": lr.text("label", required=True, max_length=200), "points": points})
    if not levels:
        raise ReferentialFormatError(f"{path}.levels : une grille a au moins un niveau.")
    criteria = []
    for i, raw in enumerate(r.items("criteria", required=True)):
        cr = _Reader(raw, f"{path}.criteria[{i}]")
        weight_raw = cr.data.get("weight", 1)
        try:
            if isinstance(weight_raw, bool):
                raise InvalidOperation
            weight = Decimal(str(weight_raw))
        except InvalidOperation:
            raise ReferentialFormatError(f"{path}.criteria[{i}].weight : un nombre est attendu.") from None
        if weight <= 0:
            raise ReferentialFormatError(f"{path}.criteria[{i}].weight : doit être strictement positif.")
        links = []
        for j, link in enumerate(cr.items("competencies")):
            lr = _Reader(link, f"{path}.criteria[{i}].competencies[{j}]")
            links.append((lr.integer("block", required=True), lr.integer("competency", required=True)))
        text = cr.text("text", required=True, max_length=_limit(RubricCriterion, "text"))
        criteria.append({"text": text, "weight": weight, "links": links})
    rule = _Reader(r.data.get("pass_rule") or {}, f"{path}.pass_rule")
    threshold = rule.integer("threshold_percent", default=50)
    if not 0 <= threshold <= 100:
        raise ReferentialFormatError(f"{path}.pass_rule.threshold_percent : entre 0 et 100.")
    return {
        "title": r.text("title", max_length=500),
        "levels": levels,
        "criteria": criteria,
        "threshold": threshold,
        "no_minimum_level": rule.boolean("no_minimum_level", False),
        "pass_rule": rule.text("description", max_length=_limit(Rubric, "pass_rule")),
        "portal_default": r.boolean("portal_default", False),
    }


def _read_method(data: Any, path: str) -> dict[str, Any]:
    r = _Reader(data, path)
    kind = r.text("kind", required=True)
    if kind not in AssessmentKind.values:
        raise ReferentialFormatError(
            f"{path}.kind : type inconnu {kind!r} (attendu : {', '.join(AssessmentKind.values)})."
        )
    method = {"kind": kind}
    for name in METHOD_FIELDS:
        method[name] = r.text(name, max_length=_limit(AssessmentMethod, name))
    routes = r.text("access_routes") or AccessRoute.ALL
    if routes not in AccessRoute.values:
        raise ReferentialFormatError(
            f"{path}.access_routes : voie inconnue {routes!r} (attendu : {', '.join(AccessRoute.values)})."
        )
    method["access_routes"] = routes
    return method


def _read_date(r: _Reader, key: str) -> dt.date | None:
    value = r.data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        r._fail(key, "une date AAAA-MM-JJ")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReferentialFormatError(f"{r.path}.{key} : date AAAA-MM-JJ attendue, trouvé {value!r}.") from None


def read_certification(data: Any, path: str) -> dict[str, Any]:
    """Validate one certification object; return plain values ready to be saved."""
    r = _Reader(data, path)
    cert: dict[str, Any] = {
        "code": r.text("code", max_length=12),
        "title": r.text("title", required=True, max_length=800),
        "slug": r.text("slug", max_length=120),
        "level": r.integer("level"),
        "status": r.text("status") or CertificationStatus.DRAFT,
        "version": r.integer("version", default=1),
        **{name: _read_date(r, name) for name in DATE_FIELDS},
        "min_narrative_length": r.integer("min_narrative_length", default=300),
    }
    if cert["code"]:
        try:
            certification_code_validator(cert["code"])
        except ValidationError:
            raise ReferentialFormatError(f"{path}.code : {cert['code']!r} n'est pas un code RNCP ou RS.") from None
    if cert["level"] is not None and not 3 <= cert["level"] <= 8:
        raise ReferentialFormatError(f"{path}.level : niveau européen entre 3 et 8 attendu.")
    if cert["status"] not in CertificationStatus.values:
        raise ReferentialFormatError(f"{path}.status : statut inconnu {cert['status']!r}.")
    if cert["slug"] and slugify(cert["slug"]) != cert["slug"]:
        raise ReferentialFormatError(f"{path}.slug : {cert['slug']!r} n'est pas un identifiant valide.")
    cert["slug"] = cert["slug"] or slugify(cert["code"] or cert["title"])[:120]
    for name in LIST_FIELDS:
        values = r.items(name)
        if not all(isinstance(v, str) for v in values):
            raise ReferentialFormatError(f"{path}.{name} : une liste de textes est attendue.")
        cert[name] = values
    for name in BOOL_FIELDS:
        cert[name] = r.boolean(name, Certification._meta.get_field(name).default)
    for name in TEXT_FIELDS:
        cert[name] = r.text(name, max_length=_limit(Certification, name))
    certifiers = []
    for i, raw in enumerate(r.items("certifiers")):
        cr = _Reader(raw, f"{path}.certifiers[{i}]")
        siret = cr.text("siret")
        if siret and not (len(siret) == 14 and siret.isdigit()):
            raise ReferentialFormatError(f"{path}.certifiers[{i}].siret : 14 chiffres attendus.")
        certifiers.append(
            {
                "name": cr.text("name", required=True, max_length=255),
                "siret": siret,
                "commercial_name": cr.text("commercial_name", max_length=255),
                "website": cr.text("website", max_length=200),
            }
        )
    cert["certifiers"] = certifiers
    try:
        cert["jury_rule"] = JuryRule.from_data(r.data.get("jury_rule")).to_data()
    except JuryRuleError as exc:
        raise ReferentialFormatError(f"{path}.{exc}") from None
    blocks = []
    seen_orders: set[int] = set()
    for i, raw in enumerate(r.items("blocks")):
        bpath = f"{path}.blocks[{i}]"
        br = _Reader(raw, bpath)
        order = br.integer("order", required=True)
        if order in seen_orders:
            raise ReferentialFormatError(f"{bpath}.order : l'ordre {order} est déjà utilisé par un autre bloc.")
        seen_orders.add(order)
        competencies = []
        comp_orders: set[int] = set()
        for j, craw in enumerate(br.items("competencies")):
            cpath = f"{bpath}.competencies[{j}]"
            cr = _Reader(craw, cpath)
            corder = cr.integer("order", required=True)
            if corder in comp_orders:
                raise ReferentialFormatError(f"{cpath}.order : l'ordre {corder} est déjà utilisé dans ce bloc.")
            comp_orders.add(corder)
            competencies.append(
                {
                    "code": cr.text("code", max_length=40),
                    "group": cr.text("group", max_length=500),
                    "text": cr.text("text", required=True, max_length=_limit(Competency, "text")),
                    "order": corder,
                }
            )
        blocks.append(
            {
                "code": br.text("code", max_length=40),
                "title": br.text("title", required=True, max_length=800),
                "order": order,
                "domain": br.text("domain", max_length=500),
                "description": br.text("description", max_length=_limit(Block, "description")),
                "competencies": competencies,
                "methods": [
                    _read_method(m, f"{bpath}.assessment_methods[{k}]")
                    for k, m in enumerate(br.items("assessment_methods"))
                ],
                "rubric": _read_rubric(br.data.get("rubric"), f"{bpath}.rubric"),
            }
        )
    cert["blocks"] = blocks
    transversal = []
    for i, raw in enumerate(r.items("transversal_assessments")):
        tpath = f"{path}.transversal_assessments[{i}]"
        method = _read_method(raw, tpath)
        method["rubric"] = _read_rubric(raw.get("rubric"), f"{tpath}.rubric")
        transversal.append(method)
    cert["transversal"] = transversal
    # Every criterion link must name a compétence that exists in this document.
    known = {(b["order"], c["order"]) for b in blocks for c in b["competencies"]}
    rubrics = [(f"{path}.blocks[{i}].rubric", b["rubric"]) for i, b in enumerate(blocks)]
    rubrics += [(f"{path}.transversal_assessments[{i}].rubric", t["rubric"]) for i, t in enumerate(transversal)]
    for rpath, rubric in rubrics:
        for k, crit in enumerate((rubric or {}).get("criteria", [])):
            for link in crit["links"]:
                if link not in known:
                    raise ReferentialFormatError(
                        f"{rpath}.criteria[{k}].competencies : aucune compétence d'ordre {link[1]} "
                        f"dans le bloc d'ordre {link[0]}."
                    )
    return cert


def read_document(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        raise ReferentialFormatError("Le document doit être un objet JSON.")
    if data.get("format") != FORMAT:
        raise ReferentialFormatError(f"format : {FORMAT!r} attendu, trouvé {data.get('format')!r}.")
    if data.get("version") != FORMAT_VERSION:
        raise ReferentialFormatError(
            f"version : seule la version {FORMAT_VERSION} est comprise, trouvé {data.get('version')!r}."
        )
    items = data.get("certifications")
    if not isinstance(items, list) or not items:
        raise ReferentialFormatError("certifications : une liste non vide est attendue.")
    return [read_certification(item, f"certifications[{i}]") for i, item in enumerate(items)]


# --- import -------------------------------------------------------------------------------


def _get_certifier(data: dict[str, Any]) -> Certifier:
    if data["siret"]:
        certifier, _ = Certifier.objects.get_or_create(
            siret=data["siret"],
            defaults={
                "legal_name": data["name"],
                "commercial_name": data["commercial_name"],
                "website": data["website"],
            },
        )
        return certifier
    certifier = Certifier.objects.filter(legal_name=data["name"], siret="").first()
    if certifier is None:
        certifier = Certifier.objects.create(
            legal_name=data["name"], commercial_name=data["commercial_name"], website=data["website"]
        )
    return certifier


def _save_rubric(rubric: dict[str, Any], cert: Certification, comps: dict, **owner) -> None:
    obj = Rubric.objects.create(
        certification=cert,
        title=rubric["title"],
        pass_threshold_percent=rubric["threshold"],
        no_minimum_level=rubric["no_minimum_level"],
        pass_rule=rubric["pass_rule"],
        is_portal_default=rubric["portal_default"],
        **owner,
    )
    RubricLevel.objects.bulk_create(
        RubricLevel(rubric=obj, label=lvl["label"], points=lvl["points"], order=i)
        for i, lvl in enumerate(rubric["levels"], start=1)
    )
    for i, crit in enumerate(rubric["criteria"], start=1):
        criterion = RubricCriterion.objects.create(rubric=obj, text=crit["text"], weight=crit["weight"], order=i)
        if crit["links"]:
            criterion.competencies.set([comps[link] for link in crit["links"]])


def find_lineage(data: dict[str, Any]) -> Certification | None:
    """The latest existing version of the same certification: same code, else same slug."""
    qs = Certification.objects.order_by("-version")
    if data["code"]:
        return qs.filter(code=data["code"]).first()
    return qs.filter(slug=data["slug"]).first()


def find_replaced(code: str) -> Certification | None:
    """The certification a version replaces: the latest version of ``replaces_code``."""
    return Certification.objects.filter(code=code).order_by("-version").first() if code else None


def certification_row(
    data: dict[str, Any],
    previous: Certification | None,
    status: str | None = None,
    replaces: Certification | None = None,
) -> Certification:
    """The unsaved version ``create_certification`` saves: a new lineage, or the next version of
    ``previous`` (the ``find_lineage`` of ``data``). The RNCP import builds its rows here too, to
    insert many at once, so both write the same columns."""
    fields = {name: data[name] for name in TEXT_FIELDS + BOOL_FIELDS + LIST_FIELDS + DATE_FIELDS}
    return Certification(
        lineage=previous.lineage if previous else uuid.uuid4(),
        version=previous.version + 1 if previous else (data["version"] or 1),
        status=status or CertificationStatus.DRAFT,
        code=data["code"],
        slug=previous.slug if previous else data["slug"],
        title=data["title"],
        level=data["level"],
        min_narrative_length=data["min_narrative_length"],
        jury_rule=data.get("jury_rule") or {},
        published_at=timezone.now() if status == CertificationStatus.PUBLISHED else None,
        replaces=replaces,
        **fields,
    )


@transaction.atomic
def create_certification(data: dict[str, Any], status: str | None = None) -> Certification:
    """Save one validated certification. As a draft, or a new draft version of an existing one,
    unless ``status`` says otherwise (the reference fixtures load as published)."""
    cert = certification_row(data, find_lineage(data), status, find_replaced(data["replaces_code"]))
    cert.save(force_insert=True)
    cert.certifiers.set([_get_certifier(c) for c in data["certifiers"]])
    comps: dict[tuple[int, int], Competency] = {}
    for b in data["blocks"]:
        block = Block.objects.create(
            certification=cert,
            code=b["code"],
            title=b["title"],
            order=b["order"],
            domain=b["domain"],
            description=b["description"],
        )
        for c in b["competencies"]:
            comps[(b["order"], c["order"])] = Competency.objects.create(block=block, **c)
        for i, m in enumerate(b["methods"], start=1):
            AssessmentMethod.objects.create(certification=cert, block=block, order=i, **m)
        b["_obj"] = block
    for b in data["blocks"]:
        if b["rubric"]:
            _save_rubric(b["rubric"], cert, comps, block=b.pop("_obj"))
    for i, t in enumerate(data["transversal"], start=1):
        rubric = t.pop("rubric")
        method = AssessmentMethod.objects.create(certification=cert, block=None, order=i, **t)
        if rubric:
            _save_rubric(rubric, cert, comps, assessment_method=method)
    return cert


@transaction.atomic
def import_document(data: Any, status: str | None = None) -> list[Certification]:
    """Validate the whole document first, then save it in one transaction: all or nothing."""
    return [create_certification(item, status=status) for item in read_document(data)]
