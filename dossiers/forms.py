"""Candidate forms. They validate input; the services (``dossiers.services``) do the writing."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Competency
from core import limits
from dossiers.enums import SelfAssessment
from dossiers.models import Experience, Proof


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def competency_label(competency: Competency) -> str:
    text = competency.text if len(competency.text) <= 140 else competency.text[:139] + "…"
    return f"{competency.code} {text}".strip()


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return competency_label(obj)


class StartDossierForm(forms.Form):
    ALL, SOME = "all", "some"
    scope = forms.ChoiceField(
        label=_("Que visez-vous ?"),
        choices=[(ALL, _("La certification entière")), (SOME, _("Certains blocs de compétences"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=ALL,
    )
    blocks = forms.ModelMultipleChoiceField(
        label=_("Blocs visés"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, certification, acquired=(), **kwargs):
        super().__init__(*args, **kwargs)
        acquired_ids = [b.pk for b in acquired]
        self.fields["blocks"].queryset = certification.blocks.exclude(pk__in=acquired_ids).order_by("order")
        self.fields["blocks"].label_from_instance = lambda b: f"{b.code} {b.title}".strip()

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.SOME and not data.get("blocks"):
            self.add_error("blocks", _("Choisissez au moins un bloc, ou visez la certification entière."))
        return data

    @property
    def chosen_blocks(self) -> list:
        if self.cleaned_data["scope"] == self.ALL:
            return []
        return list(self.cleaned_data["blocks"])


class ExperienceForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = [
            "kind",
            "organisation",
            "role",
            "start_date",
            "end_date",
            "hours_per_week",
            "total_hours",
            "activities",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "activities": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "hours_per_week": _("Ou bien le nombre total d'heures ci-dessous."),
            "activities": _("Les principales activités que vous avez exercées, concrètement."),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        today = timezone.localdate()
        if start and start > today:
            self.add_error("start_date", _("La date de début ne peut pas être dans le futur."))
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        if not data.get("hours_per_week") and not data.get("total_hours"):
            self.add_error(
                "hours_per_week",
                _("Indiquez le temps consacré : heures par semaine ou nombre total d'heures."),
            )
        return data


class SwornStatementForm(forms.Form):
    signed = forms.BooleanField(
        label=_(
            "J'atteste sur l'honneur l'exactitude des informations de ce dossier et que les expériences "
            "décrites sont les miennes."
        ),
        required=False,
    )


class IdentityDocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Pièce d'identité"),
        help_text=_("Carte d'identité, passeport ou titre de séjour : PDF, PNG ou JPEG."),
        error_messages={"required": _("Choisissez le fichier de votre pièce d'identité.")},
    )


def _normalise_newlines(value: str) -> str:
    # Browsers send line breaks as CRLF; lengths are counted on what the candidate sees.
    return value.replace("\r\n", "\n").replace("\r", "\n")


class StatementForm(forms.Form):
    """One statement's fields, from the autosave script or a plain form post.

    Only the fields present in the request are saved; ``links`` marks that the experience and
    proof checkboxes were sent (an unchecked box sends nothing).
    """

    TEXT_FIELDS = ("narrative", "self_comment", "self_assessment")

    version = forms.IntegerField(min_value=0)
    narrative = forms.CharField(
        required=False, strip=False, max_length=limits.NARRATIVE, error_messages=limits.form_error(_("Le récit"))
    )
    self_comment = forms.CharField(
        required=False, strip=False, max_length=limits.COMMENT, error_messages=limits.form_error(_("Le commentaire"))
    )
    self_assessment = forms.ChoiceField(choices=[("", "—"), *SelfAssessment.choices], required=False)
    links = forms.BooleanField(required=False)
    experiences = forms.ModelMultipleChoiceField(queryset=Experience.objects.none(), required=False)
    proofs = forms.ModelMultipleChoiceField(queryset=Proof.objects.none(), required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experiences"].queryset = dossier.experiences.all()
        self.fields["proofs"].queryset = dossier.proofs.all()

    def clean_narrative(self):
        return _normalise_newlines(self.cleaned_data["narrative"])

    def clean_self_comment(self):
        return _normalise_newlines(self.cleaned_data["self_comment"])

    def changes(self) -> dict[str, str]:
        return {f: self.cleaned_data[f] for f in self.TEXT_FIELDS if f in self.data}

    def links_kwargs(self) -> dict:
        if not self.cleaned_data.get("links"):
            return {}
        return {"experiences": self.cleaned_data["experiences"], "proofs": self.cleaned_data["proofs"]}


class ProofForm(forms.ModelForm):
    competencies = CompetencyChoiceField(
        label=_("Compétences que cette preuve illustre"),
        queryset=Competency.objects.none(),
        required=False,
    )

    class Meta:
        model = Proof
        fields = ["title", "kind", "date", "description"]
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": _("Ce que montre ce document, en une ou deux phrases.")}

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = dossier.targeted_competencies().select_related("block")
        if self.instance.pk:
            self.fields["competencies"].initial = [
                s.competency_id for s in self.instance.statements.only("competency_id")
            ]


class ProofUploadForm(ProofForm):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, PNG, JPEG, DOCX ou ODT."),
        error_messages={"required": _("Choisissez le fichier à déposer.")},
    )

    class Meta(ProofForm.Meta):
        pass

    field_order = ["title", "kind", "date", "description", "file", "competencies"]


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il sera conservé dans l'historique du dossier."),
    )
