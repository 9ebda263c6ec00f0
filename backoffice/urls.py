from django.urls import path

from backoffice.views import dashboard, history, referential, review, sessions

app_name = "backoffice"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # referential editor
    path("referentiels/", referential.referential_list, name="referentials"),
    path("referentiels/nouveau/", referential.referential_create, name="referential_create"),
    path("referentiels/importer/", referential.referential_import, name="referential_import"),
    path("referentiels/<int:pk>/", referential.referential_detail, name="referential"),
    path("referentiels/<int:pk>/identite/", referential.referential_identity, name="referential_identity"),
    path("referentiels/<int:pk>/nouvelle-version/", referential.referential_new_version, name="new_version"),
    path("referentiels/<int:pk>/publier/", referential.referential_publish, name="referential_publish"),
    path("referentiels/<int:pk>/supprimer/", referential.referential_delete, name="referential_delete"),
    path("referentiels/<int:pk>/exporter/", referential.referential_export, name="referential_export"),
    path("referentiels/<int:pk>/modalites/ajouter/", referential.method_add, name="method_add"),
    path("referentiels/<int:pk>/grilles/creer/", referential.rubric_create, name="rubric_create"),
    path("blocs/<int:pk>/groupe/", referential.group_rename, name="group_rename"),
    path("competences/<int:pk>/changer-de-bloc/", referential.competency_transfer, name="competency_transfer"),
    path("grilles/<int:pk>/", referential.rubric_detail, name="rubric"),
    # add, edit, delete and move each part of a referential: blocs/<pk>/modifier/ (block_edit)…
    *referential.part_urls(),
    # dossier review
    path("dossiers/", review.queue, name="queue"),
    path("dossiers/export.csv", review.queue_export, name="queue_export"),
    path("dossiers/<int:pk>/", review.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/recevabilite/", review.decide_feasibility, name="dossier_feasibility"),
    path("dossiers/<int:pk>/validation/", review.review_validation, name="dossier_validation"),
    path("dossiers/<int:pk>/preuves/<int:proof_pk>/", review.proof_download, name="dossier_proof"),
    path("dossiers/<int:pk>/piece-identite/", review.identity_download, name="dossier_identity"),
    path("dossiers/<int:pk>/historique/", history.dossier_history_view, name="dossier_history"),
    # jury sessions
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/nouvelle/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/modifier/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/annuler/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/membres/ajouter/", sessions.member_add, name="member_add"),
    path("sessions/<int:pk>/convoquer/", sessions.convoke, name="convoke"),
    path("sessions/<int:pk>/derogation-composition/", sessions.composition_override, name="composition_override"),
    path("membres/<int:pk>/retirer/", sessions.member_remove, name="member_remove"),
    path("membres/<int:pk>/renvoyer-invitation/", sessions.member_resend, name="member_resend"),
    path("convocations/<int:pk>/reporter/", sessions.convocation_reschedule, name="convocation_reschedule"),
    path("convocations/<int:pk>/annuler/", sessions.convocation_cancel, name="convocation_cancel"),
    path("convocations/<int:pk>/presence/", sessions.convocation_attendance, name="convocation_attendance"),
    path("decisions/<int:pk>/revoquer/", sessions.decision_revoke, name="decision_revoke"),
]
