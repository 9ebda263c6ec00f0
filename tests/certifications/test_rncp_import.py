"""Importing RNCP fiches into draft certification versions: the service and the command."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from certifications import services
from certifications.enums import CertificationStatus
from certifications.models import Block, Certification, CertificationEvent, Certifier, Competency, Rubric
from certifications.rncp.importer import import_flux
from certifications.rncp.parser import RncpFormatError
from tests.certifications import rncp_rows
from tests.certifications import rncp_samples as samples
from tests.certifications.rncp_samples import Raw
from tests.factories import CertificationFactory, make_certification

pytestmark = pytest.mark.django_db


def _import(tmp_path, *fiches, **options):
    return import_flux(samples.write(tmp_path, samples.flux(*fiches)), **options)


def _tree(certification):
    return [
        (b.code, b.title, [(c.code, c.group, c.text, c.order) for c in b.competencies.order_by("order")])
        for b in certification.blocks.order_by("order")
    ]


def _snapshot():
    return (
        list(Certification.objects.order_by("pk").values_list("pk", "version", "status", "updated_at")),
        Block.objects.count(),
        Competency.objects.count(),
        Certifier.objects.count(),
        CertificationEvent.objects.count(),
    )


# --- the two real fiches ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["RNCP35203", "RNCP41296"])
def test_the_seed_fiches_import_into_drafts_whose_blocs_and_competences_match_the_fixtures(
    tmp_path, reference_certifications, code
):
    certifiers_before = Certifier.objects.count()

    report = _import(tmp_path, samples.rncp35203(), samples.rncp41296())

    assert report.counts == {"updated": 2}
    reference = Certification.objects.get(code=code, version=1)
    draft = Certification.objects.get(code=code, version=2)
    assert (draft.status, draft.lineage, draft.slug) == ("draft", reference.lineage, reference.slug)
    assert _tree(draft) == _tree(reference)
    for field in ["title", "level", "end_of_registration", "nsf_codes", "formacodes", "rome_codes"]:
        assert getattr(draft, field) == getattr(reference, field), field
    assert draft.jury_composition == reference.jury_composition
    assert draft.replaces_code == reference.replaces_code
    assert list(draft.certifiers.all()) == list(reference.certifiers.all())
    assert Certifier.objects.count() == certifiers_before


def test_into_an_empty_portal_the_seed_fiches_become_new_certifications(tmp_path):
    report = _import(tmp_path, samples.rncp35203(), samples.rncp41296())

    assert report.counts == {"created": 2}
    cert = Certification.objects.get(code="RNCP35203")
    assert (cert.version, cert.status, cert.level, cert.open_to_vae, cert.rncp_status) == (
        1,
        "draft",
        6,
        True,
        "active",
    )
    assert cert.slug == "rncp35203-coordinateur-de-projets-alternatifs-et-solidaires"
    assert [len(b[2]) for b in _tree(cert)] == [7, 10, 8]
    assert [len(b[2]) for b in _tree(Certification.objects.get(code="RNCP41296"))] == [6, 6, 10, 5]
    assert cert.certifiers.get().siret == "33138377800031"
    assert cert.end_of_registration.isoformat() == "2026-01-20"
    assert "RNCP35203" in cert.source and "4.1" in cert.source


def test_the_raw_lists_stay_on_each_bloc_and_no_grille_is_created(tmp_path):
    _import(tmp_path, samples.rncp35203())

    block = Block.objects.get(code="RNCP35203BC01")
    assert block.raw_competencies.startswith("<p>Délimiter le territoire afin")
    assert "grille critériée" in block.raw_assessment
    assert not Rubric.objects.exists()
    cert = block.certification
    assert not cert.assessment_methods.exists()
    problems = [p.message for p in services.publication_problems(cert)]
    assert any("grille critériée" in p for p in problems)


def test_each_imported_draft_gets_a_history_line(tmp_path, django_user_model):
    actor = django_user_model.objects.create_user("certificateur@example.org")
    _import(tmp_path, samples.fiche(), actor=actor)

    event = CertificationEvent.objects.get()
    assert (event.to_status, event.actor, event.comment) == (
        "draft",
        actor,
        "Import de la fiche RNCP90001 (flux RNCP 4.1)",
    )


# --- re-import and versions -----------------------------------------------------------------


def test_a_reimport_of_an_unchanged_file_changes_nothing(tmp_path):
    _import(tmp_path, samples.rncp35203(), samples.fiche())
    before = _snapshot()

    report = _import(tmp_path, samples.rncp35203(), samples.fiche())

    assert report.counts == {"unchanged": 2}
    assert _snapshot() == before


def test_an_unchanged_fiche_is_recognised_even_after_its_draft_was_published_and_copied(tmp_path):
    _import(tmp_path, samples.fiche())
    Certification.objects.update(status=CertificationStatus.PUBLISHED)
    services.new_version(Certification.objects.get())

    report = _import(tmp_path, samples.fiche())

    assert report.counts == {"unchanged": 1}


def test_a_changed_fiche_becomes_a_new_draft_version(tmp_path):
    _import(tmp_path, samples.fiche())
    Certification.objects.update(status=CertificationStatus.PUBLISHED)

    report = _import(tmp_path, samples.fiche(title="Médiateur social"))

    assert report.counts == {"updated": 1}
    first, second = Certification.objects.order_by("version")
    assert (second.version, second.status, second.lineage, second.title) == (
        2,
        "draft",
        first.lineage,
        "Médiateur social",
    )


def test_a_changed_fiche_is_skipped_while_a_draft_is_being_corrected(tmp_path):
    _import(tmp_path, samples.fiche())
    before = _snapshot()

    report = _import(tmp_path, samples.fiche(title="Médiateur social"))

    assert report.counts == {"skipped": 1}
    assert report.skip_reasons == {"draft_in_progress": 1}
    assert "version 1" in report.outcomes[0].reason
    assert _snapshot() == before


def test_a_fiche_listed_twice_in_one_file_is_imported_once(tmp_path):
    report = _import(tmp_path, samples.fiche(), samples.fiche())
    assert report.counts == {"created": 1, "unchanged": 1}


# --- selection ------------------------------------------------------------------------------


def test_only_vae_skips_fiches_not_open_to_vae(tmp_path):
    report = _import(tmp_path, samples.fiche("RNCP10001", vae="Non"), samples.fiche("RNCP10002"), only_vae=True)

    assert report.counts == {"skipped": 1, "created": 1}
    assert report.skip_reasons == {"not_open_to_vae": 1}
    assert list(Certification.objects.values_list("code", flat=True)) == ["RNCP10002"]


def test_without_only_vae_a_fiche_not_open_to_vae_is_imported_and_says_so(tmp_path):
    _import(tmp_path, samples.fiche(vae="Non"))
    assert Certification.objects.get().open_to_vae is False


def test_an_inactive_fiche_is_skipped_unless_asked_for_by_its_code(tmp_path):
    inactive = samples.fiche("RNCP10001", active="Non", state="Dépubliée/Archivée")

    report = _import(tmp_path, inactive)
    assert (report.counts, report.skip_reasons) == ({"skipped": 1}, {"inactive": 1})

    report = _import(tmp_path, inactive, codes=["rncp10001"])
    assert report.counts == {"created": 1}
    cert = Certification.objects.get()
    assert cert.rncp_status == "inactive"
    assert "Dépubliée/Archivée, inactive" in cert.source


def test_codes_select_fiches_and_those_missing_are_reported(tmp_path):
    report = _import(tmp_path, samples.fiche("RNCP10001"), samples.fiche("RNCP10002"), codes=["RNCP10002", "RNCP10003"])

    assert report.fiches_read == 2
    assert report.counts == {"created": 1}
    assert report.missing_codes == ["RNCP10003"]


def test_a_certifier_only_imports_the_fiches_bearing_one_of_their_sirets(tmp_path):
    report = _import(tmp_path, samples.rncp35203(), samples.rncp41296(), allowed_sirets={samples.IRCOM["siret"]})

    assert report.counts == {"created": 1, "skipped": 1}
    assert report.skip_reasons == {"not_yours": 1}
    assert list(Certification.objects.values_list("code", flat=True)) == ["RNCP41296"]


# --- who may add a version --------------------------------------------------------------------


def _aptim_takes_over_rncp41296():
    """RNCP41296 is IRCOM's; this fiche bears APTIM's SIRET instead (a forged or stale fiche)."""
    return samples.rncp41296(certifiers=[samples.APTIM])


def test_a_certifier_cannot_version_another_certifiers_lineage(tmp_path, reference_certifications):
    aptim = Certifier.objects.get(siret=samples.APTIM["siret"])
    before = _snapshot()

    report = _import(
        tmp_path, _aptim_takes_over_rncp41296(), allowed_sirets={samples.APTIM["siret"]}, acting={aptim.pk}
    )

    assert report.counts == {"skipped": 1}
    assert report.skip_reasons == {"other_certifier": 1}
    assert report.outcomes[0].reason == (
        "la certification appartient à un autre certificateur : "
        "seul un certificateur qui la gère peut en importer une nouvelle version"
    )
    assert _snapshot() == before


def test_a_certifier_of_the_owning_organisation_versions_their_lineage(tmp_path, reference_certifications):
    ircom = Certifier.objects.get(siret=samples.IRCOM["siret"])

    report = _import(tmp_path, samples.rncp41296(), allowed_sirets={samples.IRCOM["siret"]}, acting={ircom.pk})

    assert report.counts == {"updated": 1}


def test_another_certifiers_draft_is_not_revealed_by_the_refusal(tmp_path, reference_certifications):
    services.new_version(Certification.objects.get(code="RNCP41296"))
    aptim = Certifier.objects.get(siret=samples.APTIM["siret"])

    report = _import(tmp_path, _aptim_takes_over_rncp41296(), acting={aptim.pk})

    assert report.skip_reasons == {"other_certifier": 1}
    assert "brouillon" not in report.outcomes[0].reason


def test_without_force_the_import_refuses_a_fiche_that_changes_the_certifier_of_a_lineage(
    tmp_path, reference_certifications
):
    report = _import(tmp_path, _aptim_takes_over_rncp41296(), samples.rncp35203())

    assert report.counts == {"skipped": 1, "updated": 1}
    assert report.skip_reasons == {"other_certifier": 1}
    assert "aucun des certificateurs de la version 1 (ASSOCIATION SAINTE ANNE) ne figure sur la fiche" in (
        report.outcomes[0].reason
    )
    assert not Certification.objects.filter(code="RNCP41296", version=2).exists()


def test_a_fiche_naming_one_of_the_current_certifiers_among_others_is_a_new_version(tmp_path, reference_certifications):
    report = _import(tmp_path, samples.rncp41296(certifiers=[samples.APTIM, samples.IRCOM]))

    assert report.counts == {"updated": 1}
    draft = Certification.objects.get(code="RNCP41296", version=2)
    assert {c.siret for c in draft.certifiers.all()} == {samples.APTIM["siret"], samples.IRCOM["siret"]}


def test_a_certifier_without_siret_is_recognised_by_name(tmp_path):
    _import(tmp_path, samples.fiche(certifiers=[{"name": "ORGANISME SANS SIRET"}]))
    Certification.objects.update(status=CertificationStatus.PUBLISHED)

    report = _import(tmp_path, samples.fiche(title="Autre intitulé", certifiers=[{"name": "ORGANISME SANS SIRET"}]))

    assert report.counts == {"updated": 1}


def test_with_no_restriction_a_fiche_may_change_the_certifier(tmp_path, reference_certifications):
    report = _import(tmp_path, _aptim_takes_over_rncp41296(), acting=None)

    assert report.counts == {"updated": 1}
    draft = Certification.objects.get(code="RNCP41296", version=2)
    assert [c.siret for c in draft.certifiers.all()] == [samples.APTIM["siret"]]


# --- awkward fiches -------------------------------------------------------------------------


def test_the_replacement_chain_is_kept_both_ways(tmp_path):
    old = CertificationFactory(code="RNCP28157")

    _import(tmp_path, samples.fiche("RNCP35000", replaces=["RNCP28157"], replaced_by=["RNCP40000"]))

    cert = Certification.objects.get(code="RNCP35000")
    assert (cert.replaces_code, cert.replaces, cert.replaced_by_code) == ("RNCP28157", old, "RNCP40000")
    assert "remplacée par RNCP40000" in cert.source


def test_an_rs_fiche_without_blocs_imports_as_a_draft_without_blocs(tmp_path):
    report = _import(tmp_path, samples.fiche("RS5000", "Habilitation", blocs=[], level=None, level_label=None))

    assert report.counts == {"created": 1}
    cert = Certification.objects.get(code="RS5000")
    assert (cert.level, cert.blocks.count()) == (None, 0)


def test_missing_optional_elements_import_with_empty_values(tmp_path):
    _import(
        tmp_path,
        samples.fiche(
            abbreviation=None,
            nsf=None,
            rome=None,
            formacodes=None,
            end_of_registration=None,
            decision_date=None,
            vae=None,
            partial_validation=None,
            prerequisites=None,
            level=None,
            level_label=None,
        ),
    )
    cert = Certification.objects.get()
    assert (cert.nsf_codes, cert.rome_codes, cert.formacodes) == ([], [], [])
    assert (cert.end_of_registration, cert.level, cert.jury_composition, cert.prerequisites) == (
        None,
        None,
        "",
        "",
    )
    assert (cert.open_to_vae, cert.partial_validation) == (False, True)


@pytest.mark.parametrize("tag", ["LIBELLE", "INTITULE"])
def test_the_level_is_imported_whether_its_label_is_under_libelle_or_intitule(tmp_path, tag):
    _import(tmp_path, samples.fiche(level=None, level_label="Niveau 4", level_label_tag=tag))
    assert Certification.objects.get().level == 4


def test_entities_cdata_nbsp_and_curly_quotes_reach_the_draft_clean(tmp_path):
    _import(
        tmp_path,
        samples.fiche(
            title=Raw("Agent d&rsquo;accueil &amp;amp; de m&eacute;diation"),
            vae_jury="<p>Un professionnel&nbsp;du secteur</p>",
            blocs=[
                samples.bloc(
                    "RNCP90001BC01",
                    "Accueillir l’usager",
                    Raw("<![CDATA[<p>C1.1 Accueillir&nbsp;l’usager « en difficulté »</p><p>C1.2 Orienter</p>]]>"),
                )
            ],
        ),
    )
    cert = Certification.objects.get()
    assert cert.title == "Agent d’accueil & de médiation"
    assert cert.jury_composition == "Un professionnel du secteur"
    assert _tree(cert) == [
        (
            "RNCP90001BC01",
            "Accueillir l’usager",
            [("C1.1", "", "Accueillir l’usager « en difficulté »", 1), ("C1.2", "", "Orienter", 2)],
        )
    ]


def test_a_bloc_given_twice_identically_is_kept_once_with_a_note(tmp_path):
    bloc = samples.bloc("RNCP90001BC01", "Accueillir", "<p>Accueillir</p>")
    report = _import(tmp_path, samples.fiche(blocs=[bloc, bloc]))

    cert = Certification.objects.get()
    assert cert.blocks.count() == 1
    assert "figure deux fois à l'identique" in cert.notes
    assert report.outcomes[0].warnings


def test_a_bloc_code_repeated_with_different_content_keeps_both_blocs_with_a_note(tmp_path):
    _import(
        tmp_path,
        samples.fiche(
            blocs=[
                samples.bloc("RNCP90001BC01", "Accueillir", "<p>Accueillir</p>"),
                samples.bloc("RNCP90001BC01", "Orienter", "<p>Orienter</p>"),
            ]
        ),
    )
    cert = Certification.objects.get()
    assert list(cert.blocks.values_list("code", "title", "order")) == [
        ("RNCP90001BC01", "Accueillir", 1),
        ("RNCP90001BC01", "Orienter", 2),
    ]
    assert "répété avec des contenus différents" in cert.notes


def test_a_bloc_whose_list_gives_nothing_is_imported_empty_with_a_note(tmp_path):
    _import(tmp_path, samples.fiche(blocs=[samples.bloc("RNCP90001BC01", "Accueillir", "")]))
    cert = Certification.objects.get()
    assert cert.blocks.get().competencies.count() == 0
    assert "aucune compétence trouvée" in cert.notes


def test_an_existing_certifier_is_matched_by_siret_and_a_new_one_created(tmp_path):
    existing = Certifier.objects.create(legal_name="IRCOM (ancien nom)", siret=samples.IRCOM["siret"])
    other = {"name": "NOUVEL ORGANISME", "siret": "12345678900011"}

    _import(tmp_path, samples.fiche(certifiers=[samples.IRCOM, other]))

    cert = Certification.objects.get()
    assert set(cert.certifiers.all()) == {existing, Certifier.objects.get(siret="12345678900011")}
    assert Certifier.objects.count() == 2


def test_a_new_certifier_named_by_several_fiches_is_created_once_with_the_first_fiches_details(tmp_path):
    first = {"name": "ORGANISME NOUVEAU", "siret": "12345678900011", "commercial_name": "PREMIER"}
    second = {**first, "name": "ORGANISME NOUVEAU (AUTRE NOM)", "commercial_name": "SECOND"}

    _import(tmp_path, samples.fiche("RNCP10001", certifiers=[first]), samples.fiche("RNCP10002", certifiers=[second]))

    certifier = Certifier.objects.get()
    assert (certifier.legal_name, certifier.commercial_name) == ("ORGANISME NOUVEAU", "PREMIER")
    assert certifier.certifications.count() == 2


def test_an_unreadable_siret_is_dropped_with_a_note_and_the_certifier_kept_by_name(tmp_path):
    _import(tmp_path, samples.fiche(certifiers=[{"name": "ORGANISME", "siret": "123"}]))
    cert = Certification.objects.get()
    assert [(c.legal_name, c.siret) for c in cert.certifiers.all()] == [("ORGANISME", "")]
    assert "SIRET illisible" in cert.notes


def test_a_fiche_with_an_unreadable_number_is_skipped_with_the_reason(tmp_path):
    report = _import(tmp_path, samples.fiche("FICHE-12"), samples.fiche("RNCP10002"))

    assert report.counts == {"skipped": 1, "created": 1}
    assert report.outcomes[0].reason == "numéro de fiche illisible : 'FICHE-12'"


def test_a_fiche_the_database_refuses_mid_way_leaves_nothing_of_itself_and_the_others_are_imported(
    tmp_path, monkeypatch
):
    from django.db import IntegrityError

    from certifications.rncp import importer

    real = importer._insert_history

    def refuse_rncp10002(drafts, rows, actor):
        real(drafts, rows, actor)  # its version, certifier, links, blocs and compétences are written
        if any(d.code == "RNCP10002" for d in drafts):
            raise IntegrityError("doublon")

    monkeypatch.setattr(importer, "_insert_history", refuse_rncp10002)
    own_certifier = {"name": "ORGANISME DE LA FICHE REFUSÉE", "siret": "98765432100019"}

    report = _import(
        tmp_path,
        samples.fiche("RNCP10001"),
        samples.fiche("RNCP10002", certifiers=[own_certifier]),
        samples.fiche("RNCP10003"),
    )

    assert report.counts == {"created": 2, "skipped": 1}
    assert report.outcomes[1].reason == "refusée par la base de données : doublon"
    assert list(Certification.objects.order_by("code").values_list("code", flat=True)) == ["RNCP10001", "RNCP10003"]
    assert not Block.objects.filter(code__startswith="RNCP10002").exists()
    assert Competency.objects.count() == 2 * 3  # the two imported fiches' compétences only
    assert not Certifier.objects.filter(siret=own_certifier["siret"]).exists()
    assert Certification.certifiers.through.objects.count() == 2
    assert CertificationEvent.objects.count() == 2


def test_a_fiche_breaking_a_database_constraint_is_skipped_and_its_neighbours_in_the_batch_imported(tmp_path):
    # A version 1 already holds the slug the fiche RNCP10002 would get: the insert breaks
    # unique_certification_slug_version, in the database itself.
    CertificationFactory(code="", slug="rncp10002-charge-de-mediation-sociale", version=1)
    before = Certification.objects.count()

    report = _import(tmp_path, samples.fiche("RNCP10001"), samples.fiche("RNCP10002"), samples.fiche("RNCP10003"))

    assert [o.action for o in report.outcomes] == ["created", "skipped", "created"]
    assert report.outcomes[1].reason_key == "database"
    assert Certification.objects.count() == before + 2
    assert not Block.objects.filter(code__startswith="RNCP10002").exists()


def test_forty_fiches_are_written_with_about_as_many_queries_as_three(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(first, count):
        fiches = [samples.fiche(f"RNCP{n}", fiche_id=str(n)) for n in range(first, first + count)]
        path = samples.write(tmp_path, samples.flux(*fiches), name=f"flux-{first}.xml")
        with CaptureQueriesContext(connection) as captured:
            report = import_flux(path)
        assert report.counts == {"created": count}
        return len(captured)

    queries(10000, 1)  # the certifier is created, and the connection's own first queries are made
    three, forty = queries(20000, 3), queries(30000, 40)
    # One insert per table for the whole batch (one per fiche used to cost about fifteen queries);
    # SQLite splits an insert past its limit of bound parameters, hence the small margin.
    assert three <= forty <= three + 3
    assert forty < 40


# --- all or nothing -----------------------------------------------------------------------------


def test_a_truncated_file_imports_nothing_and_names_the_line(tmp_path):
    xml = samples.flux(samples.fiche("RNCP10001"), samples.fiche("RNCP10002"))
    path = samples.write(tmp_path, xml[: xml.index("RNCP10002") + 30])

    with pytest.raises(RncpFormatError, match=r"tronqué.*ligne \d+, colonne \d+"):
        import_flux(path)

    assert Certification.objects.count() == 0


def test_the_dry_run_changes_nothing_and_says_what_would_happen(tmp_path):
    aptim = Certifier.objects.create(legal_name=samples.APTIM["name"], siret=samples.APTIM["siret"])
    make_certification(code="RNCP35203", published=True, certifier=aptim)  # the fiche's certifier
    before = _snapshot()

    report = _import(tmp_path, samples.rncp35203(), samples.fiche(), dry_run=True)

    assert report.counts == {"updated": 1, "created": 1}
    assert [o.version for o in report.outcomes] == [2, 1]
    assert _snapshot() == before


def test_a_zipped_flux_imports_like_a_plain_one(tmp_path):
    report = import_flux(samples.write_zip(tmp_path, samples.flux(samples.rncp35203())))
    assert report.counts == {"created": 1}


# --- the command ------------------------------------------------------------------------------


def _command(*args):
    out = io.StringIO()
    call_command("import_rncp", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_command_prints_a_summary_with_the_reasons_for_skipping(tmp_path):
    path = samples.write(
        tmp_path,
        samples.flux(
            samples.fiche("RNCP10001"),
            samples.fiche("RNCP10002", vae="Non"),
            samples.fiche("RNCP10003", active="Non"),
        ),
    )

    output = _command(path, "--only-vae")

    assert "Flux RNCP 4.1 : 3 fiches lues" in output
    assert "Créées : 1 · Nouvelles versions : 0 · Inchangées : 0 · Ignorées : 2" in output
    assert "ignorées, non ouverte à la VAE : 1" in output
    assert "ignorées, fiche inactive au RNCP" in output


def test_the_command_details_each_fiche_named_by_code(tmp_path):
    path = samples.write(tmp_path, samples.flux(samples.fiche("RNCP10001"), samples.fiche("RNCP10002")))

    output = _command(path, "--code", "RNCP10002", "RNCP99999")

    assert "RNCP10002 créée (v1) — Chargé de médiation sociale" in output
    assert "2 fiches lues" in output and "1 sélectionnée." in output
    assert "RNCP10001" not in output
    assert "Introuvables dans le fichier : RNCP99999" in output


def test_the_command_dry_run_says_nothing_was_saved(tmp_path):
    path = samples.write(tmp_path, samples.flux(samples.fiche()))

    output = _command(path, "--dry-run")

    assert "Créées : 1" in output
    assert "Simulation : rien n'a été enregistré." in output
    assert Certification.objects.count() == 0


def test_a_truncated_file_given_to_the_command_imports_nothing_and_names_the_line(tmp_path):
    xml = samples.flux(samples.fiche("RNCP10001"), samples.fiche("RNCP10002"))
    path = samples.write(tmp_path, xml[: xml.rindex("</FICHE>")])

    with pytest.raises(CommandError) as info:
        _command(path)

    assert "rien n'a été importé" in str(info.value)
    assert f"ligne {xml[: xml.rindex('</FICHE>')].count(chr(10)) + 1}" in str(info.value)
    assert Certification.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (samples.flux(samples.fiche(), root="CERTIFICATIONS"), "racine est <CERTIFICATIONS>"),
        (samples.flux(samples.fiche(), version="9.9"), "Version du flux '9.9' non prise en charge"),
        ("<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE></FICHES>", "balise fermante"),
    ],
)
def test_a_wrong_file_given_to_the_command_is_refused_with_a_french_message(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        _command(samples.write(tmp_path, content))
    assert Certification.objects.count() == 0


def test_the_command_refuses_to_change_the_certifier_of_a_lineage_unless_forced(tmp_path, reference_certifications):
    path = samples.write(tmp_path, samples.flux(samples.rncp41296(certifiers=[samples.APTIM])))

    refused = _command(path, "--code", "RNCP41296")

    assert "Ignorées : 1" in refused
    assert "ignorées, la certification appartient à un autre certificateur : 1" in refused
    assert "relancez avec --force pour changer de certificateur" in refused
    assert not Certification.objects.filter(code="RNCP41296", version=2).exists()

    forced = _command(path, "--force")

    assert "Nouvelles versions : 1" in forced
    draft = Certification.objects.get(code="RNCP41296", version=2)
    assert [c.siret for c in draft.certifiers.all()] == [samples.APTIM["siret"]]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        _command(tmp_path / "absent.xml")


# --- the rows written -------------------------------------------------------------------------


def test_the_import_writes_the_rows_the_one_row_at_a_time_import_wrote(tmp_path, reference_certifications):
    """The recorded rows (rncp_rows.py) were written by the import before it wrote in bulk."""
    actor = get_user_model().objects.create_user("import@example.org")

    report = _import(tmp_path, *rncp_rows.scenario(), actor=actor)

    assert report.counts == {"updated": 2, "created": 7, "unchanged": 1, "skipped": 2}
    assert report.skip_reasons == {"draft_in_progress": 1, "inactive": 1}
    actual = rncp_rows.rows()
    assert actual == rncp_rows.expected(actual)
