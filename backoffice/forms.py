"""Forms of the certifier back office. They validate input; the views hand the cleaned data to
one service call (certifications.services, dossiers.services, juries.services)."""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications import editor
from certifications.jury_rule import JuryRule, JuryRuleError
from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    Competency,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from core import limits
from core.text import shorten
from dossiers.enums import DossierStatus, FeasibilitySection
from juries.enums import Attendance, JuryRole

S = DossierStatus
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _codes(value: str) -> list[str]:
    """Codes typed one per line or separated by commas or semicolons."""
    parts = value.replace(";", "\n").replace(",", "\n").splitlines()
    return [p.strip() for p in parts if p.strip()]


# --- referential --------------------------------------------------------------------------
# The forms of a referential's parts show exactly the fields the editor edits (``editor.BLOCK``…).


class CertificationCreateForm(forms.Form):
    certifiers = forms.ModelMultipleChoiceField(
        label=_("Certificateurs"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    code = forms.CharField(
        label=_("Code RNCP ou RS"), required=False, max_length=12, help_text=_("Vide si elle n'en a pas encore.")
    )
    title = forms.CharField(label=_("Intitulé"), max_length=800)
    level = forms.TypedChoiceField(
        label=_("Niveau européen"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(n, str(n)) for n in range(3, 9)],
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifiers"].queryset = organisations
        if organisations.count() == 1:
            self.fields["certifiers"].initial = list(organisations)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if code:
            Certification._meta.get_field("code").run_validators(code)
        return code


LINE_LISTS = ("regulatory_prerequisites", "options", "foreign_languages", "parcours")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class IdentityForm(forms.ModelForm):
    """Identity, codes, dates and rules of a draft, with its jury composition rule."""

    codes_nsf = forms.CharField(
        label=_("Codes NSF"), required=False, help_text=_("Un par ligne ou séparés par des virgules.")
    )
    codes_formacode = forms.CharField(label=_("Formacodes"), required=False)
    codes_rome = forms.CharField(label=_("Codes ROME"), required=False)
    # The dossier de faisabilité's lists (rubriques 1 and 2): one item a line.
    list_regulatory_prerequisites = forms.CharField(
        label=_("Prérequis réglementaires"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un par ligne. Le candidat dira s'il détient chacun et en joindra la preuve."),
    )
    list_options = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Une par ligne.")
    )
    list_foreign_languages = forms.CharField(
        label=_("Langues vivantes étrangères"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une par ligne."),
    )
    list_parcours = forms.CharField(
        label=_("Parcours, mentions ou spécialités"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Un par ligne."),
    )
    rule_min_members = forms.IntegerField(
        label=_("Membres délibérants au moins"), min_value=0, max_value=20, required=False
    )
    rule_external_professionals = forms.IntegerField(
        label=_("Dont professionnels du secteur extérieurs au certificateur"), min_value=0, max_value=20, required=False
    )

    class Meta:
        model = Certification
        fields = [
            "code",
            "title",
            "level",
            "end_of_registration",
            "rncp_decision_date",
            "rules",
            "requires_all_blocks",
            "requires_transversal",
            "partial_validation",
            "jury_composition",
            "jury_composition_date",
            "prerequisites",
            "fees",
            "jury_place",
            "notes",
            "min_narrative_length",
        ]
        widgets = {
            "end_of_registration": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rncp_decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "jury_composition_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rules": forms.Textarea(attrs={"rows": 4}),
            "jury_composition": forms.Textarea(attrs={"rows": 3}),
            "prerequisites": forms.Textarea(attrs={"rows": 3}),
            "fees": forms.Textarea(attrs={"rows": 2}),
            "jury_place": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cert = self.instance
        self.fields["codes_nsf"].initial = ", ".join(cert.nsf_codes)
        self.fields["codes_formacode"].initial = ", ".join(cert.formacodes)
        self.fields["codes_rome"].initial = ", ".join(cert.rome_codes)
        for name in LINE_LISTS:
            self.fields[f"list_{name}"].initial = "\n".join(getattr(cert, name))
        try:
            rule = JuryRule.from_data(cert.jury_rule)
        except JuryRuleError:
            rule = JuryRule()
        self.fields["rule_min_members"].initial = rule.min_members or None
        self.fields["rule_external_professionals"].initial = rule.external_professionals or None
        for role in JuryRole:
            self.fields[f"rule_role_{role.value}"] = forms.IntegerField(
                label=_("%(role)s (nombre au moins)") % {"role": role.label.capitalize()},
                min_value=0,
                max_value=20,
                required=False,
                initial=rule.roles.get(role.value) or None,
            )

    def rule_fields(self):
        names = ["rule_min_members", *(f"rule_role_{r.value}" for r in JuryRole), "rule_external_professionals"]
        return [self[name] for name in names]

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        data = super().clean()
        decided, end = data.get("rncp_decision_date"), data.get("end_of_registration")
        if decided and end and decided >= end:
            self.add_error("rncp_decision_date", _("La décision d'enregistrement précède la fin de l'enregistrement."))
        return data

    def service_values(self) -> dict:
        """What ``certifications.services.update_certification`` takes."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.Meta.fields}
        values["nsf_codes"] = _codes(data["codes_nsf"])
        values["formacodes"] = _codes(data["codes_formacode"])
        values["rome_codes"] = _codes(data["codes_rome"])
        for name in LINE_LISTS:
            values[name] = _lines(data[f"list_{name}"])
        values["jury_rule"] = JuryRule(
            min_members=data["rule_min_members"] or 0,
            roles={r.value: data[f"rule_role_{r.value}"] for r in JuryRole if data.get(f"rule_role_{r.value}")},
            external_professionals=data["rule_external_professionals"] or 0,
        ).to_data()
        return values


class BlockForm(forms.ModelForm):
    class Meta:
        model = Block
        fields = editor.BLOCK.fields
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "description": forms.Textarea(attrs={"rows": 3})}


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = editor.COMPETENCY.fields
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"group": _("Les compétences qui se suivent sous le même intitulé sont regroupées.")}


class TransferCompetencyForm(forms.Form):
    block = forms.ModelChoiceField(label=_("Déplacer vers le bloc"), queryset=Block.objects.none())

    def __init__(self, *args, certification, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        blocks = certification.blocks.order_by("order")
        if exclude is not None:
            blocks = blocks.exclude(pk=exclude.pk)
        self.fields["block"].queryset = blocks


class GroupRenameForm(forms.Form):
    old = forms.CharField(label=_("Intitulé actuel"), required=False, max_length=500, widget=forms.HiddenInput)
    new = forms.CharField(label=_("Nouvel intitulé du groupe"), required=False, max_length=500)


class AssessmentMethodForm(forms.ModelForm):
    class Meta:
        model = AssessmentMethod
        fields = editor.METHOD.fields
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "assessors": forms.Textarea(attrs={"rows": 2}),
            "vae_requirement": forms.Textarea(attrs={"rows": 3}),
        }


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = editor.RUBRIC.fields
        widgets = {"pass_rule": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"pass_rule": _("La règle dite en mots pour les membres du jury.")}


class CriterionForm(forms.ModelForm):
    """A criterion of its instance's grille; it offers the compétences of the grille's bloc (of
    the whole certification for a transversal grille)."""

    class Meta:
        model = RubricCriterion
        fields = [*editor.CRITERION.fields, *editor.CRITERION.links]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "competencies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rubric = self.instance.rubric
        comps = Competency.objects.filter(block__certification=rubric.certification_id).select_related("block")
        if rubric.block_id:
            comps = comps.filter(block=rubric.block_id)
        self.fields["competencies"].queryset = comps.order_by("block__order", "order")
        self.fields["competencies"].label_from_instance = lambda c: f"{c.code} {shorten(c.text, 120)}".strip()
        self.fields["competencies"].required = False


class LevelForm(forms.ModelForm):
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=1000)

    class Meta:
        model = RubricLevel
        fields = editor.LEVEL.fields


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier de référentiel (JSON)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo : un référentiel en pèse bien moins."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("Le fichier n'est pas un texte UTF-8 : exportez-le au format JSON.")
            ) from None
        try:
            self.cleaned_data["document"] = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Le fichier n'est pas un JSON valide (ligne %(line)s, colonne %(col)s : %(msg)s).")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from None
        return upload


# --- dossiers -----------------------------------------------------------------------------

QUEUE_STATES = [
    S.FEASIBILITY_SUBMITTED,
    S.VALIDATION_SUBMITTED,
    S.READY_FOR_JURY,
    S.SCHEDULED,
    S.FEASIBILITY_INCOMPLETE,
    S.ADMISSIBLE,
    S.VALIDATION_INCOMPLETE,
    S.DECIDED,
    S.INADMISSIBLE,
    S.WITHDRAWN,
]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Candidat"), required=False, max_length=200, help_text=_("Nom ou adresse e-mail"))
    certification = forms.ModelChoiceField(label=_("Certification"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous les états"))] + [(s.value, s.label) for s in QUEUE_STATES],
    )
    submitted_from = forms.DateField(
        label=_("Déposé à partir du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(label=_("jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, certifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = certifications.order_by("title", "-version")


class FeasibilityDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        widget=forms.RadioSelect,
        choices=[
            (S.ADMISSIBLE, _("Recevable")),
            (S.FEASIBILITY_INCOMPLETE, _("À compléter")),
            (S.INADMISSIBLE, _("Non recevable")),
        ],
    )
    comment = forms.CharField(
        label=_("Motif ou éléments manquants"),
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire pour « à compléter » et « non recevable » : le candidat le lira."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Rubriques à compléter"),
        required=False,
        choices=FeasibilitySection.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour « à compléter » : le candidat verra ces rubriques signalées dans son dossier."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in (S.FEASIBILITY_INCOMPLETE, S.INADMISSIBLE) and not data.get("comment", "").strip():
            self.add_error("comment", _("Indiquez le motif : il sera communiqué au candidat."))
        return data


class ValidationReviewForm(forms.Form):
    COMPLETE, INCOMPLETE = "complete", "incomplete"
    decision = forms.ChoiceField(
        label=_("Examen du dossier de validation"),
        widget=forms.RadioSelect,
        choices=[(COMPLETE, _("Complet : en attente de jury")), (INCOMPLETE, _("À compléter"))],
    )
    comment = forms.CharField(
        label=_("Ce qui manque"),
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire pour « à compléter » : le candidat le lira."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.INCOMPLETE and not data.get("comment", "").strip():
            self.add_error("comment", _("Indiquez ce qui manque : ce sera communiqué au candidat."))
        return data


# --- jury sessions ------------------------------------------------------------------------


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class SessionForm(forms.Form):
    certification = forms.ModelChoiceField(label=_("Certification"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(
        label=_("Lieu"), required=False, max_length=limits.SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    video_link = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Nombre de candidats au plus"), min_value=1, max_value=100, initial=4)
    instructions = forms.CharField(
        label=_("Consignes aux candidats"),
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que le candidat doit apporter ou préparer ; repris dans la convocation."),
    )
    notes = forms.CharField(
        label=_("Notes internes"), required=False, max_length=limits.LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, certifications=None, session=None, **kwargs):
        if session is not None:
            local = timezone.localtime(session.starts_at)
            kwargs.setdefault(
                "initial",
                {
                    "date": local.date(),
                    "time": local.time(),
                    "place": session.place,
                    "video_link": session.video_link,
                    "capacity": session.capacity,
                    "instructions": session.instructions,
                    "notes": session.notes,
                },
            )
        super().__init__(*args, **kwargs)
        if session is not None:
            del self.fields["certification"]
        else:
            self.fields["certification"].queryset = certifications.published().order_by("title")

    def clean(self):
        data = super().clean()
        if not (data.get("place") or "").strip() and not data.get("video_link"):
            self.add_error("place", _("Indiquez un lieu ou un lien de visioconférence."))
        if data.get("date") and data.get("time"):
            data["starts_at"] = _aware(data["date"], data["time"])
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        names = ["starts_at", "place", "video_link", "capacity", "instructions", "notes"]
        return {name: data[name] for name in names}


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Un compte existant est ajouté ; sinon, la personne reçoit une invitation à créer le sien."),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=[("", "---------"), *JuryRole.choices])
    first_name = forms.CharField(label=_("Prénom (invitation)"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Nom (invitation)"), required=False, max_length=150)


class SlotForm(forms.Form):
    start = forms.TimeField(label=_("Début du créneau"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Fin du créneau"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def slot(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return _aware(day, self.cleaned_data["start"]), _aware(day, self.cleaned_data["end"])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Le créneau doit finir après son début."))
        return data


class ConvokeForm(SlotForm):
    dossier = forms.ModelChoiceField(label=_("Dossier en attente de jury"), queryset=None)

    field_order = ["dossier", "start", "end"]

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers
        self.fields["dossier"].label_from_instance = lambda d: (
            f"{d.candidate.get_full_name() or d.candidate.email}"
            f" — {d.certification.code or shorten(d.certification.title, 40)} (v{d.certification.version})"
        )


class RescheduleForm(SlotForm):
    session = forms.ModelChoiceField(label=_("Session"), queryset=None)
    notice = forms.CharField(
        label=_("Motif du report"),
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Communiqué au candidat."),
    )

    field_order = ["session", "start", "end", "notice"]

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class NoticeForm(forms.Form):
    notice = forms.CharField(
        label=_("Motif"),
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Communiqué aux candidats concernés."),
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Présence"), choices=Attendance.choices, widget=forms.RadioSelect)
