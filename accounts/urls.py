"""Account pages under /accounts/.

Django's authentication views keep their usual global names (``login``, ``logout``,
``password_reset_confirm``…): Django itself reverses them, and ``LOGIN_URL`` and the templates
already use ``login``/``logout``. The portal's own account pages are namespaced ``accounts:``.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views
from accounts.privacy import views as privacy_views

account_patterns = (
    [
        path("inscription/", views.signup, name="signup"),
        path("inscription/verifiez-vos-e-mails/", views.signup_done, name="signup_done"),
        path("confirmation/renvoyer/", views.resend_confirmation, name="resend_confirmation"),
        path("confirmation/<str:token>/", views.confirm_email, name="confirm_email"),
        path("profil/", views.profile, name="profile"),
        path("mot-de-passe/modifier/", views.PasswordChangeView.as_view(), name="password_change"),
        path("mes-donnees/", privacy_views.my_data, name="my_data"),
        path("mes-donnees/archive.zip", privacy_views.data_export, name="data_export"),
        path("supprimer/", privacy_views.delete_account, name="delete_account"),
        path("supprime/", privacy_views.account_deleted, name="account_deleted"),
    ],
    "accounts",
)

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
    path("", include(account_patterns)),
]
