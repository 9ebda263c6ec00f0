"""Hooks other apps connect to. Sent after the transaction commits, with ids only.

``convocation_issued`` is where the convocation PDF gets rendered: the documents app connects a
receiver that queues its rendering job (date, place or link, what to bring). Until one is
connected, the convocation e-mail alone informs the candidate.
"""

from django.dispatch import Signal

# Sent with ``convocation_id`` whenever a convocation is issued or its slot changes.
convocation_issued = Signal()
