from django import template

from apps.core.changes import history_entries

register = template.Library()


@register.simple_tag
def history_changes(records):
    """{% history_changes records as entries %}: each entry's Spanish action and field changes."""
    return history_entries(records)
