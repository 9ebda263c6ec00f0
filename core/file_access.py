"""The one door that says who may read a file: ``grant(user, kind, obj, as_=…)``.

Every view that sends a stored file asks here, in one call, before ``core.files.serve_file``.
``core`` is the lowest layer: it knows no file; each app registers the rules of the files it
owns, or reads, in its ``AppConfig.ready`` (``register``), and the views ask by name.

The question carries the page it is asked from (``as_``), because the same file answers
differently on different pages: a certifier reads a candidate's submitted proof on the
certifier's pages, never on the candidate's (404 there). The audiences:

- ``"candidate"``: the candidate's own pages (``/dossiers/…``), and the account's (the data
  export), for the owner of the file;
- ``"jury"``: what a jury member reads of a dossier convoked to their session (the proof
  download shared with the candidate's pages asks ``as_=("candidate", "jury")``);
- ``"certifier"``: the back office and the France VAE pages, for staff of a certifier;
- ``"api"``: the certifiers' API, behind its token and scope;
- ``"accompaniment"``: the pages of the organisation accompanying the candidate
  (``/accompagnement/…``), which read the dossier as the candidate sees it.

The kinds, and who registers them (their rules are written in those modules' docstrings):

- ``"proof"`` and ``"identity_document"`` (a ``Proof``; a ``Dossier``): ``dossiers`` for the
  candidate, ``juries`` for the jury, ``backoffice`` for the certifier, ``api`` for the API,
  ``accompaniment`` for the accompanying organisation;
- ``"document"`` (a dossier's generated PDF) and ``"jury_document"`` (the jury's PDFs):
  ``documents``, whose registry gives each kind of document its reader rule, on every page;
- ``"francevae_document"``: ``francevae``, for the certifier;
- ``"data_export"``: ``privacy``, for the account holder;
- ``"cdc_flux"`` (a declaration to the Caisse des Dépôts): ``accrochage``, for the certifier;
- ``"message_attachment"`` (a file sent in a dossier's thread): ``messaging``, for the candidate
  and the certifier.

An uploaded RNCP file is never sent back: its pages show the fiches read from it, looked up
through its one rule, ``RncpUpload.objects.visible_to`` (a queryset, so that those pages keep
their fixed number of queries).

A rule is ``may_read(user, obj) -> bool``; several rules for one kind and audience add readers
(any of them lets the user in). Nobody anonymous, and nobody for a kind or audience nobody
registered (default deny). A registration may also give:

- ``is_open(obj) -> bool``: the file may be read but is held (the antivirus has not released it,
  or found it infected): the view shows "fichier indisponible" (403/410) instead of the file;
- ``on_read(user, obj)``: called once the file is sent (``serve_file(on_read=grant.on_read)``):
  the audit of the read, where the rule asks for it (docs/security.md, « Accès aux dossiers »).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.http import Http404

AUDIENCES = ("candidate", "jury", "certifier", "api", "accompaniment")


@dataclass(frozen=True)
class Rule:
    may_read: Callable[[Any, Any], bool]
    is_open: Callable[[Any], bool] | None = None
    on_read: Callable[[Any, Any], None] | None = None


@dataclass(frozen=True)
class Grant:
    """What ``grant`` found: who reads (``audience``), whether the file is open to them now,
    and what to call once it is sent (``None``: nothing)."""

    audience: str
    is_open: bool
    on_read: Callable[[], None] | None


_rules: dict[tuple[str, str], list[Rule]] = {}


def register(
    kind: str,
    may_read: Callable[[Any, Any], bool],
    *,
    as_: str | Iterable[str],
    is_open: Callable[[Any], bool] | None = None,
    on_read: Callable[[Any, Any], None] | None = None,
) -> None:
    """Let whom ``may_read(user, obj)`` accepts read files of ``kind`` on the pages of ``as_``
    (once: ``ready`` may run again in tests)."""
    rule = Rule(may_read, is_open, on_read)
    for audience in (as_,) if isinstance(as_, str) else as_:
        if audience not in AUDIENCES:
            raise ValueError(f"file kind {kind!r}: unknown audience {audience!r}")
        rules = _rules.setdefault((kind, audience), [])
        if rule not in rules:
            rules.append(rule)


def find(user, kind: str, obj, *, as_: str | Iterable[str]) -> Grant | None:
    """The first audience of ``as_`` (in order) with a rule that lets ``user`` read ``obj``."""
    if not getattr(user, "is_authenticated", False):
        return None
    for audience in (as_,) if isinstance(as_, str) else as_:
        for rule in _rules.get((kind, audience), ()):
            if rule.may_read(user, obj):
                return Grant(
                    audience=audience,
                    is_open=rule.is_open is None or rule.is_open(obj),
                    on_read=partial(rule.on_read, user, obj) if rule.on_read else None,
                )
    return None


def may_read(user, kind: str, obj, *, as_: str | Iterable[str]) -> bool:
    """May ``user`` read ``obj`` (a file of ``kind``) on the pages of ``as_``?"""
    return find(user, kind, obj, as_=as_) is not None


def grant_or_404(user, kind: str, obj, *, as_: str | Iterable[str]) -> Grant:
    """``find``, or 404: outside one's scope, the file does not exist."""
    found = find(user, kind, obj, as_=as_)
    if found is None:
        raise Http404
    return found
