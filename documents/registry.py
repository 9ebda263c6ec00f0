"""The kinds of generated document: what each renders, for whom, under which name, from which queue.

Every PDF of the portal is a ``GeneratedDocument`` row going through one pipeline
(``documents.services``: request → Celery job on commit → claim → render → store, with
retries, time limits, a sweeper and PDF/A-3b). What differs between kinds is declared here,
once per kind, by the app that owns the kind's data:

- ``documents.kinds`` (imported by ``DocumentsConfig.ready``) registers the dossier PDFs:
  dossier de validation, demande de recevabilité, draft preview;
- ``juries.documents`` (imported by ``JuriesConfig.ready``) registers the jury's:
  procès-verbal, decision letter, attestation of acquired blocs.

``documents`` sits below ``juries`` in the layers: it never imports the apps above it; they
fill this registry instead. An app may also widen the readers of a kind it does not own
(``add_reader``): the jury reads the dossier de validation of a candidate it examines.

A kind declares:

- ``code`` (stored in ``GeneratedDocument.kind``) and ``label`` (French, shown to users);
- ``owner``: ``"dossier"``, ``"convocation"`` or ``"session"``, the foreign key the document
  hangs on (exactly one is set, a check constraint says so);
- ``template`` and ``context(document) -> dict``: the HTML fed to WeasyPrint, rendered as
  PDF/A-3b through the restricted URL fetcher (``documents.fetcher``) by ``documents.pdf``;
  or ``render(document) -> documents.pdf.Rendered`` for a kind that needs more (the dossier
  PDFs insert the candidate's proof pages);
- ``may_read(user, document) -> bool``: the reader rule (``core.file_access`` asks it, ``documents.files``,
  plus the readers ``add_reader`` added);
- ``file_name(document) -> str``: the name the download is saved under;
- ``queue``: a function giving the Celery queue that renders it (None: the default queue),
  so that a setting is read when the job is published.

Adding a kind — the convocation PDF, for instance — is one more ``register`` call in the
owning app's ``documents.py``, and nothing in this app::

    register(Kind(
        code="convocation",
        label=_("convocation au jury"),
        owner="convocation",
        template="pdf/jury/convocation.html",
        context=lambda document: {"convocation": document.convocation, "title": _("Convocation")},
        may_read=lambda user, document: user.is_superuser
        or document.convocation.dossier.candidate_id == user.pk,
        file_name=lambda document: f"convocation-jury-{document.convocation.dossier_id}.pdf",
    ))

then ``documents.services.request_document("convocation", convocation=convocation)`` where
the convocation is sent (no migration: ``kind`` is a plain code, the owner keys exist).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

OWNERS = ("dossier", "convocation", "session")


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    owner: str
    may_read: Callable[[Any, Any], bool]
    file_name: Callable[[Any], str]
    template: str = ""
    context: Callable[[Any], dict[str, Any]] | None = None
    render: Callable[[Any], Any] | None = None
    queue: Callable[[], str] | None = None

    def __post_init__(self):
        if self.owner not in OWNERS:
            raise ValueError(f"document kind {self.code!r}: owner must be one of {OWNERS}")
        if (self.render is None) == (self.context is None or not self.template):
            raise ValueError(f"document kind {self.code!r}: give either template and context, or render")


_kinds: dict[str, Kind] = {}
_readers: dict[str, list[Callable[[Any, Any], bool]]] = {}


def register(kind: Kind) -> Kind:
    """Declare a kind (once: at app loading)."""
    if kind.code in _kinds and _kinds[kind.code] != kind:
        raise ValueError(f"document kind {kind.code!r} is already registered")
    _kinds.setdefault(str(kind.code), kind)
    return _kinds[str(kind.code)]


def add_reader(code: str, rule: Callable[[Any, Any], bool]) -> None:
    """Let whom ``rule(user, document)`` accepts read the documents of ``code`` as well (the
    kind may be registered before or after: apps load in any order)."""
    rules = _readers.setdefault(str(code), [])
    if rule not in rules:
        rules.append(rule)


def get(code: str) -> Kind:
    """The kind of ``code``; ``KeyError`` for a kind nobody registered."""
    return _kinds[code]


def kinds() -> list[Kind]:
    return list(_kinds.values())


def may_read(user, document) -> bool:
    """The kind's reader rule, or any reader another app added."""
    kind = get(document.kind)
    return kind.may_read(user, document) or any(rule(user, document) for rule in _readers.get(kind.code, ()))
