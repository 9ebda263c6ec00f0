from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/telecharger/", views.download, name="download"),
    path("<int:pk>/relancer/", views.retry, name="retry"),
    path("apercu/<int:dossier_pk>/", views.preview, name="preview"),
]
