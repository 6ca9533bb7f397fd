"""The portal's value formats (tasks.formats) for templates: `{{ month|chinese_month }}`."""

from django import template

from tasks import formats

register = template.Library()
register.filter("chinese_month", formats.chinese_month)
register.filter("chinese_date", formats.chinese_date)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when absent (errors and notes by report)."""
    return mapping.get(key) if mapping else None
