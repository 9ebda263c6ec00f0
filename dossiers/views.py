"""Candidate pages. (Being built: see issue 3.)"""

from django.shortcuts import get_object_or_404, render

from dossiers.models import Dossier


def _own_dossier(request, pk: int) -> Dossier:
    return get_object_or_404(Dossier.objects.owned_by(request.user).select_related("certification"), pk=pk)


def dossier_list(request):
    dossiers = Dossier.objects.owned_by(request.user).select_related("certification")
    return render(request, "dossiers/list.html", {"dossiers": dossiers})


def detail(request, pk: int):
    return render(request, "dossiers/detail.html", {"dossier": _own_dossier(request, pk)})


def experiences(request, pk: int):
    return render(request, "dossiers/detail.html", {"dossier": _own_dossier(request, pk)})


def positioning(request, pk: int):
    return render(request, "dossiers/detail.html", {"dossier": _own_dossier(request, pk)})


def competency(request, pk: int, competency_pk: int):
    return render(request, "dossiers/detail.html", {"dossier": _own_dossier(request, pk)})
