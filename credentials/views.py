"""Badge pages. Public (anyone may check a badge, as a recruiter would): the verification page,
the issuers' DID documents and status lists, the achievements and the JSON-LD contexts.
Private: the badge's files, to its holder only (anyone else: 404)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from certifications.models import Block, Certification, Certifier
from credentials import keys, openbadges, verification
from credentials.models import Badge

_CONTEXT_FILES = {name: path for name, path in openbadges.CONTEXTS.values()}


@login_not_required
@require_safe
def verify(request, uuid):
    badge = get_object_or_404(Badge.objects.select_related("organisation"), uuid=uuid)
    result = verification.verify(badge)
    return render(request, "credentials/verify.html", {"badge": badge, "result": result})


def _own_badge(request, uuid) -> Badge:
    return get_object_or_404(Badge.objects.select_related("organisation"), uuid=uuid, candidate=request.user)


def _filename(badge: Badge, ext: str) -> str:
    return f"open-badge-{badge.uuid}.{ext}"


@require_safe
def download_jwt(request, uuid):
    badge = _own_badge(request, uuid)
    response = HttpResponse(badge.token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{_filename(badge, "jwt")}"'
    return response


@require_safe
def download_json(request, uuid):
    badge = _own_badge(request, uuid)
    body = json.dumps(openbadges.unverified_payload(badge.token), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(badge, "json")}"'
    return response


def _issuer(pk: int) -> Certifier:
    """Only organisations that issued a badge publish keys: no key is made for a curious visitor."""
    return get_object_or_404(Certifier.objects.filter(badges__isnull=False).distinct(), pk=pk)


@login_not_required
@require_safe
def did_document(request, pk: int):
    return JsonResponse(keys.did_document(_issuer(pk).pk), content_type="application/did+json")


@login_not_required
@require_safe
def status_list(request, pk: int):
    response = HttpResponse(verification.status_list_token(_issuer(pk)), content_type="application/vc+jwt")
    response["Cache-Control"] = "no-cache"  # a revocation must be seen at once
    return response


@login_not_required
@require_safe
def block_achievement(request, pk: int):
    block = get_object_or_404(
        Block.objects.filter(badges__isnull=False).distinct().select_related("certification"), pk=pk
    )
    return JsonResponse(openbadges.achievement(block.certification, block), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_safe
def certification_achievement(request, pk: int):
    certification = get_object_or_404(
        Certification.objects.filter(
            jury_sessions__convocations__decisions__badges__isnull=False,
            jury_sessions__convocations__decisions__badges__block__isnull=True,
        ).distinct(),
        pk=pk,
    )
    return JsonResponse(openbadges.achievement(certification), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_safe
def context(request, name: str):
    path = _CONTEXT_FILES.get(name)
    if path is None:
        raise Http404
    return HttpResponse(path.read_bytes(), content_type="application/ld+json")
