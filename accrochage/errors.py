from core.errors import DomainError


class CdcError(DomainError):
    """A refused action on the declaration to the Caisse des Dépôts."""
