from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField


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
    # Personal data, encrypted at rest (departments.crypto). The e-mail address is moved here from
    # Django's user row whenever one is saved (departments.signals), so it is never stored in clear.
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    # Set when an administrator creates the account or resets its password: the person chooses
    # their own at the next login before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # A daily e-mail of the day's unread notices, for people who read e-mail rather than the portal.
    email_digest = models.BooleanField(_("daily e-mail digest"), default=False)
    # The session of the latest login: with SINGLE_SESSION a new login ends the one before.
    session_key = models.CharField(_("session"), max_length=40, blank=True)
    digest_sent_at = models.DateTimeField(_("digest sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return str(self.user)


class UnitChannel(models.Model):
    """A unit's group chat robot (企业微信 or 钉钉): notices to the unit are also posted there."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.CASCADE,
                                   related_name="channels")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    webhook_url = models.URLField(_("webhook URL"), max_length=500)
    # DingTalk's 加签 secret (SEC…); WeCom robots carry their key in the URL.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        constraints = [models.UniqueConstraint(fields=["department", "kind"], name="one_robot_per_kind_per_unit")]

    def __str__(self):
        return f"{self.department} · {self.get_kind_display()}"


class ChannelDelivery(models.Model):
    """One message to a group robot, and what became of it: an outbox that survives retries."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.ForeignKey(UnitChannel, verbose_name=_("group robot"), on_delete=models.CASCADE,
                                related_name="deliveries")
    text = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), auto_now_add=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("robot message")
        verbose_name_plural = _("robot messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return self.text[:40]


class AuditEvent(models.Model):
    """One row of the security audit log; see departments/audit.py. Never updated."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        WARNING = "warning", _("Warning")

    created_at = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", db_constraint=False)
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=45, blank=True)
    event = models.CharField(_("event"), max_length=40, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    detail = models.TextField(_("detail"), blank=True)
    previous_digest = models.CharField(_("previous digest"), max_length=64, blank=True)
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.event}"


class AuditChainHead(models.Model):
    """The digest of the last audit row: locked while a row is appended, so rows chain in order."""

    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        default_permissions = ()


class PasswordHistory(models.Model):
    """A password an account used (its hash only), so the last few are not chosen again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        ordering = ["-created_at", "-id"]
        default_permissions = ()


class IntegrationToken(models.Model):
    """A key another system (the city's 督查 platform, an OA, a data screen) uses for the REST
    API. It acts as its account — an integration account the administrators create like any
    other, with the units and roles that decide what it may read — and its scope may narrow that
    to reading. Only the key's SHA-256 is kept; the key is shown once, when it is made."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE,
                             related_name="integration_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. 市督查平台."))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"
