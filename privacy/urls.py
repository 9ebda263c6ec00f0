"""The personal data pages, under /accounts/ in the ``accounts`` namespace (the root URLconf
joins them to ``accounts.urls.account_pages``: this app sits above accounts, which cannot import it)."""

from django.urls import path

from privacy import views

privacy_pages = [
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/archive.zip", views.data_export, name="data_export"),
    path("supprimer/", views.delete_account, name="delete_account"),
    path("supprime/", views.account_deleted, name="account_deleted"),
]
