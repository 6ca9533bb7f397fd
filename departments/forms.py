from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .contact import contact_email
from .models import Department, Membership
from .roles import ROLES


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Department.Kind.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Department.objects.filter(name=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("There is already a unit of this name."))
        return name


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Department.objects.none())

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Department.objects.filter(is_active=True).exclude(pk=source.pk)


def role_choices():
    return [(role.name, role.label) for role in ROLES]


class PersonForm(forms.Form):
    """An account: who, where, which bureau-wide roles."""

    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=Department.objects.none(), required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    head_of = forms.ModelMultipleChoiceField(label=_("Head of"), queryset=Department.objects.none(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}),
                                             help_text=_("Heads submit their unit's reports."))
    roles = forms.MultipleChoiceField(label=_("Bureau-wide roles"), choices=role_choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("Account enabled"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        units = Department.objects.filter(is_active=True).order_by("kind", "order", "name")
        self.fields["units"].queryset = units
        self.fields["head_of"].queryset = units
        if instance is not None:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]

    @classmethod
    def initial_for(cls, user):
        memberships = list(user.memberships.all())
        return {
            "username": user.username, "full_name": user.first_name, "email": contact_email(user),
            "phone": getattr(getattr(user, "account", None), "phone", ""),
            "units": [m.department_id for m in memberships if m.role != Membership.Role.HEAD],
            "head_of": [m.department_id for m in memberships if m.role == Membership.Role.HEAD],
            "roles": list(user.groups.filter(name__in=[role.name for role in ROLES]).values_list("name", flat=True)),
            "is_active": user.is_active,
        }

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if self.instance is None and get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("The username “%(name)s” is taken.") % {"name": username})
        return username

    def memberships(self):
        heads = list(self.cleaned_data["head_of"])
        staff = [d for d in self.cleaned_data["units"] if d not in heads]
        return [(d, Membership.Role.HEAD) for d in heads] + [(d, Membership.Role.STAFF) for d in staff]


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Robot"), choices=[])
    webhook_url = forms.URLField(label=_("Webhook URL"), max_length=500, assume_scheme="https",
                                 help_text=_("The robot's address from the group's settings."))
    secret = forms.CharField(label=_("Signing secret (钉钉 加签)"), max_length=200, required=False,
                             widget=forms.PasswordInput(render_value=False),
                             help_text=_("Only for DingTalk robots with 加签; left empty, the stored one is kept."))
    is_active = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        from .models import UnitChannel

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = UnitChannel.Kind.choices


class MySettingsForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    email_digest = forms.BooleanField(
        label=_("Send me a daily e-mail of my unread notices"), required=False,
        help_text=_("Sent at 18:00 when there is something unread; needs an e-mail address."))

    def clean(self):
        data = super().clean()
        if data.get("email_digest") and not data.get("email"):
            self.add_error("email", _("Give an e-mail address for the digest."))
        return data


AUDIT_EVENTS = [
    ("login", _("Login")), ("login_failed", _("Failed login")), ("logout", _("Logout")), ("lockout", _("Lockout")),
    ("unlock", _("Unlock")), ("otp_enrolled", _("Two-factor enrolment")), ("otp_verified", _("Two-factor check")),
    ("otp_failed", _("Two-factor failure")), ("otp_reset", _("Two-factor reset")), ("password_changed", _("Password changed")),
    ("password_reset", _("Password reset")), ("password_expired", _("Password expired")),
    ("account_created", _("Account created")), ("account_deactivated", _("Account deactivated")),
    ("account_activated", _("Account activated")), ("account_idle_disabled", _("Idle account disabled")),
    ("roles_changed", _("Roles changed")), ("units_changed", _("Units changed")),
    ("plan_published", _("Plan published")), ("grants_moved", _("Permissions moved")), ("export", _("Export")),
    ("evidence_download", _("Evidence download")), ("import", _("Import")), ("admin_change", _("Admin change")),
    ("audit_export", _("Audit log export")), ("scoring_rules", _("Scoring rules changed")),
    ("score_adjust", _("Score adjusted")), ("api_token_created", _("API token created")),
    ("api_token_revoked", _("API token revoked")), ("api_token_refused", _("API token refused")),
    ("public_progress", _("Public progress changed")),
]


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    event = forms.ChoiceField(label=_("Event"), required=False, choices=[("", _("All events")), *AUDIT_EVENTS])
    result = forms.ChoiceField(label=_("Result"), required=False, choices=[
        ("", _("All results")), ("success", _("Success")), ("failure", _("Failure")), ("warning", _("Warning"))])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
