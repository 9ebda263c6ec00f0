from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def too_large_message() -> str:
    return gettext("Fichier trop volumineux : %(max)s au plus.") % {
        "max": filesizeformat(settings.RNCP_UPLOAD_MAX_BYTES)
    }


class UploadSizeLimit(FileUploadHandler):
    """First of the request's upload handlers: past ``limit`` bytes of files (all the files of the
    request together), a file is skipped, so that nothing beyond the limit is written to disk
    (the rest of the body is read and dropped)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


class RncpUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Flux RNCP de France Compétences"),
        help_text=_(
            "Fichier XML (versions 4.1 ou 3.0) ou archive zip telle que publiée sur data.gouv.fr, "
            "par exemple export-fiches-rncp-v4-1-2026-01-15.zip."
        ),
        required=False,  # a file skipped for its size must say so, not "required"
        validators=[FileExtensionValidator(["xml", "zip"], _("Seuls les fichiers .xml et .zip sont acceptés."))],
    )

    def __init__(self, *args, oversized: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if self.oversized or (file and file.size > settings.RNCP_UPLOAD_MAX_BYTES):
            raise forms.ValidationError(too_large_message())
        if not file:
            raise forms.ValidationError(_("Choisissez le fichier du flux RNCP."))
        return file


class FicheSearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher une fiche"), required=False, max_length=200)
