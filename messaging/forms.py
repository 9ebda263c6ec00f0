from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from messaging.services import MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Votre message"),
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_("%(n)s fichiers au plus : PDF, PNG, JPEG, DOCX ou ODT, vérifiés comme vos preuves.")
        % {"n": MAX_ATTACHMENTS},
    )


class StaffMessageForm(MessageForm):
    request_correction = forms.BooleanField(
        label=_("Demander une correction : le dossier repasse « à compléter »"),
        required=False,
        help_text=_("Le message est alors le motif envoyé au candidat par e-mail."),
    )


class AnnotationForm(forms.Form):
    text = forms.CharField(
        label=_("Annotation interne"),
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Visible du seul personnel du certificateur. Le candidat peut en obtenir copie au titre de son droit "
            "d'accès (RGPD) : restez factuel."
        ),
    )
    blocks_decision = forms.BooleanField(label=_("À traiter avant décision"), required=False)

    def __init__(self, *args, **kwargs):
        # Its own ids: the back office shows it on the page of the staff's message form, whose
        # "text" field would otherwise share "id_text".
        kwargs.setdefault("auto_id", "annotation_%s")
        super().__init__(*args, **kwargs)
