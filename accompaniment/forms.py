from django import forms
from django.utils.translation import gettext_lazy as _

from accompaniment.enums import MeetingKind, MeetingMode, Verdict
from accompaniment.models import Opinion
from core import limits


class StaffForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    is_manager = forms.BooleanField(label=_("Responsable (gère l'équipe)"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.LONG_TEXT)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.LONG_TEXT
    )


class OpinionForm(forms.ModelForm):
    verdict = forms.ChoiceField(label=_("Avis"), choices=Verdict.choices, widget=forms.RadioSelect)

    class Meta:
        model = Opinion
        fields = [
            "verdict",
            "comment",
            "recommendations",
            "individual_hours",
            "collective_hours",
            "training_hours",
            "mandatory_training",
            "basic_skills",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("comment", "recommendations", "mandatory_training", "basic_skills")
        }


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1, max_value=720)
    kind = forms.ChoiceField(label=_("Type"), choices=MeetingKind.choices)
    mode = forms.ChoiceField(label=_("Modalité"), choices=MeetingMode.choices)
    topic = forms.CharField(label=_("Sujet"), max_length=255)


class OrganisationFilterForm(forms.Form):
    departement = forms.CharField(label=_("Département (numéro)"), max_length=3, required=False)
