"""The one door for editing a draft referential: one declaration per editable part (bloc,
compétence, modalité, grille, critère, niveau) and four edits that every part goes through.

Rules (of every edit here, and of the special ones in ``certifications.services``):
- only a draft is edited: the certification row is locked (``select_for_update``) and checked by
  ``ensure_editable`` before anything is read or written; a published version never changes;
- an edit is atomic: complete, or absent;
- what an edit points to (a modalité's bloc, a criterion's compétences) belongs to the same
  certification (each part's ``check``);
- orders stay dense among siblings: an item is added last, a deletion closes ranks, a move swaps
  an item with its neighbour (at an end nothing moves);
- every edit is one row of the audit trail, ``referential.<part>_added|updated|deleted|moved``,
  in its transaction, with its actor; an update that changes nothing writes no row. A deletion
  records the item's fields (its links go with it).

Once the model has a new field, letting certifiers edit it is one line: its name in the part's
``fields`` (the back-office forms show exactly these, and the audit trail records them). A new
version copies a draft through the exchange format (``certifications.referential``): a field it
should carry over belongs there too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models import F, Max, Model, QuerySet
from django.utils.translation import gettext as _

from audit import services as audit
from certifications.enums import CertificationStatus
from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    Competency,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from core.errors import DomainError

M = TypeVar("M", bound=Model)
SHIFT = 100_000  # orders are moved out of the way before renumbering: (parent, order) is unique


class CertificationError(DomainError):
    """A refused change; the message is shown to the user."""


def ensure_editable(certification: Certification) -> None:
    """Only a draft can be edited; a published or archived version says so, and what to do."""
    if certification.status != CertificationStatus.DRAFT:
        message = _("La version %(version)s est %(status)s : elle ne peut plus être modifiée.")
        hint = _("Créez une nouvelle version.")
        values = {"version": certification.version, "status": certification.get_status_display()}
        raise CertificationError(f"{message % values} {hint}")


def lock_draft(certification_id: int) -> Certification:
    """The certification row, locked for the transaction, once it is known to be a draft."""
    cert = Certification.objects.select_for_update().get(pk=certification_id)
    ensure_editable(cert)
    return cert


def record(action: str, actor, cert: Certification | None, target=None, changes=None, **kwargs) -> None:
    """One row of the certification's audit trail (``referential.<action>``)."""
    audit.record(f"referential.{action}", actor=actor, certification=cert, target=target, changes=changes, **kwargs)


def renumber(items: list[Model]) -> None:
    """Give ``items`` the orders 1..n in list order, avoiding the (parent, order) unique clash."""
    if not items:
        return
    model = type(items[0])
    model.objects.filter(pk__in=[i.pk for i in items]).update(order=F("order") + SHIFT)
    for position, item in enumerate(items, start=1):
        item.order = position
        model.objects.filter(pk=item.pk).update(order=position)


@dataclass(frozen=True)
class EditableEntity(Generic[M]):
    """What the editor knows of one part of a referential."""

    name: str  # in the audit actions (``block_added``) and the back office's URL names
    model: type[M]
    parent: str  # the foreign key to what it is added to: certification, block or rubric
    fields: tuple[str, ...]  # what a certifier edits
    links: tuple[str, ...] = ()  # many-to-many fields edited with the others
    placed_by: tuple[str, ...] = ()  # set when created, never after; siblings share them too
    ordered: bool = True  # has an ``order`` among its siblings
    validate: bool = False  # run the model's validators (a threshold ≤ 100, a weight > 0) on save
    recorded_on_creation: tuple[str, ...] = ()  # recorded besides ``fields`` when created
    check: Callable[[Certification, dict[str, Any]], None] | None = None  # a rule on the values
    label: Callable[[M], str] = str  # how the audit trail names an item

    def record(self, verb: str, actor, cert: Certification, item: M, changes: dict[str, list]) -> None:
        record(f"{self.name}_{verb}", actor, cert, item, changes, target_repr=self.label(item))

    @property
    def certification_path(self) -> str:
        """The lookup from an item to its certification (every part is at most two levels down)."""
        return "certification" if self.parent == "certification" else f"{self.parent}__certification"

    def certification_id(self, item: M) -> int:
        owner = item if self.parent == "certification" else getattr(item, self.parent)
        return owner.certification_id

    def siblings(self, item: M) -> QuerySet[M]:
        """The items ordered with ``item`` (itself included): same parent, same placement."""
        by = (self.parent, *self.placed_by)
        return self.model.objects.filter(**{f"{f}_id": getattr(item, f"{f}_id") for f in by}).order_by("order")

    def snapshot(self, item: M, also: Iterable[str] = ()) -> dict[str, Any]:
        """The audited values of ``item``: its fields, and the ids of what it links to."""
        links = {name: audit.ids(getattr(item, name).all()) for name in self.links}
        return {**audit.values(item, [*self.fields, *also]), **links}

    def split(self, values: dict[str, Any], *, creating: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
        """``values`` as (fields, links); any other name is a programming error."""
        allowed = {*self.fields, *self.links, *(self.placed_by if creating else ())}
        if unknown := set(values) - allowed:
            raise ValueError(f"{self.name}: unexpected fields {sorted(unknown)}")
        fields = {k: v for k, v in values.items() if k not in self.links}
        return fields, {k: v for k, v in values.items() if k in self.links}


# --- the four edits -------------------------------------------------------------------------


@transaction.atomic
def add(entity: EditableEntity[M], parent: Model, actor=None, **values: Any) -> M:
    """A new item of ``parent`` (certification, bloc or grille), last among its siblings."""
    fields, links = entity.split(values, creating=True)
    item = entity.model(**{entity.parent: parent}, **fields)
    cert = lock_draft(entity.certification_id(item))
    if entity.check:
        entity.check(cert, values)
    if entity.ordered:
        item.order = (entity.siblings(item).aggregate(m=Max("order"))["m"] or 0) + 1
    if entity.validate:
        item.full_clean()
    item.save()
    for name, related in links.items():
        getattr(item, name).set(related)
    entity.record("added", actor, cert, item, audit.created(entity.snapshot(item, also=entity.recorded_on_creation)))
    return item


@transaction.atomic
def update(entity: EditableEntity[M], item: M, actor=None, **values: Any) -> M:
    """Change the given fields of ``item``; the others stay as they are."""
    fields, links = entity.split(values)
    cert = lock_draft(entity.certification_id(item))
    if entity.check:
        entity.check(cert, values)
    item = entity.model.objects.get(pk=item.pk)  # as it is under the lock
    before = entity.snapshot(item)
    for name, value in fields.items():
        setattr(item, name, value)
    if entity.validate:
        item.full_clean()
    item.save(update_fields=list(fields))
    for name, related in links.items():
        getattr(item, name).set(related)
    changes = audit.diff(before, entity.snapshot(item))
    if changes:
        entity.record("updated", actor, cert, item, changes)
    return item


@transaction.atomic
def delete(entity: EditableEntity[M], item: M, actor=None) -> None:
    """Delete ``item`` with what hangs from it (the database cascades); its siblings close ranks."""
    cert = lock_draft(entity.certification_id(item))
    entity.record("deleted", actor, cert, item, audit.deleted(audit.values(item, entity.fields)))
    siblings = entity.siblings(item) if entity.ordered else None
    entity.model.objects.filter(pk=item.pk).delete()
    if siblings is not None:
        renumber(list(siblings))


@transaction.atomic
def move(entity: EditableEntity[M], item: M, actor=None, direction: int = 1) -> M:
    """Swap ``item`` with its neighbour (-1: up, +1: down); returns it with its new order.

    The row records the order before and after (one row: the renumbering is queryset updates).
    """
    cert = lock_draft(entity.certification_id(item))
    items = list(entity.siblings(item))
    index = next(i for i, sibling in enumerate(items) if sibling.pk == item.pk)
    item, before = items[index], items[index].order
    neighbour = index + direction
    swapped = direction in (-1, 1) and 0 <= neighbour < len(items)
    if swapped:
        items[index], items[neighbour] = items[neighbour], items[index]
    renumber(items)  # also closes gaps a hand-made import may have left
    if swapped:
        entity.record("moved", actor, cert, item, {"order": [before, item.order]})
    return item


# --- the parts of a referential -------------------------------------------------------------


def _bloc_in_certification(cert: Certification, values: dict[str, Any]) -> None:
    """A modalité sits in a bloc of its own certification (or in none: a transversal one)."""
    block = values.get("block")
    if block is not None and block.certification_id != cert.pk:
        raise CertificationError(_("Ce bloc n'appartient pas à cette certification."))


def _competencies_in_certification(cert: Certification, values: dict[str, Any]) -> None:
    """A criterion assesses compétences of its own certification."""
    if any(c.block.certification_id != cert.pk for c in values.get("competencies", ())):
        raise CertificationError(_("Une compétence choisie n'appartient pas à cette certification."))


def competency_label(competency: Competency) -> str:
    """A compétence in the audit trail: its code and whole text (``str`` cuts the text at 80)."""
    return f"{competency.code} {competency.text}".strip()[:255]


BLOCK = EditableEntity(
    name="block",
    model=Block,
    parent="certification",
    fields=("code", "title", "domain", "description"),
)
COMPETENCY = EditableEntity(
    name="competency",
    model=Competency,
    parent="block",
    fields=("code", "group", "text"),
    recorded_on_creation=("block",),
    label=competency_label,
)
METHOD = EditableEntity(
    name="method",
    model=AssessmentMethod,
    parent="certification",
    fields=("kind", "title", "description", "duration", "length", "assessors", "access_routes", "vae_requirement"),
    placed_by=("block",),  # a bloc's modalités, or (None) the transversal ones
    recorded_on_creation=("block",),
    check=_bloc_in_certification,
)
RUBRIC = EditableEntity(  # created by ``services.create_rubric``, with its first levels
    name="rubric",
    model=Rubric,
    parent="certification",
    fields=("title", "pass_threshold_percent", "no_minimum_level", "pass_rule", "is_portal_default"),
    ordered=False,
    validate=True,
)
CRITERION = EditableEntity(
    name="criterion",
    model=RubricCriterion,
    parent="rubric",
    fields=("text", "weight"),
    links=("competencies",),
    validate=True,
    check=_competencies_in_certification,
)
LEVEL = EditableEntity(
    name="level",
    model=RubricLevel,
    parent="rubric",
    fields=("label", "points"),
)
