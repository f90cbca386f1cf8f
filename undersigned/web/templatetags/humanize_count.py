from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def thousands(value: int) -> str:
    """12345 → '12,345' (or '12.345' in German): a count people read at a glance."""
    return number_format(value, force_grouping=True)
