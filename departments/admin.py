from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.utils.translation import gettext as _

from . import services
from .models import Department, IntegrationToken, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_editable = ["order"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        # Creation and renames go through the service, which keeps the permission group in sync.
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.department_update(department=obj, **fields)
        else:
            created = services.department_create(
                name=obj.name, short_name=obj.short_name, kind=obj.kind,
                parent=obj.parent, order=obj.order,
            )
            obj.pk, obj.group = created.pk, created.group

    def save_formset(self, request, form, formset, change):
        # Memberships go through the service, which keeps the user in the department's group.
        for membership in formset.save(commit=False):
            if membership.pk:
                previous = Membership.objects.select_related("user", "department").get(pk=membership.pk)
                if previous.user_id != membership.user_id:
                    services.membership_remove(membership=previous)
            services.membership_set(user=membership.user, department=form.instance, role=membership.role)
        for membership in formset.deleted_objects:
            services.membership_remove(membership=membership)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "user__first_name", "department__name"]
    autocomplete_fields = ["user", "department"]

    def save_model(self, request, obj, form, change):
        services.membership_set(user=obj.user, department=obj.department, role=obj.role)

    def delete_model(self, request, obj):
        services.membership_remove(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_remove(membership=membership)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts in the admin go through the account services: a new one gets its Account and
    must replace the typed password at the first login, like one made on the 人员 page."""

    def save_model(self, request, obj, form, change):
        if change:
            services.user_save_fields(user=obj, fields=[name for name in form.changed_data if name != "password"])
        else:
            created, _password = services.user_create(
                username=obj.username, full_name=obj.first_name, email=obj.email,
                password=form.cleaned_data.get("password1") or None,
            )
            obj.pk, obj.password = created.pk, created.password
            obj._state.adding = False


# Second-factor devices are reset by the security administrator on the person's page (audited),
# not edited in the admin, whose django-otp pages also fail on a missing device.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    """The system administrator makes a token for an integration account: the key is shown once,
    in the message after saving, and only its SHA-256 is kept. Tokens are revoked, not edited."""

    list_display = ["name", "user", "scope", "key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__username", "key_prefix"]
    actions = ["revoke"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain list of active accounts: an autocomplete would ask the user admin, which the
        # system administrator may not open (accounts are the security administrator's).
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["user", "name", "scope", "expires_at", "key_prefix", "created_by", "created_at", "last_used_at",
                "revoked_at"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # the audit log names tokens: revoke them instead

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = services.integration_token_create(user=obj.user, name=obj.name, scope=obj.scope,
                                                       expires_at=obj.expires_at, actor=request.user)
        obj.pk, obj.key_prefix, obj.created_by = token.pk, token.key_prefix, token.created_by
        obj._state.adding = False
        messages.warning(request, _("The key of “%(name)s” is %(key)s — copy it now: it is not shown again.")
                         % {"name": token.name, "key": key})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.integration_token_revoke(token=token, actor=request.user)
