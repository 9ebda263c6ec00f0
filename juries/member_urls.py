"""The jury members' pages ("Mes sessions"), under /jury/ with the invitation link (juries.urls)."""

from django.urls import path

from juries.views import candidates, deliberation, minutes, scoring, sessions

app_name = "jury"

urlpatterns = [
    path("", sessions.session_list, name="sessions"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/proces-verbal/", minutes.minutes, name="minutes"),
    path("sessions/<int:pk>/proces-verbal/signer/", minutes.sign, name="sign"),
    path("membres/<int:pk>/presence/", sessions.member_presence, name="member_presence"),
    # a convoked candidate (a convocation)
    path("candidats/<int:pk>/", candidates.candidate_detail, name="candidate"),
    path("candidats/<int:pk>/declaration/", candidates.declare, name="declare"),
    path("candidats/<int:pk>/blocs/<int:block_pk>/", candidates.dossier_block, name="dossier_block"),
    path("candidats/<int:pk>/presence/", sessions.attendance, name="attendance"),
    path("candidats/<int:pk>/grilles/<int:rubric_pk>/", scoring.score, name="score"),
    path("candidats/<int:pk>/grilles/<int:rubric_pk>/valider/", scoring.validate, name="validate"),
    path("candidats/<int:pk>/grille/", scoring.grid, name="grid"),
    path("candidats/<int:pk>/grille/<int:rubric_pk>/", scoring.grid_fragment, name="grid_fragment"),
    path("candidats/<int:pk>/grille.csv", scoring.grid_export, name="grid_export"),
    path("candidats/<int:pk>/deliberation/", deliberation.deliberate, name="deliberate"),
    path("candidats/<int:pk>/criteres/<int:criterion_pk>/trancher/", deliberation.settle, name="settle"),
    path("notations/<int:pk>/rouvrir/", scoring.reopen, name="reopen"),
    path("documents/<int:pk>/", minutes.document, name="document"),
]
