from django import forms
from django.utils.translation import gettext_lazy as _

LEVEL_CHOICES = [("", _("Tous les niveaux"))] + [(str(n), _("Niveau %(n)s") % {"n": n}) for n in range(3, 9)]


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Code RNCP, intitulé ou certificateur"),
    )
    level = forms.TypedChoiceField(
        label=_("Niveau"), choices=LEVEL_CHOICES, required=False, coerce=int, empty_value=None
    )
