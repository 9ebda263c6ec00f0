"""What every app shares and nothing else: the domain error base, the view helpers that show a
refusal as a French message, and the one door for e-mails (``emails``, with its Celery task in
``tasks``). This package imports no other app of the project."""
