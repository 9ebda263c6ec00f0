from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def number(value) -> str:
    """A decimal without trailing zeros, with a French decimal comma: 2.50 → « 2,5 », 3.00 → « 3 »."""
    if value in (None, ""):
        return ""
    return number_format(Decimal(str(value)).normalize())
