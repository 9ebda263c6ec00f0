"""Demo certifier staff: one account per reference certifier (``seed_demo`` calls ``seed()``
after the admin account; idempotent, same password as every demo account). Each account's address
is its certifier's contact for the candidates (printed on the convocations): the reference
certifiers are real organisations, whose postal address the demo does not invent."""

from django.db import transaction

from accounts.demo import _account
from certifications.models import Certifier

# Certifier staff accounts, matched to the reference certifiers by SIRET or name.
CERTIFIER_ACCOUNTS = [
    ("certif.aptim@vae.example", "Alice", "Martin", {"siret": "33138377800031"}),
    ("certif.ircom@vae.example", "Bruno", "Lefèvre", {"siret": "32949147600019"}),
    ("certif.ifaid@vae.example", "Chloé", "Dubois", {"legal_name__icontains": "IFAID"}),
    ("certif.askoria@vae.example", "David", "Moreau", {"legal_name__icontains": "Askoria"}),
]


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    """Create (or find) the staff accounts of the certifiers present; return (e-mail, what the
    account is) rows."""
    rows = []
    for email, first, last, lookup in CERTIFIER_ACCOUNTS:
        certifier = Certifier.objects.filter(**lookup).first()
        if certifier is None:
            continue
        user = _account(email, first, last)
        certifier.staff.add(user)
        if not certifier.contact_email:  # the candidates' contact on their convocations (demo address)
            certifier.contact_email = email
            certifier.save(update_fields=["contact_email"])
        rows.append((email, f"certificateur ({certifier})"))
    return rows
