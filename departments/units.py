"""Names typed as a list: 、，, ； / and line breaks separate them (the one list of separators;
plan intake reads owner lists with the same ones)."""

import re

NAME_SEPARATORS = "、，,；;/／\n"
SEPARATOR = re.compile("[" + re.escape(NAME_SEPARATORS) + "]+")


def split_names(text):
    return [name.strip() for name in SEPARATOR.split(text or "") if name.strip()]
