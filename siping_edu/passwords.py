"""Password rules beyond Django's: the complexity a graded government system requires (等保2.0)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (str.islower, str.isupper, str.isdigit, lambda char: not char.isalnum())


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for test in CLASSES if any(test(char) for char in password))
        if used < self.min_classes:
            raise ValidationError(
                ngettext(
                    "Use at least %(count)d kind of character: lower-case, upper-case, digits, symbols.",
                    "Use at least %(count)d kinds of characters: lower-case and upper-case letters, digits, symbols.",
                    self.min_classes,
                ) % {"count": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("At least %(count)d of: lower-case letters, upper-case letters, digits, symbols.") % {
            "count": self.min_classes}
