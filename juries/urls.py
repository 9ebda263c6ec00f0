from django.urls import path

from juries import views
from juries.views import convocations

app_name = "juries"

urlpatterns = [
    path("invitation/<uidb64>/<token>/", views.AcceptInvitationView.as_view(), name="invitation"),
    # the candidate's own convocation (their dossier page links here)
    path("convocations/<int:pk>/convocation.pdf", convocations.convocation_pdf, name="convocation_pdf"),
    path("convocations/<int:pk>/agenda.ics", convocations.convocation_calendar, name="convocation_ics"),
]
