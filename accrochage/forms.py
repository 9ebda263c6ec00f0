import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accrochage import services
from accrochage.models import CdcAccount
from dossiers.models import CivilIdentity

NAME_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ' \-]+$")
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTCODE_RE = re.compile(r"^\d{5}$")
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")


class AccountForm(forms.ModelForm):
    class Meta:
        model = CdcAccount
        fields = ["client_id", "contract_id"]

    def clean_client_id(self):
        return self.cleaned_data["client_id"].strip().upper()

    def clean_contract_id(self):
        return self.cleaned_data["contract_id"].strip().upper()


class IdentityForm(forms.ModelForm):
    class Meta:
        model = CivilIdentity
        fields = services.IDENTITY_FIELDS
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "birth_insee_code": _("5 caractères, par exemple 35238 pour Rennes ou 2A004 pour Ajaccio."),
            "birth_postcode": _("À défaut du code INSEE."),
            "birth_country_code": _("Code ISO à trois lettres : FRA pour la France."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional in the dossier de faisabilité, needed by the CDC's flux.
        self.fields["birth_city"].required = True

    def clean(self):
        data = super().clean()
        for name in ("birth_name", "usage_name", "first_name1", "first_name2", "first_name3", "birth_city"):
            value = (data.get(name) or "").strip()
            data[name] = value
            if value and name != "birth_city" and not NAME_RE.match(value):
                self.add_error(name, _("Lettres, espaces, apostrophes et traits d'union seulement."))
        born = data.get("birth_date")
        if born and not (dt.date(1900, 1, 1) <= born <= timezone.localdate() - dt.timedelta(days=365 * 15)):
            self.add_error("birth_date", _("Date de naissance invraisemblable : vérifiez-la."))
        insee = (data.get("birth_insee_code") or "").strip().upper()
        postcode = (data.get("birth_postcode") or "").strip()
        data["birth_insee_code"], data["birth_postcode"] = insee, postcode
        country = (data.get("birth_country_code") or "").strip().upper()
        data["birth_country_code"] = country
        if country and not COUNTRY_RE.match(country):
            self.add_error("birth_country_code", _("Trois lettres majuscules, par exemple FRA."))
        if data.get("born_in_france"):
            if insee and not INSEE_RE.match(insee):
                self.add_error(
                    "birth_insee_code", _("Le code INSEE compte 5 caractères : chiffres, ou 2A/2B puis 3 chiffres.")
                )
            if postcode and not POSTCODE_RE.match(postcode):
                self.add_error("birth_postcode", _("Le code postal compte 5 chiffres."))
            if not insee and not postcode:
                self.add_error(
                    "birth_insee_code", _("Indiquez le code INSEE ou, à défaut, le code postal de la commune.")
                )
            if country and country != "FRA":
                self.add_error("birth_country_code", _("Naissance en France : le code pays est FRA."))
        else:
            data["birth_insee_code"] = data["birth_postcode"] = ""
            if country == "FRA":
                self.add_error(
                    "birth_country_code", _("Naissance hors de France : indiquez le code du pays de naissance.")
                )
        return data


class FluxForm(forms.Form):
    start = forms.DateField(label=_("Jurys du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("au"), widget=forms.DateInput(attrs={"type": "date"}))
    withdrawals = forms.BooleanField(label=_("Flux de retraits (décisions révoquées)"), required=False)


class ReportForm(forms.Form):
    report = forms.FileField(label=_("Compte rendu de traitement de la CDC (XML ou CSV)"))

    def clean_report(self):
        upload = self.cleaned_data["report"]
        if upload.size > 200 * 1024 * 1024:
            raise forms.ValidationError(_("Le fichier dépasse 200 Mo."))
        return upload
