"""Account pages under /accounts/.

Django's authentication views keep their usual global names (``login``, ``logout``,
``password_reset_confirm``…): Django itself reverses them, and ``LOGIN_URL`` and the templates
already use ``login``/``logout``. The portal's own account pages are namespaced ``accounts:``.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

# The ``accounts:`` pages; the root URLconf includes them with the personal data pages
# (``privacy.urls``) in the one ``accounts`` namespace.
account_pages = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/verifiez-vos-e-mails/", views.signup_done, name="signup_done"),
    path("confirmation/renvoyer/", views.resend_confirmation, name="resend_confirmation"),
    path("confirmation/<str:token>/", views.confirm_email, name="confirm_email"),
    path("profil/", views.profile, name="profile"),
    path("mot-de-passe/modifier/", views.PasswordChangeView.as_view(), name="password_change"),
]

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
