"""Hooks other apps connect to. Sent after the transaction commits, with ids only.

The juries app connects its own receiver (``juries.documents.render_convocation``) to both: it
asks the documents pipeline for the convocation PDF, rendered again whenever the convocation
moves, and marked cancelled when it is cancelled.
"""

from django.dispatch import Signal

# Sent with ``convocation_id`` whenever a convocation is issued or its slot changes.
convocation_issued = Signal()
# Sent with ``convocation_id`` when a convocation is cancelled.
convocation_cancelled = Signal()
