from django.urls import path

from dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/experiences/", views.experiences, name="experiences"),
    path("<int:pk>/positionnement/", views.positioning, name="positioning"),
    path("<int:pk>/competences/<int:competency_pk>/", views.competency, name="competency"),
]
