"""Demo dossiers, moved through the services like real ones (``seed_demo`` calls ``seed()``).

candidat1@vae.example: a draft on RNCP41296, an admissible dossier on RNCP35203 with some
compétences written and proofs linked, a submitted dossier de validation on the 004
certification (bloc 3). candidat2@vae.example: a draft of their own. Idempotent: a candidate
who already has a dossier on a certification is left alone there.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from certifications.models import Certification
from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.enums import ExperienceKind, ProofKind, SelfAssessment
from dossiers.models import Dossier, Experience

CANDIDATE_1 = "candidat1@vae.example"
CANDIDATE_2 = "candidat2@vae.example"
ADMIN = "admin@vae.example"
SLUG_004 = "coordinateur-operationnel-etablissements-educatifs"
SLUG_CPSL = "charge-projets-solidaires-locaux-cpsl"


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with text (Helvetica, WinAnsi encoding)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 16 Tf", "50 780 Td", f"({escape(title)}) Tj", "/F1 11 Tf", "0 -30 Td"]
    for line in lines:
        ops += [f"({escape(line)}) Tj", "0 -16 Td"]
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _upload(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(title, lines), content_type="application/pdf")


# Pieces of narratives: context, what was done, with whom, the result.
CONTEXTS = [
    "Dans l'association de quartier où je coordonne les activités depuis 2019",
    "Lors de la préparation de la rentrée dans l'établissement où je travaille",
    "Au moment où notre structure a dû répondre à un appel à projets régional",
    "Quand la collectivité nous a sollicités pour un diagnostic partagé",
]
ACTIONS = [
    "j'ai recueilli les besoins auprès des habitants et des partenaires, puis rédigé une note de synthèse "
    "présentée au conseil d'administration",
    "j'ai construit un tableau de bord, fixé des jalons et organisé une réunion de suivi chaque mois",
    "j'ai animé trois ateliers de travail, reformulé les désaccords et proposé un compromis écrit",
    "j'ai analysé les données disponibles, comparé deux scénarios et argumenté celui qui me semblait tenable",
]
PARTNERS = [
    "avec deux salariées, une dizaine de bénévoles et l'élue chargée de la vie associative",
    "avec la direction, les coordinateurs pédagogiques et deux partenaires extérieurs",
    "avec le trésorier, la chargée de mission de la région et un cabinet d'expertise comptable",
    "avec les habitants du comité de pilotage et les travailleurs sociaux du secteur",
]
RESULTS = [
    "Le projet a été adopté et financé pour trois ans ; j'en ai tiré une méthode que je réutilise.",
    "Les délais ont été tenus et le bilan a montré une participation en hausse de 30 %.",
    "Les partenaires ont signé une convention commune, ce qui n'était pas arrivé depuis cinq ans.",
    "La décision a été prise en connaissance de cause, et l'équipe s'est approprié l'outil.",
]


def narrative(index: int, competency_text: str) -> str:
    focus = competency_text.split("\n")[0].rstrip(" :.")[:140].lower()
    return (
        f"{CONTEXTS[index % 4]}, il fallait {focus}. Concrètement, {ACTIONS[(index + 1) % 4]}. "
        f"J'ai travaillé {PARTNERS[(index + 2) % 4]}. {RESULTS[(index + 3) % 4]}"
    )


def _experience(dossier: Dossier, **fields) -> Experience:
    return services.save_experience(dossier, Experience(**fields))


def _stage1(dossier: Dossier, candidate: User, experiences: list[dict]) -> None:
    for fields in experiences:
        _experience(dossier, **fields)
    choices = [SelfAssessment.YES, SelfAssessment.YES, SelfAssessment.PARTLY]
    for i, statement in enumerate(dossier.statements.order_by("competency__block__order", "competency__order")):
        comment = "Surtout dans mon poste actuel." if i % 4 == 0 else ""
        services.save_statement(
            statement, statement.version, {"self_assessment": choices[i % 3], "self_comment": comment}
        )
    _feasibility(dossier, candidate)
    services.sign_sworn_statement(dossier, True)
    services.set_identity_document(
        dossier,
        _upload("carte-identite.pdf", "Carte nationale d'identité (démonstration)", [candidate.get_full_name()]),
    )


# The dossier de faisabilité's other sections: the address, then what fits the certification.
ADDRESSES = [
    ("14 rue des Tanneurs", "35000", "Rennes"),
    ("3 allée des Tilleuls", "33600", "Pessac"),
    ("27 avenue Jean-Jaurès", "69007", "Lyon"),
    ("8 place du Marché", "59000", "Lille"),
    ("51 boulevard de la Liberté", "13001", "Marseille"),
    ("2 impasse des Vignes", "44000", "Nantes"),
]

# The sex of the civil identity follows the first name of the demo accounts (accounts, backoffice
# and juries demos); a name not listed falls back on its ending, and an account without one is
# "Camille".
FIRST_NAME_SEX = {
    "Camille": "F",
    "Hugo": "M",
    "Inès": "F",
    "Julie": "F",
    "Karim": "M",
    "Léa": "F",
    "Marc": "M",
    "Nadia": "F",
    "Olivier": "M",
    "Pauline": "F",
    "Quentin": "M",
}
SECOND_FIRST_NAME = {"F": "Marie", "M": "Louis"}


def sex_of(first_name: str) -> str:
    return FIRST_NAME_SEX.get(first_name) or ("F" if first_name.endswith(("a", "e")) else "M")


def gendered(sex: str, masculine: str, feminine: str) -> str:
    return feminine if sex == "F" else masculine


# What a candidate to each shipped certification plausibly holds, and their activity and detailed
# comment per bloc (by the bloc's order), written from the bloc's title (fixtures/certifications.json).
PROFILES = {
    "RNCP35203": {
        "levels": ("5", "5"),
        "titles_held": "DUT Carrières sociales, option animation sociale et socioculturelle (2011)",
        "status": ("private_employee", "1261"),
        "blocks": {
            1: (
                "yes",
                "Depuis 2018, je conduis les diagnostics de territoire de l'association : entretiens avec les "
                "habitants, les élus et les travailleurs sociaux, lecture des données de l'INSEE et de la CAF, "
                "synthèse des enjeux sociaux présentée au conseil d'administration. Trois projets en sont issus, "
                "dont une ressourcerie financée pour trois ans.",
            ),
            2: (
                "partly",
                "Je monte et suis les projets d'économie sociale et solidaire de la structure : budget, dossiers "
                "de financement, planning, bilans aux financeurs, coordination des salariés et des bénévoles. "
                "L'évaluation finale des projets est encore conduite par la directrice ; j'y contribue.",
            ),
            3: (
                "yes",
                "J'anime le réseau des partenaires du quartier (bailleurs, centre social, commune) : réunions "
                "trimestrielles, médiation quand les intérêts divergent, ateliers de formation des bénévoles "
                "au montage de projets.",
            ),
        },
    },
    "RNCP41296": {
        "levels": ("6", "6"),
        "titles_held": "Licence professionnelle Intervention sociale, coordination de projets (2012)",
        "status": ("private_employee", "1261"),
        "blocks": {
            1: (
                "yes",
                "Membre du comité de direction, j'ai conduit l'analyse stratégique de l'association (forces, "
                "faiblesses, évolution des financements publics) et rédigé le projet associatif 2022-2026 "
                "adopté par l'assemblée générale.",
            ),
            2: (
                "yes",
                "J'ai conçu le programme d'aide alimentaire itinérante à partir d'une enquête auprès de 200 "
                "ménages : objectifs, public cible, partenaires, budget prévisionnel et indicateurs de suivi.",
            ),
            3: (
                "partly",
                "Je pilote ce programme depuis trois ans : tableau de bord mensuel, comité de pilotage avec les "
                "financeurs, ajustements du calendrier. La gestion des risques financiers reste suivie par le "
                "trésorier.",
            ),
            4: (
                "yes",
                "J'encadre une équipe de huit salariés et d'une trentaine de bénévoles : recrutement, "
                "entretiens annuels, plan de formation, réunions d'équipe chaque semaine.",
            ),
        },
    },
    SLUG_CPSL: {
        "levels": ("5", "4"),
        "titles_held": "BPJEPS spécialité animateur, mention animation sociale (2016)",
        "status": ("private_employee", "1518"),
        "blocks": {
            1: (
                "yes",
                "Avec les habitants et les associations du quartier, j'ai mené un diagnostic partagé sur "
                "l'isolement des personnes âgées : questionnaires, porte-à-porte, restitution publique.",
            ),
            2: (
                "partly",
                "J'ai conduit le projet de jardin partagé qui en est issu : recherche de financements, "
                "planning, animation des ateliers hebdomadaires. Le bilan financier a été établi par la "
                "comptable de la structure.",
            ),
        },
    },
    SLUG_004: {
        "levels": ("6", "6"),
        "titles_held": "Licence Sciences de l'éducation (2009)",
        "status": ("public_employee", ""),
        "blocks": {
            1: (
                "yes",
                "Je coordonne la vie scolaire du lycée : organisation du service des assistants d'éducation, "
                "suivi de l'assiduité, conseils de classe, relations avec les familles.",
            ),
            2: (
                "yes",
                "J'ai piloté le projet de lutte contre le décrochage scolaire : groupe de prévention, "
                "partenariat avec la mission locale, bilan annuel présenté au conseil pédagogique.",
            ),
            3: (
                "yes",
                "Je conseille le proviseur sur le budget de la vie scolaire, prépare ses tableaux de bord et "
                "représente l'établissement auprès de la commune et des associations partenaires.",
            ),
            4: (
                "partly",
                "Je contribue au projet d'établissement par les indicateurs de vie scolaire et les propositions "
                "que je présente au conseil d'administration ; les décisions stratégiques restent celles de la "
                "direction.",
            ),
        },
    },
}
ANY_CERTIFICATION = {
    "levels": ("4", "4"),
    "titles_held": "Baccalauréat professionnel Services de proximité et vie locale (2008)",
    "status": ("volunteer", ""),
    "blocks": {},
}


def profile_of(certification: Certification) -> dict:
    return PROFILES.get(certification.code) or PROFILES.get(certification.slug) or ANY_CERTIFICATION


def block_answer(profile: dict, block, index: int) -> tuple[str, str]:
    """The bloc's activity and detailed comment: the profile's, else written from the bloc's title."""
    if block.order in profile["blocks"]:
        return profile["blocks"][block.order]
    title = block.title.rstrip(" .")
    return (
        "yes" if index % 2 == 0 else "partly",
        f"Dans mon poste actuel, j'exerce les activités du bloc « {title} » chaque semaine : je les détaille, "
        "avec leurs résultats, dans mes expériences.",
    )


def _feasibility(dossier: Dossier, candidate: User) -> None:
    """Every section of the dossier de faisabilité, through the services, as the candidate would."""
    n = candidate.pk or 0
    street, postcode, city = ADDRESSES[n % len(ADDRESSES)]
    cert = dossier.certification
    profile = profile_of(cert)
    first_name = candidate.first_name or "Camille"
    sex = sex_of(first_name)
    services.save_feasibility(dossier, "nature", {"nature": "first", "earlier_decision_date": None})
    choices = {
        "option": cert.options[0] if cert.options else "",
        "foreign_language": cert.foreign_languages[0] if cert.foreign_languages else "",
        "parcours": cert.parcours[0] if cert.parcours else "",
    }
    services.save_feasibility(dossier, "certification", choices)
    if cert.regulatory_prerequisites:
        held = {text: False for text in cert.regulatory_prerequisites}
        services.save_feasibility(dossier, "prerequisites", {"prerequisites_held": held})
    training_level, certification_level = profile["levels"]
    status, idcc = profile["status"]
    services.save_feasibility(
        dossier,
        "candidate",
        {
            "training_level": training_level,
            "certification_level": certification_level,
            "titles_held": profile["titles_held"],
            "street": street,
            "address_complement": "",
            "postcode": postcode,
            "city": city,
            "country": "France",
            "phone": f"06 {10 + n % 89:02d} 45 67 89",
            "email": candidate.email,
            "status": status,
            "idcc": idcc,
            "objectives": ["progress", "recognition"],
        },
        identity={
            "birth_name": candidate.last_name or "Martin",
            "usage_name": "",
            "first_name1": first_name,
            "first_name2": SECOND_FIRST_NAME[sex] if n % 2 else "",
            "first_name3": "",
            "sex": sex,
            "birth_date": dt.date(1980 + n % 15, 1 + n % 12, 1 + n % 28),
            "nationality": "française",
        },
    )
    for i, block in enumerate(dossier.targeted_blocks()):
        activity, comment = block_answer(profile, block, i)
        services.save_block_statement(dossier, block, activity, comment)
    role = dossier.experiences.order_by("order").values_list("role", flat=True).first() or ""
    services.add_feasibility_document(
        dossier,
        _upload("cv.pdf", "Curriculum vitae", [candidate.get_full_name(), role]),
        role="other",
        title="Curriculum vitae",
    )
    services.save_feasibility(dossier, "signature", {"accompaniment": "autonomous", "comments": ""})


def _certification(**lookup) -> Certification | None:
    return Certification.objects.published().filter(**lookup).first()


def _has_dossier(candidate: User, certification: Certification) -> bool:
    return Dossier.objects.filter(candidate=candidate, certification__lineage=certification.lineage).exists()


def _draft_41296(candidate: User) -> str | None:
    cert = _certification(code="RNCP41296")
    if cert is None or _has_dossier(candidate, cert):
        return None
    dossier = services.start_dossier(candidate, cert)
    _experience(
        dossier,
        kind=ExperienceKind.EMPLOYEE,
        organisation="Restos du cœur de Rennes",
        role="Responsable d'antenne",
        start_date=dt.date(2020, 1, 6),
        hours_per_week=35,
        activities="Encadrement de 40 bénévoles, relations avec la banque alimentaire, budget de l'antenne.",
    )
    return f"{candidate.email}: brouillon sur {cert.code}"


def _admissible_35203(candidate: User, admin: User) -> str | None:
    cert = _certification(code="RNCP35203")
    if cert is None or _has_dossier(candidate, cert):
        return None
    blocks = list(cert.blocks.filter(code__in=["RNCP35203BC01", "RNCP35203BC02"]))
    dossier = services.start_dossier(candidate, cert, blocks)
    _stage1(
        dossier,
        candidate,
        [
            {
                "kind": ExperienceKind.EMPLOYEE,
                "organisation": "Collectif Terre d'Accueil",
                "role": "Chargé de projets solidaires",
                "start_date": dt.date(2018, 9, 1),
                "hours_per_week": 35,
                "activities": "Diagnostic de territoire, montage et suivi de projets d'économie sociale et "
                "solidaire, animation du réseau de partenaires.",
            },
            {
                "kind": ExperienceKind.VOLUNTEER,
                "organisation": "Association Vélo pour tous",
                "role": "Trésorier bénévole",
                "start_date": dt.date(2015, 3, 1),
                "end_date": dt.date(2019, 6, 30),
                "total_hours": 600,
                "activities": "Budget, dossiers de subvention, assemblée générale.",
            },
        ],
    )
    services.request_feasibility(dossier, candidate)
    services.decide_feasibility(dossier, admin, "admissible", "Votre expérience correspond aux blocs visés.")
    diagnostic = services.add_proof(
        dossier,
        _upload("diagnostic-territorial.pdf", "Diagnostic territorial 2023", ["Synthèse des enjeux du quartier"]),
        title="Diagnostic territorial 2023",
        kind=ProofKind.PRODUCTION,
        date=dt.date(2023, 5, 12),
        description="Le diagnostic que j'ai rédigé pour le comité de pilotage.",
    )
    attestation = services.add_proof(
        dossier,
        _upload("attestation-employeur.pdf", "Attestation de l'employeur", ["Chargé de projets depuis 2018"]),
        title="Attestation de l'employeur",
        kind=ProofKind.ATTESTATION,
        date=dt.date(2024, 1, 15),
        description="",
    )
    experience = dossier.experiences.order_by("order").first()
    statements = dossier.statements.select_related("competency").order_by(
        "competency__block__order", "competency__order"
    )
    for i, statement in enumerate(statements[:5]):
        services.save_statement(
            statement,
            statement.version,
            {"narrative": narrative(i, statement.competency.text)},
            experiences=[experience],
            proofs=[diagnostic] if i < 3 else [attestation],
        )
    return f"{candidate.email}: recevable sur {cert.code}, 5 compétences rédigées"


def _submitted_004(candidate: User, admin: User) -> str | None:
    cert = _certification(slug=SLUG_004)
    if cert is None or _has_dossier(candidate, cert):
        return None
    block = cert.blocks.order_by("order")[2]
    dossier = services.start_dossier(candidate, cert, [block])
    _stage1(
        dossier,
        candidate,
        [
            {
                "kind": ExperienceKind.EMPLOYEE,
                "organisation": "Lycée professionnel Jean-Moulin",
                "role": "Adjoint de direction chargé de la vie scolaire",
                "start_date": dt.date(2016, 9, 1),
                "hours_per_week": 38,
                "activities": "Conseil au proviseur, tableaux de bord, représentation auprès des partenaires.",
            }
        ],
    )
    services.request_feasibility(dossier, candidate)
    services.decide_feasibility(dossier, admin, "admissible")
    report = services.add_proof(
        dossier,
        _upload("rapport-activite.pdf", "Rapport d'activité 2023", ["Vie scolaire : indicateurs et analyse"]),
        title="Rapport d'activité 2023",
        kind=ProofKind.WORK_DOCUMENT,
        date=dt.date(2023, 7, 5),
        description="Le rapport que je prépare chaque année pour le conseil d'administration.",
    )
    experience = dossier.experiences.first()
    statements = dossier.statements.select_related("competency").order_by("competency__order")
    for i, statement in enumerate(statements):
        services.save_statement(
            statement,
            statement.version,
            {"narrative": narrative(i, statement.competency.text)},
            experiences=[experience],
            proofs=[report],
        )
    services.submit_validation(dossier, candidate)
    return f"{candidate.email}: dossier de validation déposé sur « {cert.title[:40]}… » (bloc 3)"


def _draft_cpsl(candidate: User) -> str | None:
    cert = _certification(slug=SLUG_CPSL)
    if cert is None or _has_dossier(candidate, cert):
        return None
    dossier = services.start_dossier(candidate, cert)
    _experience(
        dossier,
        kind=ExperienceKind.CIVIC_SERVICE,
        organisation="Unis-Cité",
        role="Volontaire en service civique",
        start_date=timezone.localdate().replace(year=timezone.localdate().year - 2, day=1),
        end_date=timezone.localdate().replace(year=timezone.localdate().year - 1, day=1),
        hours_per_week=30,
        activities="Animation d'ateliers de réparation et de jardins partagés.",
    )
    return f"{candidate.email}: brouillon sur « {cert.title[:40]} »"


# The back office's and the juries' demo candidates: their experiences and proofs (``walk``);
# the job titles agree with the candidate (``experiences_for``).
EXPERIENCES = [
    {
        "kind": ExperienceKind.EMPLOYEE,
        "organisation": "Association Tremplin Solidaire",
        "role": ("Coordinateur de projets", "Coordinatrice de projets"),
        "start_date": dt.date(2018, 9, 1),
        "hours_per_week": 35,
        "activities": "Conduite de projets d'insertion par l'activité économique : diagnostic de territoire, "
        "montage des dossiers de financement, animation des partenariats, encadrement d'une équipe de six "
        "salariés.",
        "working_context": "Association d'insertion de 40 salariés en parcours, dans un quartier prioritaire ; "
        "je rends compte à la directrice et au conseil d'administration.",
    },
    {
        "kind": ExperienceKind.VOLUNTEER,
        "organisation": "Collectif des Jardins Partagés",
        "role": ("Trésorier bénévole", "Trésorière bénévole"),
        "start_date": dt.date(2015, 3, 1),
        "end_date": dt.date(2018, 6, 30),
        "hours_per_week": 4,
        "activities": "Suivi budgétaire, préparation des assemblées générales, recherche de subventions auprès "
        "de la commune et de la fondation d'entreprise locale.",
    },
]
PROOFS = [
    ("attestation-employeur.pdf", "Attestation de l'employeur", ProofKind.ATTESTATION),
    ("bilan-activite-2023.pdf", "Bilan d'activité 2023", ProofKind.PRODUCTION),
]


def experiences_for(candidate: User) -> list[dict]:
    sex = sex_of(candidate.first_name or "Camille")
    return [{**e, "role": gendered(sex, *e["role"])} for e in EXPERIENCES]


def fill_validation(dossier: Dossier) -> None:
    """Every targeted compétence: a narrative, a proof and an experience (candidate services)."""
    proofs = [
        services.add_proof(dossier, _upload(name, title, [dossier.candidate.get_full_name()]), title=title, kind=kind)
        for name, title, kind in PROOFS
    ]
    experience = dossier.experiences.order_by("order").first()
    statements = dossier.statements.select_related("competency").order_by(
        "competency__block__order", "competency__order"
    )
    for i, statement in enumerate(statements):
        services.save_statement(
            statement,
            statement.version,
            {"narrative": narrative(i, statement.competency.text)},
            experiences=[experience],
            proofs=[proofs[i % len(proofs)]],
        )


def walk(dossier: Dossier, target: str, reviewer) -> None:
    """Take a fresh draft to ``target`` through the services, as candidate and certifier would
    (the back office's and the juries' demo dossiers)."""
    candidate = dossier.candidate
    _stage1(dossier, candidate, experiences_for(candidate))
    services.request_feasibility(dossier, candidate)
    if target == S.FEASIBILITY_SUBMITTED:
        return
    services.decide_feasibility(dossier, reviewer, S.ADMISSIBLE)
    fill_validation(dossier)
    services.submit_validation(dossier, candidate)
    if target == S.VALIDATION_SUBMITTED:
        return
    services.review_validation(dossier, reviewer, complete=True)


def seed() -> list[str]:
    """Create the demo dossiers that do not exist yet; return one line per dossier created."""
    users = {u.email: u for u in User.objects.filter(email__in=[CANDIDATE_1, CANDIDATE_2, ADMIN])}
    admin = users.get(ADMIN) or User.objects.filter(is_superuser=True).first()
    rows: list[str | None] = []
    # The demo e-mails nobody: the transition e-mails would only clutter the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        if CANDIDATE_1 in users and admin:
            c1 = users[CANDIDATE_1]
            rows += [_draft_41296(c1), _admissible_35203(c1, admin), _submitted_004(c1, admin)]
        if CANDIDATE_2 in users:
            rows.append(_draft_cpsl(users[CANDIDATE_2]))
    return [r for r in rows if r]
