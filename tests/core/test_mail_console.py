"""Development e-mails are readable in the console of `make run`."""

import io

from django.core.mail import EmailMessage

from core.mail_console import EmailBackend


def test_an_e_mail_is_printed_with_its_recipient_subject_and_decoded_body():
    stream = io.StringIO()
    message = EmailMessage(
        "Confirmez votre adresse e-mail",
        "Bonjour Nina,\nConfirmez ici : http://127.0.0.1:8000/accounts/confirmation/abc/ — à bientôt",
        "noreply@vae.example",
        ["nina@example.org"],
    )

    EmailBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert "E-MAIL à nina@example.org" in printed
    assert "Objet : Confirmez votre adresse e-mail" in printed
    assert "http://127.0.0.1:8000/accounts/confirmation/abc/ — à bientôt" in printed
