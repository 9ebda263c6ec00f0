"""Candidate forms. They validate input; the services (``dossiers.services``) do the writing."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Competency
from core import limits
from core.text import shorten
from dossiers.enums import (
    STATUSES_WITH_IDCC,
    AccompanimentChoice,
    BlockActivity,
    CandidateStatus,
    FeasibilityDocumentRole,
    Gender,
    Objective,
    QualificationLevel,
    RequestNature,
    SelfAssessment,
)
from dossiers.models import CivilIdentity, Experience, Feasibility, Proof


def required_named(form: forms.BaseForm) -> None:
    """Each required field's "missing" message names it (a page holds many fields)."""
    for field in form.fields.values():
        if field.required:
            field.error_messages["required"] = _("« %(field)s » est obligatoire.") % {
                "field": str(field.label).rstrip(" :")
            }


def _require(form: forms.BaseForm, data: dict, name: str) -> None:
    """A field that is mandatory only in some cases: the same named message when it is missing."""
    if not data.get(name) and name not in form.errors:
        form.add_error(name, _("« %(field)s » est obligatoire.") % {"field": str(form.fields[name].label)})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def competency_label(competency: Competency) -> str:
    return f"{competency.code} {shorten(competency.text, 140)}".strip()


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
            "working_context",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "activities": forms.Textarea(attrs={"rows": 5}),
            "working_context": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "role": _("L'intitulé de votre poste ou de votre fonction."),
            "end_date": _("Vide si elle est en cours : la durée est comptée jusqu'à aujourd'hui."),
            "hours_per_week": _("Ou bien le nombre total d'heures ci-dessous."),
            "activities": _("Description : les principales activités que vous avez exercées, concrètement."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_named(self)

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

    def __init__(self, *args, dossier_id: int, **kwargs):
        # The dossier's id is enough: its ownership is checked by the save's own locked read.
        super().__init__(*args, **kwargs)
        self.fields["experiences"].queryset = Experience.objects.filter(dossier_id=dossier_id)
        self.fields["proofs"].queryset = Proof.objects.filter(dossier_id=dossier_id)

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


# --- the dossier de faisabilité, section by section (dossiers.feasibility) ------------------

RADIO = forms.RadioSelect()  # crispy-bootstrap5 adds the form-check classes itself


class NatureForm(forms.ModelForm):
    class Meta:
        model = Feasibility
        fields = ["nature", "earlier_decision_date"]
        widgets = {"nature": RADIO, "earlier_decision_date": DateInput()}
        help_texts = {"earlier_decision_date": _("Pour un renouvellement seulement.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nature"].required = True
        self.fields["nature"].choices = RequestNature.choices
        required_named(self)

    def clean(self):
        data = super().clean()
        if data.get("nature") == RequestNature.RENEWAL:
            _require(self, data, "earlier_decision_date")
            when = data.get("earlier_decision_date")
            if when and when > timezone.localdate():
                self.add_error("earlier_decision_date", _("La décision antérieure ne peut pas être dans le futur."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CertificationChoicesForm(forms.Form):
    """The option, foreign language and parcours, where the certification has them."""

    LISTS = (
        ("option", "options", _("Option")),
        ("foreign_language", "foreign_languages", _("Langue vivante étrangère")),
        ("parcours", "parcours", _("Parcours, mention ou spécialité")),
    )

    def __init__(self, *args, certification, feasibility, **kwargs):
        super().__init__(*args, **kwargs)
        for name, attr, label in self.LISTS:
            choices = getattr(certification, attr)
            if choices:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=[("", "—"), *((c, c) for c in choices)],
                    initial=getattr(feasibility, name),
                )
        required_named(self)

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name, _attr, _label in self.LISTS}


class PrerequisitesForm(forms.Form):
    """« Le candidat en est-il détenteur ? » for each regulatory prerequisite."""

    def __init__(self, *args, certification, feasibility, **kwargs):
        super().__init__(*args, **kwargs)
        held = feasibility.prerequisites_held or {}
        self.texts = list(certification.regulatory_prerequisites)
        for i, text in enumerate(self.texts):
            answer = held.get(text)
            self.fields[f"prerequisite_{i}"] = forms.ChoiceField(
                label=text,
                choices=[("yes", _("oui")), ("no", _("non"))],
                widget=RADIO,
                initial=None if answer is None else ("yes" if answer else "no"),
            )
        for field in self.fields.values():
            field.error_messages["required"] = _("Prérequis « %(p)s » : dites si vous le détenez.") % {"p": field.label}

    def values(self) -> dict:
        return {
            "prerequisites_held": {
                text: self.cleaned_data[f"prerequisite_{i}"] == "yes" for i, text in enumerate(self.texts)
            }
        }


class CandidateForm(forms.Form):
    """Rubrique « le candidat »: the civil identity (``CivilIdentity``) and the situation
    (``Feasibility``), offered from what the portal already holds."""

    IDENTITY = CivilIdentity.PERSON_FIELDS
    SITUATION = Feasibility.SITUATION_FIELDS
    OPTIONAL = ("usage_name", "first_name2", "first_name3", "titles_held", "address_complement", "idcc")

    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=60)
    usage_name = forms.CharField(label=_("Nom d'usage"), max_length=60)
    first_name1 = forms.CharField(label=_("Premier prénom"), max_length=60)
    first_name2 = forms.CharField(label=_("Deuxième prénom"), max_length=60)
    first_name3 = forms.CharField(label=_("Troisième prénom"), max_length=60)
    sex = forms.ChoiceField(label=_("Sexe (état civil)"), choices=Gender.choices, widget=RADIO)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    nationality = forms.CharField(label=_("Nationalité"), max_length=60)
    training_level = forms.ChoiceField(
        label=_("Niveau de formation le plus élevé"), choices=[("", "—"), *QualificationLevel.choices]
    )
    certification_level = forms.ChoiceField(
        label=_("Niveau de la certification la plus élevée obtenue"),
        choices=[("", "—"), *QualificationLevel.choices],
    )
    titles_held = forms.CharField(
        label=_("Intitulés des certifications obtenues"),
        max_length=limits.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire si vous détenez une certification."),
    )
    street = forms.CharField(label=_("Adresse (numéro et voie)"), max_length=255)
    address_complement = forms.CharField(label=_("Complément d'adresse"), max_length=255)
    postcode = forms.CharField(label=_("Code postal"), max_length=10)
    city = forms.CharField(label=_("Commune"), max_length=100)
    country = forms.CharField(label=_("Pays"), max_length=60)
    phone = forms.CharField(label=_("Téléphone"), max_length=30)
    email = forms.EmailField(label=_("Adresse e-mail"))
    status = forms.ChoiceField(label=_("Statut"), choices=CandidateStatus.choices, widget=RADIO)
    idcc = forms.RegexField(
        label=_("Convention collective de l'employeur (IDCC)"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("L'IDCC compte quatre chiffres, par exemple 1516.")},
        help_text=_("Pour un salarié du secteur privé : quatre chiffres, sur votre bulletin de paie."),
    )
    objectives = forms.MultipleChoiceField(
        label=_("Vos deux objectifs principaux"),
        choices=Objective.choices,
        widget=forms.CheckboxSelectMultiple(),
    )

    def __init__(self, *args, identity: CivilIdentity | None, feasibility: Feasibility, **kwargs):
        initial = {name: getattr(feasibility, name) for name in self.SITUATION}
        initial["objectives"] = list(feasibility.objectives or [])
        if identity is not None:
            initial.update({name: getattr(identity, name) for name in self.IDENTITY})
        super().__init__(*args, initial=initial, **kwargs)
        for name in self.OPTIONAL:
            self.fields[name].required = False
        required_named(self)

    def clean(self):
        data = super().clean()
        born = data.get("birth_date")
        if born and not (born.year >= 1900 and born <= timezone.localdate()):
            self.add_error("birth_date", _("Date de naissance invraisemblable : vérifiez-la."))
        if data.get("status") in STATUSES_WITH_IDCC:
            _require(self, data, "idcc")
        level = data.get("certification_level")
        if level and level != QualificationLevel.NONE:
            _require(self, data, "titles_held")
        objectives = data.get("objectives") or []
        if "objectives" not in self.errors and len(objectives) != 2:
            self.add_error("objectives", _("Choisissez exactement deux objectifs principaux."))
        return data

    def identity(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.IDENTITY}

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.SITUATION}
        values["objectives"] = list(self.cleaned_data["objectives"])
        return values


class BlockStatementForm(forms.Form):
    """One bloc's « Activité » and comment (the form is prefixed with the bloc's id)."""

    activity = forms.ChoiceField(label=_("Activité"), choices=BlockActivity.choices, widget=RADIO)
    comment = forms.CharField(
        label=_("Commentaire détaillé"),
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Obligatoire pour OUI et PARTIELLEMENT : ce que vous avez fait, où, avec qui, avec quel résultat."),
        error_messages=limits.form_error(_("Le commentaire")),
    )

    def __init__(self, *args, block, **kwargs):
        super().__init__(*args, **kwargs)
        self.block = block
        required_named(self)

    def clean(self):
        data = super().clean()
        if (
            data.get("activity") in (BlockActivity.YES, BlockActivity.PARTLY)
            and not (data.get("comment") or "").strip()
        ):
            self.add_error(
                "comment",
                _("Le commentaire détaillé est obligatoire pour « %(a)s ».")
                % {"a": BlockActivity(data["activity"]).label},
            )
        return data


class FeasibilityDocumentForm(forms.Form):
    role = forms.ChoiceField(label=_("Nature de la pièce"), choices=FeasibilityDocumentRole.choices, widget=RADIO)
    prerequisite = forms.ChoiceField(label=_("Prérequis justifié"), required=False)
    title = forms.CharField(label=_("Intitulé"), max_length=255)
    file = forms.FileField(label=_("Fichier"), help_text=_("PDF, PNG, JPEG, DOCX ou ODT."))

    def __init__(self, *args, certification, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prerequisite"].choices = [("", "—"), *((p, p) for p in certification.regulatory_prerequisites)]
        if not certification.regulatory_prerequisites:
            self.fields["role"].choices = [
                c for c in FeasibilityDocumentRole.choices if c[0] != FeasibilityDocumentRole.PREREQUISITE
            ]
            del self.fields["prerequisite"]
        required_named(self)

    def clean(self):
        data = super().clean()
        if data.get("role") == FeasibilityDocumentRole.PREREQUISITE and "prerequisite" in self.fields:
            _require(self, data, "prerequisite")
        return data


class SignatureForm(forms.Form):
    """The candidate's signed block, in the model's wording."""

    accompaniment = forms.ChoiceField(label=_("Accompagnement"), choices=AccompanimentChoice.choices, widget=RADIO)
    signed = forms.BooleanField(
        label=_(
            "Je certifie sur l'honneur l'exactitude des renseignements fournis dans ce dossier et que les "
            "expériences décrites sont les miennes."
        )
    )
    comments = forms.CharField(
        label=_("Commentaires"),
        required=False,
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=limits.form_error(_("Les commentaires")),
    )

    def __init__(self, *args, feasibility: Feasibility, signed: bool, **kwargs):
        super().__init__(
            *args,
            initial={"accompaniment": feasibility.accompaniment, "comments": feasibility.comments, "signed": signed},
            **kwargs,
        )
        required_named(self)
        self.fields["signed"].error_messages["required"] = _("Cochez la déclaration sur l'honneur pour signer.")

    def values(self) -> dict:
        return {"accompaniment": self.cleaned_data["accompaniment"], "comments": self.cleaned_data["comments"]}
