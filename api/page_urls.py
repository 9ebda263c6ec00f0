from django.urls import path

from api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoquer/", views.token_revoke, name="revoke"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/activation/", views.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<int:pk>/supprimer/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/evenements/<int:pk>/renvoyer/", views.webhook_replay, name="webhook_replay"),
]
