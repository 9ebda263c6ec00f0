from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    # the candidate's pages
    path("dossiers/<int:pk>/", views.thread, name="thread"),
    path("dossiers/<int:pk>/pieces-jointes/<int:attachment_pk>/", views.attachment, name="attachment"),
    # the accompagnateur's space
    path("accompagnement/<int:pk>/", views.accompaniment_thread, name="accompaniment_thread"),
    path(
        "accompagnement/<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.accompaniment_attachment,
        name="accompaniment_attachment",
    ),
    # the certifier's writes (read on the back office's dossier page)
    path("certificateur/dossiers/<int:pk>/", views.staff_post, name="staff_post"),
    path(
        "certificateur/dossiers/<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.staff_attachment,
        name="staff_attachment",
    ),
    path("certificateur/dossiers/<int:pk>/annotations/", views.annotation_add, name="annotation_add"),
    path(
        "certificateur/dossiers/<int:pk>/annotations/<int:annotation_pk>/traitee/",
        views.annotation_resolve,
        name="annotation_resolve",
    ),
]
