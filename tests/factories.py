import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from certifications.enums import AssessmentKind, CertificationStatus
from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    Certifier,
    Competency,
    Rubric,
    RubricCriterion,
    RubricLevel,
)

PASSWORD = "un-mot-de-passe-solide-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    class Params:
        admin = factory.Trait(is_staff=True, is_superuser=True)


class CertifierFactory(DjangoModelFactory):
    class Meta:
        model = Certifier

    legal_name = factory.Sequence(lambda n: f"Organisme certificateur {n}")
    siret = factory.Sequence(lambda n: f"{n:014d}")


class CertificationFactory(DjangoModelFactory):
    """A bare certification version; ``make_certification`` adds a complete tree."""

    class Meta:
        model = Certification
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"RNCP9{n:04d}")
    slug = factory.Sequence(lambda n: f"certification-{n}")
    title = factory.Sequence(lambda n: f"Certification de test {n}")
    level = 6
    rules = "Validation de tous les blocs."
    jury_composition = "Un professionnel du secteur et un représentant du certificateur."

    class Params:
        published = factory.Trait(status=CertificationStatus.PUBLISHED)

    @factory.post_generation
    def certifier(self, create, extracted, **kwargs):
        if create:
            self.certifiers.add(extracted or CertifierFactory())


def make_certification(blocks: int = 2, competencies: int = 3, **kwargs) -> Certification:
    """A certification that can be published as it is: every bloc has compétences, a modalité
    and a grille (levels 0 and 2 points, one criterion per compétence)."""
    cert = CertificationFactory(**kwargs)
    for b in range(1, blocks + 1):
        block = Block.objects.create(
            certification=cert, order=b, code=f"{cert.code}BC{b:02d}" if cert.code else "", title=f"Bloc {b}"
        )
        comps = [
            Competency.objects.create(
                block=block, order=i, code=f"C{b}.{i}", text=f"Compétence {i} du bloc {b}"
            )
            for i in range(1, competencies + 1)
        ]
        AssessmentMethod.objects.create(
            certification=cert,
            block=block,
            kind=AssessmentKind.PRACTICAL_SITUATION,
            title="Mise en situation",
        )
        rubric = Rubric.objects.create(certification=cert, block=block)
        for i, (label, points) in enumerate([("Non démontré", 0), ("Démontré", 2)], start=1):
            RubricLevel.objects.create(rubric=rubric, label=label, points=points, order=i)
        for i, comp in enumerate(comps, start=1):
            RubricCriterion.objects.create(rubric=rubric, text=comp.text, order=i).competencies.add(comp)
    return cert
