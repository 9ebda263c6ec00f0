"""Errors as RFC 9457 problem details (``application/problem+json``), in French.

- 401: no token, an unknown or a revoked one;
- 403: the token lacks the scope the operation needs;
- 404: anything outside the organisation's scope (never a hint that it exists);
- 409: a refusal by the domain (``core.errors.DomainError``), its message as it is;
- 422: a request that does not follow the schema, or a referential document that does not
  follow the exchange format;
- 429: over the rate limit, with ``Retry-After``.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Droit manquant",
    404: "Introuvable",
    405: "Méthode non permise",
    409: "Action refusée",
    412: "Condition non remplie",
    422: "Requête non conforme",
    429: "Trop de requêtes",
    500: "Erreur interne",
}


def problem(status: int, detail: str, *, errors: list | None = None, headers: dict | None = None) -> HttpResponse:
    body = {"type": PROBLEM_TYPE, "title": _(TITLES.get(status, "Erreur")), "status": status, "detail": detail}
    if errors is not None:
        body["erreurs"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
