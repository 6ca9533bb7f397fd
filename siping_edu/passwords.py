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


class NoReuseValidator:
    """None of the account's last `count` passwords (the current one included) again."""

    def __init__(self, count=5):
        self.count = count

    def _recent_hashes(self, user):
        from departments.models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:self.count])
        return ([user.password] if user.password else []) + hashes

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)[:self.count]):
            raise ValidationError(
                _("Choose a password you have not used for your last %(count)d passwords.") % {"count": self.count},
                code="password_reused")

    def password_changed(self, password, user=None):
        from departments.models import PasswordHistory

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:self.count]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self):
        return _("Not one of your last %(count)d passwords.") % {"count": self.count}
