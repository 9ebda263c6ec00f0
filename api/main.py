"""The interop API: one NinjaAPI under /api/v1/, its error handlers and its OpenAPI document.

django-ninja generates the OpenAPI 3.1 document from the pydantic schemas (``api.schemas``) and
serves Swagger UI from its own bundled static files (``ninja`` in INSTALLED_APPS), so the docs
page loads nothing from another site.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from api.auth import MissingScope, RateLimited, TokenAuth
from api.problems import CONTENT_TYPE, problem
from certifications.referential import ReferentialFormatError
from core.errors import DomainError, error_text

api = NinjaAPI(
    title="API d'interopérabilité du portail VAE",
    version="1.0.0",
    description=(
        "Pour les systèmes d'information des certificateurs : référentiels, candidatures, dossiers de "
        "faisabilité et de validation, jurys et résultats par bloc. Jeton par organisme (« Bearer »), "
        "droits lecture, decisions, jury, referentiels. — For the certifiers' information systems."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem(
        401,
        _("Jeton absent, inconnu ou révoqué : envoyez « Authorization: Bearer <jeton> »."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(MissingScope)
def _missing_scope(request, exc):
    return problem(403, _("Ce jeton n'a pas le droit « %(scope)s ».") % {"scope": exc.scope})


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    return problem(
        429,
        _("Trop de requêtes pour ce jeton : réessayez dans %(s)s secondes.") % {"s": exc.retry_after},
        headers={"Retry-After": str(exc.retry_after)},
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(404, _("Introuvable, ou hors du périmètre de votre organisme."))


@api.exception_handler(OverflowError)
def _id_out_of_range(request, exc):
    # An id in the path past what the database can store (SQLite raises before querying): no
    # such row can exist, so it is not found, like any other unknown id.
    return problem(404, _("Introuvable, ou hors du périmètre de votre organisme."))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors = [{"champ": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
    return problem(422, _("La requête ne suit pas le schéma de l'API."), errors=errors)


@api.exception_handler(ReferentialFormatError)
def _bad_referential(request, exc):
    return problem(422, _("Document refusé, rien n'a été importé. %(problem)s") % {"problem": exc})


@api.exception_handler(DomainError)
def _refused(request, exc):
    return problem(409, error_text(exc))


@api.exception_handler(DjangoValidationError)
def _refused_validation(request, exc):
    return problem(409, error_text(exc))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:
        return problem(400, _("Corps de requête illisible : envoyez un document JSON en UTF-8."))
    return problem(exc.status_code, str(exc))


_original_schema = api.get_openapi_schema


def _schema(*args, **kwargs):
    """Error answers are problem+json; file downloads are PDFs or the proof's own type; reads
    may answer 304 (ETag)."""
    schema = _original_schema(*args, **kwargs)
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method == "get" and not path.endswith("/contenu"):
                # ETags are added outside ninja (api.http): declared here, as ninja has no option for it.
                operation["responses"]["304"] = {
                    "description": "Non modifié : l'ETag envoyé dans If-None-Match est toujours valable — "
                    "Not modified: the ETag sent in If-None-Match still holds",
                    "headers": {"ETag": {"schema": {"type": "string"}}},
                }
            for code, response in operation.get("responses", {}).items():
                content = response.get("content") or {}
                if str(code) >= "400" and "application/json" in content:
                    response["content"] = {CONTENT_TYPE: content["application/json"]}
            if path.endswith("/contenu"):
                response = operation["responses"].get(200) or operation["responses"].get("200")
                response["content"] = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    return schema


api.get_openapi_schema = _schema

from api import endpoints  # noqa: E402,F401  (registers the operations)
