"""Text that looks wrong, reported as warnings with a suggested fix; the text is never changed."""

import functools
import re

from django.utils.translation import gettext as _

LATIN_WORD_IN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff])\s*([A-Za-z]{2,}(?:\s+[A-Za-z]+)*)\s*(?=[\u4e00-\u9fff])")
# Words that scanning and typing often get wrong in bureau documents, with the intended word.
COMMON_MISTAKES = {
    "街接": "衔接",
    "布署": "部署",
    "再接再励": "再接再厉",
    "既使": "即使",
    "按装": "安装",
    "针贬": "针砭",
    "松驰": "松弛",
    "渡过难关": "度过难关",
}


@functools.lru_cache(maxsize=1)
def _converter():
    """OpenCC's traditional-to-simplified converter, built once per process (it reads its
    dictionaries from disk: building it per paragraph cost seconds on a long plan)."""
    from opencc import OpenCC

    return OpenCC("t2s")


def check_text(text, line, warnings):
    from . import ParseWarning

    simplified = _converter().convert(text)
    if simplified != text:
        for original, suggestion in _differences(text, simplified):
            warnings.append(ParseWarning(line, _("Traditional characters in simplified text."), original, suggestion))
    for mistake, correction in COMMON_MISTAKES.items():
        if mistake in text:
            warnings.append(ParseWarning(line, _("A word that is often mistyped."), mistake, correction))
    for match in LATIN_WORD_IN_CHINESE.finditer(text):
        warnings.append(ParseWarning(line, _("Latin words inside a Chinese sentence."), match.group(0)))


def _differences(text, converted):
    """Runs of characters that differ between two strings of equal length."""
    runs, start = [], None
    for index, (a, b) in enumerate(zip(text, converted)):
        if a != b and start is None:
            start = index
        elif a == b and start is not None:
            runs.append((text[start:index], converted[start:index]))
            start = None
    if start is not None:
        runs.append((text[start:], converted[start:]))
    return runs
