from django.urls import path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path("<uuid:uuid>/", views.verify, name="verify"),
    path("<uuid:uuid>/badge.jwt", views.download_jwt, name="download_jwt"),
    path("<uuid:uuid>/badge.json", views.download_json, name="download_json"),
    path("issuers/<int:pk>/did.json", views.did_document, name="did_document"),
    path("issuers/<int:pk>/status/revocation", views.status_list, name="status_list"),
    path("achievements/blocs/<int:pk>", views.block_achievement, name="block_achievement"),
    path("achievements/certifications/<int:pk>", views.certification_achievement, name="certification_achievement"),
    path("contexts/<str:name>", views.context, name="context"),
]
