from django.urls import path

from . import views

app_name = "departments"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="units"),
    path("units/<int:pk>/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/aliases/", views.DepartmentAliasesView.as_view(), name="aliases"),
    path("accounts/otp/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("accounts/otp/setup/", views.OTPSetupView.as_view(), name="otp_setup"),
    path("accounts/settings/", views.MySettingsView.as_view(), name="my_settings"),
    path("people/locked/", views.LockedAccountsView.as_view(), name="locked_accounts"),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("people/", views.PeopleListView.as_view(), name="people"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonEditView.as_view(), name="person_edit"),
]
