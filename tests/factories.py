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


def make_certification(
    blocks: int = 2, competencies: int = 3, levels=(("Non démontré", 0), ("Démontré", 2)), **kwargs
) -> Certification:
    """A certification that can be published as it is: every bloc has compétences, a modalité
    and a grille (``levels``: by default 0 and 2 points; one criterion per compétence)."""
    cert = CertificationFactory(**kwargs)
    for b in range(1, blocks + 1):
        block = Block.objects.create(
            certification=cert, order=b, code=f"{cert.code}BC{b:02d}" if cert.code else "", title=f"Bloc {b}"
        )
        comps = [
            Competency.objects.create(block=block, order=i, code=f"C{b}.{i}", text=f"Compétence {i} du bloc {b}")
            for i in range(1, competencies + 1)
        ]
        AssessmentMethod.objects.create(
            certification=cert,
            block=block,
            kind=AssessmentKind.PRACTICAL_SITUATION,
            title="Mise en situation",
        )
        rubric = Rubric.objects.create(certification=cert, block=block)
        for i, (label, points) in enumerate(levels, start=1):
            RubricLevel.objects.create(rubric=rubric, label=label, points=points, order=i)
        for i, comp in enumerate(comps, start=1):
            RubricCriterion.objects.create(rubric=rubric, text=comp.text, order=i).competencies.add(comp)
    return cert


# --- dossiers -----------------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def pdf_with_comment(comment: bytes, offset: int = 0) -> bytes:
    """A valid one-page PDF (MINIMAL_PDF's objects, a true cross-reference table) with
    ``comment`` in a PDF comment that starts ``offset`` bytes in (padded before it)."""
    out = b"%PDF-1.4\n"
    if offset:
        out += b"%" + b"x" * max(0, offset - len(out) - 3) + b"\n"
    out += b"%" + comment + b"\n"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
    ]
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


NARRATIVE = (
    "Dans l'association où je coordonne les bénévoles depuis quatre ans, j'ai conduit le projet de "
    "recyclerie solidaire : j'ai réuni les partenaires, construit le budget avec la trésorière, animé "
    "les réunions d'équipe chaque semaine et présenté le bilan au conseil d'administration. Le projet "
    "a ouvert en mars avec douze bénévoles formés et trois emplois aidés créés."
)


def pdf_upload(name: str = "preuve.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def fill_civil_identity(dossier, **fields):
    """The candidate's civil identity on ``dossier`` (``dossiers.CivilIdentity``)."""
    import datetime as dt

    from dossiers.models import CivilIdentity

    values = {
        "birth_name": "Girard",
        "first_name1": "Lucie",
        "first_name2": "Anne",
        "sex": "F",
        "birth_date": dt.date(1985, 3, 14),
        "nationality": "française",
        **fields,
    }
    identity, _created = CivilIdentity.objects.update_or_create(dossier=dossier, defaults=values)
    return identity


def fill_feasibility_sections(dossier):
    """The dossier de faisabilité's sections (nature, identity, situation, two objectives, each
    bloc's activity and comment, the choice about accompaniment), written directly."""
    from dossiers.enums import AccompanimentChoice, BlockActivity
    from dossiers.feasibility import feasibility_of
    from dossiers.models import BlockStatement

    fill_civil_identity(dossier)
    request = feasibility_of(dossier)
    cert = dossier.certification
    for name, values in (
        ("option", cert.options),
        ("foreign_language", cert.foreign_languages),
        ("parcours", cert.parcours),
    ):
        if values:
            setattr(request, name, values[0])
    request.nature = "first"
    request.prerequisites_held = {text: False for text in cert.regulatory_prerequisites}
    request.training_level = "4"
    request.certification_level = "4"
    request.titles_held = "Baccalauréat professionnel Services de proximité et vie locale"
    request.street, request.postcode, request.city, request.country = "12 rue des Lilas", "35000", "Rennes", "France"
    request.phone = request.phone or "06 12 34 56 78"
    request.email = request.email or dossier.candidate.email
    request.status = "volunteer"
    request.objectives = ["progress", "recognition"]
    request.accompaniment = AccompanimentChoice.AUTONOMOUS
    request.save()
    for block in dossier.targeted_blocks():
        BlockStatement.objects.update_or_create(
            dossier=dossier,
            block=block,
            defaults={"activity": BlockActivity.YES, "comment": "Activités exercées chaque semaine depuis 2019."},
        )


def fill_feasibility(dossier):
    """Everything stage 1 asks for: the dossier de faisabilité's sections
    (``fill_feasibility_sections``), an experience, every self-positioning, the statement, the ID."""
    import datetime as dt

    from django.utils import timezone

    from dossiers.enums import ExperienceKind, SelfAssessment
    from dossiers.models import Experience

    fill_feasibility_sections(dossier)

    Experience.objects.create(
        dossier=dossier,
        kind=ExperienceKind.VOLUNTEER,
        organisation="Association Les Ateliers",
        role="Coordinatrice bénévole",
        start_date=dt.date(2019, 9, 1),
        hours_per_week=10,
        activities="Coordination des bénévoles, montage de projets, relations avec les financeurs.",
    )
    dossier.statements.update(self_assessment=SelfAssessment.YES)
    dossier.sworn_statement_at = timezone.now()
    dossier.identity_document.save("identite.pdf", pdf_upload().file, save=False)
    dossier.identity_document_name = "identite.pdf"
    dossier.save()


def fill_validation(dossier):
    """A narrative long enough and one proof for every targeted compétence."""
    import hashlib

    from django.core.files.base import ContentFile

    from dossiers.enums import ProofKind
    from dossiers.models import Proof

    proof = Proof(
        dossier=dossier,
        title="Bilan du projet",
        kind=ProofKind.PRODUCTION,
        original_name="bilan.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
    )
    proof.file.save("bilan.pdf", ContentFile(MINIMAL_PDF), save=True)
    for statement in dossier.statements.all():
        statement.narrative = NARRATIVE
        statement.version += 1
        statement.save()
        statement.proofs.add(proof)
        statement.experiences.add(*dossier.experiences.all())
    # What the VAE route asks beside the blocs (004's transversal proof), when it asks something.
    from dossiers.models import TransversalStatement

    for method in dossier.transversal_assessments():
        written, _created = TransversalStatement.objects.get_or_create(dossier=dossier, assessment_method=method)
        written.narrative = NARRATIVE
        written.save()
        written.proofs.add(proof)
    return proof


# The path a dossier walks to reach each state, through the services only.
def dossier_in_state(state: str, candidate=None, certification=None, blocks=None, certifier_user=None):
    from dossiers import services
    from dossiers.enums import DossierStatus as S

    candidate = candidate or UserFactory()
    certification = certification or make_certification(published=True)
    actor = certifier_user or UserFactory(admin=True)
    dossier = services.start_dossier(candidate, certification, blocks)
    path = {
        S.DRAFT: [],
        S.FEASIBILITY_SUBMITTED: ["request"],
        S.FEASIBILITY_INCOMPLETE: ["request", "incomplete"],
        S.INADMISSIBLE: ["request", "inadmissible"],
        S.ADMISSIBLE: ["request", "admissible"],
        S.VALIDATION_SUBMITTED: ["request", "admissible", "submit"],
        S.VALIDATION_INCOMPLETE: ["request", "admissible", "submit", "to_complete"],
        S.READY_FOR_JURY: ["request", "admissible", "submit", "complete"],
        S.WITHDRAWN: ["withdraw"],
    }[state]
    for step in path:
        if step == "request":
            fill_feasibility(dossier)
            services.request_feasibility(dossier, candidate)
        elif step in ("admissible", "incomplete", "inadmissible"):
            decision = {
                "admissible": S.ADMISSIBLE,
                "incomplete": S.FEASIBILITY_INCOMPLETE,
                "inadmissible": S.INADMISSIBLE,
            }[step]
            services.decide_feasibility(dossier, actor, decision, "Motif détaillé pour le candidat.")
        elif step == "submit":
            fill_validation(dossier)
            services.submit_validation(dossier, candidate)
        elif step in ("complete", "to_complete"):
            services.review_validation(dossier, actor, step == "complete", "Il manque une attestation.")
        elif step == "withdraw":
            services.withdraw(dossier, candidate)
        dossier.refresh_from_db()
    return dossier


# The same end states written directly: the rows each state implies (the submission timestamps,
# one snapshot and one document row per submission, one transition log row per step, with the
# actor and comment the services would record), without the guards, locks and completeness
# checks the services run on the way. For tests where reaching the state is not the point; the
# services' own tests walk the path with dossier_in_state.
_DIRECT_PATHS = {
    "draft": [],
    "feasibility_submitted": ["request"],
    "feasibility_incomplete": ["request", "feasibility_incomplete"],
    "inadmissible": ["request", "inadmissible"],
    "admissible": ["request", "admissible"],
    "validation_submitted": ["request", "admissible", "submit"],
    "validation_incomplete": ["request", "admissible", "submit", "validation_incomplete"],
    "ready_for_jury": ["request", "admissible", "submit", "ready_for_jury"],
}


_DIRECT_COMMENTS = {
    "admissible": "Motif détaillé pour le candidat.",
    "feasibility_incomplete": "Motif détaillé pour le candidat.",
    "inadmissible": "Motif détaillé pour le candidat.",
    "ready_for_jury": "Il manque une attestation.",
    "validation_incomplete": "Il manque une attestation.",
}


def dossier_built_in_state(state: str, candidate=None, certification=None, blocks=None, certifier_user=None):
    """A dossier in ``state`` (any state dossier_in_state reaches but withdrawn), written directly."""
    from django.utils import timezone

    from documents import services as documents
    from documents.enums import DocumentKind
    from dossiers import services
    from dossiers.enums import DossierStatus as S
    from dossiers.enums import SnapshotKind
    from dossiers.models import Snapshot, TransitionLog
    from dossiers.snapshots import build_content, canonical_sha256

    candidate = candidate or UserFactory()
    certification = certification or make_certification(published=True)
    actor = certifier_user or UserFactory(admin=True)
    dossier = services.start_dossier(candidate, certification, blocks)

    def submission(kind: str, document_kind: str):
        content = build_content(dossier)
        snapshot = Snapshot.objects.create(
            dossier=dossier,
            kind=kind,
            number=1,
            content=content,
            sha256=canonical_sha256(content),
            created_by=candidate,
        )
        documents.request_document(document_kind, dossier, snapshot, candidate)

    def move(to: str, by, comment: str = "", **fields):
        TransitionLog.objects.create(
            dossier=dossier, from_status=dossier.status, to_status=to, actor=by, comment=comment
        )
        dossier.status = to
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.save()

    for step in _DIRECT_PATHS[state]:
        if step == "request":
            fill_feasibility(dossier)
            submission(SnapshotKind.FEASIBILITY, DocumentKind.FEASIBILITY)
            move(S.FEASIBILITY_SUBMITTED, candidate, feasibility_submitted_at=timezone.now())
        elif step == "submit":
            fill_validation(dossier)
            submission(SnapshotKind.VALIDATION, DocumentKind.VALIDATION)
            move(S.VALIDATION_SUBMITTED, candidate, validation_submitted_at=timezone.now())
        else:  # the certifier's decision, with the comment dossier_in_state gives
            move(step, actor, _DIRECT_COMMENTS[step])
    dossier.refresh_from_db()
    return dossier


# --- certifier staff and jury sessions ------------------------------------------------------


def certifier_of(certification, **kwargs):
    """A staff account of (the first) certifier organisation of ``certification``."""
    user = UserFactory(**kwargs)
    certification.certifiers.first().staff.add(user)
    return user


def make_session(certification=None, days: int = 14, hour: int = 9, capacity: int = 4, **kwargs):
    """A jury session ``days`` from today at ``hour`` o'clock (local time), through the service."""
    import datetime as dt

    from django.utils import timezone

    from juries import services

    certification = certification or make_certification(published=True)
    day = timezone.localdate() + dt.timedelta(days=days)
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    kwargs.setdefault("place", "Salle du conseil, 12 rue des Lilas, Lyon")
    actor = kwargs.pop("actor", None) or UserFactory(admin=True)
    if days <= 0:  # a session in the past cannot be created through the service: create it, then move it
        session = services.create_session(
            certification, actor, starts_at=timezone.now() + dt.timedelta(days=1), capacity=capacity, **kwargs
        )
        type(session).objects.filter(pk=session.pk).update(starts_at=starts_at)
        session.refresh_from_db()
        return session
    return services.create_session(certification, actor, starts_at=starts_at, capacity=capacity, **kwargs)


def slot(session, start: str, end: str) -> dict:
    """``starts_at`` and ``ends_at`` for "HH:MM" times on the session's day (service keywords)."""
    import datetime as dt

    from django.utils import timezone

    day = timezone.localdate(session.starts_at)
    return {
        "starts_at": timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(start))),
        "ends_at": timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(end))),
    }
