from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """An office or unit that leads or cooperates on tasks (科室/单位)."""

    class Kind(models.TextChoices):
        BUREAU_OFFICE = "office", _("Bureau office")
        AFFILIATED_UNIT = "affiliated", _("Directly affiliated unit")
        COUNTY_BUREAU = "county", _("County bureau")
        SCHOOL = "school", _("School")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.BUREAU_OFFICE
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Object permissions are granted to this group, so membership changes need no re-grants.
    group = models.OneToOneField(
        Group,
        verbose_name=_("permission group"),
        on_delete=models.PROTECT,
        related_name="department",
        editable=False,
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    # The two kinds a city bureau groups its units by: its own offices (科室) and the units under
    # it (县区教育局, 直属单位, 学校) that it assigns tasks to.
    OFFICE_KINDS = (Kind.BUREAU_OFFICE,)

    @property
    def is_bureau_office(self):
        return self.kind in self.OFFICE_KINDS

    @property
    def kind_group_label(self):
        return _("Bureau offices") if self.is_bureau_office else _("Subordinate units")

    @property
    def display_name(self):
        return self.short_name or self.name


class DepartmentAlias(models.Model):
    """Another name documents use for a department (基教科 for 基础教育科), matched on import."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("department alias")
        verbose_name_plural = _("department aliases")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in a department: staff draft and report, heads also submit."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        HEAD = "head", _("Head")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.STAFF
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["department__order", "-role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department"], name="unique_membership_per_department"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class Account(models.Model):
    """What the portal keeps about a person beyond Django's user: contact and password policy."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="account"
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    # Set when an administrator creates the account or resets its password: the person chooses
    # their own at the next login before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return str(self.user)
