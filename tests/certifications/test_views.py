import pytest
from django.urls import reverse

from certifications import services
from tests.factories import UserFactory, make_certification

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_public_and_lists_published_certifications_only(client):
    published = make_certification(published=True, title="Médiateur social")
    make_certification(title="Brouillon secret")

    response = client.get(reverse("certifications:catalogue"))

    assert response.status_code == 200
    assert published.title in response.content.decode()
    assert "Brouillon secret" not in response.content.decode()


@pytest.mark.parametrize("query", ["RNCP35203", "alternatifs", "APTIM"])
def test_the_catalogue_searches_code_title_and_certifier(client, reference_certifications, query):
    response = client.get(reverse("certifications:catalogue"), {"q": query})

    page = response.content.decode()
    assert "Coordinateur de projets alternatifs et solidaires" in page
    assert "Manager" not in page


def test_the_catalogue_filters_by_level(client, reference_certifications):
    response = client.get(reverse("certifications:catalogue"), {"level": "6"})
    assert [c.code for c in response.context["page"]] == ["RNCP35203"]


def test_the_certification_page_shows_blocs_competences_grouped_under_headings(client, reference_certifications):
    url = reverse("certifications:detail", args=["coordinateur-operationnel-etablissements-educatifs"])

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "C1-2.6" in page
    assert 'class="competency-group"' in page
    assert "Composition du jury VAE" in page


def test_the_certification_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    small = make_certification(published=True, blocks=1, competencies=1)
    big = make_certification(published=True, blocks=6, competencies=12)
    with django_assert_max_num_queries(8) as ctx:
        client.get(big.get_absolute_url())
    big_count = len(ctx.captured_queries)
    with django_assert_max_num_queries(8) as ctx:
        client.get(small.get_absolute_url())
    assert len(ctx.captured_queries) == big_count


def test_a_published_referential_is_read_once_then_rendered_from_the_cache(client, django_assert_num_queries):
    certification = make_certification(published=True, blocks=3, competencies=4)
    first = client.get(certification.get_absolute_url()).content.decode()

    with django_assert_num_queries(2):  # the certification and its certifiers, not its referential
        again = client.get(certification.get_absolute_url()).content.decode()

    def referential(page):
        return page.split("Blocs de compétences", 1)[1]

    assert referential(again) == referential(first)
    assert all(block.title in again for block in certification.blocks.all())
    # A new version published is another referential, read and shown as it is.
    draft = services.new_version(certification)
    draft.blocks.filter(order=1).update(title="Bloc réécrit pour la version 2")
    services.publish(draft)
    assert "Bloc réécrit pour la version 2" in client.get(certification.get_absolute_url()).content.decode()


def test_a_draft_has_no_public_page(client):
    draft = make_certification()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_archived_version_gives_way_to_the_published_one(client):
    cert = make_certification(published=True)
    draft = services.new_version(cert)
    draft.title = "Nouvel intitulé"
    draft.save()
    services.publish(draft)

    response = client.get(cert.get_absolute_url())

    assert response.context["certification"] == draft


def test_login_is_by_email_and_password(client):
    user = UserFactory(email="nina@example.org")
    response = client.post(
        reverse("login"), {"username": "nina@example.org", "password": "un-mot-de-passe-solide-2026"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_gets_a_french_message(client):
    UserFactory(email="nina@example.org")
    response = client.post(reverse("login"), {"username": "nina@example.org", "password": "faux"})
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def test_the_certification_s_notes_are_for_its_certifiers_only(client):
    from tests.factories import UserFactory, certifier_of

    cert = make_certification(published=True, notes="Regroupement déduit par l'équipe de saisie.")
    certifier = certifier_of(cert)

    anonymous = client.get(cert.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    candidate = client.get(cert.get_absolute_url()).content.decode()
    client.force_login(certifier)
    own_certifier = client.get(cert.get_absolute_url()).content.decode()

    assert "Regroupement déduit" not in anonymous
    assert "Regroupement déduit" not in candidate
    assert "Regroupement déduit" in own_certifier


def test_candidates_see_how_each_bloc_is_judged(client):
    cert = make_certification(published=True, blocks=1, competencies=2)

    page = client.get(cert.get_absolute_url()).content.decode()

    assert "Comment le jury évalue : la grille" in page
    assert "Non démontré — 0 point" in page and "Démontré — 2 points" in page
    assert "Compétence 2 du bloc 1" in page
    assert "Le bloc est validé lorsque le score pondéré atteint 50 % du maximum." in page


def test_the_certification_page_names_the_certifier_and_the_certification_it_replaces(client):
    cert = make_certification(published=True, replaces_code="RNCP28157")
    certifier = cert.certifiers.first()
    certifier.website = "https://certificateur.example"
    certifier.save()

    page = client.get(cert.get_absolute_url()).content.decode()

    assert certifier.legal_name in page
    assert 'href="https://certificateur.example"' in page
    assert "la certification RNCP28157" in page
