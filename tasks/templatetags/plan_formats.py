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


@register.filter
def highlight(text, words):
    """The text, escaped, with every occurrence of the search words in <mark>; at most 160
    characters around the first match."""
    import re

    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    text = str(text or "")
    if not words:
        return escape(text[:160])
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - 50) if first else 0
    excerpt = ("…" if start else "") + text[start:start + 160] + ("…" if len(text) > start + 160 else "")
    parts, last = [], 0
    for match in pattern.finditer(excerpt):
        parts += [escape(excerpt[last:match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    parts.append(escape(excerpt[last:]))
    return mark_safe("".join(parts))
