from django.urls import path

from certifications.rncp import views

app_name = "rncp"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.upload_detail, name="file"),
    path("<int:pk>/<str:code>/", views.fiche_preview, name="preview"),
    path("<int:pk>/<str:code>/importer/", views.fiche_import, name="confirm"),
]
