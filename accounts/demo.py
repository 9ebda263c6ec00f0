"""Demo accounts for a newcomer: one per role, all with the same password.

``seed_demo`` calls ``seed()`` here first, then the demo data of each app, so that logging in
with any account shows that role's pages with real content.
"""

from django.db import transaction

from accounts.models import User
from certifications.models import Certifier

DEMO_PASSWORD = "demo-vae-2026"  # noqa: S105 - documented in the README, refused when DEBUG is off

# Certifier staff accounts, matched to the reference certifiers by SIRET or name.
CERTIFIER_ACCOUNTS = [
    ("certif.aptim@vae.example", "Alice", "Martin", {"siret": "33138377800031"}),
    ("certif.ircom@vae.example", "Bruno", "Lefèvre", {"siret": "32949147600019"}),
    ("certif.ifaid@vae.example", "Chloé", "Dubois", {"legal_name__icontains": "IFAID"}),
    ("certif.askoria@vae.example", "David", "Moreau", {"legal_name__icontains": "Askoria"}),
]
JURY_ACCOUNTS = [
    ("jury1@vae.example", "Élise", "Bernard"),
    ("jury2@vae.example", "François", "Petit"),
    ("jury3@vae.example", "Gaëlle", "Roux"),
]
CANDIDATE_ACCOUNTS = [
    ("candidat1@vae.example", "Hugo", "Garnier"),
    ("candidat2@vae.example", "Inès", "Faure"),
]


def _account(email: str, first_name: str = "", last_name: str = "", **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    """Create (or find) the demo accounts; return (e-mail, what the account is) rows."""
    rows = [
        (
            _account("admin@vae.example", "Admin", "VAE", is_staff=True, is_superuser=True).email,
            "administrateur (Django admin)",
        )
    ]
    for email, first, last, lookup in CERTIFIER_ACCOUNTS:
        certifier = Certifier.objects.filter(**lookup).first()
        if certifier is None:
            continue
        user = _account(email, first, last)
        certifier.staff.add(user)
        rows.append((email, f"certificateur ({certifier})"))
    for email, first, last in JURY_ACCOUNTS:
        rows.append((_account(email, first, last).email, "membre de jury"))
    for email, first, last in CANDIDATE_ACCOUNTS:
        rows.append((_account(email, first, last).email, "candidat"))
    return rows
