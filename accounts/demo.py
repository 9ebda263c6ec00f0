"""Demo accounts for a newcomer: one per role, all with the same password.

``seed_demo`` (``vae_portal``) calls ``seed_admin()`` here first, the certifiers' staff
(``certifications.demo``), then ``seed_people()`` and the demo data of each app, so that logging
in with any account shows that role's pages with real content.
"""

from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "demo-vae-2026"  # noqa: S105 - documented in the README, refused when DEBUG is off

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
def seed_admin() -> list[tuple[str, str]]:
    """Create (or find) the admin account; return its (e-mail, what the account is) row."""
    admin = _account("admin@vae.example", "Admin", "VAE", is_staff=True, is_superuser=True)
    return [(admin.email, "administrateur (Django admin)")]


@transaction.atomic
def seed_people() -> list[tuple[str, str]]:
    """Create (or find) the jury members' and candidates' accounts; return their rows."""
    rows = []
    for email, first, last in JURY_ACCOUNTS:
        rows.append((_account(email, first, last).email, "membre de jury"))
    for email, first, last in CANDIDATE_ACCOUNTS:
        rows.append((_account(email, first, last).email, "candidat"))
    return rows


def seed() -> list[tuple[str, str]]:
    """Every account this app seeds (admin, jury members, candidates)."""
    return seed_admin() + seed_people()
