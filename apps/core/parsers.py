"""The API's request parsers."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a nesting too deep for Python's decoder answered as a 400.

    `json.loads` raises RecursionError (not ValueError) on a body like `[[[[…` ten thousand deep,
    which DRF lets through as a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("El JSON anida demasiados niveles.")) from None
