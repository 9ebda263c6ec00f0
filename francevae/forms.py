from django import forms
from django.utils.translation import gettext_lazy as _


class ConnectionForm(forms.Form):
    base_url = forms.URLField(
        assume_scheme="https",
        label=_("Adresse de l'API France VAE"),
        help_text=_("Par exemple https://vae.gouv.fr/interop/v1 ; le bac à sable a sa propre adresse."),
        max_length=200,
    )
    authority_id = forms.CharField(label=_("Identifiant du certificateur sur France VAE"), max_length=100)
    token = forms.CharField(
        label=_("Jeton d'accès"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Fourni par France VAE. Laissez vide pour garder le jeton enregistré ; il n'est jamais réaffiché."),
        max_length=4000,
    )
    invite_candidates = forms.BooleanField(
        label=_("Inviter par e-mail les nouveaux candidats à poursuivre sur le portail"), required=False
    )
