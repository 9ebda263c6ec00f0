from django.urls import path

from francevae import views

app_name = "francevae"

urlpatterns = [
    path("", views.connection_list, name="list"),
    path("organismes/<int:org_pk>/", views.connection_edit, name="edit"),
    path("organismes/<int:org_pk>/tester/", views.connection_test, name="test"),
    path("organismes/<int:org_pk>/synchroniser/", views.connection_sync, name="sync"),
    path("organismes/<int:org_pk>/pause/", views.connection_pause, name="pause"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
