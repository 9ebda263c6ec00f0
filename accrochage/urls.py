from django.urls import path

from accrochage import views

app_name = "accrochage"

urlpatterns = [
    path("dossiers/<int:pk>/identite/", views.identity, name="identity"),
    path("certificateur/", views.holders, name="holders"),
    path("certificateur/organismes/<int:pk>/identifiants/", views.account, name="account"),
    path("certificateur/organismes/<int:pk>/titulaires/", views.sync, name="sync"),
    path("certificateur/organismes/<int:pk>/flux/", views.flux_create, name="flux_create"),
    path("certificateur/flux/<int:pk>/", views.flux_detail, name="flux"),
    path("certificateur/flux/<int:pk>/telecharger/", views.flux_download, name="flux_download"),
    path("certificateur/flux/<int:pk>/compte-rendu/", views.flux_report, name="flux_report"),
    path("certificateur/passages/<int:pk>/remettre/", views.passage_put_back, name="passage_put_back"),
]
