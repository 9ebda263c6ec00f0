"""The development e-mail backend (no EMAIL_HOST): each e-mail printed readably in the console of
``make run``, between two rulers, with its plain-text body decoded (Django's console backend prints
the raw MIME message, where French text and links come out quoted-printable)."""

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

RULER = "═" * 72


class EmailBackend(ConsoleEmailBackend):
    def write_message(self, message) -> None:
        lines = [
            "",
            RULER,
            f"  E-MAIL à {', '.join(message.recipients())}",
            f"  Objet : {message.subject}",
            RULER,
            str(message.body).rstrip(),
            RULER,
            "",
        ]
        self.stream.write("\n".join(lines) + "\n")
