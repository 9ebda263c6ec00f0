from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from vae_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("certifications/", include("certifications.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("admin/", admin.site.urls),
]
