from django.urls import path

from accompaniment import views

app_name = "accompaniment"

urlpatterns = [
    # The accompagnateur's space.
    path("", views.home, name="home"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("export-heures.csv", views.export, name="export"),
    path("demandes/<int:pk>/accepter/", views.accept, name="accept"),
    path("demandes/<int:pk>/refuser/", views.decline, name="decline"),
    path("organismes/<int:org_pk>/equipe/", views.team, name="team"),
    path("organismes/<int:org_pk>/equipe/<int:member_pk>/desactiver/", views.deactivate, name="deactivate"),
    path("organismes/<int:org_pk>/equipe/<int:member_pk>/renvoyer/", views.resend, name="resend"),
    path("dossiers/<int:pk>/", views.dossier, name="dossier"),
    path("dossiers/<int:pk>/commenter/<str:target>/<int:target_pk>/", views.comment, name="comment"),
    path("dossiers/<int:pk>/avis/", views.opinion, name="opinion"),
    path("dossiers/<int:pk>/rendez-vous/", views.meetings, name="meetings"),
    path("dossiers/<int:pk>/terminer/", views.end, name="end"),
    path("dossiers/<int:pk>/preuves/<int:proof_pk>/", views.proof, name="proof"),
    # The candidate's side.
    path("mon-dossier/<int:pk>/", views.candidate, name="candidate"),
    path("mon-dossier/<int:pk>/choisir/<int:org_pk>/", views.choose, name="choose"),
    path("mon-dossier/<int:pk>/quitter/", views.leave, name="leave"),
    path("mon-dossier/<int:pk>/parcours/", views.accept_parcours, name="accept_parcours"),
    path("commentaires/<int:pk>/traite/", views.comment_done, name="comment_done"),
]
