"""Forms of the jury members' pages. They validate input; the views hand the cleaned data to one
call of ``juries.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from juries.enums import LinkKind
from juries.queries import Item
from juries.services.decisions import ItemDecision


class DeclarationForm(forms.Form):
    link = forms.ChoiceField(
        label=_("Avez-vous un lien avec ce candidat ?"),
        choices=LinkKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Un lien professionnel (collègue, employeur, stagiaire), personnel (famille, ami), institutionnel "
            "(vous l'avez accompagné ou formé) ou autre : vous ne verrez pas son dossier et ne participerez ni à sa "
            "notation ni à la délibération le concernant."
        ),
    )
    comment = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoires pour un autre lien ; elles figureront au procès-verbal."),
    )

    def clean(self):
        data = super().clean()
        if data.get("link") == LinkKind.OTHER and not data.get("comment", "").strip():
            self.add_error("comment", _("Précisez la nature de ce lien."))
        return data


class ScoringForm(forms.Form):
    """A scoring as posted: ``version``, ``comment``, and ``level-<id>``, ``remark-<id>`` per
    criterion (an unchecked level is absent from the post: it means no level)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    comment = forms.CharField(
        required=False, max_length=limits.NARRATIVE, error_messages=limits.form_error(_("L'appréciation générale"))
    )

    def __init__(self, data, *, criteria):
        super().__init__(data)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"level-{criterion.pk}"] = forms.CharField(required=False, max_length=20)
            self.fields[f"remark-{criterion.pk}"] = forms.CharField(
                required=False, max_length=limits.REMARK, error_messages=limits.form_error(_("Une remarque"))
            )

    def refusal(self, action: str) -> str:
        """What to tell the juror when the form is invalid: a text too long says which and by
        how much (what was saved before stays); anything else is a page out of date."""
        too_long = [
            message
            for field in self.errors
            for error in self.errors[field].as_data()
            if error.code == "max_length"
            for message in error.messages
        ]
        if too_long:
            return _("%(action)s : %(why)s") % {"action": action, "why": " ".join(too_long)}
        return _("%(action)s : le formulaire est incomplet. Rechargez la page.") % {"action": action}

    def changes(self) -> dict[str, str]:
        data = self.cleaned_data
        changes = {"comment": data["comment"]}
        for criterion in self.criteria:
            changes[f"level-{criterion.pk}"] = data[f"level-{criterion.pk}"]
            changes[f"remark-{criterion.pk}"] = data[f"remark-{criterion.pk}"]
        return changes


YES, NO = "yes", "no"


class DecisionForm(forms.Form):
    """The président's decision: per item validé or not, a justification and, when not
    validated, the compétences still to prove; then observations for the candidate."""

    comment = forms.CharField(
        label=_("Observations du jury"),
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Communiquées au candidat avec la décision."),
    )
    expected_result = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            k = item.key
            self.fields[f"{k}-validated"] = forms.ChoiceField(
                label=_("Décision"),
                choices=[(YES, _("Validé")), (NO, _("Non validé"))],
                widget=forms.RadioSelect,
            )
            self.fields[f"{k}-justification"] = forms.CharField(
                label=_("Justification"), max_length=limits.LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
            )
            if item.is_block:
                self.fields[f"{k}-competencies"] = forms.ModelMultipleChoiceField(
                    label=_("Compétences restant à démontrer (si non validé)"),
                    queryset=item.block.competencies.order_by("order"),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                self.fields[f"{k}-competencies"].label_from_instance = lambda c: f"{c.code} {c.text}".strip()
            self.fields[f"{k}-recommendations"] = forms.CharField(
                label=_("Préconisations (si non validé)"),
                required=False,
                max_length=limits.LONG_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def sections(self):
        """(item, its bound fields) for the template."""
        for item in self.items:
            k = item.key
            names = [f"{k}-validated", f"{k}-justification", f"{k}-competencies", f"{k}-recommendations"]
            yield item, [self[n] for n in names if n in self.fields]

    def decisions(self) -> list[ItemDecision]:
        data = self.cleaned_data
        return [
            ItemDecision(
                key=item.key,
                validated=data[f"{item.key}-validated"] == YES,
                justification=data[f"{item.key}-justification"],
                competencies=list(data.get(f"{item.key}-competencies") or []),
                recommendations=data[f"{item.key}-recommendations"],
            )
            for item in self.items
        ]


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"),
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Communiqué au candidat ; la décision révoquée reste dans l'historique."),
    )
