from django.urls import path

from dossiers.views import feasibility, files, home, statements, validation

app_name = "dossiers"

urlpatterns = [
    path("", home.dossier_list, name="list"),
    path("demarrer/<slug:slug>/", home.start, name="start"),
    path("reconnexion/", home.reconnected, name="reconnected"),
    path("<int:pk>/", home.detail, name="detail"),
    path("<int:pk>/abandonner/", home.withdraw, name="withdraw"),
    path("<int:pk>/depots/<str:kind>/<int:number>/", home.snapshot, name="snapshot"),
    path("<int:pk>/depot/", home.submitted, name="submitted"),
    # Stage 1: recevabilité
    path("<int:pk>/experiences/", feasibility.experiences, name="experiences"),
    path("<int:pk>/experiences/<int:experience_pk>/", feasibility.experience_edit, name="experience_edit"),
    path(
        "<int:pk>/experiences/<int:experience_pk>/supprimer/",
        feasibility.experience_delete,
        name="experience_delete",
    ),
    path("<int:pk>/experiences/<int:experience_pk>/deplacer/", feasibility.experience_move, name="experience_move"),
    path("<int:pk>/positionnement/", feasibility.positioning, name="positioning"),
    path("<int:pk>/attestation/", feasibility.sworn_statement, name="sworn_statement"),
    path("<int:pk>/identite/", feasibility.identity_document, name="identity_document"),
    path("<int:pk>/identite/telecharger/", feasibility.identity_download, name="identity_download"),
    path("<int:pk>/recevabilite/", feasibility.request_feasibility, name="request_feasibility"),
    path("<int:pk>/faisabilite/", feasibility.feasibility_overview, name="feasibility"),
    path("<int:pk>/faisabilite/<slug:section>/", feasibility.feasibility_section, name="feasibility_section"),
    path(
        "<int:pk>/faisabilite/pieces/<int:proof_pk>/supprimer/",
        feasibility.feasibility_document_delete,
        name="feasibility_document_delete",
    ),
    # Both stages: saving a compétence statement (autosave endpoint, also plain posts)
    path("<int:pk>/competences/<int:competency_pk>/enregistrer/", statements.save, name="statement_save"),
    # Stage 2: dossier de validation
    path("<int:pk>/blocs/<int:block_pk>/", validation.block, name="block"),
    path("<int:pk>/avancement/", validation.live_progress, name="live_progress"),
    path("<int:pk>/competences/<int:competency_pk>/", validation.competency, name="competency"),
    path("<int:pk>/deposer/", validation.submit, name="submit_validation"),
    path("<int:pk>/transversal/<int:method_pk>/", validation.transversal, name="transversal"),
    path("<int:pk>/preuves/", files.proofs, name="proofs"),
    path("<int:pk>/preuves/<int:proof_pk>/", files.proof_edit, name="proof_edit"),
    path("<int:pk>/preuves/<int:proof_pk>/supprimer/", files.proof_delete, name="proof_delete"),
    path("<int:pk>/preuves/<int:proof_pk>/telecharger/", files.proof_download, name="proof_download"),
]
