from django.urls import path

from juries import views

app_name = "juries"

urlpatterns = [
    path("invitation/<uidb64>/<token>/", views.AcceptInvitationView.as_view(), name="invitation"),
]
