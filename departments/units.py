"""Names typed as a list: 、，, ； / or line breaks separate them."""

import re


def split_names(text):
    return [name.strip() for name in re.split(r"[、，,；;/\n]+", text or "") if name.strip()]
