from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _


class RncpUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Flux RNCP de France Compétences"),
        help_text=_(
            "Fichier XML (versions 4.1 ou 3.0) ou archive zip telle que publiée sur data.gouv.fr, "
            "par exemple export-fiches-rncp-v4-1-2026-01-15.zip."
        ),
        validators=[FileExtensionValidator(["xml", "zip"], _("Seuls les fichiers .xml et .zip sont acceptés."))],
    )


class FicheSearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher une fiche"), required=False, max_length=200)
