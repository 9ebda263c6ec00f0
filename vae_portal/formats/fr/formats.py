# French formats for django.utils.formats, over Django's own (which it falls back to for the
# rest): numbers are grouped by a narrow no-break space (U+202F), as French typography wants
# (« 30 000 »), rather than Django's no-break space. Grouping applies only where asked
# (number_format(..., force_grouping=True)): USE_THOUSAND_SEPARATOR stays off.
THOUSAND_SEPARATOR = "\u202f"
